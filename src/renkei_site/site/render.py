"""Render every page, giving each to a sink as it is made; no I/O but reading templates."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from ..model import Catalogue
from ..notes import Notes
from ..records import Project, Year
from ..resolve.reference import Place, Reference
from ..years.diff import LABELS, change_text, diff_to_json
from ..years.report import notable
from . import downloads, search, svgmap
from .fragments import Fragments
from .html import remarks_html
from .markdown import to_html
from .paths import group_path, markdown_page_path, municipality_path, prefecture_path, project_path, root

Sink = Callable[[str, bytes], None]


def environment(templates: Path, bytecode_cache: Path | None = None) -> Environment:
    """The one Jinja environment: autoescaped, strict about undefined names."""
    if bytecode_cache is not None:
        bytecode_cache.mkdir(parents=True, exist_ok=True)
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=FileSystemBytecodeCache(str(bytecode_cache)) if bytecode_cache else None,
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


class SiteRenderer:
    """Holds the catalogue and the environment; each method adds pages."""

    def __init__(self, catalogue: Catalogue, env: Environment, base_url: str | None, sink: Sink):
        self.cat = catalogue
        self.ref: Reference = catalogue.reference
        self.env = env
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.sink = sink
        self.paths: list[str] = []
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
            latest=catalogue.latest,
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

    def bureau_path(self, name: str) -> str:
        return f"bureaus/{self.ref.bureau_slug(name)}/index.html"

    def field_path(self, name: str) -> str:
        return f"fields/{self.ref.field_slug(name)}/index.html"

    def place_path(self, code: str) -> str:
        place = self.ref.places[code]
        return prefecture_path(place) if place.is_prefecture else municipality_path(code)

    def page(self, path: str, template: str, title: str, **context) -> None:
        html = self.env.get_template(template).render(page_path=path, title=title, **context)
        self.emit(path, html.encode("utf-8"))

    def emit(self, path: str, data: bytes) -> None:
        self.paths.append(path)
        self.sink(path, data)

    def render(self) -> None:
        self.home()
        for year in self.cat.years:
            self.year_pages(year)
        self.bureaus()
        self.fields()
        self.prefectures()
        self.groups()
        self.municipalities()
        self.page("search/index.html", "search.html", "検索")
        self.pages()
        self.page("404.html", "404.html", "ページが見つかりません")
        self.emit("search-index.js", search.index_script(self.cat))
        if self.base_url:
            self.emit("sitemap.xml", sitemap(self.paths, self.base_url))

    def pages(self) -> None:
        """The editors' Markdown pages (data/pages/); some have generated parts below the text."""
        for page in self.cat.notes.pages:
            path = markdown_page_path(page)
            extra = self.notes_page_lists() if page.name == "notes" else {}
            body = to_html(page.text, root(path), top=2)
            self.page(path, PAGE_TEMPLATES.get(page.name, "page.html"), page.title, body=body, **extra)

    def notes_page_lists(self) -> dict[str, list[tuple[Project, object]]]:
        """What the notes page lists below its Markdown: corrected or unsure readings, places read
        from 備考, bodies located in a place."""
        return {
            "notes": self.notes(),
            "in_remarks": self.readings(lambda m: m.role == "remarks"),
            "bodies": self.readings(lambda m: m.kind == "other" and bool(m.code)),
        }

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

    def home(self) -> None:
        year = self.cat.latest
        self.page(
            "index.html",
            "home.html",
            "全国各地との連携事業カタログ",
            year=year,
            map=self.map_svg(year, "index.html"),
            prefecture_rows=self.prefecture_rows(year),
        )

    def year_pages(self, year: Year) -> None:
        self.page(
            f"{year.fiscal_year}/index.html",
            "year.html",
            f"{year.fiscal_year}年度の連携事業",
            year=year,
        )
        for project in year.projects:
            self.page(
                project_path(project),
                "project.html",
                project.name,
                project=project,
                history=self.cat.history.get(project.key, [project]),
            )
        diff = self.cat.diffs.get(year.fiscal_year)
        if diff is not None:
            self.page(
                f"{year.fiscal_year}/changes/index.html",
                "changes.html",
                f"{diff.old_year}年度から{diff.new_year}年度への変更",
                diff=diff,
            )
            self.emit(f"{year.fiscal_year}/changes.json", _json(diff_to_json(diff)))
        for name, data in downloads.year_files(year, self.cat.notes):
            self.emit(f"{year.fiscal_year}/{name}", data)

    def bureaus(self) -> None:
        by_slug: dict[str, list[Project]] = {}
        for project in self.cat.all_projects:
            by_slug.setdefault(self.ref.bureau_slug(project.bureau), []).append(project)
        entries = [b for b in self.ref.bureaus if b["slug"] in by_slug]
        for bureau in entries:
            self.page(
                f"bureaus/{bureau['slug']}/index.html",
                "bureau.html",
                bureau["names"][0]["name"],
                bureau=bureau,
                projects=by_slug[bureau["slug"]],
                by_slug=by_slug,
            )
        self.page("bureaus/index.html", "bureaus.html", "所管局の一覧", entries=entries, by_slug=by_slug)

    def fields(self) -> None:
        by_field: dict[str, list[Project]] = {}
        for project in self.cat.all_projects:
            by_field.setdefault(self.ref.canonical_field(project.field), []).append(project)
        for name, projects in by_field.items():
            self.page(self.field_path(name), "field.html", name, field=name, projects=projects)
        self.page("fields/index.html", "fields.html", "分野の一覧", by_field=by_field)

    def prefectures(self) -> None:
        per_year = {y.fiscal_year: self.cat.by_prefecture(y) for y in self.cat.years}
        for place in self.ref.prefectures:
            involvements = {year: table.get(place.pref_code, []) for year, table in per_year.items()}
            municipalities = sorted(
                (code, len({use.project.key for use in uses}))
                for code, uses in self.cat.municipalities.items()
                if self.ref.places[code].pref_code == place.pref_code
            )
            self.page(
                prefecture_path(place),
                "prefecture.html",
                place.name,
                place=place,
                involvements=involvements,
                flows={y.fiscal_year: self.cat.prefecture_flow(y, place.pref_code) for y in self.cat.years},
                municipalities=municipalities,
                map=self.map_svg(self.cat.latest, prefecture_path(place), place.pref_code),
            )
            self.page(
                f"prefectures/{place.pref_code}/index.html",
                "redirect.html",
                place.name,
                target=prefecture_path(place),
            )
        self.page(
            "prefectures/index.html",
            "prefectures.html",
            "都道府県の一覧",
            prefecture_rows=self.prefecture_rows(self.cat.latest),
            map=self.map_svg(self.cat.latest, "prefectures/index.html"),
        )

    def groups(self) -> None:
        by_label: dict[str, list[Project]] = {}
        for project in self.cat.all_projects:
            for label in dict.fromkeys(m.name for m in project.mentions if m.kind == "group"):
                by_label.setdefault(label, []).append(project)
        entries = [(g, by_label[g.label]) for g in self.ref.groups.values() if g.label in by_label]
        for group, projects in entries:
            self.page(group_path(group), "group.html", group.label, group=group, projects=projects)
        self.page("groups/index.html", "groups.html", "グループの一覧", entries=entries)

    def via_groups(self, involvements: list) -> list[tuple[object, list[Project]]]:
        """The groups through which projects reach a prefecture, each with its projects (largest first)."""
        by_label: dict[str, list[Project]] = {}
        for inv in involvements:
            for label in inv.detail:
                by_label.setdefault(label, []).append(inv.project)
        ordered = sorted(by_label.items(), key=lambda item: (-len(item[1]), item[0]))
        return [(self.ref.groups[label], projects) for label, projects in ordered]

    def municipalities(self) -> None:
        for code, uses in self.cat.municipalities.items():
            place = self.ref.places[code]
            self.page(
                municipality_path(code),
                "municipality.html",
                self.ref.full_name(place),
                place=place,
                uses=uses,
            )

    def notes(self) -> list[tuple[Project, object]]:
        return [(p, m) for p in self.cat.all_projects for m in notable(p)]

    def readings(self, wanted) -> list[tuple[Project, object]]:
        """Readings an editor may want to review (places in 備考, bodies located in a place)."""
        return [(p, m) for p in self.cat.all_projects for m in p.mentions if wanted(m)]


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


def render_site(
    years: list[Year],
    reference: Reference,
    templates: Path,
    static: Path,
    base_url: str | None = None,
    bytecode_cache: Path | None = None,
    sink: Sink | None = None,
    *,
    notes: Notes,
) -> dict[str, bytes]:
    """Every file of the site, from validated years and the editors' pages and notes, given to
    ``sink(path, bytes)`` as it is made (so a large site is never held in memory whole); without
    a sink, returned as a dict."""
    pages: dict[str, bytes] = {}
    sink = sink or pages.__setitem__
    env = environment(templates, bytecode_cache)
    if not years:
        sink(
            "index.html",
            env.get_template("empty.html").render(page_path="index.html", title="データがありません").encode(),
        )
    else:
        SiteRenderer(Catalogue(years, reference, notes=notes), env, base_url, sink).render()
    for name in sorted(p.name for p in static.iterdir() if p.is_file()):
        sink(f"static/{name}", (static / name).read_bytes())
    return pages
