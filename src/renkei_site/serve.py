"""`renkei-site serve`: preview on 127.0.0.1, rebuild when the inputs change, and reload the
open pages whose files changed (reload.py)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import cache, pipeline, reload
from .errors import InputError
from .forks import ChildError, PlainError
from .locks import Busy
from .site.build import Session
from .site.theme import site_theme

POLL = 0.03  # seconds between two scans of the inputs: a save is seen within this, a burst ends in one build
KEEPALIVE = 10.0  # seconds between two comments on an idle event stream: a closed page ends its stream
Scan = dict[str, tuple[int, int, int]]


def scan(folders: list[Path]) -> Scan:
    """(mtime, size, inode) of every visible file under the folders: what `build` fingerprints
    (cache.files_under: no dot file or folder, such as data/.cache/, which builds write)."""
    found: Scan = {}
    pending = [str(folder) for folder in folders]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # not there (yet), or gone meanwhile
            continue
        for entry in entries:
            if cache.hidden(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.is_file():
                    stat = entry.stat()
                    found[entry.path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            except OSError:
                continue
    return found


class Watcher:
    """Tells when to build: the inputs differ from those of the last build, and held still for
    one poll (so a burst of saves, a checkout or an editor's save-all, is one build of the end)."""

    def __init__(self, look: Callable[[], Scan]):
        self.look = look
        self.built = self.last = look()

    def poll(self) -> bool:
        now = self.look()
        settled, self.last = now == self.last, now
        if settled and now != self.built:
            self.built = now  # taken before the build: a save made while it runs is a change again
            return True
        return False


def rebuild(args, jobs: int | None = None, session: Session | None = None) -> bool:
    """Build the site again; whatever goes wrong is reported and the last good site stays served.
    True when the build succeeded."""
    started = time.perf_counter()
    try:
        result = pipeline.build(args.data, args.out, **pipeline.theme_folders(args), jobs=jobs, session=session)
    except InputError as error:
        for problem in error.problems:
            print(problem)
    except (PlainError, ChildError, Busy, OSError) as error:  # a full disk, another build …: one line
        print(f"renkei-site serve: {error}")
    except Exception:  # a bug: its traceback, and the server goes on
        traceback.print_exc()
    else:
        took = f"in {time.perf_counter() - started:.3f} s"
        if not args.quiet:
            print(
                f"rebuilt {result.files} files ({result.written} written) {took}"
                if not result.unchanged
                else "no change"
            )
        return True
    print("build failed; still serving the previous site")
    return False


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files; a path no file can have (a NUL byte, /%00) is a 400, not a
    traceback in the server's log.  With ``live`` (serve's own server, never the tests' plain
    static one) every HTML page carries the reload script, and /__renkei-site/ answers it."""

    def __init__(self, *args, log: bool = False, live: reload.Live | None = None, **kwargs):
        self.log, self.live = log, live
        super().__init__(*args, **kwargs)

    def log_message(self, *args):
        if self.log:
            super().log_message(*args)

    def end_headers(self):
        if self.live is not None:
            self.send_header("Cache-Control", "no-cache")  # a reload asks again for what changed
        super().end_headers()

    def do_GET(self):
        path = urlsplit(self.path).path
        if self.live is not None and path == reload.SCRIPT_PATH:
            self.send_bytes(reload.SCRIPT, "text/javascript; charset=utf-8")
        elif self.live is not None and path == reload.EVENTS_PATH:
            self.send_events(parse_qs(urlsplit(self.path).query))
        else:
            super().do_GET()

    def send_head(self):
        try:
            return self.send_page() if self.live is not None else super().send_head()
        except ValueError:  # embedded null byte, a path that is not text
            self.send_error(HTTPStatus.BAD_REQUEST, "no such file")
            return None

    def send_page(self):
        """An HTML page with the reload script; anything else (a folder's redirect, a 404) as usual."""
        target = self.translate_path(self.path)
        if os.path.isdir(target) and not urlsplit(self.path).path.endswith("/"):
            return super().send_head()  # its redirect to the folder's address
        file = self.file_of(self.path)
        if not file.endswith(".html"):
            return super().send_head()
        try:
            with open(file, "rb") as handle:
                page = reload.served(handle.read())
        except OSError:
            return super().send_head()
        self.send_headers(page, "text/html")
        return io.BytesIO(page)  # do_GET sends it, do_HEAD does not

    def file_of(self, url: str) -> str:
        """The file an address of the site shows (a folder: its index.html)."""
        path = self.translate_path(url)
        return os.path.join(path, "index.html") if os.path.isdir(path) else path

    def send_headers(self, data: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()

    def send_bytes(self, data: bytes, kind: str) -> None:
        self.send_headers(data, kind)
        self.wfile.write(data)

    def send_events(self, query: dict[str, list[str]]) -> None:
        """The page's event stream: one ``reload`` when what it shows changed, then the end."""
        page, digest = query.get("page", [""])[0], query.get("digest", [""])[0]
        if not page.startswith("/") or not digest:
            self.send_error(HTTPStatus.BAD_REQUEST, "an event stream needs page and digest")
            return
        file = self.file_of(page)
        shown = reload.Shown.page(file, digest, [self.file_of(a) for a in query.get("asset", [])])
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        with self.live.watching(os.path.relpath(file, self.directory)):
            self.stream(shown)

    def stream(self, shown: reload.Shown) -> None:
        """Look at what the page shows until it changed (then tell it) or the page is gone."""
        idle = 0.0
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not self.live.closing.wait(reload.INTERVAL):
                if shown.changed():
                    self.wfile.write(b"event: reload\ndata: \n\n")
                    self.wfile.flush()
                    return
                idle += reload.INTERVAL
                if idle >= KEEPALIVE:
                    idle = 0.0
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
        except OSError:  # the page was closed or went elsewhere
            return


@contextlib.contextmanager
def serving(folder: Path, port: int = 0, log: bool = False, live: reload.Live | None = None) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 over ``folder`` (port 0: any free one); yields its base URL.
    ``live``: pages carry the reload script (serve only).  Also used by the tests, the bench and
    the screenshot script, as a plain static host."""
    handler = functools.partial(Handler, directory=str(folder), log=log, live=live)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        if live is not None:
            live.closing.set()  # the open event streams end
        httpd.shutdown()


def serve(args, stop: threading.Event | None = None) -> int:
    """Serve ``args.out`` until interrupted (or ``stop`` is set), building again once a change
    of data/, templates/ or static/ has held still for one poll.  The builds share a session
    (site/build.py): the catalogue stays loaded while only notes change, and the pages open in
    a browser go live first."""
    live = reload.Live()
    session = Session(first=lambda page: live.is_open(page.path))
    if rebuild(args, session=session):
        with contextlib.suppress(Busy, OSError):  # an optimisation: else the first save's build makes it
            pipeline.ready_spare(args.out)  # so that the first save costs what every later one does
    folders = [args.data, *site_theme(None, **pipeline.theme_folders(args)).folders()]
    watcher = Watcher(functools.partial(scan, folders))
    stop = stop or threading.Event()
    with serving(args.out, args.port, log=True, live=live) as base:
        print(f"serving {args.out} on {base} (Ctrl-C to stop)", flush=True)
        try:
            while not stop.wait(POLL):
                if watcher.poll():
                    rebuild(args, jobs=1, session=session)  # the server's threads run: no fork (their locks)
        except KeyboardInterrupt:
            pass
    return 0
