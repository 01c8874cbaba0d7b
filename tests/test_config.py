import dataclasses
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.runs.config import (
    LOSS_PARAM_PREFIX,
    VIEW_PARAMS,
    Playground2DConfig,
    default_loss_params,
)
from core.learning.losses import LOSSES
from core.data.noise import parse_pairs

FIELDS = {f.name: f for f in dataclasses.fields(Playground2DConfig)}
DEFAULT = Playground2DConfig()

# A valid, non-default value for every field (floats chosen so repr must be exact).
CHANGED = {
    "dataset": "spiral_multi",
    "n_samples": 123,
    "input_noise": 0.1 + 0.2,          # 0.30000000000000004
    "test_fraction": 1 / 3,
    "n_classes": 5,
    "noise_kind": "pairs",
    "noise_rate": 0.45,
    "noise_pairs": "1>2, 3<>4",
    "seed": 2**31 - 1,
    "edits": "a0.5,-1.2,1;f17,0;r30",  # hand edits of the points: applied live, never a rebuild
    "model": "logistic",
    "depth": 3,
    "width": 7,
    "last_width": 2,
    "activation": "tanh",
    "bias": False,
    "features": "x1,x2sq,sinx2",
    "loss": "gce",
    "loss_params": (("q", 0.1 + 0.25),),
    "optimizer": "momentum",
    "lr": 1e-5,
    "batch_size": 33,
    "weight_decay": 2 / 3,
    "wd_mode": "decoupled",
    "speed": "fastest",
}

DATA_FIELDS = {"dataset", "n_samples", "input_noise", "test_fraction", "n_classes",
               "noise_kind", "noise_rate", "noise_pairs", "seed"}
MODEL_FIELDS = {"model", "depth", "width", "last_width", "activation", "bias", "features", "seed"}


def codes(warnings):
    return [w.code for w in warnings]


# ---------------------------------------------------------------- round trips


def test_defaults_round_trip_without_warnings():
    query = DEFAULT.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    config, warnings = Playground2DConfig.from_query(query)
    assert warnings == []
    assert config == DEFAULT


def test_empty_query_is_default():
    assert Playground2DConfig.from_query({}) == (DEFAULT, [])


def test_changed_covers_every_field_with_non_default_values():
    assert set(CHANGED) == set(FIELDS)
    for name, value in CHANGED.items():
        assert value != getattr(DEFAULT, name), name


def test_all_fields_changed_round_trip():
    config = Playground2DConfig(**CHANGED)
    assert config.validated([]) == config  # it is valid to begin with
    back, warnings = Playground2DConfig.from_query(config.to_query())
    assert warnings == []
    assert back == config
    assert back.input_noise == 0.1 + 0.2  # exact float, not 0.3
    assert back.test_fraction == 1 / 3
    assert back.loss_params == (("q", 0.1 + 0.25),)


def alone(name):
    """DEFAULT with one field changed; the class count on a data set that takes one (moons has its own)."""
    base = DEFAULT.replace(dataset="blobs_multi") if name == "n_classes" else DEFAULT
    return base.replace(**{name: CHANGED[name]}), base


@pytest.mark.parametrize("name", [n for n in CHANGED if n != "loss_params"])
def test_each_field_alone_round_trips(name):
    config, _ = alone(name)
    back, warnings = Playground2DConfig.from_query(config.to_query())
    assert warnings == []
    assert back == config
    assert getattr(back, name) == CHANGED[name]
    assert type(getattr(back, name)) is type(CHANGED[name])


def test_query_values_are_strings_with_exact_float_repr():
    q = Playground2DConfig(**CHANGED).to_query()
    assert q["input_noise"] == "0.30000000000000004"
    assert q["n_samples"] == "123"
    assert q["loss.q"] == repr(0.1 + 0.25)
    assert "loss_params" not in q


def test_lang_is_ignored():
    assert Playground2DConfig.from_query({"lang": "zh"}) == (DEFAULT, [])


# ---------------------------------------------------------------- bad input


def test_unknown_key_warns():
    config, warnings = Playground2DConfig.from_query({"colour": "red", "lr": "0.5"})
    assert config == DEFAULT.replace(lr=0.5)
    assert codes(warnings) == ["warn.url.unknown"]
    assert warnings[0].fields["key"] == "colour"


def test_loss_params_is_not_a_query_key():
    _, warnings = Playground2DConfig.from_query({"loss_params": "q=1"})
    assert codes(warnings) == ["warn.url.unknown"]


