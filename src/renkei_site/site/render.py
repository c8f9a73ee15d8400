"""The page plan (every file of the site, as small picklable descriptions) and the renderer that
makes any one of them; no I/O but reading templates and static files."""

from __future__ import annotations

import json
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from ..model import Catalogue, group_by
from ..notes import Notes
from ..records import Project, Year
from ..resolve.reference import Group, Place, Reference
from ..years.diff import LABELS, change_text, diff_to_json
from ..years.report import notable
from . import downloads, search, svgmap
from .fragments import Fragments
from .html import remarks_html
from .markdown import to_html
from .paths import group_path, markdown_page_path, municipality_path, prefecture_path, project_path, root


def environment(templates: Path, bytecode_cache: Path | None = None) -> Environment:
    """The one Jinja environment: autoescaped, strict about undefined names."""
    if bytecode_cache is not None:
        bytecode_cache.mkdir(parents=True, exist_ok=True)
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=FileSystemBytecodeCache(str(bytecode_cache)) if bytecode_cache else None,
        auto_reload=False,  # templates do not change during a build: no stat() per page
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["url"] = url
    env.globals["legend"] = svgmap.legend()
    env.filters["remarks"] = remarks_html
    env.filters["grouped"] = grouped
    env.filters["where"] = lambda items, attr, value: [i for i in items if getattr(i, attr) == value]
    env.filters["where_not"] = lambda items, attr, value: [i for i in items if getattr(i, attr) != value]
    env.filters["count_by"] = lambda items, attr: Counter(getattr(i, attr) for i in items)
    return env


def grouped(items, attribute: str) -> list[tuple[object, list]]:
    """Like Jinja's groupby, but groups stay in order of first appearance."""
    groups: dict[object, list] = {}
    for item in items:
        groups.setdefault(getattr(item, attribute), []).append(item)
    return list(groups.items())


def relative(target: str, page_path: str) -> str:
    """The relative link from the page at ``page_path`` to the site path ``target``."""
    here = page_path.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "./"


@pass_context
def url(context, target: str) -> str:
    """A link from the page being rendered to ``target`` (a site path), always relative."""
    return relative(target, context["page_path"])


PAGE_TEMPLATES = {"about": "about.html", "notes": "notes.html"}  # Markdown pages with generated parts


INLINE_LIMIT = 40  # a prefecture page lists a group's projects inline up to this many


HOW = {"named": "名前が挙がる", "group": "グループを通じて", "past": "過去", "remarks": "備考で言及"}


def involvement_note(inv, brief: bool) -> str:
    """What a prefecture page says beside a project: how it involves the prefecture."""
    if brief:
        return HOW[inv.how]
    detail = "、".join(inv.detail)
    if inv.how == "named":
        return f"{inv.project.bureau} · {inv.project.field} · {detail}"
    return f"{detail}を通じて" if inv.how == "group" else detail


class Page(NamedTuple):
    """One file of the site in the page plan: small and picklable, so any process can make it."""

    path: str  # where it goes in the site
    kind: str  # what makes it: SiteRenderer.render_<kind>
    key: Any = ""  # what it shows: a project key, a place code, a fiscal year, a slug …


