"""The one registry of page kinds: what files each kind adds to the site, and how one is made.

Each entry of ``PAGE_KINDS`` plans its files (``plan``: the renderer → pages) and renders one
(``render``: the renderer and a page → bytes).  A kind made from a template names it and the
dataclass that documents the template's context (tests/test_kinds.py checks that the names a
template uses are those fields, the site's globals and ``page_path``/``title``).  A new kind of
page or file is one entry here; the plan lists the kinds in this order (the slowest first, so
that no core idles at the end of a build).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any, Protocol

from ..model import project_lines
from ..notes import Page as MarkdownPage
from ..records import Project, Year
from ..resolve.reference import Group, Place
from ..years.diff import Diff, diff_to_json
from . import feeds, paths, placebook, previews, search
from .downloads import DOWNLOAD_BY_NAME, DOWNLOADS
from .exports.terms import TERMS
from .markdown import to_html
from .paths import root
from .plan import Page
from .share import FEED_KINDS, PREVIEW_KINDS


class SiteRenderer(Protocol):
    """What a kind may use of the renderer (site/render.py SiteRenderer)."""

    cat: Any  # model.Catalogue
    ref: Any  # resolve.reference.Reference
    base_url: str | None
    theme: Any  # site/theme.py Theme
    plan: list[Page]
    preview_cache: Any  # where preview images are kept (site/previews.py), or None

    def html(self, page: Page, title: str, context: object, template: str = "") -> bytes: ...
    def map_svg(self, year: Year, page_path: str, highlight: str = "") -> str: ...
    def prefecture_rows(self, year: Year) -> list: ...
    def year_of(self, fiscal_year: int) -> Year: ...
    def notes_page_lists(self) -> dict[str, list]: ...


Plan = Callable[[SiteRenderer], Iterable[Page]]
Render = Callable[[SiteRenderer, Page], bytes]


@dataclass(frozen=True)
class PageKind:
    """One kind of file of the site."""

    name: str
    plan: Plan
    render: Render
    template: str = ""  # the page's template ("" for files not made from one)
    context: type | None = None  # the dataclass whose fields the template gets

    def page(self, path: str, key: Any = "") -> Page:
        return Page(path, self.name, key)


def context_of(value: Any) -> dict[str, Any]:
    """A context dataclass as the keyword arguments of a template's render (no deep copy)."""
    return {f.name: getattr(value, f.name) for f in fields(value)}


# --- the contexts the templates get (besides page_path, title and the environment's globals) ---


@dataclass(frozen=True)
class HomeContext:
    """home.html: the latest year with its map and the counts beside it."""

    year: Year
    map: str
    prefecture_rows: list


@dataclass(frozen=True)
class YearContext:
    """year.html: one fiscal year's list and its downloads."""

    year: Year
    downloads: list  # (Download, path) of the year's files


@dataclass(frozen=True)
class ProjectContext:
    """project.html: one project, and the same project in every year."""

    project: Project
    history: list[Project]
    year: Year  # the project's year


@dataclass(frozen=True)
class ChangesContext:
    """changes.html: what changed from the year before."""

    diff: Diff


@dataclass(frozen=True)
class BureauContext:
    """bureau.html: a bureau over its names and years."""

    bureau: dict
    projects: list[Project]
    by_slug: dict


@dataclass(frozen=True)
class BureausContext:
    """bureaus.html: every bureau that has projects."""

    entries: list[dict]
    by_slug: dict


@dataclass(frozen=True)
class FieldContext:
    """field.html: one field's projects of every year."""

    field: str
    projects: list[Project]


@dataclass(frozen=True)
class FieldsContext:
    """fields.html: every field."""

    by_field: dict[str, list[Project]]


@dataclass(frozen=True)
class PrefectureContext:
    """prefecture.html: how each year's projects involve the prefecture."""

    place: Place
    involvements: dict[int, list]
    flows: dict[int, dict | None]
    municipalities: list[str]  # the codes of its municipalities, by code
    wards: tuple[str, ...]  # the codes of the designated-city wards (listed from their city)
    map: str


@dataclass(frozen=True)
class PrefecturesContext:
    """prefectures.html: the map and the counts of every prefecture."""

    prefecture_rows: list
    map: str


@dataclass(frozen=True)
class RedirectContext:
    """redirect.html: /prefectures/<code>/ to the prefecture's page."""

    target: str


