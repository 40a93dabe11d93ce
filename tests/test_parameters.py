"""Every parameter is documented, sourced and validated."""

import re
from dataclasses import fields

import pytest

from model import ParameterError, Parameters, ReentryModel
from model.parameters import parameter_table

SOURCE = re.compile(r"(assumption|\b(BrugBinnenBuiten2023|HU2020|ESHPM2019|Leiden2024)\b)")


def test_every_parameter_has_unit_range_kind_and_source():
    rows = parameter_table()
    assert len(rows) == len(fields(Parameters)) > 50
    for row in rows:
        assert row["unit"] and row["allowed"] and row["doc"], row["name"]
        assert row["kind"] in ("lever", "calibrated", "fixed"), row["name"]
        assert SOURCE.search(row["source"]), f"{row['name']}: {row['source']!r}"


def test_calibrated_parameters_are_assumptions_and_levers_are_not_fitted():
    for row in parameter_table():
        if row["kind"] == "calibrated":
            assert "assumption" in row["source"] or "calibrated" in row["source"], row["name"]


def test_defaults_are_valid_and_settable_from_a_dict_and_a_file(tmp_path):
    p = Parameters.from_dict({"capacity_housing": 20, "benefit_advance": True})
    assert p.capacity_housing == 20.0 and isinstance(p.capacity_housing, float)
    f = tmp_path / "p.toml"
    f.write_text("[parameters]\npromotion_good_weeks = 8.0\nqueue_policy = 'priority'\n")
    q = Parameters.from_toml(f)
    assert q.promotion_good_weeks == 8 and isinstance(q.promotion_good_weeks, int)
    assert q.queue_policy == "priority"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"capacity_housng": 1},
            "unknown parameter 'capacity_housng'; did you mean 'capacity_housing'?",
        ),
        ({"success_alone": 1.2}, "success_alone must be in [0.0, 1.0]"),
        ({"gating_inside": "yes"}, "gating_inside must be one of true, false"),
        ({"promotion_good_weeks": 2.5}, "promotion_good_weeks must be an integer in [1, 26]"),
        ({"living_climate": "high"}, "living_climate must be a number in [0.25, 3.0]"),
        (
            {"benefit_delay_min_weeks": 14},
            "benefit_delay_min_weeks must be <= benefit_delay_max_weeks",
        ),
    ],
)
def test_bad_values_give_one_line_errors_naming_the_field(values, message):
    with pytest.raises(ParameterError) as err:
        Parameters.from_dict(values)
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "stream"}, "mode must be one of cohort, flow"),
        ({"persons": 0}, "persons must be an integer in [1,"),
        ({"weeks": 2.5}, "weeks must be an integer"),
        ({"seed": -1}, "seed must be a non-negative integer"),
    ],
)
def test_model_arguments_are_validated(kwargs, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        ReentryModel(**kwargs)


def test_base_chances_at_the_ends_of_their_allowed_range_run():
    """A chance of 0 or 1 is allowed, so a run must take it: 0 means never (no offence)."""
    from model import ReentryModel

    ends = {"ask_base_per_week": 1.0, "offence_base_per_week": 0.0, "misconduct_base_per_week": 0.0}
    weekly = ReentryModel("flow", persons=300, weeks=60, warmup=52, params=ends).run()
    assert weekly.weekly_table()["offences"].sum() == 0