class SiteRenderer:
    """Holds the catalogue and the environment; ``plan`` lists every file, ``render`` makes one."""

    def __init__(self, catalogue: Catalogue, env: Environment, base_url: str | None, static: Path):
        self.cat = catalogue
        self.ref: Reference = catalogue.reference
        self.env = env
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.static = static
        self._counts: dict[tuple[int, str], dict[str, int]] = {}
        fragments = Fragments(self.ref, self.place_path)
        env.globals.update(
            project_path=project_path,
            prefecture_path=prefecture_path,
            municipality_path=municipality_path,
            bureau_path=self.bureau_path,
            bureau_by_slug={b["slug"]: b for b in self.ref.bureaus},
            field_path=self.field_path,
            ref=self.ref,
            cat=catalogue,
            years=catalogue.years,
            latest=catalogue.latest if catalogue.years else None,
            base_url=self.base_url,
            full_name=self.ref.full_name,
            place_path=self.place_path,
            group_path=group_path,
            via_groups=self.via_groups,
            inline_limit=INLINE_LIMIT,
            site_root=pass_context(lambda ctx: root(ctx["page_path"])),
            change_labels=LABELS,
            change_text=change_text,
            project_list=pass_context(
                lambda ctx, projects, show_year=False: fragments.project_list(
                    projects, root(ctx["page_path"]), show_year
                )
            ),
            partners=pass_context(lambda ctx, mentions: fragments.partners(mentions, root(ctx["page_path"]))),
            involvement_list=pass_context(
                lambda ctx, invs, brief=False: fragments.annotated_list(
                    [(inv.project, involvement_note(inv, brief)) for inv in invs], root(ctx["page_path"])
                )
            ),
            note=pass_context(lambda ctx, kind, key: self.note(ctx["page_path"], kind, key)),
            site_pages=[(markdown_page_path(page), page.title) for page in catalogue.notes.pages],
        )

    # --- what every page needs, worked out once (before any worker is forked) -------------------

    def prepare(self) -> None:
        """Work out what many pages share, so that no worker works it out again."""
        cat = self.cat
        for year in cat.years:
            self.counts_by_prefecture(year)
            self.counts_by_prefecture(year, "group")
        for name in ("history", "diffs", "predecessor", "municipalities", "_group_prefs"):
            getattr(cat, name)
        for name in ("by_bureau", "by_field", "by_group", "municipalities_by_prefecture", "projects", "plan"):
            getattr(self, name)

    @cached_property
    def projects(self) -> dict[str, Project]:
        return {p.key: p for p in self.cat.all_projects}

    @cached_property
    def by_bureau(self) -> dict[str, list[Project]]:
        return group_by(self.cat.all_projects, lambda p: [self.ref.bureau_slug(p.bureau)])

    @cached_property
    def by_field(self) -> dict[str, list[Project]]:
        return group_by(self.cat.all_projects, lambda p: [self.ref.canonical_field(p.field)])

    @cached_property
    def by_group(self) -> dict[str, list[Project]]:
        return group_by(self.cat.all_projects, lambda p: [m.name for m in p.mentions if m.kind == "group"])

    @cached_property
    def municipalities_by_prefecture(self) -> dict[str, list[tuple[str, int]]]:
        """Prefecture code -> (municipality code, projects naming it), by code."""
        table: dict[str, list[tuple[str, int]]] = {}
        for code, uses in self.cat.municipalities.items():
            table.setdefault(self.ref.places[code].pref_code, []).append((code, len({u.project.key for u in uses})))
        return {pref: sorted(rows) for pref, rows in table.items()}

    def bureau_entries(self) -> list[dict[str, Any]]:
        return [b for b in self.ref.bureaus if b["slug"] in self.by_bureau]

    def group_entries(self) -> list[tuple[Group, list[Project]]]:
        return [(g, self.by_group[g.label]) for g in self.ref.groups.values() if g.label in self.by_group]

    # --- the page plan ----------------------------------------------------------------------

    @cached_property
    def plan(self) -> list[Page]:
        """Every file of the site, the slowest to make first (workers take them in this order)."""
        if not self.cat.years:
            return [Page("index.html", "empty"), *self.static_files()]
        cat, ref = self.cat, self.ref
        pages = [Page("search-index.js", "search_index"), Page("index.html", "home")]
        for year in reversed(cat.years):
            y = year.fiscal_year
            pages.append(Page(f"{y}/index.html", "year", y))
            pages += [Page(f"{y}/{name}", "download", (y, name)) for name in downloads.YEAR_FILES]
            if y in cat.diffs:
                pages += [Page(f"{y}/changes.json", "changes_json", y), Page(f"{y}/changes/index.html", "changes", y)]
        pages.append(Page("prefectures/index.html", "prefectures"))
        pages += [Page(prefecture_path(place), "prefecture", place.code) for place in ref.prefectures]
        pages += [Page(markdown_page_path(page), "markdown_page", page.name) for page in cat.notes.pages]
        pages.append(Page("bureaus/index.html", "bureaus"))
        pages += [Page(f"bureaus/{b['slug']}/index.html", "bureau", b["slug"]) for b in self.bureau_entries()]
        pages.append(Page("fields/index.html", "fields"))
        pages += [Page(self.field_path(name), "field", name) for name in self.by_field]
        pages.append(Page("groups/index.html", "groups"))
        pages += [Page(group_path(group), "group", group.label) for group, _ in self.group_entries()]
        pages += [Page(project_path(p), "project", p.key) for p in cat.all_projects]
        pages += [Page(municipality_path(code), "municipality", code) for code in cat.municipalities]
        pages += [Page(f"prefectures/{p.pref_code}/index.html", "redirect", p.code) for p in ref.prefectures]
        pages += [Page("search/index.html", "plain", ("search.html", "検索"))]
        pages += [Page("404.html", "plain", ("404.html", "ページが見つかりません"))]
        if self.base_url:
            pages.append(Page("sitemap.xml", "sitemap"))
        return pages + self.static_files()

    def static_files(self) -> list[Page]:
        return [
            Page(f"static/{name}", "static", name)
            for name in sorted(p.name for p in self.static.iterdir() if p.is_file())
        ]

    def render(self, page: Page) -> bytes:
        """The bytes of one file of the plan (the same whichever process makes it, in any order)."""
        return getattr(self, f"render_{page.kind}")(page)

    def html(self, path: str, template: str, title: str, **context) -> bytes:
        return self.env.get_template(template).render(page_path=path, title=title, **context).encode("utf-8")

    # --- paths and shared parts ------------------------------------------------------------

    def bureau_path(self, name: str) -> str:
        return f"bureaus/{self.ref.bureau_slug(name)}/index.html"

    def field_path(self, name: str) -> str:
        return f"fields/{self.ref.field_slug(name)}/index.html"

    def place_path(self, code: str) -> str:
        place = self.ref.places[code]
        return prefecture_path(place) if place.is_prefecture else municipality_path(code)

    def note(self, page_path: str, kind: str, key: str) -> Markup:
        """The editors' note on this page (data/notes/), in its section; nothing when there is none."""
        text = self.cat.notes.source(kind, key)
        if not text:
            return Markup("")
        body = to_html(text, root(page_path), top=3)
        return Markup(self.env.get_template("_note.html").render(page_path=page_path, body=body))

    def map_svg(self, year: Year, page_path: str, highlight: str = "") -> Markup:
        return svgmap.render(self.ref, self.counts_by_prefecture(year), root(page_path), highlight)

    def counts_by_prefecture(self, year: Year, how: str = "named") -> dict[str, int]:
        """Prefecture code -> the year's projects that involve it ``how`` (named / group / past)."""
        key = (year.fiscal_year, how)
        if key not in self._counts:
            table = self.cat.by_prefecture(year)
            self._counts[key] = {pref: sum(1 for inv in invs if inv.how == how) for pref, invs in table.items()}
        return self._counts[key]

    def prefecture_rows(self, year: Year) -> list[tuple[Place, int, int]]:
        """(prefecture, named, through a group) for the table beside every map."""
        named, via = self.counts_by_prefecture(year), self.counts_by_prefecture(year, "group")
        return [(p, named.get(p.pref_code, 0), via.get(p.pref_code, 0)) for p in self.ref.prefectures]

    def via_groups(self, involvements: list) -> list[tuple[object, list[Project]]]:
        """The groups through which projects reach a prefecture, each with its projects (largest first)."""
        by_label: dict[str, list[Project]] = {}
        for inv in involvements:
            for label in inv.detail:
                by_label.setdefault(label, []).append(inv.project)
        ordered = sorted(by_label.items(), key=lambda item: (-len(item[1]), item[0]))
        return [(self.ref.groups[label], projects) for label, projects in ordered]

    def year_of(self, fiscal_year: int) -> Year:
        return next(y for y in self.cat.years if y.fiscal_year == fiscal_year)

    # --- one method per kind of page -------------------------------------------------------

    def render_home(self, page: Page) -> bytes:
        year = self.cat.latest
        return self.html(
            page.path,
            "home.html",
            "全国各地との連携事業カタログ",
            year=year,
            map=self.map_svg(year, page.path),
            prefecture_rows=self.prefecture_rows(year),
        )

    def render_year(self, page: Page) -> bytes:
        year = self.year_of(page.key)
        return self.html(page.path, "year.html", f"{year.fiscal_year}年度の連携事業", year=year)

    def render_project(self, page: Page) -> bytes:
        project = self.projects[page.key]
        history = self.cat.history.get(project.key, [project])
        return self.html(page.path, "project.html", project.name, project=project, history=history)

    def render_changes(self, page: Page) -> bytes:
        diff = self.cat.diffs[page.key]
        return self.html(page.path, "changes.html", f"{diff.old_year}年度から{diff.new_year}年度への変更", diff=diff)

    def render_changes_json(self, page: Page) -> bytes:
        return _json(diff_to_json(self.cat.diffs[page.key]))

    def render_download(self, page: Page) -> bytes:
        fiscal_year, name = page.key
        return downloads.year_file(self.year_of(fiscal_year), self.cat.notes, name)

    def render_bureau(self, page: Page) -> bytes:
        bureau = next(b for b in self.ref.bureaus if b["slug"] == page.key)
        projects = self.by_bureau[page.key]
        title = bureau["names"][0]["name"]
        return self.html(page.path, "bureau.html", title, bureau=bureau, projects=projects, by_slug=self.by_bureau)

    def render_bureaus(self, page: Page) -> bytes:
        entries = self.bureau_entries()
        return self.html(page.path, "bureaus.html", "所管局の一覧", entries=entries, by_slug=self.by_bureau)

    def render_field(self, page: Page) -> bytes:
        return self.html(page.path, "field.html", page.key, field=page.key, projects=self.by_field[page.key])

    def render_fields(self, page: Page) -> bytes:
        return self.html(page.path, "fields.html", "分野の一覧", by_field=self.by_field)

    def render_prefecture(self, page: Page) -> bytes:
        place, cat = self.ref.places[page.key], self.cat
        return self.html(
            page.path,
            "prefecture.html",
            place.name,
            place=place,
            involvements={y.fiscal_year: cat.by_prefecture(y).get(place.pref_code, []) for y in cat.years},
            flows={y.fiscal_year: cat.prefecture_flow(y, place.pref_code) for y in cat.years},
            municipalities=self.municipalities_by_prefecture.get(place.pref_code, []),
            map=self.map_svg(cat.latest, page.path, place.pref_code),
        )

    def render_redirect(self, page: Page) -> bytes:
        place = self.ref.places[page.key]
        return self.html(page.path, "redirect.html", place.name, target=prefecture_path(place))

    def render_prefectures(self, page: Page) -> bytes:
        return self.html(
            page.path,
            "prefectures.html",
            "都道府県の一覧",
            prefecture_rows=self.prefecture_rows(self.cat.latest),
            map=self.map_svg(self.cat.latest, page.path),
        )

    def render_group(self, page: Page) -> bytes:
        group = self.ref.groups[page.key]
        return self.html(page.path, "group.html", group.label, group=group, projects=self.by_group[page.key])

    def render_groups(self, page: Page) -> bytes:
        return self.html(page.path, "groups.html", "グループの一覧", entries=self.group_entries())

    def render_municipality(self, page: Page) -> bytes:
        place = self.ref.places[page.key]
        uses = self.cat.municipalities[page.key]
        return self.html(page.path, "municipality.html", self.ref.full_name(place), place=place, uses=uses)

    def render_markdown_page(self, page: Page) -> bytes:
        """An editors' Markdown page (data/pages/); some have generated parts below the text."""
        text = next(p for p in self.cat.notes.pages if p.name == page.key)
        extra = self.notes_page_lists() if text.name == "notes" else {}
        body = to_html(text.text, root(page.path), top=2)
        return self.html(page.path, PAGE_TEMPLATES.get(text.name, "page.html"), text.title, body=body, **extra)

    def notes_page_lists(self) -> dict[str, list[tuple[Project, object]]]:
        """What the notes page lists below its Markdown: corrected or unsure readings, places read
        from 備考, bodies located in a place."""
        return {
            "notes": [(p, m) for p in self.cat.all_projects for m in notable(p)],
            "in_remarks": self.readings(lambda m: m.role == "remarks"),
            "bodies": self.readings(lambda m: m.kind == "other" and bool(m.code)),
        }

    def readings(self, wanted) -> list[tuple[Project, object]]:
        """Readings an editor may want to review (places in 備考, bodies located in a place)."""
        return [(p, m) for p in self.cat.all_projects for m in p.mentions if wanted(m)]

    def render_plain(self, page: Page) -> bytes:
        template, title = page.key
        return self.html(page.path, template, title)

    def render_empty(self, page: Page) -> bytes:
        return self.html(page.path, "empty.html", "データがありません")

    def render_search_index(self, page: Page) -> bytes:
        return search.index_script(self.cat)

    def render_sitemap(self, page: Page) -> bytes:
        return sitemap([p.path for p in self.plan], self.base_url or "")

    def render_static(self, page: Page) -> bytes:
        return (self.static / page.key).read_bytes()


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def sitemap(paths: list[str], base_url: str) -> bytes:
    urls = [
        base_url + (p[: -len("index.html")] if p.endswith("index.html") else p)
        for p in sorted(paths)
        if p.endswith(".html") and p != "404.html"
    ]
    body = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</urlset>\n"
    ).encode()


def site_renderer(
    years: list[Year],
    reference: Reference,
    templates: Path,
    static: Path,
    base_url: str | None = None,
    bytecode_cache: Path | None = None,
    *,
    notes: Notes,
) -> SiteRenderer:
    """A renderer ready to make any page of the plan: templates compiled (or loaded from the
    bytecode cache) and what pages share worked out, once."""
    env = environment(templates, bytecode_cache)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    renderer = SiteRenderer(Catalogue(years, reference, notes=notes), env, base_url, static)
    renderer.prepare()
    return renderer


def render_site(
    years: list[Year],
    reference: Reference,
    templates: Path,
    static: Path,
    base_url: str | None = None,
    bytecode_cache: Path | None = None,
    *,
    notes: Notes,
) -> dict[str, bytes]:
    """Every file of the site, from validated years and the editors' pages and notes, in one
    process (the build renders the same plan on every core: site/workers.py)."""
    renderer = site_renderer(years, reference, templates, static, base_url, bytecode_cache, notes=notes)
    return {page.path: renderer.render(page) for page in renderer.plan}
