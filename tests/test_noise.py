import numpy as np
import pytest
import torch

from core.data.data2d import DataError
from core.i18n import LANGUAGES, STRINGS, translate
from core.data.noise import (
    MNIST_PAIRS,
    NOISE_KINDS,
    NoisyLabels,
    apply_label_noise,
    pair_noise,
    parse_pairs,
    symmetric_noise,
)


def labels(n: int, k: int) -> torch.Tensor:
    return torch.arange(n, dtype=torch.int64) % k


def check_consistent(out: NoisyLabels, clean: torch.Tensor):
    assert isinstance(out, NoisyLabels)
    assert out.labels.dtype == torch.int64 and out.flipped.dtype == torch.bool
    assert out.labels.shape == clean.shape == out.flipped.shape
    assert torch.equal(out.flipped, out.labels != clean)


# ---- symmetric ----


@pytest.mark.parametrize(
    "n,k,rate,expected",
    [(1000, 2, 0.2, 200), (1000, 10, 0.2, 200), (1000, 3, 0.45, 450), (37, 4, 0.3, 11), (280, 6, 0.05, 14), (5, 2, 0.5, 2)],
)
def test_symmetric_exact_counts(n, k, rate, expected):
    y = labels(n, k)
    out = symmetric_noise(y, k, rate, seed=1)
    check_consistent(out, y)
    assert int(out.flipped.sum()) == expected == round(rate * n)
    assert out.labels.min() >= 0 and out.labels.max() < k
    # flipped labels never land on the clean class
    assert (out.labels[out.flipped] != y[out.flipped]).all()
    assert torch.equal(out.labels[~out.flipped], y[~out.flipped])


def test_symmetric_edge_rates():
    y = labels(100, 3)
    zero = symmetric_noise(y, 3, 0.0, seed=0)
    assert torch.equal(zero.labels, y) and not zero.flipped.any()
    one = symmetric_noise(y, 3, 1.0, seed=0)
    assert one.flipped.all() and (one.labels != y).all()
    # binary at rate 1: every label is the other class
    yb = labels(50, 2)
    assert torch.equal(symmetric_noise(yb, 2, 1.0, seed=0).labels, 1 - yb)


def test_symmetric_targets_uniform_over_other_classes():
    k, n = 5, 50_000
    y = labels(n, k)
    out = symmetric_noise(y, k, 0.5, seed=3)
    offsets = ((out.labels - y) % k)[out.flipped]
    counts = torch.bincount(offsets, minlength=k).numpy()
    assert counts[0] == 0
    exp = counts.sum() / (k - 1)
    chi2 = (((counts[1:] - exp) ** 2) / exp).sum()
    assert chi2 < 25  # 4 dof; p < 1e-4 territory if broken
    # the flipped samples are spread over all classes, not concentrated
    per_class = torch.bincount(y[out.flipped], minlength=k).numpy()
    assert per_class.min() > 0.9 * per_class.mean()


def test_symmetric_selection_uniform_over_positions():
    y = labels(1000, 2)
    hits = torch.zeros(1000)
    for s in range(200):
        hits += symmetric_noise(y, 2, 0.1, seed=s).flipped.float()
    first, second = hits[:500].sum(), hits[500:].sum()
    assert abs(first - second) < 0.1 * (first + second)


def test_symmetric_determinism():
    y = labels(500, 4)
    a = symmetric_noise(y, 4, 0.3, seed=9)
    b = symmetric_noise(y, 4, 0.3, seed=9)
    c = symmetric_noise(y, 4, 0.3, seed=10)
    assert torch.equal(a.labels, b.labels) and torch.equal(a.flipped, b.flipped)
    assert not torch.equal(a.flipped, c.flipped)


def test_symmetric_does_not_modify_input():
    y = labels(100, 2)
    copy = y.clone()
    symmetric_noise(y, 2, 0.5, seed=0)
    assert torch.equal(y, copy)


@pytest.mark.parametrize("rate", [-0.01, 1.01, float("nan"), float("inf")])
def test_rate_out_of_range(rate):
    y = labels(10, 2)
    with pytest.raises(ValueError):
        symmetric_noise(y, 2, rate, seed=0)
    with pytest.raises(ValueError):
        pair_noise(y, [(0, 1)], rate, seed=0)
    with pytest.raises(ValueError):
        apply_label_noise(y, 2, "symmetric", rate, seed=0)


def test_symmetric_rejects_bad_labels():
    with pytest.raises(ValueError):
        symmetric_noise(torch.tensor([0, 1, 3]), 3, 0.5, seed=0)
    with pytest.raises(ValueError):
        symmetric_noise(torch.tensor([0, 0]), 1, 0.5, seed=0)


# ---- pairs ----


def test_pairs_exact_counts_only_sources_touched():
    y = labels(1000, 10)  # 100 per class
    pairs = [(7, 1), (2, 7), (3, 8)]
    out = pair_noise(y, pairs, 0.37, seed=4)
    check_consistent(out, y)
    for a, b in pairs:
        moved = out.flipped & (y == a)
        assert int(moved.sum()) == 37
        assert (out.labels[moved] == b).all()
    sources = torch.tensor([a for a, _ in pairs])
    assert not out.flipped[~torch.isin(y, sources)].any()
    assert int(out.flipped.sum()) == 3 * 37


def test_pairs_uneven_class_sizes_round_per_class():
    y = torch.tensor([0] * 15 + [1] * 7 + [2] * 40)
    out = pair_noise(y, [(0, 2), (1, 0), (2, 1)], 0.3, seed=0)
    assert int((out.flipped & (y == 0)).sum()) == round(0.3 * 15)
    assert int((out.flipped & (y == 1)).sum()) == round(0.3 * 7)
    assert int((out.flipped & (y == 2)).sum()) == round(0.3 * 40)


