"""HTML fragments repeated thousands of times in a large site, made in Python.

A Jinja macro call costs tens of microseconds; project lists and partner
lists are most of a 10,000-project site, and the same list (every project that
reaches a prefecture through 全国道府県) recurs on many pages.  These functions
escape everything from the data exactly as the templates do (markupsafe), and
take ``root``, the way from the page to the site root ("../../"), so a list
made once serves every page at that depth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from ..model import ProjectLine
from ..records import Project
from ..resolve.mention import Mention
from ..resolve.reference import Reference
from .paths import group_path, project_path

ROLE_WORDS = {"current": "現在", "past": "過去", "remarks": "備考"}  # the legend: templates/municipality.html


class Fragments:
    def __init__(self, reference: Reference, place_path: Callable[[str], str]):
        self.ref = reference
        self.place_path = place_path
        self._lists: dict[tuple, Markup] = {}
        self._mentions: dict[tuple[Mention, str], str] = {}

    def project_item(self, project: Project, root: str, meta: str, show_year: bool = False) -> str:
        year = f"{project.fiscal_year}年度 · " if show_year else ""
        return (
            f'  <li><a href="{root}{project_path(project)}">{escape(project.name)}</a>\n'
            f'    <span class="meta">{year}{meta}</span></li>\n'
        )

    def standard_meta(self, project: Project) -> str:
        new = ' · <strong class="new">新規</strong>' if project.status == "新規" else ""
        return f"No.{project.no} · {escape(project.bureau)} · {escape(project.field)}{new}"

    def project_list(self, projects: Iterable[Project], root: str, show_year: bool = False) -> Markup:
        """<ul class="projects"> with number, bureau, field and 新規 for each project; a list seen
        before at the same depth is reused (every town's page lists what 全国の自治体 reaches)."""
        projects = list(projects)
        key = ("list", root, show_year, tuple(p.key for p in projects))
        if key not in self._lists:
            items = "".join(self.project_item(p, root, self.standard_meta(p), show_year) for p in projects)
            self._lists[key] = Markup(f'<ul class="projects">\n{items}</ul>\n')
        return self._lists[key]

    def line_list(self, lines: Iterable[ProjectLine], root: str) -> Markup:
        """<ul class="projects">, one line per project with the roles it gives the place
        (現在・過去・備考) and the bodies located there that it names."""
        items = []
        for line in lines:
            roles = "・".join(ROLE_WORDS[r] for r in line.roles)
            bodies = "".join(f"({escape(b)})" for b in line.bodies)
            meta = f'{self.standard_meta(line.project)} · <span class="roles">{roles}</span>{bodies}'
            items.append(self.project_item(line.project, root, meta))
        return Markup(f'<ul class="projects">\n{"".join(items)}</ul>\n')

    def annotated_list(self, entries: list[tuple[Project, str]], root: str) -> Markup:
        """<ul class="projects"> with a note of our own beside each project; a list seen before
        at the same depth is reused."""
        key = (root, tuple((p.key, note) for p, note in entries))
        if key not in self._lists:
            items = "".join(self.project_item(p, root, str(escape(note))) for p, note in entries)
            self._lists[key] = Markup(f'<ul class="projects">\n{items}</ul>\n')
        return self._lists[key]

    def mention(self, m: Mention, root: str) -> str:
        """One partner as a project page shows it (made once per wording and depth: one lookup,
        as a mention's hash is a tuple of its eleven fields and a build renders each once)."""
        key = (m, root)
        html = self._mentions.get(key)
        if html is None:
            html = self._mentions[key] = self._mention(m, root)
        return html

    def _mention(self, m: Mention, root: str) -> str:
        ref, title = self.ref, f"原文:{m.surface}"
        if m.kind in ("prefecture", "municipality"):
            name = ref.full_name(ref.places[m.code])
            html = f'<a href="{root}{self.place_path(m.code)}" title="{escape(title)}">{escape(name)}</a>'
            if m.surface and m.surface != name:
                html += f' <span class="surface">[{escape(title)}]</span>'
        elif m.kind == "group":
            group = ref.groups[m.name]
            html = (
                f'<a class="group" href="{root}{group_path(group)}" '
                f'title="{escape(title)} — {escape(group.description)}">{escape(m.name)}</a>'
            )
        elif m.kind == "other":
            html = f'<span class="other" title="{escape(title)}">{escape(m.name)}</span>'
        elif m.kind == "ambiguous":
            links = "・".join(
                f'<a href="{root}{self.place_path(c)}">{escape(ref.full_name(ref.places[c]))}</a>' for c in m.candidates
            )
            html = f'<span class="warn">{escape(m.surface)}(曖昧:{links})</span>'
        elif m.kind == "unresolved":
            html = f'<span class="warn">{escape(m.surface)}(未解決)</span>'
        else:
            html = f'<span class="none">{escape(m.surface or "なし")}</span>'
        if m.correction:
            html += f' <span class="correction">訂正:{escape(m.correction)}</span>'
        if m.via:
            html += f' <span class="via">({escape(m.via)}の内訳)</span>'
        return html

    def partners(self, mentions: list[Mention], root: str) -> Markup:
        """Partners grouped by qualifier, in reading order; wording that names no government after them."""
        groups: dict[str, list[Mention]] = {}
        for m in mentions:
            if m.kind != "text":
                groups.setdefault(m.qualifier, []).append(m)
        out = []
        for qualifier, items in groups.items():
            heading = f"  <h4>{escape(qualifier)}</h4>\n" if qualifier else ""
            lines = "".join(f"<li>{self.mention(m, root)}</li>\n  " for m in items)
            out.append(f'<div class="partner-group">\n{heading}  <ul class="partners">\n  {lines}</ul>\n</div>\n')
        texts = [m for m in mentions if m.kind == "text"]
        if texts:
            quoted = "".join(f'「<span class="text">{escape(m.surface)}</span>」' for m in texts)
            out.append(f'<p class="source">自治体名として読み取っていない記載:{quoted}</p>\n')
        return Markup("".join(out))
