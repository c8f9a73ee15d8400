"""Atom feeds (site/feeds.py): one for the site, each prefecture, municipality with a page, field
and bureau; read as a feed reader reads them (feedparser) and checked against RFC 4287's rules;
every page links its feed and shows a subscribe link; dated by the data, never the clock."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from renkei_site.site import feeds, paths
from renkei_site.site.render import site_renderer
from renkei_site.site.share import FEED_KINDS
from renkei_site.site.theme import site_theme

feedparser = pytest.importorskip("feedparser")

BASE = "https://example.org/renkei/"
A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def renderer_of(data, base_url=BASE):
    from renkei_site import pipeline

    reference = pipeline.load_reference(data)
    years = pipeline.load_years(data, reference)
    notes = pipeline.load_pages_and_notes(data, years, reference)
    return site_renderer(years, reference, site_theme(), base_url, notes=notes)


@pytest.fixture(scope="module")
def r():
    from conftest import DATA

    return renderer_of(DATA)


@pytest.fixture(scope="module")
def feeds_made(r) -> dict[str, bytes]:
    return {page.path: r.render(page) for page in r.plan if page.kind == "feed"}


def test_a_feed_for_the_site_and_every_page_of_each_kind_that_has_one(r, feeds_made):
    wanted = {paths.FEED} | {paths.feed_path(p.path) for p in r.plan if p.kind in FEED_KINDS}
    assert set(feeds_made) == wanted
    municipalities = {p.key for p in r.plan if p.kind == "municipality"}
    assert municipalities >= set(r.cat.municipalities)  # every municipality named has a page, so a feed
    assert {p.key[1] for p in r.plan if p.kind == "feed" and p.key[0] == "municipality"} == municipalities
    assert {p.key[1] for p in r.plan if p.kind == "feed" and p.key[0] == "prefecture"} == {
        place.code for place in r.ref.prefectures
    }


def test_every_feed_is_atom_a_feed_reader_reads_without_complaint(r, feeds_made):
    project_urls = {BASE + p.path.removesuffix("index.html") for p in r.plan if p.kind == "project"}
    for path, data in feeds_made.items():
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", path
        assert parsed.feed.title.endswith("全国各地との連携事業カタログ")
        assert parsed.feed.updated == feeds.updated(r.cat.latest)
        for entry in parsed.entries:
            assert entry.link == entry.id, path
            assert entry.link in project_urls or entry.link.startswith(BASE + "2022/"), (path, entry.link)
            assert entry.updated == "2022-04-01T00:00:00+09:00"


def test_every_feed_keeps_rfc_4287s_rules(feeds_made):
    """What the Atom schema requires, checked element by element (RFC 4287 4.1.1, 4.1.2)."""
    for path, data in feeds_made.items():
        root = ET.fromstring(data)
        assert root.tag == f"{A}feed"
        for tag in ("id", "title", "updated"):
            assert len(root.findall(f"{A}{tag}")) == 1, (path, tag)
        assert root.find(f"{A}author/{A}name").text
        links = {(link.get("rel"), link.get("type")): link.get("href") for link in root.findall(f"{A}link")}
        assert links[("self", "application/atom+xml")] == BASE + path
        assert links[("alternate", "text/html")] == BASE + path.removesuffix(paths.FEED)
        ids = [root.find(f"{A}id").text]
        for entry in root.findall(f"{A}entry"):
            for tag in ("id", "title", "updated"):
                assert len(entry.findall(f"{A}{tag}")) == 1, (path, tag)
            assert [link.get("rel") for link in entry.findall(f"{A}link")] == ["alternate"]
            assert entry.find(f"{A}summary") is not None  # no content element: a summary is required
            ids.append(entry.find(f"{A}id").text)
        assert len(ids) == len(set(ids)), path
        for stamp in [e.text for e in root.iter(f"{A}updated")]:
            assert RFC3339.fullmatch(stamp), (path, stamp)
        assert all(i.startswith(BASE) for i in ids)


def entry_ids(data: bytes) -> set[str]:
    return {entry.id for entry in feedparser.parse(data).entries}


def project_url(project) -> str:
    return BASE + paths.project_path(project).removesuffix("index.html")


def test_each_prefectures_feed_holds_the_projects_that_name_it(r, feeds_made):
    """A property over all 47: named, named in the past or in 備考 — not those that only include it through a group."""
    for place in r.ref.prefectures:
        expected = {
            project_url(inv.project)
            for year in r.cat.years
            for inv in r.cat.by_prefecture(year).get(place.pref_code, [])
            if inv.how != "group"
        }
        assert entry_ids(feeds_made[paths.feed_path(paths.prefecture_path(place))]) == expected, place.name


def test_each_municipalitys_feed_holds_the_projects_of_its_page(r, feeds_made):
    for code, uses in r.cat.municipalities.items():
        expected = {project_url(use.project) for use in uses}
        assert entry_ids(feeds_made[paths.feed_path(paths.municipality_path(code))]) == expected, code


def test_field_and_bureau_feeds_hold_their_projects(r, feeds_made):
    for name, projects in r.cat.by_field.items():
        assert entry_ids(feeds_made[paths.feed_path(r.field_path(name))]) == {project_url(p) for p in projects}
    for slug, projects in r.cat.by_bureau.items():
        assert entry_ids(feeds_made[paths.feed_path(paths.bureau_path(slug))]) == {project_url(p) for p in projects}


def test_the_site_feed_has_the_year_and_every_project_of_a_first_year(r, feeds_made):
    parsed = feedparser.parse(feeds_made[paths.FEED])
    year = r.cat.latest
    assert parsed.entries[0].id == BASE + "2022/"
    assert f"{len(year.projects)}事業" in parsed.entries[0].title
    assert {e.id for e in parsed.entries[1:]} == {project_url(p) for p in year.projects}


def test_a_new_years_site_feed_says_what_was_added_ended_and_changed(two_years):
    r = renderer_of(two_years["data"])
    diff = r.cat.diffs[2023]
    parsed = feedparser.parse(r.render(next(p for p in r.plan if p.path == paths.FEED)))
    assert not parsed.bozo
    assert [e.id for e in parsed.entries[:2]] == [BASE + "2023/", BASE + "2022/"]
    assert parsed.entries[0].link == BASE + "2023/changes/"
    assert f"新規掲載 {len(diff.added)}件" in parsed.entries[0].summary
    assert parsed.feed.updated == feeds.updated(r.cat.latest) != feeds.updated(r.cat.years[0])
    wanted = {project_url(p) for p in diff.added} | {project_url(c.new) for c in diff.changed}
    wanted |= {project_url(p) for p in diff.removed}
    assert {e.id for e in parsed.entries[2:]} == wanted
    ended = [e for e in parsed.entries if e.id in {project_url(p) for p in diff.removed}]
    assert ended and all("掲載なし" in e.summary for e in ended)


def test_updated_is_the_lists_date_or_the_start_of_its_fiscal_year():
    from renkei_site.records import Year

    assert feeds.updated(Year(2023, "2023-05-10", "t", {}, (), "")) == "2023-05-10T00:00:00+09:00"
    assert feeds.updated(Year(2023, None, "t", {}, (), "")) == "2023-04-01T00:00:00+09:00"


def test_text_that_xml_cannot_hold_is_replaced_and_markup_is_escaped():
    feed = ET.Element(f"{A}feed")
    feeds.text(feed, "title", "<script>&\x01\ufffe</script>")
    data = ET.tostring(feed)
    assert ET.fromstring(data).find(f"{A}title").text == "<script>&\ufffd\ufffd</script>"
    assert b"<script>" not in data


def test_feeds_are_the_same_bytes_every_time(r, feeds_made):
    for page in [p for p in r.plan if p.kind == "feed"][:20]:
        assert r.render(page) == feeds_made[page.path]


def test_every_page_links_its_feed_and_shows_a_subscribe_link(r):
    feeds_planned = {p.path for p in r.plan if p.kind == "feed"}
    for page in r.plan:
        if not page.path.endswith(".html") or page.kind == "redirect":
            continue
        html = r.render(page).decode("utf-8")
        linked = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', html)
        assert linked, page.path
        target = linked.group(1).removeprefix(BASE)
        assert target in feeds_planned, page.path
        own = page.kind in FEED_KINDS
        assert target == (paths.feed_path(page.path) if own else paths.FEED), page.path
        assert re.search(r'<p class="subscribe"><a href="[^"]*feed\.xml" type="application/atom\+xml">[^<]+購読', html)


def test_without_a_base_url_there_are_no_feeds_nor_links_to_them():
    from conftest import DATA

    r = renderer_of(DATA, None)
    assert not [p for p in r.plan if p.kind in ("feed", "preview", "sitemap")]
    html = r.render(next(p for p in r.plan if p.kind == "prefecture")).decode("utf-8")
    assert "application/atom+xml" not in html and "og:" not in html


def test_the_feeds_and_the_downloads_page_state_the_terms_in_one_wording(r, feeds_made):
    """The attribution and the terms are written once (site/exports/terms.py): every feed's
    <rights> is the credit with the licence, and the downloads page says the terms word for word,
    the credit quoted in them as the downloads carry it."""
    from html import unescape

    from renkei_site.site.exports import terms

    assert {ET.fromstring(data).find(f"{A}rights").text for data in feeds_made.values()} == {
        f"{terms.CREDIT}({terms.LICENSE})"
    }
    page = next(p for p in r.plan if p.kind == "downloads_page")
    paragraph = re.search(r'<p class="terms">利用条件:(.*?)</p>', r.render(page).decode("utf-8"), flags=re.S)
    assert unescape(paragraph.group(1)) == terms.TERMS
    assert "「出典:東京都『全国各地との連携事業一覧』(各年度)を加工して作成」" in terms.TERMS
    assert terms.CREDIT == "出典:東京都「全国各地との連携事業一覧」(各年度)を加工して作成"
