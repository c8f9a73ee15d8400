"""The page plan: every file of the site, each a small picklable description, the slowest first.

A build checks every path of the plan before it writes anything, and its
processes take the pages in this order (site/workers.py): a long page taken
last would leave the other cores idle at the end.  site/render.py makes any one
page of it, ``render_<kind>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from ..model import Catalogue
from .downloads import YEAR_FILES
from .paths import (
    bureau_path,
    field_path,
    group_path,
    markdown_page_path,
    municipality_path,
    prefecture_path,
    project_path,
)


class Page(NamedTuple):
    """One file of the site: where it goes, what makes it, and the key of what it shows."""

    path: str
    kind: str  # SiteRenderer.render_<kind> makes it
    key: Any = ""  # a project key, a place code, a fiscal year, a slug …


def site_plan(cat: Catalogue, static: Path, sitemap: bool) -> list[Page]:
    """Every file of the site (a sitemap.xml with ``sitemap``): the search index, the downloads
    and the pages that list every project first, then the rest."""
    if not cat.years:
        return [Page("index.html", "empty"), *static_files(static)]
    ref = cat.reference
    pages = [Page("search-index.js", "search_index"), Page("place-dictionary.js", "place_dictionary")]
    pages.append(Page("index.html", "home"))
    for year in reversed(cat.years):
        y = year.fiscal_year
        pages.append(Page(f"{y}/index.html", "year", y))
        pages += [Page(f"{y}/{name}", "download", (y, name)) for name in YEAR_FILES]
        if y in cat.diffs:
            pages += [Page(f"{y}/changes.json", "changes_json", y), Page(f"{y}/changes/index.html", "changes", y)]
    pages.append(Page("prefectures/index.html", "prefectures"))
    pages += [Page(prefecture_path(place), "prefecture", place.code) for place in ref.prefectures]
    pages += [Page(markdown_page_path(page), "markdown_page", page.name) for page in cat.notes.pages]
    pages.append(Page("bureaus/index.html", "bureaus"))
    pages += [Page(bureau_path(b["slug"]), "bureau", b["slug"]) for b in ref.bureaus if b["slug"] in cat.by_bureau]
    pages.append(Page("fields/index.html", "fields"))
    pages += [Page(field_path(ref.field_slug(name)), "field", name) for name in cat.by_field]
    pages.append(Page("groups/index.html", "groups"))
    pages += [Page(group_path(g), "group", g.label) for g in ref.groups.values() if g.label in cat.by_group]
    pages += [Page(project_path(p), "project", p.key) for p in cat.all_projects]
    pages += [Page(municipality_path(code), "municipality", code) for code in cat.municipality_codes]
    pages += [Page(f"prefectures/{p.pref_code}/index.html", "redirect", p.code) for p in ref.prefectures]
    pages.append(Page("search/index.html", "plain", ("search.html", "検索")))
    pages.append(Page("404.html", "plain", ("404.html", "ページが見つかりません")))
    if sitemap:
        pages.append(Page("sitemap.xml", "sitemap"))
    return pages + static_files(static)


def static_files(static: Path) -> list[Page]:
    names = sorted(path.name for path in static.iterdir() if path.is_file())
    return [Page(f"static/{name}", "static", name) for name in names]
