"""The recipe: each command is a few stage calls, disk only at the edges."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import inspect
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import locks, records, transaction
from .errors import InputError
from .faults import checkpoint
from .forks import default_jobs
from .notes import Notes, load_notes, notes_without_project
from .records import Year
from .resolve.reference import Reference, load_reference

# What only an import needs (the list's forms, the normaliser, pykakasi's readings, the report) is
# imported in the functions below that use it: a build starts without it.

Progress = Callable[[str], None]  # told what a long run is doing


def quiet(message: str) -> None:
    pass


@dataclass(frozen=True)
class ImportResult:
    year: Year
    path: Path
    replaced: Year | None
    report: list[str] = field(default_factory=list)


def year_dirs(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if p.name.isdigit() and (p / "projects.yaml").is_file())


def load_years(
    data_dir: Path, reference: Reference, before: int | None = None, require_names: bool = False
) -> list[Year]:
    """Every year under data/ (only those before ``before``, if given), validated; all problems
    of all years raised at once.  ``require_names``: a bureau or field with no slug in data/ is
    a problem too (pages need slugs; diff and export do not)."""
    years, problems = [], []
    for folder in year_dirs(data_dir):
        if before is not None and int(folder.name) >= before:
            continue
        try:
            year = records.load_year(folder / "projects.yaml", reference, _label(folder / "projects.yaml"))
        except InputError as error:
            problems.extend(error.problems)
            continue
        years.append(year)
        if require_names:
            problems.extend(year.unnamed)
    if problems:
        raise InputError(problems)
    return years


def search_index(data_dir: Path):
    """The site's search index, ready to answer queries (``renkei-site search``): the same data
    the built site's search-index.js carries."""
    from .model import Catalogue
    from .site.search import query_index

    reference = load_reference(data_dir)
    years = load_years(data_dir, reference)
    if not years:
        raise InputError.at(_label(data_dir), 1, "no fiscal year imported yet (renkei-site import LIST)")
    notes = load_pages_and_notes(data_dir, years, reference)
    return query_index(Catalogue(years, reference, notes=notes))


def load_pages_and_notes(data_dir: Path, years: list[Year], reference: Reference) -> Notes:
    """data/pages and data/notes, checked against the years (import never writes there)."""
    return load_notes(data_dir, years, reference, _label)


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_list(
    source: Path,
    reference: Reference,
    year: int | None = None,
    as_of: str | None = None,
    progress: Progress = quiet,
    jobs: int = 1,
    source_url: str | None = None,
    allow_gaps: bool = False,
) -> Year:
    """Parse, read and normalize a list into a Year (nothing written); ``jobs`` processes read
    the names with pykakasi; ``allow_gaps``: numbers the No. column skips are real (recorded in
    the year's source as ``allowed_gaps``)."""
    from .read.parse import parse_bytes
    from .resolve.normalize import Normalizer
    from .resolve.readings import readings

    started = time.perf_counter()
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    table = parse_bytes(data, _label(source), allow_gaps)
    del data  # what is held from here on is the table, then the projects
    progress(
        f"parsed {len(table.rows):,} rows ({table.form}, {table.encoding}) in {time.perf_counter() - started:.2f} s"
    )
    fiscal_year = year or table.fiscal_year
    if fiscal_year is None:
        raise InputError.at(table.file, 1, "no fiscal year in the title (令和N年度 …); give --year")
    started = time.perf_counter()
    names = list(dict.fromkeys(row.text["name"] for row in table.rows))
    reading_of = dict(zip(names, readings(names, jobs), strict=True))  # once per name, on every core
    progress(f"read {len(names):,} distinct names with pykakasi in {time.perf_counter() - started:.2f} s")
    del names
    normalizer = Normalizer(reference)
    started = time.perf_counter()

    def resolve(cells: dict[str, str], no: int):
        if no % 1000 == 0:
            progress(f"resolved partners of {no:,} rows ({time.perf_counter() - started:.1f} s)")
        return normalizer.row(cells, (fiscal_year, no))

    suffix = {"pdf": ".pdf", "xlsx": ".xlsx"}.get(table.form) or source.suffix or ".txt"
    kept_as = f"source-{digest[:12]}{suffix}"
    projects = records.projects_from_table(table, fiscal_year, reading_of.__getitem__, resolve, kept_as)
    table, reading_of = dataclasses.replace(table, rows=()), None  # the rows' cells: the projects hold them now
    for index, p in enumerate(projects):  # in place: the projects are not held twice
        canonical = {"bureau": reference.canonical_bureau(p.bureau), "field": reference.canonical_field(p.field)}
        projects[index] = dataclasses.replace(p, **canonical)
    progress(f"resolved partners in {time.perf_counter() - started:.2f} s")
    source_info = {
        "file": kept_as,
        "original_name": source.name,
        "encoding": table.encoding,
        "form": table.form,
        "sha256": digest,
        **({"url": source_url} if source_url else {}),
    }
    if table.gaps:
        source_info["allowed_gaps"] = ", ".join(table.gaps)
    return Year(fiscal_year, as_of or table.as_of, table.title, source_info, tuple(projects), "")


