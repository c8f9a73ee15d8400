"""The page plan: every file of the site, each a small picklable description.

A build checks every path of the plan before it writes anything, and its processes take the
pages in the plan's order (site/workers.py).  The kinds of page, and which files each adds,
are the registry in site/kinds.py; site/render.py makes any one page of the plan.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Page(NamedTuple):
    """One file of the site: where it goes, what kind of file it is, and the key of what it shows."""

    path: str
    kind: str  # an entry of site/kinds.py PAGE_KINDS makes it
    key: Any = ""  # a project key, a place code, a fiscal year, a slug …
