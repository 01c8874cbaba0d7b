import math
import re
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pytest
import torch

from core.data import csv_table, data1d, data2d
from core.data.data1d import (
    DATASETS_1D, DEMAND_Q80, DF_RANGE, N_RANGE, NOISE_RANGE, OUTLIER_FRACTION_RANGE, OUTLIER_SIDES,
    OUTLIER_SIZE_RANGE, UPLOAD_KEY, X_RANGE, Regression1D, add_outliers, demand_quantile,
    make_regression_data, parse_xy_csv, regression_from_xy, split_1d, student_t_quantile,
)
from core.data.data2d import DataError
from core.i18n import LANGUAGES, STRINGS, translate

KEYS = list(DATASETS_1D)
FUNCTION_KEYS = [k for k in KEYS if k != "demand"]
Z = NormalDist()


def generate(key, n=2000, noise=None, seed=0, df=3):
    spec = DATASETS_1D[key]
    noise = spec.default_noise if noise is None else noise
    x, y = spec.generate(n, noise, np.random.default_rng(seed), df)
    return x.astype(np.float64), y.astype(np.float64)


def binomial_tol(p, n, k=5.0):
    """k standard errors of a proportion p estimated from n draws."""
    return k * math.sqrt(p * (1 - p) / n)


# ---- registry ----


def test_registry_keys_and_fields():
    assert KEYS == ["linear", "sine", "step", "heteroscedastic", "heavy_tailed", "demand"]
    for key, spec in DATASETS_1D.items():
        assert spec.key == key
        assert spec.x_range == X_RANGE == (-3.0, 3.0)
        assert NOISE_RANGE[0] <= spec.default_noise <= NOISE_RANGE[1]
        assert spec.noise_dist in data1d.NOISE_DISTRIBUTIONS
    assert [k for k, s in DATASETS_1D.items() if s.has_df] == ["heavy_tailed"]
    assert OUTLIER_SIDES == ("up", "down", "both")
    assert N_RANGE[0] < data1d.DEFAULT_N <= N_RANGE[1]
    assert DF_RANGE[0] <= data1d.DEFAULT_DF <= DF_RANGE[1]
    assert OUTLIER_FRACTION_RANGE[0] <= data1d.DEFAULT_OUTLIER_FRACTION <= OUTLIER_FRACTION_RANGE[1]
    assert OUTLIER_SIZE_RANGE[0] <= data1d.DEFAULT_OUTLIER_SIZE <= OUTLIER_SIZE_RANGE[1]
    assert data1d.DEFAULT_OUTLIER_SIDE in OUTLIER_SIDES


def _codes_in(module) -> set[str]:
    src = Path(module.__file__).read_text(encoding="utf-8")
    return set(re.findall(r'"(err\.[a-z0-9_]+\.[a-z_]+)"', src))


def test_every_name_and_error_code_has_both_languages():
    keys = [f"data1d.{k}.{part}" for k in KEYS + [UPLOAD_KEY] for part in ("name", "desc")]
    keys += [f"outliers.side.{s}" for s in OUTLIER_SIDES]
    codes = _codes_in(data1d) | _codes_in(csv_table)  # the checks shared with the 2-D upload: csv_table
    assert {"err.csv1d.columns", "err.csv.not_numeric", "err.csv.too_few_rows", "err.csv.too_large"} <= codes
    for key in keys + sorted(codes):
        assert key in STRINGS, key
        for lang in LANGUAGES:
            assert STRINGS[key].get(lang, "").strip(), (key, lang)
    for key in keys:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in translate(key, "zh")), key


# ---- generators ----


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("n", [1, 10, 201])
def test_generator_shapes_dtypes(key, n):
    spec = DATASETS_1D[key]
    x, y = spec.generate(n, spec.default_noise, np.random.default_rng(3), 3)
    assert x.shape == (n,) and y.shape == (n,)
    assert x.dtype == np.float32 and y.dtype == np.float32
    assert np.isfinite(x).all() and np.isfinite(y).all()
    assert (x >= X_RANGE[0]).all() and (x <= X_RANGE[1]).all()


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_noiseless_data_is_the_truth(key):
    x, y = generate(key, n=500, noise=0.0)
    np.testing.assert_allclose(y, DATASETS_1D[key].f(x).astype(np.float32), rtol=0, atol=0)
    np.testing.assert_allclose(DATASETS_1D[key].median(x, 0.7, 5), DATASETS_1D[key].f(x))


