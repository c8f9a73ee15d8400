"""The 100,000-project import: time, peak memory of the whole process tree, and where the time goes.

    python bench/big_import.py [--rows 100000] [--jobs N]

A synthetic list (bench/synthetic.py: the FY2022 rows repeated with unique names) is imported
into a fresh copy of data/ in a fresh process, with ``-v`` so that each step reports its time;
memory is sampled as bench/run.py does (PSS of the process and its children, every 20 ms).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import run as bench
import synthetic

TARGET_MB = 1000


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
        peak = [0.0]
        sampler = threading.Thread(target=bench.sample_memory, args=(process, peak), daemon=True)
        sampler.start()
        for line in process.stderr:  # each step as it ends
            print(
                f"{time.perf_counter() - started:7.1f} s  {line.rstrip()}  (peak so far {peak[0]:,.0f} MB)", flush=True
            )
        process.wait()
        elapsed = time.perf_counter() - started
        sampler.join()
        if process.returncode:
            sys.exit(f"import failed (exit {process.returncode})")
        size = (data / "2022" / "projects.yaml").stat().st_size / 1e6
        verdict = "within" if peak[0] <= TARGET_MB else "OVER"
        print(f"{args.rows:,} rows: import {elapsed:.1f} s, peak memory {peak[0]:,.0f} MB ({verdict} {TARGET_MB} MB)")
        print(f"records: {size:.0f} MB of YAML")


if __name__ == "__main__":
    main()
