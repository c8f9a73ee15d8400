"""The one Jinja environment: autoescaped, strict, with the site's filters and relative links."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context

from . import paths, svgmap
from .html import remarks_html
from .paths import NOT_FOUND


def environment(templates: Sequence[Path], bytecode_cache: Path | None = None) -> Environment:
    """The one Jinja environment: autoescaped, strict about undefined names, templates found in
    the folders in order (the site's own before the package's: site/theme.py); compiled templates
    kept in ``bytecode_cache`` (an existing folder: ``template_cache``) if given."""
    env = Environment(
        loader=FileSystemLoader([str(folder) for folder in templates]),
        bytecode_cache=FileSystemBytecodeCache(str(bytecode_cache)) if bytecode_cache else None,
        auto_reload=False,  # templates do not change during a build: no stat() per page
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["url"] = url
    # What pages call most, as filters too (``target | url``): Jinja calls a filter straight, a
    # global through Context.call (a microsecond a call, twenty calls a page).  Those of the
    # renderer's (site/render.py) are known here by name only, for the templates to compile.
    env.filters.update(url=url, year_path=paths.year_path, static_path=paths.static_path)
    env.filters.update(prefecture_path=paths.prefecture_path, municipality_path=paths.municipality_path)
    env.filters.update(RENDERER_FILTERS)
    env.globals["legend"] = svgmap.legend()
    env.filters["remarks"] = remarks_html
    env.filters["grouped"] = grouped
    env.filters["where"] = lambda items, attr, value: [i for i in items if getattr(i, attr) == value]
    env.filters["where_not"] = lambda items, attr, value: [i for i in items if getattr(i, attr) != value]
    env.filters["count_by"] = lambda items, attr: Counter(getattr(i, attr) for i in items)
    return env


def _set_by_the_renderer(*args):
    raise RuntimeError("this filter is set by the site's renderer (site/render.py)")


@pass_context
def _set_by_the_renderer_with_context(*args):
    return _set_by_the_renderer(*args)


# The renderer's filters (site/render.py sets them): whether each takes the context is fixed
# when a template is compiled, so it is said here.
RENDERER_FILTERS = {
    "bureau_path": _set_by_the_renderer,
    "field_path": _set_by_the_renderer,
    "partners": _set_by_the_renderer_with_context,
    "chrome": _set_by_the_renderer_with_context,
}


def set_renderer_filters(env: Environment, functions: dict) -> None:
    """Put the renderer's functions in place of RENDERER_FILTERS, each taking the context as its
    stand-in did when the templates were compiled."""
    for name, stand_in in RENDERER_FILTERS.items():
        function = functions[name]
        if getattr(function, "jinja_pass_arg", None) is not getattr(stand_in, "jinja_pass_arg", None):
            raise TypeError(f"the filter {name!r} must take the context as RENDERER_FILTERS says")
        env.filters[name] = function


def flatten_globals(env: Environment) -> None:
    """Give every page template the environment's globals, as they are now, as one dict: Jinja
    keeps a ChainMap of them per template, which each render copies key by key (a sixth of a
    project page's time).  Called once the globals are all set; a template loaded later keeps
    Jinja's ChainMap."""
    for name in env.list_templates(extensions=["html"]):
        template = env.get_template(name)
        template.globals = dict(template.globals)


def template_cache() -> Path | None:
    """Where compiled templates are kept between builds, whatever the output folder (as Python
    keeps bytecode): ``$RENKEI_SITE_CACHE``, else ``$XDG_CACHE_HOME`` or ``~/.cache``, under
    ``renkei-site/templates-<key>``.  Jinja checks each template's source against what it
    compiled; the key covers what the source does not say — Jinja's version and the options
    set in this module.  None (compile in memory) when no such folder can be made."""
    base = os.environ.get("RENKEI_SITE_CACHE")
    if not base:
        base = str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "renkei-site")
    key = hashlib.sha256(jinja2.__version__.encode() + Path(__file__).read_bytes()).hexdigest()[:16]
    folder = Path(base) / f"templates-{key}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def grouped(items, attribute: str) -> list[tuple[object, list]]:
    """Like Jinja's groupby, but groups stay in order of first appearance."""
    groups: dict[object, list] = {}
    for item in items:
        groups.setdefault(getattr(item, attribute), []).append(item)
    return list(groups.items())


def relative(target: str, page_path: str) -> str:
    """The relative link from the page at ``page_path`` to the site path ``target``."""
    here = page_path.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "./"


@pass_context
def url(context, target: str) -> str:
    """A link from the page being rendered to ``target`` (a site path): ``link``."""
    return link(target, context["page_path"], context.get("base_url"))


def link(target: str, page_path: str, base_url: str | None) -> str:
    """A link from the page at ``page_path`` to ``target`` (a site path): relative, so that the
    site works under any sub-path and from disk; but from the site's root on the 404 page, which
    a host serves at any depth: the base URL, or the host's root "/" without one (see README)."""
    if page_path == NOT_FOUND:
        return (base_url or "/") + target
    return relative(target, page_path)
