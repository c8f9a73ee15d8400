"""The rows of the open data every other file is made from: a project per row (projects.csv,
the workbook's 事業 sheet) and a mention per row (partners.csv, 関係自治体), and the CSV and
JSON writers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from operator import attrgetter
from typing import TextIO

from ...model import Catalogue
from ...notes import Notes
from ...read.table import COLUMNS
from ...records import Project, Year
from ...resolve.mention import Mention
from .columns import FISCAL_YEAR, PREF_CODE, count, text

PROJECT_FIELDS = ("fiscal_year", "id", *COLUMNS, "notes")  # the list's columns, in its order; the editors' note
PARTNER_FIELDS = (
    "fiscal_year",
    "no",
    "role",
    "column",
    "kind",
    "pref_code",
    "lg_code",
    "name",
    "surface",
    "qualifier",
    "via",
    "correction",
    "ambiguous",
)

PROJECT_COLUMNS = (
    FISCAL_YEAR,
    text("id", "事業ID", "the project's id in its year, No. with 3 digits (its page: /<fiscal_year>/projects/<id>/)"),
    count("no", "No.", "the project's number in the list"),
    text("bureau", "所管局"),
    text("field", "分野"),
    text("status", "新規継続", "新規 (new) or 継続 (continued)"),
    text("name", "事業名"),
    text("partners_current", "関係自治体(現在)", "the cell as the list prints it"),
    text("partners_past", "関係自治体(過去)", "the cell as the list prints it"),
    text("description", "事業内容"),
    text("remarks", "備考"),
    text("notes", "編集部の注記", "the editors' note on the project (Markdown), empty when none"),
)
PARTNER_COLUMNS = (
    FISCAL_YEAR,
    count("no", "No.", "the project's number in the list"),
    text("role", "区分", "current or past partner, or remarks (named in 備考, not a partner)"),
    text("column", "記載された列", "the cell it was read from"),
    text("kind", "種類", "prefecture, municipality, group, other, ambiguous, unresolved, none or text"),
    PREF_CODE,
    text("lg_code", "団体コード", "6-digit 全国地方公共団体コード, kept as text: 011002"),
    text("name", "名称"),
    text("surface", "一覧での記載", "the wording in the list"),
    text("qualifier", "付記", "wording around the name that stays with it"),
    text("via", "経由", "the body or group the name came through"),
    text("correction", "表記の訂正", "a misspelling the reading corrected"),
    text("ambiguous", "候補の団体コード", "codes of the places an ambiguous name may mean, space-separated"),
)


project_values: Callable[[Project], tuple[object, ...]] = attrgetter(*PROJECT_FIELDS[:-1])
"""A project's cells, in PROJECT_FIELDS' order but the note (a part's share: no note read)."""


def notes_of(cat: Catalogue, projects: Iterable[Project]) -> list[str]:
    """The Markdown of the note on each project ("" when none), in the projects' order."""
    return [cat.notes.source("project", project.key) for project in projects]


def project_row(project: Project, notes: Notes) -> dict[str, object]:
    """A project's cells and the editors' note on it (Markdown source, "" when none)."""
    row: dict[str, object] = dict(zip(PROJECT_FIELDS[:-1], project_values(project), strict=True))
    row["notes"] = notes.source("project", project.key)
    return row


def mention_values(m: Mention) -> tuple[str, ...]:
    """A mention's cells of its partner row (PARTNER_FIELDS but the year and the No.)."""
    ambiguous = " ".join(m.candidates) if m.kind == "ambiguous" else ""
    return (m.role, m.column, m.kind, m.pref_code, m.code, m.name, m.surface, m.qualifier, m.via, m.correction,
            ambiguous)  # fmt: skip


def partner_values(year: Year) -> Iterator[tuple[object, ...]]:
    """One tuple per mention, in PARTNER_FIELDS' order (made as they are read: a large year has
    hundreds of thousands)."""
    for project in year.projects:
        for m in project.mentions:
            yield (year.fiscal_year, project.no, *mention_values(m))


def partner_rows(year: Year) -> Iterator[dict[str, object]]:
    """One row per mention, as a mapping of PARTNER_FIELDS."""
    for values in partner_values(year):
        yield dict(zip(PARTNER_FIELDS, values, strict=True))


def write_csv(rows: Iterable[dict[str, object]], fields: tuple[str, ...], out: TextIO) -> None:
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def write_csv_values(rows: Iterable[tuple[object, ...]], fields: tuple[str, ...], out: TextIO) -> None:
    """As write_csv, of rows given as tuples in the order of ``fields``."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows(rows)


def write_json(rows: Iterable[dict[str, object]], out: TextIO) -> None:
    """A JSON array, one record per line (json's C encoder: indent= would use the slow one),
    written row by row (the partners of a large year are tens of megabytes)."""
    write_json_lines((json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows), out)


def write_json_lines(lines: Iterable[str], out: TextIO) -> None:
    """The JSON array of records already encoded, one a line, written a thousand lines at a time."""
    out.write("[")
    separator, lines = "\n", iter(lines)
    while chunk := list(islice(lines, 1000)):
        out.write(separator)
        out.write(",\n".join(chunk))
        separator = ",\n"
    out.write("\n]\n" if separator == ",\n" else "]\n")


VALUE_JSON = json.JSONEncoder(ensure_ascii=False).encode


class ValueText(dict):
    """A str's or an int's JSON text, each value encoded once (a column repeats a few values)."""

    def __missing__(self, value: object) -> str:
        if type(value) not in (str, int):  # 1 and True, or 1 and 1.0, would share a text
            raise TypeError(f"a row value must be a str or an int, not {type(value).__name__}")
        self[value] = text = VALUE_JSON(value)
        return text


def json_template(fields: tuple[str, ...]) -> str:
    """A str.format template of a record as json.dumps(…, ensure_ascii=False, sort_keys=True)
    writes it, ``{i}`` where the JSON text of the value of ``fields[i]`` goes."""
    order = sorted(range(len(fields)), key=fields.__getitem__)
    keys = [json.dumps(fields[i], ensure_ascii=False).replace("{", "{{").replace("}", "}}") for i in order]
    return "{{" + ", ".join(f"{key}: {{{i}}}" for key, i in zip(keys, order, strict=True)) + "}}"


def partner_json_lines(year: Year) -> Iterator[str]:
    """Each partner row as write_json writes partner_rows' (its dict, keys sorted), each distinct
    mention's record encoded once and cut where the year and the No. go (a JSON text holds no
    raw NUL, so NUL marks the cuts), then the project's No. put in."""
    template, text_of = json_template(PARTNER_FIELDS), ValueText().__getitem__
    cut_of: dict[Mention, list[str]] = {}
    year_text = text_of(year.fiscal_year)
    for project in year.projects:
        no_text = text_of(project.no)
        for m in project.mentions:
            cut = cut_of.get(m)
            if cut is None:  # "fiscal_year" sorts before "no": the first cut is the year's
                cut = cut_of[m] = template.format("\0", "\0", *map(text_of, mention_values(m))).split("\0")
            yield f"{cut[0]}{year_text}{cut[1]}{no_text}{cut[2]}"


def encoded(write: Callable[[TextIO], None], bom: bool = False) -> bytes:
    """What ``write`` writes, as UTF-8 (with a BOM for spreadsheet programs), encoded as it is
    written (one copy in memory)."""
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    if bom:
        out.write("\ufeff")
    write(out)
    out.detach()  # flushes into the buffer, and leaves it open
    return buffer.getvalue()


def project_rows(cat: Catalogue, year: Year) -> list[dict[str, object]]:
    return [project_row(p, cat.notes) for p in year.projects]