@dataclass(frozen=True)
class GroupContext:
    """group.html: a group, its members and its projects."""

    group: Group
    projects: list[Project]


@dataclass(frozen=True)
class GroupsContext:
    """groups.html: every group the lists name, with its projects."""

    entries: list[tuple[Group, list[Project]]]


@dataclass(frozen=True)
class MunicipalityContext:
    """municipality.html: what names one municipality, per year, one line per project with its
    roles; what includes it through each group; its count (model.Catalogue.place_count)."""

    place: Place
    lines: dict[int, list]  # fiscal year -> model.ProjectLine
    count: int
    through: list[tuple[Group, list[Project]]]
    through_total: int
    wards: list[str]  # a designated city's wards


@dataclass(frozen=True)
class MarkdownContext:
    """page.html: an editors' page (data/pages/<name>.md) rendered from Markdown."""

    body: str


@dataclass(frozen=True)
class AboutContext(MarkdownContext):
    """about.html: the about page with the sources and downloads of every year."""

    downloads: list  # (fiscal year, [(Download, path)]) latest year first


@dataclass(frozen=True)
class NotesPageContext(MarkdownContext):
    """notes.html: the data notes page with the readings an editor may review."""

    notes: list
    in_remarks: list
    bodies: list


@dataclass(frozen=True)
class DownloadsContext:
    """downloads.html: every download of the site, from the registry."""

    year_files: list  # (Year, [(Download, path)]) latest year first
    site_files: list  # (Download, path)
    terms: str  # the terms of reuse and the attribution to give (site/exports/terms.py)


@dataclass(frozen=True)
class PlainContext:
    """search.html, 404.html and empty.html: nothing but the title."""


# --- plans and renderers, kind by kind ----------------------------------------------------------


def plan_home(r: SiteRenderer) -> list[Page]:
    return [Page(paths.HOME, "home")]


def render_home(r: SiteRenderer, page: Page) -> bytes:
    year = r.cat.latest
    context = HomeContext(year, r.map_svg(year, page.path), r.prefecture_rows(year))
    return r.html(page, "全国各地との連携事業カタログ", context)


def plan_years(r: SiteRenderer) -> list[Page]:
    return [Page(paths.year_path(y.fiscal_year), "year", y.fiscal_year) for y in reversed(r.cat.years)]


def year_files(year: Year) -> list:
    return [(d, d.path(year)) for d in DOWNLOADS if d.scope == "year"]


def render_year(r: SiteRenderer, page: Page) -> bytes:
    year = r.year_of(page.key)
    return r.html(page, f"{year.fiscal_year}年度の連携事業", YearContext(year, year_files(year)))


def plan_downloads(r: SiteRenderer) -> list[Page]:
    """Every download of the registry: a file per year, or one for the site; the slow ones
    first (a worker that took one last would finish alone, in a build after a note edit too)."""
    made = []
    for download in sorted(DOWNLOADS, key=lambda d: not d.slow):  # else in the registry's order
        years = reversed(r.cat.years) if download.scope == "year" else [None]
        made += [Page(download.path(y), "download", (download.name, y and y.fiscal_year)) for y in years]
    return made


def render_download(r: SiteRenderer, page: Page) -> bytes:
    name, fiscal_year = page.key
    return DOWNLOAD_BY_NAME[name].make(r.cat, r.year_of(fiscal_year) if fiscal_year else None)


def plan_downloads_page(r: SiteRenderer) -> list[Page]:
    return [Page(paths.DOWNLOADS, "downloads_page")]


def render_downloads_page(r: SiteRenderer, page: Page) -> bytes:
    site_files = [(d, d.path()) for d in DOWNLOADS if d.scope == "site"]
    context = DownloadsContext([(y, year_files(y)) for y in reversed(r.cat.years)], site_files, TERMS)
    return r.html(page, "データのダウンロード", context)


def plan_changes(r: SiteRenderer) -> list[Page]:
    return [Page(paths.changes_path(y), "changes", y) for y in sorted(r.cat.diffs, reverse=True)]


def render_changes(r: SiteRenderer, page: Page) -> bytes:
    diff = r.cat.diffs[page.key]
    return r.html(page, f"{diff.old_year}年度から{diff.new_year}年度への変更", ChangesContext(diff))


