"""How a project involves each prefecture (model.Catalogue.involvement), against a plain
reading of its rule for any project: a prefecture a mention names (the place, or a body in it)
is involved the strongest way it is named (current partner > past partner > named in 備考), with
the names of that way; one only in a current group's members is involved through those groups;
a partner now is one named as current or in a current group.  And the year's per-prefecture
counts (how_counts, by_prefecture) agree with the involvements of its projects.  Projects are
drawn from every mention of FY2022, in any role and order, so the fast paths (one group, many
groups, groups and names together) all meet the plain rule."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei_site import pipeline
from renkei_site.model import HOW_ORDER, Catalogue, names_place

ROLES = ("current", "past", "remarks")
HOW_OF_ROLE = {"current": "named", "past": "past", "remarks": "remarks"}


@pytest.fixture(scope="module")
def fy2022():
    reference = pipeline.load_reference(DATA)
    years = pipeline.load_years(DATA, reference)
    return years, reference


def plain_involvement(cat: Catalogue, project) -> dict[str, tuple]:
    """Prefecture code -> (how, detail, current, roles), read straight from the rule."""
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # pref -> role -> names
    labels = []
    for m in project.mentions:
        if names_place(m):
            names[m.pref_code][m.role].append(m.name)
        elif m.kind == "group" and m.role == "current":
            labels.append(m.name)
    members = {label: {cat.pref_of(code) for code in cat.reference.groups[label].members} for label in labels}
    through = {pref for label in labels for pref in members[label]}
    out = {}
    for pref in through:
        out[pref] = ("group", tuple(dict.fromkeys(label for label in labels if pref in members[label])), True, ())
    for pref, by_role in names.items():
        strongest = next(role for role in ROLES if role in by_role)
        current = "current" in by_role or pref in through
        roles = tuple(role for role in ROLES if role in by_role)
        out[pref] = (HOW_OF_ROLE[strongest], tuple(dict.fromkeys(by_role[strongest])), current, roles)
    return out


def as_tuples(involvement: dict) -> dict[str, tuple]:
    return {pref: (i.how, i.detail, i.current, i.roles) for pref, i in involvement.items()}


def test_every_fy2022_project_involves_its_prefectures_by_the_plain_rule(fy2022):
    years, reference = fy2022
    cat = Catalogue(years, reference)
    for project in cat.all_projects:
        involvement = cat.involvement(project)
        assert as_tuples(involvement) == plain_involvement(cat, project), project.key
        assert all(i.project is project for i in involvement.values())


@st.composite
def drawn_years(draw, fy2022):
    """FY2022 with its projects' mentions drawn anew from every mention of the year, any role."""
    years, _ = fy2022
    (year,) = years
    pool = [m for p in year.projects for m in p.mentions]
    groups = [m for m in pool if m.kind == "group"]
    mention = st.one_of(st.sampled_from(pool), st.sampled_from(groups)).flatmap(
        lambda m: st.sampled_from(ROLES).map(lambda role: replace(m, role=role))
    )
    count = draw(st.integers(1, 12))
    projects = tuple(replace(p, mentions=tuple(draw(st.lists(mention, max_size=9)))) for p in year.projects[:count])
    return [replace(year, projects=projects)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_drawn_project_involves_its_prefectures_by_the_plain_rule_and_the_counts_agree(fy2022, data):
    _, reference = fy2022
    years = data.draw(drawn_years(fy2022))
    cat = Catalogue(years, reference)
    (year,) = years
    for project in year.projects:
        assert as_tuples(cat.involvement(project)) == plain_involvement(cat, project), project.mentions
    expected: dict[str, list] = defaultdict(list)
    for project in year.projects:
        for pref, involvement in cat.involvement(project).items():
            expected[pref].append(involvement)
    by_prefecture = cat.by_prefecture(year)
    assert {pref: [i.project.key for i in invs] for pref, invs in by_prefecture.items()} == {
        pref: [i.project.key for i in invs] for pref, invs in expected.items()
    }
    counts = cat.how_counts(year)
    assert set(counts) == set(expected)
    for pref, involvements in expected.items():
        ways = Counter(i.how for i in involvements)
        assert {how: counts[pref][how] for how in HOW_ORDER} == {how: ways[how] for how in HOW_ORDER}
        assert counts[pref]["current"] == sum(i.current for i in involvements)
        assert counts[pref]["total"] == len(involvements)
