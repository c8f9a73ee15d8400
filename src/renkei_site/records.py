"""The reviewed source of truth: one YAML file of project records per fiscal year.

``data/<year>/projects.yaml`` holds, per project, the cleaned cells, the verbatim
cells (``raw``), the source lines, the name's reading and the resolved partner
mentions.  Loading validates everything and reports ``file:line: problem`` for
every mistake at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import cache, reads
from .errors import InputError, Problem
from .faults import checkpoint
from .forks import PlainError, cannot, forked_map
from .read.table import COLUMNS, Table, row_number
from .resolve.mention import Mention, mention_problems
from .resolve.reference import Reference
from .source import Source

TEXT_FIELDS = COLUMNS[1:]
STATUSES = ("新規", "継続")
HEADER_COMMENT = (
    "# renkei-site records — the reviewed source of truth for this fiscal year.\n"
    "# Edit by hand if needed, then run `renkei-site check`.\n"
)


@dataclass(frozen=True, slots=True)
class Project:
    """One row of one year's list, cleaned, with its partners resolved."""

    fiscal_year: int
    id: str
    no: int
    bureau: str
    field: str
    status: str
    name: str
    partners_current: str
    partners_past: str
    description: str
    remarks: str
    source: Source  # the row in the list as imported (data/<year>/source-…): lines, pages or sheet rows
    raw: dict[str, str]
    kana: str
    romaji: str
    former_names: tuple[str, ...]
    mentions: tuple[Mention, ...]
    key: str = field(init=False, repr=False, compare=False)  # the stable page key: "<year>/<id>"

    def __post_init__(self):
        object.__setattr__(self, "key", f"{self.fiscal_year}/{self.id}")  # read millions of times a build

    def __reduce__(self):
        """Pickled as its fields in order (data/.cache/ loads in half the time dataclass state takes)."""
        return (Project, tuple(getattr(self, name) for name in PROJECT_FIELDS))


PROJECT_FIELDS = tuple(f.name for f in fields(Project) if f.init)  # what makes a Project (its key follows)

# A project's wording: what pages show of it, not where it is listed (site/depends.py: changing
# only these re-renders only the pages that read them; every other field is part of the whole).
FOLLOWED = ("partners_current", "partners_past", "description", "remarks", "source", "raw")
reads.follow(Project, FOLLOWED, lambda project: reads.project_atom(f"{project.fiscal_year}/{project.id}"))


@dataclass(frozen=True)
class Year:
    """A fiscal year's list: its title, source and projects."""

    fiscal_year: int
    as_of: str | None
    title: str
    source: dict[str, str]
    projects: tuple[Project, ...]
    path: str
    unnamed: tuple[Problem, ...] = ()  # bureaus and fields with no slug in data/ (pages need one)


def is_web_address(value: object) -> bool:
    """Where a list was published: an http(s) URL with a host and no spaces or markup."""
    return isinstance(value, str) and re.fullmatch(r"https?://[^\s/<>\"'`]+(/[^\s<>\"'`]*)?", value) is not None


def project_id(no: int) -> str:
    return f"{no:03d}"


def project_to_dict(project: Project) -> dict[str, Any]:
    """The YAML form of a project, keys in a fixed, reviewable order."""
    data: dict[str, Any] = {"id": project.id, "no": project.no}
    data.update({name: getattr(project, name) for name in TEXT_FIELDS})
    data["reading"] = {"kana": project.kana, "romaji": project.romaji}
    if project.former_names:
        data["former_names"] = list(project.former_names)
    data.update(source_to_dict(project.source))
    data["raw"] = {key: project.raw.get(key, "") for key in COLUMNS}
    data["mentions"] = [mention.to_dict() for mention in project.mentions]
    return data


def year_head(year: Year) -> dict[str, Any]:
    """The YAML form of a year's title, date and source (what precedes its projects)."""
    return {"fiscal_year": year.fiscal_year, "as_of": year.as_of, "title": year.title, "source": year.source}


def year_to_data(year: Year) -> dict[str, Any]:
    """The YAML form of a year, as plain data."""
    return {**year_head(year), "projects": [project_to_dict(p) for p in year.projects]}


def year_data_stream(year: Year) -> dict[str, Any]:
    """As year_to_data, the projects made one at a time as they are read (validate_data takes
    them so): a large year is not held twice."""
    return {**year_head(year), "projects": (project_to_dict(p) for p in year.projects)}


