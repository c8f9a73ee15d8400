"""The golden site: tests/golden/list.tsv (a dozen tricky rows of FY2022 and a hostile one)
imported and built with a base URL, kept under tests/golden/ so that a change to the output
shows in review.  `python scripts/golden.py` makes it anew; tests/test_golden.py compares a
fresh build with it byte for byte."""

from __future__ import annotations

import hashlib
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


def build_golden(work: Path) -> tuple[Path, Path]:
    """(the records, the site) of the golden list, made in ``work``."""
    data = work / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("20[0-9][0-9]", ".cache", "notes"))
    result = pipeline.import_list(LIST, data, jobs=1)
    site = work / "site"
    pipeline.build(data, site, BASE_URL, jobs=1)
    return result.path, site.resolve()


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a site by its path; an image as the SHA-256 of its bytes (``x.png.sha256``), so
    the tree stays small and a changed picture still shows in review."""
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            name, data = str(path.relative_to(site)), path.read_bytes()
            if name.endswith(".png"):
                name, data = f"{name}.sha256", f"{hashlib.sha256(data).hexdigest()}\n".encode()
            files[name] = data
    return files


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        records, site = build_golden(Path(work))
        shutil.rmtree(GOLDEN / "site", ignore_errors=True)
        for name, data in site_files(site).items():
            (GOLDEN / "site" / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / "site" / name).write_bytes(data)
        shutil.copyfile(records, GOLDEN / "projects.yaml")
    print(f"wrote {GOLDEN.relative_to(ROOT)}/site ({len(site_files(GOLDEN / 'site'))} files) and projects.yaml")


if __name__ == "__main__":
    main()