def test_pairs_swap_5_6():
    y = labels(1000, 10)
    out = pair_noise(y, [(5, 6), (6, 5)], 0.4, seed=2)
    check_consistent(out, y)
    five_to_six = (y == 5) & (out.labels == 6)
    six_to_five = (y == 6) & (out.labels == 5)
    assert int(five_to_six.sum()) == 40 and int(six_to_five.sum()) == 40
    assert int(out.flipped.sum()) == 80
    # clean-label selection: every sample is moved at most once
    assert torch.equal(out.flipped, five_to_six | six_to_five)


def test_pairs_rate_one_and_zero():
    y = labels(60, 3)
    full = pair_noise(y, [(0, 1)], 1.0, seed=0)
    assert (full.labels[y == 0] == 1).all() and int(full.flipped.sum()) == 20
    none = pair_noise(y, [(0, 1)], 0.0, seed=0)
    assert torch.equal(none.labels, y) and not none.flipped.any()


def test_pairs_determinism_and_seed():
    y = labels(1000, 10)
    a = pair_noise(y, MNIST_PAIRS, 0.25, seed=1)
    b = pair_noise(y, MNIST_PAIRS, 0.25, seed=1)
    c = pair_noise(y, MNIST_PAIRS, 0.25, seed=2)
    assert torch.equal(a.labels, b.labels)
    assert not torch.equal(a.labels, c.labels)
    assert int(a.flipped.sum()) == 5 * 25


def test_pairs_invalid():
    y = labels(20, 4)
    with pytest.raises(ValueError):
        pair_noise(y, [(1, 1)], 0.2, seed=0)
    with pytest.raises(ValueError):
        pair_noise(y, [(1, 2), (1, 3)], 0.2, seed=0)
    with pytest.raises(ValueError):
        apply_label_noise(y, 4, "pairs", 0.2, seed=0, pairs=[(1, 4)])


def test_mnist_pairs():
    assert MNIST_PAIRS == [(7, 1), (2, 7), (5, 6), (6, 5), (3, 8)]
    assert parse_pairs("7>1, 2>7, 5<>6, 3>8", 10) == MNIST_PAIRS


# ---- parse_pairs ----


@pytest.mark.parametrize(
    "text,expected",
    [
        ("7>1, 2>7, 5<>6", [(7, 1), (2, 7), (5, 6), (6, 5)]),
        ("0>1", [(0, 1)]),
        ("  3 > 4 ,", [(3, 4)]),
        ("1->2, 3<->4", [(1, 2), (3, 4), (4, 3)]),
        ("", []),
        ("   ", []),
    ],
)
def test_parse_pairs_good(text, expected):
    assert parse_pairs(text, 10) == expected


@pytest.mark.parametrize(
    "text,code",
    [
        ("7-1", "err.pairs.syntax"),
        ("7>", "err.pairs.syntax"),
        ("a>b", "err.pairs.syntax"),
        ("7>1 2>3", "err.pairs.syntax"),
        ("-1>2", "err.pairs.syntax"),
        ("1.5>2", "err.pairs.syntax"),
        ("__import__('os')", "err.pairs.syntax"),
        ("7>10", "err.pairs.range"),
        ("12>1", "err.pairs.range"),
        ("3>3", "err.pairs.same"),
        ("4<>4", "err.pairs.same"),
        ("7>1, 7>2", "err.pairs.duplicate"),
        ("5<>6, 6>1", "err.pairs.duplicate"),
        ("7>1, 7>1", "err.pairs.duplicate"),
    ],
)
def test_parse_pairs_bad(text, code):
    with pytest.raises(ValueError) as info:
        parse_pairs(text, 10)
    e = info.value
    assert isinstance(e, DataError) and e.code == code
    assert str(e) and "{" not in str(e)
    for lang in LANGUAGES:
        assert "{" not in e.message(lang)


def test_parse_pairs_range_depends_on_n_classes():
    assert parse_pairs("2>0", 3) == [(2, 0)]
    with pytest.raises(ValueError):
        parse_pairs("3>0", 3)


# ---- apply_label_noise ----


def test_apply_none_unchanged():
    y = labels(50, 3)
    out = apply_label_noise(y, 3, "none", 0.4, seed=0)
    assert torch.equal(out.labels, y) and not out.flipped.any()
    out.labels[0] = 2  # result is a copy, not a view of the clean labels
    assert y[0] == 0


def test_apply_dispatches():
    y = labels(1000, 10)
    assert torch.equal(
        apply_label_noise(y, 10, "symmetric", 0.2, seed=3).labels, symmetric_noise(y, 10, 0.2, seed=3).labels
    )
    assert torch.equal(
        apply_label_noise(y, 10, "pairs", 0.2, seed=3, pairs=MNIST_PAIRS).labels,
        pair_noise(y, MNIST_PAIRS, 0.2, seed=3).labels,
    )
    with pytest.raises(ValueError):
        apply_label_noise(y, 10, "gaussian", 0.2, seed=3)


def test_noise_kinds_have_i18n():
    assert NOISE_KINDS == ("none", "symmetric", "pairs")
    for kind in NOISE_KINDS:
        for key in (f"noise.{kind}", f"noise.{kind}.desc"):
            assert key in STRINGS, key
            for lang in LANGUAGES:
                assert STRINGS[key][lang].strip()
                assert translate(key, lang) != key
