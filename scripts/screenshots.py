"""Take the README screenshots (home and a prefecture page) from the built _site/ in Chromium.

Needs Debian's chromium and a CJK font (apt-get install chromium fonts-noto-cjk).
Usage: python build.py && python scripts/screenshots.py
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from renkei_site.serve import serving

ROOT = Path(__file__).resolve().parent.parent
SHOTS = {"docs/home.png": "index.html", "docs/prefecture-nagano.png": "prefectures/nagano/index.html"}


def main() -> None:
    with serving((ROOT / "_site").resolve()) as base, sync_playwright() as p:
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


if __name__ == "__main__":
    main()
