"""The permalink scheme (see README): where each page lives in the site, relative to its root."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..notes import Page
    from ..records import Project
    from ..resolve.reference import Group, Place, Reference


def project_path(project: Project) -> str:
    return f"{project.fiscal_year}/projects/{project.id}/index.html"


def prefecture_path(place: Place) -> str:
    return f"prefectures/{place.slug}/index.html"


def municipality_path(code: str) -> str:
    return f"municipalities/{code}/index.html"


def place_path(reference: Reference, code: str) -> str:
    """A prefecture's or a municipality's page, by its code."""
    place = reference.places[code]
    return prefecture_path(place) if place.is_prefecture else municipality_path(code)


def bureau_path(slug: str) -> str:
    return f"bureaus/{slug}/index.html"


def field_path(slug: str) -> str:
    return f"fields/{slug}/index.html"


def group_path(group: Group) -> str:
    return f"groups/{group.slug}/index.html"


def markdown_page_path(page: Page) -> str:
    return page_named(page.name)


def root(page_path: str) -> str:
    """The way from a page to the site root: "", "../", "../../" …"""
    return "../" * page_path.count("/")


# --- the site's own pages (templates take every URL from here, none is typed in a template) ----

HOME = "index.html"
PREFECTURES = "prefectures/index.html"
BUREAUS = "bureaus/index.html"
FIELDS = "fields/index.html"
GROUPS = "groups/index.html"
SEARCH = "search/index.html"
DOWNLOADS = "downloads/index.html"
NOT_FOUND = "404.html"
SEARCH_INDEX = "search-index.js"
PLACE_DICTIONARY = "place-dictionary.js"  # every place of the reference table (site/placebook.py)
SITEMAP = "sitemap.xml"


def year_path(fiscal_year: int) -> str:
    return f"{fiscal_year}/index.html"


def changes_path(fiscal_year: int) -> str:
    return f"{fiscal_year}/changes/index.html"


def changes_json_path(fiscal_year: int) -> str:
    return f"{fiscal_year}/changes.json"


def year_file_path(fiscal_year: int, name: str) -> str:
    """A download of one fiscal year: 2022/projects.csv."""
    return f"{fiscal_year}/{name}"


def site_file_path(name: str) -> str:
    """A download of the whole catalogue: downloads/catalogue.sqlite."""
    return f"downloads/{name}"


def prefecture_code_path(place: Place) -> str:
    """/prefectures/<2-digit code>/, which redirects to the prefecture's page."""
    return f"prefectures/{place.pref_code}/index.html"


def page_named(name: str) -> str:
    """An editors' page by its name (data/pages/<name>.md): about, notes …"""
    return f"{name}/index.html"


def static_path(name: str) -> str:
    return f"static/{name}"


# --- feeds and link-preview images (made only with --base-url: site/feeds.py, site/previews.py) --

FEED = "feed.xml"  # the site's feed: each new year's list, what was added, ended, changed
SITE_PREVIEW = "previews/site.png"  # the preview image of every page that has none of its own


def feed_path(page_path: str) -> str:
    """The feed beside a page that has one: prefectures/kanagawa/feed.xml."""
    return page_path.removesuffix("index.html") + FEED


def preview_path(page_path: str) -> str:
    """The link-preview image of a page: previews/prefectures/kanagawa.png."""
    return "previews/" + page_path.removesuffix("/index.html").removesuffix(".html") + ".png"
