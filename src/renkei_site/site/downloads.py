"""Open-data exports of a year: projects and partners as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..notes import Notes
from ..read.table import COLUMNS
from ..records import Project, Year

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


YEAR_FILES = ("projects.csv", "projects.json", "partners.csv", "partners.json")


def year_file(year: Year, notes: Notes, name: str) -> bytes:
    """One of the year's downloads (YEAR_FILES), encoded as it is written (one copy in memory)."""
    if name.startswith("projects."):
        rows: Iterable[dict[str, object]] = [project_row(p, notes) for p in year.projects]
        fields = PROJECT_FIELDS
    else:
        rows, fields = partner_rows(year), PARTNER_FIELDS
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    if name.endswith(".json"):
        write_json(rows, out)
    else:
        out.write("\ufeff")  # so that spreadsheet programs read UTF-8
        write_csv(rows, fields, out)
    out.detach()  # flushes into the buffer, and leaves it open
    return buffer.getvalue()