def plan_changes_json(r: SiteRenderer) -> list[Page]:
    return [Page(paths.changes_json_path(y), "changes_json", y) for y in sorted(r.cat.diffs, reverse=True)]


def render_changes_json(r: SiteRenderer, page: Page) -> bytes:
    return json_bytes(diff_to_json(r.cat.diffs[page.key]))


def plan_prefectures(r: SiteRenderer) -> list[Page]:
    return [Page(paths.PREFECTURES, "prefectures")]


def render_prefectures(r: SiteRenderer, page: Page) -> bytes:
    latest = r.cat.latest
    context = PrefecturesContext(r.prefecture_rows(latest), r.map_svg(latest, page.path))
    return r.html(page, "都道府県の一覧", context)


def plan_prefecture(r: SiteRenderer) -> list[Page]:
    return [Page(paths.prefecture_path(place), "prefecture", place.code) for place in r.ref.prefectures]


def render_prefecture(r: SiteRenderer, page: Page) -> bytes:
    place, cat = r.ref.places[page.key], r.cat
    context = PrefectureContext(
        place=place,
        involvements={y.fiscal_year: cat.by_prefecture(y).get(place.pref_code, []) for y in cat.years},
        flows={y.fiscal_year: cat.prefecture_flow(y, place.pref_code) for y in cat.years},
        municipalities=cat.municipalities_by_prefecture.get(place.pref_code, []),
        wards=cat.wards,
        map=r.map_svg(cat.latest, page.path, place.pref_code),
    )
    return r.html(page, place.name, context)


def plan_redirect(r: SiteRenderer) -> list[Page]:
    return [Page(paths.prefecture_code_path(place), "redirect", place.code) for place in r.ref.prefectures]


def render_redirect(r: SiteRenderer, page: Page) -> bytes:
    place = r.ref.places[page.key]
    return r.html(page, place.name, RedirectContext(paths.prefecture_path(place)))


def plan_markdown_page(r: SiteRenderer) -> list[Page]:
    return [Page(paths.markdown_page_path(p), "markdown_page", p.name) for p in r.cat.notes.pages]


MARKDOWN_TEMPLATES = {"about": "about.html", "notes": "notes.html"}  # pages with generated parts below the text


def render_markdown_page(r: SiteRenderer, page: Page) -> bytes:
    """An editors' Markdown page (data/pages/); about and notes have generated parts below it."""
    text: MarkdownPage = r.cat.notes.page(page.key)
    body = to_html(text.text, root(page.path), top=2)
    if text.name == "about":
        context: MarkdownContext = AboutContext(body, [(y.fiscal_year, year_files(y)) for y in reversed(r.cat.years)])
    elif text.name == "notes":
        context = NotesPageContext(body, **r.notes_page_lists())
    else:
        context = MarkdownContext(body)
    return r.html(page, text.title, context, MARKDOWN_TEMPLATES.get(text.name, "page.html"))


def plan_bureaus(r: SiteRenderer) -> list[Page]:
    return [Page(paths.BUREAUS, "bureaus")]


def render_bureaus(r: SiteRenderer, page: Page) -> bytes:
    entries = [b for b in r.ref.bureaus if b["slug"] in r.cat.by_bureau]
    return r.html(page, "所管局の一覧", BureausContext(entries, r.cat.by_bureau))


def plan_bureau(r: SiteRenderer) -> list[Page]:
    slugs = [b["slug"] for b in r.ref.bureaus if b["slug"] in r.cat.by_bureau]
    return [Page(paths.bureau_path(slug), "bureau", slug) for slug in slugs]


def render_bureau(r: SiteRenderer, page: Page) -> bytes:
    bureau = next(b for b in r.ref.bureaus if b["slug"] == page.key)
    context = BureauContext(bureau, r.cat.by_bureau[page.key], r.cat.by_bureau)
    return r.html(page, bureau["names"][0]["name"], context)


def plan_fields(r: SiteRenderer) -> list[Page]:
    return [Page(paths.FIELDS, "fields")]


def render_fields(r: SiteRenderer, page: Page) -> bytes:
    return r.html(page, "分野の一覧", FieldsContext(r.cat.by_field))


def plan_field(r: SiteRenderer) -> list[Page]:
    return [Page(paths.field_path(r.ref.field_slug(name)), "field", name) for name in r.cat.by_field]


