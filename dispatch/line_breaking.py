"""Line breaking for the PDF: Japanese by phrase (BudouX) with the JIS X 4051 basics, Latin by word.

fpdf2 breaks Japanese anywhere, so 「。」 may start a line and a phrase splits mid-word. Here a paragraph is cut
into segments — BudouX phrases inside Japanese runs, words elsewhere — and lines are filled greedily:
- no line starts with closing brackets or punctuation (。、」）etc.); such a character stays with what precedes it
  and may hang past the margin (burasage), as Japanese typesetting allows;
- no line ends with an opening bracket (「（ etc.); it moves down with what follows;
- a segment wider than the whole line (a long URL, a hash) is broken by character under the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import budoux

# JIS X 4051 line-start prohibited characters (gyōtō kinsoku), the common subset, and line-end prohibited ones.
NO_LINE_START = frozenset(
    "、。，．,.)]｝}〕〉》」』】〙〗〟’”»ヽヾーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～？！?!‼⁇⁈⁉・：；:;/）"
)
NO_LINE_END = frozenset("([｛{〔〈《「『【〘〖〝‘“«（")
# Hiragana, katakana, CJK ideographs, full-width forms and CJK punctuation: where BudouX finds phrases.
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SPACES = re.compile(r"(\s+)")

Measure = Callable[[str], float]


@lru_cache(maxsize=1)
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def segments(paragraph: str) -> list[str]:
    """The unbreakable pieces of a paragraph, spaces kept as their own pieces."""
    pieces: list[str] = []
    for chunk in _SPACES.split(paragraph):
        if not chunk:
            continue
        pieces.extend(_parser().parse(chunk) if _JAPANESE.search(chunk) else [chunk])
    merged: list[str] = []
    for piece in pieces:
        # A piece that may not start a line joins the previous one; an opening bracket joins the next.
        joinable = bool(merged) and not merged[-1].isspace() and not piece.isspace()
        if joinable and (piece[0] in NO_LINE_START or merged[-1][-1] in NO_LINE_END):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _split_long(piece: str, width: float, measure: Measure) -> list[str]:
    """Break one over-wide piece by character, keeping kinsoku characters on the right side."""
    out, current = [], ""
    for char in piece:
        if current and measure(current + char) > width and char not in NO_LINE_START:
            if current[-1] in NO_LINE_END and len(current) > 1:  # carry the opening bracket down
                out.append(current[:-1])
                current = current[-1]
            else:
                out.append(current)
                current = ""
        current += char
    if current:
        out.append(current)
    return out


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Lines of `text` no wider than `width` (by `measure`), breaking only where the rules above allow."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for piece in segments(paragraph):
            if piece.isspace():
                current += " " if current else ""
                continue
            # The line as it would be, measured once: it is also what the over-wide check below measures
            # when the piece stays on this line (the report measures ~10,000 candidate lines).
            candidate = current + piece
            current_width = measure(candidate)
            if current_width <= width or not current.strip() or piece[0] in NO_LINE_START:
                current = candidate  # a piece that may not start a line hangs at the end of this one
            else:
                lines.append(current.rstrip())
                current = piece
                current_width = measure(current)
            if current_width > width:  # one piece wider than a line
                parts = _split_long(current, width, measure)
                lines.extend(parts[:-1])
                current = parts[-1]
        lines.append(current.rstrip())
    return lines
