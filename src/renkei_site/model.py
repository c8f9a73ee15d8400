"""The catalogue as the pages see it: years, projects, and one grouping mechanism."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .notes import Notes, municipality_pages
from .parts import NO_PARTS, Parts
from .records import Project, Year
from .resolve.reference import Group, Place, Reference
from .years.diff import Diff, diff_years, match_projects

HOW_ORDER = ("named", "past", "remarks", "group")  # strongest first
ROLE_HOW = {"current": "named", "past": "past", "remarks": "remarks"}
ROLE_ORDER = ("current", "past", "remarks")
ROLES_OF = {  # (named as current, as past, in 備考) -> those roles, in ROLE_ORDER
    flags: tuple(role for role, flag in zip(ROLE_ORDER, flags, strict=True) if flag)
    for flags in itertools.product((False, True), repeat=3)
}


def group_by(projects: Iterable[Project], keys: Callable[[Project], Iterable[str]]) -> dict[str, list[Project]]:
    """Projects under every key ``keys`` gives them (a project may sit under several)."""
    groups: dict[str, list[Project]] = defaultdict(list)
    for project in projects:
        for key in dict.fromkeys(keys(project)):
            groups[key].append(project)
    return dict(groups)


@dataclass(frozen=True, slots=True)
class Involvement:
    """How a project involves one prefecture."""

    project: Project
    how: str  # named / past / remarks (named only in 備考) / group (not named, in a group it lists)
    detail: tuple[str, ...]  # names of municipalities, or of groups
    current: bool = False  # a partner now: named among current partners, or in a current group
    roles: tuple[str, ...] = ()  # every role the project gives the prefecture or its places, in ROLE_ORDER


@dataclass(frozen=True, slots=True)
class Use:
    """How a project names one municipality: as a partner (current / past) or in 備考 (remarks),
    the municipality itself or a body located in it (``body``: 白河市内の劇場)."""

    project: Project
    role: str
    body: str = ""


@dataclass(frozen=True, slots=True)
class ProjectLine:
    """One project on a place's list, with every role it gives the place there, in ROLE_ORDER
    (現在・過去・備考), and the bodies located in the place that it names."""

    project: Project
    roles: tuple[str, ...]
    bodies: tuple[str, ...] = ()


def project_lines(uses: Iterable[Use]) -> list[ProjectLine]:
    """The uses of a place, one line per project: latest year first, then the list's order."""
    roles: dict[str, dict[str, None]] = defaultdict(dict)
    bodies: dict[str, dict[str, None]] = defaultdict(dict)
    projects: dict[str, Project] = {}
    for use in uses:
        projects[use.project.key] = use.project
        roles[use.project.key][use.role] = None
        if use.body:
            bodies[use.project.key][use.body] = None
    return [
        ProjectLine(p, tuple(r for r in ROLE_ORDER if r in roles[p.key]), tuple(bodies[p.key]))
        for p in ordered(projects.values())
    ]


def _unique(names: list[str]) -> tuple[str, ...]:
    return (names[0],) if len(names) == 1 else tuple(dict.fromkeys(names))


def names_place(mention) -> bool:
    """A mention that names a place: the place itself, or a body located in it."""
    return mention.kind in ("prefecture", "municipality") or (mention.kind == "other" and bool(mention.pref_code))


def ordered(projects: Iterable[Project]) -> list[Project]:
    """Latest year first, then the list's order."""
    return sorted(projects, key=lambda p: (-p.fiscal_year, p.no))


class ProjectsWithout(Sequence):
    """A list of projects less those whose id() is in ``left_out``, its length known beforehand
    and its items found only when first looked at."""

    def __init__(self, projects: Sequence[Project], left_out: Container[int], count: int):
        self._projects, self._left_out, self._count, self._items = projects, left_out, count, None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if self._items is None:
            self._items = [p for p in self._projects if id(p) not in self._left_out]
        return self._items[index]

    def __iter__(self):
        return (p for p in self._projects if id(p) not in self._left_out)


