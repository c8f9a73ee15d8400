"""The table model every reader of the list produces: the columns, rows with their source
lines, header labels, the title's fiscal year and as-of date, and the checks all forms share.
Imports nothing of read/: the readers import it."""

from __future__ import annotations

import datetime
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from ..errors import InputError, Problem
from ..source import Source

COLUMNS = (
    "no",
    "bureau",
    "field",
    "status",
    "name",
    "partners_current",
    "partners_past",
    "description",
    "remarks",
)

# The header row as the FY2022 list prints it, one label per column of COLUMNS.
LIST_HEADER = (
    "No.",
    "所管局",
    "分野",
    "新規継続",
    "事業名",
    "関係自治体(現在)",
    "関係自治体(過去)",
    "事業内容(全国各地との連携事業に関する内容)",
    "備考",
)

HEADER_SUMMARY = "No. 所管局 分野 … 備考"  # the header row, as problems name it

# Header label (NFKC, spaces removed) -> column key; first match by prefix wins.
HEADER_LABELS = (
    ("no.", "no"),
    ("no", "no"),
    ("番号", "no"),
    ("所管局", "bureau"),
    ("分野", "field"),
    ("新規継続", "status"),
    ("新規・継続", "status"),
    ("事業名", "name"),
    ("関係自治体(現在)", "partners_current"),
    ("関係自治体(過去)", "partners_past"),
    ("事業内容", "description"),
    ("備考", "remarks"),
)

ERA_START = {"令和": 2018, "平成": 1988}
TITLE_YEAR = re.compile(r"(令和|平成)(元|\d+)年度|(\d{4})年度")
TITLE_AS_OF = re.compile(r"(?:(令和|平成)(元|\d+)|(\d{4}))年(\d{1,2})月(\d{1,2})日(?:時点|現在)")
FOOTER = re.compile(r"^\s*(?:[-‐–−]\s*\d+\s*[-‐–−]|\d+\s*/\s*\d+|\d+)\s*$")
WHITESPACE = re.compile(r"\s+")
MAX_ERRORS_PER_FILE = 50


@dataclass(frozen=True)
class Row:
    """One project row: where it came from (its lines, pages or sheet rows), its verbatim cells
    and cleaned cells."""

    source: Source
    raw: dict[str, str]
    text: dict[str, str]
    rest_lost: bool = False  # in a PDF: cut at its last page's end, and the next page does not go on with it


@dataclass(frozen=True)
class Table:
    """A whole yearly list as read from one file."""

    file: str
    encoding: str
    form: str  # "tsv", "layout", "pdf" or "xlsx"
    title: str
    fiscal_year: int | None
    as_of: str | None
    rows: tuple[Row, ...]
    gaps: tuple[str, ...] = ()  # numbers the No. column skips ("18–26"), when the user allowed them


def fold(text: str) -> str:
    """NFKC and no spaces: the form header labels and numbers are matched in."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def clean(text: str) -> str:
    """Collapse every run of whitespace (line breaks, tabs, U+3000) to one space."""
    return WHITESPACE.sub(" ", text).strip()


def is_wide(char: str) -> bool:
    """East Asian wide or full-width (W/F): kanji, kana, full-width forms, 、 and 。."""
    return unicodedata.east_asian_width(char) in "WF"


def join_wrapped(before: str, after: str, soft: bool = False) -> str:
    """A cell's text with its next wrapped line appended: no space when either side of the join
    is wide; a space between narrow characters, unless ``soft`` (the line filled its column, so
    a word was broken where the column ended, as a long URL is)."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after or soft or is_wide(before[-1]) or is_wide(after[0]):
        return before + after
    return f"{before} {after}"


def header_key(label: str) -> str | None:
    """The column key a header label names, or None."""
    folded = fold(label)
    return next((k for prefix, k in HEADER_LABELS if folded.startswith(prefix)), None)


