"""Columns of ``pdftotext -layout`` text printed from a proportional font.

There a position is a character count, not a display width, and the columns
line up only roughly: pdftotext moves a cell's text right when the text before
it on the line is wider than its characters count for, so one column starts a
few characters apart from line to line and cells may be one space apart.  A
column's left edge is where many words start: for each header label, the most
frequent word start between the previous column and the label (labels are
centred, so a column starts at or left of its label), taken a few characters
further left where words start there too.  Whole words go to the column they
start in.  The layout reader falls back to these when the display columns of a
page do not line up (see ``layout.parse_layout``).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from .table import REQUIRED, header_columns, header_key, header_problem, is_wide, row_number

WORD = re.compile(r"\S+")
SEGMENT = re.compile(r"\S+(?: \S+)*")  # words one space apart
NARROW = 0.55  # the width of a narrow character of a proportional font, in full-width characters
JITTER = 3  # how far (in characters) a line's cell may start from its column's usual start
MAX_HEADER_LINES = 4
LEADING = ("no", *REQUIRED)  # the columns every row fills in, first on the line a row starts on
MAX_LABEL = 40  # longer words are not looked into for two labels


def words(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every run of non-space characters, positions in characters."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(line)]


def read_header(lines: list[str], start: int) -> tuple[list[str], list[tuple[int, int]], int]:
    """Labels, their positions on the header line, and the index after the header block.

    The block goes on, up to a row's first line, while a label is unfinished (not yet a known
    column, or a bracket still open: 「事業内容(全国各地との連携事業に関す」 / 「る内容)」); a
    word on a following line that names no column finishes the nearest label left unfinished
    by the lines above; any other word is a label of its own."""
    labels = [[text, s, e] for s, e, text in header_words(lines[start])]
    index = start + 1
    while index < min(len(lines), start + MAX_HEADER_LINES) and _unfinished(labels) and lines[index].strip():
        line_words = header_words(lines[index])
        if line_words and row_number(line_words[0][2]) is not None:
            break  # a row starts
        open_labels = [label for label in labels if _unfinished_label(label[0])]
        for s, e, text in line_words:
            owner = min(open_labels, key=lambda label: abs(label[1] - s), default=None)
            if owner is None or header_key(text):
                labels.append([text, s, e])
            else:
                owner[0] += text
        labels.sort(key=lambda label: label[1])
        index += 1
    return [label[0] for label in labels], [(s, e) for _, s, e in labels], index


def header_words(line: str) -> list[tuple[int, int, str]]:
    """The words of a header line, two labels printed without a space between them split apart:
    「関係自治体(過去)事業内容(…」."""
    result = []
    for s, e, text in words(line):
        cut = next(
            (
                i
                for i in range(2, min(len(text), MAX_LABEL))
                if header_key(text[i:]) and header_key(text[:i]) and not _unfinished_label(text[:i])
            ),
            None,
        )
        result += [(s, s + cut, text[:cut]), (s + cut, e, text[cut:])] if cut else [(s, e, text)]
    return result


def _unfinished_label(text: str) -> bool:
    return header_key(text) is None or text.count("(") + text.count("（") > text.count(")") + text.count("）")


def _unfinished(labels: list) -> bool:
    texts = [label[0] for label in labels]
    return header_problem(header_columns(texts), texts) is not None or any(map(_unfinished_label, texts))


@dataclass(frozen=True)
class Columns:
    """Where the columns of a page start, how much a line of each holds (in full-width
    characters), and how many leading columns the first words of a row's first line fill."""

    starts: list[float]
    room: list[float]
    leading: int
    row: list[int] = field(default_factory=list)  # where the leading words of the row being read start


def column_bounds(lines: list[str], spans: list[tuple[int, int]], columns: list[str]) -> Columns:
    """Where each column starts.  The leading columns (No. and the cells every row fills in:
    所管局, 分野, 新規継続, 事業名) hold the first words of a row's first line, one each; a column
    starts where its word does on the row whose cells before it are widest (pdftotext pulls a
    word left after a short one).  Each other column starts where most of its words start, at
    most one right of its label (labels are centred) and past the jitter of the column before:
    for the first of them, the words after the leading ones on a row's first line; for the
    rest, the words that begin a line or follow two spaces (a cell's words are one space apart)."""
    leading = next((i for i, key in enumerate(columns) if key not in LEADING), len(columns))
    firsts: list[list[int]] = [[] for _ in range(leading + 1)]
    widest = [0.0] * leading
    anchored, every = Counter(), Counter()
    for line in lines:
        line_words = words(line)
        if _starts_row(line_words, leading):
            for index, (s, _, text) in enumerate(line_words[: leading + 1]):
                firsts[index].append(s)
                if index < leading:
                    widest[index] = max(widest[index], ems(text))
        for s, _, _ in line_words:
            every[s] += 1
            anchored[s] += s < 2 or line[s - 2 : s] == "  "
    starts: list[int] = []
    for index, (label_start, _) in enumerate(spans):
        if index < leading and firsts[index]:
            usual = sorted(firsts[index])[len(firsts[index]) // 2]  # a row with an empty cell is no guide
            starts.append(max(p for p in firsts[index] if p <= usual + JITTER))
            continue
        low = starts[-1] + (2 if index <= leading else JITTER + 2) if starts else 0
        after = Counter(firsts[index]) if index == leading else Counter()
        for counts in (after, anchored, every):
            window = [p for p, n in counts.items() if n and low <= p <= label_start + 1]
            if window:
                starts.append(max(window, key=lambda p: (counts[p], -p)))
                break
        else:
            starts.append(max(label_start, low))
    return Columns(starts, [*widest, *_room(lines, starts)[leading:]], leading)


def leading_columns(line_words: list[tuple[int, int, str]], starts: list[float], leading: int) -> list[int]:
    """The leading column each of a row's first words fills, in order: the next one, unless the word
    starts well past it and nearer the column after (that cell is empty on this row, and the
    row's check says so rather than shifting the cells after it one column left)."""
    columns: list[int] = []
    column = 0
    for s, _, _ in line_words[:leading]:
        while 0 < column < leading - 1 and s - starts[column] > JITTER and s - starts[column] > starts[column + 1] - s:
            column += 1
        if column >= leading:
            break
        columns.append(column)
        column += 1
    return columns


def _starts_row(line_words: list[tuple[int, int, str]], leading: int) -> bool:
    return len(line_words) >= max(leading, 1) and row_number(line_words[0][2]) is not None


def ems(text: str) -> float:
    """How wide a text is, in full-width characters (a narrow one is about half of one)."""
    return sum(1 if is_wide(char) else NARROW for char in text)


def _room(lines: list[str], starts: list[int]) -> list[float]:
    """How much a line of each column holds: the widest single word seen starting there (a full
    line of a cell holds no space)."""
    room = [0.0] * len(starts)
    for line in lines:
        for match in SEGMENT.finditer(line):
            column = min(range(len(starts)), key=lambda k: abs(starts[k] - match.start()))
            if " " not in match.group() and abs(starts[column] - match.start()) <= JITTER:
                room[column] = max(room[column], ems(match.group()))
    return room


def fragments(line: str, columns: Columns) -> list[tuple[str, int]]:
    """The text of a line in each column (its words, one space apart) and its width in characters.
    On a row's first line the leading columns take a word each, and the others start as far left
    or right of where they do on the page as the last leading word does; on its next lines they start
    halfway between where they do on its first line and on the page's (pdftotext pulls a row's
    lines alike, but not quite), so the lines of a page are read in order.  Then a word starts the cell of
    the later column it starts nearest to among those it would fit in (so a narrow column's cell
    is not taken for its neighbour's); failing that, it goes on the cell before it if it is one
    space after it and that cell's line has room for it, and else starts the next cell (or the
    cell of the column it starts in, if further).  Only a number starts the No. column."""
    line_words = words(line)
    starts, room = columns.starts, columns.room
    lead: list[int] = []
    if _starts_row(line_words, columns.leading):
        lead = leading_columns(line_words, starts, columns.leading)
        columns.row[:] = starts[: columns.leading]
        for column, (s, _, _) in zip(lead, line_words, strict=False):
            columns.row[column] = s
        if lead:  # the rest of the line is pulled as its last leading word is
            pull = columns.row[lead[-1]] - starts[lead[-1]]
            starts = [*starts[: columns.leading], *(start + pull for start in starts[columns.leading :])]
    else:  # a row's next lines start where its first line and the page's rows do, on average
        starts = [(a + b) / 2 for a, b in zip(columns.row, starts, strict=False)] + starts[len(columns.row) :]
    parts: list[list[str]] = [[] for _ in starts]
    first = [0] * len(starts)
    ends = [0] * len(starts)
    current = -1
    for current, (s, e, text) in zip(lead, line_words, strict=False):
        parts[current], first[current], ends[current] = [text], s, e
    line_words = line_words[len(lead) :]
    for s, e, text in line_words:
        width = ems(text)
        lowest = current + 1 if current >= 0 or row_number(text) is not None else 1  # only a number is a No.
        near = [k for k in range(lowest, len(starts)) if abs(s - starts[k]) <= JITTER and width <= room[k] + 1]
        alone = s >= 2 and line[s - 2 : s] == "  "  # a cell's words are one space apart
        fits = current >= 0 and not alone and ems(" ".join([*parts[current], text])) <= room[current] + 1
        if near or not fits:
            by_position = max(bisect.bisect_right(starts, s) - 1, 0)
            nearest = min(near, key=lambda k: abs(s - starts[k]), default=max(lowest, by_position))
            current = min(nearest, len(starts) - 1)
            first[current] = s
        parts[current].append(text)
        ends[current] = e
    return [(" ".join(part), end - start) for part, start, end in zip(parts, first, ends, strict=True)]
