"""Every place the list names reaches that place's page: places in 備考, bodies located in a city,
wording kept whole — checked on the FY2022 data through export, pages and check."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from conftest import DATA

from renkei_site import pipeline
from renkei_site.cli import main
from renkei_site.model import Catalogue, names_place
from renkei_site.resolve.reference import load_reference
from renkei_site.site.paths import municipality_path, prefecture_path, project_path
from renkei_site.site.render import render_site, site_renderer
from renkei_site.site.theme import site_theme


@pytest.fixture(scope="module")
def fy2022():
    reference = load_reference(DATA)
    years = pipeline.load_years(DATA, reference)
    notes = pipeline.load_pages_and_notes(DATA, years, reference)
    pages = render_site(site_renderer(years, reference, site_theme(), notes=notes))
    return reference, years, pages


def text_of(pages: dict[str, bytes], path: str) -> str:
    body = re.sub(r"<svg.*?</svg>", " ", pages[path].decode("utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def section(pages: dict[str, bytes], path: str, heading: str) -> str:
    """The text of one <section> of a page, found by its heading."""
    html = pages[path].decode("utf-8")
    for part in re.findall(r"<section.*?</section>", html, flags=re.S):
        if re.search(rf"<h2[^>]*>{re.escape(heading)}", part):
            return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", part)))
    raise AssertionError(f"{path} has no section {heading}")


def export_partners(capsys) -> list[dict[str, str]]:
    assert main(["export", "partners", "--year", "2022", "--data", str(DATA)]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_export_has_the_places_of_the_remarks_the_located_bodies_and_whole_wording(capsys):
    rows = export_partners(capsys)

    def of(no: int, **match) -> list[tuple[str, ...]]:
        return [
            (r["role"], r["column"], r["kind"], r["name"], r["pref_code"], r["lg_code"], r["qualifier"])
            for r in rows
            if r["no"] == str(no) and all(r[k] == v for k, v in match.items())
        ]

    assert of(6, role="remarks") == [
        ("remarks", "remarks", "prefecture", "福島県", "07", "070009", ""),
        ("remarks", "remarks", "prefecture", "三重県", "24", "240001", ""),
        ("remarks", "remarks", "prefecture", "岐阜県", "21", "210005", ""),
        ("remarks", "remarks", "prefecture", "広島県", "34", "340006", ""),
    ]
    past_49 = of(49, role="past")
    assert ("past", "past", "other", "白河市内の劇場", "07", "072052", "") in past_49
    assert ("past", "past", "other", "水戸市内の劇場", "08", "082015", "") in past_49
    assert all(kind == "other" and lg for _, _, kind, _, _, lg, _ in past_49)
    assert of(68, role="current") == [
        (
            "current",
            "current",
            "group",
            "全国の自治体",
            "",
            "",
            "の技術管理部門及び試験研究機関の60団体(2021年)",
        )
    ]
    assert of(64, role="current") == [("current", "current", "group", "全国道府県", "", "", "結婚支援に取り組む 等")]


def test_remarks_places_reach_project_and_prefecture_pages(fy2022):
    _, years, pages = fy2022
    project = next(p for p in years[0].projects if p.no == 6)
    page = section(pages, project_path(project), "備考")
    assert "備考で言及される場所" in page and all(n in page for n in ("福島県", "三重県", "岐阜県", "広島県"))
    for slug in ("fukushima", "mie", "gifu", "hiroshima"):
        assert project.name in section(pages, f"prefectures/{slug}/index.html", "備考で言及")
    assert project.name not in section(pages, "prefectures/nagano/index.html", "備考で言及")


def test_a_located_body_reaches_its_municipality_page(fy2022):
    _, years, pages = fy2022
    project = next(p for p in years[0].projects if p.no == 49)
    page = text_of(pages, "municipalities/072052/index.html")
    assert "白河市" in page and project.name in page and "過去の関係自治体(白河市内の劇場)" in page
    assert project.name in section(pages, "prefectures/fukushima/index.html", "過去の関係自治体として挙がる事業")


def test_every_place_a_mention_names_or_locates_has_a_page_that_lists_the_project(fy2022):
    """The rule over the whole year: each mention that names a place (itself or a body in it), in
    any column, reaches that place's page, and the page lists the project."""
    reference, years, pages = fy2022
    catalogue = Catalogue(years, reference)
    checked = 0
    for project in catalogue.all_projects:
        for m in project.mentions:
            if not names_place(m):
                continue
            place = reference.places[m.code] if m.code else reference.prefecture_by_code[m.pref_code]
            path = prefecture_path(place) if place.is_prefecture else municipality_path(place.code)
            prefecture = prefecture_path(reference.prefecture_by_code[m.pref_code])
            for page in {path, prefecture}:
                assert f"{project.fiscal_year}/projects/{project.id}/index.html" in pages[page].decode(), (m, page)
            checked += 1
    assert checked > 600


def test_the_data_notes_page_lists_the_readings_for_review(fy2022):
    _, _, pages = fy2022
    page = text_of(pages, "notes/index.html")
    assert "備考から読み取った場所" in page and "No.6" in page
    assert "場所に所在する団体・施設" in page and "(白河市内の劇場)" in page and "(広島市水道局)" in page


def test_an_override_can_undo_a_reading_of_the_remarks(tmp_path, capsys):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("2022", ".cache"))
    with (data / "overrides.yaml").open("a", encoding="utf-8") as handle:
        handle.write("- {surface: 岐阜県, year: 2022, no: 6, role: remarks, kind: none, note: 別事業}\n")
    source = next((DATA / "2022").glob("source-*"))
    assert main(["-q", "import", str(source), "--data", str(data)]) == 0
    capsys.readouterr()
    assert main(["export", "partners", "--data", str(data)]) == 0
    rows = [
        r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["no"] == "6" and r["role"] == "remarks"
    ]
    assert [(r["kind"], r["surface"]) for r in rows] == [
        ("prefecture", "福島県"),
        ("prefecture", "三重県"),
        ("none", "岐阜県"),
        ("prefecture", "広島県"),
    ]


def test_check_stays_clean_on_fy2022(capsys):
    assert main(["check", "--data", str(DATA)]) == 0
    assert "0 unresolved" in capsys.readouterr().out
