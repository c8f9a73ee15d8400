"""Benchmark: renkei-site against Debian's Hugo and the floor, per page and for one edited note.

    python bench/compare.py                         # FY2022 (the real list) and 10,000 projects
    python bench/compare.py --sizes FY2022 --repeat 3

For each catalogue: the real FY2022 data as it is (every municipality page as the build makes
them), or N synthetic projects (bench/synthetic.py, imported first, untimed):

- ``renkei-site build`` cold: into a folder that never existed, with no build cache beside it,
  the templates compiled (a first build, untimed, compiles them, as any earlier build on a
  machine has);
- ``hugo --quiet`` on the same pages (bench/hugo.py makes its source from that first build's
  manifest: one content file per page) into a folder that never existed;
- the floor (bench/floor.py: the same files rendered straight, in one process);
- one edited note: a project's note written (then changed) in the data, and ``renkei-site build``
  again into the same folder as the first cold build.

Each is a whole process timed from outside, ``--repeat`` times (≥ 3 for figures to quote), the
three taking turns; the best and the median are printed, with the 1-minute load average before
each run (so a loaded run shows), and the ratios the targets of issue 25 are about.  Work
folders under bench/out/compare/ (the last run's are deleted first, then 65 s waited: this disk
creates files slowly just after thousands were deleted, bench/run.py ``remove_last_run``).  Without ``hugo`` on PATH the bench
says how to install it and leaves the Hugo figures out.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import hugo  # noqa: E402
import run  # noqa: E402
import synthetic  # noqa: E402

WORK = ROOT / "bench" / "out" / "compare"
TEMPLATE_CACHE = WORK / "cache"  # the builds' compiled templates (else ~/.cache/renkei-site)
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RENKEI_SITE_CACHE": str(TEMPLATE_CACHE)}


@dataclass(frozen=True)
class Runs:
    """One thing timed ``len(seconds)`` times, with the load average before each run."""

    seconds: tuple[float, ...]
    loads: tuple[float, ...]
    pages: int  # HTML files written
    files: int  # all files written
    megabytes: float

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def per_page_ms(self, seconds: float) -> float:
        return 1000 * seconds / self.pages


@dataclass(frozen=True)
class Scenario:
    name: str
    ours: Runs
    floor: Runs
    edit: Runs
    hugo: Runs | None


def measure(what: str, command: list[str]) -> tuple[float, float]:
    """(the 1-minute load average just before, wall seconds of the whole process); logged."""
    os.sync()
    time.sleep(0.5)  # writing back the last step's files is not billed to this one
    load = os.getloadavg()[0]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True)
    seconds = time.perf_counter() - started
    print(f"…   {what}: {seconds:.2f} s (load {load:.2f} before)", file=sys.stderr)
    return load, seconds


def build(data: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "renkei_site.cli", "-q", "build", "--data", str(data), "--out", str(out)]


def floor(data: Path, out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "floor.py"), "--data", str(data), "--out", str(out)]


def written(site: Path) -> tuple[int, int, float]:
    """(HTML pages, files, MB) of a built site (the build's manifest not counted)."""
    root = site.resolve()
    paths = [Path(top, name) for top, _, names in os.walk(root) for name in names if name != ".manifest.json"]
    return sum(p.suffix == ".html" for p in paths), len(paths), sum(p.stat().st_size for p in paths) / 1e6


def runs(timings: list[tuple[float, float]], site: Path) -> Runs:
    return Runs(tuple(s for _, s in timings), tuple(load for load, _ in timings), *written(site))


def first_project(data: Path) -> tuple[str, str]:
    """(year, id) of the first project of the first year in ``data``."""
    year = min(p.name for p in data.iterdir() if re.fullmatch(r"20\d\d", p.name))
    match = re.search(r"^- id: '?([^'\n]+)'?$", (data / year / "projects.yaml").read_text("utf-8"), re.M)
    if match is None:
        raise SystemExit(f"{data / year / 'projects.yaml'}: no project id, so no note to edit")
    return year, match.group(1)


def note_text(turn: int) -> str:
    return f"ベンチの編集 {turn + 1} 回目:この事業の連携先を確認した。"


def edit_note(data: Path, turn: int) -> str:
    """Write (turn 0) or change the note on the first project: one edited note; its page."""
    year, project = first_project(data)
    note = data / "notes" / "projects" / year / f"{project}.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(f"## 編集部の注記\n\n{note_text(turn)}\n", "utf-8")
    return f"{year}/projects/{project}/index.html"


def note_shown(site: Path, page: str, turn: int) -> None:
    """Stop the bench if the rebuild did not put the edited note on its page."""
    if note_text(turn) not in (site / page).read_text("utf-8"):
        raise SystemExit(f"{site / page}: the edited note is not on the page after the rebuild")


def scenario(name: str, data: Path, repeat: int, hugo_exe: str | None) -> Scenario:
    folder = data.parent
    first = folder / "_site_first"
    subprocess.run(build(data, first), cwd=ROOT, env=ENV, check=True)  # compiles the templates
    if hugo_exe:
        hugo.make_site(first.resolve(), folder / "hugo")
    ours, theirs, floors = [], [], []
    for turn in range(repeat):
        print(f"… {name}: turn {turn + 1} of {repeat}", file=sys.stderr)
        ours.append(measure("renkei-site build", build(data, folder / f"_site_{turn}")))
        if hugo_exe:
            theirs.append(measure("hugo", hugo.command(hugo_exe, folder / "hugo", folder / f"_hugo_{turn}")))
        floors.append(measure("floor", floor(data, folder / f"_floor_{turn}")))
    edits = []
    for turn in range(repeat):
        page = edit_note(data, turn)
        edits.append(measure("one note edited, build", build(data, folder / "_site_0")))
        note_shown(folder / "_site_0", page, turn)
    result = Scenario(
        name,
        ours=runs(ours, folder / "_site_1" if repeat > 1 else first),
        floor=runs(floors, folder / "_floor_0"),
        edit=runs(edits, folder / "_site_0"),
        hugo=runs(theirs, folder / "_hugo_0") if hugo_exe else None,
    )
    if result.hugo and result.hugo.pages != result.ours.pages:
        print(f"… {name}: Hugo made {result.hugo.pages} pages, renkei-site {result.ours.pages}", file=sys.stderr)
    return result


def real_data(folder: Path) -> Path:
    data = folder / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".cache", ".lock"))
    return data


