"""What a page says of itself when it is shared: its title in the browser and in a link preview,
the sentence that describes it, the feed it links, its preview image.

Every page's template gets one ``Share`` (site/render.py), made here from the page of the plan;
the description of each kind of page is one entry of ``DESCRIBE``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..records import Year
from . import paths
from .plan import Page


class SiteRenderer(Protocol):
    """What share, feeds and previews use of the renderer (site/render.py SiteRenderer)."""

    cat: Any  # model.Catalogue
    ref: Any  # resolve.reference.Reference
    base_url: str | None
    plan: list[Page]
    preview_cache: Path | None

    def counts_by_prefecture(self, year: Year, how: str = "named") -> dict[str, int]: ...
    def field_path(self, name: str) -> str: ...
    def year_of(self, fiscal_year: int) -> Year: ...


SITE_NAME = "全国各地との連携事業カタログ"
FEED_KINDS = ("prefecture", "municipality", "field", "bureau")  # pages with a feed of their own (site/feeds.py)
PREVIEW_KINDS = ("project", "prefecture", "municipality", "field", "bureau", "group", "year")  # an image each
LONGEST = 120  # characters of a description taken from a longer text


@dataclass(frozen=True)
class Share:
    """The head of a page: <title>, description, feed, preview image (the last two with --base-url)."""

    title: str  # the <title> and og:title
    description: str
    feed: str = ""  # the feed's path in the site ("" without --base-url)
    feed_label: str = ""  # what the subscribe link says
    image: str = ""  # the preview image's path in the site ("" without --base-url)


def subject_title(r: SiteRenderer, kind: str, key) -> str:
    """The title of a page with a feed or an image of its own, by its kind and key."""
    if kind in ("prefecture", "municipality"):
        return r.ref.full_name(r.ref.places[key])
    if kind == "bureau":
        return next(b for b in r.ref.bureaus if b["slug"] == key)["names"][0]["name"]
    if kind == "project":
        return r.cat.by_key[key].name
    if kind == "year":
        return f"{key}年度の連携事業"
    return SITE_NAME if kind == "home" else key  # a field's or a group's name is its key


def shortened(text: str, limit: int = LONGEST) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def latest_count(r: SiteRenderer, projects) -> str:
    year = r.cat.latest.fiscal_year
    return f"{sum(1 for p in projects if p.fiscal_year == year)}件({year}年度)"


def of_home(r: SiteRenderer, page: Page) -> str:
    year = r.cat.latest
    return f"東京都が全国の道府県・市区町村と進める連携事業のカタログ:{year.fiscal_year}年度 {len(year.projects)}事業を都道府県・分野・所管局から"


def of_year(r: SiteRenderer, page: Page) -> str:
    year = r.year_of(page.key)
    return f"{year.title}の{len(year.projects)}事業を分野別に"


def of_project(r: SiteRenderer, page: Page) -> str:
    p = r.cat.by_key[page.key]
    return shortened(f"{p.fiscal_year}年度 No.{p.no} {p.bureau}・{p.field}:{p.description}")


def of_prefecture(r: SiteRenderer, page: Page) -> str:
    place, year = r.ref.places[page.key], r.cat.latest
    named = r.cat.place_count(place.code)  # the one count of a place (model.Catalogue.place_count)
    via = r.counts_by_prefecture(year, "group").get(place.pref_code, 0)
    return (
        f"{place.name}または{place.name}内の市区町村が関係自治体として挙がる東京都の連携事業 {named}件"
        f"({year.fiscal_year}年度)、ほかにグループを通じて含まれる事業 {via}件"
    )


def of_municipality(r: SiteRenderer, page: Page) -> str:
    """The place's one count (model.Catalogue.place_count: the latest year's projects that name it
    among current partners), and what reaches it through groups."""
    year = r.cat.latest.fiscal_year
    name = r.ref.full_name(r.ref.places[page.key])
    via = r.cat.through_counts(page.key)[1]
    text = f"{name}が関係自治体として挙がる東京都の連携事業 {r.cat.place_count(page.key)}件({year}年度)"
    return text + (f"、ほかにグループを通じて含まれる事業 {via}件" if via else "")


def of_field(r: SiteRenderer, page: Page) -> str:
    return f"分野「{page.key}」の東京都の連携事業 {latest_count(r, r.cat.by_field[page.key])}"


def of_bureau(r: SiteRenderer, page: Page) -> str:
    name = subject_title(r, "bureau", page.key)
    return f"東京都{name}が所管する全国各地との連携事業 {latest_count(r, r.cat.by_bureau[page.key])}"


def of_group(r: SiteRenderer, page: Page) -> str:
    group = r.ref.groups[page.key]
    return f"{group.label}({group.description})が関係自治体として挙がる東京都の連携事業 {latest_count(r, r.cat.by_group[page.key])}"


def of_changes(r: SiteRenderer, page: Page) -> str:
    d = r.cat.diffs[page.key]
    return (
        f"{d.old_year}年度から{d.new_year}年度への連携事業一覧の変更:新規掲載 {len(d.added)}件、"
        f"掲載終了 {len(d.removed)}件、変更 {len(d.changed)}件"
    )


def of_markdown_page(r: SiteRenderer, page: Page) -> str:
    text = r.cat.notes.page(page.key).text
    first = next((line for line in text.split("\n\n") if line.strip() and not line.startswith("#")), "")
    return shortened(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", first)) or f"{SITE_NAME}の{page.key}"


FIXED = {
    "prefectures": "都道府県ごとの東京都の連携事業の数と地図",
    "bureaus": "東京都の所管局ごとの全国各地との連携事業",
    "fields": "分野ごとの東京都の全国各地との連携事業",
    "groups": "全国道府県・九都県市など、グループを関係自治体とする東京都の連携事業",
    "downloads_page": "東京都の連携事業カタログのオープンデータ(各年度のCSV・JSONほか)と利用条件",
    "plain": "東京都と全国の道府県・市区町村との連携事業を場所・事業名で検索",
    "empty": "東京都と全国の道府県・市区町村との連携事業の一覧",
    "redirect": "東京都と全国の道府県・市区町村との連携事業の一覧",
}
DESCRIBE: dict[str, Callable[[SiteRenderer, Page], str]] = {
    "home": of_home,
    "year": of_year,
    "project": of_project,
    "prefecture": of_prefecture,
    "municipality": of_municipality,
    "field": of_field,
    "bureau": of_bureau,
    "group": of_group,
    "changes": of_changes,
    "markdown_page": of_markdown_page,
    **{kind: (lambda r, page, text=text: text) for kind, text in FIXED.items()},
}


def share_of(r: SiteRenderer, page: Page, title: str) -> Share:
    """The head of ``page``: the site's name once in the title, its feed and image with --base-url."""
    full = title if title == SITE_NAME else f"{title} | {SITE_NAME}"
    description = DESCRIBE[page.kind](r, page)
    if not r.base_url:
        return Share(full, description)
    own = page.kind in FEED_KINDS
    feed = paths.feed_path(page.path) if own else paths.FEED
    label = f"{subject_title(r, page.kind, page.key)}の事業" if own else "新しい年度の一覧"
    image = paths.preview_path(page.path) if page.kind in PREVIEW_KINDS else paths.SITE_PREVIEW
    return Share(full, description, feed, f"{label}をフィードで購読(Atom)", image)
