"""The site's look: templates and static files, the package's own overridden file by file.

The package carries its templates and static files (``renkei_site/templates``,
``renkei_site/static``), so an installed ``renkei-site`` builds from any folder.  A site may
keep its own ``templates/`` and ``static/`` beside its ``data/`` (or name them with
``--templates`` and ``--static``): a file there replaces the package's file of the same name,
and a new file is added (as a theme's custom folder does in MkDocs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
PACKAGE_TEMPLATES = PACKAGE / "templates"
PACKAGE_STATIC = PACKAGE / "static"


@dataclass(frozen=True)
class Theme:
    """Folders searched in order, the site's own first."""

    templates: tuple[Path, ...]
    static: tuple[Path, ...]

    def static_names(self) -> list[str]:
        """Every static file's name (files directly in the folders), sorted."""
        return sorted({path.name for folder in self.static for path in folder.iterdir() if path.is_file()})

    def static_bytes(self, name: str) -> bytes:
        return next(folder / name for folder in self.static if (folder / name).is_file()).read_bytes()

    def folders(self) -> list[Path]:
        return [*self.templates, *self.static]


def own_folders(own: Path | None, package: Path) -> tuple[Path, ...]:
    """The site's folder (if it exists and is not the package's own) before the package's."""
    if own is None or not own.is_dir() or own.resolve() == package.resolve():
        return (package,)
    return (own, package)


def site_theme(site_folder: Path | None = None, templates: Path | None = None, static: Path | None = None) -> Theme:
    """The theme of a site: ``templates`` and ``static`` if given, else those beside its data
    (``site_folder``/templates, ``site_folder``/static) when present, over the package's own."""
    if templates is None and site_folder is not None:
        templates = site_folder / "templates"
    if static is None and site_folder is not None:
        static = site_folder / "static"
    return Theme(own_folders(templates, PACKAGE_TEMPLATES), own_folders(static, PACKAGE_STATIC))
