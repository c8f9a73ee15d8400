"""Shared fixtures: the real FY2022 list, the reference data, a scratch copy of data/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))  # always test this checkout's code


def seed_path() -> Path:
    return next((DATA / "2022").glob("source-*.txt"))


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return seed_path().read_bytes()


@pytest.fixture(scope="session")
def reference():
    from renkei_site.reference import load_reference

    return load_reference(DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ with the reference tables and no year yet."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("20[0-9][0-9]"))
    return target


@pytest.fixture
def data_2022(tmp_path: Path) -> Path:
    """A copy of data/ with the shipped FY2022 records."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def two_years(tmp_path_factory) -> dict:
    """A maintainer's April: data/ with the shipped FY2022 and a site built from it; then the
    synthetic FY2023 list (tests/next_year.py) imported, its unresolved name pinned, re-imported
    and the site built again.  Read-only for tests."""
    from next_year import PROJECT_LINKS, next_year_list

    from renkei_site import pipeline

    root = tmp_path_factory.mktemp("two-years")
    data = root / "data"
    shutil.copytree(DATA, data)
    (data / "project_links.yaml").write_text(PROJECT_LINKS, encoding="utf-8")
    pipeline.build(data, root / "site-2022")
    before = {p.relative_to(data): p.read_bytes() for p in data.rglob("*") if p.is_file()}
    source = root / "r5_renkei.txt"
    source.write_bytes(next_year_list(seed_path().read_bytes()))
    result = pipeline.import_list(source, data)
    after = {p.relative_to(data): p.read_bytes() for p in data.rglob("*") if p.is_file()}
    with (data / "overrides.yaml").open("a", encoding="utf-8") as handle:
        handle.write('- {surface: 秩父郡長瀬町, year: 2023, code: "113638", note: 長瀞町の誤記}\n')
    fixed = pipeline.import_list(source, data, force=True)
    pipeline.build(data, root / "site")
    return {
        "root": root,
        "data": data,
        "before": before,
        "after": after,
        "result": result,
        "fixed": fixed,
        "site": (root / "site").resolve(),
    }
