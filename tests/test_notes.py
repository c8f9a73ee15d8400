"""Editors' pages and notes: checked with located errors (notes.py), rendered safely
(site/markdown.py), shown on their pages, exported, searchable, and never touched by import."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from conftest import DATA, seed_path, visible_files
from example_notes import MARKER, PAGE, TARGETS, write_notes

from renkei_site import pipeline
from renkei_site.cli import main
from renkei_site.site.markdown import link_target, plain_text, to_html


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- Markdown to safe HTML ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('<div onclick="x()">a</div>', '<p>&lt;div onclick="x()"&gt;a&lt;/div&gt;</p>'),
        ("a <b>b</b> &lt;c&gt;", "<p>a &lt;b&gt;b&lt;/b&gt; &lt;c&gt;</p>"),
        ("[x](https://e.jp/a?b=1&c=2)", '<p><a href="https://e.jp/a?b=1&amp;c=2" rel="noopener noreferrer">x</a></p>'),
        ("[x](mailto:a@e.jp)", '<p><a href="mailto:a@e.jp" rel="noopener noreferrer">x</a></p>'),
        ("<https://e.jp/>", '<p><a href="https://e.jp/" rel="noopener noreferrer">https://e.jp/</a></p>'),
        ("[x](javascript:alert(1))", "<p><span>x</span></p>"),
        (
            '[x](https://e.jp/ "t\\" onmouseover=\\"alert(1)")',  # the title stays one attribute value
            '<p><a href="https://e.jp/" rel="noopener noreferrer" title="t\\&quot; onmouseover=\\&quot;alert(1)">x</a></p>',
        ),
        ("[長野](/prefectures/nagano/)", '<p><a href="../../prefectures/nagano/index.html">長野</a></p>'),
        ("[長野](prefectures/nagano)", '<p><a href="../../prefectures/nagano/index.html">長野</a></p>'),
        ("[CSV](2022/projects.csv)", '<p><a href="../../2022/projects.csv">CSV</a></p>'),
        ("[検索](/search/?q=水素#results)", '<p><a href="../../search/index.html?q=水素#results">検索</a></p>'),
        ("[上](#md-x)", '<p><a href="#md-x">上</a></p>'),
        ("[外](../../../etc/passwd)", "<p><span>外</span></p>"),
        ("![地図](static/map.png)", '<p><img alt="地図" src="../../static/map.png"></p>'),
        ("![地図](https://e.jp/map.png)", '<p><a href="https://e.jp/map.png" rel="noopener noreferrer">地図</a></p>'),
        ("![地図](javascript:alert(1))", "<p><span>地図</span></p>"),
        ("![地図](#md-x)", "<p><span>地図</span></p>"),
        ("# 大見出し\n\n## 小見出し", '<h3 id="md-大見出し">大見出し</h3>\n<h4 id="md-小見出し">小見出し</h4>'),
        ("### 浅くない\n\n#### その下", '<h3 id="md-浅くない">浅くない</h3>\n<h4 id="md-その下">その下</h4>'),
        (
            "| a | b |\n|:-:|--:|\n| 1 | 2 |",
            '<table>\n<thead>\n<tr>\n<th class="align-center">a</th>\n<th class="align-right">b</th>\n</tr>\n'
            '</thead>\n<tbody>\n<tr>\n<td class="align-center">1</td>\n<td class="align-right">2</td>\n</tr>\n'
            "</tbody>\n</table>",
        ),
        (
            "本文[^a]\n\n[^a]: 脚注",
            '<p>本文<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup></p>\n'
            '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:a">\n<p>脚注&#160;<a class="footnote-backref" '
            'href="#fnref:a" title="注1の箇所へ戻る">&#8617;</a></p>\n</li>\n</ol>\n</div>',
        ),
    ],
)
def test_markdown_becomes_safe_html(text, html):
    assert str(to_html(text, "../../", top=3)) == html


def test_each_text_is_rendered_afresh():
    first = to_html("a[^1]\n\n[^1]: x\n\n# 見出し")
    assert to_html("a[^1]\n\n[^1]: x\n\n# 見出し") == first  # no footnote numbers or ids carried over


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "&amp;#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "\x01javascript:alert(1)",
        "//evil.example/x",
        "\\\\evil.example/x",
        "/\\evil.example/x",
        "ftp://e.jp/",
        "file:///etc/passwd",
        "java\u200bscript:alert(1)",
        "%2e%2e/%2e%2e/x",
        "../x",
        "",
    ],
)
def test_links_anywhere_else_lose_their_link(href):
    assert link_target(href, "../") is None


def test_plain_text_is_the_words():
    assert plain_text("# 見出し\n\n**太字**と[リンク](https://e.jp)[^1]\n\n[^1]: 脚注") == "見出し 太字とリンク1 脚注"


# --- Located errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "content", "line", "message"),
    [
        ("notes/projects/2022/999.md", "x", 1, "no project 2022/999"),
        ("notes/projects/2021/001.md", "x", 1, "no project 2021/001"),
        ("notes/prefectures/nagan.md", "x", 1, "no prefecture nagan (a note is named like the page: nagano.md)"),
        ("notes/municipalities/999999.md", "x", 1, "no municipality 999999 in data/reference/municipalities.csv"),
        ("notes/bureaus/nothing.md", "x", 1, "no bureau nothing in data/bureaus.yaml"),
        ("notes/bureaus/fukushi.md", "x", 1, "bureau fukushi has no page: no project names it"),
        ("notes/fields/nothing.md", "x", 1, "no field nothing in data/fields.yaml"),
        ("notes/towns/x.md", "x", 1, "not a note: notes are data/notes/projects/<year>/<id>.md or "),
        ("notes/projects/2022/001.txt", "x", 1, "not a note: "),
        ("notes/prefectures/nagano.md", b"ok\n\xff", 2, "not UTF-8 text"),
        ("pages/About.md", "# x", 1, "a page is data/pages/<name>.md, the name in a-z, 0-9 and - (it is the URL)"),
        ("pages/sub/page.md", "# x", 1, "a page is data/pages/<name>.md"),
        ("pages/prefectures.md", "# x", 1, "page name prefectures is taken by the site's own pages"),
        ("pages/2023.md", "# x", 1, "page name 2023 is taken by the site's own pages"),
        ("pages/untitled.md", "\n\n本文だけ", 3, "a page begins with its title: a line '# タイトル'"),
        ("pages/level.md", "## 小見出し", 1, "a page begins with its title: a line '# タイトル'"),
    ],
)
def test_mistakes_are_located_by_check_and_build(data_2022, tmp_path, capsys, relative, content, line, message):
    path = data_2022 / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    code, _, err = run(capsys, "check", "--data", str(data_2022))
    assert code == 1
    assert f"{path}:{line}: {message}" in err
    out = tmp_path / "_site"
    code, _, err = run(capsys, "build", "--data", str(data_2022), "--out", str(out))
    assert code == 1 and f"{path}:{line}: {message}" in err and "nothing written" in err
    assert not out.exists()


def test_the_about_and_notes_pages_are_required(data_2022, capsys):
    (data_2022 / "pages" / "about.md").unlink()
    shutil.rmtree(data_2022 / "pages")
    code, _, err = run(capsys, "check", "--data", str(data_2022))
    assert code == 1
    assert f"{data_2022 / 'pages' / 'about.md'}:1: missing: the site needs it (the header links to it)" in err
    assert f"{data_2022 / 'pages' / 'notes.md'}:1: missing: the site needs it" in err


def test_every_mistake_at_once_and_the_previous_site_stays(data_2022, tmp_path, capsys):
    out = tmp_path / "_site"
    assert run(capsys, "build", "--data", str(data_2022), "--out", str(out))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for name in ("projects/2022/998.md", "projects/2022/999.md", "fields/nothing.md"):
        (data_2022 / "notes" / name).parent.mkdir(parents=True, exist_ok=True)
        (data_2022 / "notes" / name).write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "build", "--data", str(data_2022), "--out", str(out))
    assert code == 1 and "3 problems; nothing written" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# --- The site -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def noted(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("noted")
    data = root / "data"
    shutil.copytree(DATA, data)
    files = write_notes(data)
    pipeline.build(data, root / "_site")
    return {"data": data, "files": files, "site": (root / "_site").resolve()}


def text_of(page: Path) -> str:
    body = re.sub(r"<svg.*?</svg>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def note_section(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index('<section class="note"') : html.index("</section>", html.index('<section class="note"'))]


@pytest.mark.parametrize("kind", list(TARGETS))
def test_every_kind_of_note_is_shown_on_its_page(noted, kind):
    section = note_section(noted["site"] / TARGETS[kind][1])
    assert '<h2 id="note-h">編集部の注記</h2>' in section
    assert f'<h3 id="md-{MARKER[kind]}">{MARKER[kind]}</h3>' in section
    assert f"&lt;script&gt;alert('{kind}')&lt;/script&gt; は文字として表示されます。" in section
    assert "<script" not in section
    assert f'<a href="https://example.jp/report/{kind}" rel="noopener noreferrer">報告</a>' in section
    depth = TARGETS[kind][1].count("/")
    assert f'<a href="{"../" * depth}prefectures/nagano/index.html">長野県</a>' in section
    assert '<td class="align-right">3</td>' in section and 'id="fn:1"' in section


def test_a_page_without_a_note_has_no_note_section(noted):
    assert '<section class="note"' not in (noted["site"] / "2022/projects/002/index.html").read_text(encoding="utf-8")


def test_a_new_markdown_file_is_a_new_page_listed_in_the_footer(noted):
    page = noted["site"] / "policy" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "<title>編集方針 | " in html and "<h1>編集方針</h1>" in html
    assert '<h2 id="md-出典の示し方">出典の示し方</h2>' in html
    assert '<a href="../prefectures/nagano/index.html">長野県のページ</a>' in html
    footer = (noted["site"] / "2022" / "index.html").read_text(encoding="utf-8").split('<footer class="site">')[1]
    titles = re.findall(r'<a href="\.\./([a-z-]+)/index\.html">([^<]+)</a>', footer)
    assert titles == [("about", "このサイトについて"), ("notes", "データについての注記"), ("policy", "編集方針")]
    assert PAGE.splitlines()[2] in text_of(page)


def test_the_about_page_is_markdown_with_the_sources_below(noted):
    about = (DATA / "pages" / "about.md").read_text(encoding="utf-8")
    assert about.startswith("# このサイトについて\n")
    text = text_of(noted["site"] / "about" / "index.html")
    assert "参照データとライセンス" in text and "japanmap(Apache License 2.0)" in text
    assert "出典 東京都『令和4年度 全国各地との連携事業一覧(令和4年4月1日時点)』" in text
    assert "2022年度: projects.csv · projects.json · partners.csv" in text


def test_the_notes_page_keeps_its_list_of_readings(noted):
    text = text_of(noted["site"] / "notes" / "index.html")
    assert "原文の表記ゆれ(ヶ/ケ、旧字体など)は正式名で表示し" in text
    assert "訂正・曖昧・未解決の記載" in text and "訂正:文教区→文京区" in text


def test_exports_carry_the_note_as_markdown_source(noted, capsys):
    source = (noted["files"]["project"]).read_text(encoding="utf-8").rstrip()
    rows = json.loads((noted["site"] / "2022" / "projects.json").read_text(encoding="utf-8"))
    assert rows[0]["notes"] == source and rows[1]["notes"] == ""
    table = (noted["site"] / "2022" / "projects.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert list(rows[0])[-1] == "notes" and rows[0]["notes"] == source and rows[1]["notes"] == ""
    code, out, _ = run(capsys, "export", "projects", "--data", str(noted["data"]), "--format", "json")
    assert code == 0 and json.loads(out)[0]["notes"] == source
    code, out, _ = run(capsys, "export", "projects", "--data", str(noted["data"]))
    assert code == 0 and next(csv.DictReader(io.StringIO(out)))["notes"] == source


def test_the_search_index_carries_the_note_text(noted):
    script = (noted["site"] / "search-index.js").read_text(encoding="utf-8")
    index = json.loads(script.removeprefix("window.RENKEI_SEARCH=").removesuffix(";\n"))
    noted_items = [item for item in index["items"] if "e" in item]
    assert [item["u"] for item in noted_items] == ["2022/projects/001/index.html"]
    assert noted_items[0]["e"].startswith(f"{MARKER['project']} 東京都の報告によれば、長野県とも連携しています1。 年度")
    assert "\\u003cscript>" in script and "<script" not in script


def test_check_counts_pages_and_notes(noted, capsys):
    code, out, _ = run(capsys, "check", "--data", str(noted["data"]))
    assert code == 0 and "checked 3 page(s) in data/pages/, 5 note(s) in data/notes/" in out


def test_import_never_touches_pages_or_notes(data_copy, tmp_path, capsys):
    write_notes(data_copy)

    def editors_files() -> dict:
        return {p: b for p, b in visible_files(data_copy).items() if p.parts[0] in ("pages", "notes")}

    before = editors_files()
    assert len(before) == 8  # two shipped pages, one new page, five notes
    assert run(capsys, "import", str(seed_path()), "--data", str(data_copy))[0] == 0
    assert editors_files() == before
    assert run(capsys, "import", str(seed_path()), "--data", str(data_copy), "--force")[0] == 0
    assert editors_files() == before
    out = tmp_path / "_site"
    assert run(capsys, "build", "--data", str(data_copy), "--out", str(out))[0] == 0
    for kind, (_, page) in TARGETS.items():
        assert MARKER[kind] in (out / page).read_text(encoding="utf-8"), kind


def test_a_note_edit_is_a_change_for_the_build(noted, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(noted["data"], data)
    out = tmp_path / "_site"
    pipeline.build(data, out)
    assert pipeline.build(data, out).unchanged
    (data / "notes" / TARGETS["field"][0]).write_text("改訂した注記", encoding="utf-8")
    result = pipeline.build(data, out)
    assert not result.unchanged and result.written >= 1
    assert "改訂した注記" in (out / TARGETS["field"][1]).read_text(encoding="utf-8")


def test_notes_are_accepted_exactly_where_the_site_has_a_page(noted):
    from renkei_site.notes import kinds_with_pages
    from renkei_site.resolve.reference import load_reference

    reference = load_reference(noted["data"])
    kinds = kinds_with_pages(pipeline.load_years(noted["data"], reference), reference)
    site = noted["site"]

    def keys(pattern: str) -> set[str]:
        return {path.parent.name for path in site.glob(pattern)}

    projects = {f"{p.parents[2].name}/{p.parent.name}" for p in site.glob("*/projects/*/index.html")}
    assert kinds["project"].with_page == projects and len(projects) == 79
    assert kinds["prefecture"].with_page == {key for key in keys("prefectures/*/index.html") if not key.isdigit()}
    assert kinds["municipality"].with_page == keys("municipalities/*/index.html")
    assert kinds["bureau"].with_page == keys("bureaus/*/index.html")
    assert kinds["field"].with_page == keys("fields/*/index.html")


def test_page_names_are_not_the_sites_own_folders(noted):
    from renkei_site.notes import SITE_FOLDERS

    pages = {path.name for path in (noted["data"] / "pages").glob("*.md")}
    folders = {p.name for p in noted["site"].iterdir() if p.is_dir()}
    own = {name for name in folders if not name.isdigit() and f"{name}.md" not in pages}
    assert own == set(SITE_FOLDERS)  # a folder the generator adds must be reserved here


@pytest.mark.browser
def test_search_finds_a_project_by_its_note(noted, page):
    from renkei_site.serve import serving

    with serving(noted["site"]) as base:
        page.goto(base + "search/index.html?q=" + MARKER["project"])
        page.wait_for_function("document.querySelectorAll('#results li').length > 0")
        assert page.locator("#results li a").all_text_contents() == [
            "スタートアップ・エコシステム拠点都市の形成事業(東京コンソーシアム)"
        ]
        assert page.inner_text("#results li .why").startswith("一致:注記 · 2022年度")
    assert page.problems == []


def test_import_names_notes_left_without_their_project(data_copy, capsys):
    path = data_copy / "notes" / "projects" / "2022" / "999.md"
    path.parent.mkdir(parents=True)
    path.write_text("消えた事業への注記", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(seed_path()), "--data", str(data_copy))
    assert code == 0 and (data_copy / "2022" / "projects.yaml").exists()
    assert (
        f"to fix before building (the records are written; fix data/ and run `renkei-site check`):\n  {path}:1: no project 2022/999"
        in out
    )
    assert path.read_text(encoding="utf-8") == "消えた事業への注記"