def test_target_functions_at_known_points():
    x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    np.testing.assert_allclose(data1d.f_line(x), [-1.9, -0.3, 0.5, 1.3, 2.9])
    np.testing.assert_allclose(data1d.f_sine(x), [1.5, -1.5, 0.0, 1.5, -1.5], atol=1e-12)
    np.testing.assert_array_equal(data1d.f_step(x), [-1, -1, 1, 1, 1])
    np.testing.assert_allclose(data1d.scale_growing(x), [0, 2 / 3, 1, 4 / 3, 2])


def test_x_is_uniform_on_the_range_and_shared_by_function_sets():
    n = 20_000
    xs = {key: generate(key, n=n, seed=11)[0] for key in FUNCTION_KEYS}
    x = xs["linear"]
    for key in FUNCTION_KEYS:  # drawn first, always n values: independent of data set and noise
        np.testing.assert_array_equal(xs[key], x)
    np.testing.assert_array_equal(generate("linear", n=n, seed=11, noise=1.7)[0], x)
    np.testing.assert_array_equal(generate("heavy_tailed", n=n, seed=11, df=1)[0], x)
    # uniform on [-3, 3]: mean 0 (sd of the mean 6/sqrt(12 n)), a sixth in each unit interval
    assert abs(x.mean()) < 5 * 6 / math.sqrt(12 * n)
    counts = np.histogram(x, bins=6, range=X_RANGE)[0] / n
    assert np.all(np.abs(counts - 1 / 6) < binomial_tol(1 / 6, n))


@pytest.mark.parametrize("key", ["linear", "sine", "step"])
def test_gaussian_noise_mean_and_sd(key):
    n, noise = 20_000, 0.4
    x, y = generate(key, n=n, noise=noise, seed=5)
    r = y - DATASETS_1D[key].f(x)
    assert abs(r.mean()) < 5 * noise / math.sqrt(n)
    assert abs(r.std() - noise) < 5 * noise / math.sqrt(2 * n)
    # P(r <= noise * z_0.9) = 0.9
    assert abs(np.mean(r <= noise * Z.inv_cdf(0.9)) - 0.9) < binomial_tol(0.9, n)


def test_heteroscedastic_noise_grows_with_x():
    n, noise = 40_000, 0.5
    x, y = generate("heteroscedastic", n=n, noise=noise, seed=2)
    r = y - data1d.f_line(x)
    scaled = r / data1d.scale_growing(x)  # standard normal times noise; x = -3 (scale 0) has probability 0
    assert np.isfinite(scaled).all() and abs(scaled.std() - noise) < 5 * noise / math.sqrt(2 * n)
    # r = noise * s * E with s uniform on [a, b] in each quarter: E r^2 = noise^2 E s^2 and
    # var(r^2) = noise^4 (3 E s^4 - (E s^2)^2), so the sample variance has a known standard error
    def moment(a, b, k):
        return (b ** (k + 1) - a ** (k + 1)) / ((k + 1) * (b - a))

    for part, (a, b) in ((r[x < -1.5], (0.0, 0.5)), (r[x > 1.5], (1.5, 2.0))):
        m2, m4 = moment(a, b, 2), moment(a, b, 4)
        se = noise**2 * math.sqrt((3 * m4 - m2**2) / len(part))
        assert abs(np.mean(part**2) - noise**2 * m2) < 5 * se, (a, b)
    assert r[x > 1.5].std() > 5 * r[x < -1.5].std()


@pytest.mark.parametrize("df", [1, 2, 3, 10, 30])
def test_heavy_tailed_noise_matches_student_t(df):
    n, noise = 20_000, 0.3
    x, y = generate("heavy_tailed", n=n, noise=noise, seed=df, df=df)
    e = (y - data1d.f_line(x)) / noise
    for tau in (0.1, 0.5, 0.8, 0.95):
        q = float(student_t_quantile(tau, df))
        assert abs(np.mean(e <= q) - tau) < binomial_tol(tau, n), tau
    if df == 1:  # Cauchy: P(|T| > 1) = 1/2
        assert abs(np.mean(np.abs(e) > 1) - 0.5) < binomial_tol(0.5, n)


