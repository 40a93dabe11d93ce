"""Sensitivity analysis a researcher can trust: confidence intervals, the N-too-small
warning, and uniform, triangular and normal ranges (sweep and sensitivity)."""

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats import qmc

from analysis.sensitivity import analyse, flags, stability_warning
from experiments.design import read_design, salib_problem, sweep_points
from scenarios.loader import ScenarioError

CLI = [sys.executable, "-m", "experiments.cli"]
FAST = ["--workers", "1", "--executor", "serial", "--no-progress"]
HEAD = 'mode = "cohort"\npersons = 100\nweeks = 20\nwarmup = 0\nreplications = 1\n'


def design(tmp_path, text, name="d"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


# ---- the N-too-small warning, end to end


def test_a_tiny_sobol_design_warns_and_names_the_n_needed(tmp_path):
    text = (
        HEAD
        + 'samples = 8\noutputs = ["month3_income", "month3_stable"]\n[ranges]\n'
        + 'success_alone = { dist = "triangular", low = 0.3, mode = 0.5, high = 0.8 }\n'
        + 'ask_base_per_week = { dist = "normal", mean = 0.5, sd = 0.1 }\n'
    )
    out = tmp_path / "o"
    done = subprocess.run(
        [*CLI, "sensitivity", str(design(tmp_path, text)), "--out", str(out), *FAST],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    warned = re.search(r"N = 8 is too small.*use samples = (\d+) or more", done.stderr)
    assert warned, done.stderr
    needed = int(warned.group(1))
    assert needed >= 16 and needed & (needed - 1) == 0  # a larger power of 2
    assert f"samples = {needed}" in (out / "sensitivity_warning.txt").read_text()

    table = pd.read_csv(out / "sensitivity.csv", keep_default_na=False)
    for index in ("S1", "ST"):
        # the CSV keeps six significant digits
        assert np.allclose(table[f"{index}_low"], table[index] - table[f"{index}_conf"], atol=1e-5)
        # the CSV keeps six significant digits
        assert np.allclose(table[f"{index}_high"], table[index] + table[f"{index}_conf"], atol=1e-5)
    # the table says which rows are not to be read: here every one has too wide a CI
    assert table["flag"].str.contains("CI > 0.1").all()
    # nothing clipped: an index outside [0, 1] stays, flagged
    outside = (table[["S1", "ST"]] < 0) | (table[["S1", "ST"]] > 1)
    assert table.loc[outside.any(axis=1), "flag"].str.contains("< 0|> 1").all()

    # the non-uniform ranges reached the model inside their supports
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs["param_success_alone"].between(0.3, 0.8).all()
    assert runs["param_ask_base_per_week"].between(0.0, 1.0).all()
    assert len(runs) == 8 * (2 + 2)


# ---- the rule, on analyses of known functions and on synthetic tables


def _linear_sobol(n):
    """Sobol indices of y = 4 x1 + 2 x2 + 0 x3 (true S1 = ST = 0.8, 0.2, 0)."""
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=1)
    Y = pd.DataFrame({"y": 4 * X[:, 0] + 2 * X[:, 1]})
    return analyse("sobol", problem, X, Y, seed=1)


def test_stable_sobol_indices_do_not_warn_and_their_intervals_bracket_them():
    table = _linear_sobol(2048)
    assert stability_warning(table, "sobol", 2048) is None
    assert (table["flag"] == "").all()
    assert table.loc[0, "ST"] == pytest.approx(0.8, abs=0.05)
    for index in ("S1", "ST"):
        assert (table[f"{index}_low"] <= table[index]).all()
        assert (table[index] <= table[f"{index}_high"]).all()
        # an interval for the parameters with an effect; none for the one without
        assert (table[f"{index}_high"] - table[f"{index}_low"]).gt(0).tolist() == [
            True,
            True,
            False,
        ]


def test_the_same_function_with_few_samples_warns():
    table = _linear_sobol(8)
    message = stability_warning(table, "sobol", 8)
    assert message is not None and "N = 8" in message
    needed = int(re.search(r"samples = (\d+)", message).group(1))
    half = table[["S1_conf", "ST_conf"]].to_numpy().max()
    # N x (half-width / 0.1)^2, rounded up to a power of 2
    assert needed >= 8 * (half / 0.1) ** 2 and needed & (needed - 1) == 0


def sobol_table(s1, s1_conf, st, st_conf):
    return pd.DataFrame(
        {
            "output": "y",
            "parameter": [f"p{i}" for i in range(len(s1))],
            "S1": s1,
            "S1_conf": s1_conf,
            "ST": st,
            "ST_conf": st_conf,
        }
    )


def test_the_sobol_rule_on_synthetic_tables():
    fine = sobol_table([0.5, 0.2, 0.0], [0.05, 0.05, 0.02], [0.6, 0.3, 0.01], [0.08, 0.1, 0.02])
    assert stability_warning(fine, "sobol", 256) is None
    # a half-width of 0.2: N x (0.2 / 0.1)^2 = 4N
    wide = sobol_table([0.5, 0.2], [0.2, 0.05], [0.6, 0.3], [0.08, 0.05])
    assert "use samples = 1024 or more" in stability_warning(wide, "sobol", 256)
    # narrow intervals but ST = 1.3: an error of at least 0.3 -> N x 9, up to a power of 2
    above = sobol_table([0.5, 0.2], [0.05, 0.05], [1.3, 0.3], [0.05, 0.05])
    assert "use samples = 4096 or more" in stability_warning(above, "sobol", 256)
    assert flags(above, "sobol").tolist() == ["ST > 1", ""]
    # S1 = -0.03 is within the slack of the rule, but flagged in the table
    slack = sobol_table([-0.03, 0.2], [0.05, 0.05], [0.1, 0.3], [0.05, 0.05])
    assert stability_warning(slack, "sobol", 256) is None
    assert flags(slack, "sobol").tolist() == ["S1 < 0", ""]


def test_the_morris_rule_looks_at_influential_parameters_only():
    table = pd.DataFrame(
        {
            "output": "y",
            "parameter": ["big", "mid", "tiny"],
            "mu_star": [1.0, 0.5, 0.01],
            "mu_star_conf": [0.2, 0.1, 0.05],  # tiny is noisy, but not influential
            "sigma": [0.3, 0.2, 0.01],
        }
    )
    assert stability_warning(table, "morris", 20) is None
    table.loc[1, "mu_star_conf"] = 0.5  # ratio 1.0: N x (1.0 / 0.5)^2 = 4N
    message = stability_warning(table, "morris", 20)
    assert "use samples = 80 or more" in message and "80 trajectories, 320 points" in message
    assert flags(table, "morris").tolist() == ["", "CI > 0.5 mu*", ""]


def test_morris_intervals_bracket_mu_star():
    from SALib.sample import morris as morris_sample

    problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}
    X = morris_sample.sample(problem, 50, num_levels=4, seed=1)
    Y = pd.DataFrame({"y": 3 * X[:, 0] + X[:, 1] ** 2})
    table = analyse("morris", problem, X, Y, seed=1)
    assert (table["mu_star_low"] <= table["mu_star"]).all()
    assert (table["mu_star"] <= table["mu_star_high"]).all()
    assert table.loc[0, "mu_star"] == pytest.approx(3.0, rel=0.01)
    assert stability_warning(table, "morris", 50) is None


