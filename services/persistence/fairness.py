"""The adverse-impact monitor (docs/fairness.md): how the interviewer's outcomes fall across the groups
candidates say they belong to, in the shape of NYC Local Law 144's bias audits.

For each dimension (sex, race/ethnicity, the two together, age band, under or over 40) and each of its
categories: the completed interviews, how many the AI recommended ("yes" or "strong yes": the selection
rate) and how many scored above the median overall score of all the interviews looked at (the scoring
rate), each rate's impact ratio against the category with the highest rate, and the four-fifths flag where
a ratio is below 0.8. Candidates who did not say are counted apart as unknown and left out of the ratios.

A category is shown only with at least `min_group` interviews (5 by default) and at least 2% of the
interviews whose category on that dimension is known (the allowance LL144's rules give auditors): below
that a rate says more about one or two people than about a group, and could single them out. More are
hidden where subtracting shown figures from a shown total would give a hidden one's (`shown_cells`:
complementary suppression). A hidden category is not named, neither compared nor the one compared against.
Each gap comes with Fisher's exact test; with dozens of comparisons per analysis a few small p-values are
expected by chance alone. Pure functions of the rows: tests feed them directly (tests/unit/test_fairness.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean, median
from typing import get_args

from pydantic import BaseModel

from services.persistence.documents import DemographicRow
from services.persistence.significance import fisher_exact, holm
from shared.contracts.events import AgeBand, RaceEthnicity, Sex

FOUR_FIFTHS = 0.8
MIN_SHARE = 0.02  # of the known: LL144's rules let an auditor leave out categories below 2% of the data
DEFAULT_MIN_GROUP = 5
SELECTED = ("yes", "strong yes")
UNKNOWN = "prefer_not_to_say"
LABELS: dict[str, str] = {
    "female": "Female",
    "male": "Male",
    "another": "Another gender",
    "hispanic_or_latino": "Hispanic or Latino",
    "white": "White",
    "black_or_african_american": "Black or African American",
    "native_hawaiian_or_pacific_islander": "Native Hawaiian or Pacific Islander",
    "asian": "Asian",
    "american_indian_or_alaska_native": "American Indian or Alaska Native",
    "two_or_more_races": "Two or more races",
    "under_30": "Under 30",
    "30_39": "30-39",
    "40_49": "40-49",
    "50_59": "50-59",
    "60_and_over": "60 and over",
    "under_40": "Under 40",
    "40_and_over": "40 and over",
}
SEXES = [c for c in get_args(Sex) if c != UNKNOWN]
RACES = [c for c in get_args(RaceEthnicity) if c != UNKNOWN]
AGE_BANDS = [c for c in get_args(AgeBand) if c != UNKNOWN]


def _age_40(row: DemographicRow) -> str:
    if row.age_band == UNKNOWN:
        return UNKNOWN
    return "under_40" if row.age_band in ("under_30", "30_39") else "40_and_over"


def _sex_and_race(row: DemographicRow) -> str:
    if UNKNOWN in (row.sex, row.race_ethnicity):
        return UNKNOWN
    return f"{row.sex}/{row.race_ethnicity}"


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    categories: Sequence[str]
    category_of: Callable[[DemographicRow], str]


DIMENSIONS = (
    Dimension("sex", "Sex", SEXES, lambda row: row.sex),
    Dimension("race_ethnicity", "Race/ethnicity", RACES, lambda row: row.race_ethnicity),
    Dimension(
        "sex_and_race_ethnicity",
        "Intersectional (sex and race/ethnicity)",
        [f"{s}/{r}" for s in SEXES for r in RACES],
        _sex_and_race,
    ),  # fmt: skip
    Dimension("age_band", "Age band", AGE_BANDS, lambda row: row.age_band),
    Dimension("age_40", "Age (under 40, 40 and over)", ["under_40", "40_and_over"], _age_40),
)


def label(category: str) -> str:
    return " / ".join(LABELS.get(part, part) for part in category.split("/"))


class CategoryImpact(BaseModel):
    category: str
    label: str
    interviews: int
    selected: int
    selection_rate: float
    impact_ratio: float | None = None  # selection rate / the highest shown category's
    mean_score: float
    scoring_rate: float  # share scoring above the median overall score of all interviews
    scoring_impact_ratio: float | None = None
    four_fifths_flag: bool = False  # the selection rate's impact ratio is below 0.8
    scoring_flag: bool = False  # the scoring rate's impact ratio is below 0.8
    # Fisher's exact test against the category compared with (None for that one): how likely a gap at least
    # this large is by chance alone; below 0.05 it is unlikely to be chance
    p_value: float | None = None
    scoring_p_value: float | None = None
    # the same, adjusted for the analysis's many comparisons (Holm's step-down over every p-value it shows):
    # below 0.05, the gap is unlikely to be chance even counting every other gap looked at
    adjusted_p_value: float | None = None
    scoring_adjusted_p_value: float | None = None


class DimensionImpact(BaseModel):
    dimension: str
    label: str
    unknown: int  # interviews whose candidate did not say: left out of this dimension's ratios
    hidden: int  # categories with interviews whose figures are not shown (too few, or to protect another)
    categories: list[CategoryImpact]  # the shown ones (a hidden one is not even named)

    @property
    def flagged(self) -> list[str]:
        return [c.category for c in self.categories if c.four_fifths_flag or c.scoring_flag]


class PositionFlags(BaseModel):
    position_id: str | None  # None: interviews started without a position
    interviews: int
    flagged: list[str]  # "dimension: category" of each category flagged (selection or scoring)


class AdverseImpact(BaseModel):
    position_id: str | None
    since: str | None
    until: str | None
    interviews: int  # completed interviews looked at
    self_identified: int  # of them, how many candidates answered the form (any answer)
    selected: int
    median_score: float | None
    min_group: int
    rule: str
    dimensions: list[DimensionImpact]
    positions: list[PositionFlags]  # each position's own flags (the overall analysis only)


def rule_text(min_group: int) -> str:
    return (
        f"Selected: the AI recommended 'yes' or 'strong yes'. Scoring rate: the share scoring above the median "
        f"overall score of all the interviews analysed (whether their candidates said or not). Impact ratio: a "
        f"category's rate divided by the highest rate of the shown categories; below {FOUR_FIFTHS} (four-fifths) is "
        f"flagged. p: Fisher's exact test of the gap; adjusted p: the same after Holm's adjustment for all the "
        f"comparisons of the analysis (with many comparisons, some small p-values come by chance). A "
        f"category is shown only with at least {min_group} completed interviews and at least {MIN_SHARE:.0%} of those "
        f"whose category is known, and more are hidden where a hidden one's figures could be worked out from shown "
        f"ones; candidates who did not say are counted as unknown and left out of the ratios."
    )


Cell = tuple[str, str]  # (dimension, category)
Groups = dict[Cell, list[DemographicRow]]


def _relations() -> list[tuple[Cell | None, list[Cell]]]:
    """Which shown figures add up to which: each dimension's categories to all who said (known from the
    totals and the unknown), the age bands to under or over 40, the intersectional categories to their sex
    and to their race/ethnicity. A hidden category must not be the difference of shown ones."""
    relations: list[tuple[Cell | None, list[Cell]]] = [(None, [(d.name, c) for c in d.categories]) for d in DIMENSIONS]
    relations += [
        (("age_40", "under_40"), [("age_band", "under_30"), ("age_band", "30_39")]),
        (("age_40", "40_and_over"), [("age_band", b) for b in ("40_49", "50_59", "60_and_over")]),
    ]
    relations += [(("sex", s), [("sex_and_race_ethnicity", f"{s}/{r}") for r in RACES]) for s in SEXES]
    relations += [(("race_ethnicity", r), [("sex_and_race_ethnicity", f"{s}/{r}") for s in SEXES]) for r in RACES]
    return relations  # fmt: skip


RELATIONS = _relations()


def shown_cells(groups: Groups, min_group: int, total: int) -> set[Cell]:
    """The categories whose figures may be shown: each with at least `min_group` interviews and 2% of its
    dimension's known, and then (complementary suppression) more hidden wherever the hidden part of a shown
    sum would otherwise be smaller than `min_group` yet not empty, so that subtracting shown figures from a
    shown total never gives the figures of fewer than `min_group` people. A sum that also holds people of no
    category in it (who did not say: their figures are not shown) cannot be taken apart that way."""
    known = {d.name: sum(len(m) for (name, _), m in groups.items() if name == d.name) for d in DIMENSIONS}
    shown = {cell for cell, m in groups.items() if len(m) >= min_group and len(m) >= MIN_SHARE * known[cell[0]]}
    changed = True
    while changed:
        changed = False
        for parent, children in RELATIONS:
            if parent is not None and parent not in shown:
                continue
            present = [c for c in children if c in groups]
            whole = len(groups.get(parent, [])) if parent is not None else total
            if whole != sum(len(groups[c]) for c in present):
                continue  # some of it said nothing on the children's dimension: not a sum of them
            remainder = sum(len(groups[c]) for c in present if c not in shown)
            visible = sorted((c for c in present if c in shown), key=lambda c: (len(groups[c]), c))
            while 0 < remainder < min_group and visible:
                smallest = visible.pop(0)
                shown.discard(smallest)
                remainder += len(groups[smallest])
                changed = True
    return shown


def _groups(rows: Iterable[DemographicRow]) -> tuple[Groups, dict[str, int]]:
    groups: Groups = {}
    unknown = {d.name: 0 for d in DIMENSIONS}
    for row in rows:
        for dimension in DIMENSIONS:
            category = dimension.category_of(row)
            if category == UNKNOWN:
                unknown[dimension.name] += 1
            else:
                groups.setdefault((dimension.name, category), []).append(row)
    return groups, unknown


def _dimensions(rows: Sequence[DemographicRow], min_group: int) -> list[DimensionImpact]:
    scores = [row.overall_score for row in rows]
    middle = median(scores) if scores else None
    groups, unknown = _groups(rows)
    shown = shown_cells(groups, min_group, len(rows))
    return _adjusted([_dimension(d, groups, shown, unknown[d.name], middle) for d in DIMENSIONS])


def _adjusted(dimensions: list[DimensionImpact]) -> list[DimensionImpact]:
    """Every p-value of the analysis (each dimension, both rates) adjusted together by Holm's step-down."""
    tests = [(c, field) for d in dimensions for c in d.categories for field in ("p_value", "scoring_p_value")
             if getattr(c, field) is not None]  # fmt: skip
    for (category, field), adjusted in zip(tests, holm([getattr(c, f) for c, f in tests]), strict=True):
        setattr(category, field.replace("p_value", "adjusted_p_value"), round(adjusted, 4))
    return dimensions


