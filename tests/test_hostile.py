"""Hostile input: the injection corpus (tests/hostile.py) in every column and in editors' notes and pages,
every page opened in Chromium."""

from __future__ import annotations

import shutil
from html import unescape
from pathlib import Path

import pytest
from conftest import DATA
from hostile import (
    BUREAU,
    FIELD,
    MARKDOWN_LINKS,
    PAGE_TITLE,
    PAYLOADS,
    hostile_list,
    hostile_notes,
    hostile_reference,
)

from renkei_site import pipeline
from renkei_site.resolve.wording import SEPARATORS
from renkei_site.serve import serving

SITE_SCRIPTS = ("static/search.js", "search-index.js", "place-dictionary.js")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("20[0-9][0-9]"))
    hostile_reference(data)
    source = root / "hostile.txt"
    source.write_bytes(hostile_list())
    result = pipeline.import_list(source, data)
    pipeline.build(data, root / "_site")
    return {"data": data, "result": result, "site": (root / "_site").resolve()}


def test_the_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 50
    families = ["<script", "onerror=", "javascript:", "data:text/html", "<svg", "<math", "</script>", "{{", '"><']
    assert all(any(f.lower() in p.lower() for p in PAYLOADS) for f in families)


def test_every_payload_is_kept_as_a_text_mention(hostile):
    projects = hostile["result"].year.projects
    assert len(projects) == len(PAYLOADS)
    edges = "".join(SEPARATORS)
    for project, payload in zip(projects, PAYLOADS, strict=True):
        texts = [m for m in project.mentions if m.kind == "text"]
        assert {m.role for m in texts} == {"current", "past"}, payload
        assert all(m.surface and m.surface.strip(edges) in payload for m in texts), payload
        assert project.description == normalized(f"説明 {payload}")  # cells are whitespace-folded


def page_paths(site: Path) -> list[str]:
    """Every HTML page but the prefecture-code redirects (they hold no data) and, of the ~1,800
    pages of municipalities no project names (one template, the same group lists), the first of
    each prefecture."""
    paths = sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not (p.parent.parent.name == "prefectures" and p.parent.name.isdigit())
    )
    seen: set[str] = set()
    kept = []
    for path in paths:
        if path.startswith("municipalities/") and "この名前を挙げる事業はありません" in (site / path).read_text(
            "utf-8"
        ):
            if path[15:17] in seen:
                continue
            seen.add(path[15:17])
        kept.append(path)
    return kept