# ---- distributions in design files


def ranges_design(tmp_path, lines, samples=2000):
    return read_design(design(tmp_path, f"samples = {samples}\n[ranges]\n{lines}\n"))


def test_uniform_ranges_give_the_same_latin_hypercube_as_before(tmp_path):
    d = ranges_design(tmp_path, "success_alone = [0.3, 0.8]\nw_no_income = [0.3, 0.9]", 50)
    unit = qmc.LatinHypercube(d=2, seed=d.seed).random(50)
    expected = qmc.scale(unit, [0.3, 0.3], [0.8, 0.9])
    got = np.array([[p["success_alone"], p["w_no_income"]] for p in sweep_points(d)])
    assert np.array_equal(got, expected)  # bit for bit
    spelled = ranges_design(
        tmp_path,
        'success_alone = { dist = "uniform", low = 0.3, high = 0.8 }\nw_no_income = [0.3, 0.9]',
        50,
    )
    assert sweep_points(spelled) == sweep_points(d)
    assert "dists" not in salib_problem(d)


def test_a_triangular_range_has_its_support_shape_and_strata(tmp_path):
    d = ranges_design(
        tmp_path, 'success_alone = { dist = "triangular", low = 0.1, mode = 0.3, high = 0.6 }'
    )
    assert d.ranges["success_alone"] == (0.1, 0.6)
    x = np.array([p["success_alone"] for p in sweep_points(d)])
    assert x.min() >= 0.1 and x.max() <= 0.6
    assert x.mean() == pytest.approx((0.1 + 0.3 + 0.6) / 3, abs=0.002)
    # the mode: the densest of eight equal bins is the one holding 0.3
    counts, edges = np.histogram(x, bins=8, range=(0.1, 0.6))
    assert edges[counts.argmax()] <= 0.3 <= edges[counts.argmax() + 1]
    # still a Latin hypercube: one sample per stratum of probability
    u = stats.triang.cdf(x, 0.4, loc=0.1, scale=0.5)
    assert sorted(np.floor(u * len(x)).astype(int)) == list(range(len(x)))