def adverse_impact(
    rows: Sequence[DemographicRow],
    min_group: int = DEFAULT_MIN_GROUP,
    position_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> AdverseImpact:
    """The analysis of these rows (a position's, or all: then with each position's flags too)."""
    rows = [row for row in rows if (since is None or row.completed_at >= since) and
            (until is None or row.completed_at < until)]  # fmt: skip
    middle = median(row.overall_score for row in rows) if rows else None
    positions = []
    if position_id is None:
        by_position: dict[str | None, list[DemographicRow]] = {}
        for row in rows:
            by_position.setdefault(row.position_id, []).append(row)
        for pid, its_rows in sorted(by_position.items(), key=lambda item: (item[0] is None, item[0] or "")):
            flags = [f"{d.dimension}: {c}" for d in _dimensions(its_rows, min_group) for c in d.flagged]
            positions.append(PositionFlags(position_id=pid, interviews=len(its_rows), flagged=flags))
    return AdverseImpact(
        position_id=position_id,
        since=since,
        until=until,
        interviews=len(rows),
        self_identified=sum(row.provided for row in rows),
        selected=sum(row.hire_recommendation in SELECTED for row in rows),
        median_score=round(middle, 2) if middle is not None else None,
        min_group=min_group,
        rule=rule_text(min_group),
        dimensions=_dimensions(rows, min_group),
        positions=positions,
    )


def _dimension(
    dimension: Dimension, groups: Groups, shown_anywhere: set[Cell], unknown: int, middle: float | None
) -> DimensionImpact:
    present = [c for c in dimension.categories if (dimension.name, c) in groups]
    shown = {c: groups[(dimension.name, c)] for c in present if (dimension.name, c) in shown_anywhere}
    chosen = {c: sum(r.hire_recommendation in SELECTED for r in m) for c, m in shown.items()}
    above = {c: sum(middle is not None and r.overall_score > middle for r in m) for c, m in shown.items()}
    selection = {c: chosen[c] / len(m) for c, m in shown.items()}
    scoring = {c: above[c] / len(m) for c, m in shown.items()}
    best_selection, best_scoring = max(selection.values(), default=0.0), max(scoring.values(), default=0.0)
    # the categories compared against: the first with the highest rate, in the dimension's order
    top = next((c for c in shown if selection[c] == best_selection), None)
    top_scoring = next((c for c in shown if scoring[c] == best_scoring), None)
    categories = []
    for category, members in shown.items():
        impact = _ratio(selection[category], best_selection)
        scoring_impact = _ratio(scoring[category], best_scoring)
        categories.append(
            CategoryImpact(
                category=category,
                label=label(category),
                interviews=len(members),
                selected=chosen[category],
                selection_rate=round(selection[category], 4),
                impact_ratio=impact,
                mean_score=round(fmean(r.overall_score for r in members), 2),
                scoring_rate=round(scoring[category], 4),
                scoring_impact_ratio=scoring_impact,
                four_fifths_flag=impact is not None and impact < FOUR_FIFTHS,
                scoring_flag=scoring_impact is not None and scoring_impact < FOUR_FIFTHS,
                p_value=_against(chosen, shown, category, top),
                scoring_p_value=_against(above, shown, category, top_scoring),
            )
        )
    return DimensionImpact(dimension=dimension.name, label=dimension.label, unknown=unknown,
                           hidden=len(present) - len(shown), categories=categories)  # fmt: skip


def _ratio(rate: float, best: float) -> float | None:
    return round(rate / best, 4) if best > 0 else None


def _against(
    hits: dict[str, int], shown: dict[str, list[DemographicRow]], category: str, top: str | None
) -> float | None:
    """Fisher's exact test of the category's rate against the top category's: None for the top itself, and
    where no one has any (no ratio either)."""
    if top is None or category == top or hits[top] == 0:
        return None
    return round(fisher_exact(hits[category], len(shown[category]), hits[top], len(shown[top])), 4)


CSV_COLUMNS = ("table", "category", "number_of_applicants", "number_selected", "selection_rate", "impact_ratio",
               "four_fifths_flag", "mean_score", "scoring_rate", "scoring_impact_ratio", "scoring_flag", "p_value",
               "scoring_p_value", "adjusted_p_value", "scoring_adjusted_p_value")  # fmt: skip


def audit_csv(analysis: AdverseImpact) -> str:
    """The audit's tables in one CSV, as LL144's published summaries lay them out: per dimension, one line
    per category (number of applicants, selected, selection rate, impact ratio, and the scoring rate and
    its ratio), a line for the categories too small to show, and one for the unknown."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for dimension in analysis.dimensions:
        hidden = dimension.hidden
        for c in dimension.categories:
            writer.writerow((dimension.label, c.label, c.interviews, c.selected, c.selection_rate, _cell(c.impact_ratio),
                             _yes(c.four_fifths_flag), c.mean_score, c.scoring_rate, _cell(c.scoring_impact_ratio),
                             _yes(c.scoring_flag), _cell(c.p_value), _cell(c.scoring_p_value),
                             _cell(c.adjusted_p_value), _cell(c.scoring_adjusted_p_value)))  # fmt: skip
        if hidden:
            what = "category" if hidden == 1 else "categories"
            writer.writerow((dimension.label, f"{hidden} {what} not shown (fewer than {analysis.min_group}, under 2%, "
                             "or to protect another)", *[""] * (len(CSV_COLUMNS) - 2)))  # fmt: skip
        writer.writerow((dimension.label, "Unknown (not included in the ratios)", dimension.unknown,
                         *[""] * (len(CSV_COLUMNS) - 3)))  # fmt: skip
    return out.getvalue()


def _cell(value: float | None) -> object:
    return "" if value is None else value


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
