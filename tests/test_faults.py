"""Builds and imports SIGKILLed at several points leave the previous site and data/ usable.

The kill comes from inside (``RENKEI_SITE_KILL_AT``, see renkei_site/faults.py),
so each point is hit exactly, not by timing luck.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import ROOT, generations_left, seed_path, visible_files
from next_year import next_year_list

from renkei_site import pipeline, records
from renkei_site.resolve.reference import load_reference


def run_cli(*args: str, kill_at: str | None = None, **extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **extra_env}
    env.pop("RENKEI_SITE_KILL_AT", None)
    if kill_at:
        env["RENKEI_SITE_KILL_AT"] = kill_at
    return subprocess.run(
        [sys.executable, "-m", "renkei_site.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of the site ``out`` points at."""
    folder = out.resolve()
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def two_sites(data_2022, tmp_path):
    """A built FY2022 site, and data/ edited so the next build changes pages."""
    out = tmp_path / "_site"
    pipeline.build(data_2022, out)
    before = snapshot(out)
    records = data_2022 / "2022" / "projects.yaml"
    records.write_text(
        records.read_text(encoding="utf-8").replace("水素社会の実現に向けた取組", "水素社会の実現に向けた取組(改)"),
        encoding="utf-8",
    )
    expected_after = tmp_path / "expected"
    pipeline.build(data_2022, expected_after)
    return data_2022, out, before, snapshot(expected_after)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    "point",
    ["render-page:1", "render-page:100", "write-file:1", "write-file:150", "write-file:360", "manifest", "generation"],
)
def test_build_killed_before_the_swap_leaves_the_previous_site(two_sites, point, jobs):
    data, out, before, _ = two_sites
    killed = run_cli("build", "--data", str(data), "--out", str(out), "--jobs", jobs, kill_at=point)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(out) == before


def test_a_killed_worker_fails_the_build_and_leaves_the_previous_site(two_sites):
    data, out, before, after = two_sites
    failed = run_cli("build", "--data", str(data), "--out", str(out), "--jobs", "3", kill_at="worker-page:20")
    assert failed.returncode == 1
    assert "renkei-site build: a render worker stopped before it finished (exit code -9)" in failed.stderr
    assert snapshot(out) == before
    done = run_cli("build", "--data", str(data), "--out", str(out), "--jobs", "3")
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == after