@contextlib.contextmanager
def reading(data_dir: Path, what: str = "read") -> Iterator[None]:
    """data/ as the last import left it, for as long as it is read: an import stopped after it
    took effect is completed first, and no import changes data/ meanwhile."""
    if not data_dir.is_dir():
        yield  # nothing to read: the command says so
        return
    while True:
        with locks.held(locks.data_lock(data_dir), what, str(data_dir), exclusive=False):
            if not transaction.pending(data_dir):
                yield
                return
        with locks.held(locks.data_lock(data_dir), what, str(data_dir)):
            transaction.recover(data_dir)


def one_writer_of_data(function: Callable) -> Callable:
    """Run ``function`` (an import: its ``data_dir``) with data/ to itself, after the last
    import was completed or undone."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        data_dir = Path(inspect.signature(function).bind(*args, **kwargs).arguments["data_dir"])
        with locks.held(locks.data_lock(data_dir), function.__name__.partition("_")[0], str(data_dir)):
            transaction.recover(data_dir)
            return function(*args, **kwargs)

    return run


@one_writer_of_data
def import_list(
    source: Path,
    data_dir: Path,
    force: bool = False,
    year: int | None = None,
    as_of: str | None = None,
    progress: Progress = quiet,
    jobs: int | None = None,
    source_url: str | None = None,
    allow_gaps: bool = False,
) -> ImportResult:
    """Write data/<year>/ from a list; refuse to replace a year unless forced.  The names' readings
    and the YAML are made by ``jobs`` processes (default: one per core).  Every file it changes
    (the year's records and list, bureaus.yaml, fields.yaml) changes at once (transaction.py)."""
    from .resolve import names
    from .years import report

    reference = load_reference(data_dir)
    jobs = jobs or default_jobs()
    if source_url and not records.is_web_address(source_url):
        raise InputError.at("--source-url", 0, f"not an http(s) address: {source_url!r}")
    new = read_list(source, reference, year, as_of, progress, jobs, source_url, allow_gaps)
    folder = data_dir / str(new.fiscal_year)
    target = folder / "projects.yaml"
    replaced = None
    if target.exists():
        if not force:
            raise InputError.at(
                _label(target),
                1,
                f"fiscal year {new.fiscal_year} already exists; use --force to replace it (the report shows what changes)",
            )
        replaced = records.load_year(target, reference, _label(target))
    added = names.new_names(
        [p.bureau for p in new.projects], [p.field for p in new.projects], new.fiscal_year, reference
    )
    changes = transaction.Transaction(data_dir)
    try:
        reference = record_names(changes, added, source.name, reference)
        earlier = load_years(data_dir, reference, before=new.fiscal_year)
        started = time.perf_counter()
        written = write_year(
            changes, folder, new, source.read_bytes(), records.year_yaml_chunks(new, jobs, changes.scratch)
        )
        progress(f"wrote the records' YAML (staged) in {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        lines = report.import_report(dataclasses.replace(new, path=_label(target)), replaced, earlier, reference, added)
        progress(f"made the report in {time.perf_counter() - started:.2f} s")
        problems = notes_without_project(data_dir, new, _label)  # data/notes/ itself is left as it is
        started = time.perf_counter()
        try:  # the lines of the staged file are read only when a problem names one
            text = functools.partial(written.path.read_text, encoding="utf-8")
            checked = records.validate_data(records.year_data_stream(new), text, reference, _label(target))
        except InputError as error:
            checked, problems = None, problems + error.problems
        progress(f"validated the records in {time.perf_counter() - started:.2f} s")
    except BaseException:
        changes.abandon()  # nothing was written
        raise
    changes.commit()  # the import takes effect here, whole
    progress(f"wrote {target} ({written.size / 1e6:.1f} MB)")
    if checked is not None:
        started = time.perf_counter()
        new = checked  # the year as written (the same records): the projects read from the list are let go
        records.remember(target, written.sha256, checked, reference)
        progress(f"cached the validated year in {time.perf_counter() - started:.2f} s")
    if problems:
        lines.append("to fix before building (the records are written; fix data/ and run `renkei-site check`):")
        lines += [f"  {problem}" for problem in sorted(problems)]
    return ImportResult(new, target, replaced, lines)


def record_names(changes: transaction.Transaction, added: list, source_name: str, reference: Reference) -> Reference:
    """Stage the new bureaus and fields (resolve/names.py NewName) appended to data/bureaus.yaml and
    data/fields.yaml; the reference as it will be read once they are in place."""
    from .resolve import names

    if not added:
        return reference
    texts = {}
    for file in dict.fromkeys(entry.file for entry in added):
        text = (changes.root / file).read_text(encoding="utf-8")
        texts[file] = names.appended(text, [e for e in added if e.file == file], source_name).encode("utf-8")
        changes.put(file, texts[file])
        checkpoint("import-names")
    from .resolve.tables import Bureau

    bureaus = [Bureau.from_entry(e.entry) for e in added if e.kind == "bureau"]
    fields = [e for e in added if e.kind == "field"]
    return dataclasses.replace(
        reference,
        bureaus=[*reference.bureaus, *bureaus],
        fields=[*reference.fields, *(e.name for e in fields)],
        field_slugs={**reference.field_slugs, **{e.name: e.slug for e in fields}},
        fingerprint=tables_digest(changes.root, texts),
    )


def tables_digest(data_dir: Path, changed: dict[str, bytes]) -> str:
    """The digest resolve/reference.load_reference makes of the tables, with the ``changed``
    files' new bytes (so the records cached now are found once they are written)."""
    digest = hashlib.sha256()
    for path in sorted([*data_dir.glob("*.yaml"), *(data_dir / "reference").glob("*")]):
        data = changed.get(path.name) if path.parent == data_dir else None
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if data is None else data))
    return digest.hexdigest()


