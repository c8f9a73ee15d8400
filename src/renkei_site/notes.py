"""Editors' Markdown under ``data/``: site pages and notes on projects and places.

``data/pages/<name>.md`` is the page ``/<name>/`` (its first line ``# Title`` is the title);
``data/notes/projects/<year>/<id>.md``, ``data/notes/prefectures/<slug>.md``,
``data/notes/municipalities/<code>.md``, ``data/notes/bureaus/<slug>.md`` and
``data/notes/fields/<slug>.md`` are shown on those pages.  Import never writes here.  Loading
checks every file against the years and the reference data and reports ``file:line: problem``
for every mistake at once; the Markdown is kept as source (site/markdown.py renders it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, reads
from .errors import InputError, Problem
from .records import Year
from .resolve.reference import Reference

KINDS = {  # folder under data/notes/ -> kind of note
    "projects": "project",
    "prefectures": "prefecture",
    "municipalities": "municipality",
    "bureaus": "bureau",
    "fields": "field",
}
REQUIRED_PAGES = {"about": "the header links to it", "notes": "it introduces the list of corrected readings"}
SITE_FOLDERS = frozenset(  # top-level folders the generator writes itself (and fiscal years: digits)
    ("prefectures", "municipalities", "bureaus", "fields", "groups", "search", "static", "downloads")
)
PAGE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
TITLE = re.compile(r"#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
WHERE_NOTES_GO = (
    "notes are data/notes/projects/<year>/<id>.md or data/notes/<folder>/<key>.md "
    "with folder prefectures, municipalities, bureaus or fields"
)
Label = Callable[[Path], str]  # how a file is named in a problem


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the site written in Markdown."""

    name: str  # the URL: /<name>/
    title: str
    text: str  # Markdown source after the title line
    file: str


@dataclass(frozen=True, slots=True)
class Note:
    """An editor's note shown on the page of a project, prefecture, municipality, bureau or field."""

    kind: str  # project / prefecture / municipality / bureau / field
    key: str  # 2022/001, nagano, 202011, a bureau's or a field's slug
    text: str  # Markdown source
    file: str


@dataclass(frozen=True)
class Notes:
    """Every page and note, checked; pages in name order (the footer lists them so)."""

    pages: tuple[Page, ...] = ()
    notes: dict[tuple[str, str], Note] = field(default_factory=dict)

    def source(self, kind: str, key: str) -> str:
        """The Markdown of the note on this page, or "" when there is none (a read the build
        records: reads.py)."""
        reads.read(reads.note_atom(kind, key))
        note = self.notes.get((kind, key))
        return note.text if note else ""

    def page(self, name: str) -> Page:
        """The Markdown page ``name`` (a read of its text the build records: reads.py)."""
        reads.read(reads.page_atom(name))
        return next(page for page in self.pages if page.name == name)

    def index(self) -> tuple[tuple[str, str], ...]:
        """(name, title) of every page: what the plan and every page's footer use of the pages."""
        return tuple((page.name, page.title) for page in self.pages)

    def atoms(self) -> dict[str, str]:
        """The digest of every note's and every page's text, by atom (reads.py): what a build
        compares with the last build's to know which were edited, added or removed."""
        texts = {reads.note_atom(*key): note.text for key, note in self.notes.items()}
        texts.update((reads.page_atom(page.name), page.text) for page in self.pages)
        return {atom: hashlib.sha256(text.encode("utf-8")).hexdigest() for atom, text in texts.items()}


def load_notes(data_dir: Path, years: list[Year], reference: Reference, label: Label = str) -> Notes:
    """Read data/pages and data/notes; raise every problem at once."""
    problems: list[Problem] = []
    folder = data_dir / "pages"
    pages = [page for path in _files(folder) if (page := _page(path, folder, label, problems))]
    for name, why in REQUIRED_PAGES.items():
        if name not in {page.name for page in pages}:
            problems.append(
                Problem.at(label(data_dir / "pages" / f"{name}.md"), 1, f"missing: the site needs it ({why})")
            )
    kinds = kinds_with_pages(years, reference)
    notes = {}
    for path in _files(data_dir / "notes"):
        note = _note(path, data_dir / "notes", label, problems)
        if note is None:
            continue
        message = kinds[note.kind].problem(note.key)
        if message:
            problems.append(Problem.at(note.file, 1, message))
        elif note.text.strip():
            notes[(note.kind, note.key)] = note
    if problems:
        raise InputError(problems)
    return Notes(tuple(sorted(pages, key=lambda page: page.name)), notes)


