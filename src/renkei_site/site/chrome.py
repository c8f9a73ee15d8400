"""The frame every page shares (brand, search box, site navigation, footer), made once per set
of links.

Every HTML page carries the same header and footer; only their links differ from one page to
another, and only as the page's folder makes them differ.  A part of the frame
(templates/_chrome.html) is rendered without the page's path: its only way to the page is
``url``, which says what it linked.  The first time a part is made its targets are noted; from
then on a relative link (site/environment.py ``relative``) from a page to one of them depends
only on how deep the page's folder is and on how much of it a target's folders begin with: the
page's *place* for the part, its depth and the longest start of its folder that starts a
target's folder (a few set lookups, not a link per target).  A part is rendered again only for a
page in another place.  A part that read a note or page text (reads.py) could not be shared like
this: it raises.
"""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from .. import reads
from .environment import link
from .paths import NOT_FOUND

TEMPLATE = "_chrome.html"


class SharedFrameReadAtom(RuntimeError):
    """A part of the frame read a note or a page's text: it cannot be shared between pages."""


class Chrome:
    def __init__(self, env: Environment, base_url: str | None):
        self._env, self._base_url = env, base_url
        self._starts: dict[str, frozenset[tuple[str, ...]]] = {}  # part -> every start of its targets' folders
        self._made: dict[tuple[str, object], Markup] = {}  # (part, a page's place) -> the part

    def part(self, name: str, page_path: str) -> Markup:
        """The part ``name`` of the frame of the page at ``page_path``."""
        starts = self._starts.get(name)
        if starts is not None:
            made = self._made.get((name, place(starts, page_path)))
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
        starts = self._starts.setdefault(name, folder_starts(linked))
        self._made[(name, place(starts, page_path))] = made
        return made


def folder_starts(targets: list[str]) -> frozenset[tuple[str, ...]]:
    """Every start of the targets' folders, the empty one included: ``a/b/c.html`` gives (),
    (a,) and (a, b)."""
    starts = {()}
    for target in targets:
        folders = tuple(target.split("/")[:-1])
        starts.update(folders[:end] for end in range(1, len(folders) + 1))
    return frozenset(starts)


def place(starts: frozenset[tuple[str, ...]], page_path: str) -> object:
    """What the links from ``page_path`` to targets with these folder starts depend on: the
    depth of the page's folder and its longest start among them (the 404 page, whose links are
    from the site's root, has a place of its own)."""
    if page_path == NOT_FOUND:
        return NOT_FOUND
    folders = page_path.split("/")[:-1]
    shared = 0
    while shared < len(folders) and tuple(folders[: shared + 1]) in starts:
        shared += 1
    return len(folders), tuple(folders[:shared])
