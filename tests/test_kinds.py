"""The registries: every page kind, download and reader is one entry; each template gets exactly
the context its kind documents (the Datasette habit: the context written down, and checked)."""

from __future__ import annotations

import dataclasses

import pytest
from jinja2 import meta, nodes

from renkei_site.site import kinds
from renkei_site.site.downloads import DOWNLOADS
from renkei_site.site.environment import environment
from renkei_site.site.theme import site_theme

ALWAYS = {"page_path", "title", "share"}  # every page gets these (site/render.py SiteRenderer.html)


@pytest.fixture(scope="module")
def env():
    from conftest import DATA

    from renkei_site import pipeline
    from renkei_site.site.render import site_renderer

    reference = pipeline.load_reference(DATA)
    years = pipeline.load_years(DATA, reference)
    notes = pipeline.load_pages_and_notes(DATA, years, reference)
    return site_renderer(years, reference, site_theme(), notes=notes).env


def names_used(env, name: str, seen: set[str] | None = None) -> set[str]:
    """The names a template and every template it extends, includes or imports read from its context."""
    seen = set() if seen is None else seen
    if name in seen:
        return set()
    seen.add(name)
    source = env.loader.get_source(env, name)[0]
    tree = env.parse(source)
    used = set(meta.find_undeclared_variables(tree)) - {m.name for m in tree.find_all(nodes.Macro)}
    used -= {
        alias if isinstance(alias, str) else alias[-1] for i in tree.find_all(nodes.FromImport) for alias in i.names
    }
    targets = [a.target for a in tree.find_all(nodes.Assign)]  # {% set %} in a branch reads as undeclared
    used -= {n.name for target in targets for n in [target, *target.find_all(nodes.Name)] if isinstance(n, nodes.Name)}
    for other in meta.find_referenced_templates(tree):
        if other:
            used |= names_used(env, other, seen)
    return used


def template_contexts() -> list[tuple[str, type]]:
    pairs = [(kind.template, kind.context) for kind in kinds.PAGE_KINDS if kind.template]
    return [*pairs, *kinds.OTHER_TEMPLATES.items()]


@pytest.mark.parametrize(("template", "context"), template_contexts())
def test_each_template_gets_exactly_its_documented_context(env, template, context):
    fields = {field.name for field in dataclasses.fields(context)}
    used = names_used(env, template) - set(env.globals)
    assert used - ALWAYS <= fields, f"{template} uses {sorted(used - ALWAYS - fields)}, not in {context.__name__}"
    assert fields <= used, f"{context.__name__} has {sorted(fields - used)}, which {template} never reads"
    assert context.__doc__ and template.split(".")[0].split("_")[0] in context.__doc__


def test_every_template_of_the_package_belongs_to_a_kind_or_is_a_partial(env):
    used = {template for template, _ in template_contexts()} | {"base.html", "page.html"}
    for name in env.list_templates(extensions=["html"]):
        assert name in used or name.startswith("_"), f"{name} is rendered by no page kind"


def test_the_registries_have_one_entry_per_name():
    for names in ([k.name for k in kinds.PAGE_KINDS], [d.name for d in DOWNLOADS]):
        assert len(names) == len(set(names))
    from renkei_site.read.parse import READERS

    assert len({reader.form for reader in READERS}) == len(READERS)
    assert READERS[-1].detect(b"anything")  # the text reader, last, takes what the others do not


def test_the_built_site_lists_every_download_of_the_registry(tmp_path):
    from conftest import DATA

    from renkei_site import pipeline

    site = tmp_path / "site"
    pipeline.build(DATA, site, jobs=1)
    listing = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    year_page = (site / "2022" / "index.html").read_text(encoding="utf-8")
    for download in DOWNLOADS:
        path = download.path(pipeline.load_years(DATA, pipeline.load_reference(DATA))[-1])
        assert (site / path).is_file(), path
        here = path.removeprefix("downloads/")  # a file beside the downloads page is linked as such
        assert f'href="../{path}"' in listing or f'href="{here}"' in listing, path
        if download.scope == "year":
            assert f'href="{download.name}"' in year_page


def test_an_environment_searches_the_sites_own_templates_first(tmp_path):
    own = tmp_path / "templates"
    own.mkdir()
    (own / "_note.html").write_text("mine", encoding="utf-8")
    theme = site_theme(tmp_path)
    env = environment(theme.templates)
    assert env.get_template("_note.html").render() == "mine"
    assert env.get_template("base.html")  # the rest from the package


def test_export_writes_every_download_as_the_site_serves_it(tmp_path):
    from conftest import DATA

    from renkei_site import pipeline
    from renkei_site.cli import main

    site = tmp_path / "site"
    pipeline.build(DATA, site, jobs=1)
    years = pipeline.load_years(DATA, pipeline.load_reference(DATA))
    for download in DOWNLOADS:
        out = tmp_path / download.name
        assert main(["-q", "export", download.name, "--data", str(DATA), "--out", str(out)]) == 0
        assert out.read_bytes() == (site / download.path(years[-1])).read_bytes(), download.name
