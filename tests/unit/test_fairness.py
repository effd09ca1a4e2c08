"""The adverse-impact analysis (services/persistence/fairness.py) on rows whose figures are worked out by
hand here: rates, impact ratios, the four-fifths flags, what small groups hide, the unknown, the CSV."""

import csv
import io

import pytest

from services.persistence.documents import DemographicRow
from services.persistence.fairness import CSV_COLUMNS, adverse_impact, audit_csv
from services.persistence.significance import fisher_exact, holm


def row(n: int, sex="prefer_not_to_say", race="prefer_not_to_say", age="prefer_not_to_say", hire="no", score=5.0,
        position="pos-a", day="2026-11-10") -> DemographicRow:  # fmt: skip
    return DemographicRow(session_id=f"s{n:04d}", position_id=position, completed_at=f"{day}T10:00:00+00:00",
                          hire_recommendation=hire, overall_score=score, sex=sex, race_ethnicity=race, age_band=age,
                          provided=(sex, race, age) != ("prefer_not_to_say",) * 3)  # fmt: skip


def group(start: int, size: int, selected: int, **fields) -> list[DemographicRow]:
    """`size` rows of one group, the first `selected` of them recommended."""
    return [row(start + i, hire="yes" if i < selected else "no", **fields) for i in range(size)]


def dimension(analysis, name):
    return next(d for d in analysis.dimensions if d.dimension == name)


def category(analysis, name, value):
    return next(c for c in dimension(analysis, name).categories if c.category == value)


def test_selection_rates_impact_ratios_and_the_four_fifths_flag():
    rows = group(0, 10, 6, sex="male") + group(10, 10, 3, sex="female") + group(20, 4, 4)  # 4 did not say
    analysis = adverse_impact(rows)
    male, female = category(analysis, "sex", "male"), category(analysis, "sex", "female")
    assert (male.interviews, male.selected, male.selection_rate, male.impact_ratio) == (10, 6, 0.6, 1.0)
    assert (female.interviews, female.selected, female.selection_rate, female.impact_ratio) == (10, 3, 0.3, 0.5)
    assert female.four_fifths_flag and not male.four_fifths_flag
    assert dimension(analysis, "sex").unknown == 4
    assert (analysis.interviews, analysis.self_identified, analysis.selected) == (24, 20, 13)


def test_a_ratio_of_exactly_four_fifths_is_not_flagged():
    analysis = adverse_impact(group(0, 10, 5, sex="male") + group(10, 10, 4, sex="female"))
    assert category(analysis, "sex", "female").impact_ratio == 0.8
    assert not category(analysis, "sex", "female").four_fifths_flag


def test_a_small_group_is_hidden_unnamed_and_is_not_the_one_compared_against():
    rows = group(0, 10, 5, sex="male") + group(10, 10, 4, sex="female") + group(20, 4, 4, sex="another")
    rows += group(30, 3, 0)  # who did not say: the hidden group's figures cannot be worked out from the rest
    analysis = adverse_impact(rows)
    sex = dimension(analysis, "sex")
    assert [c.category for c in sex.categories] == ["female", "male"] and sex.hidden == 1
    assert category(analysis, "sex", "male").impact_ratio == 1.0  # not 0.5 against the hidden 100%
    shown_with_a_smaller_minimum = adverse_impact(rows, min_group=4)
    assert category(shown_with_a_smaller_minimum, "sex", "another").impact_ratio == 1.0
    assert category(shown_with_a_smaller_minimum, "sex", "male").impact_ratio == 0.5


def test_where_everyone_said_another_is_hidden_so_that_the_small_one_cannot_be_worked_out():
    """24 candidates, all of whom said: 'another' (4) would be 24 - 10 - 10; so the smaller of the others goes."""
    rows = group(0, 10, 5, sex="male") + group(10, 9, 4, sex="female") + group(20, 4, 4, sex="another")
    sex = dimension(adverse_impact(rows), "sex")
    assert [c.category for c in sex.categories] == ["male"] and sex.hidden == 2


