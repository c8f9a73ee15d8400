"""The `renkei-site` command: import, build, export, check, diff, serve."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from . import pipeline
from .errors import InputError
from .forks import JOBS_VARIABLE, ChildError, PlainError
from .locks import Busy
from .resolve.reference import load_reference

READERS = ("export", "check", "diff", "search")  # commands that only read data/ (import and build lock it themselves)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with pipeline.reading(args.data, args.command) if args.command in READERS else contextlib.nullcontext():
            return args.run(args) or 0
    except BrokenPipeError:  # `renkei-site search … | head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(
            f"renkei-site {args.command}: {count} problem{'s' if count != 1 else ''}; nothing written",
            file=sys.stderr,
        )
        return 1
    except (PlainError, ChildError, Busy, FileNotFoundError, NotADirectoryError) as error:
        print(f"renkei-site {args.command}: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a folder it may not write in: one line, no traceback
        print(f"renkei-site {args.command}: {os_problem(error)}", file=sys.stderr)
        return 1


def command(argv: list[str] | None = None) -> NoReturn:
    """The console command: ``main``, then leave the process at once with its exit code.

    The interpreter's own exit would free the loaded catalogue object by object (0.2–0.3 s at
    10,000 projects, a sixth of a one-note rebuild) for a process that has nothing left to do:
    every file ``main`` writes is closed and renamed into place, every lock released and every
    forked worker joined before it returns, and nothing here registers exit handlers.  Only the
    output buffers are still to be written; they are flushed first.
    """
    code = main(argv)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that is gone, a closed stream
            stream.flush()
    os._exit(code)


def os_problem(error: OSError) -> str:
    """``cannot use FILE: why`` (the system's words) for an OSError that carries no more."""
    where = " ".join(f"{name}" for name in (error.filename, error.filename2) if name)
    return f"cannot use {where}: {error.strerror or error}" if where else f"{error.strerror or error}"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="renkei-site", description=__doc__)
    top.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    top.add_argument("-v", "--verbose", action="store_true", help="print more detail")
    sub = top.add_subparsers(dest="command", required=True)

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help)
        p.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data/)")
        # also accepted after the command; SUPPRESS keeps the top-level value when absent
        p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only problems")
        p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="print more detail")
        p.set_defaults(run=run)
        return p

    p = command("import", run_import, "read a yearly list into data/<year>/")
    p.add_argument("source", type=Path, help="the list, known by its bytes: " + "; ".join(list_forms()))
    p.add_argument("--force", action="store_true", help="replace a year that was already imported")
    p.add_argument("--year", type=int, help="fiscal year, if the title does not give it")
    p.add_argument("--as-of", help="as-of date YYYY-MM-DD, if the title does not give it")
    p.add_argument("--source-url", help="where Tokyo published the list (kept with the year, linked from its pages)")
    p.add_argument(
        "--allow-gaps", action="store_true", help="numbers the No. column skips are real (recorded in the year)"
    )
    jobs(p, "read names and write the records")
    p = command("build", run_build, "build the site from data/")
    p.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default: _site/)")
    p.add_argument("--base-url", help="public URL of the site: adds canonical links, OGP tags and sitemap.xml")
    theme_options(p)
    jobs(p, "render pages")
    p = command("export", run_export, "print a year's records, or write any download of the site")
    p.add_argument(
        "what",
        choices=("projects", "partners", *download_names()),
        help="projects or partners (printed as --format), or a download's file name (its bytes, as the site has it)",
    )
    p.add_argument("--year", type=int, help="fiscal year (default: the latest)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", type=Path, help="write the download to this file (default: standard output)")
    command("check", run_check, "validate data/ and list corrected, ambiguous and unresolved partners")
    p = command("diff", run_diff, "what changed between two fiscal years")
    p.add_argument("old", type=int)
    p.add_argument("new", type=int)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = command("search", run_search, "search the catalogue as the site's search box does")
    p.add_argument("query", nargs="+", help="terms, all of which must match: places (京都, kyoto, きょうと) or words")
    for name in ("year", "field", "bureau", "pref", "status"):
        p.add_argument(f"--{name}", help=f"only projects with this {name} (as the search page's filters)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = command(
        "serve",
        run_serve,
        "preview on 127.0.0.1, rebuilding when data/, templates/ or static/ change",
    )
    p.add_argument("--out", type=Path, default=Path("_site"))
    p.add_argument("--port", type=int, default=8000)
    theme_options(p)
    return top


def theme_options(p: argparse.ArgumentParser) -> None:
    for name in ("templates", "static"):
        p.add_argument(
            f"--{name}",
            type=Path,
            help=f"the site's own {name} folder: a file there replaces the package's of the same name "
            f"(default: {name}/ beside the data folder, when there is one)",
        )


def list_forms() -> list[str]:
    """What each reader of read/parse.READERS reads (imported here only to describe them)."""
    from .read.parse import READERS

    return [reader.what for reader in READERS]


def jobs(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        help=f"processes that {what} (default: ${JOBS_VARIABLE}, else one per core; 1: all in this one, for debugging)",
    )


def say(args, text: str) -> None:
    if not args.quiet:
        print(text)


