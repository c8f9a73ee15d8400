"""Wording around the names in a cell: separators, brackets, particles and clauses.

Pure functions on strings, used by the normalizer to keep a cell's wording
whole: what follows a name and starts with a particle (の, に, と …) describes
that name, and what runs straight into a name (結婚支援に取り組む全国道府県)
describes the name it runs into.
"""

from __future__ import annotations

SEPARATORS = set("、・,，;；/／ \u3000()（）[]［］「」『』【】:：。")
BRACKETS = {"(": ")", "（": "）", "[": "]", "［": "］", "「": "」", "『": "』", "【": "】"}
CLOSERS = {close: open_ for open_, close in BRACKETS.items()}
EDGES = "".join(sorted(SEPARATORS - set(BRACKETS) - set(CLOSERS))) + "\n"
LEADING = EDGES + "".join(CLOSERS)  # what a clause cannot start with
CLAUSE_ENDS = set("、。,，;；")  # not a space: in the list, a space is where the PDF wrapped a cell


def unmatched(text: str) -> list[int]:
    """Positions of the brackets that have no partner in the text."""
    stack: list[tuple[str, int]] = []
    alone: list[int] = []
    for index, char in enumerate(text):
        if char in BRACKETS:
            stack.append((char, index))
        elif char in CLOSERS:
            if stack and stack[-1][0] == CLOSERS[char]:
                stack.pop()
            else:
                alone.append(index)
    return sorted(alone + [index for _, index in stack])


def balanced_pieces(text: str) -> list[str]:
    """The text cut at the brackets that have no partner in it: 「東京事務所)秩父郡」 → 東京事務所, 秩父郡;
    「60団体(2021年)」 stays whole.  Each piece is a substring of the text."""
    pieces, start = [], 0
    for index in [*unmatched(text), len(text)]:
        pieces.append(text[start:index])
        start = index + 1
    return [piece for piece in pieces if piece]


def balanced(text: str) -> str:
    """The text without the brackets that have no partner in it."""
    return "".join(balanced_pieces(text))


def strip_words(text: str, words: list[str]) -> str:
    """Text without separators, the given words, and brackets with no partner at either end
    (「国及び」 → 「国」, 「(2021年」 → 「2021年」)."""
    before = None
    while before != text:
        before = text
        text = text.strip(EDGES)
        alone = unmatched(text)
        if alone and alone[0] == 0:
            text = text[1:]
        elif alone and alone[-1] == len(text) - 1:
            text = text[:-1]
        for word in words:
            text = text.removeprefix(word).removesuffix(word)
    return text


def leading(text: str, words: list[str]) -> str | None:
    """The word of ``words`` the text starts with, if any (longest first)."""
    return next((word for word in sorted(words, key=len, reverse=True) if text.startswith(word)), None)


def first_clause(text: str) -> tuple[str, str]:
    """(the text up to the first clause end outside brackets, the rest from there on)."""
    depth = 0
    for index, char in enumerate(text):
        if char in BRACKETS:
            depth += 1
        elif char in CLOSERS and depth:
            depth -= 1
        elif (char in CLAUSE_ENDS or char in CLOSERS) and depth == 0:  # a closer of an outer bracket ends it too
            return text[:index], text[index:]
    return text, ""


def last_clause(text: str) -> tuple[str, str]:
    """(the text before the last clause end outside brackets, the clause after it)."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char in CLOSERS:
            depth += 1
        elif char in BRACKETS and depth:
            depth -= 1
        elif (char in CLAUSE_ENDS or char in BRACKETS) and depth == 0:  # so does an opener of an outer one
            return text[: index + 1], text[index + 1 :]
    return "", text
