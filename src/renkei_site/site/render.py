"""The renderer: makes any page of the plan (site/plan.py) on its own, in any process and any
order; no I/O but reading templates and static files."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, pass_context
from markupsafe import Markup

from ..model import Catalogue, project_lines
from ..notes import Notes
from ..records import Project, Year
from ..resolve.reference import Place, Reference
from ..years.diff import LABELS, change_text, diff_to_json
from ..years.report import notable
from . import downloads, placebook, search, svgmap
from .environment import environment
from .fragments import ROLE_WORDS, Fragments
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
from .plan import Page, site_plan

PAGE_TEMPLATES = {"about": "about.html", "notes": "notes.html"}  # Markdown pages with generated parts


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
    """Holds the catalogue and the environment; ``plan`` lists every file (site/plan.py),
    ``render`` makes any one of them."""

    def __init__(self, catalogue: Catalogue, env: Environment, base_url: str | None, static: Path):
        self.cat = catalogue
        self.ref: Reference = catalogue.reference
        self.env = env
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.static = static
        self.plan = site_plan(catalogue, static, sitemap=self.base_url is not None)
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
            place_count=catalogue.place_count,
            inline_limit=INLINE_LIMIT,
            site_root=pass_context(lambda ctx: root(ctx["page_path"])),
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
            site_pages=[(markdown_page_path(page), page.title) for page in catalogue.notes.pages],
        )

    def prepare(self) -> None:
        """Work out now what many pages share, so that no worker works it out again."""
        self.cat.prepare()
        for year in self.cat.years:
            self.counts_by_prefecture(year)
            self.counts_by_prefecture(year, "group")

    def render(self, page: Page) -> bytes:
        """The bytes of one file of the plan (the same whichever process makes it, in any order)."""
        return getattr(self, f"render_{page.kind}")(page)

    def html(self, path: str, template: str, title: str, **context) -> bytes:
        return self.env.get_template(template).render(page_path=path, title=title, **context).encode("utf-8")

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
        project = self.cat.by_key[page.key]
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
        projects, by_slug = self.cat.by_bureau[page.key], self.cat.by_bureau
        title = bureau["names"][0]["name"]
        return self.html(page.path, "bureau.html", title, bureau=bureau, projects=projects, by_slug=by_slug)

    def render_bureaus(self, page: Page) -> bytes:
        entries = [b for b in self.ref.bureaus if b["slug"] in self.cat.by_bureau]
        return self.html(page.path, "bureaus.html", "所管局の一覧", entries=entries, by_slug=self.cat.by_bureau)

    def render_field(self, page: Page) -> bytes:
        return self.html(page.path, "field.html", page.key, field=page.key, projects=self.cat.by_field[page.key])

    def render_fields(self, page: Page) -> bytes:
        return self.html(page.path, "fields.html", "分野の一覧", by_field=self.cat.by_field)

    def render_prefecture(self, page: Page) -> bytes:
        place, cat = self.ref.places[page.key], self.cat
        return self.html(
            page.path,
            "prefecture.html",
            place.name,
            place=place,
            involvements={y.fiscal_year: cat.by_prefecture(y).get(place.pref_code, []) for y in cat.years},
            flows={y.fiscal_year: cat.prefecture_flow(y, place.pref_code) for y in cat.years},
            municipalities=cat.municipalities_by_prefecture.get(place.pref_code, []),
            wards=cat.wards,
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
        return self.html(page.path, "group.html", group.label, group=group, projects=self.cat.by_group[page.key])

    def render_groups(self, page: Page) -> bytes:
        groups = self.cat.by_group
        entries = [(g, groups[g.label]) for g in self.ref.groups.values() if g.label in groups]
        return self.html(page.path, "groups.html", "グループの一覧", entries=entries)

    def render_municipality(self, page: Page) -> bytes:
        place, cat = self.ref.places[page.key], self.cat
        lines = project_lines(cat.municipalities.get(page.key, ()))
        through = cat.through_groups(place.code)
        by_year = {
            y.fiscal_year: [line for line in lines if line.project.fiscal_year == y.fiscal_year] for y in cat.years
        }
        return self.html(
            page.path,
            "municipality.html",
            self.ref.full_name(place),
            place=place,
            lines=by_year,
            count=cat.place_count(place.code),
            through=through,
            through_total=len({p.key for _, projects in through for p in projects}),
            wards=[code for code in cat.wards if self.ref.places[code].parent_code == place.code],
        )

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

    def render_place_dictionary(self, page: Page) -> bytes:
        return placebook.dictionary_script(self.ref)

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


def render_site(renderer: SiteRenderer) -> dict[str, bytes]:
    """Every file of the site in one process, as {path: bytes} (a build renders the same plan on
    every core and writes as it goes: site/workers.py)."""
    return {page.path: renderer.render(page) for page in renderer.plan}
