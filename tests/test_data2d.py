import re
from pathlib import Path

import numpy as np
import pytest
import torch

from core.data import csv_table, data2d
from core.data.data2d import DATASETS, DataError, Dataset2D, make_dataset, parse_points_csv, split
from core.i18n import LANGUAGES, STRINGS, translate

KEYS = list(DATASETS)


def all_points(ds: Dataset2D):
    X = torch.cat([ds.X_train, ds.X_test]).numpy().astype(np.float64)
    y = torch.cat([ds.y_train, ds.y_test]).numpy()
    return X, y


def generate(key, n=600, noise=0.0, seed=0, k=None):
    spec = DATASETS[key]
    X, y = spec.generate(n, noise, np.random.default_rng(seed), k or spec.n_classes)
    return X.astype(np.float64), y


# ---- registry and common properties ----


def test_dataset_keys_in_order():
    assert KEYS == ["blobs", "xor", "circles", "moons", "spiral", "exam", "blobs_multi", "spiral_multi"]
    for key, spec in DATASETS.items():
        assert spec.key == key
    assert [k for k, s in DATASETS.items() if s.classes_adjustable] == ["blobs_multi", "spiral_multi"]
    assert DATASETS["blobs_multi"].n_classes == 3 and DATASETS["spiral_multi"].n_classes == 3


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("n", [7, 400, 1001])
def test_generator_shapes_dtypes_balance(key, n):
    spec = DATASETS[key]
    X, y = spec.generate(n, spec.default_noise, np.random.default_rng(3), spec.n_classes)
    assert X.shape == (n, 2) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.isfinite(X).all()
    assert set(np.unique(y)) <= set(range(spec.n_classes))
    counts = np.bincount(y, minlength=spec.n_classes)
    if key == "exam":  # the classic picture: 60% admitted, exactly
        assert counts[1] == round(0.6 * n) and counts.sum() == n
    else:
        assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("key", KEYS)
def test_make_dataset_types_and_sizes(key):
    ds = make_dataset(key, n_samples=400, test_fraction=0.25, seed=1)
    assert ds.X_train.dtype == torch.float32 and ds.X_test.dtype == torch.float32
    assert ds.y_train.dtype == torch.int64 and ds.y_test.dtype == torch.int64
    assert ds.X_train.shape == (300, 2) and ds.X_test.shape == (100, 2)
    assert ds.y_train.shape == (300,) and ds.y_test.shape == (100,)
    assert ds.n_classes == DATASETS[key].n_classes
    X, y = all_points(ds)
    if key == "exam":
        assert X.min() > 0 and X.max() < 100
    else:
        assert np.abs(X).max() <= 6.0


@pytest.mark.parametrize("key", KEYS)
def test_determinism_and_seed_dependence(key):
    a = make_dataset(key, seed=7)
    b = make_dataset(key, seed=7)
    c = make_dataset(key, seed=8)
    for f in ("X_train", "y_train", "X_test", "y_test"):
        assert torch.equal(getattr(a, f), getattr(b, f))
    assert not torch.equal(a.X_train, c.X_train)


def test_determinism_does_not_touch_global_rng():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    make_dataset("moons", seed=5)
    assert np.random.random() == before


@pytest.mark.parametrize("key", ["blobs", "xor", "circles", "moons", "spiral"])
def test_input_noise_is_jitter(key):
    # same seed: the noisy points are the clean ones moved by about `noise`
    clean, y0 = generate(key, noise=0.0, seed=4)
    noisy, y1 = generate(key, noise=0.3, seed=4)
    assert np.array_equal(y0, y1)
    d = noisy - clean
    assert 0.2 < d.std() < 0.4


@pytest.mark.parametrize("key", ["blobs_multi", "spiral_multi"])
@pytest.mark.parametrize("k", [3, 4, 5, 6])
def test_multiclass_n_classes(key, k):
    ds = make_dataset(key, n_samples=600, n_classes=k, seed=2)
    assert ds.n_classes == k
    _, y = all_points(ds)
    counts = np.bincount(y, minlength=k)
    assert len(counts) == k and counts.max() - counts.min() <= 1


def test_n_classes_validation():
    with pytest.raises(ValueError):
        make_dataset("blobs", n_classes=3)
    with pytest.raises(ValueError):
        make_dataset("blobs_multi", n_classes=2)
    with pytest.raises(ValueError):
        make_dataset("spiral_multi", n_classes=7)
    assert make_dataset("blobs", n_classes=2).n_classes == 2


