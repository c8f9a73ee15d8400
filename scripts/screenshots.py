"""Take the README screenshots (home and a prefecture page) from the built _site/ in Chromium.

Needs Debian's chromium and a CJK font (apt-get install chromium fonts-noto-cjk).
Usage: python build.py && python scripts/screenshots.py
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SHOTS = {"docs/home.png": "index.html", "docs/prefecture-nagano.png": "prefectures/nagano/index.html"}


def main() -> None:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str((ROOT / "_site").resolve()))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        for target, path in SHOTS.items():
            page.goto(base + path)
            page.screenshot(path=str(ROOT / target))
            print("wrote", target)
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
