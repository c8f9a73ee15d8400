"""What `renkei-site serve` adds so that an open page reloads itself after a save: never part of
a built site.

Each HTML page serve sends gets one ``<script src="/__renkei-site/reload.js" defer>`` before
``</head>``, carrying the digest of the page's bytes as sent.  The script opens an EventSource
on ``/__renkei-site/events`` with its address, that digest and the same-origin scripts and
stylesheets the page loads; serve answers ``reload`` once the page's file (or one of those)
is no longer what the page shows: a page a save did not touch stays as it is.  Nothing a
site can contain starts with ``__renkei-site/`` (page names are ``a-z``, ``0-9`` and ``-``).

The site's own CSP (``default-src 'self'; script-src 'self'``) already allows both: the script
comes from the page's origin, and an EventSource is ``connect-src``, which falls back to
``default-src 'self'``.  So serve sends the page's meta CSP as built, and the built site keeps
no script or permission that only serve needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator

PREFIX = "/__renkei-site/"
SCRIPT_PATH = PREFIX + "reload.js"
EVENTS_PATH = PREFIX + "events"
INTERVAL = 0.03  # seconds between two looks at what an open page shows

SCRIPT = b"""\
// Added by `renkei-site serve` (never part of a built site): reload this page when the file it
// shows, or a script or stylesheet it loads from this server, has changed.
(() => {
  const me = document.currentScript;
  const query = new URLSearchParams({ page: location.pathname, digest: me.dataset.digest });
  for (const node of document.querySelectorAll('script[src], link[rel~="stylesheet"][href]')) {
    const url = new URL(node.src || node.href, location.href);
    if (node !== me && url.origin === location.origin) query.append('asset', url.pathname);
  }
  // One connection per visible page (a browser opens six to a host): a hidden tab closes its own,
  // and when shown again it asks anew with the digest of the page it shows.
  let events = null;
  const listen = () => {
    if (events || document.hidden) return;
    events = new EventSource('/__renkei-site/events?' + query);
    events.addEventListener('reload', () => {
      events.close();
      location.reload();
    });
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) return listen();
    if (events) events.close();
    events = null;
  });
  listen();
})();
"""

_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def served(html: bytes) -> bytes:
    """The page as serve sends it: the reload script (with the digest of ``html``) before the
    first ``</head>`` (the data is escaped, so no earlier one can come from it), else before
    ``</body>``, else at the end."""
    tag = b'<script src="%s" data-digest="%s" defer></script>\n' % (SCRIPT_PATH.encode(), digest(html).encode())
    for end in (_HEAD_END, _BODY_END):
        if found := end.search(html):
            return html[: found.start()] + tag + html[found.start() :]
    return html + tag


def file_digest(path: str) -> str | None:
    """The digest of the file's bytes, or None when there is no such file (or cannot be: a NUL)."""
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except (OSError, ValueError):
        return None


def file_stat(path: str) -> tuple[int, int, int, int] | None:
    """What tells that a file was replaced or rewritten (inode, device, mtime, size), or None.  An
    unchanged file of a new generation is a hard link to the old one: the same inode."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_ino, found.st_dev, found.st_mtime_ns, found.st_size


class Shown:
    """The files an open page shows, with their digests as shown: ``changed`` tells when the
    server would now send other bytes for one of them.  It hashes a file only when its stat
    moved, so looking every few milliseconds costs a few ``stat`` calls."""

    def __init__(self, digests: dict[str, str | None]):
        self.digests = digests
        self.stats: dict[str, tuple[int, int, int, int] | None] = {}

    @classmethod
    def page(cls, page: str, page_digest: str, assets: list[str]) -> Shown:
        """The page's file as the page said it was sent, its assets as they are now."""
        return cls({**{asset: file_digest(asset) for asset in assets}, page: page_digest})

    def changed(self) -> bool:
        for path, shown in self.digests.items():
            stat = file_stat(path)
            if stat is not None and stat == self.stats.get(path):
                continue
            if file_digest(path) != shown:
                return True
            self.stats[path] = stat
        return False


class Live:
    """What serve's handlers share: the event set when the server stops, and the pages open in
    a browser now (site-relative paths, as the plan names them), which a build makes first."""

    def __init__(self) -> None:
        self.closing = threading.Event()
        self._open: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def watching(self, path: str) -> Iterator[None]:
        with self._lock:
            self._open[path] += 1
        try:
            yield
        finally:
            with self._lock:
                self._open[path] -= 1
                if not self._open[path]:
                    del self._open[path]

    def is_open(self, path: str) -> bool:
        with self._lock:
            return path in self._open
