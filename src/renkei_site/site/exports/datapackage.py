"""datapackage.json (a Frictionless Data Package): every CSV of a year (or of the whole
catalogue) with its fields, types and titles, its source and terms."""

from __future__ import annotations

import json

from ...model import Catalogue
from ...records import Year
from . import terms

PACKAGE_PROFILE = "tabular-data-package"


def resource(download) -> dict:
    """A CSV download as a tabular data resource (``download``: a site/downloads.py Download)."""
    fields = [
        {"name": c.name, "type": c.type, "title": c.title} | ({"description": c.description} if c.description else {})
        for c in download.columns
    ]
    return {
        "name": download.name.removesuffix(".csv"),
        "path": download.name,
        "title": download.title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",  # UTF-8 with a BOM, for spreadsheet programs
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": {"fields": fields, "missingValues": [""]},
    }


def package(cat: Catalogue, year: Year | None, downloads: list) -> dict:
    span = f"{year.fiscal_year}年度" if year else terms.year_span(cat)
    as_of = terms.as_of(year or cat.latest)
    return {
        "profile": PACKAGE_PROFILE,
        "name": f"renkei-{year.fiscal_year}" if year else "renkei-all-years",
        "title": f"全国各地との連携事業({span})",
        "description": f"{terms.PUBLISHER}「{terms.SOURCE_TITLE}」({span}、{as_of}時点)を加工したCSV。{terms.TERMS}",
        "version": as_of,
        "sources": [{"title": terms.CREDIT}, {"title": terms.PLACES_CREDIT}],
        "licenses": [{"name": "CC-BY-4.0", "path": terms.LICENSE_URL, "title": terms.LICENSE_TITLE}],
        "resources": [resource(d) for d in downloads],
    }


def package_json(cat: Catalogue, year: Year | None, downloads: list) -> bytes:
    data = package(cat, year, downloads)
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