@pytest.mark.parametrize("key,raw", [
    ("n_samples", "abc"),
    ("n_samples", "1.5"),
    ("n_samples", "19"),        # below range
    ("n_samples", "5001"),      # above range
    ("n_samples", ""),
    ("depth", "0"),
    ("seed", "-1"),
    ("lr", "nan"),
    ("lr", "inf"),
    ("lr", "-inf"),
    ("lr", "0"),
    ("lr", "1e3"),
    ("input_noise", "-0.1"),
    ("noise_rate", "1.01"),
    ("test_fraction", "0.95"),
    ("dataset", "mnist"),
    ("dataset", "Moons"),
    ("optimizer", "rmsprop"),
    ("activation", ""),
    ("speed", ["fast", "slow"]),  # repeated parameter
    ("width", ["8", "9"]),
    ("width", []),
    ("last_width", "65"),
    ("last_width", "-1"),
    ("bias", "2"),
    ("bias", "maybe"),
    ("bias", ["0", "1"]),
])
def test_bad_value_falls_back_to_default(key, raw):
    config, warnings = Playground2DConfig.from_query({key: raw, "batch_size": "20"})
    assert config == DEFAULT.replace(batch_size=20)  # the good value is still applied
    assert codes(warnings) == ["warn.url.bad_value"]
    assert warnings[0].fields["key"] == key


def test_single_element_list_is_accepted():
    config, warnings = Playground2DConfig.from_query({"width": ["8"], "lr": [" 0.5 "]})
    assert warnings == []
    assert config.width == 8 and config.lr == 0.5


def test_bad_value_is_echoed_truncated():
    _, warnings = Playground2DConfig.from_query({"dataset": "x" * 500})
    assert warnings[0].fields["value"] == "x" * 40


def test_no_bias_and_last_width_round_trip_through_a_link():
    config, warnings = Playground2DConfig.from_query({"model": "logistic", "bias": "0"})
    assert warnings == [] and config.bias is False and config.to_query()["bias"] == "0"
    assert Playground2DConfig.from_query(config.to_query()) == (config, [])
    for raw in ("false", "off", "no", " 0 "):
        assert Playground2DConfig.from_query({"bias": raw})[0].bias is False
    config, warnings = Playground2DConfig.from_query({"last_width": "2", "depth": "3", "width": "8"})
    assert warnings == [] and config.to_query()["last_width"] == "2"
    assert config.hidden_sizes() == [8, 8, 2]
    assert config.replace(last_width=0).hidden_sizes() == [8, 8, 8]  # 0: as wide as the others
    assert config.replace(model="logistic").hidden_sizes() == []


def test_range_ends_are_inclusive():
    config, warnings = Playground2DConfig.from_query({"n_samples": "20", "lr": "100", "seed": str(2**31 - 1)})
    assert warnings == []
    assert (config.n_samples, config.lr, config.seed) == (20, 100.0, 2**31 - 1)


# ---------------------------------------------------------------- loss params


def test_gce_q_round_trips():
    config, warnings = Playground2DConfig.from_query({"loss": "gce", "loss.q": "0.25"})
    assert warnings == []
    assert config.loss_params == (("q", 0.25),)
    assert config.loss_kwargs == {"q": 0.25}
    assert Playground2DConfig.from_query(config.to_query()) == (config, [])


def test_gce_gets_default_q():
    config, warnings = Playground2DConfig.from_query({"loss": "gce"})
    assert warnings == []
    assert config.loss_params == (("q", 0.7),) == default_loss_params("gce")


@pytest.mark.parametrize("loss", ["cross_entropy", "hinge", "brier"])
def test_loss_param_for_loss_without_params_is_dropped_and_warned(loss):
    config, warnings = Playground2DConfig.from_query({"loss": loss, "loss.q": "0.5"})
    assert config.loss == loss
    assert config.loss_params == ()
    assert codes(warnings) == ["warn.url.unknown"]
    assert warnings[0].fields["key"] == "loss.q"


def test_loss_param_of_another_loss_is_dropped():
    config, warnings = Playground2DConfig.from_query({"loss": "focal", "loss.q": "0.5", "loss.gamma": "1.5"})
    assert config.loss_params == (("gamma", 1.5),)
    assert codes(warnings) == ["warn.url.unknown"]


