"""Hiragana to modified Hepburn, for tests: written here so the spellings a test searches for
are made independently of the site's own readings (pykakasi, the reference list's romaji)."""

from __future__ import annotations

ROWS = {
    "": "aiueo", "k": "かきくけこ", "s": "さしすせそ", "t": "たちつてと", "n": "なにぬねの", "h": "はひふへほ",
    "m": "まみむめも", "y": "や ゆ よ", "r": "らりるれろ", "w": "わゐ ゑを", "g": "がぎぐげご", "z": "ざじずぜぞ",
    "d": "だぢづでど", "b": "ばびぶべぼ", "p": "ぱぴぷぺぽ",
}  # fmt: skip
SINGLE = {"あ": "a", "い": "i", "う": "u", "え": "e", "お": "o", "ん": "n", "ゔ": "vu"}
IRREGULAR = {
    "し": "shi",
    "ち": "chi",
    "つ": "tsu",
    "ふ": "fu",
    "じ": "ji",
    "ぢ": "ji",
    "づ": "zu",
    "ゐ": "i",
    "ゑ": "e",
    "を": "o",
}
Y_SOUNDS = {"ゃ": "a", "ゅ": "u", "ょ": "o"}


def _table() -> dict[str, str]:
    table = dict(SINGLE)
    for consonant, kana in ROWS.items():
        if not consonant:
            continue
        for char, vowel in zip(kana, "aiueo", strict=True):
            if char != " ":
                table[char] = IRREGULAR.get(char, consonant + vowel)
    return table


TABLE = _table()


def hepburn(kana: str) -> str:
    """きょうと → kyouto, なかのじょう → nakanojou, はまとんべつ → hamatonbetsu, さっぽろ → sapporo."""
    out: list[str] = []
    double = False
    for char in kana:
        if char == "っ":
            double = True
            continue
        if char in Y_SOUNDS:
            last = out.pop() if out else ""
            stem = last[:-1] if last.endswith("i") else last
            if stem.endswith(("sh", "ch", "j")):
                out.append(stem + Y_SOUNDS[char])
            else:
                out.append(stem + "y" + Y_SOUNDS[char])
            continue
        syllable = TABLE.get(char, char)
        if double:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double = False
        out.append(syllable)
    return "".join(out)
