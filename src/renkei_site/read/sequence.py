"""The No. column is a sequence: 1, 2, 3, … in the order the rows were read, whatever the form.

A gap (a row deleted, a page lost) refuses the list naming the numbers, unless the
user says the gap is real (``import --allow-gaps``); a number out of place (pages
swapped) always refuses it.  A row cut at a page break must be followed by the next
No.: otherwise the part joined to it came from another row's page, and the join is
wrong whatever the gaps.  Runs on rows that passed ``table.check_rows`` (every No. a
number, none twice).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from .table import Row, row_number

ALLOW_HINT = "if the list really skips them, import with --allow-gaps"


@dataclass(frozen=True)
class Sequence:
    """What the numbering of a list says: numbers missing (as "18–26"), and every other problem."""

    gaps: tuple[str, ...]
    gap_problems: tuple[Problem, ...]
    problems: tuple[Problem, ...]  # out of order, or a cut row joined to the wrong page


def span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def read_sequence(rows: tuple[Row, ...]) -> Sequence:
    numbers = [row_number(row.text.get("no", "")) for row in rows]
    if any(number is None for number in numbers):
        return Sequence((), (), ())  # check_rows has said so
    gaps, gap_problems, problems = [], [], []
    highest = 0
    for row, number, following in zip(rows, numbers, [*numbers[1:], None], strict=True):
        if number <= highest:
            problems.append(Problem(row.source, f"No. {number} out of order: after No. {highest}{_why(row)}"))
            continue
        if number > highest + 1:
            missing = span(highest + 1, number - 1)
            gaps.append(missing)
            lost = "a page lost?" if row.source.unit == "page" else "a row deleted?"
            gap_problems.append(Problem(row.source, f"No. {missing} missing ({lost}); {ALLOW_HINT}"))
        highest = number
        if row.source.unit == "page" and row.source.last > row.source.first and following not in (None, number + 1):
            problems.append(
                Problem(
                    row.source.at(row.source.last),
                    f"No. {number} is continued at the top of page {row.source.last}, but No. {following} "
                    "follows it there: the part joined to it belongs to another row (a page lost or out of order?)",
                )
            )
    return Sequence(tuple(gaps), tuple(gap_problems), tuple(problems))


def _why(row: Row) -> str:
    return " (pages out of order?)" if row.source.unit == "page" else ""
