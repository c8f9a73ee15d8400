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
from renkei_site.resolve.reference import MUNICIPAL_KINDS, load_reference
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
    assert "白河市" in page and project.name in page and "過去 (白河市内の劇場)" in page
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


def links_in(pages: dict[str, bytes], path: str, section_id: str) -> list[str]:
    """The project links of one <section> of a page, in order, repeats kept."""
    html = pages[path].decode("utf-8")
    part = re.search(rf'<section aria-labelledby="{section_id}">.*?</section>', html, flags=re.S)
    return re.findall(r'href="(?:\.\./)*(\d{4}/projects/\d+/index\.html)"', part.group()) if part else []


def test_every_municipality_of_the_reference_table_has_a_page(fy2022):
    """Every city, town, village, special ward and designated-city ward; no other."""
    reference, _, pages = fy2022
    expected = {municipality_path(code) for code, place in reference.places.items() if not place.is_prefecture}
    made = {path for path in pages if path.startswith("municipalities/")}
    assert made == expected and len(made) == 1741 + 175


def test_each_project_is_one_line_on_every_municipality_page(fy2022):
    """Within each list of a municipality page (a year's, a group's) a project is one line, and a
    project listed as naming the place is not listed again under a group."""
    _, _, pages = fy2022
    for path in (p for p in pages if p.startswith("municipalities/")):
        html = pages[path].decode("utf-8")
        for part in re.findall(r"<section.*?</section>", html, flags=re.S):
            for piece in part.split("<h3"):
                found = re.findall(r'href="(?:\.\./)*(\d{4}/projects/\d+/index\.html)"', piece)
                assert len(found) == len(set(found)), path
        assert not set(links_in(pages, path, "uses-h")) & set(links_in(pages, path, "via-h")), path


def test_a_current_and_past_partner_is_one_line_with_both_roles(fy2022):
    _, _, pages = fy2022
    page = text_of(pages, "municipalities/141305/index.html")  # 川崎市: No.1 and No.56 name it current and past
    assert page.count("スタートアップ・エコシステム拠点都市の形成事業(東京コンソーシアム)") == 1
    assert "No.1 · 政策企画局 · 産業 · 現在・過去" in page and "No.56 · 環境局 · 環境 · 現在・過去" in page


def test_every_member_of_a_group_lists_the_groups_projects(fy2022):
    """A group's stated members: each member municipality's page lists every project that names
    the group as a current partner, as naming the place or under the group."""
    reference, years, pages = fy2022
    catalogue = Catalogue(years, reference)
    checked = 0
    for label, group in reference.groups.items():
        projects = [
            p
            for p in catalogue.all_projects
            if any(m.kind == "group" and m.name == label and m.role == "current" for m in p.mentions)
        ]
        for code in group.members:
            if reference.places[code].is_prefecture:
                continue
            path = municipality_path(code)
            listed = set(links_in(pages, path, "uses-h")) | set(links_in(pages, path, "via-h"))
            assert {project_path(p) for p in projects} <= listed, (label, code)
            checked += 1
    assert checked > 3000


def test_a_place_no_project_names_says_so_and_what_reaches_it(fy2022):
    _, _, pages = fy2022
    page = text_of(pages, "municipalities/205419/index.html")  # 小布施町
    assert "小布施町(長野県上高井郡):この名前を挙げる事業はありません。グループを通じて含まれる事業 9件" in page
    assert "全国の自治体 を通じて(5件)" in page and "都外市区町村 を通じて(4件)" in page
    assert len(links_in(pages, "municipalities/205419/index.html", "via-h")) == 9


def test_a_prefecture_page_lists_all_its_municipalities(fy2022):
    reference, _, pages = fy2022
    for prefecture in reference.prefectures:
        html = pages[prefecture_path(prefecture)].decode("utf-8")
        linked = set(re.findall(r'href="\.\./\.\./municipalities/(\d{6})/index\.html"', html))
        own = {
            code
            for code, place in reference.places.items()
            if place.pref_code == prefecture.pref_code and place.kind in MUNICIPAL_KINDS
        }
        assert own <= linked, prefecture.name


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


def test_the_first_use_of_the_search_box_loads_at_most_80_kb_gzipped(fy2022):
    """What the box loads when first used on the FY2022 site: the index, the place dictionary
    (the same for every year, cached) and, with the page already, search.js."""
    import gzip

    _, _, pages = fy2022
    sizes = {
        name: len(gzip.compress(pages[name], 9, mtime=0))
        for name in ("search-index.js", "place-dictionary.js", "static/search.js")
    }
    assert sum(sizes.values()) <= 80_000, sizes


def test_a_prefecture_page_gives_each_project_one_line_with_its_roles(fy2022):
    """Each list of a prefecture page names a project once, with every role it gives the
    prefecture or its places; No.1 names 川崎市 and 横浜市 as current and as past partners."""
    reference, years, pages = fy2022
    for prefecture in reference.prefectures:
        html = pages[prefecture_path(prefecture)].decode("utf-8")
        for part in re.findall(r"<section.*?</section>", html, flags=re.S):
            for piece in part.split("<h3"):
                found = re.findall(r'href="(?:\.\./)*(\d{4}/projects/\d+/index\.html)"', piece)
                assert len(found) == len(set(found)), prefecture.name
    named = section(
        pages, "prefectures/kanagawa/index.html", "神奈川県または県内の市区町村が関係自治体として挙がる事業"
    )
    first = next(p for p in years[0].projects if p.no == 1)
    assert named.count(first.name) == 1 and f"{first.name} 政策企画局 · 産業 · 川崎市、横浜市 · 現在・過去" in named
