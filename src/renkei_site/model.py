"""The catalogue as the pages see it: years, projects, and one grouping mechanism."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .diff import Diff, diff_years, match_projects
from .records import Project, Year
from .reference import Place, Reference


def group_by(projects: Iterable[Project], keys: Callable[[Project], Iterable[str]]) -> dict[str, list[Project]]:
    """Projects under every key ``keys`` gives them (a project may sit under several)."""
    groups: dict[str, list[Project]] = defaultdict(list)
    for project in projects:
        for key in dict.fromkeys(keys(project)):
            groups[key].append(project)
    return dict(groups)


@dataclass(frozen=True)
class Involvement:
    """How a project involves one prefecture."""

    project: Project
    how: str  # named / group / past
    detail: tuple[str, ...]  # names of municipalities, or of groups


@dataclass
class Catalogue:
    years: list[Year]
    reference: Reference
    _by_prefecture: dict[int, dict[str, list[Involvement]]] = field(default_factory=dict)

    @cached_property
    def latest(self) -> Year:
        return self.years[-1]

    @cached_property
    def all_projects(self) -> list[Project]:
        return [p for y in self.years for p in y.projects]

    @cached_property
    def diffs(self) -> dict[int, Diff]:
        """Each year against the year before it."""
        return {new.fiscal_year: diff_years(old, new) for old, new in zip(self.years, self.years[1:], strict=False)}

    @cached_property
    def history(self) -> dict[str, list[Project]]:
        """Project key -> the same project in every year, oldest first."""
        chains: dict[str, list[Project]] = {p.key: [p] for p in self.years[0].projects} if self.years else {}
        owner = {key: key for key in chains}
        for old, new in zip(self.years, self.years[1:], strict=False):
            pairs = {n.key: o.key for o, n in match_projects(old, new)}
            for project in new.projects:
                root = owner.get(pairs.get(project.key, ""), project.key)
                owner[project.key] = root
                chains.setdefault(root, []).append(project)
        return {key: chains[owner[key]] for key in owner}

    def pref_of(self, code: str) -> str:
        place = self.reference.places.get(code)
        return place.pref_code if place else ""

    def group_prefs(self, label: str) -> set[str]:
        group = self.reference.groups.get(label)
        return {self.pref_of(code) for code in group.members} if group else set()

    def involvement(self, project: Project) -> dict[str, Involvement]:
        """Prefecture code -> how this project involves it (named beats group beats past)."""
        named: dict[str, list[str]] = defaultdict(list)
        via: dict[str, list[str]] = defaultdict(list)
        past: dict[str, list[str]] = defaultdict(list)
        for m in project.mentions:
            if m.kind in ("prefecture", "municipality") or (m.kind == "other" and m.pref_code):
                target = named if m.role == "current" else past
                target[m.pref_code].append(m.name)
            elif m.kind == "group" and m.role == "current":
                for pref in self.group_prefs(m.name):
                    via[pref].append(m.name)
        result = {}
        for pref, names in past.items():
            result[pref] = Involvement(project, "past", tuple(dict.fromkeys(names)))
        for pref, names in via.items():
            result[pref] = Involvement(project, "group", tuple(dict.fromkeys(names)))
        for pref, names in named.items():
            result[pref] = Involvement(project, "named", tuple(dict.fromkeys(names)))
        return result

    def by_prefecture(self, year: Year) -> dict[str, list[Involvement]]:
        """Prefecture code -> the year's projects involving it (computed once per year)."""
        if year.fiscal_year not in self._by_prefecture:
            self._by_prefecture[year.fiscal_year] = self._involvements(year)
        return self._by_prefecture[year.fiscal_year]

    def _involvements(self, year: Year) -> dict[str, list[Involvement]]:
        table: dict[str, list[Involvement]] = defaultdict(list)
        for project in year.projects:
            for pref, inv in self.involvement(project).items():
                table[pref].append(inv)
        return dict(table)

    @cached_property
    def municipalities(self) -> dict[str, list[tuple[Project, str]]]:
        """Municipality code -> (project, role) for every year."""
        table: dict[str, list[tuple[Project, str]]] = defaultdict(list)
        for project in self.all_projects:
            for m in project.mentions:
                if m.kind == "municipality" and (project, m.role) not in table[m.code]:
                    table[m.code].append((project, m.role))
        return dict(table)

    def place(self, code: str) -> Place:
        return self.reference.places[code]