def test_a_normal_range_is_truncated_to_the_allowed_range(tmp_path):
    d = ranges_design(tmp_path, 'ask_base_per_week = { dist = "normal", mean = 0.5, sd = 0.1 }')
    assert d.ranges["ask_base_per_week"] == (0.0, 1.0)  # the allowed range
    x = np.array([p["ask_base_per_week"] for p in sweep_points(d)])
    assert x.mean() == pytest.approx(0.5, abs=0.005) and x.std() == pytest.approx(0.1, rel=0.05)
    # near a bound: every sample valid, the mean that of the truncated normal
    d = ranges_design(tmp_path, 'ask_base_per_week = { dist = "normal", mean = 0.02, sd = 0.1 }')
    x = np.array([p["ask_base_per_week"] for p in sweep_points(d)])
    assert x.min() >= 0.0 and x.max() <= 1.0
    truncated = stats.truncnorm(-0.2, 9.8, loc=0.02, scale=0.1)
    assert x.mean() == pytest.approx(truncated.mean(), abs=0.003)
    # an integer parameter: whole numbers inside its allowed range [1, 26]
    d = ranges_design(tmp_path, 'promotion_good_weeks = { dist = "normal", mean = 2, sd = 4 }')
    weeks = [p["promotion_good_weeks"] for p in sweep_points(d)]
    assert all(isinstance(w, int) and 1 <= w <= 26 for w in weeks)
    # optional low, high narrow the truncation
    d = ranges_design(
        tmp_path,
        'ask_base_per_week = { dist = "normal", mean = 0.5, sd = 0.3, low = 0.4, high = 0.7 }',
    )
    x = np.array([p["ask_base_per_week"] for p in sweep_points(d)])
    assert x.min() >= 0.4 and x.max() <= 0.7 and x.min() < 0.401 and x.max() > 0.699


