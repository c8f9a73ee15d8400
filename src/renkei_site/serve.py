"""`renkei-site serve`: preview on 127.0.0.1 and rebuild when the inputs change."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

from . import cache, pipeline
from .errors import InputError

WATCHED = ("templates", "static")


def snapshot(folders: list[Path]) -> dict[Path, int]:
    """mtime of every visible file under the watched folders (not data/.cache/, which builds write)."""
    existing = [folder for folder in folders if folder.exists()]
    return {p: p.stat().st_mtime_ns for p in cache.files_under(*existing)}


def rebuild(args) -> None:
    try:
        result = pipeline.build(args.data, args.out)
        if not args.quiet:
            print(f"rebuilt {result.files} files ({result.written} written)" if not result.unchanged else "no change")
    except InputError as error:
        for problem in error.problems:
            print(problem)
        print("build failed; still serving the previous site")


def serve(args, polls: int | None = None) -> int:
    """Serve ``args.out`` until interrupted (or for ``polls`` seconds, for tests)."""
    rebuild(args)
    folders = [args.data, *(pipeline.ROOT / name for name in WATCHED)]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(args.out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(f"serving {args.out} on http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C to stop)")
    seen = snapshot(folders)
    try:
        while polls is None or polls > 0:
            time.sleep(1)
            polls = None if polls is None else polls - 1
            now = snapshot(folders)
            if now != seen:
                seen = now
                rebuild(args)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.shutdown()
    return 0
