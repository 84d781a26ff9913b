"""Every decision of the sign-off screen, as tables over its models (no screen, no server)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api_client.rules.lifecycle import Status as S
from field_app.actions import VisitActions
from field_app.sign_off import MIN_POINTS, SignOffDraft, SignOffModel, client_language
from tests.app.screens import NOW, assignment, device, log_entry, request, visit

NEED_SIGNATURE = "Please sign in the box"
STEPS = [
    {"title": "Swap", "confirm_after": "Users online"},
    {"title": "Label", "detail": "nothing to confirm"},
    {"title": "Tidy", "confirm_after": "Rack closed"},
]


def drawn(*lengths: int) -> list[list[tuple[float, float]]]:
    return [[(float(i), float(n)) for i in range(n)] for n in lengths]


@pytest.mark.parametrize(
    ("strokes", "signed"),
    [
        ([], False),
        (drawn(1), False),  # a tap is not a signature
        (drawn(MIN_POINTS - 1), False),
        (drawn(MIN_POINTS), True),
        (drawn(2, 3), True),  # counted over every stroke
        (drawn(1, 1, 1, 1), False),
    ],
)
def test_a_signature_needs_enough_drawn_points(strokes, signed):
    assert SignOffDraft("ASG-1", strokes=strokes).has_signature is signed


def test_drawing_keeps_strokes_as_data():
    draft = SignOffDraft("ASG-1")
    draft.extend_stroke(1.04, 2.06)  # a drag that began outside the pad starts a stroke
    draft.extend_stroke(3, 4)
    draft.start_stroke(10, 10)
    draft.extend_stroke(11.26, 10)
    assert draft.strokes == [[(1.0, 2.1), (3, 4)], [(10, 10), (11.3, 10)]]
    draft.clear_signature()
    assert draft.strokes == [] and not draft.has_signature
    draft.toggle_step(2)
    draft.toggle_step(0)
    draft.toggle_step(2)
    draft.toggle_approve_leaving()
    draft.toggle_language()
    assert (draft.confirmed_steps, draft.approve_leaving, draft.language) == ([0], True, "ja")


OK = ""


@pytest.mark.parametrize(
    ("status", "name", "strokes", "leaving", "steps", "refusal"),
    [
        (S.working, "Ken Ito", [], True, [0, 2], NEED_SIGNATURE),  # checked before the rules
        (S.working, "Ken Ito", drawn(8), False, [0, 2], "leaving_not_approved"),
        (S.working, "Ken Ito", drawn(8), True, [0], "confirmation_missing"),
        (S.working, "Ken Ito", drawn(8), True, [], "confirmation_missing"),
        (S.working, "   ", drawn(8), True, [0, 2], "Signer's name"),  # the field, named
        (S.arrived, "Ken Ito", drawn(8), True, [0, 2], "not_working"),  # start the work first
        (S.working, "Ken Ito", drawn(8), True, [0, 2], OK),
        (S.working, "Ken Ito", drawn(3, 3), True, [0, 1, 2], OK),  # a step with nothing to confirm may be ticked
    ],
)
def test_submitting_the_sign_off(tmp_path, status, name, strokes, leaving, steps, refusal):
    a = assignment(visit(status), request(work={"summary": "Swap", "steps": STEPS}))
    state = device(tmp_path / "d.sqlite3", a)
    draft = SignOffDraft(a.id, language="ja", signer_name=name, approve_leaving=leaving, confirmed_steps=steps)
    draft.strokes = strokes
    result = draft.submit(VisitActions(state, a.id), NEED_SIGNATURE)
    assert result.ok is (refusal == OK) and draft.error == result.message
    sent = state.actions(a.id)
    if refusal == OK:
        assert [e.kind for e in sent] == ["sign_off"] and sent[0].body["language"] == "ja"
        assert sent[0].body["signer_name"] == name and state.visit(a).status is S.signed_off  # locked at once
    else:
        assert sent == [] and state.visit(a).status is status  # nothing recorded
        expected = state.refusal_text(refusal, "") or refusal
        assert expected in draft.error


@pytest.mark.parametrize(
    ("languages", "engineer", "client"),
    [
        (["ja"], "en", "ja"),  # the request names the client's language
        (["en"], "ja", "en"),
        (["en", "ja"], "ja", "ja"),  # a bilingual client: start in the engineer's
        (["en", "ja"], "en", "en"),
    ],
)
def test_the_hand_over_starts_in_the_clients_language(languages, engineer, client):
    assert client_language(assignment(visit(S.working), request(languages=languages)), engineer) == client


@pytest.mark.parametrize(
    ("status", "log", "with_card", "on_site", "log_lines", "billed"),
    [
        (S.working, [], True, timedelta(minutes=25), [], True),
        (S.working, ["Swapped"], True, timedelta(minutes=25), ["Swapped"], True),
        (S.working, [], False, timedelta(minutes=25), [], False),  # no rate card on the device yet: no bill
        (S.arrived, [], True, None, [], True),  # no arrival in this copy: no time on site to show
    ],
)
def test_what_the_client_reads_before_signing(tmp_path, status, log, with_card, on_site, log_lines, billed):
    a = assignment(visit(status, log=[log_entry(t) for t in log]), request(work={"summary": "Swap", "steps": STEPS}))
    state = device(tmp_path / "d.sqlite3", a)
    if not with_card:
        state.rate_card = None
    m = SignOffModel.of(state, a, NOW)
    assert m.on_site == on_site
    assert [e.text for e in m.log] == log_lines
    assert (m.bill is not None) is billed and (m.card is not None) is with_card
    assert [(i, s.title) for i, s in m.steps_to_confirm] == [(0, "Swap"), (2, "Tidy")]
    assert m.site == a.request.locations[0].name
