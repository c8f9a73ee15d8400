"""Shared fixtures: the real FY2022 list, the reference data, a scratch copy of data/."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CHROMIUM = "/usr/bin/chromium"  # Debian's package; `playwright install` cannot download here
LOCAL = "http://127.0.0.1:"  # every test server; any other URL is a request leaving the site
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))  # always test this checkout's code
sys.path.insert(1, str(ROOT / "scripts"))  # the project's own tools (hepburn.py …)
# Compiled templates go to a folder of this run, not the user's ~/.cache (builds in subprocesses too).
os.environ["RENKEI_SITE_CACHE"] = tempfile.mkdtemp(prefix="renkei-site-test-cache-")
atexit.register(shutil.rmtree, os.environ["RENKEI_SITE_CACHE"], True)


def seed_path() -> Path:
    return next((DATA / "2022").glob("source-*.txt"))


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return seed_path().read_bytes()


@pytest.fixture(scope="session")
def reference():
    from renkei_site.resolve.reference import load_reference

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


def generations_left(out: Path) -> list[str]:
    """The generation folders beside ``out`` once a build is over: the live one first, then the
    spare the next build updates (site/write.py); a test asserts nothing else is left (no
    ``.partial`` folder of a failed or killed build)."""
    live = out.resolve()
    others = sorted(p.name for p in (out.parent / f"{out.name}.gens").iterdir() if p != live)
    return [live.name, *others]


def visible_files(folder: Path) -> dict[Path, bytes]:
    """Every file but caches (hidden folders such as data/.cache/)."""
    return {
        p.relative_to(folder): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


@pytest.fixture(scope="session")
def two_years(tmp_path_factory) -> dict:
    """A maintainer's April: data/ with the shipped FY2022 and an editors' note of every kind
    (tests/example_notes.py), and a site built from it; then the
    synthetic FY2023 list (tests/next_year.py) imported, its unresolved name pinned, re-imported
    and the site built again.  Read-only for tests."""
    from example_notes import write_notes
    from next_year import PROJECT_LINKS, next_year_list

    from renkei_site import pipeline

    root = tmp_path_factory.mktemp("two-years")
    data = root / "data"
    shutil.copytree(DATA, data)
    (data / "project_links.yaml").write_text(PROJECT_LINKS, encoding="utf-8")
    write_notes(data)  # one editors' note of every kind and a page: import must leave them alone
    pipeline.build(data, root / "site-2022")
    before = visible_files(data)
    source = root / "r5_renkei.txt"
    source.write_bytes(next_year_list(seed_path().read_bytes()))
    result = pipeline.import_list(source, data)
    after = visible_files(data)
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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (./scripts/test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, dialogs and requests leaving the site in ``page.problems``."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on(
        "request",
        lambda r: None if r.url.startswith((LOCAL, "data:")) else page.problems.append(f"outside request: {r.url}"),
    )

    def stopped_by_csp(request) -> None:
        # Chromium reports a request the CSP refused, then fails it with "csp": it never left.
        if request.failure == "csp" and f"outside request: {request.url}" in page.problems:
            page.problems.remove(f"outside request: {request.url}")

    page.on("requestfailed", stopped_by_csp)
    yield page
    context.close()
