"""Property tests of the URL schema: any query parses to a valid config, valid configs round-trip exactly.

Strategies are built from the dataclass fields' metadata (choices, low/high), so a new
field is covered without editing this file; only free-text fields need a valid set here.
"""
import dataclasses
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.runs.config import LOSS_PARAM_PREFIX, Playground2DConfig, input_noise_max, loss_param_specs
from core.i18n import STRINGS, translate
from core.runs.mnist_run import MnistConfig, parse_hidden
from core.runs.regression_config import RegressionConfig
from core.data.noise import parse_pairs

CLASSES = (Playground2DConfig, MnistConfig, RegressionConfig)
# Free-text fields: values valid for every data set (2 classes or more) / layer sizes.
TEXT_VALUES = {"noise_pairs": ("0>1", "1>0", "0<>1", "1<>0"),
               "features": ("x1,x2", "x1", "x1sq,x2sq", "x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2", "x2,sinx1"),
               "hidden": ("256", "512,256", "64,32,16", "8", "2048,1,7,300"),
               "edits": ("", "r0", "a0.5,1.2,1;f17,0;r30", "a-2,0.25,0")}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scalar_fields(cls):
    return [f for f in dataclasses.fields(cls) if f.name != "loss_params"]


def field_strategy(f: dataclasses.Field):
    meta = f.metadata
    if "choices" in meta:
        return st.sampled_from(meta["choices"])
    if "low" in meta:
        if isinstance(f.default, int) and not isinstance(f.default, bool):
            return st.integers(meta["low"], meta["high"])
        return st.floats(meta["low"], meta["high"], allow_nan=False, allow_infinity=False)
    if isinstance(f.default, bool):
        return st.booleans()
    return st.sampled_from(TEXT_VALUES[f.name])  # a new free-text field must be added above


@st.composite
def valid_configs(draw, cls):
    values = {f.name: draw(field_strategy(f)) for f in scalar_fields(cls)}
    if cls is Playground2DConfig:  # cross-field: the input-noise range depends on the data set
        values["input_noise"] = draw(st.floats(0.0, input_noise_max(values["dataset"]), allow_nan=False))
    params = tuple((p.name, draw(st.floats(p.low, p.high, allow_nan=False)))
                   for p in cls.loss_param_specs(values["loss"]))
    # valid also means what this server trains (core/serving/compute_limits.py): a batch too big for the model is capped
    return cls(**values, loss_params=params).validated()


def all_param_names(cls) -> list[str]:
    names = [f.name for f in scalar_fields(cls)]
    losses = dataclasses.fields(cls)[[f.name for f in dataclasses.fields(cls)].index("loss")].metadata["choices"]
    names += sorted({LOSS_PARAM_PREFIX + p.name for loss in losses for p in cls.loss_param_specs(loss)})
    return names + ["loss_params", "lang", "loss.", "LOSS", "lr ", ""]


# values near the interesting edges: numbers in and out of range, choices, junk
VALUE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["0", "1", "-1", "0.5", "1e-5", "1e999", "nan", "inf", "-0", " 3 ", "1_000", "0x10",
                     "true", "0>1", "1>1", "0>9", "256", "512,256", "0,5", "5" * 5000, "١٢", "moons",
                     "cross_entropy", "gce", "distillation", "label_smoothing", "pairs", "symmetric",
                     "mlp", "cnn", "logistic", "adamw", "decoupled", "fashion", "l1", "x1,x2", "x2sq,x1",
                     "x1,x1", "x1,", "sinx1"]),
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def queries(cls):
    keys = st.one_of(st.sampled_from(all_param_names(cls)), st.text(max_size=12))
    return st.dictionaries(keys, VALUE, max_size=12)