def test_argument_validation():
    with pytest.raises(ValueError):
        make_dataset("nope")
    with pytest.raises(ValueError):
        make_dataset("blobs", input_noise=-0.1)
    with pytest.raises(ValueError):
        make_dataset("blobs", input_noise=float("nan"))
    with pytest.raises(ValueError):
        make_dataset("blobs", n_samples=3)
    with pytest.raises(ValueError):
        make_dataset("blobs", n_samples=10**7)
    with pytest.raises(ValueError):
        make_dataset("blobs", test_fraction=0.0)
    with pytest.raises(ValueError):
        make_dataset("blobs", test_fraction=1.0)


# ---- noiseless geometry ----


@pytest.mark.parametrize("seed", range(5))
def test_blobs_clean_and_default_separable_by_known_line(seed):
    for noise in (0.0, DATASETS["blobs"].default_noise):
        X, y = generate("blobs", n=1000, noise=noise, seed=seed)
        s = X[:, 0] + X[:, 1]  # the line x1 + x2 = 0
        assert (s[y == 1] > 0).all() and (s[y == 0] < 0).all()
    X, y = generate("blobs", n=1000, noise=0.0, seed=seed)
    c = np.where(y[:, None] == 1, 2.5, -2.5)
    assert np.linalg.norm(X - c, axis=1).max() <= data2d.BLOB_RADIUS + 1e-5


@pytest.mark.parametrize("seed", range(3))
def test_xor_signs_match_labels(seed):
    X, y = generate("xor", n=1000, noise=0.0, seed=seed)
    assert np.array_equal((X[:, 0] * X[:, 1] > 0).astype(np.int64), y)
    assert np.abs(X).min() >= data2d.XOR_PAD - 1e-6
    # all four quadrants are used
    quadrants = {(bool(a > 0), bool(b > 0)) for a, b in X}
    assert len(quadrants) == 4


def test_circles_radii():
    X, y = generate("circles", n=1000, noise=0.0)
    r = np.linalg.norm(X, axis=1)
    assert r[y == 0].max() <= 2.0 + 1e-5
    assert r[y == 1].min() >= 3.5 - 1e-5 and r[y == 1].max() <= 5.0 + 1e-5


def test_moons_lie_on_their_arcs():
    X, y = generate("moons", n=1000, noise=0.0)
    P = X / data2d.MOON_SCALE + data2d.MOON_SHIFT  # back to sklearn's coordinates
    upper, lower = P[y == 0], P[y == 1]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0, atol=1e-5)
    assert (upper[:, 1] >= -1e-5).all()
    np.testing.assert_allclose(np.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0, atol=1e-5)
    assert (lower[:, 1] <= 0.5 + 1e-5).all()


