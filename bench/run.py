"""Benchmark: import, build, rebuild, size and search speed for synthetic catalogues.

    python bench/run.py                      # 79, 1,000, 10,000 projects and 10 years × 1,000
    python bench/run.py --sizes 79 --series 0 --no-browser
    python bench/run.py --sizes 79,1000 --series 0 --no-browser   # with the PDF imports

The FY2022 and 1,000-project lists are also printed as A4 PDFs (Debian's
Chromium, scripts/make_test_pdfs.py) and imported from them (--no-pdf skips).

Every figure comes from a fresh process, as a user runs it.  Each full build is
timed beside the floor (bench/floor.py: the same files rendered straight, in one
process, with no cache), alternately, ``--repeat`` times each; the medians and
their ratio are printed.  Memory is the peak of the whole process tree's
proportional set size (PSS: a page shared by forked processes counts once,
split among them), sampled every 20 ms from /proc.  Prints one markdown table
(the README quotes it) with the targets beside the figures.

bench/compare.py holds a build against Debian's Hugo (bench/hugo.py makes a Hugo site of the
same pages) and the floor, per page, and times a rebuild after one edited note.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

import make_test_pdfs  # noqa: E402
import synthetic  # noqa: E402

WORK = ROOT / "bench" / "out"


@dataclass
class Figures:
    name: str
    projects: int
    import_s: float = 0.0
    import_mb: float = 0.0
    first_build_s: float = 0.0
    build_s: float = 0.0
    build_mb: float = 0.0
    floor_s: float = 0.0
    floor_mb: float = 0.0
    rebuild_s: float = 0.0
    rewritten: int = 0
    files: int = 0
    pages: int = 0
    site_mb: float = 0.0
    index_kb: float = 0.0
    index_gz_kb: float = 0.0
    search_ms: list[float] = field(default_factory=list)
    pdf_pages: int = 0
    pdf_import_s: float = 0.0
    pdf_import_mb: float = 0.0


def run(*args: str) -> tuple[float, float]:
    """Run ``renkei-site ARGS`` in a fresh process: (wall seconds, peak MB of its process tree)."""
    return timed([sys.executable, "-m", "renkei_site.cli", "-q", *args])


def timed(command: list[str]) -> tuple[float, float]:
    """Run a command: (wall seconds, peak PSS in MB of it and its children together)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RENKEI_SITE_CACHE": str(TEMPLATE_CACHE)}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    peak = [0.0]
    sampler = threading.Thread(target=sample_memory, args=(process, peak), daemon=True)
    sampler.start()
    code = process.wait()
    elapsed = time.perf_counter() - started
    sampler.join()
    if code:
        raise subprocess.CalledProcessError(code, command)
    return elapsed, peak[0]


def sample_memory(process: subprocess.Popen, peak: list[float]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], tree_pss(process.pid) / 1024)
        time.sleep(0.02)


def tree_pss(root: int) -> int:
    """KB of proportional set size of a process and all its descendants (Linux's /proc)."""
    return tree_memory(root)[0]


def tree_memory(root: int) -> tuple[int, int]:
    """(PSS, RSS) in kB of a process and all its descendants, summed (Linux's /proc)."""
    pss = rss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as handle:
                todo += [int(child) for child in handle.read().split()]
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return pss, rss


TEMPLATE_CACHE = WORK / "cache"  # the builds' compiled templates (else ~/.cache/renkei-site)
DELETED_RECENTLY_S = 65  # ext4 without a journal: see remove_last_run


def remove_last_run(work: Path) -> None:
    """Delete the last run's folders before anything is timed, and wait until the file system no
    longer pays for it.  ext4 without a journal (this machine's /) does not reuse an inode
    deleted less than 60 s ago, or 300 s while its inode table block is not written back
    (fs/ext4/ialloc.c, ``recently_deleted``), and each file created meanwhile looks past all of
    them: measured here, 0.1 ms a file and folder became 1 ms after a few 10,000-page sites were
    deleted.  So: delete, write everything back, wait 65 s."""
    if work.exists():
        shutil.rmtree(work)
        print(f"… waiting {DELETED_RECENTLY_S} s after deleting the last run's files", file=sys.stderr)
        os.sync()
        time.sleep(DELETED_RECENTLY_S)
    work.mkdir(parents=True)


