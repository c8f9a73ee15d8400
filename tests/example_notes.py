"""One editors' note of every kind and one extra page, for copies of data/ (tests only).

Each uses what Markdown offers here (headings, a table, a footnote, a site link, an outside
link) and one line of raw HTML, which must show as text.  ``MARKER[kind]`` is a phrase found
only in that note.
"""

from __future__ import annotations

from pathlib import Path

TARGETS = {  # kind -> (file under data/notes/, the page it shows on)
    "project": ("projects/2022/001.md", "2022/projects/001/index.html"),
    "prefecture": ("prefectures/nagano.md", "prefectures/nagano/index.html"),
    "municipality": ("municipalities/141305.md", "municipalities/141305/index.html"),
    "bureau": ("bureaus/seisaku-kikaku.md", "bureaus/seisaku-kikaku/index.html"),
    "field": ("fields/kankyo.md", "fields/kankyo/index.html"),
}
MARKER = {kind: f"編集部確認済み雪だるま{kind}" for kind in TARGETS}
PAGE = """# 編集方針

このサイトの注記は編集部が書きます。

## 出典の示し方

[長野県のページ](/prefectures/nagano/)のように、サイトの中へのリンクはサイトの根からのパスで書きます。
"""


def note_text(kind: str) -> str:
    return f"""# {MARKER[kind]}

東京都の[報告](https://example.jp/report/{kind})によれば、[長野県](/prefectures/nagano/)とも連携しています[^1]。

| 年度 | 件数 |
|---|--:|
| 2021 | 3 |

<script>alert('{kind}')</script> は文字として表示されます。

[^1]: 編集部による確認。
"""


def write_notes(data: Path) -> dict[str, Path]:
    """Write every example note and the page ``data/pages/policy.md``; return kind -> file."""
    files = {}
    for kind, (relative, _) in TARGETS.items():
        path = data / "notes" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note_text(kind), encoding="utf-8")
        files[kind] = path
    (data / "pages" / "policy.md").write_text(PAGE, encoding="utf-8")
    files["page"] = data / "pages" / "policy.md"
    return files