def test_fewer_degrees_of_freedom_more_extremes():
    n = 20_000
    share = {}
    for df in (1, 3, 30):
        x, y = generate("heavy_tailed", n=n, noise=1.0, seed=0, df=df)
        share[df] = np.mean(np.abs(y - data1d.f_line(x)) > 4)
    # P(|T| > 4): Cauchy 2 atan(1/4)/pi = 0.156; df = 3: 0.028; df = 30: 0.0004
    assert abs(share[1] - 2 * math.atan(0.25) / math.pi) < binomial_tol(0.156, n)
    assert share[1] > share[3] > share[30]


def test_student_t_quantile_known_values():
    tau = np.array([0.01, 0.1, 0.3, 0.5, 0.75, 0.9, 0.99])
    np.testing.assert_allclose(student_t_quantile(tau, 1), np.tan(np.pi * (tau - 0.5)), rtol=1e-12)
    np.testing.assert_allclose(student_t_quantile(tau, 2), (2 * tau - 1) / np.sqrt(2 * tau * (1 - tau)),
                               rtol=1e-6, atol=1e-9)
    a = 4 * tau * (1 - tau)  # df = 4 in closed form
    q4 = np.sign(tau - 0.5) * 2 * np.sqrt(np.cos(np.arccos(np.sqrt(a)) / 3) / np.sqrt(a) - 1)
    np.testing.assert_allclose(student_t_quantile(tau, 4), q4, rtol=1e-6, atol=1e-9)
    # printed tables
    assert student_t_quantile(0.975, 30) == pytest.approx(2.0423, abs=1e-4)
    assert student_t_quantile(0.95, 10) == pytest.approx(1.8125, abs=1e-4)
    assert student_t_quantile(0.9, 3) == pytest.approx(1.6377, abs=1e-4)
    assert student_t_quantile(0.5, 7) == 0.0


@pytest.mark.parametrize("df", [0, 31, 2.5, "3", True, float("nan")])
def test_df_out_of_range_refused(df):
    with pytest.raises(ValueError, match="df"):
        student_t_quantile(0.9, df)
    with pytest.raises(ValueError, match="df"):
        make_regression_data("heavy_tailed", df=df)


# ---- demand ----


def test_demand_is_positive_right_skewed_with_q80_at_10():
    n = 20_000
    x, y = generate("demand", n=n, seed=4)
    assert (y > 0).all()
    assert y.mean() > np.median(y)  # right-skewed
    # x: the day index scaled evenly onto [-3, 3]
    np.testing.assert_allclose(x, np.linspace(-3, 3, n), atol=1e-6)
    assert abs(np.mean(y <= DEMAND_Q80) - 0.8) < binomial_tol(0.8, n)
    # empirical 0.8 quantile within 5 standard errors: sqrt(p(1-p)/n) / density at q
    sigma = DATASETS_1D["demand"].default_noise
    density = math.exp(-Z.inv_cdf(0.8) ** 2 / 2) / math.sqrt(2 * math.pi) / (DEMAND_Q80 * sigma)
    assert abs(np.quantile(y, 0.8) - DEMAND_Q80) < 5 * math.sqrt(0.16 / n) / density


@pytest.mark.parametrize("sigma", [0.2, 0.5, 1.0])
def test_demand_population_quantiles_closed_form(sigma):
    assert demand_quantile(0.8, sigma) == pytest.approx(DEMAND_Q80)
    median = DEMAND_Q80 * math.exp(-sigma * Z.inv_cdf(0.8))
    assert demand_quantile(0.5, sigma) == pytest.approx(median)
    spec = DATASETS_1D["demand"]
    np.testing.assert_allclose(spec.median(np.zeros(3), sigma), median)
    np.testing.assert_allclose(spec.mean(np.zeros(3), sigma), median * math.exp(sigma**2 / 2))
    n = 20_000
    _, y = generate("demand", n=n, noise=sigma, seed=9)
    for tau in (0.2, 0.5, 0.9):
        assert abs(np.mean(y <= demand_quantile(tau, sigma)) - tau) < binomial_tol(tau, n)


# ---- conditional quantiles (the true quantile band) ----


@pytest.mark.parametrize("key", ["linear", "heteroscedastic", "heavy_tailed"])
def test_true_quantile_band_covers_80_percent(key):
    n = 20_000
    x, y = generate(key, n=n, seed=6, df=3)
    spec = DATASETS_1D[key]
    lo = spec.quantile(x, 0.1, spec.default_noise, 3)
    hi = spec.quantile(x, 0.9, spec.default_noise, 3)
    assert abs(np.mean((y >= lo) & (y <= hi)) - 0.8) < binomial_tol(0.8, n)
    np.testing.assert_allclose(spec.quantile(x, 0.5, spec.default_noise, 3), spec.f(x), atol=1e-12)