@dataclass
class Catalogue:
    years: list[Year]
    reference: Reference
    _by_prefecture: dict[int, dict[str, list[Involvement]]] = field(default_factory=dict)
    _involvement: dict[str, dict[str, Involvement]] = field(default_factory=dict)
    notes: Notes = field(default_factory=Notes)  # the editors' pages and notes (data/pages, data/notes)
    parts: Parts = NO_PARTS  # parts of big files kept between builds (parts.py; a build sets it)
    _through: dict[str, list] = field(default_factory=dict)  # through_groups, per place code
    _counts: dict[str, int] = field(default_factory=dict)  # place_count, per place code
    _reach: dict[tuple[str, ...], tuple[frozenset[int], int]] = field(default_factory=dict)
    _how_counts: dict[int, dict[str, dict[str, int]]] = field(default_factory=dict)  # how_counts, per year

    @cached_property
    def latest(self) -> Year:
        return self.years[-1]

    @cached_property
    def all_projects(self) -> list[Project]:
        return [p for y in self.years for p in y.projects]

    @cached_property
    def diffs(self) -> dict[int, Diff]:
        """Each year against the year before it."""
        return {
            new.fiscal_year: diff_years(old, new, self.reference)
            for old, new in zip(self.years, self.years[1:], strict=False)
        }

    @cached_property
    def predecessor(self) -> dict[str, Project]:
        """Project key -> the same project in the year before (by name, former name or data/project_links.yaml)."""
        links = self.reference.project_links
        return {
            n.key: o
            for old, new in zip(self.years, self.years[1:], strict=False)
            for o, n in match_projects(old, new, links)
        }

    @cached_property
    def history(self) -> dict[str, list[Project]]:
        """Project key -> the same project in every year, oldest first."""
        chains: dict[str, list[Project]] = {}
        owner: dict[str, str] = {}
        for project in self.all_projects:
            before = self.predecessor.get(project.key)
            root = owner[before.key] if before else project.key
            owner[project.key] = root
            chains.setdefault(root, []).append(project)
        return {key: chains[root] for key, root in owner.items()}

    def prefecture_flow(self, year: Year, pref_code: str) -> dict[str, list[Project]] | None:
        """The year's projects with the prefecture (named or through a group) against the year before:
        ``started``, ``continued`` and ``ended`` (the earlier year's projects).  None for the first year."""
        index = self.years.index(year)
        if index == 0:
            return None

        def current(y: Year) -> list[Project]:
            return [inv.project for inv in self.by_prefecture(y).get(pref_code, []) if inv.current]

        before = current(self.years[index - 1])
        before_keys = {p.key for p in before}
        now = current(year)
        carried = {self.predecessor[p.key].key for p in now if p.key in self.predecessor}
        return {
            "started": [p for p in now if self.predecessor.get(p.key, p).key not in before_keys],
            "continued": [p for p in now if self.predecessor.get(p.key, p).key in before_keys],
            "ended": [p for p in before if p.key not in carried],
        }

    def pref_of(self, code: str) -> str:
        place = self.reference.places.get(code)
        return place.pref_code if place else ""

    @cached_property
    def _group_prefs(self) -> dict[str, frozenset[str]]:
        return {
            label: frozenset(self.pref_of(code) for code in group.members)
            for label, group in self.reference.groups.items()
        }

    def group_prefs(self, label: str) -> frozenset[str]:
        """Prefecture codes a group's members lie in."""
        return self._group_prefs.get(label, frozenset())

    def involvement(self, project: Project) -> dict[str, Involvement]:
        """Prefecture code -> how this project involves it (named beats past beats remarks beats
        group: a project that names the prefecture anywhere is listed as naming it); computed once."""
        if project.key not in self._involvement:
            self._involvement[project.key] = self._involvement_of(project)
        return self._involvement[project.key]

    def _involvement_of(self, project: Project) -> dict[str, Involvement]:
        places: dict[str, dict[str, list[str]]] = {how: {} for how in ROLE_HOW.values()}
        labels: list[str] = []  # the current groups, in the list's order
        for m in project.mentions:
            if names_place(m):
                places[ROLE_HOW[m.role]].setdefault(m.pref_code, []).append(m.name)
            elif m.kind == "group" and m.role == "current":
                labels.append(m.name)
        result: dict[str, Involvement] = {}
        in_groups: Container[str] = ()
        if labels and labels.count(labels[0]) == len(labels):  # one group (most projects with any)
            in_groups = self.group_prefs(labels[0])
            result = dict.fromkeys(in_groups, Involvement(project, "group", (labels[0],), True))
        elif labels:
            groups: dict[str, list[str]] = {}  # prefecture -> the current groups that include it
            for label in labels:
                for pref in self.group_prefs(label):
                    groups.setdefault(pref, []).append(label)
            through: dict[tuple[str, ...], Involvement] = {}  # one object for the ~46 prefectures of 全国道府県
            for pref, found in groups.items():
                detail = _unique(found)
                if detail not in through:
                    through[detail] = Involvement(project, "group", detail, True)
                result[pref] = through[detail]
            in_groups = groups
        named, past, remarks = places["named"], places["past"], places["remarks"]
        for how in reversed(HOW_ORDER[:-1]):  # the stronger way overwrites the weaker
            for pref, names in places[how].items():
                roles = ROLES_OF[pref in named, pref in past, pref in remarks]
                result[pref] = Involvement(project, how, _unique(names), pref in named or pref in in_groups, roles)
        return result

    def by_prefecture(self, year: Year) -> dict[str, list[Involvement]]:
        """Prefecture code -> the year's projects involving it (computed once per year)."""
        if year.fiscal_year not in self._by_prefecture:
            self._by_prefecture[year.fiscal_year] = self._involvements(year)
        return self._by_prefecture[year.fiscal_year]

    def how_counts(self, year: Year) -> dict[str, dict[str, int]]:
        """Prefecture code -> how many of the year's projects involve it each way (HOW_ORDER),
        with ``current`` and ``total`` (computed once per year: several downloads show them)."""
        if year.fiscal_year not in self._how_counts:
            table = {}
            for pref, involvements in self.by_prefecture(year).items():
                counted = dict.fromkeys(HOW_ORDER, 0) | Counter(inv.how for inv in involvements)
                counted["current"] = sum(1 for inv in involvements if inv.current)
                counted["total"] = len(involvements)
                table[pref] = counted
            self._how_counts[year.fiscal_year] = table
        return self._how_counts[year.fiscal_year]

    def _involvements(self, year: Year) -> dict[str, list[Involvement]]:
        table: dict[str, list[Involvement]] = defaultdict(list)
        for project in year.projects:
            for pref, inv in self.involvement(project).items():
                table[pref].append(inv)
        return dict(table)

    @cached_property
    def municipalities(self) -> dict[str, list[Use]]:
        """Municipality code -> how each project of every year names it (as a partner, in 備考,
        or through a body located in it), one entry per project and role."""
        table: dict[str, dict[tuple[str, str], Use]] = defaultdict(dict)
        for project in self.all_projects:
            for m in project.mentions:
                place = self.reference.places.get(m.code) if names_place(m) else None
                if place is not None and not place.is_prefecture:
                    body = m.name if m.kind == "other" else ""
                    table[m.code].setdefault((project.key, m.role), Use(project, m.role, body))
        return {code: list(uses.values()) for code, uses in sorted(table.items())}

    def place(self, code: str) -> Place:
        return self.reference.places[code]

    @cached_property
    def by_key(self) -> dict[str, Project]:
        return {p.key: p for p in self.all_projects}

    @cached_property
    def by_bureau(self) -> dict[str, list[Project]]:
        """Bureau slug -> the projects of every year (a renamed bureau is one entry)."""
        return group_by(self.all_projects, lambda p: [self.reference.bureau_slug(p.bureau)])

    @cached_property
    def by_field(self) -> dict[str, list[Project]]:
        """Field, as data/fields.yaml spells it -> the projects of every year."""
        return group_by(self.all_projects, lambda p: [self.reference.canonical_field(p.field)])

    @cached_property
    def by_group(self) -> dict[str, list[Project]]:
        """Group label -> the projects of every year that name it."""
        return group_by(self.all_projects, lambda p: [m.name for m in p.mentions if m.kind == "group"])

    @cached_property
    def municipalities_by_prefecture(self) -> dict[str, list[str]]:
        """Prefecture code -> the codes of its municipalities with a page, by code."""
        table: dict[str, list[str]] = {}
        for code in self.municipality_codes:
            table.setdefault(self.pref_of(code), []).append(code)
        return table

    @cached_property
    def municipality_codes(self) -> tuple[str, ...]:
        """Every municipality with a page: each city, town, village, special ward and
        designated-city ward of the reference table (notes.municipality_pages)."""
        return municipality_pages(self.reference)

    @cached_property
    def wards(self) -> tuple[str, ...]:
        """The designated-city wards, by code."""
        return tuple(code for code in self.municipality_codes if self.reference.places[code].kind == "ward")

    @cached_property
    def wards_of(self) -> dict[str, list[str]]:
        """A designated city's code -> its wards' codes, by code."""
        table: dict[str, list[str]] = {}
        for code in self.wards:
            table.setdefault(self.reference.places[code].parent_code, []).append(code)
        return table

    @cached_property
    def with_page(self) -> frozenset[str]:
        """The codes of municipality_codes, for lookups."""
        return frozenset(self.municipality_codes)

    @cached_property
    def _groups_with(self) -> dict[str, tuple[str, ...]]:
        table: dict[str, list[str]] = defaultdict(list)
        for label, group in self.reference.groups.items():
            for code in group.members:
                table[code].append(label)
        return {code: tuple(labels) for code, labels in table.items()}

    def groups_with(self, code: str) -> tuple[str, ...]:
        """Labels of the groups whose stated members include the place (a ward: or its city)."""
        place = self.reference.places[code]
        own = self._groups_with.get(code, ())
        return own if place.kind != "ward" else tuple(dict.fromkeys(own + self._groups_with.get(place.parent_code, ())))

    @cached_property
    def by_current_group(self) -> dict[str, list[Project]]:
        """Group label -> the projects of every year that name it among current partners."""
        return group_by(
            self.all_projects, lambda p: [m.name for m in p.mentions if m.kind == "group" and m.role == "current"]
        )

    def through_groups(self, code: str) -> list[tuple[Group, Sequence[Project]]]:
        """What includes a municipality only through a group, group by group (in data/groups.yaml's
        order): each group that has it among its members, with the projects naming that group as a
        current partner that do not name the place itself (latest year first, then the list's
        order; counted at once, listed only when looked at: a national group has thousands)."""
        if code not in self._through:
            named = self._named_ids(code)
            out = []
            for label in self.groups_with(code):
                projects = self._current_group_ordered.get(label, ())
                ids = self._current_group_ids.get(label, frozenset())
                count = len(projects) - sum(1 for i in named if i in ids)
                if count:
                    out.append((self.reference.groups[label], ProjectsWithout(projects, named, count)))
            self._through[code] = out
        return self._through[code]

    def through_counts(self, code: str) -> tuple[int, int]:
        """(every year, the latest year): how many projects include the place only through groups."""
        named = self._named_ids(code)
        reached, latest = self._reached_by(self.groups_with(code))
        inside = [i for i in named if i in reached]
        return len(reached) - len(inside), latest - sum(1 for i in inside if named[i] == self.latest.fiscal_year)

    def _named_ids(self, code: str) -> dict[int, int]:
        """id() -> fiscal year of every project that names the place (one object per project)."""
        return {id(use.project): use.project.fiscal_year for use in self.municipalities.get(code, ())}

    def _reached_by(self, labels: tuple[str, ...]) -> tuple[frozenset[int], int]:
        """The projects naming any of these groups as a current partner (ids), and how many are of
        the latest year (kept per set of groups: a prefecture's places share theirs)."""
        if labels not in self._reach:
            ids, latest = self._current_group_ids, self._current_group_latest_ids
            reached = frozenset().union(*(ids.get(label, ()) for label in labels))
            self._reach[labels] = reached, len(frozenset().union(*(latest.get(label, ()) for label in labels)))
        return self._reach[labels]

    @cached_property
    def _current_group_ordered(self) -> dict[str, list[Project]]:
        return {label: ordered(projects) for label, projects in self.by_current_group.items()}

    @cached_property
    def _current_group_ids(self) -> dict[str, frozenset[int]]:
        return {label: frozenset(map(id, projects)) for label, projects in self.by_current_group.items()}

    @cached_property
    def _current_group_latest_ids(self) -> dict[str, frozenset[int]]:
        """Those of _current_group_ids of the latest year."""
        latest = self.latest.fiscal_year if self.years else None
        return {
            label: frozenset(id(p) for p in projects if p.fiscal_year == latest)
            for label, projects in self.by_current_group.items()
        }

    def place_count(self, code: str) -> int:
        """THE count of a place, wherever a number stands beside its name (the map, the tables,
        the pages, the search box's suggestions): the latest year's projects that name the place
        among current partners (itself or a body located in it; a prefecture: or any of its
        municipalities)."""
        if code not in self._counts:
            self._counts[code] = self._place_count(code)
        return self._counts[code]

    def _place_count(self, code: str) -> int:
        if not self.years:
            return 0
        place = self.reference.places[code]
        if place.is_prefecture:
            return sum(1 for inv in self.by_prefecture(self.latest).get(place.pref_code, ()) if inv.how == "named")
        latest = self.latest.fiscal_year
        return len(
            {
                u.project.key
                for u in self.municipalities.get(code, ())
                if u.role == "current" and u.project.fiscal_year == latest
            }
        )

    def prepare(self) -> None:
        """Work out now what many pages share (a build does, before it forks its workers)."""
        for year in self.years:
            self.how_counts(year)
        for name in (
            "history",
            "diffs",
            "by_key",
            "by_bureau",
            "by_field",
            "by_group",
            "by_current_group",
            "_groups_with",
            "municipalities_by_prefecture",
            "municipalities",
            "_current_group_ordered",
            "_current_group_ids",
            "_current_group_latest_ids",
            "wards_of",
        ):
            getattr(self, name)