def header_columns(labels: list[str]) -> list[str] | None:
    """Map header labels to column keys, or None if this is not a header line."""
    keys = []
    for label in labels:
        key = header_key(label)
        if key is None or key in keys:
            return None
        keys.append(key)
    return keys if {"no", "bureau", "name"} <= set(keys) else None


def header_problem(columns: list[str] | None, labels: list[str]) -> str | None:
    """Why a header line cannot be used, or None when it has every column."""
    if columns is None:
        shown = " | ".join(clean(label) for label in labels)
        return f"unrecognised header (unknown or repeated column): {shown}"
    missing = [key for key in COLUMNS if key not in columns]
    return f"header lacks columns: {', '.join(missing)}" if missing else None


def is_header_text(line: str) -> bool:
    folded = fold(line)
    return folded.startswith(("no", "番号")) and "所管局" in folded and "事業名" in folded


def parse_title(lines: list[str]) -> tuple[str, int | None, str | None]:
    """The title line before the first header (the first that names a fiscal year), and the as-of
    date wherever it sits in the title block (the title's own line, a line of its own, brackets;
    令和, 平成 or 西暦): (title, fiscal year, as-of date)."""
    block = list(itertools.takewhile(lambda line: not is_header_text(line), lines))
    folded = [unicodedata.normalize("NFKC", clean(line)) for line in block]
    dates = (_as_of(line) for line in folded)
    as_of = next((found for found in dates if found), None)
    for line, normal in zip(block, folded, strict=True):
        year_match = TITLE_YEAR.search(normal)
        if year_match:
            return clean(line), _fiscal_year(year_match), as_of
    return "", None, as_of


def _era_year(era: str, number: str) -> int:
    return ERA_START[era] + (1 if number == "元" else int(number))


def _fiscal_year(match: re.Match[str]) -> int:
    if match.group(3):
        return int(match.group(3))
    return _era_year(match.group(1), match.group(2))


def _as_of(line: str) -> str | None:
    """An as-of date (…年…月…日時点 or 現在, in 令和, 平成 or 西暦) in a line (NFKC), as YYYY-MM-DD."""
    match = TITLE_AS_OF.search(line.replace(" ", ""))
    if not match:
        return None
    era, number, western, month, day = match.groups()
    year = int(western) if western else _era_year(era, number)
    try:
        return datetime.date(year, int(month), int(day)).isoformat()
    except ValueError:
        return None


REQUIRED = {"bureau": "所管局", "field": "分野", "status": "新規継続", "name": "事業名"}


def row_number(text: str) -> int | None:
    """The No. cell as a number (full-width digits allowed), or None."""
    folded = fold(text)
    return int(folded) if re.fullmatch(r"[0-9]{1,6}", folded) else None


def check_rows(rows: list[Row], problems: list[Problem], file: str, seen_header: bool, unit: str = "line") -> list[Row]:
    """Check numbering and required cells, and raise every problem found; return the rows."""
    if not seen_header:
        problems.append(Problem.at(file, 1, f"no header line ({HEADER_SUMMARY}) found"))
    first_line: dict[int, int] = {}
    for row in rows:
        no = row_number(row.text.get("no", ""))
        at = functools.partial(Problem, row.source)
        if no is None:
            problems.append(at(f"No. is not a number: {row.text.get('no', '')!r}"))
        elif no in first_line:
            problems.append(at(f"duplicate No. {no} (first at {row.source.unit} {first_line[no]})"))
        else:
            first_line[no] = row.source.first
        for key, label in REQUIRED.items():
            if key in row.text and not row.text[key]:
                problems.append(at(f"No. {row.text.get('no', '')}: {label} is empty"))
    if seen_header and not rows and not problems:
        problems.append(Problem.at(file, 1, "the table has a header but no rows", unit=unit))
    if problems:
        raise InputError(problems[:MAX_ERRORS_PER_FILE])
    return rows