def test_mean_missing_only_for_cauchy():
    spec = DATASETS_1D["heavy_tailed"]
    assert np.isnan(spec.mean(np.array([0.0]), 0.3, 1)).all()
    np.testing.assert_allclose(spec.mean(np.array([0.0, 1.0]), 0.3, 2), [0.5, 1.3])
    with pytest.raises(ValueError, match="tau"):
        spec.quantile(0.0, 1.0, 0.3, 3)


# ---- split ----


def test_split_matches_the_2d_split():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=50).astype(np.float32), rng.normal(size=50).astype(np.float32)
    x_tr, y_tr, x_te, y_te = split_1d(x, y, 0.3, seed=7)
    ds = data2d.split(np.stack([x, y], axis=1), np.zeros(50), 0.3, seed=7)
    np.testing.assert_array_equal(x_tr, ds.X_train[:, 0].numpy())
    np.testing.assert_array_equal(y_te, ds.X_test[:, 1].numpy())
    assert len(x_te) == 15 and len(y_tr) == 35
    assert sorted(np.concatenate([x_tr, x_te]).tolist()) == sorted(x.tolist())


@pytest.mark.parametrize("n,frac,n_test", [(2, 0.01, 1), (2, 0.99, 1), (10, 0.25, 2), (10, 0.35, 4), (200, 0.3, 60)])
def test_split_sizes(n, frac, n_test):
    x = np.arange(n, dtype=np.float32)
    _, _, x_te, _ = split_1d(x, x, frac, 0)
    assert len(x_te) == n_test


def test_split_refusals():
    with pytest.raises(ValueError):
        split_1d(np.zeros(1), np.zeros(1), 0.5, 0)
    with pytest.raises(ValueError):
        split_1d(np.zeros(4), np.zeros(4), 0.0, 0)
    with pytest.raises(ValueError):
        split_1d(np.zeros((4, 1)), np.zeros(4), 0.5, 0)


# ---- outliers ----


@pytest.mark.parametrize("n", [1, 2, 7, 10, 99, 100, 333, 1000])
@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.05, 0.1, 0.15, 0.25, 1 / 3, 0.5, 0.999, 1.0])
def test_outlier_counts_exact(n, fraction):
    y = np.random.default_rng(n).normal(size=n).astype(np.float32)
    noisy, mask = add_outliers(y, fraction, 5.0, "both", seed=1)
    assert mask.dtype == bool and mask.shape == (n,) and noisy.dtype == np.float32
    assert mask.sum() == int(round(fraction * n))
    np.testing.assert_array_equal(mask, noisy != y)


@pytest.mark.parametrize("n,fraction,k", [(100, 0.1, 10), (4, 0.5, 2), (10, 0.25, 2), (6, 0.25, 2),
                                          (7, 0.5, 4), (5, 0.5, 2), (3, 0.5, 2), (1000, 0.333, 333),
                                          (20, 0.02, 0), (20, 0.03, 1)])
def test_outlier_rounding_half_to_even(n, fraction, k):
    _, mask = add_outliers(np.zeros(n), fraction, 3.0, "up", seed=0)
    assert mask.sum() == k


@pytest.mark.parametrize("side", OUTLIER_SIDES)
def test_outlier_side_and_size(side):
    n, size = 400, 6.0
    y = np.random.default_rng(1).normal(2.0, 1.5, size=n).astype(np.float32)
    sd = y.astype(np.float64).std()
    noisy, mask = add_outliers(y, 0.25, size, side, seed=3)
    d = noisy.astype(np.float64)[mask] - y.astype(np.float64)[mask]
    assert len(d) == 100
    assert np.all(np.abs(d) >= 0.75 * size * sd - 1e-4) and np.all(np.abs(d) <= 1.25 * size * sd + 1e-4)
    if side == "up":
        assert (d > 0).all()
    elif side == "down":
        assert (d < 0).all()
    else:
        assert (d > 0).sum() == 50 and (d < 0).sum() == 50
    np.testing.assert_array_equal(noisy[~mask], y[~mask])


