"""A build of the site: load, find what must be rendered again, render it, write a generation.

``pipeline.build`` takes the locks and calls ``build_site``.  The inputs are fingerprinted
twice: all of them (unchanged since the live site was built: nothing to do), and all but the
atoms (site/depends.py: the *whole*).  When the whole is the one the live site was built from,
only the pages that read a changed note or page text are rendered; every other file is the live
site's, kept (site/write.py).  A process that builds again and again (``serve``) passes a
``Session``: it keeps the loaded catalogue and renderer while the whole stays the same, and may
ask for some pages (the HTML pages an editor looks at) to go live first, in a generation of
their own, before the slower files (downloads, the search index) follow in the next.
"""

from __future__ import annotations

import contextlib
import gc
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import cache
from ..forks import default_jobs
from ..parts import Parts
from . import depends
from .plan import Page

Progress = Callable[[str], None]
PREPARED = 100  # pages to render from which what pages share is worked out before they render


@dataclass(frozen=True)
class BuildResult:
    files: int
    written: int
    linked: int
    removed: int
    unchanged: bool
    rendered: int = 0  # pages rendered (the rest were kept: they read nothing that changed)


@dataclass(frozen=True)
class Loaders:
    """How the build reads data/ (pipeline's loaders: this stage does not import pipeline)."""

    reference: Callable  # data_dir -> Reference
    years: Callable  # data_dir, reference -> [Year], every name read
    notes: Callable  # data_dir, years, reference -> Notes


@dataclass
class Session:
    """What a long-running process keeps from one build to the next (``serve``): the renderer
    of the last build and the fingerprint of the whole it was made from; ``first`` names the
    pages that go live before the others when only atoms changed."""

    whole_files: str = ""
    page_index: tuple = ()
    renderer: Any = None  # site/render.py SiteRenderer
    first: Callable[[Page], bool] | None = None
    known: dict = field(default_factory=dict)  # the digests of the input files (cache.fingerprint)


def build_site(
    data_dir: Path, out: Path, theme, base_url, load: Loaders, progress: Progress, jobs, session=None
) -> BuildResult:
    """The build of pipeline.build, with ``out`` to itself and data/ unchanged meanwhile."""
    store = cache.cache_dir(out)
    data_files = cache.files_under(data_dir)
    atom_files = [path for path in data_files if depends.followed(path, data_dir)]
    others = [path for path in data_files if not depends.followed(path, data_dir)]
    known = session.known if session else {}  # a file's digest, once per build (and per session)
    whole_files = cache.fingerprint([*others, *cache.files_under(*theme.folders())], base_url or "", known=known)
    inputs = cache.fingerprint(atom_files, whole_files, code=(), known=known)
    records = (  # only a session compares them (whether its renderer still holds these years)
        cache.fingerprint([p for p in atom_files if p.name == depends.RECORDS], code=(), known=known) if session else ""
    )
    last = last_build(out, store, inputs)
    if last is not None:
        if session is not None and session.renderer is None:
            _renderer(data_dir, theme, base_url, load, whole_files + records, session)  # ready for the next build
        progress(f"inputs unchanged since {last['generation']} was built: nothing to render")
        return BuildResult(last["files"], 0, 0, 0, True)
    started = time.perf_counter()
    renderer = _renderer(data_dir, theme, base_url, load, whole_files + records, session)
    notes = renderer.cat.notes
    keys = {
        y.fiscal_year: whole_files + known[path][2].hex()
        for y in renderer.cat.years
        if (path := data_dir / str(y.fiscal_year) / depends.RECORDS) in known
    }
    years = depends.year_digests(renderer.cat.years, keys, data_dir / ".cache")
    whole = depends.whole_digest(whole_files, notes.index(), renderer.plan, renderer.cat, years)
    atoms = depends.atoms_now(notes, years)
    from .write import current_generation

    live = current_generation(out)
    record = depends.load(store)
    again = depends.to_render(record, live.name if live else None, whole, atoms)
    renderer.cat.parts = Parts(store / "parts", depends.part_key(whole, atoms), site=out)
    renderer.cat.parts.tidy()
    jobs = jobs or default_jobs()
    if again is None or len(again) >= PREPARED:
        with cache.made_to_last():  # hundreds of thousands of objects that live to the end
            renderer.prepare()  # what many pages share, worked out once before the workers fork
    cat = renderer.cat
    progress(
        f"loaded {len(cat.years)} year(s), {sum(len(y.projects) for y in cat.years):,} projects, "
        f"planned {len(renderer.plan):,} files ({time.perf_counter() - started:.2f} s); "
        + ("rendering all" if again is None else f"{len(again):,} read what changed: rendering those")
        + f" with {jobs} process(es)"
    )
    if again is None:
        steps = [[*renderer.plan]]
    else:
        dirty = [page for page in renderer.plan if page.path in again]
        first = session.first if session else None
        steps = [[p for p in dirty if first(p)], [p for p in dirty if not first(p)]] if first else [dirty]
        steps = [step for step in steps if step] or [[]]
    kept_reads = {} if again is None else {p: r for p, r in record.reads.items() if p not in again}
    reports = []
    for step in steps:
        written, hashes, reads = _generation(out, renderer, step, kept_reads, again is not None, jobs, progress)
        reports.append(written)
        kept_reads.update(reads)
    depends.save(store, depends.Record(written.generation, whole, atoms, kept_reads))
    with contextlib.suppress(OSError):  # a cache: the site is in place
        last = {"inputs": inputs, "generation": written.generation, "files": len(hashes)}
        cache.write_atomic(store / "last-build.json", json.dumps(last).encode("utf-8"))
    rendered = sum(len(step) for step in steps)
    fresh = sum(report.written for report in reports)  # each step writes its own files
    return BuildResult(
        len(hashes),
        fresh,
        len(hashes) - fresh,
        sum(report.removed for report in reports),
        all(report.unchanged for report in reports),
        rendered,
    )


