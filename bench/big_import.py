"""The 100,000-project import: rows, distinct names, seconds per stage, peak memory of the tree.

    python bench/big_import.py [--rows 100000] [--jobs N]

A synthetic list (bench/synthetic.py: the FY2022 rows repeated with unique names) is imported
into a fresh copy of data/ in a fresh process, with ``-v`` so that each stage reports its time.
Memory is measured three ways, so that a short peak between two samples cannot hide:

- the proportional set size (PSS) of the import and all its descendants, summed over the tree
  at each sample (every 10 ms, from /proc; a page the forked workers share counts once): the
  figure held against the 1 GB target;
- the resident set size (RSS) summed over the tree at the same samples (a shared page counts
  once per process: an upper bound of what the tree holds at that moment);
- the largest peak RSS of any one process of the tree, exact (the kernel's high-water mark,
  ``ru_maxrss`` from wait4, which covers the import and every descendant it reaped).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import run as bench
import synthetic

TARGET_MB = 1000
SAMPLE_S = 0.01
STAGE_SECONDS = re.compile(r" in ([0-9.]+) s\b")
DISTINCT_NAMES = re.compile(r"read ([0-9,]+) (?:distinct )?names")


@dataclass
class Peaks:
    """The largest sums over the process tree seen so far, in kB."""

    pss: int = 0
    rss: int = 0
    samples: int = 0
    stage_pss: int = 0  # since the last stage ended


def sample(pid: int, peaks: Peaks, done: threading.Event) -> None:
    while not done.is_set():
        pss, rss = bench.tree_memory(pid)
        peaks.pss, peaks.rss, peaks.samples = max(peaks.pss, pss), max(peaks.rss, rss), peaks.samples + 1
        peaks.stage_pss = max(peaks.stage_pss, pss)
        time.sleep(SAMPLE_S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=None, help="import --jobs (default: one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="renkei-big-import-") as folder:
        work = Path(folder)
        source = work / "big.txt"
        source.write_bytes(synthetic.one_year(args.rows))
        data = bench.fresh_data(work)
        command = [sys.executable, "-m", "renkei_site.cli", "-v", "import", str(source), "--data", str(data)]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        env = {**os.environ, "PYTHONPATH": str(bench.ROOT / "src")}
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peaks, done = Peaks(), threading.Event()
        sampler = threading.Thread(target=sample, args=(process.pid, peaks, done), daemon=True)
        sampler.start()
        stages, names, last_line = [], None, ""
        for line in process.stderr:  # each stage as it ends
            line = line.rstrip()
            last_line = line or last_line
            print(f"{time.perf_counter() - started:7.1f} s  {line}  (tree PSS so far {peaks.pss / 1024:,.0f} MB)")
            if seconds := STAGE_SECONDS.search(line):
                stages.append((line, float(seconds.group(1)), peaks.stage_pss))
                peaks.stage_pss = 0
            if found := DISTINCT_NAMES.search(line):
                names = int(found.group(1).replace(",", ""))
        _, status, usage = os.wait4(process.pid, 0)  # ru_maxrss: the import and its reaped workers
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        code = os.waitstatus_to_exitcode(status)
        if code:
            sys.exit(f"import failed (exit {code}): {last_line}")
        report(args.rows, names, stages, elapsed, peaks, usage.ru_maxrss, data)


def report(rows: int, names: int | None, stages: list, elapsed: float, peaks: Peaks, maxrss: int, data: Path) -> None:
    size = (data / "2022" / "projects.yaml").stat().st_size / 1e6
    print(f"\nrows: {rows:,}")
    print(f"distinct names read with pykakasi: {names:,}" if names is not None else "distinct names: not reported")
    print("seconds per stage, and the tree PSS peak during it:")
    for line, seconds, pss in stages:
        print(f"  {seconds:8.2f} s  {pss / 1024:7,.0f} MB  {line}")
    verdict = "within" if peaks.pss / 1024 <= TARGET_MB else "OVER"
    print(f"import: {elapsed:.1f} s; records: {size:.0f} MB of YAML")
    print(f"peak memory: {peaks.pss / 1024:,.0f} MB tree PSS ({verdict} {TARGET_MB} MB)")
    print(f"  tree RSS (shared pages counted per process): {peaks.rss / 1024:,.0f} MB; {peaks.samples:,} samples")
    print(f"  largest single process, exact peak RSS: {maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
