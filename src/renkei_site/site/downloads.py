"""Open data: the one registry of downloads (``DOWNLOADS``) and the files they make.

The year page, the downloads page and `renkei-site export` loop over the registry; a new
file is one entry, with a function that makes its bytes from the catalogue.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from ..model import Catalogue
from ..notes import Notes
from ..read.table import COLUMNS
from ..records import Project, Year
from .paths import site_file_path, year_file_path

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


def projects_csv(cat: Catalogue, year: Year | None) -> bytes:
    return encoded(lambda out: write_csv(project_rows(cat, year), PROJECT_FIELDS, out), bom=True)


def projects_json(cat: Catalogue, year: Year | None) -> bytes:
    return encoded(lambda out: write_json(project_rows(cat, year), out))


def partners_csv(cat: Catalogue, year: Year | None) -> bytes:
    return encoded(lambda out: write_csv(partner_rows(year), PARTNER_FIELDS, out), bom=True)


def partners_json(cat: Catalogue, year: Year | None) -> bytes:
    return encoded(lambda out: write_json(partner_rows(year), out))


@dataclass(frozen=True)
class Download:
    """One file of open data: a file per fiscal year (``scope`` "year": /<year>/<name>) or one
    for the whole catalogue ("site": /downloads/<name>)."""

    name: str  # the file's name, and the name `renkei-site export` takes
    title: str  # what it holds, as the downloads list says it
    format: str  # CSV, JSON …, as the lists show it
    scope: str  # "year" or "site"
    make: Callable[[Catalogue, Year | None], bytes]  # (catalogue, the year or None) -> the file's bytes

    def path(self, year: Year | None = None) -> str:
        return year_file_path(year.fiscal_year, self.name) if self.scope == "year" else site_file_path(self.name)


# Every download of the site, in the order the lists show them: a new file is one entry here.
DOWNLOADS: tuple[Download, ...] = (
    Download("projects.csv", "事業(1行に1事業)", "CSV", "year", projects_csv),
    Download("projects.json", "事業(1行に1事業)", "JSON", "year", projects_json),
    Download("partners.csv", "関係自治体(1行に1件の記載)", "CSV", "year", partners_csv),
    Download("partners.json", "関係自治体(1行に1件の記載)", "JSON", "year", partners_json),
)
DOWNLOAD_BY_NAME = {download.name: download for download in DOWNLOADS}


def year_downloads() -> list[Download]:
    return [d for d in DOWNLOADS if d.scope == "year"]


def site_downloads() -> list[Download]:
    return [d for d in DOWNLOADS if d.scope == "site"]