def test_outliers_both_odd_count():
    _, mask = add_outliers(np.zeros(7), 1.0, 2.0, "both", seed=0)
    noisy, _ = add_outliers(np.zeros(7), 1.0, 2.0, "both", seed=0)
    assert (noisy > 0).sum() == 4 and (noisy < 0).sum() == 3


def test_outlier_absolute_scale():
    y = np.full(50, 100.0, dtype=np.float32)
    noisy, mask = add_outliers(y, 0.2, 3.0, "down", seed=0, scale=1.0)
    d = noisy[mask] - 100.0
    assert mask.sum() == 10 and np.all((d <= -2.25 + 1e-4) & (d >= -3.75 - 1e-4))


def test_outliers_on_constant_and_huge_targets_still_change():
    for y in (np.zeros(10), np.full(10, 1e15), np.full(10, -3.0)):
        noisy, mask = add_outliers(y.astype(np.float32), 0.5, 1.0, "both", seed=2)
        assert mask.sum() == 5
        np.testing.assert_array_equal(mask, noisy != y.astype(np.float32))


def test_outliers_deterministic_and_nested():
    y = np.random.default_rng(0).normal(size=300).astype(np.float32)
    a, ma = add_outliers(y, 0.1, 5.0, "up", seed=4)
    b, mb = add_outliers(y, 0.1, 5.0, "up", seed=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ma, mb)
    c, mc = add_outliers(y, 0.1, 5.0, "up", seed=5)
    assert not np.array_equal(ma, mc)
    big, mbig = add_outliers(y, 0.3, 5.0, "up", seed=4)
    assert mbig.sum() == 90 and np.all(mbig[ma])  # raising the fraction only adds outliers
    np.testing.assert_array_equal(big[ma], a[ma])  # and each keeps its offset


def test_fraction_zero_changes_nothing():
    y = np.random.default_rng(0).normal(size=50).astype(np.float32)
    noisy, mask = add_outliers(y, 0.0, 5.0, "both", seed=0)
    np.testing.assert_array_equal(noisy, y)
    assert not mask.any()


@pytest.mark.parametrize("kw,match", [
    (dict(fraction=-0.1), "fraction"), (dict(fraction=1.1), "fraction"), (dict(fraction=float("nan")), "fraction"),
    (dict(size=0.0), "size"), (dict(size=float("inf")), "size"), (dict(side="left"), "side"),
    (dict(scale=0.0), "scale"), (dict(scale=-1.0), "scale"),
])
def test_outlier_refusals(kw, match):
    args = dict(fraction=0.1, size=5.0, side="up", seed=0) | kw
    with pytest.raises(ValueError, match=match):
        add_outliers(np.zeros(10, dtype=np.float32), **args)


# ---- make_regression_data ----


@pytest.mark.parametrize("key", KEYS)
def test_make_regression_data_types_and_sizes(key):
    d = make_regression_data(key, n=200, test_fraction=0.25, seed=1, outlier_fraction=0.1)
    assert isinstance(d, Regression1D) and d.key == key and d.has_truth
    assert d.x_train.shape == (150, 1) and d.x_test.shape == (50, 1)
    assert d.y_train.shape == (150,) and d.y_test.shape == (50,) and d.y_train_clean.shape == (150,)
    for a in (d.x_train, d.y_train, d.y_train_clean, d.x_test, d.y_test):
        assert a.dtype == torch.float32
    assert d.outliers.dtype == torch.bool and d.outliers.shape == (150,)
    assert d.outliers.sum().item() == 15 and d.n_train == 150
    assert torch.equal(d.outliers, d.y_train != d.y_train_clean)
    assert d.x_range == X_RANGE and d.noise == DATASETS_1D[key].default_noise
    truth = d.truth(np.linspace(-3, 3, 7))
    assert truth.shape == (7,) and np.isfinite(truth).all()
    x0, x1, y0, y1 = d.bounds()
    assert x0 < -3 and x1 > 3
    assert y0 < min(d.y_train.min(), d.y_test.min()) and y1 > max(d.y_train.max(), d.y_test.max())


def test_test_set_and_clean_train_untouched_by_outliers():
    clean = make_regression_data("sine", n=300, seed=3)
    for side in OUTLIER_SIDES:
        d = make_regression_data("sine", n=300, seed=3, outlier_fraction=0.3, outlier_size=10.0, outlier_side=side)
        assert torch.equal(d.x_test, clean.x_test) and torch.equal(d.y_test, clean.y_test)
        assert torch.equal(d.x_train, clean.x_train) and torch.equal(d.y_train_clean, clean.y_train)
        assert d.outliers.sum().item() == 63  # round(0.3 * 210)
    assert not clean.outliers.any() and torch.equal(clean.y_train, clean.y_train_clean)