def assert_valid(config, cls):
    for f in scalar_fields(cls):
        value = getattr(config, f.name)
        meta = f.metadata
        assert type(value) is type(f.default), (f.name, value)
        if "choices" in meta:
            assert value in meta["choices"], (f.name, value)
        if "low" in meta:
            assert meta["low"] <= value <= meta["high"], (f.name, value)
            if isinstance(value, float):
                assert math.isfinite(value)
    specs = {p.name: p for p in cls.loss_param_specs(config.loss)}
    assert [name for name, _ in config.loss_params] == sorted(specs), config.loss_params
    for name, value in config.loss_params:
        assert isinstance(value, float) and specs[name].low <= value <= specs[name].high
    if cls is Playground2DConfig:
        assert config.input_noise <= input_noise_max(config.dataset)
        from core.learning.models import features_text, parse_features
        assert features_text(parse_features(config.features)) == config.features  # known, once each, in order
    if cls is Playground2DConfig and config.noise_kind == "pairs":
        parse_pairs(config.noise_pairs, config.class_count())  # valid when it is used
    if cls is MnistConfig:
        parse_hidden(config.hidden)


def check_any_query(cls, query):
    config, warnings = cls.from_query(query)  # must not raise
    assert isinstance(config, cls)
    assert_valid(config, cls)
    for w in warnings:
        assert w.code in STRINGS
        for lang in ("en", "zh"):
            translate(w.code, lang, **w.fields)
    # what the page writes back to the URL is clean: it parses to itself with no warnings
    again, warnings = cls.from_query(config.to_query())
    assert warnings == [] and again == config


@SETTINGS
@given(queries(Playground2DConfig))
def test_any_2d_query_gives_a_valid_config(query):
    check_any_query(Playground2DConfig, query)


@SETTINGS
@given(queries(MnistConfig))
def test_any_mnist_query_gives_a_valid_config(query):
    check_any_query(MnistConfig, query)


@SETTINGS
@given(queries(RegressionConfig))
def test_any_regression_query_gives_a_valid_config(query):
    check_any_query(RegressionConfig, query)


@SETTINGS
@given(valid_configs(RegressionConfig))
def test_valid_regression_configs_round_trip_exactly(config):
    again, warnings = RegressionConfig.from_query(config.to_query())
    assert warnings == []
    assert again == config


def test_query_strategy_reaches_real_fields_and_loss_params():
    names = all_param_names(Playground2DConfig)
    assert {"dataset", "lr", "noise_pairs", "loss.q", "loss.eps"} <= set(names)
    assert {"hidden", "n_train", "loss.T", "loss.alpha"} <= set(all_param_names(MnistConfig))
    assert {"outlier_fraction", "leak", "band", "loss.tau", "loss.a", "loss.delta"} <= set(all_param_names(RegressionConfig))


@SETTINGS
@given(valid_configs(Playground2DConfig))
def test_valid_2d_configs_round_trip_exactly(config):
    q = config.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in q.items())
    again, warnings = Playground2DConfig.from_query(q)
    assert warnings == []
    assert again == config


@SETTINGS
@given(valid_configs(MnistConfig))
def test_valid_mnist_configs_round_trip_exactly(config):
    again, warnings = MnistConfig.from_query(config.to_query())
    assert warnings == []
    assert again == config


@SETTINGS
@given(valid_configs(Playground2DConfig), st.sampled_from(["lang", "lr"]), st.text(max_size=8))
def test_one_bad_value_only_resets_that_field(config, key, junk):
    q = {**config.to_query(), key: junk}
    again, warnings = Playground2DConfig.from_query(q)
    if key == "lang":  # ignored, never warned about
        assert warnings == [] and again == config
        return
    try:
        ok = 1e-5 <= float(junk.strip()) <= 100.0
    except ValueError:
        ok = False
    if ok:
        assert warnings == [] and again.lr == float(junk.strip())
    else:
        assert [w.fields["key"] for w in warnings] == ["lr"] and again.lr == Playground2DConfig().lr
    assert again.replace(lr=config.lr) == config