@pytest.mark.parametrize("key,k", [("spiral", 2), ("spiral_multi", 3), ("spiral_multi", 6)])
def test_spiral_arms(key, k):
    X, y = generate(key, n=900, noise=0.0, k=k)
    r = np.linalg.norm(X, axis=1)
    assert r.max() <= 5.0 + 1e-5
    # arm k: angle = 3.5*pi*r/5 + 2*pi*k/K
    a = 3.5 * np.pi * r / 5.0 + 2 * np.pi * y / k
    expected = np.stack([r * np.cos(a), r * np.sin(a)], axis=1)
    np.testing.assert_allclose(X, expected, atol=1e-4)
    assert np.bincount(y).tolist() == [900 // k] * k


def test_exam_clean_boundary_and_range():
    X, y = generate("exam", n=1000, noise=0.0)
    assert X.min() >= 30 and X.max() <= 100
    total = X.sum(axis=1)
    assert (total[y == 1] > data2d.EXAM_THRESHOLD - 1e-3).all()
    assert (total[y == 0] <= data2d.EXAM_THRESHOLD + 1e-3).all()
    # with the default fuzziness the classes overlap near the pass line
    Xn, yn = generate("exam", n=1000, noise=DATASETS["exam"].default_noise)
    wrong_side = (Xn.sum(axis=1) > data2d.EXAM_THRESHOLD).astype(np.int64) != yn
    assert 0 < wrong_side.sum() < 200


@pytest.mark.parametrize("k", [3, 6])
def test_blobs_multi_clusters_around_circle(k):
    X, y = generate("blobs_multi", n=600, noise=0.0, k=k)
    a = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    centers = 3.5 * np.stack([np.cos(a), np.sin(a)], axis=1)
    d = np.linalg.norm(X[:, None, :] - centers[None], axis=2)
    assert np.array_equal(d.argmin(axis=1), y)  # nearest centre is the own class
    assert d[np.arange(len(y)), y].max() <= data2d.MULTI_BLOB_RADIUS + 1e-5


# ---- split and bounds ----


def test_split_sizes_disjoint_union_deterministic():
    n = 101
    X = np.stack([np.arange(n), -np.arange(n)], axis=1).astype(np.float32)
    y = (np.arange(n) % 3).astype(np.int64)
    ds = split(X, y, 0.3, seed=11)
    assert len(ds.X_test) == 30 and len(ds.X_train) == 71
    tr = set(ds.X_train[:, 0].long().tolist())
    te = set(ds.X_test[:, 0].long().tolist())
    assert not tr & te and tr | te == set(range(n))
    # labels travel with their points
    assert torch.equal(ds.y_train, ds.X_train[:, 0].long() % 3)
    assert torch.equal(ds.y_test, ds.X_test[:, 0].long() % 3)
    assert ds.n_classes == 3
    again = split(X, y, 0.3, seed=11)
    assert torch.equal(again.X_train, ds.X_train) and torch.equal(again.X_test, ds.X_test)
    other = split(X, y, 0.3, seed=12)
    assert not torch.equal(other.X_test, ds.X_test)


@pytest.mark.parametrize("frac", [0.001, 0.999])
def test_split_parts_never_empty(frac):
    X = np.zeros((5, 2), np.float32)
    y = np.array([0, 1, 0, 1, 0])
    ds = split(X, y, frac, seed=0)
    assert len(ds.X_train) >= 1 and len(ds.X_test) >= 1
    assert len(ds.X_train) + len(ds.X_test) == 5


def test_split_rejects_bad_input():
    with pytest.raises(ValueError):
        split(np.zeros((1, 2)), np.zeros(1), 0.5, 0)
    with pytest.raises(ValueError):
        split(np.zeros((4, 3)), np.zeros(4), 0.5, 0)


def test_bounds():
    X = np.array([[0, 10], [2, 20], [1, 15], [0.5, 12]], np.float32)
    ds = split(X, np.array([0, 1, 0, 1]), 0.5, seed=0)
    assert ds.bounds(pad=0.1) == pytest.approx((-0.2, 2.2, 9.0, 21.0))
    assert ds.bounds(pad=0.0) == pytest.approx((0.0, 2.0, 10.0, 20.0))
    flat = split(np.ones((4, 2), np.float32), np.array([0, 1, 0, 1]), 0.5, seed=0)
    lo, hi, _, _ = flat.bounds()
    assert lo < 1.0 < hi


# ---- CSV ----


def test_csv_round_trip_with_header_and_remap():
    text = "x1,x2,label\n 1.5 , -2 , 7\n3,4e-1,-3\n0,0,7\n-1.25,8,10\n2,2,-3\n"
    X, y = parse_points_csv(text.encode())
    assert X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(X, np.array([[1.5, -2], [3, 0.4], [0, 0], [-1.25, 8], [2, 2]], np.float32))
    # sorted labels -3, 7, 10 -> 0, 1, 2
    assert y.tolist() == [1, 0, 1, 2, 0]


def test_csv_without_header_crlf_bom_blank_lines_and_float_labels():
    text = "\ufeff1,2,0\r\n3,4,1\r\n\r\n5,6,1.0\r\n7,8,0\r\n\r\n"
    X, y = parse_points_csv(text.encode("utf-8"))
    assert X.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]
    assert y.tolist() == [0, 1, 1, 0]


def test_csv_other_header_names_accepted():
    X, y = parse_points_csv(b"a,b,class\n1,2,0\n3,4,1\n5,6,0\n7,8,1")
    assert len(X) == 4 and y.tolist() == [0, 1, 0, 1]


def _refuse(data: bytes, **kw) -> DataError:
    with pytest.raises(DataError) as info:
        parse_points_csv(data, **kw)
    e = info.value
    assert isinstance(e, ValueError)
    assert str(e) == translate(e.code, "en", **e.fields)
    for lang in LANGUAGES:  # every placeholder is filled in every language
        msg = e.message(lang)
        assert "{" not in msg and msg != e.code
    return e


GOOD = "x1,x2,label\n0,0,0\n1,1,1\n2,2,0\n3,3,1\n"


def test_csv_too_large():
    e = _refuse(GOOD.encode(), max_bytes=10)
    assert e.code == "err.csv.too_large" and e.fields == {"size": len(GOOD), "limit": 10}
    assert "10" in str(e)


def test_csv_too_many_rows():
    e = _refuse(GOOD.encode(), max_rows=3)
    assert e.code == "err.csv.too_many_rows" and e.fields["rows"] == 4 and e.fields["limit"] == 3
    assert parse_points_csv(GOOD.encode(), max_rows=4)[0].shape == (4, 2)