def test_outlier_size_in_training_sd():
    d = make_regression_data("linear", n=1000, seed=0, outlier_fraction=0.1, outlier_size=5.0, outlier_side="up")
    sd = d.y_train_clean.double().std(unbiased=False).item()
    diff = (d.y_train - d.y_train_clean).double()[d.outliers]
    assert diff.min().item() >= 0.75 * 5 * sd - 1e-4 and diff.max().item() <= 1.25 * 5 * sd + 1e-4


def test_make_regression_data_deterministic():
    kw = dict(n=150, noise=0.4, test_fraction=0.2, outlier_fraction=0.2, outlier_size=4.0,
              outlier_side="both", df=2)
    a = make_regression_data("heavy_tailed", seed=12, **kw)
    b = make_regression_data("heavy_tailed", seed=12, **kw)
    c = make_regression_data("heavy_tailed", seed=13, **kw)
    for name in ("x_train", "y_train", "outliers", "y_train_clean", "x_test", "y_test"):
        assert torch.equal(getattr(a, name), getattr(b, name)), name
    assert not torch.equal(a.x_train, c.x_train)


def test_make_regression_data_defaults_and_truth_methods():
    d = make_regression_data("demand")
    assert d.n_train + len(d.y_test) == data1d.DEFAULT_N and not d.outliers.any()
    np.testing.assert_allclose(d.quantile(np.zeros(2), 0.8), [DEMAND_Q80, DEMAND_Q80])
    assert float(d.mean(0.0)) > float(d.truth(0.0))  # log-normal: mean above median
    h = make_regression_data("heavy_tailed", df=1)
    assert np.isnan(h.mean(np.zeros(1))).all() and h.truth(np.zeros(1))[0] == pytest.approx(0.5)


@pytest.mark.parametrize("kw", [
    dict(key="nope"), dict(n=N_RANGE[0] - 1), dict(n=N_RANGE[1] + 1), dict(n=50.5), dict(noise=-0.1),
    dict(noise=NOISE_RANGE[1] + 0.1), dict(noise=float("nan")), dict(test_fraction=1.0),
    dict(outlier_fraction=1.5), dict(outlier_side="sideways"), dict(outlier_size=-1.0),
])
def test_make_regression_data_refusals(kw):
    args = dict(key="linear") | kw
    with pytest.raises(ValueError):
        make_regression_data(**args)


# ---- CSV ----


def test_csv_good_file_with_header():
    x, y = parse_xy_csv(b"x,y\n0,1.5\n1,-2e1\n2.5,3\n-4,.5\n")
    assert x.dtype == np.float32 and y.dtype == np.float32
    assert x.tolist() == [0, 1, 2.5, -4] and y.tolist() == [1.5, -20, 3, 0.5]


def test_csv_without_header_crlf_bom_blank_lines():
    x, y = parse_xy_csv("\ufeff1,2\r\n\r\n3,4\r\n 5 , 6 \r\n7,8\r\n\r\n".encode())
    assert x.tolist() == [1, 3, 5, 7] and y.tolist() == [2, 4, 6, 8]
    x, _ = parse_xy_csv(b"day,demand\n1,2\n3,4\n5,6\n7,8")
    assert len(x) == 4


def _refuse(data: bytes, **kw) -> DataError:
    with pytest.raises(DataError) as info:
        parse_xy_csv(data, **kw)
    return info.value


GOOD = "x,y\n1,2\n3,4\n5,6\n7,8\n"


def test_csv_too_large_checked_before_decoding():
    e = _refuse(GOOD.encode(), max_bytes=10)
    assert e.code == "err.csv.too_large" and e.fields == {"size": len(GOOD), "limit": 10}
    assert _refuse(b"\xff" * 50, max_bytes=10).code == "err.csv.too_large"
    assert _refuse(b"\xff" * 50).code == "err.csv.encoding"


def test_csv_too_many_rows():
    e = _refuse(GOOD.encode(), max_rows=3)
    assert e.code == "err.csv.too_many_rows" and e.fields == {"rows": 4, "limit": 3}
    assert len(parse_xy_csv(GOOD.encode(), max_rows=4)[0]) == 4


