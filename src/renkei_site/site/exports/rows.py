"""The rows of the open data every other file is made from: a project per row (projects.csv,
the workbook's 事業 sheet) and a mention per row (partners.csv, 関係自治体), and the CSV and
JSON writers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from ...model import Catalogue
from ...notes import Notes
from ...read.table import COLUMNS
from ...records import Project, Year
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


def project_row(project: Project, notes: Notes) -> dict[str, object]:
    """A project's cells and the editors' note on it (Markdown source, "" when none)."""
    row: dict[str, object] = {name: getattr(project, name) for name in PROJECT_FIELDS[:-1]}
    row["notes"] = notes.source("project", project.key)
    return row


def partner_rows(year: Year) -> Iterator[dict[str, object]]:
    """One row per mention (made as they are read: a large year has hundreds of thousands)."""
    for project in year.projects:
        for m in project.mentions:
            yield (
                {
                    "fiscal_year": year.fiscal_year,
                    "no": project.no,
                    "role": m.role,
                    "column": m.column,
                    "kind": m.kind,
                    "pref_code": m.pref_code,
                    "lg_code": m.code,
                    "name": m.name,
                    "surface": m.surface,
                    "qualifier": m.qualifier,
                    "via": m.via,
                    "correction": m.correction,
                    "ambiguous": " ".join(m.candidates) if m.kind == "ambiguous" else "",
                }
            )


def write_csv(rows: Iterable[dict[str, object]], fields: tuple[str, ...], out: TextIO) -> None:
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def write_json(rows: Iterable[dict[str, object]], out: TextIO) -> None:
    """A JSON array, one record per line (json's C encoder: indent= would use the slow one),
    written row by row (the partners of a large year are tens of megabytes)."""
    out.write("[")
    separator = "\n"
    for row in rows:
        out.write(separator)
        out.write(json.dumps(row, ensure_ascii=False, sort_keys=True))
        separator = ",\n"
    out.write("\n]\n" if separator == ",\n" else "]\n")


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