def test_csv_encoding():
    e = _refuse("x1,x2,label\n1,2,ä\n".encode("latin-1"))
    assert e.code == "err.csv.encoding"


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"   "])
def test_csv_empty(data):
    assert _refuse(data).code == "err.csv.empty"


@pytest.mark.parametrize(
    "text,code,line",
    [
        ("x1,x2,label\n0,0,0\n1,1\n2,2,0\n3,3,1\n", "err.csv.columns", 3),
        ("0,0,0\n1,1,1\n2,2,0,9\n3,3,1\n", "err.csv.columns", 3),
        ("x1;x2;label\n0;0;0\n", "err.csv.columns", 1),
        ("x1,x2,label\n\n0,0,0\n1,,1\n", "err.csv.missing", 4),
        ("0,0,0\n1,1,\n", "err.csv.missing", 2),
        ("x1,x2,label\n0,0,0\n1,1,1\n2,two,0\n", "err.csv.not_numeric", 4),
        ("0,0,0\nnan,1,1\n", "err.csv.not_numeric", 2),
        ("0,0,0\n1,inf,1\n", "err.csv.not_numeric", 2),
        ("0,0,0\n1,1e39,1\n", "err.csv.out_of_range", 2),  # overflows float32
        ("0,0,0\n1e16,1,1\n", "err.csv.out_of_range", 2),  # cannot be standardised safely
        ("0,0,0\n1,1_000,1\n", "err.csv.not_numeric", 2),  # float() would take it
        ("x1,x2,label\n0,0,0\n1,1,1.5\n", "err.csv.label_not_int", 3),
        ("0,0,0\n1,1,cat\n", "err.csv.label_not_int", 2),
        ("0,0,0\n1,1,nan\n", "err.csv.label_not_int", 2),
    ],
)
def test_csv_line_errors(text, code, line):
    e = _refuse(text.encode())
    assert e.code == code
    assert e.fields["line"] == line
    assert f"{line}" in str(e)


def test_csv_not_numeric_echoes_value():
    e = _refuse(b"0,0,0\n1,abc,1\n")
    assert e.fields["value"] == "abc" and "abc" in str(e)
    long = _refuse(b"0,0,0\n1," + b"z" * 500 + b",1\n")
    assert len(long.fields["value"]) <= 21


def test_csv_class_count_errors():
    assert _refuse(b"0,0,1\n1,1,1\n2,2,1\n3,3,1\n").code == "err.csv.one_class"
    rows = "".join(f"{i},{i},{i}\n" for i in range(11))
    e = _refuse(rows.encode())
    assert e.code == "err.csv.too_many_classes" and e.fields["count"] == 11
    rows10 = "".join(f"{i},{i},{i * 100}\n" for i in range(10))
    assert parse_points_csv(rows10.encode())[1].tolist() == list(range(10))


def test_csv_too_few_rows():
    e = _refuse(b"x1,x2,label\n0,0,0\n1,1,1\n2,2,0\n")
    assert e.code == "err.csv.too_few_rows" and e.fields["rows"] == 3
    assert _refuse(b"x1,x2,label\n").code == "err.csv.too_few_rows"


def test_csv_huge_integer_labels_do_not_overflow():
    X, y = parse_points_csv(b"0,0,100000000000000000000000\n1,1,-5\n2,2,-5\n3,3,100000000000000000000000\n")
    assert y.tolist() == [1, 0, 0, 1]


# ---- i18n coverage ----


def _codes_in(module) -> set[str]:
    src = Path(module.__file__).read_text(encoding="utf-8")
    return set(re.findall(r'"(err\.[a-z_]+\.[a-z_]+)"', src))


def test_every_dataset_and_error_code_has_both_languages():
    from core.data import noise

    keys = [f"data.{k}.{part}" for k in KEYS for part in ("name", "desc")]
    codes = _codes_in(data2d) | _codes_in(csv_table) | _codes_in(noise)  # the CSV checks: csv_table
    assert {
        "err.csv.too_large", "err.csv.too_many_rows", "err.csv.encoding", "err.csv.columns",
        "err.csv.missing", "err.csv.not_numeric", "err.csv.label_not_int", "err.csv.one_class",
        "err.csv.too_many_classes", "err.csv.too_few_rows", "err.csv.empty",
    } <= codes
    for key in keys + sorted(codes):
        assert key in STRINGS, key
        for lang in LANGUAGES:
            assert STRINGS[key].get(lang, "").strip(), (key, lang)


def test_error_placeholders_agree_across_languages():
    fieldre = re.compile(r"{(\w+)")
    for key in _codes_in(data2d) | _codes_in(csv_table):
        fields = {tuple(sorted(set(fieldre.findall(STRINGS[key][lang])))) for lang in LANGUAGES}
        assert len(fields) == 1, key


