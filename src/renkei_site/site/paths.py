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
    return f"{page.name}/index.html"


def root(page_path: str) -> str:
    """The way from a page to the site root: "", "../", "../../" …"""
    return "../" * page_path.count("/")