def settle() -> None:
    """Let the file system finish the last step (writing back, deleting), so that it is not
    billed to the next."""
    os.sync()
    time.sleep(0.5)


def fresh_data(folder: Path) -> Path:
    data = folder / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("20[0-9][0-9]"))
    return data


def mtimes(site: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def scenario(name: str, lists: dict[int, bytes], projects: int, repeat: int) -> Figures:
    folder = WORK / name
    data = fresh_data(folder)
    figures = Figures(name, projects)
    imports = []
    for year, content in sorted(lists.items()):
        source = folder / f"list-{year}.txt"
        source.write_bytes(content)
        imports.append(run("import", str(source), "--data", str(data)))
    figures.import_s = sum(seconds for seconds, _ in imports)
    figures.import_mb = max(mb for _, mb in imports)
    out = folder / "_site"
    shutil.rmtree(TEMPLATE_CACHE, ignore_errors=True)
    settle()
    figures.first_build_s, _ = run("build", "--data", str(data), "--out", str(out))  # templates not compiled yet
    # Full builds into fresh folders with no build cache (deleting a large site first would bill
    # the file system's clean-up to the build), with the compiled templates the first build left,
    # each beside the floor: the same files rendered straight (bench/floor.py), taking turns.
    builds, floors = [], []
    for turn in range(repeat):
        fresh = folder / f"_site_full_{turn}"
        settle()
        builds.append(run("build", "--data", str(data), "--out", str(fresh)))
        settle()
        floor_command = [sys.executable, str(ROOT / "bench" / "floor.py"), "--data", str(data)]
        floors.append(timed([*floor_command, "--out", str(folder / f"_floor_{turn}")]))
    figures.build_s = statistics.median(seconds for seconds, _ in builds)
    figures.build_mb = max(mb for _, mb in builds)
    figures.floor_s = statistics.median(seconds for seconds, _ in floors)
    figures.floor_mb = max(mb for _, mb in floors)
    before = mtimes(out.resolve())
    figures.rebuild_s, _ = run("build", "--data", str(data), "--out", str(out))
    after = mtimes(out.resolve())
    figures.rewritten = sum(1 for p, stamp in after.items() if before.get(p) != stamp)
    site = out.resolve()
    files = [p for p in site.rglob("*") if p.is_file()]
    figures.files = len(files)
    figures.pages = sum(1 for p in files if p.suffix == ".html")
    figures.site_mb = sum(p.stat().st_size for p in files) / 1e6
    index = (site / "search-index.js").read_bytes()
    figures.index_kb = len(index) / 1000
    figures.index_gz_kb = len(gzip.compress(index, mtime=0)) / 1000
    return figures


def pdf_import(figures: Figures) -> None:
    """Print the list as an A4 PDF (as scripts/make_test_pdfs.py does) and time its import."""
    import pypdfium2  # comes with pdfplumber

    folder = WORK / figures.name / "pdf"
    data = fresh_data(folder)
    source = folder / "list.pdf"
    make_test_pdfs.make_list_pdf(source, "a4", make_test_pdfs.synthetic_rows(figures.projects))
    figures.pdf_pages = len(pypdfium2.PdfDocument(str(source)))
    figures.pdf_import_s, figures.pdf_import_mb = run("import", str(source), "--data", str(data))


def table(rows: list[Figures]) -> str:
    def cell(value: float, unit: str, digits: int = 2) -> str:
        return f"{value:.{digits}f} {unit}"

    head = [
        "| | " + " | ".join(f"{r.name}" for r in rows) + " | target |",
        "|---|" + "---|" * (len(rows) + 1),
    ]
    lines = [
        ("projects", [f"{r.projects:,}" for r in rows], ""),
        ("import (all lists)", [cell(r.import_s, "s") for r in rows], "10,000 ≤ 10 s"),
        ("import peak memory", [cell(r.import_mb, "MB", 0) for r in rows], ""),
        (
            "import from the PDF (pages)",
            [f"{r.pdf_import_s:.2f} s ({r.pdf_pages})" if r.pdf_pages else "–" for r in rows],
            "FY2022 ≤ 3 s; 1,000 ≤ 30 s",
        ),
        ("PDF import peak memory", [cell(r.pdf_import_mb, "MB", 0) if r.pdf_pages else "–" for r in rows], ""),
        ("first build (templates not yet compiled)", [cell(r.first_build_s, "s") for r in rows], ""),
        ("full build", [cell(r.build_s, "s") for r in rows], "FY2022 ≤ 0.3 s; 10,000 ≤ 5.5 s"),
        ("floor: the same files rendered straight", [cell(r.floor_s, "s") for r in rows], ""),
        ("full build ÷ floor", [f"{r.build_s / r.floor_s:.2f}" for r in rows], "10,000 ≤ 0.75"),
        ("build peak memory (all processes)", [cell(r.build_mb, "MB", 0) for r in rows], "10,000 ≤ 400 MB"),
        ("floor peak memory", [cell(r.floor_mb, "MB", 0) for r in rows], ""),
        ("pages per second", [f"{r.pages / r.build_s:,.0f}" for r in rows], ""),
        ("no-change rebuild", [cell(r.rebuild_s, "s") for r in rows], "FY2022 ≤ 0.3 s"),
        ("files rewritten by it", [str(r.rewritten) for r in rows], "0"),
        ("files (HTML pages)", [f"{r.files:,} ({r.pages:,})" for r in rows], ""),
        ("site size", [cell(r.site_mb, "MB", 1) for r in rows], ""),
        (
            "search index raw / gzip",
            [f"{r.index_kb:,.0f} / {r.index_gz_kb:,.1f} KB" for r in rows],
            "FY2022 < 30 KB gz",
        ),
        (
            "keystroke → results (median / max)",
            [f"{statistics.median(r.search_ms):.1f} / {max(r.search_ms):.1f} ms" if r.search_ms else "–" for r in rows],
            "10,000 < 50 ms",
        ),
    ]
    return "\n".join(
        head + [f"| {label} | " + " | ".join(values) + f" | {target} |" for label, values, target in lines]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="79,1000,10000", help="one-year catalogues to build")
    parser.add_argument("--series", type=int, default=10, help="years of 1,000 projects (0: skip)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium search timing")
    parser.add_argument("--no-pdf", action="store_true", help="skip printing FY2022 and 1,000 as PDF and importing it")
    parser.add_argument("--repeat", type=int, default=3, help="full builds and floors per catalogue (median)")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)  # as an install does
    remove_last_run(WORK)
    print(f"… load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", file=sys.stderr)
    results = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        name = "FY2022" if size == 79 else f"{size:,}"
        print(f"… {name}", file=sys.stderr)
        results.append(scenario(name, {2022: synthetic.one_year(size)}, size, args.repeat))
        if size <= 1000 and not args.no_pdf:
            pdf_import(results[-1])
    if args.series:
        years = list(range(2023 - args.series, 2023))
        print(f"… {args.series} years × 1,000", file=sys.stderr)
        lists = synthetic.series(1000, years)
        results.append(scenario(f"{args.series} y × 1,000", lists, 1000 * args.series, args.repeat))
    if not args.no_browser:
        for figures in results:
            site = (WORK / figures.name / "_site").resolve()
            figures.search_ms = keystroke_times(site, ["長野", "kawasaki", "すいどう", "水素"])
    print(table(results))
    print(f"… load average {os.getloadavg()[0]:.2f} at the end", file=sys.stderr)


KEYSTROKE_PROBE = """() => {
  window.__times = [];
  let started = 0;
  // beforeinput comes first for a typed key and for IME text alike
  document.addEventListener('beforeinput', () => { started = performance.now(); }, true);
  document.getElementById('search-form').addEventListener('input', () => {
    window.__times.push(performance.now() - started);  // runs after search.js has rebuilt the list
  });
  document.getElementById('q').focus();
}"""


def keystroke_times(site: Path, queries: list[str]) -> list[float]:
    """Milliseconds from each keystroke to the rebuilt result list, typing in headless Chromium."""
    from playwright.sync_api import sync_playwright

    from renkei_site.serve import serving

    times: list[float] = []
    with serving(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        for query in queries:
            page.goto(f"{base}search/index.html")
            page.evaluate(KEYSTROKE_PROBE)
            for char in query:
                page.keyboard.type(char)
                page.wait_for_timeout(20)
            times += page.evaluate("() => window.__times")
        browser.close()
    return times


if __name__ == "__main__":
    main()
