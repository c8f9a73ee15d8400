"""One writer at a time per output folder and per data folder (renkei_site/locks.py).

Builds started together into one --out, and `serve` rebuilding while a `build`
runs, leave the live site one complete generation: the one a lone build makes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, generations_left, seed_path, visible_files
from test_faults import run_cli, snapshot

from renkei_site import locks, pipeline


def cli_process(*args: str, **extra_env: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1", **extra_env}
    return subprocess.Popen(
        [sys.executable, "-m", "renkei_site.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def edit_records(data: Path, old: str, new: str) -> None:
    records = data / "2022" / "projects.yaml"
    records.write_text(records.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def lone_build(data: Path, out: Path) -> dict[str, bytes]:
    pipeline.build(data, out, jobs=1)
    return snapshot(out)


def test_builds_started_together_leave_one_complete_site(data_2022, tmp_path):
    out = tmp_path / "_site"
    names = ["水素社会の実現に向けた取組", "水素社会の実現に向けた取組(一)", "水素社会の実現に向けた取組(二)"]
    for round_, name in enumerate(names[1:], start=1):
        edit_records(data_2022, names[round_ - 1], name)
        builds = [cli_process("build", "--data", str(data_2022), "--out", str(out), "--jobs", "1") for _ in range(3)]
        results = [(build.wait(timeout=180), *build.communicate()) for build in builds]
        assert [code for code, _, _ in results] == [0, 0, 0], [err for _, _, err in results]
        expected = lone_build(data_2022, tmp_path / f"lone-{round_}")
        assert snapshot(out) == expected
        left = generations_left(out)
        assert len(left) <= 2 and not any(name.endswith(".partial") for name in left)  # the live one and a spare


def test_a_second_build_waits_for_the_first_and_says_for_whom(data_2022, tmp_path):
    out = tmp_path / "_site"
    with locks.held(locks.out_lock(out), "build", str(out)):
        waiting = cli_process("build", "--data", str(data_2022), "--out", str(out))
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting
        assert not out.exists()
    _, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, err
    assert f"waiting for build pid {os.getpid()} since " in err and f"to finish with {out}" in err
    assert snapshot(out) == lone_build(data_2022, tmp_path / "lone")


def test_a_busy_output_folder_stops_a_build_at_once_with_one_line(data_2022, tmp_path):
    out = tmp_path / "_site"
    pipeline.build(data_2022, out)
    before = snapshot(out)
    edit_records(data_2022, "水素社会の実現に向けた取組", "水素の取組")
    with locks.held(locks.out_lock(out), "build", str(out)):
        busy = run_cli("build", "--data", str(data_2022), "--out", str(out), RENKEI_SITE_LOCK_WAIT="0")
    assert busy.returncode == 1
    lines = busy.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"renkei-site build: {out} is in use by build pid {os.getpid()}")
    assert snapshot(out) == before


def test_a_stale_lock_file_is_taken(data_2022, tmp_path):
    """A lock file left by a killed build (its PID long gone) holds nothing: the kernel's lock
    went with the process."""
    out = tmp_path / "_site"
    locks.out_lock(out).write_text("build pid 999999 since 2026-01-01 00:00:00 UTC\n", encoding="utf-8")
    done = run_cli("build", "--data", str(data_2022), "--out", str(out), RENKEI_SITE_LOCK_WAIT="0")
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == lone_build(data_2022, tmp_path / "lone")


def test_an_import_waits_for_nothing_when_told_and_writes_nothing(data_2022, tmp_path):
    source = tmp_path / "list.txt"
    source.write_text(seed_path().read_text(encoding="utf-8").replace("\t水素社会の", "\t水素の"), encoding="utf-8")
    before = visible_files(data_2022)
    with locks.held(locks.data_lock(data_2022), "import", str(data_2022)):
        busy = run_cli("import", str(source), "--data", str(data_2022), "--force", RENKEI_SITE_LOCK_WAIT="0")
        check = run_cli("check", "--data", str(data_2022), RENKEI_SITE_LOCK_WAIT="0")  # readers wait for it too
    assert busy.returncode == 1 and check.returncode == 1
    assert busy.stderr.count("\n") == 1 and f"{data_2022} is in use by import pid {os.getpid()}" in busy.stderr
    assert visible_files(data_2022) == before


def test_serve_rebuilding_while_a_build_runs_leaves_one_complete_site(data_2022, tmp_path):
    out = tmp_path / "_site"
    server = cli_process("serve", "--data", str(data_2022), "--out", str(out), "--port", "0")
    try:
        base = ""
        for line in server.stdout:
            if line.startswith("serving "):
                base = line.split(" on ")[1].split()[0]
                break
        assert base
        old = "水素社会の実現に向けた取組"
        for round_ in range(2):
            new = f"水素社会の実現に向けた取組{round_}"
            edit_records(data_2022, old, new)  # serve sees it within a second and rebuilds
            build = run_cli("build", "--data", str(data_2022), "--out", str(out), "--jobs", "1")
            assert build.returncode == 0, build.stderr
            old = new
        expected = lone_build(data_2022, tmp_path / "lone")
        deadline = time.monotonic() + 60
        while snapshot(out) != expected and time.monotonic() < deadline:
            time.sleep(0.5)
        assert snapshot(out) == expected
        page = urllib.request.urlopen(base + "2022/projects/055/index.html", timeout=10).read().decode()
        assert "水素社会の実現に向けた取組1" in page
    finally:
        server.terminate()
        server.communicate(timeout=10)
