"""Open data: the one registry of downloads (``DOWNLOADS``) and the files they make.

The year page, the downloads page and `renkei-site export` loop over the registry; a new
file is one entry, with a function that makes its bytes from the catalogue (the writers are in
site/exports/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import Catalogue
from ..records import Year
from .exports import changes, charts, counts, datapackage, datasette, sqlite, workbook
from .exports.columns import Column, names
from .exports.rows import (  # noqa: F401 (the CLI's `export projects|partners` uses them from here)
    PARTNER_COLUMNS,
    PARTNER_FIELDS,
    PROJECT_COLUMNS,
    PROJECT_FIELDS,
    encoded,
    partner_json_lines,
    partner_rows,
    partner_values,
    project_row,
    project_rows,
    write_csv,
    write_csv_values,
    write_json,
    write_json_lines,
)
from .exports.woven import projects_csv, projects_json
from .paths import site_file_path, year_file_path

Rows = Callable[[Catalogue, Year], Iterable[dict[str, object]]]


def partners_csv(cat: Catalogue, year: Year | None) -> bytes:
    return encoded(lambda out: write_csv_values(partner_values(year), PARTNER_FIELDS, out), bom=True)


def partners_json(cat: Catalogue, year: Year | None) -> bytes:
    return encoded(lambda out: write_json_lines(partner_json_lines(year), out))


@dataclass(frozen=True)
class Download:
    """One file of open data: a file per fiscal year (``scope`` "year": /<year>/<name>) or one
    for the whole catalogue ("site": /downloads/<name>)."""

    name: str  # the file's name, and the name `renkei-site export` takes
    title: str  # what it holds, as the downloads list says it
    format: str  # CSV, JSON …, as the lists show it
    scope: str  # "year" or "site"
    make: Callable[[Catalogue, Year | None], bytes]  # (catalogue, the year or None) -> the file's bytes
    columns: tuple[Column, ...] = ()  # a CSV's columns, as datapackage.json describes them
    slow: bool = False  # among the slowest files of a build: planned first (site/kinds.py plan_downloads)

    def path(self, year: Year | None = None) -> str:
        return year_file_path(year.fiscal_year, self.name) if self.scope == "year" else site_file_path(self.name)


def csv_of(rows_of: Rows, columns: tuple[Column, ...]) -> Callable[[Catalogue, Year | None], bytes]:
    """A CSV (UTF-8 with a BOM) of the year's rows, or of every year's when there is no year."""

    def make(cat: Catalogue, year: Year | None) -> bytes:
        rows = rows_of(cat, year) if year is not None else counts.every_year(cat, rows_of)
        return encoded(lambda out: write_csv(rows, names(columns), out), bom=True)

    return make


def year_package(cat: Catalogue, year: Year | None) -> bytes:
    return datapackage.package_json(cat, year, [d for d in DOWNLOADS if d.scope == "year" and d.columns])


def site_package(cat: Catalogue, year: Year | None) -> bytes:
    return datapackage.package_json(cat, None, [d for d in DOWNLOADS if d.scope == "site" and d.columns])


# Every download of the site, in the order the lists show them: a new file is one entry here.
DOWNLOADS: tuple[Download, ...] = (
    Download("projects.csv", "事業(1行に1事業)", "CSV", "year", projects_csv, PROJECT_COLUMNS),
    Download("projects.json", "事業(1行に1事業)", "JSON", "year", projects_json),
    Download("partners.csv", "関係自治体(1行に1件の記載)", "CSV", "year", partners_csv, PARTNER_COLUMNS),
    Download("partners.json", "関係自治体(1行に1件の記載)", "JSON", "year", partners_json),
    Download(
        "projects.xlsx",
        "事業・関係自治体・都道府県別の事業数(Excel)",
        "Excel",
        "year",
        workbook.year_workbook,
        slow=True,
    ),
    Download(
        "counts-prefectures.csv",
        "都道府県別の事業数(名前が挙がる・グループを通じて・過去のみ・備考のみ、0件も)",
        "CSV",
        "year",
        csv_of(counts.prefecture_counts, counts.PREFECTURE_COLUMNS),
        counts.PREFECTURE_COLUMNS,
    ),
    Download(
        "counts-fields.csv",
        "分野別の事業数",
        "CSV",
        "year",
        csv_of(counts.field_counts, counts.FIELD_COLUMNS),
        counts.FIELD_COLUMNS,
    ),
    Download(
        "counts-bureaus.csv",
        "所管局別の事業数",
        "CSV",
        "year",
        csv_of(counts.bureau_counts, counts.BUREAU_COLUMNS),
        counts.BUREAU_COLUMNS,
    ),
    Download(
        "changes.csv",
        "前年度からの変更(1行に1件)",
        "CSV",
        "year",
        csv_of(changes.year_change_rows, changes.CHANGE_COLUMNS),
        changes.CHANGE_COLUMNS,
    ),
    Download("datapackage.json", "この年度のCSVの説明(Frictionless Data Package)", "JSON", "year", year_package),
    Download("chart-fields.svg", "グラフ:分野別の事業数", "SVG", "year", charts.fields_chart),
    Download("chart-prefectures.svg", "グラフ:都道府県別の事業数", "SVG", "year", charts.prefectures_chart),
    Download("map.svg", "地図:都道府県別の事業数", "SVG", "year", charts.map_chart),
    Download(
        "catalogue.sqlite",
        "全年度のデータベース(SQLite、Datasette対応)",
        "SQLite",
        "site",
        sqlite.catalogue_sqlite,
        slow=True,
    ),
    Download("metadata.json", "catalogue.sqliteの説明(Datasetteのメタデータ)", "JSON", "site", datasette.metadata_json),
    Download(
        "counts-years.csv",
        "年度別の事業数",
        "CSV",
        "site",
        csv_of(lambda cat, year: [counts.year_counts(cat, year)], counts.YEAR_COLUMNS),
        counts.YEAR_COLUMNS,
    ),
    Download(
        "counts-prefectures-by-year.csv",
        "都道府県別の事業数(全年度)",
        "CSV",
        "site",
        csv_of(counts.prefecture_counts, counts.PREFECTURE_COLUMNS),
        counts.PREFECTURE_COLUMNS,
    ),
    Download(
        "counts-fields-by-year.csv",
        "分野別の事業数(全年度)",
        "CSV",
        "site",
        csv_of(counts.field_counts, counts.FIELD_COLUMNS),
        counts.FIELD_COLUMNS,
    ),
    Download(
        "counts-bureaus-by-year.csv",
        "所管局別の事業数(全年度)",
        "CSV",
        "site",
        csv_of(counts.bureau_counts, counts.BUREAU_COLUMNS),
        counts.BUREAU_COLUMNS,
    ),
    Download(
        "datapackage-all-years.json", "全年度のCSVの説明(Frictionless Data Package)", "JSON", "site", site_package
    ),
    Download("chart-years.svg", "グラフ:年度別の事業数", "SVG", "site", charts.years_chart),
)
DOWNLOAD_BY_NAME = {download.name: download for download in DOWNLOADS}


def year_downloads() -> list[Download]:
    return [d for d in DOWNLOADS if d.scope == "year"]


def site_downloads() -> list[Download]:
    return [d for d in DOWNLOADS if d.scope == "site"]
