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
    present = set(numbers)
    gaps, gap_problems, problems = [], [], []
    highest, late = 0, None  # late: the run of numbers out of order being read (first row, first, last)
    for row, number, following in zip(rows, numbers, [*numbers[1:], None], strict=True):
        if number <= highest:
            if late and number == late[2] + 1:
                late = (late[0], late[1], number)
            else:
                problems += _out_of_order(late, highest)
                late = (row, number, number)
            continue
        problems += _out_of_order(late, highest)
        late = None
        for first, last in _runs([n for n in range(highest + 1, number) if n not in present]):
            gaps.append(span(first, last))
            lost = "a page lost?" if row.source.unit == "page" else "a row deleted?"
            gap_problems.append(Problem(row.source, f"No. {span(first, last)} missing ({lost}); {ALLOW_HINT}"))
        highest = number
        if row.rest_lost:
            problems.append(_rest_lost(row, number, following))
        elif row.source.unit == "page" and row.source.last > row.source.first and following not in (None, number + 1):
            problems.append(
                Problem(
                    row.source.at(row.source.last),
                    f"No. {number} is continued at the top of page {row.source.last}, but No. {following} "
                    "follows it there: the part joined to it belongs to another row (a page lost or out of order?)",
                )
            )
    problems += _out_of_order(late, highest)
    return Sequence(tuple(gaps), tuple(gap_problems), tuple(problems))


def _rest_lost(row: Row, number: int, following: int | None) -> Problem:
    end = row.source.last
    if following is None:
        return Problem(
            row.source.at(end),
            f"No. {number} is cut at the end of the last page: the rest of it is missing (a page lost?)",
        )
    return Problem(
        row.source.at(end + 1),
        f"No. {number} is cut at the end of page {end}, but this page begins with No. {following}: "
        f"the rest of No. {number} is missing (a page lost or out of order?)",
    )


def _out_of_order(late: tuple[Row, int, int] | None, highest: int) -> list[Problem]:
    if late is None:
        return []
    row, first, last = late
    return [Problem(row.source, f"No. {span(first, last)} out of order: after No. {highest}{_why(row)}")]


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _why(row: Row) -> str:
    return " (pages out of order?)" if row.source.unit == "page" else ""
