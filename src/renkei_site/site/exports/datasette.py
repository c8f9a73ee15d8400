"""metadata.json for Datasette: titles, descriptions, source and terms of catalogue.sqlite, and
canned queries for what readers ask (`datasette catalogue.sqlite --metadata metadata.json`)."""

from __future__ import annotations

import json

from ...model import Catalogue
from ...records import Year
from . import terms
from .sqlite import TEXT_INDEXED

DATABASE = "catalogue"  # Datasette names a database after its file: catalogue.sqlite

TABLES = {
    "years": ("年度", "one row per fiscal year's list: its title, as-of date and the file imported"),
    "projects": ("事業", "one row per project per year, the list's cells as published; key = <fiscal year>/<id>"),
    "mentions": (
        "記載",
        "every government, group or body a partner or remarks cell names, resolved to a code (or reported)",
    ),
    "places": (
        "地方公共団体",
        "47 prefectures, 1,741 municipalities and 175 designated-city wards, with 6-digit codes",
    ),
    "groups": ("グループ", "named groups the lists use (全国道府県, 九都県市 …)"),
    "group_members": ("グループの構成", "the places each group stands for"),
    "involvement": (
        "都道府県との関わり",
        "how each project involves each prefecture: named, past, remarks (named only in 備考) or group "
        "(included only through a group); current = a partner now",
    ),
    "changes": ("前年度からの変更", "projects added, ended and changed from one year to the next"),
    "prefecture_counts": ("都道府県別の事業数", "per year and prefecture, 0 where none"),
    "prefectures_never_named": ("名前が挙がらない都道府県", "prefectures that no year's list names as a partner"),
    "field_counts": ("分野別の事業数", "per year and field"),
    "bureau_counts": ("所管局別の事業数", "per year and bureau"),
    "municipality_counts": ("市区町村別の事業数", "per year and municipality named"),
    "project_partners": ("事業と関係自治体", "every partner of every project, with its full name and code"),
}
LABEL_COLUMNS = {"projects": "name", "places": "full_name", "groups": "label", "years": "title"}

SEARCH_SQL = (
    "select p.fiscal_year, p.no, p.key, p.name, p.bureau, p.field from projects p where p.id in "
    "(select rowid from projects_fts where "
    + " or ".join(f"{column} like '%' || :q || '%'" for column in TEXT_INDEXED)
    + ") order by p.fiscal_year desc, p.no"
)
PREFECTURE_SQL = (
    "select p.fiscal_year, p.no, p.key, p.name, i.how, i.current, i.detail from involvement i "
    "join projects p on p.key = i.project_key join places pl on pl.code = i.prefecture_code "
    "where pl.name = :prefecture order by p.fiscal_year desc, i.how, p.no"
)
QUERIES = {
    "search": {
        "title": "キーワード検索",
        "description": "words of any length (水素, ラムサール) in the names, descriptions, remarks, partner cells "
        "and editors' notes (the trigram index answers LIKE; its MATCH needs 3 characters or more)",
        "sql": SEARCH_SQL,
    },
    "prefecture": {
        "title": "都道府県の事業",
        "description": "every project involving a prefecture (e.g. 長野県) and how",
        "sql": PREFECTURE_SQL,
    },
}


def metadata(cat: Catalogue) -> dict:
    latest = cat.latest
    description = (
        f"{terms.PUBLISHER}「{terms.SOURCE_TITLE}」の全年度({terms.year_span(cat)})"
        f"を一つのデータベースにしたもの。{terms.TERMS}"
    )
    tables = {
        name: {"title": title, "description": text}
        | ({"label_column": LABEL_COLUMNS[name]} if name in LABEL_COLUMNS else {})
        for name, (title, text) in TABLES.items()
    }
    tables["projects"]["fts_table"] = "projects_fts"
    tables["projects"]["fts_pk"] = "id"
    return {
        "title": "全国各地との連携事業カタログ",
        "description": description,
        "source": f"{terms.CREDIT}({latest.fiscal_year}年度は{terms.as_of(latest)}時点)",
        "license": terms.LICENSE,
        "license_url": terms.LICENSE_URL,
        "databases": {
            DATABASE: {"title": "連携事業カタログ", "description": description, "tables": tables, "queries": QUERIES}
        },
    }


def metadata_json(cat: Catalogue, year: Year | None = None) -> bytes:
    return (json.dumps(metadata(cat), ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