def test_a_hidden_age_band_cannot_be_worked_out_from_under_or_over_40():
    """The reviewer's case: four bands of 6 and one person over 60, whose figures 40-and-over minus 40-49
    and 50-59 would give."""
    rows = group(0, 6, 3, age="under_30") + group(6, 6, 3, age="30_39") + group(12, 6, 3, age="40_49")
    rows += group(18, 6, 3, age="50_59") + group(24, 1, 0, age="60_and_over")
    analysis = adverse_impact(rows)
    over_40 = {c.category: c.interviews for c in dimension(analysis, "age_band").categories}
    halves = {c.category: c.interviews for c in dimension(analysis, "age_40").categories}
    assert "60_and_over" not in over_40 and halves.get("40_and_over") == 13  # so one of its bands is hidden too
    assert sum(n for band, n in over_40.items() if band in ("40_49", "50_59")) <= 13 - 5


def test_a_category_under_two_percent_of_the_known_is_hidden():
    rows = group(0, 150, 50, sex="male") + group(150, 150, 50, sex="female") + group(300, 5, 0, sex="another")
    rows += group(400, 3, 0)  # some did not say
    sex = dimension(adverse_impact(rows), "sex")
    assert [c.category for c in sex.categories] == ["female", "male"] and sex.hidden == 1  # 5 of 305: 1.6%


def test_scoring_rate_is_the_share_above_the_median_of_all():
    rows = [row(i, sex="male", score=s) for i, s in enumerate((2, 4, 6, 8, 9))]
    rows += [row(10 + i, sex="female", score=s) for i, s in enumerate((1, 3, 5, 6, 7))]
    rows += [row(20, score=10.0)]  # unknown, but part of the median: 2,4,6,8,9,1,3,5,6,7,10 -> 6
    analysis = adverse_impact(rows)
    assert analysis.median_score == 6
    male, female = category(analysis, "sex", "male"), category(analysis, "sex", "female")
    assert (male.scoring_rate, female.scoring_rate) == (0.4, 0.2)  # 8, 9 against 7
    assert (male.scoring_impact_ratio, female.scoring_impact_ratio) == (1.0, 0.5)
    assert female.scoring_flag and not female.four_fifths_flag  # nobody selected: no selection ratio
    assert female.impact_ratio is None and female.mean_score == 4.4


def test_intersectional_and_age_categories():
    rows = group(0, 5, 5, sex="female", race="asian", age="30_39") + group(
        5, 5, 1, sex="female", race="white", age="40_49"
    )
    rows += group(10, 5, 2, sex="male", age="60_and_over")  # race unknown: not in the intersectional table
    analysis = adverse_impact(rows)
    intersectional = dimension(analysis, "sex_and_race_ethnicity")
    assert [c.label for c in intersectional.categories] == ["Female / White", "Female / Asian"]
    assert intersectional.unknown == 5
    assert category(analysis, "sex_and_race_ethnicity", "female/white").impact_ratio == 0.2
    assert category(analysis, "age_40", "under_40").interviews == 5
    assert category(analysis, "age_40", "40_and_over").interviews == 10
    assert category(analysis, "age_40", "40_and_over").impact_ratio == 0.3


def test_overall_names_each_positions_flags_and_a_period_narrows_it():
    rows = group(0, 10, 8, sex="male") + group(10, 10, 2, sex="female")  # pos-a: female flagged
    rows += group(20, 10, 5, sex="male", position="pos-b", day="2026-12-01")
    rows += group(30, 10, 5, sex="female", position="pos-b", day="2026-12-01")
    overall = adverse_impact(rows)
    flags = {p.position_id: p.flagged for p in overall.positions}
    assert flags["pos-a"] == ["sex: female"]
    assert flags["pos-b"] == []
    assert adverse_impact(rows, position_id="pos-a").positions == []
    december = adverse_impact(rows, since="2026-12-01")
    assert december.interviews == 20 and not category(december, "sex", "female").four_fifths_flag
    november = adverse_impact(rows, until="2026-12-01")
    assert november.interviews == 20 and category(november, "sex", "female").four_fifths_flag


