"""The floor the bench holds a build against: the same files, made straight.

The same records (loaded as a build loads them), the same templates and the same
page plan, rendered one file after another in one process: a fresh Jinja
environment that compiles every template (no bytecode cache), no list of
projects reused from one page to the next, no fingerprint of the inputs, no
generation folder, no hashing, no hard links, no manifest; each file written as
it comes.  What a plain static-site generator does.  bench/run.py runs it beside
every build and reports the build's time as a ratio of it.

    python bench/floor.py --data DATA --out EMPTY_FOLDER
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from renkei_site import pipeline  # noqa: E402
from renkei_site.model import Catalogue  # noqa: E402
from renkei_site.resolve.reference import load_reference  # noqa: E402
from renkei_site.site import render  # noqa: E402
from renkei_site.site.environment import environment  # noqa: E402
from renkei_site.site.fragments import Fragments  # noqa: E402
from renkei_site.site.theme import site_theme  # noqa: E402


class Afresh(Fragments):
    """Every list made for its page (the build makes a list seen before at the same depth once)."""

    def annotated_list(self, entries, root):
        self._lists.clear()
        return super().annotated_list(entries, root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="an empty or missing folder")
    args = parser.parse_args()
    reference = load_reference(args.data)
    years = pipeline.load_years(args.data, reference, require_names=True)
    notes = pipeline.load_pages_and_notes(args.data, years, reference)
    render.Fragments = Afresh
    theme = site_theme()
    env = environment(theme.templates)
    renderer = render.SiteRenderer(Catalogue(years, reference, notes=notes), env, None, theme)
    for page in renderer.plan:
        target = args.out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(renderer.render(page))


if __name__ == "__main__":
    main()
