"""The golden site: tests/golden/list.tsv (a dozen tricky rows of FY2022 and a hostile one)
imported and built with a base URL, kept under tests/golden/ so that a change to the output
shows in review.  `python scripts/golden.py` makes it anew; tests/test_golden.py compares a
fresh build with it byte for byte.

Every file is held to the golden tree by its SHA-256 in the kept `.manifest.json`; the files
themselves are kept too, but for the ~1,900 pages, feeds and preview images of the
municipalities the list does not name (alike but for the name: a reviewer reads one of them,
kept whole, not two thousand) and the preview images other than the site's own."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from renkei_site import pipeline  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
LIST = GOLDEN / "list.tsv"
BASE_URL = "https://example.org/renkei/"
UNNAMED_SAMPLE = "204137"  # 長野県上高井郡小布施町: the one page of a place no project names kept whole
KEPT_PREVIEWS = {"previews/site.png"}


def build_golden(work: Path) -> tuple[Path, Path]:
    """(the records, the site) of the golden list, made in ``work``."""
    data = work / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("20[0-9][0-9]", ".cache", "notes"))
    result = pipeline.import_list(LIST, data, jobs=1)
    site = work / "site"
    pipeline.build(data, site, BASE_URL, jobs=1)
    return result.path, site.resolve()


def named_codes(records: Path) -> set[str]:
    """Every place code the records name (a mention's code or candidates)."""
    import yaml

    mentions = [m for p in yaml.safe_load(records.read_text(encoding="utf-8"))["projects"] for m in p["mentions"]]
    return {str(m["code"]) for m in mentions if m.get("code")} | {
        str(c) for m in mentions for c in m.get("candidates", ())
    }


def kept(path: str, named: set[str]) -> bool:
    """Whether the golden tree keeps the file itself (every file's digest is kept in any case)."""
    if path.startswith("previews/"):
        return path in KEPT_PREVIEWS
    match = re.match(r"municipalities/(\d{6})/", path)
    return match is None or match.group(1) in named or match.group(1) == UNNAMED_SAMPLE


def site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def manifest(site: Path) -> dict[str, str]:
    return json.loads((site / ".manifest.json").read_text(encoding="utf-8"))


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        records, site = build_golden(Path(work))
        named = named_codes(records)
        shutil.rmtree(GOLDEN / "site", ignore_errors=True)
        for path, data in site_files(site).items():
            if path == ".manifest.json" or kept(path, named):
                (GOLDEN / "site" / path).parent.mkdir(parents=True, exist_ok=True)
                (GOLDEN / "site" / path).write_bytes(data)
        shutil.copyfile(records, GOLDEN / "projects.yaml")
    print(f"wrote {GOLDEN.relative_to(ROOT)}/site ({len(site_files(GOLDEN / 'site'))} files) and projects.yaml")


if __name__ == "__main__":
    main()