def render_field(r: SiteRenderer, page: Page) -> bytes:
    return r.html(page, page.key, FieldContext(page.key, r.cat.by_field[page.key]))


def plan_groups(r: SiteRenderer) -> list[Page]:
    return [Page(paths.GROUPS, "groups")]


def render_groups(r: SiteRenderer, page: Page) -> bytes:
    by_group = r.cat.by_group
    entries = [(g, by_group[g.label]) for g in r.ref.groups.values() if g.label in by_group]
    return r.html(page, "グループの一覧", GroupsContext(entries))


def plan_group(r: SiteRenderer) -> list[Page]:
    named = [g for g in r.ref.groups.values() if g.label in r.cat.by_group]
    return [Page(paths.group_path(g), "group", g.label) for g in named]


def render_group(r: SiteRenderer, page: Page) -> bytes:
    group = r.ref.groups[page.key]
    return r.html(page, group.label, GroupContext(group, r.cat.by_group[page.key]))


def plan_project(r: SiteRenderer) -> list[Page]:
    return [Page(paths.project_path(p), "project", p.key) for p in r.cat.all_projects]


def render_project(r: SiteRenderer, page: Page) -> bytes:
    project = r.cat.by_key[page.key]
    context = ProjectContext(project, r.cat.history.get(project.key, [project]), r.year_of(project.fiscal_year))
    return r.html(page, project.name, context)


def plan_municipality(r: SiteRenderer) -> list[Page]:
    return [Page(paths.municipality_path(code), "municipality", code) for code in r.cat.municipality_codes]


def render_municipality(r: SiteRenderer, page: Page) -> bytes:
    place, cat = r.ref.places[page.key], r.cat
    lines = project_lines(cat.municipalities.get(page.key, ()))
    through = cat.through_groups(place.code)
    context = MunicipalityContext(
        place=place,
        lines={y.fiscal_year: [line for line in lines if line.project.fiscal_year == y.fiscal_year] for y in cat.years},
        count=cat.place_count(place.code),
        through=through,
        through_total=cat.through_counts(place.code)[0],
        wards=cat.wards_of.get(place.code, []),
    )
    return r.html(page, r.ref.full_name(place), context)


PLAIN_PAGES = {  # path -> (template, title)
    paths.SEARCH: ("search.html", "検索"),
    paths.NOT_FOUND: ("404.html", "ページが見つかりません"),
}


def plan_plain(r: SiteRenderer) -> list[Page]:
    return [Page(path, "plain", path) for path in PLAIN_PAGES]


def render_plain(r: SiteRenderer, page: Page) -> bytes:
    template, title = PLAIN_PAGES[page.key]
    return r.html(page, title, PlainContext(), template)


def plan_nothing(r: SiteRenderer) -> list[Page]:
    """The empty site's page is planned by site_plan itself (only when no year is imported)."""
    return []


def render_empty(r: SiteRenderer, page: Page) -> bytes:
    return r.html(page, "データがありません", PlainContext())


def plan_search_index(r: SiteRenderer) -> list[Page]:
    return [Page(paths.SEARCH_INDEX, "search_index")]


def render_search_index(r: SiteRenderer, page: Page) -> bytes:
    return search.index_script(r.cat)


def plan_feeds(r: SiteRenderer) -> list[Page]:
    """The site's feed and one per prefecture, municipality, field and bureau page (--base-url only)."""
    if not r.base_url:
        return []
    pages = [Page(paths.HOME, "home"), *(p for kind in FEED_KINDS for p in KIND_BY_NAME[kind].plan(r))]
    return [Page(paths.feed_path(p.path), "feed", (p.kind, p.key)) for p in pages]


def plan_previews(r: SiteRenderer) -> list[Page]:
    """A link-preview image per page of share.PREVIEW_KINDS and one for the rest (--base-url only);
    a missing CJK font stops the build here, before anything is written."""
    if not r.base_url:
        return []
    previews.font_file()
    pages = [Page(paths.HOME, "home"), *(p for kind in PREVIEW_KINDS for p in KIND_BY_NAME[kind].plan(r))]
    return [Page(paths.SITE_PREVIEW if p.kind == "home" else paths.preview_path(p.path), "preview", p) for p in pages]


def render_preview(r: SiteRenderer, page: Page) -> bytes:
    """``page.key`` is the page the image is of."""
    return previews.png(previews.picture_of(r, Page(*page.key)), r.ref.map_shapes, r.preview_cache)