def year_yaml(year: Year, jobs: int = 1) -> str:
    """year_to_yaml's text, each project's YAML made from the project itself by ``jobs``
    processes: no plain-data copy of the whole year is held (a 100,000-project year's is ~300 MB)."""
    from . import yamlio

    if not year.projects:
        return data_to_yaml({**year_head(year), "projects": []})
    parts = [HEADER_COMMENT, yamlio.dump(year_head(year)), "projects:\n"]
    parts += forked_map(_project_record_yaml, year.projects, jobs if len(year.projects) >= 1000 else 1)
    return "".join(parts)


def _project_record_yaml(project: Project) -> str:
    return _project_yaml(project_to_dict(project))


BATCH = 500  # projects whose YAML is encoded and written at once


def year_yaml_chunks(year: Year, jobs: int = 1, scratch: Callable[[str], Path] | None = None) -> Iterator[bytes]:
    """year_yaml's text as UTF-8, in chunks of a few hundred projects, so a large year's YAML is
    never held whole (a 100,000-project year's is 300 MB).  With ``jobs`` processes, each forked
    one writes the YAML of its contiguous share into a ``scratch`` file (named by the caller, who
    deletes it if this stops early); this process sends the parts on in order, deleting each."""
    if not year.projects:
        yield year_yaml(year).encode("utf-8")
        return
    from . import yamlio

    yield (HEADER_COMMENT + yamlio.dump(year_head(year)) + "projects:\n").encode("utf-8")
    jobs = jobs if len(year.projects) >= 1000 and scratch is not None else 1
    if jobs <= 1:
        yield from _projects_yaml(year.projects)
        return
    assert scratch is not None
    size = -(-len(year.projects) // jobs)
    parts = [
        (year.projects[start : start + size], scratch(f"{year.fiscal_year}-projects-{start}"))
        for start in range(0, len(year.projects), size)
    ]
    forked_map(_write_part, parts, jobs)
    for _, part in parts:
        with part.open("rb") as handle:
            yield from iter(lambda: handle.read(1 << 20), b"")
        part.unlink()


def _projects_yaml(projects: tuple[Project, ...]) -> Iterator[bytes]:
    for start in range(0, len(projects), BATCH):
        yield "".join(_project_record_yaml(p) for p in projects[start : start + BATCH]).encode("utf-8")


def _write_part(part: tuple[tuple[Project, ...], Path]) -> int:
    """Write the YAML of a share of the projects into its file: its size (what is sent back)."""
    projects, path = part
    try:
        with path.open("wb") as handle:
            for chunk in _projects_yaml(projects):
                checkpoint("import-part")  # where a test makes the disk full
                handle.write(chunk)
            return handle.tell()
    except OSError as error:  # one line, from a forked process too (a full disk)
        raise PlainError(cannot("write", path, error, "nothing was imported")) from None


def data_to_yaml(data: dict[str, Any], jobs: int = 1) -> str:
    """The YAML text of a year's data, dumped project by project (memory stays flat for large
    lists), by ``jobs`` processes."""
    from . import yamlio

    head = {key: value for key, value in data.items() if key != "projects"}
    if not data["projects"]:
        return HEADER_COMMENT + yamlio.dump({**head, "projects": []})
    parts = [HEADER_COMMENT, yamlio.dump(head), "projects:\n"]
    parts += forked_map(_project_yaml, data["projects"], jobs if len(data["projects"]) >= 1000 else 1)
    return "".join(parts)


def _project_yaml(project: dict[str, Any]) -> str:
    from . import yamlio

    return yamlio.dump([project])


def year_to_yaml(year: Year) -> str:
    return data_to_yaml(year_to_data(year))


def projects_from_table(table: Table, fiscal_year: int, readings, normalizer, source_file: str) -> list[Project]:
    """Turn parsed rows into projects: readings and mentions computed here, once; each located in
    ``source_file``, the copy of the list kept beside the records."""
    projects = []
    for row in table.rows:
        no = row_number(row.text["no"]) or 0  # check_rows has refused rows without a number
        kana, romaji = readings(row.text["name"])
        mentions = normalizer(row.text, no)
        projects.append(
            Project(
                fiscal_year=fiscal_year,
                id=project_id(no),
                no=no,
                **{key: row.text.get(key, "") for key in TEXT_FIELDS},
                source=replace(row.source, file=source_file),
                raw={key: row.raw.get(key, "") for key in COLUMNS},
                kana=kana,
                romaji=romaji,
                former_names=former_names(row.text["name"]),
                mentions=tuple(mentions),
            )
        )
    return projects


def former_names(name: str) -> tuple[str, ...]:
    """Former names the list gives inline: 「…(旧:共存共栄を図るベンチャー育成事業)」."""
    return tuple(m.strip() for m in re.findall(r"[(（]旧[:：]([^)）]+)[)）]", name))


# --- loading and validation -------------------------------------------------


def load_year(path: Path, reference: Reference, label: str | None = None) -> Year:
    """Read and validate one year's YAML; raise every problem at once.

    A validated year is kept in ``data/.cache/`` keyed by the file's bytes, the
    reference data and this code, so the YAML of a large list is parsed once.
    """
    label = label or str(path)
    raw = path.read_bytes()
    key = records_key(raw, reference)
    cached = cache.load_pickle(cache_file(path), key)
    if isinstance(cached, Year):
        return cached
    from . import yamlio  # only when the records are read from their YAML (not from data/.cache/)

    year = validate_text(yamlio.decode(raw, label), reference, label)
    cache.store_pickle(cache_file(path), key, year)
    return year


VALIDATION_CODE = (
    "records",
    "resolve/mention",
    "resolve/normalize",
    "read/table",
    "resolve/reference",
    "errors",
    "yamlio",
    "cache",
)


def records_key(raw: bytes, reference: Reference) -> str:
    """The file's bytes, the reference data, and the code that reads and validates them."""
    return digest_key(hashlib.sha256(raw).hexdigest(), reference)


def digest_key(digest: str, reference: Reference) -> str:
    """records_key from the sha256 of the file's bytes (made as they were written)."""
    return cache.fingerprint([], digest, reference.fingerprint, code=VALIDATION_CODE)


def cache_file(path: Path) -> Path:
    """data/.cache/<year>.pickle (one entry per year: a new version replaces the old)."""
    return path.parent.parent / ".cache" / f"{path.parent.name}.pickle"


def remember(path: Path, written: str, year: Year, reference: Reference) -> None:
    """Store a year just written (by import: the sha256 of its bytes) as if it had been loaded."""
    cache.store_pickle(cache_file(path), digest_key(written, reference), year)


Text = str | Callable[[], str]  # YAML text, or how to read it (only a problem needs its lines)


def validate_data(data: dict[str, Any], text: Text, reference: Reference, label: str) -> Year:
    """Validate a year's data as it is written to ``text`` (whose lines any problem names)."""
    problems: list[Problem] = []
    check = _Checker(label, text, problems)
    year = _year_from_data(data, check, reference)
    if problems:
        raise InputError(problems + check.names)  # failing anyway: say all that is wrong
    assert year is not None
    return year


def validate_text(text: str, reference: Reference, label: str) -> Year:
    """Parse and validate YAML text; raise every problem at once.

    Records in the shape ``year_to_yaml`` writes are parsed one project at a time
    (a 10,000-project year is 30 MB of YAML: whole, PyYAML needs ~1 GB for it);
    anything else, and any file with a mistake, is parsed whole, which gives the
    exact lines of every problem.
    """
    from . import yamlio  # only when the records are read from their YAML (not from data/.cache/)

    try:
        return _validate_by_project(text, reference, label)
    except _NotInRecordShape:
        pass
    try:
        data = yamlio.load_text(text)
    except Exception as error:  # yaml.YAMLError (a duplicate key too) and friends
        raise InputError([yamlio.yaml_problem(error, label)]) from None
    return validate_data(data, text, reference, label)


class _NotInRecordShape(Exception):
    """The text is not (or not only) what year_to_yaml writes: parse it whole instead."""


PROJECTS_KEY = re.compile(r"^projects:[ \t]*\n", re.MULTILINE)
ITEM_START = re.compile(r"^- ", re.MULTILINE)


def _validate_by_project(text: str, reference: Reference, label: str) -> Year:
    from . import yamlio

    key = PROJECTS_KEY.search(text)
    if key is None:
        raise _NotInRecordShape
    body = text[key.end() :]
    starts = [m.start() for m in ITEM_START.finditer(body)]
    if not starts or body[: starts[0]].strip():
        raise _NotInRecordShape

    def load(chunk: str) -> Any:
        try:
            return yamlio.load_text(chunk)
        except Exception:  # a mistake: the whole-file parse reports it with its line
            raise _NotInRecordShape from None

    head = load(text[: key.start()])
    if not isinstance(head, dict) or "projects" in head:
        raise _NotInRecordShape

    def projects():
        for start, end in zip(starts, [*starts[1:], len(body)], strict=True):
            item = load(body[start:end])
            if not isinstance(item, list) or len(item) != 1:
                raise _NotInRecordShape
            yield item[0]

    problems: list[Problem] = []
    year = _year_from_data({**head, "projects": projects()}, _Checker(label, text, problems), reference)
    if problems:
        raise _NotInRecordShape  # located exactly by the whole-file path
    assert year is not None
    return year


class _Checker:
    """Collects problems; looks up YAML lines only when something is wrong."""

    def __init__(self, file: str, text: Text, problems: list[Problem]):
        self.file, self.text, self.problems = file, text, problems
        self.names: list[Problem] = []
        self._lines: dict[tuple, int] | None = None
        self.strings: dict[str, str] = {}
        self.mentions: dict[Mention, Mention] = {}
        self.source_file = ""  # the list the records were read from (data/<year>/source-…), their rows' file

    def share(self, value: str) -> str:
        """One string object for every equal string of the year (a code, a kind, a bureau, a cell
        the verbatim and cleaned forms share): a large year takes a third of the memory, in
        every process of a build, and its cache is as much smaller."""
        return self.strings.setdefault(value, value)

    def same(self, mention: Mention) -> Mention:
        """One object for every equal mention of the year (the same place named the same way in
        many rows): its cache then holds each once, and loads each once (making a frozen
        dataclass costs 1.7 µs).  FY2022's 763 mentions are 557 distinct ones; the benchmark's
        synthetic 10,000 projects, made of FY2022's cells, have 96,601 and 558."""
        return self.mentions.setdefault(mention, mention)

    def line(self, path: tuple) -> int:
        from . import yamlio

        if self._lines is None:
            self._lines = yamlio.line_index(self.text if isinstance(self.text, str) else self.text())
        while path and path not in self._lines:
            path = path[:-1]
        return self._lines.get(path, 1)

    def error(self, path: tuple, message: str) -> None:
        self.problems.append(Problem.at(self.file, self.line(path), message))

    def unnamed(self, path: tuple, message: str) -> None:
        """A name with no slug: not an error in the records (diff, check and export work without
        slugs), but one for a build.  The import records new names itself; this is a hand edit."""
        self.names.append(Problem.at(self.file, self.line(path), message))


def _year_from_data(data: Any, check: _Checker, reference: Reference) -> Year | None:
    if not isinstance(data, dict):
        check.error((), "expected a mapping with fiscal_year, title and projects")
        return None
    year = data.get("fiscal_year")
    if not isinstance(year, int) or not 1990 <= year <= 2200:
        check.error(("fiscal_year",), f"fiscal_year must be a year like 2022, not {year!r}")
        year = 0
    items = data.get("projects")
    if not isinstance(items, list | Iterator):
        check.error(("projects",), "projects must be a list of project records")
        items = []
    source = data.get("source") or {}
    if isinstance(source, dict):
        check.source_file = check.share(str(source.get("file", "")))
        if "url" in source and not is_web_address(source["url"]):
            check.error(("source", "url"), f"source url must be an http(s) address, not {source['url']!r}")
    projects = []
    seen_no: dict[int, int] = {}
    seen_id: dict[str, int] = {}
    for index, item in enumerate(items):
        project = _project_from_data(item, ("projects", index), year, check, reference)
        if project is None:
            continue
        for seen, value, key in ((seen_no, project.no, "no"), (seen_id, project.id, "id")):
            if value in seen:
                first = check.line(("projects", seen[value]))
                what = "No." if key == "no" else "id"
                check.error(("projects", index, key), f"duplicate {what} {value} (first at line {first})")
            else:
                seen[value] = index
        projects.append(project)
    return Year(
        fiscal_year=year,
        as_of=str(data["as_of"]) if data.get("as_of") else None,
        title=str(data.get("title") or ""),
        source={str(k): str(v) for k, v in source.items()} if isinstance(source, dict) else {},
        projects=tuple(sorted(projects, key=lambda p: p.no)),
        path=check.file,
        unnamed=tuple(check.names),
    )


def _text(item: dict, key: str, path: tuple, check: _Checker, required: bool = False) -> str:
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        check.error((*path, key), f"{key} must be text, not {type(value).__name__} {value!r}")
        return str(value)
    if required and not value.strip():
        check.error((*path, key), f"{key} is empty")
    return check.share(value)


def _project_from_data(item: Any, path: tuple, year: int, check: _Checker, reference: Reference) -> Project | None:
    if not isinstance(item, dict):
        check.error(path, "a project record must be a mapping")
        return None
    no = item.get("no")
    if not isinstance(no, int) or isinstance(no, bool) or no < 0:
        check.error((*path, "no"), f"no must be a whole number, not {no!r}")
        no = -1
    texts = {key: _text(item, key, path, check, key in ("bureau", "field", "name")) for key in TEXT_FIELDS}
    if texts["bureau"] and reference.bureau_entry(texts["bureau"]) is None:
        check.unnamed((*path, "bureau"), f"unknown bureau {texts['bureau']!r}: no entry (slug) in data/bureaus.yaml")
    if texts["field"] and reference.canonical_field(texts["field"]) not in reference.field_slugs:
        check.unnamed((*path, "field"), f"unknown field {texts['field']!r}: no entry (slug) in data/fields.yaml")
    if texts["status"] not in STATUSES:
        check.error((*path, "status"), f"status must be 新規 or 継続, not {texts['status']!r}")
    reading = item.get("reading") or {}
    raw = item.get("raw") or {}
    if not isinstance(raw, dict):
        check.error((*path, "raw"), "raw must be a mapping of the verbatim cells")
        raw = {}
    source = _source_from_data(item, path, check)
    mentions = []
    for index, entry in enumerate(item.get("mentions") or []):
        where = (*path, "mentions", index)
        try:
            mention = Mention.from_dict(entry, check.share)
        except (TypeError, ValueError, KeyError) as error:
            check.error(where, f"malformed mention: {error}")
            continue
        for key, message in mention_problems(mention, reference):
            check.error((*where, key), message)
        mentions.append(check.same(mention))
    ident = item.get("id", project_id(max(no, 0)))
    if not isinstance(ident, str) or not ident.isalnum():
        check.error((*path, "id"), f"id must be letters or digits (it is a permalink), not {ident!r}")
        ident = str(ident)
    return Project(
        fiscal_year=year,
        id=ident,
        no=no,
        **texts,
        source=source,
        raw={check.share(str(k)): check.share(str(v)) for k, v in raw.items()},
        kana=check.share(str(reading.get("kana", ""))) if isinstance(reading, dict) else "",
        romaji=check.share(str(reading.get("romaji", ""))) if isinstance(reading, dict) else "",
        former_names=tuple(check.share(str(n)) for n in item.get("former_names") or ()),
        mentions=tuple(mentions),
    )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


SOURCE_KEYS = {"line": "source_lines", "page": "source_pages", "row": "source_rows"}


def source_to_dict(source: Source) -> dict[str, Any]:
    """A row's place in the list as the records keep it: ``source_lines: [first, last]``, or
    ``source_pages`` and ``source_top`` (a PDF), or ``source_sheet`` and ``source_rows`` (a workbook)."""
    data: dict[str, Any] = {"source_sheet": source.sheet} if source.sheet else {}
    data[SOURCE_KEYS[source.unit]] = [source.first, source.last]
    if source.top is not None:
        data["source_top"] = source.top
    return data


def _source_from_data(item: dict, path: tuple, check: _Checker) -> Source:
    spans = [(unit, key) for unit, key in SOURCE_KEYS.items() if item.get(key) is not None]
    read = [(unit, _first_last(item, key, path, check)) for unit, key in spans]
    if len(spans) > 1:
        given = ", ".join(key for _, key in spans)
        check.error((*path, spans[1][1]), f"a row has one place in the list, not {given}: keep one of them")
    unit, (first, last) = read[0] if read else ("line", (0, 0))
    top = item.get("source_top")
    if top is not None and not (_whole(top) and top >= 0 and unit == "page"):
        check.error((*path, "source_top"), f"source_top must be a whole number of points on a page, not {top!r}")
        top = None
    sheet = item.get("source_sheet") or ""
    if not isinstance(sheet, str) or (sheet and unit != "row"):
        check.error((*path, "source_sheet"), f"source_sheet must be a sheet's name beside source_rows, not {sheet!r}")
        sheet = ""
    return Source(check.source_file, first, last, unit, check.share(sheet), top)


def _first_last(item: dict, key: str, path: tuple, check: _Checker) -> tuple[int, int]:
    """``source_lines``, ``source_pages`` or ``source_rows``: [first, last] ((0, 0) when absent)."""
    value = item.get(key) or None
    if value is None:
        return (0, 0)
    if isinstance(value, list) and len(value) == 2 and all(_whole(n) and n >= 0 for n in value):
        return (value[0], value[1])
    check.error((*path, key), f"{key} must be [first, last], not {value!r}")
    return (0, 0)