@pytest.mark.parametrize("raw", ["abc", "nan", "inf", "0.01", "1.5", ""])
def test_bad_loss_param_value_falls_back(raw):
    config, warnings = Playground2DConfig.from_query({"loss": "gce", "loss.q": raw})
    assert config.loss_params == (("q", 0.7),)
    assert codes(warnings) == ["warn.url.bad_value"]
    assert warnings[0].fields["key"] == "loss.q"


def test_repeated_loss_param_is_bad_value():
    config, warnings = Playground2DConfig.from_query({"loss": "gce", "loss.q": ["0.3", "0.5"]})
    assert config.loss_params == (("q", 0.7),)
    assert codes(warnings) == ["warn.url.bad_value"]


def test_params_follow_the_loss_after_bad_loss():
    """An invalid loss falls back to cross-entropy, so its q is foreign too."""
    config, warnings = Playground2DConfig.from_query({"loss": "bogus", "loss.q": "0.5"})
    assert config.loss == "cross_entropy" and config.loss_params == ()
    assert sorted(codes(warnings)) == ["warn.url.bad_value", "warn.url.unknown"]


def test_validated_fixes_foreign_loss_params():
    gce = DEFAULT.replace(loss="gce", loss_params=(("q", 0.3),))
    mixed = gce.replace(loss="focal")  # still carries q
    fixed = mixed.validated([])
    assert fixed.loss_params == (("gamma", 2.0),)
    assert gce.validated([]) == gce


# ---------------------------------------------------------------- noise pairs


@pytest.mark.parametrize("pairs", ["banana", "0>0", "0>5", "0>1, 0>2", ">1"])
def test_bad_noise_pairs_fall_back(pairs):
    config, warnings = Playground2DConfig.from_query(
        {"dataset": "blobs_multi", "n_classes": "3", "noise_kind": "pairs", "noise_pairs": pairs})
    assert config.noise_pairs == "0>1"
    assert config.noise_kind == "pairs"
    assert codes(warnings) == ["warn.url.bad_value"]
    assert warnings[0].fields["key"] == "noise_pairs"


def test_noise_pairs_checked_against_class_count():
    # 2>1 is fine with 3 classes, not with the 2 classes of moons
    ok, w1 = Playground2DConfig.from_query({"dataset": "blobs_multi", "noise_kind": "pairs", "noise_pairs": "2>1"})
    assert w1 == [] and ok.noise_pairs == "2>1"
    bad, w2 = Playground2DConfig.from_query({"dataset": "moons", "noise_kind": "pairs", "noise_pairs": "2>1"})
    assert bad.noise_pairs == "0>1" and codes(w2) == ["warn.url.bad_value"]


def test_unused_noise_pairs_need_only_be_well_formed():
    # Not used by symmetric noise, but shown in the pairs box and kept in links: no junk.
    config, warnings = Playground2DConfig.from_query({"noise_kind": "symmetric", "noise_pairs": "5>6, 7<>8"})
    assert warnings == [] and config.noise_pairs == "5>6, 7<>8"  # classes a 10-class upload could have
    for junk in ("banana", "²", "1>1", "0>" + "1" * 7, "0>1," * 60):
        config, warnings = Playground2DConfig.from_query({"noise_kind": "symmetric", "noise_pairs": junk})
        assert codes(warnings) == ["warn.url.bad_value"] and config.noise_pairs == "0>1", junk


@pytest.mark.parametrize("dataset", ["moons", "circles", "xor", "exam", "spiral", "blobs", "upload"])
def test_a_data_set_with_its_own_class_count_leaves_n_classes_out_of_its_link(dataset):
    config = DEFAULT.replace(dataset=dataset, n_classes=5)
    assert "n_classes" not in config.to_query()
    assert config.n_classes == DEFAULT.n_classes  # one value: links and data keys never differ by it
    assert Playground2DConfig.from_query(config.to_query()) == (config, [])


@pytest.mark.parametrize("dataset", ["blobs_multi", "spiral_multi"])
def test_a_data_set_that_takes_a_class_count_keeps_it_in_its_link(dataset):
    config = DEFAULT.replace(dataset=dataset, n_classes=5)
    assert config.to_query()["n_classes"] == "5"
    assert Playground2DConfig.from_query(config.to_query()) == (config, [])