def plan_place_dictionary(r: SiteRenderer) -> list[Page]:
    return [Page(paths.PLACE_DICTIONARY, "place_dictionary")]


def render_place_dictionary(r: SiteRenderer, page: Page) -> bytes:
    return placebook.dictionary_script(r.ref)


def plan_sitemap(r: SiteRenderer) -> list[Page]:
    return [Page(paths.SITEMAP, "sitemap")] if r.base_url else []


def render_sitemap(r: SiteRenderer, page: Page) -> bytes:
    return sitemap([(p.path, lastmod(r, p)) for p in r.plan], r.base_url or "")


def lastmod(r: SiteRenderer, page: Page) -> str:
    """The date a page's data is of: its year's list for a year's page, else the latest list."""
    fiscal_year = {"project": lambda key: int(key.split("/")[0]), "year": int, "changes": int}.get(page.kind)
    year = r.year_of(fiscal_year(page.key)) if fiscal_year else r.cat.latest
    return feeds.updated(year)[:10]


def plan_static(r: SiteRenderer) -> list[Page]:
    return [Page(paths.static_path(name), "static", name) for name in r.theme.static_names()]


def render_static(r: SiteRenderer, page: Page) -> bytes:
    return r.theme.static_bytes(page.key)


def json_bytes(data: object) -> bytes:
    import json

    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def sitemap(pages: list[tuple[str, str]], base_url: str) -> bytes:
    """Every HTML page of the site (path, last modified) as a sitemap."""
    urls = [
        (base_url + path.removesuffix("index.html"), modified)
        for path, modified in sorted(pages)
        if path.endswith(".html") and path != paths.NOT_FOUND
    ]
    body = "".join(f"<url><loc>{u}</loc><lastmod>{modified}</lastmod></url>" for u, modified in urls)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</urlset>\n"
    ).encode()


# Every kind of file of the site, the slowest first: a new kind is one entry here.
PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("preview", plan_previews, render_preview),
    PageKind("download", plan_downloads, render_download),
    PageKind("search_index", plan_search_index, render_search_index),
    PageKind("place_dictionary", plan_place_dictionary, render_place_dictionary),
    PageKind("home", plan_home, render_home, "home.html", HomeContext),
    PageKind("year", plan_years, render_year, "year.html", YearContext),
    PageKind("changes_json", plan_changes_json, render_changes_json),
    PageKind("changes", plan_changes, render_changes, "changes.html", ChangesContext),
    PageKind("prefectures", plan_prefectures, render_prefectures, "prefectures.html", PrefecturesContext),
    PageKind("prefecture", plan_prefecture, render_prefecture, "prefecture.html", PrefectureContext),
    PageKind("markdown_page", plan_markdown_page, render_markdown_page, "page.html", MarkdownContext),
    PageKind("bureaus", plan_bureaus, render_bureaus, "bureaus.html", BureausContext),
    PageKind("bureau", plan_bureau, render_bureau, "bureau.html", BureauContext),
    PageKind("fields", plan_fields, render_fields, "fields.html", FieldsContext),
    PageKind("field", plan_field, render_field, "field.html", FieldContext),
    PageKind("groups", plan_groups, render_groups, "groups.html", GroupsContext),
    PageKind("group", plan_group, render_group, "group.html", GroupContext),
    PageKind("project", plan_project, render_project, "project.html", ProjectContext),
    PageKind("municipality", plan_municipality, render_municipality, "municipality.html", MunicipalityContext),
    PageKind("redirect", plan_redirect, render_redirect, "redirect.html", RedirectContext),
    PageKind("downloads_page", plan_downloads_page, render_downloads_page, "downloads.html", DownloadsContext),
    PageKind("plain", plan_plain, render_plain, "search.html", PlainContext),
    PageKind("feed", plan_feeds, feeds.render_feed),
    PageKind("sitemap", plan_sitemap, render_sitemap),
    PageKind("static", plan_static, render_static),
    PageKind("empty", plan_nothing, render_empty, "empty.html", PlainContext),
)
KIND_BY_NAME = {kind.name: kind for kind in PAGE_KINDS}
# Templates a kind renders besides its own (the context class each gets)
OTHER_TEMPLATES = {"about.html": AboutContext, "notes.html": NotesPageContext, "404.html": PlainContext}
