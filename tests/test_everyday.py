"""Everyday use: --quiet and --verbose, and `serve` rebuilding on a change."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, "-m", "renkei_site.cli", *args], capture_output=True, text=True, env=env, timeout=120, **kwargs
    )


def test_quiet_normal_and_verbose_builds(data_2022, tmp_path):
    out = str(tmp_path / "_site")
    quiet = cli("build", "-q", "--data", str(data_2022), "--out", out)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    (data_2022 / "2022" / "projects.yaml").write_text(
        (data_2022 / "2022" / "projects.yaml").read_text(encoding="utf-8").replace("水素社会", "水素の社会", 1),
        encoding="utf-8",
    )
    verbose = cli("-v", "build", "--data", str(data_2022), "--out", out)
    assert verbose.returncode == 0
    assert "loaded 1 year(s), 79 projects" in verbose.stderr and "finishing the generation" in verbose.stderr
    assert " written, " in verbose.stdout
    normal = cli("build", "--data", str(data_2022), "--out", out)  # not a terminal: no progress lines
    files = sum(1 for p in Path(out).resolve().rglob("*") if p.is_file() and not p.name.startswith("."))
    assert normal.stderr == "" and f"{files} files, nothing changed" in normal.stdout
    failing = cli("build", "-q", "--data", str(tmp_path / "missing"), "--out", out)
    assert failing.returncode == 1 and failing.stdout == "" and "missing" in failing.stderr  # problems still shown


def test_the_command_leaves_with_its_buffered_output_written_and_its_exit_code(data_2022, tmp_path):
    """cli.command ends the process with os._exit, skipping the interpreter's exit: what the
    command printed into a pipe (block-buffered, unlike a terminal) is written first, and the
    exit code is main's."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | {"PYTHONPATH": str(ROOT / "src")}

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "renkei_site.cli", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    built = run("build", "--data", str(data_2022), "--out", str(tmp_path / "_site"))
    assert built.returncode == 0 and built.stdout.endswith(")\n") and " written, " in built.stdout, built
    failed = run("build", "--data", str(tmp_path / "missing"), "--out", str(tmp_path / "_site"))
    assert failed.returncode == 1 and "missing" in failed.stderr


def test_serve_previews_and_rebuilds_when_data_changes(data_2022, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1"}
    out = tmp_path / "_site"
    server = subprocess.Popen(
        [sys.executable, "-m", "renkei_site.cli", "serve", "--data", str(data_2022), "--out", str(out), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        base = ""
        for line in server.stdout:
            if line.startswith("serving "):
                base = line.split(" on ")[1].split()[0]
                break
        assert base.startswith("http://127.0.0.1:")
        page = base + "2022/projects/055/index.html"
        assert "水素社会の実現に向けた取組" in urllib.request.urlopen(page, timeout=10).read().decode()
        records = data_2022 / "2022" / "projects.yaml"
        records.write_text(
            records.read_text(encoding="utf-8").replace(
                "水素社会の実現に向けた取組", "水素社会の実現に向けた取組(改訂)"
            ),
            encoding="utf-8",
        )
        deadline = time.monotonic() + 90  # a loaded 2-core machine rebuilds slowly
        while time.monotonic() < deadline:
            if "取組(改訂)" in urllib.request.urlopen(page, timeout=10).read().decode():
                break
            time.sleep(0.5)
        else:
            raise AssertionError("serve did not rebuild after data/ changed")
    finally:
        server.terminate()
        server.wait(timeout=10)
