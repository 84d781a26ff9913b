"""The one catalog: every code of the contract has a text in English and Japanese, and the formatters follow CLDR."""

import ast
import re
import string
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from api_client.events import EventKind, UnableReason
from api_client.request import SkillLevel
from api_client.rules.geofence import ArrivalCheck
from api_client.rules.lifecycle import Refused, Status
from api_client.texts import CATALOG, money, reading_order, refusal, site_datetime, text
from dispatch.badge import BadgeStatus
from field_app.i18n import MESSAGES

ROOT = Path(__file__).resolve().parents[2]


def _names(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_key_has_both_languages_with_the_same_placeholders():
    for key, pair in CATALOG.items():
        assert len(pair) == 2, key
        en, ja = pair
        assert en.strip() and ja.strip(), f"{key}: a language is missing"
        assert _names(en) == _names(ja), key


def test_japanese_texts_are_japanese():
    kana_or_kanji = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    same_by_design = {"verify.field", "report.event.proposed", "web.brand", "web.switch_language"}
    for key, (_, ja) in CATALOG.items():
        if key not in same_by_design:
            assert kana_or_kanji.search(ja), key


@pytest.mark.parametrize(
    ("namespace", "codes"),
    [
        ("status", Status),
        ("kind", EventKind),
        ("unable", UnableReason),
        ("arrival", ArrivalCheck),
        ("skill", SkillLevel),
        ("badge", BadgeStatus),
        ("bill", ["reserved", "unable", "overtime", "expedite"]),
        ("lang", ["en", "ja"]),
    ],
)
def test_every_code_of_the_contract_has_a_text(namespace, codes):
    missing = [f"{namespace}.{c}" for c in codes if f"{namespace}.{c}" not in CATALOG]
    assert not missing


def _refusal_codes() -> set[str]:
    """Every code the rules and the service can refuse with: the literal first argument of each Refused(...)
    and every string a code-valued helper or table holds, found in the source so a new code cannot hide."""
    codes: set[str] = set()
    for path in [*(ROOT / "api_client").rglob("*.py"), *(ROOT / "dispatch").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"Refused", "_require"}:
                args = node.args if node.func.id == "Refused" else node.args[2:3]
                for arg in args[:1]:
                    for const in ast.walk(arg):
                        if isinstance(const, ast.Constant) and isinstance(const.value, str):
                            codes.add(const.value)
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_code"):
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Constant) and isinstance(ret.value, str):
                        codes.add(ret.value)
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "").endswith("_CODES") for t in node.targets):
                for const in ast.walk(node.value):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        codes.add(const.value)
    return codes


def test_every_refusal_code_has_a_general_sentence_needing_no_values():
    codes = _refusal_codes()
    assert {"not_approved", "wrong_status", "locked", "confirmation_missing", "device_clock_ahead"} <= codes
    missing = sorted(c for c in codes if f"refused.{c}" not in CATALOG)
    assert not missing, f"refusal codes without a text: {missing}"
    for code in codes:
        assert not _names(CATALOG[f"refused.{code}"][0]), code  # the app shows it by code alone


def test_refusal_message_is_the_catalogs_english_with_detail_when_given():
    assert Refused("not_on_site").message == text("refused.not_on_site", "en")
    detailed = Refused("engineer_count", requested=2, proposed=1).message
    assert detailed == "The request asks for 2 engineer(s); 1 proposed."
    assert (
        refusal("engineer_count", "ja", requested=2, proposed=1)
        == "依頼はエンジニア 2 名ですが、1 名が提案されました。"
    )
    assert refusal("a_code_from_a_newer_server", "ja") == "a_code_from_a_newer_server"


def test_app_strings_do_not_repeat_the_catalog():
    assert not set(MESSAGES) & set(CATALOG)


def test_money_follows_the_currency_and_the_readers_locale():
    assert money(Decimal(24000), "JPY", "en") == "¥24,000"
    assert money(Decimal(24000), "JPY", "ja") == "￥24,000"
    assert money(Decimal("1234.5"), "USD", "en") == "$1,234.50"
    assert money(Decimal("1234.5"), "EUR", "ja") == "€1,234.50"


def test_site_time_is_the_sites_clock_with_its_zone():
    moment = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    assert site_datetime(moment, "Asia/Tokyo", "en") == "Tue 24 Nov 14:00 JST"
    assert site_datetime(moment, "Asia/Tokyo", "ja", year=True) == "2026年11月24日(火) 14:00 JST"
    assert site_datetime(moment, "Europe/London", "en", year=True) == "Tue 24 Nov 2026 05:00 GMT"


def test_documents_put_japanese_first_when_both_are_asked():
    assert reading_order(["en", "ja"]) == ["ja", "en"]
    assert reading_order(["en"]) == ["en"] and reading_order(["ja"]) == ["ja"]
