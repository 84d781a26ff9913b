"""Japanese line breaking in the report: phrases stay whole and no line starts with closing punctuation."""

from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch.line_breaking import NO_LINE_END, NO_LINE_START, segments, wrap


def width(s: str) -> float:
    return sum(2 if ord(c) > 0x2000 else 1 for c in s)


def test_budoux_phrases_keep_punctuation_with_what_precedes():
    assert segments("ケーブルを確認しました。「完了」と報告（済み）。") == [
        "ケーブルを",
        "確認しました。",
        "「完了」と",
        "報告",
        "（済み）。",
    ]


def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_bracket():
    text = "サーバーラックの電源を入れ、ケーブルを確認しました。「完了」と報告（済み）。" * 3
    for w in range(6, 40):
        lines = wrap(text, w, width)
        assert "".join(lines) == text
        assert all(line[0] not in NO_LINE_START for line in lines if line), (w, lines)
        assert all(line[-1] not in NO_LINE_END for line in lines if line), (w, lines)


def test_latin_breaks_between_words_and_long_tokens_by_character():
    assert wrap("Swapped the core switch", 12, width) == ["Swapped the", "core switch"]
    assert wrap("a" * 30, 12, width) == ["a" * 12, "a" * 12, "a" * 6]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="あいうえおかきくけこ漢字。、「」（）ー abc", min_size=1, max_size=80), st.integers(4, 30))
def test_wrapping_loses_no_text_and_respects_kinsoku(text, w):
    lines = wrap(text, w, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines[1:]:
        assert not line or line[0] not in NO_LINE_START
