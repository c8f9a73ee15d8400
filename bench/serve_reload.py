"""Benchmark: from a saved note to the new page served by `renkei-site serve` (issue 25: ≤ 0.3 s).

    python bench/serve_reload.py              # 5 saves
    python bench/serve_reload.py --rounds 10

The bundled FY2022 data (what the README's quick start builds: 79 projects, a page for every
municipality) is copied to bench/out/serve-reload/; `renkei-site serve` runs on it in a
subprocess.  Once it serves, each round opens the event stream of project 001's page (as the
page's reload script does in a browser: serve builds the open pages first), writes a new note
on the project and asks for the page's address until the note's text is in it (every 2 ms once
``_site`` points at a new generation, every 20 ms before: requests to serve take time from its
build).  Printed per round and as median / max, in ms from the note's write:

- seen:    the build began (serve prints how long its build took: its end minus that);
- swapped: ``_site`` points at a new generation (read here every 2 ms): the open page's;
- served:  the page with the note came back to a request;
- built:   serve's build returned (after the first swap: the rest of what the note changed, the
           search index and the downloads, in a generation of their own).

So seen is the detection (the scan every 30 ms and one more to see the save held still),
swapped − seen the build up to its swap, served − swapped the serving.  Also the cost of one
scan of what serve watches (data/ and the theme's folders).  Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402

from renkei_site import pipeline  # noqa: E402
from renkei_site.serve import scan  # noqa: E402
from renkei_site.site.theme import site_theme  # noqa: E402

WORK = ROOT / "bench" / "out" / "serve-reload"
PAGE = "2022/projects/001/index.html"
STAMPS = ("seen", "swapped", "served", "built")
ASK_EVERY = 0.02  # s between two requests for the page before the swap (requests take the build's core)


class Serve:
    """`renkei-site serve` in a subprocess; each line of its output with the time it came."""

    def __init__(self, data: Path, out: Path):
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "renkei_site.cli", "serve", "--data", str(data), "--out", str(out)]
        self.process = subprocess.Popen(
            [*command, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self.read, daemon=True).start()
        self.base = self.next_line("serving ")[1].split(" on ")[1].split()[0]

    def read(self) -> None:
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line))

    def next_line(self, *starts: str, timeout: float = 600) -> tuple[float, str]:
        while True:
            when, line = self.lines.get(timeout=timeout)
            if line.startswith(starts):
                return when, line

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode("utf-8")


def watch_page(server: Serve) -> None:
    """Open the page's event stream as the page's reload script does in a browser (serve builds
    the pages open in a browser first); it ends when serve tells the page to reload."""
    digest = fetch(server.base + PAGE).split('data-digest="')[1].split('"')[0]
    query = urllib.parse.urlencode({"page": "/" + PAGE, "digest": digest})
    stream = urllib.request.urlopen(f"{server.base}__renkei-site/events?{query}", timeout=600)
    stream.readline()  # serve has it open
    threading.Thread(target=lambda: (stream.read(), stream.close()), daemon=True).start()


def one_save(server: Serve, out: Path, note: Path, text: str) -> dict[str, float]:
    """Write the note; the stamps of STAMPS in ms from the write."""
    watch_page(server)
    before = os.readlink(out)
    swapped = None
    written = time.perf_counter()
    note.write_text(f"{text}\n", encoding="utf-8")
    asked = written
    while True:
        now = time.perf_counter()
        if swapped is None and os.readlink(out) != before:
            swapped = now
        if swapped is not None or now - asked >= ASK_EVERY:
            asked = now
            if text in fetch(server.base + PAGE):
                served = time.perf_counter()
                break
        time.sleep(0.002)
    built, line = server.next_line("rebuilt ", "build failed", "no change")
    if not line.startswith("rebuilt "):
        raise SystemExit(f"serve did not rebuild: {line.strip()}")
    seen = built - float(line.split(" in ")[1].split()[0])
    swapped = swapped if swapped is not None else served
    return {name: (stamp - written) * 1000 for name, stamp in zip(STAMPS, (seen, swapped, served, built), strict=True)}


def scan_ms(data: Path) -> tuple[float, int]:
    """The cost of one of serve's scans of data/ and the theme's folders, and the files it sees."""
    folders = [data, *site_theme(None, **pipeline.theme_folders(argparse.Namespace(data=data))).folders()]
    scan(folders)
    started, times = time.perf_counter(), 200
    for _ in range(times):
        files = scan(folders)
    return (time.perf_counter() - started) / times * 1000, len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="notes saved, one after the other")
    args = parser.parse_args()
    run.remove_last_run(WORK)  # and wait: files made just after many were deleted cost 10x here
    data, out = WORK / "data", WORK / "_site"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".cache", "notes"))
    note = data / "notes" / "projects" / "2022" / "001.md"
    note.parent.mkdir(parents=True)
    print(f"… load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; first build", file=sys.stderr)
    server = Serve(data, out)
    try:
        pages = sum(1 for _ in out.rglob("index.html"))
        rounds = []
        for number in range(args.rounds):
            time.sleep(1)  # serve idle again, as between an editor's saves
            rounds.append(one_save(server, out, note, f"ベンチの注記 {number} {time.time_ns()}"))
            print("round", number + 1, "  ".join(f"{k} {v:.0f} ms" for k, v in rounds[-1].items()), file=sys.stderr)
    finally:
        server.stop()
    cost, files = scan_ms(data)
    print(f"FY2022 site of {pages:,} pages, {args.rounds} saved notes; ms from the write (median / max):")
    for name in STAMPS:
        values = [r[name] for r in rounds]
        print(f"  {name:8} {statistics.median(values):8.0f} / {max(values):.0f}")
    print(f"one scan of what serve watches: {cost:.2f} ms ({files} files), every 30 ms")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
