"""The renderer: makes any page of the plan (site/plan.py) on its own, in any process and any
order; no I/O but reading templates and static files."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, pass_context
from markupsafe import Markup

from ..model import Catalogue
from ..notes import Notes
from ..records import Project, Year
from ..resolve.reference import Place, Reference
from ..years.diff import LABELS, change_text
from ..years.report import notable
from . import paths, svgmap
from .chrome import Chrome
from .downloads import DOWNLOADS
from .environment import environment, flatten_globals, set_renderer_filters
from .fragments import ROLE_WORDS, Fragments
from .kinds import KIND_BY_NAME, PAGE_KINDS, context_of
from .markdown import to_html
from .paths import (
    bureau_path,
    field_path,
    group_path,
    markdown_page_path,
    municipality_path,
    place_path,
    prefecture_path,
    project_path,
    root,
)
from .plan import Page
from .share import share_of
from .theme import Theme

INLINE_LIMIT = 40  # a prefecture page lists a group's projects inline up to this many


HOW = {"named": "名前が挙がる", "group": "グループを通じて", "past": "過去", "remarks": "備考で言及"}


def involvement_note(inv, brief: bool) -> str:
    """What a prefecture page says beside a project: how it involves the prefecture, and every
    role it gives the prefecture or its places (現在・過去・備考: one line per project)."""
    roles = "・".join(ROLE_WORDS[role] for role in inv.roles)
    if brief:
        return f"{HOW[inv.how]}({roles})" if len(inv.roles) > 1 else HOW[inv.how]
    detail = "、".join(inv.detail)
    if inv.how == "group":
        return f"{detail}を通じて"
    if inv.how == "named":
        return f"{inv.project.bureau} · {inv.project.field} · {detail} · {roles}"
    return f"{detail} · {roles}"


class SiteRenderer:
    """Holds the catalogue and the environment; ``plan`` lists every file (each kind of
    site/kinds.py PAGE_KINDS plans its own), ``render`` makes any one of them."""

    def __init__(self, catalogue: Catalogue, env: Environment, base_url: str | None, theme: Theme):
        self.cat = catalogue
        self.ref: Reference = catalogue.reference
        self.env = env
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.theme = theme
        self.preview_cache: Path | None = None  # where drawn preview images are kept (pipeline.build sets it)
        self.outlines = svgmap.outlines(self.ref)
        self.plan: list[Page] = []
        self.plan = site_plan(self)
        self._counts: dict[tuple[int, str], dict[str, int]] = {}
        fragments = Fragments(self.ref, self.place_path)
        self.chrome = Chrome(env, self.base_url)
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
            place_count=catalogue.place_count,
            inline_limit=INLINE_LIMIT,
            change_labels=LABELS,
            change_text=change_text,
            project_list=pass_context(
                lambda ctx, projects, show_year=False: fragments.project_list(
                    projects, root(ctx["page_path"]), show_year
                )
            ),
            line_list=pass_context(lambda ctx, lines: fragments.line_list(lines, root(ctx["page_path"]))),
            partners=pass_context(lambda ctx, mentions: fragments.partners(mentions, root(ctx["page_path"]))),
            involvement_list=pass_context(
                lambda ctx, invs, brief=False: fragments.annotated_list(
                    [(inv.project, involvement_note(inv, brief)) for inv in invs], root(ctx["page_path"])
                )
            ),
            note=pass_context(lambda ctx, kind, key: self.note(ctx["page_path"], kind, key)),
            chrome=pass_context(lambda ctx, part: self.chrome.part(part, ctx["page_path"])),
            site_pages=[(markdown_page_path(page), page.title) for page in catalogue.notes.pages],
            paths=paths,
            all_downloads=DOWNLOADS,
        )
        set_renderer_filters(env, env.globals)  # the globals pages call most, as filters too
        # a macro no page passes its context to, made once (an import in a page costs it a module a page)
        env.globals["source_line"] = env.get_template("_source.html").module.source_line
        flatten_globals(env)

    def prepare(self) -> None:
        """Work out now what many pages share, so that no worker works it out again."""
        self.cat.prepare()
        for year in self.cat.years:
            self.counts_by_prefecture(year)
            self.counts_by_prefecture(year, "group")

    def render(self, page: Page) -> bytes:
        """The bytes of one file of the plan (the same whichever process makes it, in any order)."""
        return KIND_BY_NAME[page.kind].render(self, page)

    def html(self, page: Page, title: str, context: object, template: str = "") -> bytes:
        """A page from its kind's template (or ``template``) and its context dataclass."""
        name = template or KIND_BY_NAME[page.kind].template
        values = context_of(context)
        share = share_of(self, page, title)
        return (
            self.env.get_template(name).render(page_path=page.path, title=title, share=share, **values).encode("utf-8")
        )

    # --- paths and shared parts ------------------------------------------------------------

    def bureau_path(self, name: str) -> str:
        return bureau_path(self.ref.bureau_slug(name))

    def field_path(self, name: str) -> str:
        return field_path(self.ref.field_slug(name))

    def place_path(self, code: str) -> str:
        return place_path(self.ref, code)

    def note(self, page_path: str, kind: str, key: str) -> Markup:
        """The editors' note on this page (data/notes/), in its section; nothing when there is none."""
        text = self.cat.notes.source(kind, key)
        if not text:
            return Markup("")
        body = to_html(text, root(page_path), top=3)
        return Markup(self.env.get_template("_note.html").render(page_path=page_path, body=body))

    def map_svg(self, year: Year, page_path: str, highlight: str = "") -> Markup:
        return svgmap.render(self.ref, self.outlines, self.counts_by_prefecture(year), root(page_path), highlight)

    def counts_by_prefecture(self, year: Year, how: str = "named") -> dict[str, int]:
        """Prefecture code -> the year's projects that involve it ``how`` (named / group / past)."""
        key = (year.fiscal_year, how)
        if key not in self._counts:
            self._counts[key] = {pref: counted[how] for pref, counted in self.cat.how_counts(year).items()}
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

    def year_of(self, fiscal_year: int) -> Year:
        return next(y for y in self.cat.years if y.fiscal_year == fiscal_year)


def site_plan(renderer: SiteRenderer) -> list[Page]:
    """Every file of the site, kind by kind in the registry's order (the slowest first); a site
    with no year yet is a page that says so, and the static files."""
    if not renderer.cat.years:
        return [Page(paths.HOME, "empty"), *KIND_BY_NAME["static"].plan(renderer)]
    return [page for kind in PAGE_KINDS for page in kind.plan(renderer)]


def site_renderer(
    years: list[Year],
    reference: Reference,
    theme: Theme,
    base_url: str | None = None,
    bytecode_cache: Path | None = None,
    *,
    notes: Notes,
    prepare: bool = True,
) -> SiteRenderer:
    """A renderer ready to make any page of the plan: templates compiled (or loaded from the
    bytecode cache) and (``prepare``) what pages share worked out, once; else each is worked
    out when a page first needs it (a build that renders a few pages)."""
    env = environment(theme.templates, bytecode_cache)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    renderer = SiteRenderer(Catalogue(years, reference, notes=notes), env, base_url, theme)
    if prepare:
        renderer.prepare()
    return renderer


def render_site(renderer: SiteRenderer) -> dict[str, bytes]:
    """Every file of the site in one process, as {path: bytes} (a build renders the same plan on
    every core and writes as it goes: site/workers.py)."""
    return {page.path: renderer.render(page) for page in renderer.plan}
