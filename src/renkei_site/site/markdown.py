"""Editors' Markdown (data/pages, data/notes) as safe HTML, with tables, footnotes and heading ids.

Safe by construction, whatever the text says:
- raw HTML is never parsed (the html_block preprocessor and the inline html pattern are gone),
  so ``<script>`` is text, escaped on output;
- the tree holds only the elements and attributes listed in ALLOWED (no style: the CSP refuses it);
- every href and src is judged by ``link_target``: http(s) and mailto stay, with
  rel="noopener noreferrer"; a path without a scheme is a path in the site, written from the site
  root (``prefectures/nagano/`` or ``/prefectures/nagano/``) and made relative to the page that
  shows it; anything else (javascript:, data:, //host, entity-encoded, padded …) loses its link;
- images come only from the site itself (the CSP allows no other): an http(s) image becomes a link.

Headings sit below the page's own: the text's highest heading becomes ``top`` (h2 on a page, h3
in a note) and the others follow; ids are prefixed ``md-`` so they never meet the page's ids.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

ALLOWED = {  # element -> the attributes it may keep
    **dict.fromkeys(("p", "br", "hr", "ul", "blockquote", "pre", "code", "em", "strong", "span"), ()),
    **dict.fromkeys(("table", "thead", "tbody", "tr"), ()),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup"), ("id",)),
    "ol": ("start",),
    "div": ("class",),
    "th": ("class",),
    "td": ("class",),
    "a": ("href", "title", "class", "rel"),
    "img": ("src", "alt", "title"),
}
ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)
EXTERNAL = ("http", "https", "mailto")
REL = "noopener noreferrer"
BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|li|t[hd]|div|br|hr|blockquote|pre)\b[^>]*>")
ALIGN = re.compile(r"text-align:\s*(left|center|right)")


def _decoded(value: str) -> str | None:
    """The URL a browser reads from the attribute: character references undone, however nested."""
    value = value.replace(AMP_SUBSTITUTE, "&")
    for _ in range(4):
        if not ENTITY.search(value):
            return value
        value = ENTITY.sub(lambda m: html.unescape(m.group()), value)
    return None


def link_target(value: str, root: str) -> tuple[str, bool] | None:
    """Where a link may point, as (URL, outside the site?); None when it may not."""
    url = _decoded(value)
    if not url or any(c.isspace() or ord(c) < 32 or c in "\x7f\\" for c in url):
        return None
    if url.startswith("#"):
        return url, False
    scheme, colon, _ = re.split(r"[/?#]", url, maxsplit=1)[0].partition(":")
    if colon:
        return (url, True) if scheme.lower() in EXTERNAL else None
    return None if url.startswith("//") else _site_path(url, root)


def _site_path(url: str, root: str) -> tuple[str, bool] | None:
    """A path in the site (from its root) as a link from the page at ``root``; a folder gets its
    index.html (the site works from disk); None when it climbs out of the site."""
    parts = urlsplit(url)
    path = posixpath.normpath(parts.path.lstrip("/")) if parts.path.strip("/") else ""
    if posixpath.normpath(unquote(path)).split("/")[0] == "..":
        return None
    if not path or parts.path.endswith("/") or "." not in path.rsplit("/", 1)[-1]:
        path = f"{path}/index.html".lstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{root}{path}{query}{fragment}", False


class SafeTree(Treeprocessor):
    """The last step on the tree: headings shifted, links judged, everything else off the lists."""

    def __init__(self, md: markdown.Markdown, root: str, top: int):
        super().__init__(md)
        self.root, self.top = root, top

    def run(self, root: Element) -> None:
        headings = [el for el in root.iter() if re.fullmatch(r"h[1-6]", el.tag)]
        shift = self.top - min((int(el.tag[1]) for el in headings), default=self.top)
        for el in headings:
            el.tag = f"h{min(6, int(el.tag[1]) + shift)}"
        for el in root.iter():
            self.element(el)

    def element(self, el: Element) -> None:
        align = ALIGN.search(el.get("style", ""))
        if align and el.tag in ("th", "td"):
            el.set("class", f"align-{align.group(1)}")
        if el.tag == "a":
            self.link(el)
        elif el.tag == "img":
            self.image(el)
        if el.tag not in ALLOWED:
            el.tag = "span"
        for name in [name for name in el.attrib if name not in ALLOWED[el.tag]]:
            del el.attrib[name]

    def link(self, el: Element) -> None:
        target = link_target(el.get("href", ""), self.root)
        if target is None:
            el.tag = "span"  # the text stays, the link goes
            return
        el.set("href", target[0])
        if target[1]:
            el.set("rel", REL)

    def image(self, el: Element) -> None:
        target = link_target(el.get("src", ""), self.root)
        if target and not target[1] and not target[0].startswith("#"):
            el.set("src", target[0])  # an image of the site itself
            return
        el.text = el.get("alt", "") or (target[0] if target else "")
        el.attrib.clear()
        el.tag = "span"
        if target and target[1]:  # an image from elsewhere: a link to it, never a request
            el.tag = "a"
            el.attrib.update(href=target[0], rel=REL)


def _slug(value: str, separator: str) -> str:
    return "md-" + slugify_unicode(value, separator)


def to_html(text: str, root: str = "", top: int = 2) -> Markup:
    """Markdown as HTML for a page whose way to the site root is ``root`` ("../../" …)."""
    md = markdown.Markdown(  # one per text: an instance keeps state (footnote numbers, ids)
        extensions=[
            TableExtension(),
            FootnoteExtension(BACKLINK_TITLE="注{}の箇所へ戻る"),
            TocExtension(slugify=_slug),
        ],
        output_format="html",
    )
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(SafeTree(md, root, top), "safe-tree", -100)
    return Markup(md.convert(text))


def plain_text(text: str) -> str:
    """The words of a Markdown text, for the search index."""
    spaced = BLOCK_TAG.sub(" ", to_html(text).replace("&#8617;", ""))  # no back-link arrows
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", spaced)).split())