def test_zh_messages_are_chinese():
    for k in KEYS:
        text = translate(f"data.{k}.name", "zh") + translate(f"data.{k}.desc", "zh")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ---- coordinates near the float32 limit ----


def _csv(X, y) -> bytes:
    return "".join(f"{a!r},{b!r},{int(c)}\n" for (a, b), c in zip(X.tolist(), y.tolist())).encode()


def _train_and_draw(X, y, steps=4):
    """build_run + a few frames + a boundary drawing; returns the run and its grid."""
    from core.pictures.render import evaluate_grid
    from core.runs.config import Playground2DConfig
    from core.runs.playground import Upload, build_run, draw_boundary

    run = build_run(Playground2DConfig(dataset="upload", seed=3), Upload(X, y))
    for _ in range(steps):
        run.trainer.step(20)
        run.trainer.evaluate()
    image = draw_boundary(run)
    assert image.size[0] > 0
    return run, evaluate_grid(run.trainer.model, run.bounds, 20)


def _all_finite(run, grid) -> bool:
    h = run.trainer.history.values
    return (all(np.isfinite(h[m]).all() for m in ("train_loss", "test_loss"))
            and all(torch.isfinite(p).all() for p in run.trainer.model.parameters())
            and np.isfinite(run.bounds).all() and np.isfinite(grid.probs).all())


def test_coordinates_at_the_limit_train_build_and_draw_finite():
    Xm, y = generate("moons", n=200)
    X = Xm / np.abs(Xm).max(0) * data2d.COORD_LIMIT  # each column reaches exactly ±1e15
    Xp, yp = parse_points_csv(_csv(X, y) + b"1e15,-1e15,0\n-1e15,1e15,1\n")
    assert Xp.dtype == np.float32 and np.abs(Xp).max() == np.float32(1e15)
    run, grid = _train_and_draw(Xp, yp)
    assert _all_finite(run, grid)
    assert run.trainer.diverged is None
    # the same points in ordinary units train exactly as well: standardisation removes the scale
    small, _ = _train_and_draw((Xp / np.float32(1e15)).astype(np.float32), yp)
    assert run.trainer.history.values["train_acc"][-1] == pytest.approx(
        small.trainer.history.values["train_acc"][-1], abs=0.05)


@pytest.mark.parametrize("value,column", [("1.000001e15", "x1"), ("-1000000000000001", "x2"),
                                          ("1e16", "x1"), ("3e38", "x2"), ("1e400", "x1")])
def test_coordinates_just_past_the_limit_are_refused(value, column):
    cells = [value, "0"] if column == "x1" else ["0", value]
    text = f"x1,x2,label\n0,0,0\n1,1,1\n{cells[0]},{cells[1]},0\n3,3,1\n"
    e = _refuse(text.encode())
    assert e.code == "err.csv.out_of_range"
    assert e.fields == {"line": 4, "column": column, "value": value, "limit": "1e15"}
    for lang in LANGUAGES:
        msg = e.message(lang)
        assert "4" in msg and column in msg and value in msg and "1e15" in msg


@pytest.mark.parametrize("constant", [0.0, 0.1, 123456.7, 1e15, -1e15])
def test_a_constant_column_trains_like_a_column_of_zeros(constant):
    """All points share x1: the column carries nothing, so training must not depend on its value
    (it used to feed the net (x - mean) / 1e-6, e.g. 1e14, when the float32 mean missed by an ulp)."""
    Xm, y = generate("moons", n=300)
    X = Xm.astype(np.float32)
    X[:, 0] = constant
    Xp, yp = parse_points_csv(_csv(X, y))
    assert (Xp[:, 0] == np.float32(constant)).all()
    run, grid = _train_and_draw(Xp, yp)
    assert _all_finite(run, grid)
    x_lo, x_hi = run.bounds[:2]
    assert x_lo < np.float32(constant) < x_hi
    assert np.float32(x_lo) < np.float32(x_hi)  # the grid's float32 columns stay distinct
    X0 = X.copy()
    X0[:, 0] = 0.0
    zero, _ = _train_and_draw(X0, y)
    assert run.trainer.history.values["train_loss"] == zero.trainer.history.values["train_loss"]


def test_one_point_repeated_still_draws():
    X = np.full((6, 2), 5.0, np.float32)
    run, grid = _train_and_draw(X, np.array([0, 1, 0, 1, 0, 1]), steps=1)
    assert _all_finite(run, grid)
    assert run.bounds == pytest.approx((4.9, 5.1, 4.9, 5.1))
