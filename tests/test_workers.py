"""Rendering on every core: the same files, byte for byte, with any number of processes; a page
that fails stops the build with its error and leaves the previous site; a build starts without
the import's machinery."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import jinja2
import pytest
from conftest import ROOT

from renkei_site import pipeline
from renkei_site.forks import ChildError
from renkei_site.site.plan import Page
from renkei_site.site.workers import RenderError, render_pages
from renkei_site.site.write import SiteWriter


def every_file(out) -> dict[str, bytes]:
    """Every file of the generation ``out`` points at, the manifest too."""
    folder = out.resolve()
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("jobs", [2, 3])
def test_fy2022_is_the_same_in_any_number_of_processes(data_2022, tmp_path, jobs):
    pipeline.build(data_2022, tmp_path / "one" / "_site", jobs=1)
    pipeline.build(data_2022, tmp_path / "many" / "_site", jobs=jobs)
    one, many = every_file(tmp_path / "one" / "_site"), every_file(tmp_path / "many" / "_site")
    assert len(one) > 370 and "2022/projects/079/index.html" in one
    assert many == one


def test_two_years_with_notes_and_a_base_url_are_the_same_in_any_number_of_processes(two_years, tmp_path):
    data, url = two_years["data"], "https://example.org/renkei/"
    pipeline.build(data, tmp_path / "one" / "_site", url, jobs=1)
    pipeline.build(data, tmp_path / "many" / "_site", url, jobs=3)
    one, many = every_file(tmp_path / "one" / "_site"), every_file(tmp_path / "many" / "_site")
    assert {"sitemap.xml", "2023/changes/index.html", "2023/partners.json"} <= set(one)
    assert many == one


@pytest.fixture
def broken_templates(tmp_path):
    """The templates, with project No.5's page asking for a name nobody gives it."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "project.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("{% block content %}", "{% block content %}{% if project.no == 5 %}{{ no_such_name }}{% endif %}"),
        encoding="utf-8",
    )
    return templates


def test_a_page_that_fails_stops_the_build_and_leaves_the_previous_site(data_2022, tmp_path, broken_templates):
    out = tmp_path / "_site"
    pipeline.build(data_2022, out)
    before = every_file(out)
    with pytest.raises(RenderError) as failed:
        pipeline.build(data_2022, out, templates=broken_templates, jobs=2)
    message = str(failed.value)
    assert message.startswith("could not render 2022/projects/005/index.html:")
    assert "'no_such_name' is undefined" in message and "Traceback" in message
    assert every_file(out) == before
    assert [p.name for p in (tmp_path / "_site.gens").iterdir()] == [out.resolve().name]  # no .partial left


def test_in_one_process_the_error_is_raised_as_it_is(data_2022, tmp_path, broken_templates):
    with pytest.raises(jinja2.UndefinedError):
        pipeline.build(data_2022, tmp_path / "_site", templates=broken_templates, jobs=1)
    assert not (tmp_path / "_site").exists()


