import string

import pytest

from core.runs.config import DATASET_KEYS
from core.data.data2d import DATASETS
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, STRINGS, translate
from core.learning.losses import LOSSES
from core.learning.models import ACTIVATIONS, MODELS
from core.data.noise import NOISE_KINDS
from core.learning.engines import OPTIMIZERS

FORMATTER = string.Formatter()


def fields(text):
    """Names of the str.format fields in text, e.g. {'size', 'limit'} for '{size:,} of {limit:,}'."""
    return {name for _, name, _, _ in FORMATTER.parse(text) if name is not None}


def test_languages():
    assert LANGUAGES == ("en", "zh")
    assert DEFAULT_LANGUAGE in LANGUAGES


def report(problems: list[str], what: str) -> str:
    """Every problem on its own line, so one run names all the keys to fix."""
    return f"{what} ({len(problems)}):\n" + "\n".join(problems)


def test_every_key_has_both_languages():
    problems = []
    for key in sorted(STRINGS):
        entry = STRINGS[key]
        if set(entry) != set(LANGUAGES):
            problems.append(f"{key}: languages {sorted(entry)}, wanted {list(LANGUAGES)}")
        for lang in LANGUAGES:
            if lang in entry and not (isinstance(entry[lang], str) and entry[lang].strip()):
                problems.append(f"{key} [{lang}]: empty or not text: {entry[lang]!r}")
    assert not problems, report(problems, "strings without both languages")


def test_format_fields_match_between_languages():
    problems = []
    for key in sorted(STRINGS):
        texts = {lang: STRINGS[key].get(lang) for lang in ("en", "zh")}
        if not all(isinstance(text, str) for text in texts.values()):
            continue  # reported by test_every_key_has_both_languages
        try:
            en, zh = fields(texts["en"]), fields(texts["zh"])
        except ValueError as err:  # a stray brace breaks even the parsing
            problems.append(f"{key}: {err}")
            continue
        if en != zh:
            problems.append(f"{key}: fields {sorted(en)} in English, {sorted(zh)} in 中文")
            continue
        # and every string formats with its own fields (no stray braces, valid format specs)
        dummy = {name: 1234 for name in en}
        for lang, text in texts.items():
            try:
                text.format(**dummy)
            except (ValueError, KeyError, IndexError, TypeError) as err:
                problems.append(f"{key} [{lang}]: does not format: {type(err).__name__}: {err}")
    assert not problems, report(problems, "strings whose format fields are wrong")


def test_t_fills_fields_and_falls_back():
    assert translate("err.csv.too_large", "en", size=2_500_000, limit=2_000_000) == \
        "The file is 2,500,000 bytes; the limit is 2,000,000 bytes."
    assert "2,500,000" in translate("err.csv.too_large", "zh", size=2_500_000, limit=2_000_000)
    assert translate("no.such.key", "zh") == "no.such.key"
    assert translate("app.title", "fr") == STRINGS["app.title"]["en"]
    assert translate("app.title", "zh") == STRINGS["app.title"]["zh"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_url_warnings_translate(lang):
    from core.runs.config import Playground2DConfig
    _, warnings = Playground2DConfig.from_query({"colour": "red", "lr": "abc"})
    assert {w.code for w in warnings} == {"warn.url.unknown", "warn.url.bad_value"}
    for w in warnings:
        text = translate(w.code, lang, **w.fields)
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


def test_registry_keys_have_ui_strings():
    missing = [key for key in REQUIRED if key not in STRINGS]
    assert not missing, report(missing, "registry entries without a UI string")


def test_every_config_dataset_is_a_registered_dataset():
    assert set(DATASET_KEYS) - {"upload"} == set(DATASETS)


def test_names_are_distinct_within_a_registry():
    for prefix, keys in (("loss.{}.name", LOSSES), ("data.{}.name", DATASETS)):
        for lang in LANGUAGES:
            names = [STRINGS[prefix.format(k)][lang] for k in keys]
            assert len(set(names)) == len(names), (prefix, lang)
