"""Take the README screenshots from the built _site/ in Chromium: the home page and a prefecture
page on a desktop screen, and the home page on a phone in dark mode.

Needs Debian's chromium and a CJK font (apt-get install chromium fonts-noto-cjk).
Usage: python build.py && python scripts/screenshots.py
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from renkei_site.serve import serving

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = {"width": 1100, "height": 1400}
PHONE = {"width": 390, "height": 1400}
SHOTS = {  # file: (page, viewport, colour scheme)
    "docs/home.png": ("index.html", DESKTOP, "light"),
    "docs/prefecture-nagano.png": ("prefectures/nagano/index.html", DESKTOP, "light"),
    "docs/home-phone-dark.png": ("index.html", PHONE, "dark"),
}


def main() -> None:
    with serving((ROOT / "_site").resolve()) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for target, (path, viewport, scheme) in SHOTS.items():
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            page = context.new_page()
            page.goto(base + path)
            if viewport is PHONE:  # from the search box down: the map and the list of places
                page.locator("#map-h").scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, document.querySelector('#map-h').getBoundingClientRect().top - 8)")
            page.screenshot(path=str(ROOT / target))
            context.close()
            print("wrote", target)
        browser.close()


if __name__ == "__main__":
    main()
