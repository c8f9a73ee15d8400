"""A large import reads each distinct name once, and its memory grows linearly with the rows, at a
slope that keeps the 100,000-row import under 1 GB (bench/big_import.py measures that one)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from conftest import ROOT, visible_files

from renkei_site import pipeline, records
from renkei_site.resolve import readings

sys.path.insert(0, str(ROOT / "bench"))
import synthetic

TARGET_MB = 1000
ROWS = 100_000
SMALL, LARGE = 200, 800  # rows of the two imports measured
FIXED_MB = 200  # the interpreter, the code, the reference tables and the workers' pykakasi, at most


def repeated_names_list(rows: int, distinct: int) -> bytes:
    """A synthetic list of ``rows`` rows whose names are ``distinct`` names, each repeated."""
    table = synthetic.rows_for(rows, synthetic.seed_rows())
    for index, row in enumerate(table):
        row["name"] = table[index % distinct]["name"]
    return synthetic.to_list(2022, table)


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_distinct_name_is_read_once_in_any_number_of_processes(data_copy, tmp_path, monkeypatch, jobs):
    source = tmp_path / "list.txt"
    source.write_bytes(repeated_names_list(1200, 300))
    calls = tmp_path / "calls.txt"
    original = readings.reading

    def counted(text: str) -> tuple[str, str]:
        with calls.open("a", encoding="utf-8") as handle:  # forked workers append here too
            handle.write(text.replace("\n", " ") + "\n")
        return original(text)

    monkeypatch.setattr(readings, "reading", counted)
    result = pipeline.import_list(source, data_copy, jobs=jobs)
    names = [p.name for p in result.year.projects]
    read = calls.read_text(encoding="utf-8").splitlines()
    assert len(names) == 1200 and len(set(names)) == 300
    assert sorted(read) == sorted(set(n.replace("\n", " ") for n in names))  # each once, none left out
    for project in result.year.projects:
        assert (project.kana, project.romaji) == original(project.name)


def peak_growth_mb(source: Path, data: Path) -> float:
    """MB of the Python heap's peak (tracemalloc) during an import in one process, readings stubbed
    (pykakasi's memory is fixed, and in its workers), in a fresh fork."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_measure, args=(source, data, send))
    child.start()
    send.close()
    growth = receive.recv()
    child.join()
    assert child.exitcode == 0
    return growth


def _measure(source: Path, data: Path, send) -> None:
    readings.reading = lambda text: (f"かな{len(text)}", f"kana{len(text)}")
    tracemalloc.start()
    pipeline.import_list(source, data, jobs=1)
    send.send(tracemalloc.get_traced_memory()[1] / 1e6)


def test_import_memory_grows_linearly_within_the_budget_of_100000_rows(data_copy, tmp_path):
    growth = {}
    for rows in (SMALL, LARGE):
        source = tmp_path / f"list-{rows}.txt"
        source.write_bytes(synthetic.one_year(rows))
        data = tmp_path / f"data-{rows}"
        shutil.copytree(data_copy, data)
        growth[rows] = peak_growth_mb(source, data)
        assert records.cache_file(data / "2022" / "projects.yaml").is_file()  # the whole import ran
    per_row = (growth[LARGE] - growth[SMALL]) / (LARGE - SMALL)
    assert growth[LARGE] <= 4.5 * growth[SMALL], growth  # linear (its fixed part makes it less than 4×)
    assert FIXED_MB + growth[LARGE] + per_row * (ROWS - LARGE) < TARGET_MB, (growth, per_row * 1024)


def test_a_full_disk_while_workers_write_the_records_is_one_line_and_nothing_written(data_copy, tmp_path):
    """The records' YAML is written in parts by forked workers (scratch files in data/): a write
    that fails in any of them stops the import in one line, exit 1, data/ as it was, no part left."""
    source = tmp_path / "list.txt"
    source.write_bytes(synthetic.one_year(1200))
    before = visible_files(data_copy)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RENKEI_SITE_FAIL_AT": "import-part:2"}
    failed = subprocess.run(
        [sys.executable, "-m", "renkei_site.cli", "import", str(source), "--data", str(data_copy), "--jobs", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert failed.returncode == 1
    lines = failed.stderr.splitlines()
    assert len(lines) == 1 and "No space left on device (the disk is full)" in lines[0], failed.stderr
    assert visible_files(data_copy) == before
    assert [p.name for p in data_copy.rglob(".*") if ".import-" in p.name] == []