def progress(args):
    """Where a long run reports what it is doing: --verbose prints every step on stderr; on a
    terminal one status line is redrawn; otherwise (logs, CI) and with --quiet, nothing."""
    if args.quiet:
        return pipeline.quiet
    if args.verbose:
        return lambda message: print(message, file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        return lambda message: print(f"\r{message}\033[K", end="", file=sys.stderr, flush=True)
    return pipeline.quiet


def end_progress(args) -> None:
    if not args.quiet and not args.verbose and sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def run_import(args) -> int:
    result = pipeline.import_list(
        args.source,
        args.data,
        args.force,
        args.year,
        args.as_of,
        progress(args),
        jobs=args.jobs,
        source_url=args.source_url,
        allow_gaps=args.allow_gaps,
    )
    end_progress(args)
    for line in result.report:
        say(args, line)
    say(args, f"wrote {result.path}")
    return 0


def run_build(args) -> int:
    started = time.perf_counter()
    result = pipeline.build(
        args.data, args.out, args.base_url, **pipeline.theme_folders(args), progress=progress(args), jobs=args.jobs
    )
    end_progress(args)
    elapsed = time.perf_counter() - started
    if result.unchanged:
        say(args, f"{args.out}: {result.files} files, nothing changed ({elapsed:.2f} s)")
    else:
        say(
            args,
            f"{args.out}: {result.files} files, {result.written} written, {result.linked} unchanged, "
            f"{result.removed} removed ({elapsed:.2f} s)",
        )
    return 0


def latest_year(args, years):
    if not years:
        raise InputError.at(str(args.data), 1, "no fiscal year imported yet (renkei-site import LIST)")
    chosen = [y for y in years if args.year in (None, y.fiscal_year)]
    if not chosen:
        raise InputError.at(str(args.data), 1, f"no data for fiscal year {args.year}")
    return chosen[-1]


def download_names() -> list[str]:
    from .site.downloads import DOWNLOADS

    return [download.name for download in DOWNLOADS]


def run_export(args) -> int:
    from .site import downloads

    reference = load_reference(args.data)
    years = pipeline.load_years(args.data, reference)
    year = latest_year(args, years)
    if args.what in downloads.DOWNLOAD_BY_NAME:
        return export_download(args, downloads.DOWNLOAD_BY_NAME[args.what], years, reference, year)
    if args.what == "projects":
        notes = pipeline.load_pages_and_notes(args.data, years, reference)
        rows, fields = [downloads.project_row(p, notes) for p in year.projects], downloads.PROJECT_FIELDS
    else:
        rows, fields = downloads.partner_rows(year), downloads.PARTNER_FIELDS
    if args.format == "json":
        downloads.write_json(rows, sys.stdout)
    else:
        downloads.write_csv(rows, fields, sys.stdout)
    return 0


def export_download(args, download, years, reference, year) -> int:
    """One download of the registry (site/downloads.py), byte for byte as the site serves it."""
    from .model import Catalogue

    notes = pipeline.load_pages_and_notes(args.data, years, reference)
    data = download.make(Catalogue(years, reference, notes=notes), year if download.scope == "year" else None)
    if args.out:
        args.out.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def run_check(args) -> int:
    from .years import report

    reference = load_reference(args.data)
    years = pipeline.load_years(args.data, reference, require_names=True)
    notes = pipeline.load_pages_and_notes(args.data, years, reference)
    unresolved = 0
    for year in years:
        for line in report.review_lines(year, reference):
            print(line)
        unresolved += sum(1 for p in year.projects for m in p.mentions if m.kind == "unresolved")
    mentions = sum(len(p.mentions) for y in years for p in y.projects)
    say(
        args,
        f"checked {len(years)} year(s), {sum(len(y.projects) for y in years)} projects, "
        f"{mentions} mentions: {unresolved} unresolved",
    )
    say(args, f"checked {len(notes.pages)} page(s) in data/pages/, {len(notes.notes)} note(s) in data/notes/")
    return 1 if unresolved else 0


def run_diff(args) -> int:
    from .years.diff import diff_lines, diff_to_json, diff_years

    reference = load_reference(args.data)
    years = {y.fiscal_year: y for y in pipeline.load_years(args.data, reference)}
    for wanted in (args.old, args.new):
        if wanted not in years:
            raise InputError.at(str(args.data), 1, f"no data for fiscal year {wanted}")
    diff = diff_years(years[args.old], years[args.new], reference)
    if args.format == "json":
        print(json.dumps(diff_to_json(diff), ensure_ascii=False, sort_keys=True, indent=1))
    else:
        print("\n".join(diff_lines(diff)))
    return 0


def run_search(args) -> int:
    from .site.query import FILTERS, answer_json, answer_lines

    index = pipeline.search_index(args.data)
    query = " ".join(args.query)
    answer = index.search(query, {name: getattr(args, name) or "" for name in FILTERS})
    if args.format == "json":
        print(json.dumps(answer_json(index, query, answer), ensure_ascii=False, sort_keys=True, indent=1))
    else:
        print("\n".join(answer_lines(index, answer)))
    return 0


def run_serve(args) -> int:
    from .serve import serve

    return serve(args)


if __name__ == "__main__":
    command()
