"""Where the data comes from and on what terms it is reused: defined once, quoted by every
download that carries it (the SQLite metadata, the workbook, the data package, the charts), by
the feeds (site/feeds.py) and by the downloads page (templates/downloads.html)."""

from __future__ import annotations

PUBLISHER = "東京都"
SOURCE_TITLE = "全国各地との連携事業一覧"
CREDIT = f"出典:{PUBLISHER}「{SOURCE_TITLE}」(各年度)を加工して作成"  # the attribution to give
LICENSE = "CC BY 4.0"
LICENSE_TITLE = "クリエイティブ・コモンズ 表示 4.0 国際"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"
TERMS = (  # as data/README.md says where they were read: Tokyo's site policy
    f"{PUBLISHER}の公表資料は、{PUBLISHER}のサイトポリシーにより、別に定めのあるものを除き"
    f"{LICENSE_TITLE}({LICENSE}、{LICENSE_URL})で利用できます。このサイトのデータも同じ条件で自由に利用できます。"
    f"利用するときは「{CREDIT.translate(str.maketrans('「」', '『』'))}」のように出典と加工したことを示してください。"
    f"名称の対応づけや訂正はこのサイトによるもので、{PUBLISHER}によるものではありません。"
)
RIGHTS = f"{CREDIT}({LICENSE})"  # the one line a feed or a picture carries
PLACES_CREDIT = "地方公共団体コード: 総務省「全国地方公共団体コード」(政府標準利用規約、CC BY 4.0 互換)"


def as_of(year) -> str:
    """The list's as-of date (YYYY-MM-DD), or the fiscal year's first day when the title gave none."""
    return year.as_of or f"{year.fiscal_year}-04-01"


def year_span(cat) -> str:
    """The years a catalogue holds: 「2022年度」, 「2022–2023年度」."""
    first, last = cat.years[0].fiscal_year, cat.latest.fiscal_year
    return f"{first}年度" if first == last else f"{first}–{last}年度"
