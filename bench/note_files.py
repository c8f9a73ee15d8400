"""The big files a note edit touches, timed one by one in one process: the search index and the
CSV/JSON downloads of the latest year, made cold (parts made and kept) and again after one
project's note is edited (the parts taken from the store), each under a recording of its reads
as a build renders it.

    python bench/note_files.py DATA [--save DIGESTS.json | --check DIGESTS.json]

``--save`` keeps each file's SHA-256 (cold and after the edit) and ``--check`` compares with
them: run ``--save`` on one checkout and ``--check`` on another to show the bytes are the same.
DATA should be a copy (the records' cache in DATA/.cache/ is written on the first load).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from renkei_site import pipeline, reads  # noqa: E402
from renkei_site.notes import Note  # noqa: E402
from renkei_site.resolve.reference import load_reference  # noqa: E402
from renkei_site.site.environment import template_cache  # noqa: E402
from renkei_site.site.render import site_renderer  # noqa: E402
from renkei_site.site.theme import site_theme  # noqa: E402

FILES = ("search-index.js", "partners.json", "partners.csv", "projects.json", "projects.csv")


def timed(renderer, pages, label: str) -> dict[str, str]:
    digests = {}
    for page in pages:
        start = time.perf_counter()
        with reads.recording():
            data = renderer.render(page)
        print(f"{label:10} {page.path:24} {time.perf_counter() - start:6.3f} s {len(data) / 1e6:6.1f} MB")
        digests[page.path] = hashlib.sha256(data).hexdigest()
    return digests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--check", type=Path)
    args = parser.parse_args()
    reference = load_reference(args.data)
    years = pipeline.load_years(args.data, reference, require_names=True)
    notes = pipeline.load_pages_and_notes(args.data, years, reference)
    renderer = site_renderer(years, reference, site_theme(), None, template_cache(), notes=notes)
    latest = max(y.fiscal_year for y in years)
    wanted = {"search-index.js", *(f"{latest}/{name}" for name in FILES[1:])}
    pages = [page for page in renderer.plan if page.path in wanted]
    if hasattr(renderer.cat, "parts"):
        from renkei_site.parts import Parts

        renderer.cat.parts = Parts(Path(tempfile.mkdtemp()) / "parts", "bench")
    gc.freeze()
    digests = {"cold": timed(renderer, pages, "cold")}
    project = years[-1].projects[0]
    old = notes.notes.get(("project", project.key))
    note = Note("project", project.key, (old.text if old else "") + "\n\n編集した注記 <b>&\n", "bench.md")
    renderer.cat.notes = dataclasses.replace(notes, notes={**notes.notes, ("project", project.key): note})
    digests["note edited"] = timed(renderer, pages, "note-edit")
    if args.save:
        args.save.write_text(json.dumps(digests, indent=1) + "\n", encoding="utf-8")
    if args.check:
        want = json.loads(args.check.read_text(encoding="utf-8"))
        differ = [f"{when} {path}" for when in want for path in want[when] if want[when][path] != digests[when][path]]
        print("the same bytes" if not differ else f"DIFFERENT: {', '.join(differ)}")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