def synthetic_data(folder: Path, projects: int) -> Path:
    data = folder / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("20[0-9][0-9]", ".cache", ".lock"))
    source = folder / "list-2022.txt"
    source.write_bytes(synthetic.one_year(projects))
    command = [sys.executable, "-m", "renkei_site.cli", "-q", "import", str(source), "--data", str(data)]
    subprocess.run(command, cwd=ROOT, env=ENV, check=True)
    return data


def timing(r: Runs) -> str:
    low, high = min(r.loads), max(r.loads)
    return f"{r.best:.2f} / {r.median:.2f} s (load {low:.1f}–{high:.1f})"


def per_page(r: Runs) -> str:
    return f"{r.per_page_ms(r.best):.2f} / {r.per_page_ms(r.median):.2f} ms"


LABELS = (  # the rows of the table, each with its target (issue 25)
    ("HTML pages: renkei-site / Hugo / floor", ""),
    ("files, MB: renkei-site / Hugo / floor", ""),
    ("renkei-site cold build", ""),
    ("per page", ""),
    ("Hugo cold build", ""),
    ("per page", ""),
    ("floor (bench/floor.py)", ""),
    ("per page", ""),
    ("renkei-site ÷ Hugo, per page", "FY2022 ≤ 1; 10,000 ≤ 0.75"),
    ("renkei-site ÷ floor", "10,000 ≤ 0.75"),
    ("one note edited, then build (same --out)", ""),
    ("edit ÷ cold build", "10,000 ≤ 0.2"),
)


def column(s: Scenario) -> list[str]:
    """The cells of one catalogue, in the order of LABELS."""
    ours, theirs, floor_ = s.ours, s.hugo, s.floor
    missing = "– (no hugo)"
    return [
        f"{ours.pages:,} / {f'{theirs.pages:,}' if theirs else '–'} / {floor_.pages:,}",
        " / ".join(f"{r.files:,}, {r.megabytes:.1f}" if r else "–" for r in (ours, theirs, floor_)),
        timing(ours),
        per_page(ours),
        timing(theirs) if theirs else missing,
        per_page(theirs) if theirs else missing,
        timing(floor_),
        per_page(floor_),
        ratio(per_page_pair(ours), per_page_pair(theirs)) if theirs else missing,
        ratio((ours.best, ours.median), (floor_.best, floor_.median)),
        timing(s.edit),
        ratio((s.edit.best, s.edit.median), (ours.best, ours.median)),
    ]


def per_page_pair(r: Runs) -> tuple[float, float]:
    return r.per_page_ms(r.best), r.per_page_ms(r.median)


def ratio(a: tuple[float, float], b: tuple[float, float]) -> str:
    """Ratio of the bests / ratio of the medians."""
    return f"{a[0] / b[0]:.2f} / {a[1] / b[1]:.2f}"


def table(scenarios: list[Scenario], repeat: int) -> str:
    """One markdown table: best / median of ``repeat`` runs, ratios of the bests / of the medians."""
    head = [
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} cores, best / median of {repeat} runs "
        "(whole processes; ratios of the bests / of the medians; load: 1-minute average before each run)",
        "",
        "| | " + " | ".join(s.name for s in scenarios) + " | target |",
        "|---|" + "---|" * (len(scenarios) + 1),
    ]
    columns = [column(s) for s in scenarios]
    body = [
        f"| {label} | " + " | ".join(cells[row] for cells in columns) + f" | {target} |"
        for row, (label, target) in enumerate(LABELS)
    ]
    return "\n".join(head + body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="FY2022,10000", help="FY2022 (the real list) and/or numbers of projects")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (best and median; ≥ 3 to quote)")
    args = parser.parse_args()
    hugo_exe = hugo.find()
    if hugo_exe is None:
        print(f"… no hugo on PATH: the Hugo figures are left out. Install it: {hugo.INSTALL}", file=sys.stderr)
    else:
        version = subprocess.run([hugo_exe, "version"], capture_output=True, text=True).stdout.strip()
        print(f"… {version}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)  # as an install does
    run.remove_last_run(WORK)
    scenarios = []
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        name = "FY2022" if size.upper() == "FY2022" else f"{int(size):,} projects"
        folder = WORK / name.split()[0].replace(",", "")
        print(f"… {name}", file=sys.stderr)
        data = real_data(folder) if name == "FY2022" else synthetic_data(folder, int(size))
        scenarios.append(scenario(name, data, args.repeat, hugo_exe))
    print(table(scenarios, args.repeat))
    print(f"… load average {os.getloadavg()[0]:.2f} at the end", file=sys.stderr)


if __name__ == "__main__":
    main()