AUDIT = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith('on')) found.push(`handler ${el.tagName} ${attr}`);
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const src = s.getAttribute('src') || '';
    if (!SITE.some(ok => src.endsWith(ok))) found.push(`script ${src || s.textContent.slice(0, 40)}`);
  }
  for (const el of document.querySelectorAll('iframe, object, embed, base, form:not([role=search]), style, math, template, input:not([type=search]):not([role=combobox]), video, marquee, details:not(.map-table):not(.group-part):not(.map-places-box)')) {
    found.push(`element ${el.tagName}`);
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (!svg.matches('.japan-map, .bar')) found.push('svg from data');
  }
  for (const meta of document.querySelectorAll('meta[http-equiv]')) {
    const kind = meta.getAttribute('http-equiv').toLowerCase();
    if (kind !== 'content-security-policy') found.push(`meta ${kind}`);
  }
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    const url = new URL(a.href, location.href);
    if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) found.push(`link ${a.getAttribute('href')}`);
    const outside = url.protocol === 'mailto:' || url.origin !== location.origin;
    if (outside && !(a.rel || '').split(/\\s+/).includes('noopener')) found.push(`no noopener ${a.href}`);
    if (a.hasAttribute('target')) found.push(`target ${a.href}`);
  }
  if (window.__pwned) found.push('payload ran');
  return found;
}""".replace("SITE", "[" + ", ".join(f"'{s}'" for s in SITE_SCRIPTS) + "]")


@pytest.mark.browser
def test_every_page_opens_with_nothing_injected(hostile, page):
    paths = page_paths(hostile["site"])
    assert len(paths) > 100
    findings = []
    with serving(hostile["site"]) as base:
        for path in paths:
            page.goto(base + path)
            findings += [f"{path}: {f}" for f in page.evaluate(AUDIT)]
    assert findings == []
    assert page.problems == []  # no dialog, no console error, no request leaving the site


def normalized(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.browser
def test_payloads_are_shown_as_text(hostile, page):
    with serving(hostile["site"]) as base:
        for number, payload in enumerate(PAYLOADS, start=1):
            page.goto(f"{base}2023/projects/{number:03d}/index.html")
            main = normalized(page.inner_text("main"))
            assert normalized(f"説明 {payload}") in main, payload
            assert normalized(f"事業{number} {payload}") in normalized(page.inner_text("h1")), payload
            assert page.title().startswith(f"事業{number} ")
        page.goto(f"{base}2023/projects/002/index.html")
        assert BUREAU in page.inner_text("main") and FIELD in page.inner_text("main")
        page.goto(f"{base}2023/projects/{PAYLOADS.index('{{ 7*7 }}') + 1:03d}/index.html")
        assert "{{ 7*7 }}" in page.inner_text("main") and "49" not in page.inner_text("main")
    assert page.problems == []


@pytest.mark.browser
def test_only_http_and_mailto_links_from_remarks_become_links(hostile, page):
    def remark_links(number: int) -> list[dict]:
        page.goto(f"{base}2023/projects/{number:03d}/index.html")
        return page.eval_on_selector_all(
            "section[aria-labelledby=rem-h] a",
            "els => els.map(a => ({href: a.getAttribute('href'), rel: a.rel, text: a.textContent}))",
        )

    with serving(hostile["site"]) as base:
        kept = {
            '<a href="https://example.com/ok" target="_blank">blank target</a>': "https://example.com/ok",
            "<a href='mailto:someone@example.com'>mail link</a>": "mailto:someone@example.com",
            '<a href="https://example.com/" onclick="alert(1)">link with handler</a>': "https://example.com/",
        }
        for payload, href in kept.items():
            links = remark_links(PAYLOADS.index(payload) + 1)
            assert [link["href"] for link in links] == [href]
            assert links[0]["rel"] == "noopener noreferrer"
        for number, payload in enumerate(PAYLOADS, start=1):
            if payload in kept or "https://example.com" in payload:
                continue
            assert remark_links(number) == [], payload
    assert page.problems == []


@pytest.mark.browser
def test_search_shows_hostile_names_as_text(hostile, page):
    with serving(hostile["site"]) as base:
        page.goto(base + "search/index.html?q=script")
        page.wait_for_function("document.querySelectorAll('#results li').length > 5")
        titles = page.locator("#results li a").all_text_contents()
        assert "事業1 <script>alert(1)</script>" in titles
        assert page.evaluate(AUDIT) == []
    assert page.problems == []


@pytest.mark.browser
def test_the_content_security_policy_blocks_inline_and_outside_code(hostile, page, tmp_path):
    probe = tmp_path / "site"
    shutil.copytree(hostile["site"], probe)
    home = (probe / "index.html").read_text(encoding="utf-8")
    injected = (
        "<script>window.__pwned = 1</script>"
        '<img src="https://evil.example/pixel.png" alt="">'
        '<script src="https://evil.example/x.js"></script>'
        '<div style="display:none" id=styled>styled</div>'
    )
    (probe / "index.html").write_text(home.replace("</main>", injected + "</main>"), encoding="utf-8")
    with serving(probe) as base:
        page.goto(base + "index.html")
        assert page.evaluate("window.__pwned") is None
        assert page.is_visible("#styled")  # inline style refused too
        assert page.evaluate("document.querySelector('svg.japan-map') !== null")
    refused = [p for p in page.problems if "violates the following Content Security Policy" in p]
    assert len(refused) == 4  # the inline script, the image, the outside script, the inline style
    assert [p for p in page.problems if p not in refused] == []  # and nothing left the site


@pytest.fixture(scope="module")
def hostile_noted(tmp_path_factory):
    """The shipped FY2022 with the corpus in a note of every kind and in a page."""
    root = tmp_path_factory.mktemp("hostile-notes")
    data = root / "data"
    shutil.copytree(DATA, data)
    paths = hostile_notes(data)
    pipeline.build(data, root / "_site")
    return {"paths": paths, "site": (root / "_site").resolve()}


MARKDOWN_HREFS = """() => Array.from(document.querySelectorAll('.markdown a'), a => [a.textContent, a.href, a.rel])"""


@pytest.mark.browser
def test_notes_and_pages_carry_the_corpus_as_text(hostile_noted, page):
    with serving(hostile_noted["site"]) as base:
        for path in hostile_noted["paths"]:
            page.goto(base + path)
            assert page.evaluate(AUDIT) == [], path
            text = normalized(page.inner_text(".markdown"))
            assert [p for p in PAYLOADS if normalized(unescape(p)) not in text] == [], path
            assert "javascript" not in page.evaluate("document.documentElement.innerHTML.replace(/>[^<]*</g, '><')")
            links = {text: href.removeprefix(base) for text, href, _ in page.evaluate(MARKDOWN_HREFS)}
            assert links == MARKDOWN_LINKS, path
            outside = [rel for _, href, rel in page.evaluate(MARKDOWN_HREFS) if not href.startswith(base)]
            assert outside and set(outside) == {"noopener noreferrer"}
        page.goto(base + "hostile/index.html")
        assert page.title().startswith(PAGE_TITLE) and page.inner_text("h1") == PAGE_TITLE
        assert PAGE_TITLE in page.inner_text("footer")
    assert page.problems == []