@dataclass(frozen=True)
class Written:
    """A file staged from chunks: where, how many bytes, and their sha256."""

    path: Path
    size: int
    sha256: str


def write_year(
    changes: transaction.Transaction, folder: Path, year: Year, source_bytes: bytes, chunks: Iterable[bytes]
) -> Written:
    """Stage data/<year>/: the list as imported and the records, from their YAML's ``chunks`` (the
    previous list's copy is removed when the import takes effect)."""
    source_name = year.source["file"]
    changes.put(f"{folder.name}/{source_name}", source_bytes)
    checkpoint("import-source")
    digest, size = hashlib.sha256(), 0

    def counted() -> Iterator[bytes]:
        nonlocal size
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    path = changes.write(f"{folder.name}/projects.yaml", counted())
    checkpoint("import-records")
    for stale in folder.glob("source-*"):
        if stale.name != source_name:
            changes.remove(f"{folder.name}/{stale.name}")
    return Written(path, size, digest.hexdigest())


def theme_folders(args) -> dict[str, Path]:
    """A command's templates/ and static/ (site/theme.py): as given (--templates, --static), or
    those beside the data folder."""
    site = args.data.resolve().parent
    return {name: getattr(args, name, None) or site / name for name in ("templates", "static")}


def build(
    data_dir: Path,
    out: Path,
    base_url: str | None = None,
    templates: Path | None = None,
    static: Path | None = None,
    progress: Progress = quiet,
    jobs: int | None = None,
    session=None,
):
    """Validate all data, plan every file, render what must be rendered with ``jobs`` processes
    (default: one per core; 1: all in this one) straight into a new generation, then swap it in
    (site/build.py).  ``templates`` and ``static``: the site's own folders, whose files replace
    the package's (site/theme.py).  ``session`` (site/build.py Session): what a process that
    builds again and again keeps between builds.

    Inputs (data/, templates/, static/, this code, --base-url) are fingerprinted: when they
    are those of the site ``out`` points at, nothing is rendered or written; when only notes
    or pages' texts changed, only the pages that read them are rendered (site/depends.py).
    """
    from .site.build import Loaders, build_site
    from .site.theme import site_theme

    theme = site_theme(None, templates, static)
    load = Loaders(load_reference, functools.partial(load_years, require_names=True), load_pages_and_notes)
    with locks.held(locks.out_lock(out), "build", str(out)), reading(data_dir, "build"):
        return build_site(data_dir, out, theme, base_url, load, progress, jobs, session)


def ready_spare(out: Path) -> str | None:
    """site/write.py ``ready_spare`` (the live site's files linked into a spare generation, so
    that the next build writes only what changed), under the output folder's lock."""
    from .site.write import ready_spare as link_spare

    with locks.held(locks.out_lock(out), "build", str(out)):
        return link_spare(out)
