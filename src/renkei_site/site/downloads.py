"""Open-data exports of a year: projects and partners as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

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


def to_csv(rows: Iterable[dict[str, object]], fields: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_json(rows: Iterable[dict[str, object]]) -> str:
    """A JSON array, one record per line (json's C encoder: indent= would use the slow one)."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows)
    return "[\n" + lines + "\n]\n" if lines else "[]\n"


YEAR_FILES = ("projects.csv", "projects.json", "partners.csv", "partners.json")


def year_file(year: Year, notes: Notes, name: str) -> bytes:
    """One of the year's downloads (YEAR_FILES), made on its own: a page of the page plan."""
    if name.startswith("projects."):
        rows = [project_row(p, notes) for p in year.projects]
        fields = PROJECT_FIELDS
    else:
        rows, fields = partner_rows(year), PARTNER_FIELDS
    if name.endswith(".json"):
        return to_json(rows).encode("utf-8")
    return ("\ufeff" + to_csv(rows, fields)).encode("utf-8")
