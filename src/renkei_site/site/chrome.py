"""The frame every page shares (brand, search box, site navigation, footer), made once per set
of links.

Every HTML page carries the same header and footer; only their links differ from one page to
another, and only as the page's folder makes them differ.  A part of the frame
(templates/_chrome.html) is rendered without the page's path: its only way to the page is
``url``, which says what it linked.  The first time a part is made its targets are noted; from
then on a page's links to those targets (site/environment.py ``link``: a few string operations)
say which made part it shares, and the part is rendered again only for a page whose links
differ.  A part that read a note or page text (reads.py) could not be shared like this: it
raises.
"""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from .. import reads
from .environment import link

TEMPLATE = "_chrome.html"


class SharedFrameReadAtom(RuntimeError):
    """A part of the frame read a note or a page's text: it cannot be shared between pages."""


class Chrome:
    def __init__(self, env: Environment, base_url: str | None):
        self._env, self._base_url = env, base_url
        self._targets: dict[str, tuple[str, ...]] = {}  # part -> what it links to
        self._made: dict[tuple[str, tuple[str, ...]], Markup] = {}  # (part, its links) -> the part

    def part(self, name: str, page_path: str) -> Markup:
        """The part ``name`` of the frame of the page at ``page_path``."""
        targets = self._targets.get(name)
        if targets is not None:
            made = self._made.get((name, self._links(targets, page_path)))
            if made is not None:
                return made
        linked: list[str] = []

        def url(target: str) -> str:
            linked.append(target)
            return link(target, page_path, self._base_url)

        with reads.recording() as atoms:
            made = Markup(self._env.get_template(TEMPLATE).render(part=name, url=url))
        if atoms:
            raise SharedFrameReadAtom(f"{TEMPLATE} part {name!r} read {sorted(atoms)[0]}")
        targets = self._targets.setdefault(name, tuple(dict.fromkeys(linked)))
        self._made[(name, self._links(targets, page_path))] = made
        return made

    def _links(self, targets: tuple[str, ...], page_path: str) -> tuple[str, ...]:
        return tuple(link(target, page_path, self._base_url) for target in targets)