def test_the_command_says_which_page_failed(data_2022, tmp_path, broken_templates, monkeypatch, capsys):
    from renkei_site.cli import main

    assert broken_templates.parent == data_2022.parent  # the site's own templates/, beside its data/
    assert main(["build", "--data", str(data_2022), "--out", str(tmp_path / "_site"), "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "renkei-site build: could not render 2022/projects/005/index.html:" in err
    assert issubclass(RenderError, ChildError)


def test_a_build_imports_no_reading_or_normalising_machinery(data_2022, tmp_path):
    """pykakasi, the normaliser, the list's forms and the names module belong to import."""
    script = (
        "import sys; from renkei_site.cli import main; "
        f"main(['-q', 'build', '--data', {str(data_2022)!r}, '--out', {str(tmp_path / '_site')!r}]); "
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    modules = set(done.stdout.split())
    assert "renkei_site.site.render" in modules  # it did build
    for unwanted in (
        "pykakasi",
        "renkei_site.resolve.normalize",
        "renkei_site.read.text",  # the list's forms (read.parse, their registry, only names them)
        "renkei_site.read.pdf",
        "renkei_site.read.layout",
        "renkei_site.resolve.names",
    ):
        assert unwanted not in modules


def small_plan(count: int) -> list[Page]:
    return [Page(f"pages/{number}.html", "test", number) for number in range(count)]


def in_a_worker_only(action):
    """A render function that makes a page here and does ``action`` in a forked worker."""
    here = os.getpid()

    def render(page: Page) -> bytes:
        if os.getpid() != here:
            action(page)
        time.sleep(0.005)  # so that the workers get pages too
        return f"page {page.key}".encode()

    return render


def fails(page: Page) -> None:
    raise ValueError(f"page {page.key} is wrong")


def dies(page: Page) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (fails, r"could not render pages/\d+\.html:\nTraceback(.|\n)*ValueError: page \d+ is wrong"),
        (dies, r"a render worker stopped before it finished \(exit code -9\)"),
    ],
    ids=["fails", "dies"],
)
def test_a_worker_that_fails_or_dies_stops_the_build(tmp_path, action, message):
    out = tmp_path / "_site"
    with pytest.raises(RenderError, match=message), SiteWriter(out) as writer:
        render_pages(small_plan(60), in_a_worker_only(action), writer, 3, lambda done: None)
    assert not out.exists() and not list((tmp_path / "_site.gens").iterdir())


def test_every_page_is_made_once_whatever_the_process(tmp_path):
    out = tmp_path / "_site"
    with SiteWriter(out) as writer:
        render_pages(small_plan(60), in_a_worker_only(lambda page: None), writer, 3, lambda done: None)
    writer.finish()
    assert every_file(out) == {f"pages/{n}.html": f"page {n}".encode() for n in range(60)} | {
        ".manifest.json": (out / ".manifest.json").read_bytes()
    }
    assert writer.written == 60


def test_templates_are_compiled_once_then_loaded_from_the_cache(data_2022, tmp_path, monkeypatch):
    """The first build compiles each template once (not once per process); a build into a new
    folder, with no build cache beside it, compiles none: compiled templates outlive the output."""
    monkeypatch.setenv("RENKEI_SITE_CACHE", str(tmp_path / "cache"))
    log = tmp_path / "compiled.txt"
    compile_template = jinja2.Environment.compile

    def logged(env, source, name=None, filename=None, raw=False, defer_init=False):
        with log.open("a") as handle:  # from any process
            handle.write(f"{os.getpid()} {name}\n")
        return compile_template(env, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", logged)
    pipeline.build(data_2022, tmp_path / "first" / "_site", jobs=3)
    compiled = log.read_text().split("\n")[:-1]
    templates = sorted(p.name for p in (ROOT / "templates").glob("*.html"))
    assert sorted(line.split()[1] for line in compiled) == templates
    assert len({line.split()[0] for line in compiled}) == 1
    log.unlink()
    pipeline.build(data_2022, tmp_path / "second" / "_site", jobs=3)
    assert not log.exists()
    assert every_file(tmp_path / "second" / "_site") == every_file(tmp_path / "first" / "_site")


def test_a_changed_template_is_compiled_again(data_2022, tmp_path, monkeypatch):
    """The compiled-template cache is keyed by each template's source: an edit shows at once."""
    monkeypatch.setenv("RENKEI_SITE_CACHE", str(tmp_path / "cache"))
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    pipeline.build(data_2022, tmp_path / "before" / "_site", templates=templates, jobs=1)
    assert "編集部の一言" not in (tmp_path / "before" / "_site" / "index.html").read_text(encoding="utf-8")
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<main", "<p>編集部の一言</p><main", 1), encoding="utf-8")
    pipeline.build(data_2022, tmp_path / "after" / "_site", templates=templates, jobs=1)
    assert "編集部の一言" in (tmp_path / "after" / "_site" / "index.html").read_text(encoding="utf-8")


def test_without_a_writable_cache_folder_templates_are_compiled_in_memory(data_2022, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("RENKEI_SITE_CACHE", str(blocked / "cache"))
    pipeline.build(data_2022, tmp_path / "_site", jobs=1)
    assert (tmp_path / "_site" / "index.html").is_file()
