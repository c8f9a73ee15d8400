"""What only a browser shows: search as you type, URL state, map links, CSP, no outside requests, axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHROMIUM, DATA

from renkei_site import pipeline
from renkei_site.serve import serving

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (./scripts/test installs it)", allow_module_level=True)
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("web") / "_site"
    pipeline.build(DATA, out)
    return out.resolve()


@pytest.fixture(scope="module")
def server(site):
    with serving(site) as base:
        yield base


@pytest.fixture(scope="module")
def two_year_server(two_years):
    with serving(two_years["site"]) as base:
        yield base


def result_titles(page) -> list[str]:
    return page.locator("#results li a").all_text_contents()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("水素", "水素社会の実現に向けた取組"),
        ("かわさき", "首都圏水道事業体支援事業"),
        ("kawasaki", "首都圏水道事業体支援事業"),
        ("カワサキ", "首都圏水道事業体支援事業"),
        ("ＫＡＷＡＳＡＫＩ", "首都圏水道事業体支援事業"),
        ("marason", "東京マラソン10km招待事業"),
        ("tōkyō marason", None),  # 東京 is a place: its name in a project name is the second part
        ("ラムサール", "登録湿地を有する自治体との連携(ラムサール条約)"),
    ],
)
def test_typing_a_query_shows_the_right_projects(page, server, query, expected):
    page.goto(server + "search/index.html")
    page.fill("#q", query)
    if expected is None:
        page.wait_for_selector("#text-part li")
        assert page.locator("#text-part li a").all_text_contents() == ["東京マラソン10km招待事業"]
        assert "一致:事業名・事業内容" in page.locator("#text-part li .why").text_content()
    else:
        page.wait_for_selector("#results li")
        assert expected in result_titles(page)
    assert page.problems == []


def test_query_and_filters_round_trip_through_the_url(page, server):
    page.goto(server + "search/index.html")
    page.fill("#q", "福島")
    page.select_option("#f-field", value="環境")
    assert "q=%E7%A6%8F%E5%B3%B6" in page.url and "field=%E7%92%B0%E5%A2%83" in page.url
    titles = result_titles(page)
    assert titles and "水素社会の実現に向けた取組" in titles
    page.goto(page.url)  # a shared link opens the same list
    assert page.input_value("#q") == "福島" and page.input_value("#f-field") == "環境"
    assert result_titles(page) == titles
    page.goto(server + "search/index.html?pref=20&status=%E6%96%B0%E8%A6%8F")
    assert all("新規" in t for t in page.locator("#results li .why").all_text_contents())
    assert page.problems == []


def test_clicking_a_map_prefecture_opens_its_page(page, server):
    page.goto(server + "index.html")
    page.locator('svg.japan-map a[data-pref="20"]').click()
    page.wait_for_url("**/prefectures/nagano/index.html")
    assert page.locator("h1").text_content() == "長野県"
    assert page.problems == []


def test_prefecture_code_url_redirects_to_the_named_page(page, server):
    page.goto(server + "prefectures/13/")
    page.wait_for_url("**/prefectures/tokyo/index.html")
    assert page.locator("h1").text_content() == "東京都"


# One page of every template, from the two-year site so the changes page and history exist.
EVERY_KIND_OF_PAGE = [
    "index.html",
    "2023/index.html",
    "2023/changes/index.html",
    "2023/projects/012/index.html",
    "2022/projects/001/index.html",
    "bureaus/index.html",
    "bureaus/fukushi-hoken/index.html",
    "fields/index.html",
    "fields/kankyo/index.html",
    "prefectures/index.html",
    "prefectures/kanagawa/index.html",
    "municipalities/141305/index.html",
    "search/index.html",
    "search/index.html?q=kawasaki&year=2022",
    "notes/index.html",
    "about/index.html",
    "policy/index.html",  # a Markdown page from tests/example_notes.py
    "404.html",
]


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_no_serious_accessibility_violations(page, two_year_server, path):
    from axe_playwright_python.sync_playwright import Axe

    page.problems.clear()
    page.goto(two_year_server + path)
    results = Axe().run(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.problems == []


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_fits_a_phone_screen(browser, two_year_server, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(two_year_server + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 360px screen"


def test_prints_without_navigation(page, two_year_server):
    page.goto(two_year_server + "prefectures/nagano/index.html")
    page.emulate_media(media="print")
    assert page.locator("header.site nav").is_hidden()
    assert page.locator("main h1").is_visible() and page.locator("svg.japan-map").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
