import string

import pytest

from core.config import DATASET_KEYS
from core.data2d import DATASETS
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, STRINGS, t
from core.losses import LOSSES
from core.models import ACTIVATIONS, MODELS
from core.noise import NOISE_KINDS
from core.optim import OPTIMIZERS

FORMATTER = string.Formatter()


def fields(text):
    """Names of the str.format fields in text, e.g. {'size', 'limit'} for '{size:,} of {limit:,}'."""
    return {name for _, name, _, _ in FORMATTER.parse(text) if name is not None}


def test_languages():
    assert LANGUAGES == ("en", "zh")
    assert DEFAULT_LANGUAGE in LANGUAGES


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_both_languages(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES), key
    for lang in LANGUAGES:
        assert isinstance(entry[lang], str) and entry[lang].strip(), (key, lang)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_format_fields_match_between_languages(key):
    en, zh = STRINGS[key]["en"], STRINGS[key]["zh"]
    assert fields(en) == fields(zh), key
    # and every string formats with its own fields (no stray braces, valid format specs)
    dummy = {name: 1234 for name in fields(en)}
    for text in (en, zh):
        text.format(**dummy)  # raises on a stray brace or a bad format spec


def test_t_fills_fields_and_falls_back():
    assert t("err.csv.too_large", "en", size=2_500_000, limit=2_000_000) == \
        "The file is 2,500,000 bytes; the limit is 2,000,000 bytes."
    assert "2,500,000" in t("err.csv.too_large", "zh", size=2_500_000, limit=2_000_000)
    assert t("no.such.key", "zh") == "no.such.key"
    assert t("app.title", "fr") == STRINGS["app.title"]["en"]
    assert t("app.title", "zh") == STRINGS["app.title"]["zh"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_url_warnings_translate(lang):
    from core.config import Playground2DConfig
    _, warnings = Playground2DConfig.from_query({"colour": "red", "lr": "abc"})
    assert {w.code for w in warnings} == {"warn.url.unknown", "warn.url.bad_value"}
    for w in warnings:
        text = t(w.code, lang, **w.fields)
        assert w.fields["key"] in text


def test_fields_helper():
    assert fields("a {x} b {y:,} {{literal}}") == {"x", "y"}


REQUIRED = (
    [f"loss.{k}.name" for k in LOSSES]
    + [f"loss.{k}.desc" for k in LOSSES]
    + [f"loss.param.{p.name}" for spec in LOSSES.values() for p in spec.params]
    + [f"data.{k}.name" for k in DATASETS]
    + [f"data.{k}.desc" for k in DATASETS]
    + [f"noise.{k}" for k in NOISE_KINDS]
    + [f"model.{k}" for k in MODELS]
    + [f"opt.{k}" for k in OPTIMIZERS]
    + [f"act.{k}" for k in ACTIVATIONS]
)


@pytest.mark.parametrize("key", REQUIRED)
def test_registry_keys_have_ui_strings(key):
    assert key in STRINGS, f"missing UI string {key!r}"


def test_every_config_dataset_is_a_registered_dataset():
    assert set(DATASET_KEYS) - {"upload"} == set(DATASETS)


def test_names_are_distinct_within_a_registry():
    for prefix, keys in (("loss.{}.name", LOSSES), ("data.{}.name", DATASETS)):
        for lang in LANGUAGES:
            names = [STRINGS[prefix.format(k)][lang] for k in keys]
            assert len(set(names)) == len(names), (prefix, lang)
