"""A PDF page as plain values: characters with their boxes, the ruled tables' cells they fall in,
and the lines of text in a cell.  Nothing here calls the PDF library.

A merged cell spans rows (or columns) with no rule between them: pdfplumber gives it once,
in the row it starts in, and nothing in the rows it covers.  ``place`` keeps every row the
width of its table: a covered place is a ``Cell`` marked ``covered`` (by the cell above or
the one to its left), with its column's sides and its row's top and bottom, and collects
the characters drawn there like any cell; read/ruled.py gives them to the merged cell.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field

from .chars import standard_chars
from .table import clean, join_wrapped


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    order: int  # where the page draws it: the reading order, unless it jumps back

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char] = field(default_factory=list)
    covered: str = ""  # "above" or "left": a place a merged cell spans ("": a cell of its own)


@dataclass
class Page:
    """One page as plain values: its ruled tables (rows of cells with their characters) and the
    characters outside them."""

    number: int
    tables: list[list[list[Cell]]]
    outside: list[Char]
    has_text: bool
    cut: bool = False  # its last row runs on to the next page (no rule under it)


Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def place(number: int, chars: list[Char], grids: list[list[list[Box | None]]]) -> Page:
    """Put each character in the cell (or covered place) its middle falls in; the rest stay outside."""
    tables = sorted((t for t in map(grid, grids) if t), key=lambda t: t[0][0].top)
    rows = sorted((row for table in tables for row in table), key=lambda row: row[0].top)
    tops = [row[0].top for row in rows]
    lefts = [[cell.x0 for cell in row] for row in rows]
    outside = []
    for char in chars:
        x, y = char.centre, char.middle
        i = bisect.bisect_right(tops, y) - 1
        j = bisect.bisect_right(lefts[i], x) - 1 if i >= 0 else -1
        cell = rows[i][j] if j >= 0 else None
        if cell is not None and x <= cell.x1 and y <= cell.bottom:
            cell.chars.append(char)
        else:
            outside.append(char)
    return Page(number, tables, outside, has_text=any(not c.text.isspace() for c in chars))


def grid(boxes: list[list[Box | None]]) -> list[list[Cell]]:
    """A ruled table's rows, each as wide as the table: a cell for each box, a covered place for
    each None (a merged cell spans it), with its column's sides and its row's top and bottom."""
    boxes = [row for row in boxes if any(box is not None for box in row)]
    if not boxes:
        return []
    width = max(len(row) for row in boxes)
    boxes = [row + [None] * (width - len(row)) for row in boxes]
    lefts = [min(row[j][0] for row in boxes if row[j] is not None) for j in range(width)]
    last_right = min(row[-1][2] for row in boxes if row[-1] is not None)
    rights = [*lefts[1:], last_right]
    tops = [min(box[1] for box in row if box is not None) for row in boxes]
    bottoms = [min(box[3] for box in row if box is not None) for row in boxes]
    rows = []
    for row, top, bottom in zip(boxes, tops, bottoms, strict=True):
        cells, reach = [], 0.0  # reach: where the last cell of its own in this row ends
        for j, box in enumerate(row):
            if box is not None:
                cells.append(Cell(*box))
                reach = box[2]
                continue
            by = "left" if reach > lefts[j] + 1 else "above"
            cells.append(Cell(lefts[j], top, rights[j], bottom, covered=by))
        rows.append(cells)
    return rows


@dataclass(frozen=True)
class Line:
    """One line of text in a cell: how much room was left at its end, how wide its first character."""

    text: str
    room: float
    first: float


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines (top to bottom), each in the order the page draws them, or left
    to right where that order jumps back (a bracket pulled left by spacing trim stays in place);
    overprinted copies (fake bold) dropped."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c.middle, c.x0)):
        if lines and char.middle - lines[-1][0].middle < 0.5 * max(char.size, lines[-1][0].size):
            lines[-1].append(char)
        else:
            lines.append([char])
    result = []
    for line in lines:
        line.sort(key=lambda c: c.order)
        if any(b.x0 < a.x0 - 0.6 * a.size for a, b in itertools.pairwise(line)):
            line.sort(key=lambda c: c.x0)
        result.append([c for i, c in enumerate(line) if not i or not _same(c, line[i - 1])])
    return result


def _same(a: Char, b: Char) -> bool:
    return a.text == b.text and abs(a.x0 - b.x0) < 0.5 and abs(a.top - b.top) < 0.5


def line_text(chars: list[Char]) -> str:
    """The characters of a line in their standard form; a space where the gap between two is wider
    than a quarter em."""
    parts = [chars[0].text]
    for before, char in itertools.pairwise(chars):
        if char.x0 - before.x1 > 0.25 * char.size and not (before.text.isspace() or char.text.isspace()):
            parts.append(" ")
        parts.append(char.text)
    return standard_chars("".join(parts))


def cell_lines(cell: Cell) -> list[Line]:
    """The lines of a cell; the room at a line's end is measured to the cell's right padding
    (taken equal to its left padding)."""
    lines = [line for line in text_lines(cell.chars) if "".join(c.text for c in line).strip()]
    if not lines:
        return []
    padding = max(min(line[0].x0 for line in lines) - cell.x0, 0)
    right = cell.x1 - padding
    return [Line(line_text(line), right - line[-1].x1, line[0].x1 - line[0].x0) for line in lines]


def cell_text(lines: list[Line]) -> tuple[str, str]:
    """(verbatim, cleaned): lines joined with a line break, and by the join rule."""
    raw = "\n".join(line.text.strip() for line in lines)
    text = ""
    for before, line in zip([None, *lines], lines, strict=False):
        text = join_wrapped(text, line.text, soft=before is not None and line.first > before.room + 0.5)
    return raw, clean(text)
