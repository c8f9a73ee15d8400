"""Standard characters for the look-alikes PDFs give.

A font often draws a kanji and the CJK radical of the same shape with one glyph,
and a PDF maps that glyph back to one code point, often the radical: text from
such a PDF reads ⾃ (U+2F83) for 自, ⼤ for 大, ⻑ for 長, and ‧ (U+2027) for ・.
Every reader passes its text through ``standard_chars``: NFKC for the Kangxi
Radicals block, a reviewed table for the CJK Radicals Supplement (NFKC leaves
all but two alone) and a few other look-alikes.  Nothing else is normalized:
full-width letters, digits and brackets stay as the list has them.
"""

from __future__ import annotations

import re
import unicodedata

KANGXI = range(0x2F00, 0x2FE0)
SUPPLEMENT = range(0x2E80, 0x2F00)

# The CJK Radicals Supplement: radical, then the ideograph it stands for.  Each pair
# is one glyph in Noto Sans CJK JP (so a PDF may give either), except ⻁⻆⻗⻝⻣⻤⻔,
# whose equivalents are Unicode's (EquivalentUnifiedIdeograph.txt).  Reviewed by hand.
SUPPLEMENT_PAIRS = (
    "⺂乛 ⺃乚 ⺅亻 ⺇𠘨 ⺉刂 ⺋㔾 ⺍𭕄 ⺎兀 ⺏尣 ⺐尢 ⺒巳 ⺓幺 ⺔彑 ⺖忄 ⺘扌 ⺙攵 ⺛旡 ⺞歺 ⺟母 ⺠民 "
    "⺡氵 ⺣灬 ⺤爫 ⺦丬 ⺨犭 ⺩𤣩 ⺫罒 ⺭礻 ⺮𥫗 ⺯糹 ⺰纟 ⺱罓 ⺲罒 ⺹耂 ⺺肀 ⺽𦥑 ⺾艹 ⺿艹 ⻀艹 ⻁虎 "
    "⻂衤 ⻃覀 ⻄西 ⻅见 ⻆角 ⻇𧢲 ⻈讠 ⻉贝 ⻊𧾷 ⻋车 ⻌辶 ⻍辶 ⻐钅 ⻑長 ⻒镸 ⻓长 ⻔门 ⻕𨸏 ⻖阝 ⻗雨 "
    "⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻞𩙿 ⻟飠 ⻠饣 ⻡𩠐 ⻢马 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻫斉 "
    "⻬齐 ⻭歯 ⻮齿 ⻯竜 ⻰龙 ⻲亀 ⻳龟"
)
LOOK_ALIKES = {
    "\u2027": "・",  # HYPHENATION POINT for KATAKANA MIDDLE DOT (Chromium/Skia, Word)
    "\u2219": "・",  # BULLET OPERATOR for KATAKANA MIDDLE DOT
    "\u2f3e": "戸",  # KANGXI RADICAL DOOR: NFKC gives the traditional 戶; Japanese fonts draw 戸 (神戸)
}
LIGATURES = range(0xFB00, 0xFB07)  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ: a font's ligature glyph, the letters in the text


def _table() -> dict[int, str]:
    table = {}
    for code in [*KANGXI, *LIGATURES]:
        standard = unicodedata.normalize("NFKC", chr(code))
        if standard != chr(code):
            table[code] = standard
    table.update({ord(pair[0]): pair[1:] for pair in SUPPLEMENT_PAIRS.split()})
    table.update({ord(char): standard for char, standard in LOOK_ALIKES.items()})
    return table


STANDARD = _table()


def standard_chars(text: str) -> str:
    """The text with every look-alike above replaced by its standard character."""
    return text.translate(STANDARD)


def is_look_alike(char: str) -> bool:
    """A character no record should keep: a radical, or one of the look-alikes above."""
    return ord(char) in STANDARD or ord(char) in KANGXI or ord(char) in SUPPLEMENT


# C0 and C1 controls but tab, line feed, form feed (a page break in pdftotext's text) and
# carriage return: no list has them as text, and NUL would reach the HTML and the CSV.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def control_problem(text: str) -> str | None:
    """Why a text cannot be read as it is (a control character), or None."""
    found = CONTROL.search(text)
    if not found:
        return None
    return (
        f"control character U+{ord(found.group()):04X} in the text: remove it (only tabs and line breaks are allowed)"
    )
