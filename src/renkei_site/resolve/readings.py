"""Readings (hiragana and romaji) of names, computed with pykakasi at import time.

Creating the converter costs ~0.4 s, so it is made once, lazily, and never
during a build: records carry their readings, the reference list carries kana.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..forks import forked_map

SYLLABIC_M = re.compile(r"m(?=[bmp])")  # ん before b, m, p: Hamatombetsu is Hamatonbetsu, Gumma Gunma
LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"))
NOT_ASCII_ALNUM = re.compile(r"[^0-9A-Za-z]+")  # what a romaji key drops
KATAKANA_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}
SHARED_FROM = 200  # texts; fewer are read in one process (a reading costs ~0.4 ms, a fork ~10 ms)


@lru_cache(maxsize=1)
def _converter():
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=65536)
def reading(text: str) -> tuple[str, str]:
    """(hiragana, hepburn romaji without spaces) of a text."""
    parts = _converter().convert(text)
    kana = "".join(part["hira"] for part in parts)
    romaji = "".join(part["hepburn"] for part in parts)
    return kana, romaji


def readings(texts: list[str], jobs: int = 1) -> list[tuple[str, str]]:
    """The readings of distinct texts, in their order; many are shared among ``jobs`` forked
    processes, each with its own converter: pykakasi's dictionaries (~100 MB, kept by the library
    for the life of a process) are then never loaded into this one, which goes on to hold a large
    year."""
    if len(texts) < SHARED_FROM or jobs <= 1:
        return [reading(text) for text in texts]
    size = -(-len(texts) // jobs)
    shares = [texts[start : start + size] for start in range(0, len(texts), size)]
    # forked_map works the first item in this process: an empty one, so that only the forked work
    return [pair for share in forked_map(_readings_of, [[], *shares], len(shares) + 1) for pair in share]


def _readings_of(texts: list[str]) -> list[tuple[str, str]]:
    return [reading(text) for text in texts]


@lru_cache(maxsize=65536)
def fold_romaji(text: str) -> str:
    """Search key for romaji: lower case, macrons dropped, long vowels single (toukyou → tokyo)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).lower())
    text = NOT_ASCII_ALNUM.sub("", text)
    for long, short in LONG_VOWELS:
        while long in text:
            text = text.replace(long, short)
    return SYLLABIC_M.sub("n", text)


@lru_cache(maxsize=65536)
def hiragana(text: str) -> str:
    """Katakana (full or half width) to hiragana, for kana search keys."""
    text = unicodedata.normalize("NFKC", text)
    return text.translate(KATAKANA_HIRAGANA)


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """A URL key from the Hepburn reading: ASCII, lower case, words joined by hyphens, long vowels
    single (スタートアップ・国際金融都市戦略室 → sutatoappu-kokusai-kinyu-toshi-senryaku-shitsu)."""
    pieces = []
    for part in _converter().convert(unicodedata.normalize("NFKC", text)):
        original = part["orig"]
        if original.isascii():
            pieces.append(original.lower())
        else:
            pieces.append(f" {fold_romaji(part['hepburn'])} ")
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in "".join(pieces)).split()
    return "-".join(words)
