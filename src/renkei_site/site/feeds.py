"""Atom feeds (RFC 4287): the site's (each new year's list: what was added, ended, changed) and
one per prefecture, municipality, field and bureau page (their projects, every year).

Made only with --base-url: a feed is read by a program that polls it at an address, and every
id and link in it is absolute.  ``updated`` is the list's as-of date (the start of its fiscal
year when the list gives none), never the clock, so a rebuild writes the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ..records import Project, Year
from . import paths
from .exports.terms import RIGHTS
from .plan import Page
from .share import SITE_NAME, SiteRenderer, subject_title

ATOM = "http://www.w3.org/2005/Atom"
HOW = {"named": "名前が挙がる", "past": "過去の関係自治体", "remarks": "備考で言及"}
ROLE = {"current": "現在の関係自治体", "past": "過去の関係自治体", "remarks": "備考で言及"}
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # not allowed in XML 1.0


@dataclass(frozen=True)
class Entry:
    """One project in a feed, with how it belongs there."""

    project: Project
    note: str = ""


def updated(year: Year) -> str:
    """When a year's list is dated: its as-of date, else the start of its fiscal year (Tokyo time)."""
    return f"{year.as_of or f'{year.fiscal_year}-04-01'}T00:00:00+09:00"


def subject_entries(r: SiteRenderer, kind: str, key: str) -> list[Entry]:
    """The projects of a page with a feed, latest year first."""
    cat = r.cat
    if kind == "prefecture":
        pref = r.ref.places[key].pref_code
        found = [
            Entry(inv.project, HOW[inv.how])
            for year in cat.years
            for inv in cat.by_prefecture(year).get(pref, [])
            if inv.how != "group"
        ]
    elif kind == "municipality":
        roles: dict[str, list[str]] = {}
        projects = {}
        for use in cat.municipalities.get(key, []):
            roles.setdefault(use.project.key, []).append(ROLE[use.role])
            projects[use.project.key] = use.project
        found = [Entry(projects[k], "・".join(dict.fromkeys(v))) for k, v in roles.items()]
    elif kind == "field":
        found = [Entry(p) for p in cat.by_field.get(key, [])]
    else:
        found = [Entry(p) for p in cat.by_bureau.get(key, [])]
    return sorted(found, key=lambda e: (-e.project.fiscal_year, e.project.no))


def site_entries(r: SiteRenderer) -> list[Entry]:
    """The latest year's news: its projects added, changed and ended (every project of a first year)."""
    latest = r.cat.latest
    diff = r.cat.diffs.get(latest.fiscal_year)
    if diff is None:
        return [Entry(p, "掲載") for p in latest.projects]
    return [
        *(Entry(p, "新規掲載") for p in diff.added),
        *(Entry(c.new, "変更") for c in diff.changed),
        *(Entry(p, f"{latest.fiscal_year}年度の一覧に掲載なし") for p in diff.removed),
    ]


def text(parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = NOT_XML.sub("\ufffd", value)
    return element


def link(parent: ET.Element, href: str, rel: str = "alternate", kind: str = "text/html") -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": kind, "href": href})


def page_url(base_url: str, path: str) -> str:
    return base_url + path.removesuffix("index.html")


def project_entry(feed: ET.Element, r: SiteRenderer, entry: Entry) -> None:
    p = entry.project
    url = page_url(r.base_url or "", paths.project_path(p))
    node = ET.SubElement(feed, f"{{{ATOM}}}entry")
    text(node, "id", url)
    text(node, "title", f"{p.name}({p.fiscal_year}年度 No.{p.no})")
    link(node, url)
    text(node, "updated", updated(r.year_of(p.fiscal_year)))
    ET.SubElement(node, f"{{{ATOM}}}category", {"term": p.field, "label": f"分野:{p.field}"})
    meta = " · ".join(part for part in (f"{p.fiscal_year}年度", p.bureau, p.field, entry.note) if part)
    text(node, "summary", f"{meta}。{p.description}", type="text")


def year_entry(feed: ET.Element, r: SiteRenderer, year: Year) -> None:
    """An entry for a year's list itself, linking its changes page when there is one."""
    base = r.base_url or ""
    diff = r.cat.diffs.get(year.fiscal_year)
    target = paths.changes_path(year.fiscal_year) if diff else paths.year_path(year.fiscal_year)
    node = ET.SubElement(feed, f"{{{ATOM}}}entry")
    text(node, "id", page_url(base, paths.year_path(year.fiscal_year)))
    text(node, "title", f"{year.title}:{len(year.projects)}事業")
    link(node, page_url(base, target))
    text(node, "updated", updated(year))
    counts = f"新規掲載 {len(diff.added)}件、変更 {len(diff.changed)}件、掲載終了 {len(diff.removed)}件" if diff else ""
    text(node, "summary", f"{year.fiscal_year}年度の一覧 {len(year.projects)}事業。{counts}", type="text")


def feed_bytes(r: SiteRenderer, page_path: str, title: str, entries: list[Entry], years: list[Year]) -> bytes:
    """The Atom document of the page at ``page_path``: ``years`` as entries of their own, then ``entries``."""
    base = r.base_url or ""
    dated = [*years, *(r.year_of(e.project.fiscal_year) for e in entries)] or [r.cat.latest]
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ja"})
    text(feed, "id", page_url(base, page_path))
    text(feed, "title", f"{title} | {SITE_NAME}")
    text(feed, "updated", max(updated(y) for y in dated))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    text(author, "name", SITE_NAME)
    link(feed, page_url(base, page_path))
    link(feed, base + paths.feed_path(page_path), "self", "application/atom+xml")
    text(feed, "rights", RIGHTS)
    for year in years:
        year_entry(feed, r, year)
    for entry in entries:
        project_entry(feed, r, entry)
    ET.register_namespace("", ATOM)
    body = ET.tostring(feed, encoding="unicode", short_empty_elements=True)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def render_feed(r: SiteRenderer, page: Page) -> bytes:
    """A feed: ``page.key`` is (the kind, the key) of the page it belongs to."""
    kind, key = page.key
    page_path = page.path.removesuffix(paths.FEED) + "index.html"
    if kind == "home":
        return feed_bytes(r, page_path, "新しい年度の一覧", site_entries(r), list(reversed(r.cat.years)))
    return feed_bytes(r, page_path, subject_title(r, kind, key), subject_entries(r, kind, key), [])