def _renderer(data_dir: Path, theme, base_url, load: Loaders, whole_files: str, session: Session | None):
    """The session's renderer with the notes read again when only notes or pages changed (the
    same ``whole_files``: every input file but those, with the records); else a new one."""
    from .environment import template_cache
    from .render import site_renderer

    if session is not None and session.renderer is not None and session.whole_files == whole_files:
        renderer = session.renderer
        notes = load.notes(data_dir, renderer.cat.years, renderer.ref)
        if notes.index() == session.page_index:  # the same pages: the same plan and footer
            renderer.cat.notes = notes
            return renderer
    with cache.made_to_last():  # a million objects are made here, and no garbage
        reference = load.reference(data_dir)
        years = load.years(data_dir, reference)  # from data/.cache/ when unchanged
        notes = load.notes(data_dir, years, reference)
        renderer = site_renderer(years, reference, theme, base_url, template_cache(), notes=notes, prepare=False)
        renderer.preview_cache = cache.previews_dir()
    if session is not None:
        session.whole_files, session.page_index, session.renderer = whole_files, notes.index(), renderer
    return renderer


def _generation(out: Path, renderer, pages: list[Page], kept_reads: dict, keep_rest: bool, jobs: int, progress):
    """Render ``pages`` into a new generation (with ``keep_rest``, every other file of the plan
    is the live site's), swap it in; (the writer's report, the manifest, what the pages read)."""
    from .workers import render_pages
    from .write import SiteWriter

    started = time.perf_counter()
    rendering = {page.path for page in pages}
    gc.freeze()  # what is loaded lives to the end: no collection re-scans it (nor, in a worker, writes to it)
    try:
        with SiteWriter(out) as writer:
            render_pages(pages, renderer.render, writer, jobs, _thousands(progress, started))
            if keep_rest:
                for page in renderer.plan:
                    if page.path not in rendering:
                        writer.record(page.path, *writer.keep(page.path), kept_reads.get(page.path, ()))
    finally:
        gc.unfreeze()
    progress(f"rendered {len(pages):,} of {len(writer.hashes):,} files; finishing the generation")
    return writer.finish(), writer.hashes, {path: writer.reads[path] for path in rendering if path in writer.reads}


def last_build(out: Path, store: Path, inputs: str) -> dict | None:
    """The record of the last build when it had these inputs and ``out`` still shows its site."""
    from .write import current_generation

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
