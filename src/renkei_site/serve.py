"""`renkei-site serve`: preview on 127.0.0.1 and rebuild when the inputs change."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from . import cache, pipeline
from .errors import InputError
from .site.theme import site_theme


def snapshot(folders: list[Path]) -> dict[Path, int]:
    """mtime of every visible file under the watched folders (not data/.cache/, which builds write)."""
    existing = [folder for folder in folders if folder.exists()]
    return {p: p.stat().st_mtime_ns for p in cache.files_under(*existing)}


def rebuild(args, jobs: int | None = None) -> None:
    try:
        result = pipeline.build(args.data, args.out, **pipeline.theme_folders(args), jobs=jobs)
        if not args.quiet:
            print(f"rebuilt {result.files} files ({result.written} written)" if not result.unchanged else "no change")
    except InputError as error:
        for problem in error.problems:
            print(problem)
        print("build failed; still serving the previous site")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without a log line per request."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path, port: int = 0, log: bool = False) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 over ``folder`` (port 0: any free one); yields its base URL.
    Also used by the tests, the bench and the screenshot script."""
    kind = http.server.SimpleHTTPRequestHandler if log else QuietHandler
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(kind, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def serve(args, polls: int | None = None) -> int:
    """Serve ``args.out`` until interrupted (or for ``polls`` seconds, for tests)."""
    rebuild(args)
    folders = [args.data, *site_theme(None, **pipeline.theme_folders(args)).folders()]
    with serving(args.out, args.port, log=True) as base:
        print(f"serving {args.out} on {base} (Ctrl-C to stop)")
        seen = snapshot(folders)
        try:
            while polls is None or polls > 0:
                time.sleep(1)
                polls = None if polls is None else polls - 1
                now = snapshot(folders)
                if now != seen:
                    seen = now
                    rebuild(args, jobs=1)  # the server's thread is running: no fork (its locks would be copied)
        except KeyboardInterrupt:
            pass
    return 0