def processes_with(marker: str) -> list[int]:
    """Live processes whose environment holds ``marker`` (zombies have none)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("point", ["render-page:2", "write-file:150"])
def test_workers_die_with_the_killed_build(two_sites, point):
    """The workers hang at their first page (else they might just finish): only the kernel's
    word that their parent died ends them."""
    data, out, before, _ = two_sites
    marker = f"RENKEI_TEST_RUN={uuid.uuid4()}"
    name, _, value = marker.partition("=")
    args = ("build", "--data", str(data), "--out", str(out), "--jobs", "3")
    killed = run_cli(*args, kill_at=point, RENKEI_SITE_HANG_AT="worker-page", **{name: value})
    assert killed.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 5
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with(marker) == []
    assert snapshot(out) == before


@pytest.mark.parametrize("point", ["swap", "cleanup"])
def test_build_killed_after_the_swap_leaves_the_new_site(two_sites, point):
    """(A build removes what killed builds left — here a partial generation — after its swap.)"""
    data, out, _, after = two_sites
    left = run_cli("build", "--data", str(data), "--out", str(out), kill_at="write-file:10")
    assert left.returncode == -signal.SIGKILL and any(
        p.name.endswith(".partial") for p in out.parent.glob("_site.gens/*")
    )
    killed = run_cli("build", "--data", str(data), "--out", str(out), kill_at=point)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(out) == after


def test_the_next_build_after_kills_completes_and_cleans_up(two_sites):
    data, out, _, after = two_sites
    for point in ("write-file:10", "manifest", "cleanup"):
        assert run_cli("build", "--data", str(data), "--out", str(out), kill_at=point).returncode == -signal.SIGKILL
    done = run_cli("build", "--data", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == after
    left = generations_left(out)
    assert len(left) <= 2 and not any(name.endswith(".partial") for name in left)  # the live one and a spare


@pytest.mark.parametrize("point", ["import-source", "import-records"])
def test_import_of_a_new_year_killed_leaves_data_as_it_was(data_2022, tmp_path, point):
    source = tmp_path / "r5.txt"
    source.write_bytes(next_year_list(seed_path().read_bytes()))
    before = visible_files(data_2022)
    killed = run_cli("import", str(source), "--data", str(data_2022), kill_at=point)
    assert killed.returncode == -signal.SIGKILL
    assert visible_files(data_2022) == before
    assert run_cli("check", "--data", str(data_2022)).returncode == 0
    done = run_cli("import", str(source), "--data", str(data_2022))  # and the retry works
    assert done.returncode == 0, done.stderr
    assert (data_2022 / "2023" / "projects.yaml").exists()
    assert not list(data_2022.glob(".2023.partial-*"))


@pytest.mark.parametrize("point", ["import-source", "import-records"])
def test_forced_reimport_killed_leaves_the_old_records(data_2022, tmp_path, point):
    edited = tmp_path / "list.txt"
    edited.write_text(
        seed_path().read_text(encoding="utf-8").replace("\t水素社会の実現に向けた取組", "\t水素社会の取組"),
        encoding="utf-8",
    )
    before = visible_files(data_2022)
    killed = run_cli("import", str(edited), "--data", str(data_2022), "--force", kill_at=point)
    assert killed.returncode == -signal.SIGKILL
    assert visible_files(data_2022) == before
    done = run_cli("import", str(edited), "--data", str(data_2022), "--force")
    assert done.returncode == 0, done.stderr
    assert "水素社会の取組" in (data_2022 / "2022" / "projects.yaml").read_text(encoding="utf-8")
    assert not list((data_2022 / "2022").glob(".*"))


@pytest.fixture
def names_import(data_2022, tmp_path):
    """FY2023 with a new bureau and a new field: one import changes bureaus.yaml, fields.yaml and
    makes 2023/ (its list and records); and data/ as that import leaves it, done elsewhere."""
    from test_new_names import fy2023_list

    source = tmp_path / "r5.txt"
    source.write_bytes(fy2023_list())
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(data_2022, elsewhere)
    pipeline.import_list(source, elsewhere)
    before, after = visible_files(data_2022), visible_files(elsewhere)
    changed = {path for path in set(before) | set(after) if before.get(path) != after.get(path)}
    assert {str(path) for path in changed} >= {"bureaus.yaml", "fields.yaml", "2023/projects.yaml"}
    return data_2022, source, before, after


@pytest.mark.parametrize(
    ("point", "took_effect"),
    [
        ("import-names:2", False),  # bureaus.yaml and fields.yaml staged
        ("import-records", False),  # every file staged
        ("import-commit", True),  # the journal in place, nothing renamed yet
        ("import-apply:1", True),
        ("import-apply:2", True),
    ],
)
def test_an_import_is_one_transaction_over_every_file(names_import, point, took_effect):
    data, source, before, after = names_import
    killed = run_cli("import", str(source), "--data", str(data), kill_at=point)
    assert killed.returncode == -signal.SIGKILL
    if not took_effect:
        assert visible_files(data) == before  # only hidden files were written
    assert run_cli("check", "--data", str(data)).returncode in (0, 1)  # a reader settles data/ first
    assert visible_files(data) == (after if took_effect else before)
    if not took_effect:  # the next import removes what the killed one staged, and takes effect
        assert run_cli("import", str(source), "--data", str(data)).returncode == 0
        assert visible_files(data) == after
    assert sorted(p.name for p in data.rglob(".*") if ".import-" in p.name) == []


def test_records_cached_by_an_import_that_adds_names_are_found_by_the_next_build(names_import):
    """The import validates against the bureaus and fields as they will be, before writing any:
    its cache key is the one the written tables give."""
    data, source, _, _ = names_import
    assert run_cli("import", str(source), "--data", str(data)).returncode == 0
    reference = load_reference(data)
    records_file = data / "2023" / "projects.yaml"
    key = records.records_key(records_file.read_bytes(), reference)
    assert records.cache.load_pickle(records.cache_file(records_file), key) is not None


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(("errno_name", "why"), [("ENOSPC", "the disk is full"), ("EACCES", "no permission")])
def test_a_build_that_cannot_write_says_so_in_one_line_and_keeps_the_site(two_sites, jobs, errno_name, why):
    data, out, before, _ = two_sites
    failed = run_cli(
        *("build", "--data", str(data), "--out", str(out), "--jobs", jobs),
        RENKEI_SITE_FAIL_AT="store-file:40",
        RENKEI_SITE_FAIL_ERRNO=errno_name,
    )
    assert failed.returncode == 1
    lines = failed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("renkei-site build: "), failed.stderr
    assert "cannot write " in lines[0] and why in lines[0] and "the site is as it was" in lines[0]
    assert snapshot(out) == before
    assert list((out.parent / "_site.gens").iterdir()) == [out.resolve()]


def test_an_import_on_a_full_disk_writes_nothing(names_import):
    data, source, before, _ = names_import
    for nth in ("1", "3"):
        failed = run_cli("import", str(source), "--data", str(data), RENKEI_SITE_FAIL_AT=f"import-write:{nth}")
        assert failed.returncode == 1
        assert failed.stderr.count("\n") == 1 and "No space left on device" in failed.stderr, failed.stderr
        assert visible_files(data) == before
        assert [p for p in data.rglob(".*") if ".import-" in p.name] == []
