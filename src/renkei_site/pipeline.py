"""The recipe: each command is a few stage calls, disk only at the edges."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, records
from .errors import InputError
from .faults import checkpoint
from .forks import default_jobs
from .notes import Notes, load_notes, notes_without_project
from .records import Year
from .resolve.reference import Reference, load_reference

# What only an import needs (the list's forms, the normaliser, pykakasi's readings, the report) is
# imported in the functions below that use it: a build starts without it.

ROOT = Path(__file__).resolve().parent.parent.parent
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
    from .site.query import Index
    from .site.search import index_data

    reference = load_reference(data_dir)
    years = load_years(data_dir, reference)
    if not years:
        raise InputError.at(_label(data_dir), 1, "no fiscal year imported yet (renkei-site import LIST)")
    notes = load_pages_and_notes(data_dir, years, reference)
    return Index(index_data(Catalogue(years, reference, notes=notes)))


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
    table = parse_bytes(data, _label(source), allow_gaps)
    progress(
        f"parsed {len(table.rows):,} rows ({table.form}, {table.encoding}) in {time.perf_counter() - started:.2f} s"
    )
    fiscal_year = year or table.fiscal_year
    if fiscal_year is None:
        raise InputError.at(table.file, 1, "no fiscal year in the title (令和N年度 …); give --year")
    started = time.perf_counter()
    names = list(dict.fromkeys(row.text["name"] for row in table.rows))
    reading_of = dict(zip(names, readings(names, jobs), strict=True))  # once per name, on every core
    progress(f"read {len(names):,} names with pykakasi in {time.perf_counter() - started:.2f} s")
    normalizer = Normalizer(reference)
    started = time.perf_counter()

    def resolve(cells: dict[str, str], no: int):
        if no % 1000 == 0:
            progress(f"resolved partners of {no:,} rows ({time.perf_counter() - started:.1f} s)")
        return normalizer.row(cells, (fiscal_year, no))

    suffix = {"pdf": ".pdf", "xlsx": ".xlsx"}.get(table.form) or source.suffix or ".txt"
    digest = hashlib.sha256(data).hexdigest()
    kept_as = f"source-{digest[:12]}{suffix}"
    projects = [
        dataclasses.replace(p, bureau=reference.canonical_bureau(p.bureau), field=reference.canonical_field(p.field))
        for p in records.projects_from_table(table, fiscal_year, reading_of.__getitem__, resolve, kept_as)
    ]
    progress(f"resolved partners in {time.perf_counter() - started:.2f} s")
    source_info = {
        "file": kept_as,
        "original_name": source.name,
        "encoding": table.encoding,
        "form": table.form,
        "sha256": digest,
    }
    if table.gaps:
        source_info["allowed_gaps"] = ", ".join(table.gaps)
    return Year(fiscal_year, as_of or table.as_of, table.title, source_info, tuple(projects), "")


def import_list(
    source: Path,
    data_dir: Path,
    force: bool = False,
    year: int | None = None,
    as_of: str | None = None,
    progress: Progress = quiet,
    jobs: int | None = None,
    allow_gaps: bool = False,
) -> ImportResult:
    """Write data/<year>/ from a list; refuse to replace a year unless forced.  The names' readings
    and the YAML are made by ``jobs`` processes (default: one per core)."""
    from .resolve import names
    from .years import report

    reference = load_reference(data_dir)
    jobs = jobs or default_jobs()
    new = read_list(source, reference, year, as_of, progress, jobs, allow_gaps)
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
    if added:
        record_names(data_dir, added, source.name)
        reference = load_reference(data_dir)
    earlier = load_years(data_dir, reference, before=new.fiscal_year)
    data = records.year_to_data(new)
    text = records.data_to_yaml(data, jobs)
    write_year(folder, new, source.read_bytes(), text)
    progress(f"wrote {target} ({len(text.encode('utf-8')) / 1e6:.1f} MB)")
    lines = report.import_report(new, replaced, earlier, reference, added)
    problems = notes_without_project(data_dir, new, _label)  # data/notes/ itself is left as it is
    try:
        checked = records.validate_data(data, text, reference, _label(target))
        records.remember(target, text, checked, reference)
    except InputError as error:
        problems += error.problems
    if problems:
        lines.append("to fix before building (the records are written; fix data/ and run `renkei-site check`):")
        lines += [f"  {problem}" for problem in sorted(problems)]
    return ImportResult(new, target, replaced, lines)


def record_names(data_dir: Path, added: list, source_name: str) -> None:
    """Append the new bureaus and fields (resolve/names.py NewName) to data/bureaus.yaml and
    data/fields.yaml (each replaced atomically: a kill leaves the old file or the new one)."""
    from .resolve import names

    for file in dict.fromkeys(entry.file for entry in added):
        path = data_dir / file
        text = path.read_text(encoding="utf-8")
        updated = names.appended(text, [e for e in added if e.file == file], source_name)
        cache.write_atomic(path, updated.encode("utf-8"))
        checkpoint("import-names")


def write_year(folder: Path, year: Year, source_bytes: bytes, text: str) -> None:
    """Write data/<year>/ so that a kill at any point leaves data/ as it was or as it will be.

    A new year is staged in a hidden folder and renamed into place.  A replaced
    year gets both files beside the old ones under hidden names; renaming
    projects.yaml over the old one is the moment the import takes effect.
    """
    records_bytes = text.encode("utf-8")
    source_name = year.source["file"]
    for leftover in folder.parent.glob(f".{folder.name}.partial-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    if not folder.exists():
        staging = folder.parent / f".{folder.name}.partial-{os.getpid()}"
        staging.mkdir(parents=True)
        _durable_write(staging / source_name, source_bytes)
        checkpoint("import-source")
        _durable_write(staging / "projects.yaml", records_bytes)
        checkpoint("import-records")
        staging.rename(folder)
        return
    for leftover in folder.glob(".*.tmp-*"):
        leftover.unlink()
    hidden_source = _durable_write(folder / f".{source_name}.tmp-{os.getpid()}", source_bytes)
    checkpoint("import-source")
    hidden_records = _durable_write(folder / f".projects.yaml.tmp-{os.getpid()}", records_bytes)
    checkpoint("import-records")
    os.replace(hidden_records, folder / "projects.yaml")  # the import takes effect here
    os.replace(hidden_source, folder / source_name)
    for stale in folder.glob("source-*"):
        if stale.name != source_name:
            stale.unlink()


def _durable_write(path: Path, data: bytes) -> Path:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return path


@dataclass(frozen=True)
class BuildResult:
    files: int
    written: int
    linked: int
    removed: int
    unchanged: bool


def build(
    data_dir: Path,
    out: Path,
    base_url: str | None = None,
    templates: Path | None = None,
    static: Path | None = None,
    progress: Progress = quiet,
    jobs: int | None = None,
) -> BuildResult:
    """Validate all data, plan every file, render the plan with ``jobs`` processes (default: one
    per core; 1: all in this one) straight into a new generation, then swap it in.

    Inputs (data/, templates/, static/, this code, --base-url) are fingerprinted: when they
    are those of the site ``out`` points at, nothing is rendered or written.
    """
    templates, static = templates or ROOT / "templates", static or ROOT / "static"
    store = cache.cache_dir(out)
    inputs = cache.fingerprint([*cache.files_under(data_dir), *cache.files_under(templates, static)], base_url or "")
    last = _last_build(out, store, inputs)
    if last is not None:
        progress(f"inputs unchanged since {last['generation']} was built: nothing to render")
        return BuildResult(last["files"], 0, 0, 0, True)
    started = time.perf_counter()

    from .site.environment import template_cache
    from .site.render import site_renderer
    from .site.workers import render_pages
    from .site.write import SiteWriter

    with cache.collector_paused():  # a million objects are made here, and no garbage
        reference = load_reference(data_dir)
        years = load_years(data_dir, reference, require_names=True)  # from data/.cache/ when unchanged
        notes = load_pages_and_notes(data_dir, years, reference)
        renderer = site_renderer(years, reference, templates, static, base_url, template_cache(), notes=notes)
    jobs = jobs or default_jobs()
    projects = sum(len(year.projects) for year in years)
    progress(
        f"loaded {len(years)} year(s), {projects:,} projects, planned {len(renderer.plan):,} files "
        f"({time.perf_counter() - started:.2f} s); rendering with {jobs} process(es)"
    )
    gc.freeze()  # what is loaded lives to the end: no collection re-scans it (nor, in a worker, writes to it)
    try:
        with SiteWriter(out) as writer:
            render_pages(renderer.plan, renderer.render, writer, jobs, _thousands(progress, started))
    finally:
        gc.unfreeze()
    progress(f"rendered {len(writer.hashes):,} files; finishing the generation")
    written = writer.finish()
    files = len(writer.hashes)
    record = {"inputs": inputs, "generation": written.generation, "files": files}
    cache.write_atomic(store / "last-build.json", json.dumps(record).encode("utf-8"))
    return BuildResult(files, written.written, written.linked, written.removed, written.unchanged)


def _last_build(out: Path, store: Path, inputs: str) -> dict | None:
    """The record of the last build when it had these inputs and ``out`` still shows its site."""
    from .site.write import current_generation

    last = cache.read_json(store / "last-build.json")
    generation = current_generation(out)
    if last.get("inputs") == inputs and generation is not None and generation.name == last.get("generation"):
        return last
    return None


def _thousands(progress: Progress, started: float) -> Callable[[int], None]:
    """Told how many files are done; tells ``progress`` at every thousand."""
    told = 0

    def done(files: int) -> None:
        nonlocal told
        if files // 1000 > told:
            told = files // 1000
            progress(f"rendered {files:,} files ({time.perf_counter() - started:.1f} s)")

    return done
