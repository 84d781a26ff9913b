"""The files the README documents must stay valid."""

from pathlib import Path

from api_client.rate_card import EXAMPLE_RATE_CARD, RateCard
from api_client.request import ServiceRequest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_documented_service_request_is_valid():
    r = ServiceRequest.model_validate_json((EXAMPLES / "service-request.json").read_text(encoding="utf-8"))
    assert r.locations[0].latitude is not None and r.reserved == 3


def test_documented_rate_card_matches_the_built_in_example():
    assert RateCard.load(EXAMPLES / "rate-card.example.json") == EXAMPLE_RATE_CARD
