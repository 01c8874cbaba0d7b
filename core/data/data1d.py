"""1-D regression data (x -> y), outliers, the train/test split and the (x, y) CSV upload.

The regression page's data layer, the 1-D counterpart of core/data/data2d.py (data sets, split, CSV)
and core/data/noise.py (label noise; here: outliers, gross errors on a share of the training targets).

* Every function data set draws x uniformly on X_RANGE = [-3, 3] and adds noise to a noiseless
  target f(x). "Truth" (what the page draws) is the conditional MEDIAN of y given x; for the
  symmetric-noise sets it is f(x) itself and also the conditional mean (where a mean exists:
  not for Student-t noise with df = 1). `Data1DSpec.quantile` gives every conditional quantile
  in closed form (normal, log-normal) or by a numerically exact table (Student-t), so the
  page can draw the true quantile band and tests can check coverage.
* "demand" (the inventory lesson) has no meaningful x: x is the day index scaled evenly onto
  X_RANGE (day 0 at -3, the last day at +3) and y, the daily demand in units, is log-normal,
  so it is positive and right-skewed. Its population 0.8 quantile is DEMAND_Q80 = 10 units for
  every spread: y = 10 * exp(sigma * (Z - z_0.8)), Z standard normal, sigma = the noise setting.
* All randomness comes from np.random.default_rng: same seed, same data. Generation uses
  default_rng(seed) (x drawn first, always n values, so x does not depend on the data set's noise,
  df or noise level), the split the 2-D split's own (data2d.split_indices: same seed
  and n give the same split), outliers their own stream OUTLIER_STREAM.

Widget ranges and defaults are the module constants below (N_RANGE, NOISE_RANGE, ...).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Callable

import numpy as np
import torch

from core.data.csv_table import CSV_MAX_BYTES, CSV_MAX_ROWS, RowShape, coordinate, read_table
from core.data.data2d import split_indices

# Independent random streams per purpose (data2d: generation = default_rng(seed), split = 1;
# noise.py: label flips = 2).
OUTLIER_STREAM = 3

# ---- ranges and defaults for the page's widgets (validation uses the same ranges) ----
X_RANGE = (-3.0, 3.0)  # input range of every generated data set
N_RANGE = (10, 2000)  # total points, train + test
DEFAULT_N = 200
NOISE_RANGE = (0.0, 2.0)  # noise scale in y units (demand: sigma of log-demand); defaults per data set
TEST_FRACTION_RANGE = (0.05, 0.9)
DEFAULT_TEST_FRACTION = 0.3
DF_RANGE = (1, 30)  # Student-t degrees of freedom (integers) for "heavy_tailed"
DEFAULT_DF = 3
OUTLIER_FRACTION_RANGE = (0.0, 0.5)  # share of the TRAINING points (add_outliers itself takes 0..1)
DEFAULT_OUTLIER_FRACTION = 0.0
OUTLIER_SIZE_RANGE = (1.0, 20.0)  # in standard deviations of the clean training targets
DEFAULT_OUTLIER_SIZE = 5.0
OUTLIER_SIDES = ("up", "down", "both")  # names: core/i18n.py "outliers.side.{side}"
DEFAULT_OUTLIER_SIDE = "up"
OUTLIER_JITTER = 0.25  # each outlier's offset is size * sd * U(1 - 0.25, 1 + 0.25)

DEMAND_Q80 = 10.0  # population 0.8 quantile of "demand", in units, for every spread
UPLOAD_KEY = "upload"  # Regression1D.key of uploaded data (no truth)

_STD_NORMAL = NormalDist()
_Z80 = _STD_NORMAL.inv_cdf(0.8)  # 0.8416...


# ---- quantiles of the standard noise distributions ----


def normal_quantile(tau) -> np.ndarray:
    """Standard normal quantile, elementwise, tau in (0, 1)."""
    tau = np.asarray(tau, dtype=np.float64)
    return np.vectorize(_STD_NORMAL.inv_cdf, otypes=[np.float64])(tau)


@functools.lru_cache(maxsize=len(range(DF_RANGE[0], DF_RANGE[1] + 1)))
def _t_table(df: int) -> tuple[np.ndarray, np.ndarray]:
    """With t = sqrt(df) tan(theta) the Student-t density becomes proportional to cos(theta)^(df-1)
    on (-pi/2, pi/2): bounded and smooth. Returns (theta grid on [0, pi/2], P(0 < T < t) / P(T > 0))."""
    theta = np.linspace(0.0, np.pi / 2, 2**16 + 1)
    w = np.cos(theta) ** (df - 1)
    cum = np.concatenate([[0.0], np.cumsum((w[1:] + w[:-1]) * 0.5 * np.diff(theta))])
    return theta, cum / cum[-1]


def student_t_quantile(tau, df: int) -> np.ndarray:
    """Student-t quantile (standard, not rescaled to unit variance), elementwise, tau in (0, 1).
    Exact in closed form for df = 1 (tan(pi (tau - 1/2))); accurate to ~1e-7 otherwise."""
    df = _check_df(df)
    tau = np.asarray(tau, dtype=np.float64)
    if df == 1:
        return np.tan(np.pi * (tau - 0.5))
    theta, cum = _t_table(df)
    q = np.sqrt(df) * np.tan(np.interp(np.abs(2.0 * tau - 1.0), cum, theta))
    return np.sign(tau - 0.5) * q


# ---- noiseless targets ----

LINE_SLOPE, LINE_INTERCEPT = 0.8, 0.5


def f_line(x):
    return LINE_SLOPE * np.asarray(x, dtype=np.float64) + LINE_INTERCEPT


SINE_AMPLITUDE = 1.5


def f_sine(x):
    """1.5 sin(pi x / 2): one and a half periods over [-3, 3]."""
    return SINE_AMPLITUDE * np.sin(np.pi / 2 * np.asarray(x, dtype=np.float64))


def f_step(x):
    """-1 left of 0, +1 from 0 on."""
    return np.where(np.asarray(x, dtype=np.float64) >= 0.0, 1.0, -1.0)


def scale_flat(x):
    return np.ones_like(np.asarray(x, dtype=np.float64))


def scale_growing(x):
    """Noise scale growing linearly with x: 0 at x = -3, 1 at x = 0, 2 at x = +3 (mean 1 over X_RANGE)."""
    lo, hi = X_RANGE
    return 2.0 * (np.asarray(x, dtype=np.float64) - lo) / (hi - lo)


# ---- the registry ----

NOISE_DISTRIBUTIONS = ("normal", "student_t", "lognormal")


@dataclass(frozen=True)
class Data1DSpec:
    """One 1-D data set. y = f(x) + noise * scale(x) * E with E standard normal ("normal") or
    standard Student-t with `df` degrees of freedom ("student_t"); "lognormal" is the demand model
    y = DEMAND_Q80 * exp(noise * (Z - z_0.8)) (f and scale unused). Truth = conditional median."""

    key: str
    f: Callable  # noiseless target, float64 array -> float64 array
    noise_dist: str
    default_noise: float
    scale: Callable = scale_flat  # noise scale at x per unit of noise
    has_df: bool = False  # the page shows the df slider
    x_range: tuple[float, float] = X_RANGE
    x_random: bool = True  # x uniform on x_range; False: evenly spaced (day index, demand)

    def generate(self, n: int, noise: float, rng: np.random.Generator, df: int = DEFAULT_DF
                 ) -> tuple[np.ndarray, np.ndarray]:
        """(x float32 (n,), y float32 (n,)). Draws n x values (if random) first, then n noise
        values, whatever the noise level, so x is the same for every data set and setting."""
        lo, hi = self.x_range
        if self.x_random:
            x = rng.uniform(lo, hi, size=n)
        else:
            x = lo + (hi - lo) * np.arange(n) / max(n - 1, 1)
        x = x.astype(np.float32).astype(np.float64)  # y from the x handed out, not a finer one
        if self.noise_dist == "student_t":
            e = rng.standard_t(_check_df(df), size=n)
        else:
            e = rng.standard_normal(size=n)
        if self.noise_dist == "lognormal":
            y = DEMAND_Q80 * np.exp(noise * (e - _Z80))
        else:
            y = self.f(x) + noise * self.scale(x) * e
        return x.astype(np.float32), y.astype(np.float32)

    def quantile(self, x, tau: float, noise: float, df: int = DEFAULT_DF) -> np.ndarray:
        """The population tau-quantile of y given x (float64, shaped like x)."""
        if not 0.0 < float(tau) < 1.0:
            raise ValueError(f"tau must be in (0, 1), got {tau}")
        x = np.asarray(x, dtype=np.float64)
        if self.noise_dist == "lognormal":
            z = normal_quantile(tau)
            return np.full(x.shape, DEMAND_Q80 * math.exp(noise * (float(z) - _Z80)))
        e = student_t_quantile(tau, df) if self.noise_dist == "student_t" else normal_quantile(tau)
        return self.f(x) + noise * self.scale(x) * float(e)

    def median(self, x, noise: float, df: int = DEFAULT_DF) -> np.ndarray:
        """The truth the page draws: f(x) for the symmetric-noise sets, whatever the noise."""
        if self.noise_dist == "lognormal":
            return self.quantile(x, 0.5, noise, df)
        return self.f(np.asarray(x, dtype=np.float64))

    def mean(self, x, noise: float, df: int = DEFAULT_DF) -> np.ndarray:
        """The population mean of y given x (what MSE estimates); NaN where it does not exist (t, df = 1)."""
        x = np.asarray(x, dtype=np.float64)
        if self.noise_dist == "lognormal":
            return np.full(x.shape, DEMAND_Q80 * math.exp(-noise * _Z80 + noise**2 / 2))
        if self.noise_dist == "student_t" and _check_df(df) == 1 and noise > 0:
            return np.full(x.shape, np.nan)
        return self.f(x)


def _demand_f(x):  # not used by the log-normal model; kept so every spec has a callable f
    return np.full(np.shape(x), DEMAND_Q80)


# UI name/desc: core/i18n.py, f"data1d.{key}.name" / f"data1d.{key}.desc"
DATASETS_1D: dict[str, Data1DSpec] = {
    s.key: s
    for s in (
        Data1DSpec("linear", f_line, "normal", default_noise=0.3),
        Data1DSpec("sine", f_sine, "normal", default_noise=0.3),
        Data1DSpec("step", f_step, "normal", default_noise=0.2),
        Data1DSpec("heteroscedastic", f_line, "normal", default_noise=0.5, scale=scale_growing),
        Data1DSpec("heavy_tailed", f_line, "student_t", default_noise=0.3, has_df=True),
        Data1DSpec("demand", _demand_f, "lognormal", default_noise=0.5, x_random=False),
    )
}


def demand_quantile(tau: float, noise: float = DATASETS_1D["demand"].default_noise) -> float:
    """Population tau-quantile of "demand" with spread `noise`: 10 * exp(noise * (z_tau - z_0.8))."""
    return float(DATASETS_1D["demand"].quantile(0.0, tau, noise))


# ---- checks ----


def _check_df(df) -> int:
    if isinstance(df, bool) or not isinstance(df, (int, float, np.integer, np.floating)) \
            or not float(df).is_integer() or not DF_RANGE[0] <= df <= DF_RANGE[1]:
        raise ValueError(f"df must be an integer in {DF_RANGE[0]}..{DF_RANGE[1]}, got {df!r}")
    return int(df)


def _check_fraction(fraction) -> float:
    fraction = float(fraction)
    if not (math.isfinite(fraction) and 0.0 <= fraction <= 1.0):
        raise ValueError(f"outlier fraction must be in [0, 1], got {fraction}")
    return fraction


# ---- split ----


def split_1d(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test), float32. Same rule and random stream as data2d.split:
    a permutation from `seed`, round(test_fraction * n) test points clamped so both parts are
    non-empty; same seed and n give the same indices as the 2-D split."""
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    n = len(y)
    if x.shape != (n,) or y.shape != (n,):
        raise ValueError(f"x and y must both have shape (n,), got {x.shape} and {y.shape}")
    train_idx, test_idx = split_indices(n, test_fraction, seed)
    return x[train_idx].copy(), y[train_idx].copy(), x[test_idx].copy(), y[test_idx].copy()


