"""`renkei-site serve`: preview on 127.0.0.1 and rebuild when the inputs change."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
import traceback
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

from . import cache, pipeline
from .errors import InputError
from .forks import ChildError, PlainError
from .locks import Busy
from .site.theme import site_theme


def snapshot(folders: list[Path]) -> dict[Path, int]:
    """mtime of every visible file under the watched folders (not data/.cache/, which builds write)."""
    existing = [folder for folder in folders if folder.exists()]
    return {p: p.stat().st_mtime_ns for p in cache.files_under(*existing)}


def rebuild(args, jobs: int | None = None) -> bool:
    """Build the site again; whatever goes wrong is reported and the last good site stays served.
    True when the build succeeded."""
    try:
        result = pipeline.build(args.data, args.out, **pipeline.theme_folders(args), jobs=jobs)
    except InputError as error:
        for problem in error.problems:
            print(problem)
    except (PlainError, ChildError, Busy, OSError) as error:  # a full disk, another build …: one line
        print(f"renkei-site serve: {error}")
    except Exception:  # a bug: its traceback, and the server goes on
        traceback.print_exc()
    else:
        if not args.quiet:
            print(f"rebuilt {result.files} files ({result.written} written)" if not result.unchanged else "no change")
        return True
    print("build failed; still serving the previous site")
    return False


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files; a path no file can have (a NUL byte, /%00) is a 400, not a
    traceback in the server's log."""

    def send_head(self):
        try:
            return super().send_head()
        except ValueError:  # embedded null byte, a path that is not text
            self.send_error(HTTPStatus.BAD_REQUEST, "no such file")
            return None


class QuietHandler(Handler):
    """Serves files without a log line per request."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path, port: int = 0, log: bool = False) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 over ``folder`` (port 0: any free one); yields its base URL.
    Also used by the tests, the bench and the screenshot script."""
    kind = Handler if log else QuietHandler
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
