"""Read the fixed-width table that ``pdftotext -layout`` prints.

Columns are found per page from the header line(s) and refined by the layout.
Text from a monospaced font lines up in display columns (a wide character
takes two): a column boundary sits just right of a gutter (a display column
that is blank on every line of the page).  Text from a proportional font does
not; when the display columns give no table, ``proportional`` finds the
columns in characters instead.  A row starts where the No. column holds text;
lines with an empty No. column continue the cells of the row above, also
across a page break.  Wrapped lines are joined by ``table.join_wrapped``: no
space next to a wide character; between narrow characters a space, unless the
line filled its column (a soft wrap, as of a long URL).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import InputError, Problem
from ..source import Source
from . import proportional
from .table import (
    FOOTER,
    Row,
    check_rows,
    clean,
    header_columns,
    header_problem,
    is_header_text,
    join_wrapped,
)

LABEL_GAP = re.compile(r"\S+(?: \S+)*")


def char_width(char: str) -> int:
    """Display columns a character takes: East Asian wide and ambiguous take two."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WFA" else 1


def positioned(line: str) -> list[tuple[int, str]]:
    """(display column, character) for every character of a line."""
    result, column = [], 0
    for char in line:
        result.append((column, char))
        column += char_width(char)
    return result


def chunks(line: str) -> list[tuple[int, int, str]]:
    """Runs of text separated by two or more spaces: (start col, end col, text)."""
    cols = positioned(line)
    result = []
    for match in LABEL_GAP.finditer(line):
        start = cols[match.start()][0]
        last_col, last_char = cols[match.end() - 1]
        result.append((start, last_col + char_width(last_char), match.group()))
    return result


def blank_columns(lines: list[str]) -> set[int]:
    """Display columns that are not covered by a visible character on any line."""
    covered: set[int] = set()
    for line in lines:
        for column, char in positioned(line):
            if not char.isspace():
                covered.update(range(column, column + max(char_width(char), 1)))
    return {c for c in range(max(covered, default=0) + 2) if c not in covered}


@dataclass
class Page:
    """A header and the lines under it, up to the next header."""

    header_line: int
    columns: list[str]
    label_spans: list[tuple[int, int]]
    lines: list[tuple[int, str]] = field(default_factory=list)
    bounds: list = field(default_factory=list)  # what the grid's fragments need: left edges …


def read_header(lines: list[str], start: int) -> tuple[list[str], list[tuple[int, int]], int]:
    """Labels, their spans, and the index after the header block (wrapped labels joined)."""
    labels = [[text, s, e] for s, e, text in chunks(lines[start])]
    index = start + 1
    while index < len(lines) and lines[index].strip() and not _starts_row(lines[index], labels):
        for s, e, text in chunks(lines[index]):
            owner = max(
                (label for label in labels if label[1] <= s + 1),
                key=lambda x: x[1],
                default=labels[0],
            )
            owner[0] += text
            owner[2] = max(owner[2], e)
        index += 1
    return [label[0] for label in labels], [(s, e) for _, s, e in labels], index


def _starts_row(line: str, labels: list) -> bool:
    first_end = labels[1][1] if len(labels) > 1 else 4
    return line[:first_end].strip().isdigit()


def column_bounds(lines: list[str], spans: list[tuple[int, int]], columns: list[str]) -> list[int]:
    """Left edges of the columns: header starts moved left to the nearest gutter."""
    blank = blank_columns(lines)
    bounds = [0]
    for (prev_start, prev_end), (start, _) in itertools.pairwise(spans):
        edge = start
        for candidate in range(start, max(prev_end, prev_start + 1) - 1, -1):
            if candidate - 1 in blank:
                edge = candidate
                break
        bounds.append(edge)
    return bounds


def fragments(line: str, bounds: list[int]) -> list[tuple[str, int]]:
    """The text of a line in each column (stripped) and how wide it is, in display columns."""
    parts: list[list[tuple[int, str]]] = [[] for _ in bounds]
    for column, char in positioned(line):
        parts[bisect.bisect_right(bounds, column) - 1].append((column, char))
    result = []
    for part, bound in zip(parts, bounds, strict=True):
        text = "".join(char for _, char in part)
        visible = [(c, ch) for c, ch in part if not ch.isspace()]
        end = visible[-1][0] + char_width(visible[-1][1]) if visible else 0
        result.append((text.strip(), end - bound if visible else 0))
    return result


