"""Benchmark: the FY2022 list imported from an .xlsx workbook (target: ≤ 1 s).

    python bench/xlsx_import.py [--repeat 5]

The workbook is made by scripts/make_test_xlsx.py (the ``merged`` layout: 所管局 and 分野
merged down their rows, so the merged ranges are read too).  Every figure comes from a
fresh process, as a user runs it: ``renkei-site import`` into a new copy of data/ with no
year (wall clock, median of ``--repeat``), beside the same list imported from its
tab-separated text (alternately, so a busy machine slows both alike), and, inside one
process, reading the workbook into its table (openpyxl's import included).  Prints a small markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_test_xlsx  # noqa: E402

TARGET_S = 1.0
PARSE_ONLY = (
    "import sys, time; t = time.perf_counter(); from renkei_site.read.parse import parse_bytes; "
    "table = parse_bytes(open(sys.argv[1], 'rb').read(), 'list.xlsx'); "
    "print(len(table.rows), time.perf_counter() - t)"
)


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd, env=env, timeout=300)
    return time.perf_counter() - started


def import_once(workbook: Path, work: Path) -> float:
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("20[0-9][0-9]", ".cache"))
    command = [sys.executable, "-m", "renkei_site.cli", "import", str(workbook), "--data", str(data), "-q"]
    return timed(command, work)


def parse_once(workbook: Path) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", PARSE_ONLY, str(workbook)], check=True, capture_output=True, text=True, env=env
    )
    rows, seconds = done.stdout.split()
    return int(rows), float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        workbook = make_test_xlsx.make_workbook(work / "list.xlsx", make_test_xlsx.LAYOUTS["merged"])
        import_once(workbook, work)  # warm the reference cache (data/.cache), as a second import finds it
        tsv = next((ROOT / "data" / "2022").glob("source-*.txt"))
        imports, text_imports = [], []
        for _ in range(args.repeat):  # alternately, so a busy machine slows both alike
            imports.append(import_once(workbook, work))
            text_imports.append(import_once(tsv, work))
        parses = [parse_once(workbook) for _ in range(args.repeat)]
    rows = parses[0][0]
    median_import = statistics.median(imports)
    print(f"| FY2022 .xlsx ({rows} rows, merged cells) | median of {args.repeat} | target |")
    print("|---|---|---|")
    print(f"| `renkei-site import list.xlsx` (fresh process) | {median_import:.2f} s | ≤ {TARGET_S:.0f} s |")
    print(f"| the same list from its tab-separated text, alike | {statistics.median(text_imports):.2f} s | |")
    print(
        f"| reading the workbook into its table (openpyxl imported) | {statistics.median(p[1] for p in parses):.3f} s | |"
    )


if __name__ == "__main__":
    main()
