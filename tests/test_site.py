"""The built site: every page present, every internal link resolves, data escaped."""

from __future__ import annotations

import posixpath
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import DATA

from renkei_site import pipeline
from renkei_site.site.html import remarks_html


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, bytes]:
    from renkei_site.resolve.reference import load_reference
    from renkei_site.site.render import render_site, site_renderer
    from renkei_site.site.theme import site_theme

    reference = load_reference(DATA)
    years = pipeline.load_years(DATA, reference)
    notes = pipeline.load_pages_and_notes(DATA, years, reference)
    return render_site(site_renderer(years, reference, site_theme(), notes=notes))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def broken_links(pages: dict[str, bytes]) -> list[tuple[str, str]]:
    """(page, link) for every relative link or src that points at no file of the site."""
    broken = []
    for path, data in pages.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        parser = Links()
        parser.feed(data.decode("utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "data"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path)))
            if parts.path.endswith("/") or not parts.path:
                target = posixpath.join(target, "index.html") if parts.path else path
            if target not in pages:
                broken.append((path, link))
    return broken


def read_site(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_every_internal_link_resolves(pages):
    assert broken_links(pages) == []


def test_every_internal_link_resolves_with_two_years(two_years):
    pages = read_site(two_years["site"])
    assert len(pages) > 450
    assert broken_links(pages) == []


def test_the_pages_the_catalogue_promises(pages):
    expected = [
        "index.html",
        "2022/index.html",
        "search/index.html",
        "notes/index.html",
        "about/index.html",
        "404.html",
        "prefectures/index.html",
        "prefectures/tokyo/index.html",
        "prefectures/13/index.html",
        "prefectures/oita/index.html",
        "municipalities/141305/index.html",
        "bureaus/index.html",
        "fields/index.html",
        "fields/kankyo/index.html",
        "2022/projects.csv",
        "2022/partners.csv",
    ]
    assert [p for p in expected if p not in pages] == []
    assert sum(1 for p in pages if re.fullmatch(r"2022/projects/\d{3}/index.html", p)) == 79
    assert sum(1 for p in pages if re.fullmatch(r"prefectures/[a-z]+/index.html", p)) == 47


def test_no_outside_resources(pages):
    for path, data in pages.items():
        if path.endswith((".html", ".css", ".js")):
            text = data.decode("utf-8")
            assert not re.search(
                r"""(src|href)=["']?(https?:)?//""",
                text.replace('href="https://www.ecosystem.metro.tokyo.lg.jp/members/"', ""),
            ), path
            assert "@import" not in text and "fonts.googleapis" not in text


def page_text(data: bytes) -> str:
    body = re.sub(r"<svg.*?</svg>", " ", data.decode("utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def section(text: str, heading: str, next_heading: str) -> str:
    return text[text.index(heading) : text.index(next_heading, text.index(heading))]


def test_prefecture_page_says_how_it_is_involved(pages):
    text = page_text(pages["prefectures/nagano/index.html"])
    named = section(text, "長野県または県内の市区町村が関係自治体として挙がる事業 ", "名前が挙がる市区町村")
    assert "地方連携参画型広域プロモーション" in named and "諏訪市" in named
    via = section(text, "グループを通じて含まれる事業 長野県の名前は", "過去の関係自治体として挙がる事業 ")
    assert "全国道府県 を通じて(25件)" in via and "産業交流展" in via
    assert "地方連携参画型広域プロモーション" not in via  # named: not counted again through a group
    past = text[text.index("過去の関係自治体として挙がる事業 医療機器") :]
    assert "医療機器産業への参入支援" in past  # 長野県 named as a past partner
    assert "長野市 (2件)" in text


def test_group_pages_list_members_and_projects(pages):
    text = page_text(pages["groups/kyu-tokenshi/index.html"])
    assert "構成 9団体" in text and "神奈川県相模原市" in text
    assert "再生可能エネルギーグループ購入促進モデル事業" in text
    project = pages["2022/projects/056/index.html"].decode()
    assert 'href="../../../groups/kyu-tokenshi/index.html"' in project


@pytest.mark.parametrize(
    ("remarks", "html"),
    [
        (
            'see <a href="https://example.jp/x">site</a>',
            'see <a href="https://example.jp/x" rel="noopener noreferrer">site</a>',
        ),
        ('<a href="javascript:alert(1)">x</a>', "&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<a href="https://e.jp" onclick="alert(1)">x</a>', '<a href="https://e.jp" rel="noopener noreferrer">x</a>'),
        (
            "詳細は https://e.jp/a?b=1 を参照",
            '詳細は <a href="https://e.jp/a?b=1" rel="noopener noreferrer">https://e.jp/a?b=1</a> を参照',
        ),
    ],
)
def test_remarks_keep_safe_links_and_neutralise_the_rest(remarks, html):
    assert str(remarks_html(remarks)) == html
