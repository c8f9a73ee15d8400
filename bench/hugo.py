"""A Hugo site of the same pages as a built renkei-site, for the bench to hold a build against.

One content file for each HTML page of the built site (the pages are read from its
``.manifest.json``, so the count is the build's own), at the same path: a page with pages under
it is a section (``_index.md``, the list layout), any other a regular page (``NAME.md``, the
single layout), the home page ``content/_index.md`` and ``404.html`` the 404 layout.  Each
content file carries what its page shows: the title and description as front matter, every
link of the page's ``<main>`` as a list of partners to loop over, and the rest of ``<main>``'s
text (an inline map as raw HTML) as the Markdown body, so a page of Hugo's has about the text
and the links of ours.  The layouts do similar work: a base template (head, header with the
site's navigation, footer), a list and a single page, each looping over the partners.  The
build's other files (downloads, search index, CSS and scripts) go to ``static/`` and Hugo copies
them, so both write the same number of files.

    python bench/hugo.py --site BUILT_SITE --out HUGO_SOURCE   # then: hugo --source HUGO_SOURCE
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

INSTALL = "apt-get install -y hugo  (Debian's package, 0.111.3 in bookworm; run apt-get update first)"


def find() -> str | None:
    """The ``hugo`` on PATH, or None (the bench then says how to install it and skips Hugo)."""
    return shutil.which("hugo")


def command(executable: str, source: Path, destination: Path) -> list[str]:
    """Build the Hugo site at ``source`` into ``destination`` (a folder that must not exist yet)."""
    return [executable, "--quiet", "--source", str(source), "--destination", str(destination)]


@dataclass(frozen=True, slots=True)
class Partner:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class PageContent:
    """What one built page shows, as a Hugo content file carries it."""

    title: str
    description: str
    partners: tuple[Partner, ...]
    body: str  # Markdown (an inline <svg> kept as raw HTML)


MAIN = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
LINK = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S)
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|dd|dt|tr|div|section|summary)>|<br\s*/?>")
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"[ \t]+")


def page_content(page: str) -> PageContent:
    """Read a built page into its title, description, partners (links) and body text."""
    main_match = MAIN.search(page)
    main = main_match.group(1) if main_match else ""
    title = TITLE.search(main)
    description = DESCRIPTION.search(page)
    partners = tuple(Partner(text(name), html.unescape(url)) for url, name in LINK.findall(main))
    maps = SVG.findall(main)
    rest = BLOCK_END.sub("\n\n", LINK.sub("", SVG.sub("", TITLE.sub("", main, count=1))))
    lines = (SPACE.sub(" ", text(line)).strip() for line in rest.split("\n\n"))
    paragraphs = [escape_markdown(line) for line in lines if line]
    return PageContent(
        title=text(title.group(1)) if title else "",
        description=html.unescape(description.group(1)) if description else "",
        partners=partners,
        body="\n\n".join([*paragraphs, *maps]),
    )


def text(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment)).strip()


def escape_markdown(line: str) -> str:
    """A line of plain text as Markdown that shows it as it is (no HTML, no emphasis)."""
    return re.sub(r"([\\`*_{}\[\]<>#+\-!|])", r"\\\1", line)


def content_file(content: PageContent, extra: str = "") -> str:
    """YAML front matter (each string JSON-quoted: valid YAML, escaped) and the body."""
    partners = "".join(f"  - name: {quote(p.name)}\n    url: {quote(p.url)}\n" for p in content.partners)
    head = f"title: {quote(content.title)}\ndescription: {quote(content.description)}\n"
    return f"---\n{head}partners:{' []' if not partners else ''}\n{partners}{extra}---\n{content.body}\n"


NOT_PLAIN_IN_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")  # JSON leaves these


def quote(value: str) -> str:
    """A YAML double-quoted string: JSON's, with what YAML reads as a line break or refuses escaped."""
    return NOT_PLAIN_IN_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


HIDDEN = "_build:\n  render: never\n  list: never\n"  # a section our site has no page for


def content_paths(pages: list[str]) -> dict[str, str]:
    """Each built page (``a/b/index.html``) → its Hugo content file, by the rules above."""
    folders = {page.rsplit("/", 1)[0] for page in pages if page.endswith("/index.html")}
    parents = {folder.rsplit("/", depth)[0] for folder in folders for depth in range(1, folder.count("/") + 1)}
    paths = {}
    for page in pages:
        if page == "index.html":
            paths[page] = "_index.md"
        elif page.endswith("/index.html"):
            folder = page.rsplit("/", 1)[0]
            paths[page] = f"{folder}/_index.md" if folder in parents else f"{folder}.md"
    return paths


