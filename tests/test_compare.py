"""Comparison runs share data, label noise and initial weights; the compare URL round-trips."""
import string

import torch
from hypothesis import given, settings, strategies as st

from core.compare import CompareSpec, default_spec
from core.config import Playground2DConfig
from core.playground import advance, build_run, load_dataset


def lockstep(spec: CompareSpec, steps: int):
    configs = spec.configs()
    dataset = load_dataset(configs[0])
    runs = [build_run(c, dataset=dataset) for c in configs]
    for _ in range(steps // 10):
        for run in runs:
            advance(run, 10)
    return runs


def test_same_config_twice_gives_identical_curves():
    base = Playground2DConfig(dataset="circles", noise_kind="symmetric", noise_rate=0.2).to_query()
    spec = CompareSpec("2d", base, ({}, {}))
    a, b = lockstep(spec, 60)
    assert a.trainer.history.values == b.trainer.history.values
    assert torch.equal(a.trainer.model.net.weight, b.trainer.model.net.weight)


def test_runs_share_data_flips_and_initial_weights_but_not_the_loss():
    spec = CompareSpec.from_query({"noise_kind": "symmetric", "noise_rate": "0.3",
                                   "r1.loss": "cross_entropy", "r2.loss": "gce"})[0]
    configs = spec.configs()
    dataset = load_dataset(configs[0])
    a, b = (build_run(c, dataset=dataset) for c in configs)
    da, db = a.trainer.data, b.trainer.data
    assert torch.equal(da.X_train, db.X_train) and torch.equal(da.X_test, db.X_test)
    assert torch.equal(da.y_given, db.y_given) and torch.equal(da.flipped, db.flipped)
    assert int(da.flipped.sum()) == round(0.3 * len(da.y_given))
    assert torch.equal(a.trainer.model.net.weight, b.trainer.model.net.weight)  # same init from one seed
    for run in (a, b):
        advance(run, 30)
    assert a.trainer.loss_key == "cross_entropy" and b.trainer.loss_key == "gce"
    assert not torch.equal(a.trainer.model.net.weight, b.trainer.model.net.weight)


def test_data_keys_cannot_be_overridden_per_run():
    spec, warnings = CompareSpec.from_query({"runs": "2", "r2.dataset": "xor", "r2.seed": "5"})
    assert spec.overrides == ({}, {})
    assert {w.fields["key"] for w in warnings} == {"r2.dataset", "r2.seed"}


def test_compare_url_round_trip_for_both_kinds():
    for kind in ("2d", "mnist"):
        spec = default_spec(kind)
        back, warnings = CompareSpec.from_query(spec.to_query())
        assert warnings == [] and back == spec
        assert [c.loss for c in back.configs()] == [c.loss for c in spec.configs()]


def test_bad_compare_params_fall_back_with_warnings():
    spec, warnings = CompareSpec.from_query({"kind": "3d", "runs": "7", "r1.lr": "fast", "r2.loss.q": "9"})
    assert spec.kind == "2d" and len(spec.overrides) == 2
    assert {w.fields["key"] for w in warnings} >= {"kind", "runs", "r1.lr"}


KEYS = ["kind", "runs", "dataset", "lr", "loss", "noise_rate", "r1.loss", "r2.lr", "r3.loss.q", "r9.lr",
        "r1.dataset", "bogus", "loss.q", "n_train", "hidden"]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS) | st.text(string.printable, max_size=12),
                       st.text(string.printable, max_size=12) | st.sampled_from(
                           ["2d", "mnist", "2", "4", "gce", "0.5", "1e9", "nan", "-1", "cnn", "256"]),
                       max_size=8))
def test_any_compare_query_parses_to_a_valid_spec(params):
    spec, warnings = CompareSpec.from_query(params)
    assert spec.kind in ("2d", "mnist") and 2 <= len(spec.overrides) <= 4
    configs = spec.configs()  # every run's config is valid
    assert len(configs) == len(spec.overrides)
    back, again = CompareSpec.from_query(spec.to_query())
    assert back == spec and again == []
