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
