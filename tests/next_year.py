"""A realistic FY2023 list made from the real FY2022 one, with known changes (for tests).

What a new April list looks like: rows dropped and added, everything after
them renumbered, last year's 新規 now 継続, 福祉保健局 split into 福祉局 and
保健医療局, a partner moved from current to past, a partner added, one project
renamed with 「(旧:…)」 and one renamed silently (linked by
data/project_links.yaml).  Printed the way ``pdftotext -layout`` prints the
PDF, in Shift_JIS.  ``EXPECTED`` is exactly what a diff must report.
"""

from __future__ import annotations

from layout_render import render_layout

from renkei_site.read.parse import parse_bytes
from renkei_site.read.table import COLUMNS

TITLE = "令和5年度 全国各地との連携事業一覧(令和5年4月1日時点)"
DROPPED = ("中小企業連携促進ファンド", "レガシーを活用した国内観光促進事業")
NEW_ROW = {
    "bureau": "産業労働局",
    "field": "観光",
    "status": "新規",
    "name": "信州・東京観光連携推進事業",
    "partners_current": "長野県、長野県松本市・軽井沢町",
    "partners_past": "-",
    "description": "長野県及び県内市町と連携し、都内での観光PRと相互送客を行う。",
    "remarks": "詳細は https://www.sangyo-rodo.metro.tokyo.lg.jp/ を参照",
}
NEW_AFTER = "東京と近隣県の魅力再発見事業"  # the new row is inserted after this one
BUREAU_MOVES = {
    "福祉の仕事イメージアップキャンペーン事業": "福祉局",
    "関東甲信越静岡ブロック広域火葬連絡通信訓練": "保健医療局",
}
PARTNER_EDITS = {  # name prefix -> (current, past)
    "TOKYO X ブランド強化支援": ("宮城県、茨城県、群馬県", "宮城県、茨城県、群馬県、山梨県"),
    "利根川水系上下流交流事業": ("群馬県、栃木県", "-"),
}
RENAMES = {
    "木の街並み創出事業": "木の街並み創出推進事業(旧:木の街並み創出事業)",
    "女性しごとEXPO": "女性しごと応援フェスタ",  # linked only by data/project_links.yaml
}
PROJECT_LINKS = "女性しごと応援フェスタ: 女性しごとEXPO\n"

EXPECTED = {
    "added": ["信州・東京観光連携推進事業"],
    "removed": list(DROPPED),
    "changed": {
        "中小企業受注拡大プロジェクト": {"status"},
        "スポーツを通じた被災地交流事業": {"status"},
        "連携による被災地応援事業": {"status"},
        "他自治体等との連携事業(仮称)": {"status"},
        "TOKYO Xブランド強化支援": {"partners_moved_to_past"},  # its line break after X is joined by the rule
        "利根川水系上下流交流事業": {"partners_added"},
        "木の街並み創出推進事業(旧:木の街並み創出事業)": {"name"},
        "女性しごと応援フェスタ": {"name"},
    },
    "bureaus_renamed": {"福祉保健局": ["保健医療局", "福祉局"]},
}


def fy2022_rows(seed: bytes) -> list[dict[str, str]]:
    return [dict(row.text) for row in parse_bytes(seed, "seed").rows]


def next_year_rows(seed: bytes) -> list[dict[str, str]]:
    """FY2022's rows with the changes above, renumbered from 1."""
    rows = []
    for row in fy2022_rows(seed):
        name = row["name"]
        if name in DROPPED:
            continue
        if row["status"] == "新規":
            row["status"] = "継続"
        if name.startswith("オリンピック・パラリンピック大会・地方自治体職員"):
            row["status"] = "新規"  # marked 新規 in FY2022 and, as printed, again in FY2023
        for prefix, bureau in BUREAU_MOVES.items():
            if name.startswith(prefix):
                row["bureau"] = bureau
        for prefix, (current, past) in PARTNER_EDITS.items():
            if name.startswith(prefix):
                row["partners_current"], row["partners_past"] = current, past
        row["name"] = RENAMES.get(name, name)
        rows.append(row)
        if name == NEW_AFTER:
            rows.append(dict(NEW_ROW))
    for number, row in enumerate(rows, start=1):
        row["no"] = str(number)
    return rows


def next_year_list(seed: bytes) -> bytes:
    """The FY2023 list as ``pdftotext -layout`` text in Shift_JIS."""
    rows = [[row[key] for key in COLUMNS] for row in next_year_rows(seed)]
    return render_layout(TITLE, rows).encode("cp932")