@dataclass(frozen=True)
class Grid:
    """How the columns of a page line up: how to read its header, find the columns' left edges
    and cut a line into the columns."""

    read_header: Callable[[list[str], int], tuple[list[str], list[tuple[int, int]], int]]
    column_bounds: Callable[[list[str], list[tuple[int, int]], list[str]], list]
    fragments: Callable[[str, list], list[tuple[str, int]]]  # (text, width) per column


MONOSPACE = Grid(read_header, column_bounds, fragments)  # display columns, gutters between them
PROPORTIONAL = Grid(proportional.read_header, proportional.column_bounds, proportional.fragments)


def split_pages(lines: list[str], file: str, problems: list[Problem], grid: Grid) -> list[Page]:
    """Group the lines under their headers; skip blank lines and page footers."""
    pages: list[Page] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if is_header_text(line):
            labels, spans, index = grid.read_header(lines, index)
            columns = header_columns(labels)
            message = header_problem(columns, labels)
            if message:
                problems.append(Problem.at(file, index, message))
                columns = None
            if columns is not None:
                pages.append(Page(index, columns, spans))
            continue
        if pages and line.strip() and not _is_footer(lines, index):
            pages[-1].lines.append((index + 1, line))
        index += 1
    return pages


def _is_footer(lines: list[str], index: int) -> bool:
    """A page number: ``- 3 -`` anywhere, a bare number only where a page ends."""
    line = lines[index]
    if not FOOTER.match(line):
        return False
    if not line.strip().isdigit():
        return True
    following = next((ln for ln in lines[index + 1 :] if ln.strip()), None)
    return following is None or is_header_text(following) or "\f" in lines[index + 1]


def parse_layout(lines: list[str], file: str) -> list[Row]:
    """Rows of the fixed-width form, continuation lines joined into their cells: in display
    columns (a monospaced PDF) or, when those do not line up, in characters (a proportional
    font); when neither reads, the problems reported are those of the reading that has fewer
    (a row with an empty cell breaks every line of a misread grid, and one line of the right one)."""
    lines = [line.replace("\f", "") for line in lines]
    try:
        return _parse(lines, file, MONOSPACE)
    except InputError as error:
        try:
            return _parse(lines, file, PROPORTIONAL)
        except InputError as other:
            raise min(error, other, key=lambda e: len(e.problems)) from None


def _parse(lines: list[str], file: str, grid: Grid) -> list[Row]:
    problems: list[Problem] = []
    pages = split_pages(lines, file, problems, grid)
    for page in pages:
        page.bounds = grid.column_bounds([text for _, text in page.lines], page.label_spans, page.columns)
    widths = _column_widths(pages, grid)
    builders: list[_RowBuilder] = []
    for page in pages:
        for number, line in page.lines:
            parts = grid.fragments(line, page.bounds)
            cells = dict(zip(page.columns, parts, strict=False))
            if cells.get("no", ("", 0))[0]:
                builders.append(_RowBuilder(Source(file, number), page.columns))
            elif not builders:
                problems.append(Problem.at(file, number, "text outside any row (no No. above it)"))
                continue
            builders[-1].add(number, cells, widths)
    rows = [builder.row() for builder in builders]
    return check_rows(rows, problems, file, seen_header=bool(pages))


def _column_widths(pages: list[Page], grid: Grid) -> dict[str, int]:
    """Widest text seen in each column over the whole document (the wrap width)."""
    widths: dict[str, int] = {}
    for page in pages:
        for _, line in page.lines:
            for key, (_, width) in zip(page.columns, grid.fragments(line, page.bounds), strict=False):
                widths[key] = max(widths.get(key, 0), width)
    return widths


class _RowBuilder:
    """Collects the fragments of one row, line by line."""

    def __init__(self, source: Source, columns: list[str]):
        self.source = source
        self.raw: dict[str, list[str]] = {key: [] for key in columns}
        self.joined: dict[str, str] = {key: "" for key in columns}
        self.full: dict[str, bool] = {key: False for key in columns}

    def add(self, line: int, cells: dict[str, tuple[str, int]], widths: dict[str, int]) -> None:
        self.source = self.source.to(line)
        for key, (text, width) in cells.items():
            if not text:
                continue
            self.raw.setdefault(key, []).append(text)
            self.joined[key] = join_wrapped(self.joined.get(key, ""), text, self.full.get(key, False))
            self.full[key] = width >= widths.get(key, 0) - 1

    def row(self) -> Row:
        raw = {key: "\n".join(parts) for key, parts in self.raw.items()}
        text = {key: clean(value) for key, value in self.joined.items()}
        return Row(self.source, raw, text)
