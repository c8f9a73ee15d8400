"""The downloads for analysis (issue 23), on the two-year site of conftest's ``two_years``:
counts against the mentions themselves, changes.csv against the diff, the workbook, the
charts, the data package (Frictionless validates it), and the SQLite catalogue (its bytes,
keys, search and views; Datasette serves it, in tests/test_datasette.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace

import pytest

from renkei_site import pipeline
from renkei_site.model import Catalogue, names_place
from renkei_site.site.downloads import DOWNLOAD_BY_NAME, DOWNLOADS
from renkei_site.site.exports import charts, sqlite, terms, workbook
from renkei_site.site.exports.columns import names
from renkei_site.site.exports.rows import PARTNER_COLUMNS, PARTNER_FIELDS, PROJECT_COLUMNS, PROJECT_FIELDS
from renkei_site.years.diff import diff_to_json

SVG = "{http://www.w3.org/2000/svg}"


def catalogue_of(data) -> Catalogue:
    reference = pipeline.load_reference(data)
    years = pipeline.load_years(data, reference)
    return Catalogue(years, reference, notes=pipeline.load_pages_and_notes(data, years, reference))


@pytest.fixture(scope="module")
def cat(two_years) -> Catalogue:
    return catalogue_of(two_years["data"])


@pytest.fixture(scope="module")
def site(two_years):
    return two_years["site"]


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode()), "CSV for spreadsheet programs: UTF-8 with a BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def made(cat: Catalogue, name: str, fiscal_year: int | None = None) -> bytes:
    year = next((y for y in cat.years if y.fiscal_year == fiscal_year), None)
    return DOWNLOAD_BY_NAME[name].make(cat, year)


# --- counts ------------------------------------------------------------------------------------


def expected_prefecture_counts(cat: Catalogue, year) -> dict[str, dict[str, int]]:
    """The counts worked out from the mentions and data/groups.yaml directly: a project counts
    once per prefecture, the strongest way (named, past, remarks, then through a group)."""
    ref = cat.reference
    table = {
        p.pref_code: {"named": 0, "past": 0, "remarks": 0, "through_groups": 0, "current": 0} for p in ref.prefectures
    }
    for project in year.projects:
        prefs = {role: set() for role in ("current", "past", "remarks")}
        groups: set[str] = set()
        for m in project.mentions:
            if names_place(m):
                prefs[m.role].add(m.pref_code)
            elif m.kind == "group" and m.role == "current":
                groups |= {ref.places[code].pref_code for code in ref.groups[m.name].members}
        seen: set[str] = set()
        for role, column in (("current", "named"), ("past", "past"), ("remarks", "remarks")):
            for pref in prefs[role] - seen:
                table[pref][column] += 1
            seen |= prefs[role]
        for pref in groups - seen:
            table[pref]["through_groups"] += 1
        for pref in prefs["current"] | groups:
            table[pref]["current"] += 1
    return table


def test_prefecture_counts_hold_every_prefecture_every_year_as_the_mentions_give_them(cat):
    rows = read_csv(made(cat, "counts-prefectures-by-year.csv"))
    assert len(rows) == 47 * len(cat.years) == 94
    for year in cat.years:
        expected = expected_prefecture_counts(cat, year)
        got = {r["pref_code"]: r for r in rows if r["fiscal_year"] == str(year.fiscal_year)}
        assert list(got) == sorted(expected)
        for pref, counts in expected.items():
            row = got[pref]
            assert {k: int(row[k]) for k in counts} == counts, (year.fiscal_year, pref)
            assert int(row["total"]) == sum(counts[k] for k in ("named", "past", "remarks", "through_groups"))
        year_rows = read_csv(made(cat, "counts-prefectures.csv", year.fiscal_year))
        assert year_rows == list(got.values())
    assert any(r["named"] == "0" for r in rows), "the prefectures no project names are there, with 0"


def test_field_bureau_and_year_counts_add_up_to_the_projects(cat):
    fields = read_csv(made(cat, "counts-fields-by-year.csv"))
    bureaus = read_csv(made(cat, "counts-bureaus-by-year.csv"))
    years = read_csv(made(cat, "counts-years.csv"))
    for year in cat.years:
        fy = str(year.fiscal_year)
        by_field = {r["field"]: int(r["projects"]) for r in fields if r["fiscal_year"] == fy}
        assert list(by_field)[: len(cat.reference.fields)] == cat.reference.fields  # 0 rows too
        for name, n in by_field.items():
            assert n == sum(1 for p in year.projects if cat.reference.canonical_field(p.field) == name)
        by_bureau = {r["bureau"]: int(r["projects"]) for r in bureaus if r["fiscal_year"] == fy}
        assert sum(by_bureau.values()) == len(year.projects)
        assert by_bureau == {
            b: sum(1 for p in year.projects if p.bureau == b) for b in {p.bureau for p in year.projects}
        }
        row = next(r for r in years if r["fiscal_year"] == fy)
        assert int(row["projects"]) == len(year.projects) == int(row["new"]) + int(row["continuing"])
    diff = cat.diffs[2023]
    assert (years[1]["added"], years[1]["ended"]) == (str(len(diff.added)), str(len(diff.removed)))
    assert years[0]["added"] == "", "the first year has nothing to compare with"


def test_changes_csv_is_the_changes_page_as_rows(cat):
    rows = read_csv(made(cat, "changes.csv", 2023))
    data = diff_to_json(cat.diffs[2023])
    assert [r["id"] for r in rows if r["change"] == "added"] == [p["id"] for p in data["added"]]
    assert [r["previous_id"] for r in rows if r["change"] == "ended"] == [p["id"] for p in data["removed"]]
    for change in data["changed"]:
        mine = [r for r in rows if r["change"] == "changed" and r["id"] == change["id"]]
        for item, value in change["changes"].items():
            lines = [r for r in mine if r["item"] == item]
            if isinstance(value, dict):
                assert [(r["before"], r["after"]) for r in lines] == [(value["from"], value["to"])]
            else:
                assert [(r["partner"], r["partner_code"]) for r in lines] == [(v["name"], v["code"]) for v in value]
    assert any(r["partner_code"].startswith("0") for r in rows), "codes keep their leading zero"
    assert read_csv(made(cat, "changes.csv", 2022)) == [], "the first year: the header only"


# --- the data package ----------------------------------------------------------------------------


def frictionless(descriptor) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(descriptor)],
        capture_output=True,
        text=True,
        cwd=descriptor.parent,
    )
    return json.loads(done.stdout)


def test_the_column_lists_are_the_csv_headers():
    assert names(PROJECT_COLUMNS) == PROJECT_FIELDS and names(PARTNER_COLUMNS) == PARTNER_FIELDS
    for download in DOWNLOADS:
        assert bool(download.columns) == (download.format == "CSV"), download.name


def test_frictionless_validates_every_csv_against_its_data_package(site, tmp_path):
    for descriptor in (site / "2023" / "datapackage.json", site / "downloads" / "datapackage-all-years.json"):
        package = json.loads(descriptor.read_text(encoding="utf-8"))
        described = {r["path"] for r in package["resources"]}
        scope = "site" if descriptor.parent.name == "downloads" else "year"
        assert described == {d.name for d in DOWNLOADS if d.format == "CSV" and d.scope == scope}
        assert terms.CREDIT in json.dumps(package, ensure_ascii=False)
        report = frictionless(descriptor)
        assert report["valid"], json.dumps(report, ensure_ascii=False)[:2000]
    broken = tmp_path / "2023"  # a type that the data does not meet: the check can fail
    shutil.copytree(site / "2023", broken)
    package = json.loads((broken / "datapackage.json").read_text(encoding="utf-8"))
    next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "name")["type"] = "integer"
    (broken / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    assert not frictionless(broken / "datapackage.json")["valid"]


# --- the workbook ----------------------------------------------------------------------------------


def test_the_workbook_keeps_codes_as_text_and_says_where_it_comes_from(cat, site):
    from openpyxl import load_workbook

    data = (site / "2023" / "projects.xlsx").read_bytes()
    assert data == made(cat, "projects.xlsx", 2023)
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["このファイルについて", "事業", "関係自治体", "都道府県別"]
    about = "\n".join(str(c) for row in book["このファイルについて"].iter_rows(values_only=True) for c in row)
    year = cat.years[-1]
    assert terms.CREDIT in about and terms.TERMS in about and terms.as_of(year) in about
    partners = list(book["関係自治体"].iter_rows(values_only=True))
    assert partners[0][6] == "団体コード"
    csv_codes = [r["lg_code"] or None for r in read_csv((site / "2023" / "partners.csv").read_bytes())]
    assert [row[6] for row in partners[1:]] == csv_codes
    assert any(code and code.startswith("0") for code in csv_codes)
    projects = list(book["事業"].iter_rows(values_only=True))
    assert [row[5] for row in projects[1:]] == [p.name for p in year.projects]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2023, 4, 1)}
        assert b"2023-04-01T00:00:00Z" in archive.read("docProps/core.xml")


def test_the_workbook_opens_with_its_header_frozen_and_bold(site):
    from openpyxl import load_workbook

    from renkei_site.site.exports.xlsx import column_letter

    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]
    book = load_workbook(site / "2022" / "projects.xlsx")
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and sheet.column_dimensions["A"].width > 0
    assert book.properties.created.isoformat() == "2022-04-01T00:00:00"


def test_a_cell_that_looks_like_a_formula_stays_text(cat):
    year = cat.years[0]
    hostile = replace(year.projects[0], name='=HYPERLINK("http://example.com","x")', remarks="@SUM(1+1)\x07")
    odd = Catalogue([replace(year, projects=(hostile, *year.projects[1:]))], cat.reference)
    data = workbook.year_workbook(odd, odd.years[0])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in sheet for sheet in sheets)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data))["事業"]
    assert (sheet["F2"].value, sheet["F2"].data_type) == (hostile.name, "s")
    assert sheet["J2"].value == "@SUM(1+1)\ufffd", "a control character XML cannot hold is replaced, visibly"
    assert workbook.year_workbook(odd, odd.years[0]) == data


# --- charts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [d.name for d in DOWNLOADS if d.format == "SVG"])
def test_each_chart_is_a_standalone_svg_with_title_source_and_date(site, cat, name):
    download = DOWNLOAD_BY_NAME[name]
    path = site / download.path(cat.latest)
    svg = ET.parse(path).getroot()
    assert svg.tag == SVG + "svg" and svg.get("width") and svg.get("viewBox")
    text = " ".join(svg.itertext())
    assert svg.find(SVG + "title").text in text  # the title is drawn, not only in <title>
    assert terms.CREDIT in text and terms.as_of(cat.latest) in text
    assert not [e for e in svg.iter() if e.tag.split("}")[1] in ("script", "image", "a", "foreignObject")]


def test_the_field_chart_shows_the_field_counts(cat):
    svg = ET.fromstring(charts.fields_chart(cat, cat.latest))
    texts = [t.text for t in svg.iter(SVG + "text")]
    for field in cat.reference.fields:
        n = sum(1 for p in cat.latest.projects if cat.reference.canonical_field(p.field) == field)
        assert texts[texts.index(field) + 1] == str(n)


def test_pages_that_show_a_chart_link_its_file(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    year_page = (site / "2023" / "index.html").read_text(encoding="utf-8")
    prefectures = (site / "prefectures" / "index.html").read_text(encoding="utf-8")
    for name in ("map.svg", "chart-fields.svg", "chart-prefectures.svg"):
        assert f'href="2023/{name}"' in home and f'href="{name}"' in year_page
        assert f'href="../2023/{name}"' in prefectures
    assert 'href="downloads/chart-years.svg"' in home


# --- the SQLite catalogue ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(site, tmp_path_factory):
    import sqlite3

    path = tmp_path_factory.mktemp("sqlite") / "catalogue.sqlite"
    shutil.copyfile(site / "downloads" / "catalogue.sqlite", path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    yield connection
    connection.close()


def test_the_catalogue_is_the_same_bytes_from_the_same_data(cat, site, two_years):
    first = sqlite.catalogue_sqlite(cat)
    assert first == sqlite.catalogue_sqlite(catalogue_of(two_years["data"]))
    assert first == (site / "downloads" / "catalogue.sqlite").read_bytes()
    assert first[:16] == b"SQLite format 3\x00" and int.from_bytes(first[16:18], "big") == sqlite.PAGE_SIZE


def test_the_catalogue_holds_every_year_project_mention_and_place_tied_by_keys(cat, db):
    count = lambda table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
    assert count("years") == len(cat.years)
    assert count("projects") == len(cat.all_projects)
    assert count("mentions") == sum(len(p.mentions) for p in cat.all_projects)
    assert count("places") == len(cat.reference.places) == 47 + 1741 + 175
    assert count("group_members") == sum(len(set(g.members)) for g in cat.reference.groups.values())
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = {t: db.execute(f"PRAGMA foreign_key_list({t})").fetchall() for t in ("mentions", "projects", "changes")}
    assert {row[2] for row in keys["mentions"]} == {"projects", "places", "groups"}
    assert ("previous_key" in {row[3] for row in keys["projects"]}) and keys["changes"]
    codes = dict(db.execute("SELECT code, kana FROM places"))
    assert codes["011002"] == cat.reference.places["011002"].kana  # codes are text: 011002 stays 011002
    previous = db.execute("SELECT key, previous_key FROM projects WHERE fiscal_year = 2023").fetchall()
    assert {k: v for k, v in previous if v} == {k: p.key for k, p in cat.predecessor.items() if k.startswith("2023/")}


def test_the_views_answer_as_the_count_files_do(cat, db):
    view = db.execute("SELECT * FROM prefecture_counts").fetchall()
    rows = read_csv(made(cat, "counts-prefectures-by-year.csv"))
    assert [tuple(str(v) for v in row) for row in view] == [tuple(r.values()) for r in rows]
    never = [r for r in db.execute("SELECT pref_code FROM prefectures_never_named")]
    assert never == sorted({(r["pref_code"],) for r in rows} - {(r["pref_code"],) for r in rows if r["named"] != "0"})
    fields = dict(
        ((y, f), n)
        for y, f, n, *_ in db.execute("SELECT fiscal_year, field, projects, new, continuing FROM field_counts")
    )
    csv_fields = read_csv(made(cat, "counts-fields-by-year.csv"))
    assert fields == {
        (int(r["fiscal_year"]), r["field"]): int(r["projects"]) for r in csv_fields if r["projects"] != "0"
    }


def projects_with(cat: Catalogue, word: str) -> list[str]:
    def text(p) -> str:
        return " ".join(
            [*(getattr(p, n) for n in sqlite.TEXT_INDEXED if n != "notes"), cat.notes.source("project", p.key)]
        )

    return sorted(p.key for p in cat.all_projects if word.lower() in text(p).lower())


@pytest.mark.parametrize("word", ["水素", "ラムサール", "マラソン", "森", "東北", "観光"])
def test_the_trigram_index_finds_every_project_with_a_word(cat, db, word):
    from renkei_site.site.exports.datasette import SEARCH_SQL

    found = sorted(row[2] for row in db.execute(SEARCH_SQL, {"q": word}))
    assert found == projects_with(cat, word) and found
    if len(word) >= 3:  # MATCH with the trigram tokenizer: three characters or more
        match = "SELECT p.key FROM projects_fts JOIN projects p ON p.id = projects_fts.rowid WHERE projects_fts MATCH ?"
        assert sorted(row[0] for row in db.execute(match, (f'"{word}"',))) == found