def test_salib_gets_its_own_conventions_for_triangular_and_normal(tmp_path):
    from SALib.sample import sobol as sobol_sample

    d = ranges_design(
        tmp_path,
        'success_alone = { dist = "triangular", low = 0.1, mode = 0.3, high = 0.6 }\n'
        'ask_base_per_week = { dist = "normal", mean = 0.5, sd = 0.1 }\n'
        "w_no_income = [0.3, 0.9]",
    )
    problem = salib_problem(d)
    assert problem["dists"] == ["triang", "truncnorm", "unif"]
    # triang: [low, high, peak as a share of the width]; truncnorm: [lower, upper, mean, sd]
    assert problem["bounds"][0] == pytest.approx([0.1, 0.6, 0.4])
    assert problem["bounds"][1] == [0.0, 1.0, 0.5, 0.1]
    X = sobol_sample.sample(problem, 1024, calc_second_order=False, seed=1)
    assert X[:, 0].min() >= 0.1 and X[:, 0].max() <= 0.6
    assert X[:, 0].mean() == pytest.approx(1 / 3, abs=0.01)
    assert X[:, 1].mean() == pytest.approx(0.5, abs=0.01)


BAD_FORMS = [
    ('{ dist = "beta", low = 0.1, high = 0.6 }', "unknown dist 'beta'"),
    ('{ dist = "triangular", low = 0.1, high = 0.6 }', "triangular needs mode"),
    ('{ dist = "normal", mean = 0.5 }', "normal needs sd"),
    ('{ dist = "normal", mean = 0.5, sd = 0 }', "sd must be > 0"),
    ('{ dist = "normal", mean = 0.5, sd = -0.1 }', "sd must be > 0"),
    ('{ dist = "triangular", low = 0.1, mode = 0.8, high = 0.6 }', "mode must lie in"),
    ('{ dist = "triangular", low = 0.6, mode = 0.6, high = 0.6 }', "low must be below high"),
    ('{ dist = "uniform", low = 0.7, high = 0.2 }', "low must be below high"),
    ("[0.7, 0.2]", "two numbers with low < high"),
    ('{ dist = "normal", mean = 1.5, sd = 0.1 }', "mean = 1.5 outside the allowed range"),
    ('{ dist = "triangular", low = -0.1, mode = 0.3, high = 0.6 }', "low = -0.1 outside"),
    ('{ dist = "normal", mean = 0.5, sd = 0.1, high = 2 }', "high = 2 outside"),
    ('{ dist = "normal", mean = 0.5, sd = 0.1, mode = 3 }', "not mode"),
    ('{ dist = "normal", mean = "half", sd = 0.1 }', "must be a number"),
    ("{ low = 0.1, high = 0.6 }", "unknown dist None"),
]


@pytest.mark.parametrize(("form", "problem"), BAD_FORMS)
def test_each_bad_range_form_is_refused_in_one_line(tmp_path, form, problem):
    with pytest.raises(ScenarioError) as caught:
        ranges_design(tmp_path, f"success_alone = {form}")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("d.toml: ranges.success_alone must be [low, high] (uniform)")
    assert 'dist = "triangular"' in message and 'dist = "normal"' in message
    assert problem in message


def test_a_normal_whose_support_breaks_a_joint_constraint_asks_for_bounds(tmp_path):
    # detention_share_short + detention_share_medium <= 1: its allowed end 1.0 is not valid
    with pytest.raises(ScenarioError, match=r"ranges\.detention_share_short: .* give low, high"):
        ranges_design(tmp_path, 'detention_share_short = { dist = "normal", mean = 0.3, sd = 0.1 }')


def test_calibration_refuses_non_uniform_ranges_before_any_run(tmp_path):
    text = (
        HEAD + "samples = 4\n[ranges]\n"
        'damage_lose_id_per_week = { dist = "triangular", low = 0.0, mode = 0.01, high = 0.05 }\n'
    )
    done = subprocess.run(
        [*CLI, "calibrate", str(design(tmp_path, text)), "--out", str(tmp_path / "o"), *FAST],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "uniform ranges only" in done.stderr and "damage_lose_id_per_week" in done.stderr
    assert not (tmp_path / "o" / "runs.parquet").exists()


def test_help_says_what_samples_means_for_each_method():
    done = subprocess.run([*CLI, "sensitivity", "--help"], capture_output=True, text=True)
    text = " ".join(done.stdout.split())
    assert "samples = N" in text and "N(d+2)" in text and "N trajectories, N(d+1)" in text