@pytest.mark.parametrize("data,code", [
    (b"", "err.csv.empty"), (b"\n \r\n", "err.csv.empty"), ("1,2\n".encode("utf-16"), "err.csv.binary"),
    (b"\xff\xfe1,2", "err.csv.encoding"), (b"1,2\n\x003,4", "err.csv.binary"), (b"x,y\n", "err.csv.too_few_rows"),
])
def test_csv_file_level_refusals(data, code):
    assert _refuse(data).code == code


@pytest.mark.parametrize("text,code,line", [
    ("x,y\n1,2\n3\n5,6\n7,8\n", "err.csv1d.columns", 3),
    ("1,2\n3,4,5\n5,6\n7,8\n", "err.csv1d.columns", 2),
    ("x;y\n1;2\n", "err.csv1d.columns", 1),
    ("x,label,extra\n1,2,3\n", "err.csv1d.columns", 1),
    ("x,y\n\n1,2\n,4\n", "err.csv.missing", 4),
    ("1,2\n3,\n", "err.csv.missing", 2),
    ("x,y\n1,2\n3,four\n", "err.csv.not_numeric", 3),
    ("1,2\nnan,4\n", "err.csv.not_numeric", 2),
    ("1,2\n3,inf\n", "err.csv.not_numeric", 2),
    ("1,2\n3,-Infinity\n", "err.csv.not_numeric", 2),
    ("1,2\n1_000,4\n", "err.csv.not_numeric", 2),
    ("1,2\n3,0x10\n", "err.csv.not_numeric", 2),
    ("1,2\n3,1e16\n", "err.csv.out_of_range", 2),
    ("1,2\n-1e400,4\n", "err.csv.out_of_range", 2),
])
def test_csv_line_refusals(text, code, line):
    e = _refuse(text.encode())
    assert e.code == code and e.fields["line"] == line
    assert f"{line}" in str(e) and f"{line}" in e.message("zh")


def test_csv_columns_message_and_out_of_range_column():
    e = _refuse(b"1,2\n3,4,5\n")
    assert e.fields["found"] == 3 and "(x,y)" in str(e)
    e = _refuse(b"1,2\n3,2e15\n")
    assert e.fields["column"] == "y" and e.fields["limit"] == "1e15"
    assert _refuse(b"1,2\n2e15,3\n").fields["column"] == "x"


def test_csv_limits_accepted_at_the_edge():
    x, y = parse_xy_csv(b"1e15,-1e15\n0,0\n1,1\n2,2\n")
    assert x[0] == np.float32(1e15) and y[0] == np.float32(-1e15)


def test_csv_echo_is_short_and_printable():
    e = _refuse(b"1,2\n3,abc\n")
    assert e.fields["value"] == "abc" and "abc" in str(e)
    long = _refuse(b"1,2\n3," + b"z" * 5000 + b"\n")
    assert len(long.fields["value"]) <= 21 and len(str(long)) < 100
    ctrl = _refuse("1,2\n3,a\u202eb\x1bc\n".encode())
    assert "\u202e" not in str(ctrl) and "\x1b" not in str(ctrl)


def test_csv_too_few_rows():
    e = _refuse(b"x,y\n1,2\n3,4\n5,6\n")
    assert e.code == "err.csv.too_few_rows" and e.fields == {"rows": 3, "minimum": 4}


def test_uploaded_data_as_regression():
    x = np.array([5, 1, 3, 2, 4, 9, 7, 8, 6, 0], dtype=np.float32)
    y = 2 * x + 1
    d = regression_from_xy(x, y, test_fraction=0.3, seed=0, outlier_fraction=0.2, outlier_side="down")
    assert d.key == UPLOAD_KEY and not d.has_truth and d.x_range == (0.0, 9.0)
    assert d.x_train.shape == (7, 1) and d.x_test.shape == (3, 1) and d.outliers.sum().item() == 1
    assert torch.equal(d.y_test, 2 * d.x_test[:, 0] + 1)  # test set clean
    assert ((d.y_train - d.y_train_clean)[d.outliers] < 0).all()
    with pytest.raises(ValueError, match="truth"):
        d.truth(np.zeros(1))
    const = regression_from_xy(np.zeros(6), np.arange(6.0), seed=0)  # e.g. demand uploaded with x = 0
    assert const.x_range == (-0.5, 0.5)
