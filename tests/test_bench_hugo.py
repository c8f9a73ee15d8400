"""bench/hugo.py: the Hugo site the bench holds a build against has the same pages as ours.

The bench's ratios mean something only if Hugo builds the same pages with the same text, so
the pages' paths, their count and what they show are checked here, on a real FY2022 build,
with Debian's ``hugo`` (skipped, saying how to install it, where it is missing).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT / "bench"))

import hugo

PAGE = """<!doctype html><html><head>
<meta name="description" content="A &amp; B &lt;script&gt;">
</head><body><header><a href="../index.html">skip me</a></header>
<main id="main"><h1>東京都 &lt;b&gt;千代田区</h1>
<p class="summary">事業 <strong>1件</strong> *強調* [x](javascript:alert(1))</p>
<ul><li><a href="../../2022/projects/001/index.html">事業&amp;名</a> <span>No.1</span></li></ul>
<svg viewBox="0 0 1 1"><path d="M0 0"/></svg>
</main><footer><a href="x">footer</a></footer></body></html>"""


def test_a_page_gives_its_title_description_links_and_text() -> None:
    content = hugo.page_content(PAGE)
    assert content.title == "東京都 <b>千代田区"
    assert content.description == "A & B <script>"
    assert content.partners == (hugo.Partner("事業&名", "../../2022/projects/001/index.html"),)
    assert content.body == (
        '事業 1件 \\*強調\\* \\[x\\](javascript:alert(1))\n\nNo.1\n\n<svg viewBox="0 0 1 1"><path d="M0 0"/></svg>'
    )


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded machine is slow
@given(st.text(), st.text(), st.lists(st.tuples(st.text(), st.text()), max_size=3))
def test_front_matter_gives_back_every_string(title: str, description: str, links: list) -> None:
    partners = tuple(hugo.Partner(name, url) for name, url in links)
    written = hugo.content_file(hugo.PageContent(title, description, partners, "body"))
    _, head, body = written.split("---\n", 2)
    assert yaml.safe_load(head) == {
        "title": title,
        "description": description,
        "partners": [{"name": p.name, "url": p.url} for p in partners],
    }
    assert body == "body\n"


def test_content_paths_follow_the_sites_folders() -> None:
    pages = ["index.html", "404.html", "2022/index.html", "2022/projects/001/index.html", "about/index.html"]
    pages += ["municipalities/131016/index.html"]
    assert hugo.content_paths(pages) == {
        "index.html": "_index.md",
        "2022/index.html": "2022/_index.md",
        "2022/projects/001/index.html": "2022/projects/001.md",
        "about/index.html": "about.md",
        "municipalities/131016/index.html": "municipalities/131016.md",
    }
    assert hugo.sections_without_page(pages) == ["municipalities"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from renkei_site import pipeline

    folder = tmp_path_factory.mktemp("fy2022")
    shutil.copytree(ROOT / "data", folder / "data", ignore=shutil.ignore_patterns(".cache", ".lock"))
    site = folder / "site"
    pipeline.build(folder / "data", site)
    return site.resolve()


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_hugo_builds_the_same_files_with_the_same_text(built: Path, tmp_path: Path) -> None:
    executable = hugo.find()
    if executable is None:
        pytest.skip(f"no hugo on PATH; install it: {hugo.INSTALL}")
    pages = hugo.make_site(built, tmp_path / "source")
    subprocess.run(hugo.command(executable, tmp_path / "source", tmp_path / "out"), check=True)
    ours = files(built) - {".manifest.json"}
    assert pages == sum(name.endswith(".html") for name in ours) > 2000  # every municipality
    assert files(tmp_path / "out") == ours
    page = "municipalities/131016/index.html"
    theirs = (tmp_path / "out" / page).read_text("utf-8")
    for shown in ("<h1>東京都千代田区</h1>", "全国地方公共団体コード", "../../2022/projects/001/index.html"):
        assert shown in (built / page).read_text("utf-8") and shown in theirs