# ---- outliers ----


def add_outliers(y: np.ndarray, fraction: float, size: float, side: str, seed: int,
                 scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Gross errors on exactly k = round(fraction * n) targets (Python's round: half to even,
    as in core/data/noise.py; 2.5 -> 2, 3.5 -> 4). Returns (y_noisy float32, mask bool), mask True
    exactly where y_noisy != y.

    Each chosen target moves by size * scale * u, u ~ U(0.75, 1.25): upward ("up"), downward
    ("down"), or alternately up and down ("both": ceil(k/2) up, floor(k/2) down). `scale` defaults
    to the standard deviation of y (ddof 0; floored at 1e-6 * max|y| so float32 still sees the
    change, and 1 for all-zero y); pass scale=1 for absolute units.

    Apply it to the TRAINING targets only. Raising the fraction only adds outliers: the chosen
    points are a prefix of one seeded permutation, and each point keeps its offset."""
    fraction = _check_fraction(fraction)
    size = float(size)
    if not (math.isfinite(size) and size > 0):
        raise ValueError(f"outlier size must be a finite number > 0, got {size}")
    if side not in OUTLIER_SIDES:
        raise ValueError(f"unknown outlier side {side!r}; choose one of {OUTLIER_SIDES}")
    clean = np.asarray(y, dtype=np.float32)
    if clean.ndim != 1:
        raise ValueError(f"targets must be 1-D, got shape {clean.shape}")
    n = len(clean)
    y64 = clean.astype(np.float64)
    if scale is None:
        top = float(np.abs(y64).max()) if n else 0.0
        scale = max(float(y64.std()) if n else 0.0, 1e-6 * top) or 1.0
    scale = float(scale)
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"outlier scale must be a finite number > 0, got {scale}")

    rng = np.random.default_rng((seed, OUTLIER_STREAM))
    order = rng.permutation(n)  # drawn in full: the choice nests as the fraction grows
    u = rng.uniform(1.0 - OUTLIER_JITTER, 1.0 + OUTLIER_JITTER, size=n)
    k = int(round(fraction * n))
    chosen = order[:k]
    if side == "up":
        sign = np.ones(k)
    elif side == "down":
        sign = -np.ones(k)
    else:
        sign = np.where(np.arange(k) % 2 == 0, 1.0, -1.0)
    noisy64 = y64.copy()
    noisy64[chosen] += sign * size * scale * u[chosen]
    noisy = noisy64.astype(np.float32)
    mask = np.zeros(n, dtype=bool)
    mask[chosen] = True
    return noisy, mask


# ---- the data handed to training ----


def _to_x(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.asarray(a, dtype=np.float32).reshape(-1, 1).copy())


def _to_y(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.asarray(a, dtype=np.float32).reshape(-1).copy())


@dataclass(frozen=True, eq=False)
class Regression1D:
    x_train: torch.Tensor  # float32 (n_train, 1)
    y_train: torch.Tensor  # float32 (n_train,): the targets trained on, outliers included
    outliers: torch.Tensor  # bool (n_train,): True where y_train != y_train_clean
    y_train_clean: torch.Tensor  # float32 (n_train,)
    x_test: torch.Tensor  # float32 (n_test, 1)
    y_test: torch.Tensor  # float32 (n_test,): always clean
    x_range: tuple[float, float]  # input range to plot over
    key: str  # a DATASETS_1D key, or UPLOAD_KEY
    noise: float = 0.0
    df: int = DEFAULT_DF
    # the view kept after hand edits (core/data/edits.py): the points they add lie in it, and the axes do not
    # jump at a click (None: the data's own, bounds())
    view: tuple[float, float, float, float] | None = None

    @property
    def n_train(self) -> int:
        return len(self.y_train)

    @property
    def spec(self) -> Data1DSpec | None:
        return DATASETS_1D.get(self.key)

    @property
    def has_truth(self) -> bool:
        return self.spec is not None

    def _need_spec(self) -> Data1DSpec:
        if self.spec is None:
            raise ValueError("uploaded data has no known truth")
        return self.spec

    def truth(self, x) -> np.ndarray:
        """The noiseless truth to draw: the conditional median of y (= f(x) for symmetric noise)."""
        return self._need_spec().median(x, self.noise, self.df)

    def quantile(self, x, tau: float) -> np.ndarray:
        return self._need_spec().quantile(x, tau, self.noise, self.df)

    def mean(self, x) -> np.ndarray:
        return self._need_spec().mean(x, self.noise, self.df)

    def bounds(self, pad: float = 0.1) -> tuple[float, float, float, float]:
        """(x_min, x_max, y_min, y_max): x_range, and y over train (outliers included) and test,
        each padded by pad * range (a constant y still gets a visible window); after hand edits, the view kept."""
        if self.view is not None:
            return self.view
        lo, hi = self.x_range
        y = torch.cat([self.y_train, self.y_test]).double()
        a, b = y.min().item(), y.max().item()
        span = (b - a) or max(1.0, 1e-3 * abs(a))
        xs = hi - lo
        return lo - pad * xs, hi + pad * xs, a - pad * span, b + pad * span


def _x_range_of(x: np.ndarray) -> tuple[float, float]:
    a, b = float(np.min(x)), float(np.max(x))
    if b > a:
        return a, b
    half = max(1.0, 1e-3 * abs(a)) / 2  # a constant column (e.g. demand with x = 0)
    return a - half, a + half


def _assemble(x, y, key, x_range, noise, df, test_fraction, seed, outlier_fraction, outlier_size,
              outlier_side) -> Regression1D:
    x_tr, y_tr, x_te, y_te = split_1d(x, y, test_fraction, seed)
    y_given, mask = add_outliers(y_tr, outlier_fraction, outlier_size, outlier_side, seed)
    return Regression1D(
        x_train=_to_x(x_tr), y_train=_to_y(y_given), outliers=torch.from_numpy(mask),
        y_train_clean=_to_y(y_tr), x_test=_to_x(x_te), y_test=_to_y(y_te),
        x_range=x_range, key=key, noise=noise, df=df,
    )


def make_regression_data(
    key: str,
    n: int = DEFAULT_N,
    noise: float | None = None,
    test_fraction: float = DEFAULT_TEST_FRACTION,
    seed: int = 0,
    outlier_fraction: float = DEFAULT_OUTLIER_FRACTION,
    outlier_size: float = DEFAULT_OUTLIER_SIZE,
    outlier_side: str = DEFAULT_OUTLIER_SIDE,
    df: int = DEFAULT_DF,
) -> Regression1D:
    """Generate DATASETS_1D[key] (noise None: the set's default), split it, and put outliers on
    the training targets only. df is checked always and used only by sets with has_df."""
    if key not in DATASETS_1D:
        raise ValueError(f"unknown 1-D data set {key!r}; choose one of {list(DATASETS_1D)}")
    spec = DATASETS_1D[key]
    noise = spec.default_noise if noise is None else float(noise)
    if not (math.isfinite(noise) and NOISE_RANGE[0] <= noise <= NOISE_RANGE[1]):
        raise ValueError(f"noise must be in {NOISE_RANGE[0]}..{NOISE_RANGE[1]}, got {noise}")
    if isinstance(n, bool) or int(n) != n or not N_RANGE[0] <= n <= N_RANGE[1]:
        raise ValueError(f"n must be an integer in {N_RANGE[0]}..{N_RANGE[1]}, got {n!r}")
    df = _check_df(df)
    x, y = spec.generate(int(n), noise, np.random.default_rng(seed), df)
    return _assemble(x, y, key, spec.x_range, noise, df, test_fraction, seed, outlier_fraction,
                     outlier_size, outlier_side)


def regression_from_xy(
    x: np.ndarray,
    y: np.ndarray,
    test_fraction: float = DEFAULT_TEST_FRACTION,
    seed: int = 0,
    outlier_fraction: float = DEFAULT_OUTLIER_FRACTION,
    outlier_size: float = DEFAULT_OUTLIER_SIZE,
    outlier_side: str = DEFAULT_OUTLIER_SIDE,
) -> Regression1D:
    """Uploaded (x, y) (from parse_xy_csv) as a Regression1D: key UPLOAD_KEY, no truth,
    x_range = the data's x range."""
    x = np.asarray(x, dtype=np.float32)
    return _assemble(x, y, UPLOAD_KEY, _x_range_of(x), 0.0, DEFAULT_DF, test_fraction, seed,
                     outlier_fraction, outlier_size, outlier_side)


# ---- CSV upload ----


def _xy_row(cells: list[str], lineno: int) -> tuple[float, float]:
    return coordinate(cells[0], lineno, "x"), coordinate(cells[1], lineno, "y")


XY_ROWS = RowShape(columns=("x", "y"), columns_code="err.csv1d.columns", parse=_xy_row)


def parse_xy_csv(data: bytes, max_bytes: int = CSV_MAX_BYTES, max_rows: int = CSV_MAX_ROWS
                 ) -> tuple[np.ndarray, np.ndarray]:
    """`x,y` rows (header optional: a first line of two non-numbers) -> x float32 (n,), y float32 (n,).
    Plain decimal numbers with |v| <= COORD_LIMIT (no nan, inf, 1_000). The file checks (size before
    decoding, NUL bytes, UTF-8 with BOM tolerated, CSV_MIN_ROWS..max_rows rows, blank lines skipped,
    1-based line numbers, user text echoed short) are core.data.csv_table.read_table's, as for the 2-D upload.
    Raises core.data.csv_table.DataError with an "err.csv.*" code ("err.csv1d.columns" for the column count)."""
    out = np.array(read_table(data, XY_ROWS, max_bytes, max_rows), dtype=np.float64)
    return out[:, 0].astype(np.float32), out[:, 1].astype(np.float32)