def test_an_old_link_with_n_classes_on_a_two_class_data_set_still_loads_without_warnings():
    for n in ("3", "5"):
        config, warnings = Playground2DConfig.from_query({"dataset": "moons", "n_classes": n, "lr": "0.1"})
        assert warnings == [] and config == DEFAULT.replace(lr=0.1) and config.class_count() == 2
    # out of range is still a bad value, whatever the data set
    assert codes(Playground2DConfig.from_query({"dataset": "moons", "n_classes": "9"})[1]) == ["warn.url.bad_value"]


def test_class_count():
    assert DEFAULT.replace(dataset="moons", n_classes=5).class_count() == 2
    assert DEFAULT.replace(dataset="spiral_multi", n_classes=5).class_count() == 5
    assert DEFAULT.replace(dataset="upload").class_count(4) == 4
    assert DEFAULT.replace(dataset="upload").class_count() == 2


# ---------------------------------------------------------------- keys


@pytest.mark.parametrize("name", list(CHANGED))
def test_data_and_model_keys_change_on_the_right_fields(name):
    changed, base = alone(name)
    assert (changed.data_key() != base.data_key()) == (name in DATA_FIELDS), name
    assert (changed.model_key() != base.model_key()) == (name in MODEL_FIELDS), name


# ---------------------------------------------------------------- property test


def assert_valid(config):
    assert isinstance(config, Playground2DConfig)
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        meta = f.metadata
        if "choices" in meta:
            assert value in meta["choices"], f.name
        if "low" in meta:
            assert type(value) is type(f.default), f.name
            assert meta["low"] <= value <= meta["high"], f.name
            assert math.isfinite(value)
    specs = {p.name: p for p in LOSSES[config.loss].params}
    assert {k for k, _ in config.loss_params} == set(specs)
    for k, v in config.loss_params:
        assert specs[k].low <= v <= specs[k].high
    if config.noise_kind == "pairs":
        parse_pairs(config.noise_pairs, config.class_count())


def _value_for(name):
    f = FIELDS.get(name)
    plausible = [st.text(max_size=12)]
    if f is not None and "choices" in f.metadata:
        plausible.append(st.sampled_from(f.metadata["choices"]))
    plausible += [
        st.integers(-10, 10_000).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(["nan", "inf", "-0", "1e-5", " 3 ", "0>1", "2<>1, 0>2", "9>9", "", "1_0"]),
    ]
    return st.one_of(*plausible)


KEYS = st.sampled_from(sorted(FIELDS) + ["loss.q", "loss.eps", "loss.gamma", "loss.delta", "loss.",
                                         "lang", "loss_params"]) | st.text(max_size=10)


@st.composite
def query_dicts(draw):
    keys = draw(st.lists(KEYS, max_size=12, unique=True))
    return {k: draw(_value_for(k)) for k in keys}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_dicts())
def test_any_query_gives_valid_config(params):
    config, warnings = Playground2DConfig.from_query(params)
    assert_valid(config)
    assert set(codes(warnings)) <= {"warn.url.unknown", "warn.url.bad_value", "warn.url.edits"}
    # every key is either applied or reported (nothing silently ignored, lang aside)
    reported = {w.fields["key"] for w in warnings}
    assert reported <= set(params)
    # and the result is a fixed point of the URL round trip
    assert Playground2DConfig.from_query(config.to_query()) == (config, [])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=6))
def test_arbitrary_text_dict_never_raises(params):
    config, warnings = Playground2DConfig.from_query(params)
    assert_valid(config)
    # the view's parameters (language, presentation, hidden controls, lesson) are not the config's
    unknown = {k for k in params if k not in FIELDS and k not in VIEW_PARAMS and not k.startswith(LOSS_PARAM_PREFIX)}
    assert unknown <= {w.fields["key"] for w in warnings if w.code == "warn.url.unknown"}


def test_minus_zero_in_a_link_is_plain_zero():
    config, warnings = Playground2DConfig.from_query({"weight_decay": "-0", "input_noise": "-0.0"})
    assert warnings == []
    assert config.to_query()["weight_decay"] == "0.0" and config.to_query()["input_noise"] == "0.0"


@pytest.mark.parametrize("raw", ["1_0", "٣", "１２", "3²"])
def test_a_link_number_is_plain_ascii_digits(raw):
    """Python's int() and float() read 1_0, Arabic-Indic and full-width digits; a link may not."""
    config, warnings = Playground2DConfig.from_query({"seed": raw, "lr": raw})
    assert (config.seed, config.lr) == (Playground2DConfig().seed, Playground2DConfig().lr)
    assert [w.fields["key"] for w in warnings] == ["seed", "lr"], warnings