def sections_without_page(pages: list[str]) -> list[str]:
    """Top-level folders holding pages but no index of their own (Hugo would make one)."""
    tops = {page.split("/", 1)[0] for page in pages if page.count("/") >= 2}
    return sorted(top for top in tops if f"{top}/index.html" not in pages)


def make_site(built: Path, root: Path) -> int:
    """Write the Hugo source for the built site ``built`` into ``root``; the number of pages."""
    files = sorted(json.loads((built / ".manifest.json").read_text("utf-8")))
    pages = [name for name in files if name.endswith(".html")]
    write_layouts(root)
    for page, target in content_paths(pages).items():
        content = page_content((built / page).read_text("utf-8"))
        write(root / "content" / target, content_file(content))
    for section in sections_without_page(pages):
        write(root / "content" / section / "_index.md", content_file(PageContent("", "", (), ""), HIDDEN))
    for name in files:
        if not name.endswith(".html"):
            write(root / "static" / name, (built / name).read_bytes())
    return len(pages)


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")


CONFIG = """\
baseURL = "/"
languageCode = "ja"
title = "全国各地との連携事業カタログ"
relativeURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = true
""" + "".join(
    f'[[params.nav]]\nname = "{name}"\nurl = "/{folder}/"\n'
    for folder, name in [
        ("prefectures", "都道府県"),
        ("fields", "分野"),
        ("bureaus", "所管局"),
        ("search", "検索"),
        ("downloads", "データ"),
        ("about", "このサイトについて"),
    ]
)

BASE = """\
<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'">
<link rel="icon" href="data:,">
<meta name="referrer" content="no-referrer">
<title>{{ with .Title }}{{ . }} | {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ .Description }}">
<link rel="stylesheet" href="{{ "static/style.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">本文へ移動</a>
<header class="site">
  <p class="brand"><a href="{{ "/" | relURL }}">{{ site.Title }}</a></p>
<form class="site-search" role="search" action="{{ "/search/" | relURL }}" method="get">
  <label for="site-q" class="visually-hidden">場所・事業を検索</label>
  <input id="site-q" name="q" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" \
aria-controls="site-q-list" autocomplete="off" placeholder="例:京都、かわさき、kyoto" \
data-index="{{ "search-index.js" | relURL }}">
  <ul id="site-q-list" class="suggestions" role="listbox" aria-label="検索の候補" hidden></ul>
</form>
  <nav aria-label="サイト"><ul>
  {{- range site.Params.nav }}
    <li><a href="{{ .url | relURL }}">{{ .name }}</a></li>
  {{- end }}
  </ul></nav>
</header>
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="site"><p>出典:東京都「全国各地との連携事業一覧」(各年度)を加工して作成。</p>
<ul><li><a href="{{ "/about/" | relURL }}">このサイトについて</a></li>\
<li><a href="{{ "/notes/" | relURL }}">データについての注記</a></li></ul></footer>
<script src="{{ "static/search.js" | relURL }}" defer></script>
</body>
</html>
"""

PARTNERS = """\
<ul class="projects">
{{- range .Params.partners }}
  <li><a href="{{ .url }}">{{ .name }}</a></li>
{{- end }}
</ul>
"""

LAYOUTS = {
    "_default/baseof.html": BASE,
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n<p class="summary">{{ .Description }}</p>\n'
    '{{ .Content }}\n{{ partial "partners.html" . }}{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n<p class="summary">{{ .Description }}</p>\n'
    '{{ .Content }}\n{{ partial "partners.html" . }}{{ end }}\n',
    "partials/partners.html": PARTNERS,
    "404.html": '{{ define "main" }}<h1>ページが見つかりません</h1>{{ end }}\n',
}


def write_layouts(root: Path) -> None:
    write(root / "hugo.toml", CONFIG)
    for name, layout in LAYOUTS.items():
        write(root / "layouts" / name, layout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True, help="a site renkei-site built (with .manifest.json)")
    parser.add_argument("--out", type=Path, required=True, help="the Hugo source folder to write")
    args = parser.parse_args()
    print(f"{make_site(args.site.resolve(), args.out)} pages")


if __name__ == "__main__":
    main()
