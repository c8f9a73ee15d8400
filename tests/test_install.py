"""Installed as a package (a wheel, not the checkout), renkei-site builds the site from any folder:
the templates and static files ship inside it, and a site's own templates/ overrides them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, ROOT, visible_files


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package as pip installs it from a wheel built from a copy of the checkout."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if built.returncode != 0:
        pytest.skip(f"no wheel could be built here (no package index?): {built.stderr[-300:]}")
    [wheel] = (work / "dist").glob("*.whl")
    target = work / "site-packages"
    zipfile.ZipFile(wheel).extractall(target)
    return target


def run(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    return subprocess.run(
        [sys.executable, "-m", "renkei_site.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_the_wheel_carries_the_templates_and_static_files(installed):
    package = installed / "renkei_site"
    assert {p.name for p in (ROOT / "templates").glob("*.html")} == {p.name for p in (package / "templates").iterdir()}
    assert {p.name for p in (ROOT / "static").iterdir()} == {p.name for p in (package / "static").iterdir()}


def test_installed_it_builds_from_any_folder_what_the_checkout_builds(installed, tmp_path):
    from renkei_site import pipeline

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run(installed, "-q", "build", "--data", str(DATA), "--out", "site", "--jobs", "1", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    where = run(installed, "--help", cwd=elsewhere)
    assert where.returncode == 0
    pipeline.build(DATA, tmp_path / "checkout", jobs=1)
    assert visible_files(elsewhere / "site") == visible_files(tmp_path / "checkout")


def test_a_sites_own_template_replaces_the_packages_file_by_file(installed, tmp_path):
    site = tmp_path / "mysite"
    shutil.copytree(DATA, site / "data", ignore=shutil.ignore_patterns(".cache"))
    (site / "templates").mkdir()
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    (site / "templates" / "base.html").write_text(base.replace("<main", "<p>自前の告知</p><main", 1), encoding="utf-8")
    (site / "static").mkdir()
    (site / "static" / "extra.css").write_text("p{}", encoding="utf-8")
    done = run(installed, "-q", "build", "--data", "data", "--out", "_site", "--jobs", "1", cwd=site)
    assert done.returncode == 0, done.stderr
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert "<p>自前の告知</p>" in home and 'href="static/style.css"' in home  # the rest is the package's
    assert (site / "_site" / "static" / "extra.css").read_text(encoding="utf-8") == "p{}"
    assert (site / "_site" / "static" / "search.js").is_file()