def notes_without_project(data_dir: Path, year: Year, label: Label = str) -> list[Problem]:
    """Notes on projects of this year that it does not have (what a re-import may leave)."""
    ids = {project.id for project in year.projects}
    folder = data_dir / "notes" / "projects" / str(year.fiscal_year)
    stale = [path for path in _files(folder) if path.suffix == ".md" and path.stem not in ids]
    return [Problem.at(label(path), 1, f"no project {year.fiscal_year}/{path.stem}") for path in stale]


def _files(folder: Path) -> list[Path]:
    return cache.files_under(folder) if folder.is_dir() else []


def _read(path: Path, file: str, problems: list[Problem]) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        problems.append(Problem.at(file, line, "not UTF-8 text"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def _page(path: Path, folder: Path, label: Label, problems: list[Problem]) -> Page | None:
    file = label(path)
    name = path.stem
    if path.suffix != ".md" or not PAGE_NAME.fullmatch(name) or path.parent != folder:
        problems.append(
            Problem.at(file, 1, "a page is data/pages/<name>.md, the name in a-z, 0-9 and - (it is the URL)")
        )
        return None
    if name.isdigit() or name in SITE_FOLDERS:
        problems.append(Problem.at(file, 1, f"page name {name} is taken by the site's own pages"))
        return None
    text = _read(path, file, problems)
    if text is None:
        return None
    lines = text.split("\n")
    first = next((n for n, line in enumerate(lines) if line.strip()), 0)
    title = TITLE.fullmatch(lines[first].strip()) if lines else None
    if title is None or not title.group(1):
        problems.append(Problem.at(file, first + 1, "a page begins with its title: a line '# タイトル'"))
        return None
    return Page(name, title.group(1), "\n".join(lines[first + 1 :]), file)


def _note(path: Path, folder: Path, label: Label, problems: list[Problem]) -> Note | None:
    file = label(path)
    parts = path.relative_to(folder).parts
    kind = KINDS.get(parts[0]) if path.suffix == ".md" else None
    if kind is None or len(parts) != (3 if kind == "project" else 2):
        problems.append(Problem.at(file, 1, f"not a note: {WHERE_NOTES_GO}"))
        return None
    text = _read(path, file, problems)
    key = "/".join([*parts[1:-1], path.stem])
    return None if text is None else Note(kind, key, text, file)


@dataclass(frozen=True)
class Kind:
    """The keys of one kind of note: those that exist, and those whose page the site makes
    (tests/test_notes.py holds these to the pages of a built site)."""

    name: str
    known: frozenset[str]
    with_page: frozenset[str]
    where: str = ""

    def problem(self, key: str) -> str:
        if key not in self.known:
            return f"no {self.name} {key}{self.where}"
        return "" if key in self.with_page else f"{self.name} {key} has no page: no project names it"


def municipality_pages(reference: Reference) -> tuple[str, ...]:
    """The codes that have a page /municipalities/<code>/, by code: every city, town, village,
    special ward and designated-city ward of the reference table, whether a project names it
    or not.  model.Catalogue.municipality_codes is this."""
    return tuple(sorted(code for code, place in reference.places.items() if not place.is_prefecture))


def kinds_with_pages(years: list[Year], reference: Reference) -> dict[str, Kind]:
    projects = [p for year in years for p in year.projects]
    keys = frozenset(p.key for p in projects)
    prefectures = frozenset(p.slug for p in reference.prefectures)
    places = frozenset(code for code, place in reference.places.items() if not place.is_prefecture)
    bureaus = frozenset(b["slug"] for b in reference.bureaus)
    named_bureaus = {p.bureau for p in projects}  # each name looked up once: a few dozen, not a project each
    used_bureaus = frozenset(entry["slug"] for name in named_bureaus if (entry := reference.bureau_entry(name)))
    fields = frozenset(reference.field_slugs.values())
    named_fields = {p.field for p in projects}
    used_fields = frozenset(reference.field_slugs.get(reference.canonical_field(name), "") for name in named_fields)
    return {
        "project": Kind("project", keys, keys),
        "prefecture": Kind("prefecture", prefectures, prefectures, " (a note is named like the page: nagano.md)"),
        "municipality": Kind(
            "municipality", places, frozenset(municipality_pages(reference)), " in data/reference/municipalities.csv"
        ),
        "bureau": Kind("bureau", bureaus, used_bureaus, " in data/bureaus.yaml"),
        "field": Kind("field", fields, used_fields, " in data/fields.yaml"),
    }