def test_no_rows_and_no_one_selected():
    empty = adverse_impact([])
    assert empty.interviews == 0 and empty.median_score is None
    assert all(d.categories == [] and d.unknown == 0 for d in empty.dimensions)
    nobody = adverse_impact(group(0, 5, 0, sex="male") + group(5, 5, 0, sex="female"))
    assert category(nobody, "sex", "female").impact_ratio is None
    assert not category(nobody, "sex", "female").four_fifths_flag


def test_the_audit_csv_has_one_table_per_dimension_with_the_unknown_and_the_hidden():
    rows = group(0, 10, 6, sex="male") + group(10, 10, 3, sex="female") + group(20, 2, 2, sex="another")
    rows += group(30, 3, 0)
    lines = list(csv.reader(io.StringIO(audit_csv(adverse_impact(rows)))))
    assert tuple(lines[0]) == CSV_COLUMNS
    sex = [line for line in lines[1:] if line[0] == "Sex"]
    assert sex[0][:7] == ["Sex", "Female", "10", "3", "0.3", "0.5", "yes"]
    assert sex[1] == ["Sex", "Male", "10", "6", "0.6", "1.0", "no", "5.0", "0.0", "", "no", "", "", "", ""]
    assert sex[0][11] == "0.3698"  # Fisher's exact test of 3 of 10 against 6 of 10
    assert sex[2][1] == "1 category not shown (fewer than 5, under 2%, or to protect another)"
    assert sex[3][:3] == ["Sex", "Unknown (not included in the ratios)", "3"]
    assert {line[0] for line in lines[1:]} == {d.label for d in adverse_impact(rows).dimensions}


def test_fishers_exact_test_gives_the_textbook_values():
    assert round(fisher_exact(1, 10, 11, 14), 6) == 0.002759  # Wikipedia's example: 1 of 10 against 11 of 14
    assert round(fisher_exact(8, 10, 2, 10), 4) == 0.0230
    assert fisher_exact(0, 5, 0, 5) == 1.0 and fisher_exact(5, 5, 5, 5) == 1.0
    assert fisher_exact(3, 10, 6, 10) == fisher_exact(6, 10, 3, 10)  # two-sided: the same either way round


def test_each_category_is_tested_against_the_one_it_is_compared_with():
    rows = group(0, 10, 8, sex="male") + group(10, 10, 2, sex="female") + group(20, 10, 7, sex="another")
    analysis = adverse_impact(rows)
    male, female, another = (category(analysis, "sex", c) for c in ("male", "female", "another"))
    assert male.p_value is None  # the highest rate: the one compared with
    assert female.p_value == round(fisher_exact(2, 10, 8, 10), 4) == 0.023
    assert another.p_value == 1.0 and not another.four_fifths_flag


def test_holm_adjusts_p_values_as_the_textbook_does():
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 -> kept rising: 0.06 for the last
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == [1.0, 1.0] and holm([]) == [] and holm([0.2]) == [0.2]


def test_every_p_value_of_an_analysis_is_adjusted_for_all_its_comparisons():
    rows = group(0, 10, 8, sex="male") + group(10, 10, 2, sex="female") + group(20, 10, 7, sex="another")
    analysis = adverse_impact(rows)
    shown = [(c, f) for d in analysis.dimensions for c in d.categories for f in ("p_value", "scoring_p_value")
             if getattr(c, f) is not None]  # fmt: skip
    assert len(shown) == 2  # female's and another's selection rates against male's
    expected = holm([getattr(c, f) for c, f in shown])
    assert [getattr(c, f.replace("p_value", "adjusted_p_value")) for c, f in shown] == [round(p, 4) for p in expected]
    female = category(analysis, "sex", "female")
    assert female.adjusted_p_value is not None and female.adjusted_p_value > female.p_value  # a stricter bar
    male = category(analysis, "sex", "male")
    assert male.adjusted_p_value is None  # the category compared with has no test
    assert "Holm" in analysis.rule
