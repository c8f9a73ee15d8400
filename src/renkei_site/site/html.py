"""Safe HTML from untrusted cell text: everything escaped, only http(s)/mailto links kept."""

from __future__ import annotations

import re
from html import unescape

from markupsafe import Markup, escape

ANCHOR = re.compile(r"<a\s[^>]*?href\s*=\s*(['\"])(.*?)\1[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
BARE_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+")
TAG = re.compile(r"<[^>]*>")
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def safe_href(href: str) -> str | None:
    """The link target if it is http(s) or mailto, else None."""
    target = unescape(href).strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in target):
        return None
    return target if target.lower().startswith(SAFE_SCHEMES) else None


def link(href: str, text: str) -> Markup:
    return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(href, text)


def autolink(text: str) -> Markup:
    """Escape text and turn bare http(s) URLs into links."""
    out, last = [], 0
    for match in BARE_URL.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(link(match.group(), match.group()))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def remarks_html(text: str) -> Markup:
    """Remarks as HTML: <a href> to http(s)/mailto kept as links, all else shown as text."""
    out, last = [], 0
    for match in ANCHOR.finditer(text):
        href = safe_href(match.group(2))
        if href is None:
            continue  # left in place, so it is escaped and shown as text below
        out.append(autolink(text[last : match.start()]))
        label = unescape(TAG.sub("", match.group(3))).strip() or href
        out.append(link(href, label))
        last = match.end()
    out.append(autolink(text[last:]))
    return Markup("").join(out)


def cell_text(text: str) -> str:
    """Cell text as a reader sees it: tags dropped, entities decoded (for search)."""
    return unescape(TAG.sub(" ", text)).strip()
