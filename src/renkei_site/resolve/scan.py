"""The state of scanning one cell, and small pure functions on its folded text."""

from __future__ import annotations

from dataclasses import dataclass, field

from .gazetteer import Found
from .mention import Mention
from .wording import SEPARATORS, balanced


@dataclass
class Scan:
    """State while scanning one cell."""

    role: str
    column: str
    original: str
    folded: str
    offsets: list[int]  # folded index -> original index
    mentions: list[Mention] = field(default_factory=list)
    section: str = ""
    part: str = ""  # ①, ② … heading the labels after it
    context_pref: str = ""
    context_city: str = ""  # the designated city of the ward read last: a bare ward after it is its
    note_start: int = 0
    brackets: list[tuple[int, str]] = field(default_factory=list)  # (mention index, via label)
    vias: list[str] = field(default_factory=list)  # the non-empty via labels of open brackets
    sees_remarks: bool = False
    last_end: int = 0
    unread_start: int | None = None  # start of text no rule has consumed yet
    prefix: str = ""  # wording that ran straight into the next name: its qualifier

    def surface(self, start: int, end: int) -> str:
        return self.original[self.offsets[start] : self.offsets[end]]


def joined(scan: Scan, start: int, end: int, found: Found, name: str) -> dict[str, str]:
    """A name read across the spaces a wrapped cell left in it is reported: 佐世 保市→佐世保市."""
    return {"correction": f"{scan.surface(start, end)}→{name}"} if found.spaced else {}


def adjacent(text: str, index: int, scan: Scan) -> bool:
    """True when the bracket follows the last mention directly: a member list."""
    return not text[scan.last_end : index].strip()


def label(text: str) -> str:
    """A section label without its wrapping brackets or trailing colon: 具体的な連携."""
    text = text.strip().rstrip(":：は")
    if text[:1] in "(（[［【" and text[-1:] in ")）]］】":
        text = text[1:-1]
    return balanced(text).strip()


def skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index] == " ":
        index += 1
    return index


def at_token_start(text: str, index: int) -> bool:
    return index == 0 or text[index - 1] in SEPARATORS


def token_end(text: str, index: int, limit: int | None = None) -> int:
    """Where the word at ``index`` ends (at most ``limit`` characters on: callers that only
    want short words stay linear on text without separators)."""
    stop = len(text) if limit is None else min(len(text), index + limit)
    while index < stop and text[index] not in SEPARATORS and text[index] != "※":
        index += 1
    return index


def mid_word(before: str) -> bool:
    """Whether a name found after ``before`` (the unread start of its word) would be read from the
    middle of a longer name: one or two kanji run straight into it (桧|原村), after any 郡."""
    stem = before.rpartition("郡")[2]
    return 1 <= len(stem) <= 2 and all(is_kanji(c) for c in stem)


def is_kanji(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


def one_substitution(a: str, b: str, only: dict[str, str] | None = None) -> bool:
    """Whether ``b`` is ``a`` with one letter changed (with ``only``: to an old form of it, as b: a)."""
    if len(a) != len(b):
        return False
    changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(changed) == 1 and (only is None or only.get(changed[0][1]) == changed[0][0])
