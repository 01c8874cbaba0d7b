"""Generated links against every page, rendered with AppTest: no input breaks a page.

Over 1,000 query-parameter sets, random and adversarial (repeated keys, 10 kB strings, NaN/inf,
negative and off-step numbers, non-ASCII digits, parameters of another loss, Markdown and HTML
payloads, Compare's per-run overrides). For each one the page must render without an exception,
show every refusal the URL schema reports as a warning (escaped, bounded in length), and build
exactly the config the schema parsed: the widgets can show every value the schema accepts, so
a link reproduces its run (and no "could not keep" warning appears).
"""
from __future__ import annotations

import dataclasses
import os
import random
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.runs.compare import OVERRIDABLE
from core.runs.config import LOSS_PARAM_PREFIX, Playground2DConfig
from core.runs.regression_config import RegressionConfig
from core.learning.regression_losses import REGRESSION_LOSSES
from core.learning.distill import loss_param_specs
from core.app.pages import PAGES as REGISTRY, page as page_info
from core.i18n import LANGUAGES, translate
from core.runs.mnist_run import MULTICLASS_LOSSES, MnistConfig
from ui.common import as_text
from tests.support import need_data

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
from tests.support import MNIST_DIR  # noqa: E402  (shared/data/mnist wherever the clone is)
# every page of the registry (home is where a session starts: no switch)
PAGES = {p.key: (None if p.key == "home" else p.script) for p in REGISTRY}
DEEP_CASES = {"2d": 560, "compare": 420, "mnist": 110, "lab": 140, "regression": 200, "runs": 40, "home": 40}  # 1,510
# the pages whose settings are one config class (Compare's spec holds several runs: generated apart)
CONFIG_CLASSES = {p.key: p.config for p in REGISTRY if p.config is not None and p.key != "compare"}

JUNK_NUMBERS = ["nan", "NaN", "inf", "-inf", "1e999", "-1", "-0", "0x10", "1_000", "１２", "٣", "²", "3²", " 7 ",
                "1e-400", "", "1e308", "0.0.1", "1,5", "+5", "10" * 30, "True"]
JUNK_TEXT = ["[Log in again](https://example.com/x)", "![x](http://127.0.0.1:9/p.png)", "<b>bold</b><script>x</script>",
             "$x^2$", ":red[hi]", "x" * 10_000, "\u202eevil", "a\nb", "文字", "null", "{}", "*", "0>1", "0<>1,1>0",
             "9>0", "1>1", "256", "2048,2048,2048,2048", "0", "5,0"]
UNKNOWN_KEYS = ["", "foo", "LR", "lr ", "loss.", "loss.zz", "r0.lr", "r9.lr", "r².lr", "r１.lr", "r1.", "r1.seed",
                "r1.dataset", "k" * 10_000, "[x](https://example.com)", "runs.", "kind.x"]
ALL_LOSS_PARAMS = sorted({LOSS_PARAM_PREFIX + p.name for loss in MULTICLASS_LOSSES for p in loss_param_specs(loss)}
                         | {LOSS_PARAM_PREFIX + p.name for spec in REGRESSION_LOSSES.values() for p in spec.params})


def scalar_fields(cls):
    return [f for f in dataclasses.fields(cls) if f.name != "loss_params"]


def field_value(f: dataclasses.Field, rng: random.Random) -> str:
    """A value for one field: valid (often at or between the edges) or junk."""
    meta = f.metadata
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(JUNK_NUMBERS + JUNK_TEXT)
    if isinstance(f.default, bool):  # a checkbox: the words a link may use, and some it may not
        return rng.choice(["0", "1", "true", "off", "2", "yes ", "Ja"])
    if "choices" in meta:
        return rng.choice(list(meta["choices"]) + ["MOONS", "upload", "distillation", "none "])
    if "low" in meta:
        low, high, step = meta["low"], meta["high"], meta["step"] or 1
        is_int = isinstance(f.default, int)
        candidates = [low, high, low - step, high + step, (low + high) / 2, *meta["ticks"]]
        value = rng.choice(candidates) if roll < 0.6 else rng.uniform(low, high)
        return str(int(value)) if is_int and value == int(value) else repr(value) if not is_int else repr(value)
    if f.name == "edits":  # hand edits of the data: valid (they may not fit the data set) or malformed
        return rng.choice(["", "a0.1,0.2,1;f3,0", "r0", "zz"])
    return rng.choice(JUNK_TEXT)  # free text: pairs, hidden sizes


def loss_param_value(rng: random.Random) -> str:
    return rng.choice(["0", "0.5", "1", "0.999", "2", "5", "-0.1", "100", "1e-9"] + JUNK_NUMBERS)


def config_query(cls, rng: random.Random, max_keys: int = 8) -> dict:
    fields = scalar_fields(cls)
    query: dict = {}
    for _ in range(rng.randint(0, max_keys)):
        roll = rng.random()
        if roll < 0.7:
            f = rng.choice(fields)
            query[f.name] = field_value(f, rng)
        elif roll < 0.85:
            query[rng.choice(ALL_LOSS_PARAMS)] = loss_param_value(rng)
        elif roll < 0.93:
            query[rng.choice(UNKNOWN_KEYS)] = rng.choice(JUNK_TEXT + JUNK_NUMBERS)
        else:  # a repeated key: the last value counts, like st.query_params
            f = rng.choice(fields)
            query[f.name] = [field_value(f, rng), field_value(f, rng)]
    return query


def compare_query(rng: random.Random) -> dict:
    kind = rng.choice(["2d", "2d", "mnist", "regression", "other"])
    cls = {"mnist": MnistConfig, "regression": RegressionConfig}.get(kind, Playground2DConfig)
    query = config_query(cls, rng, max_keys=6)
    query["kind"] = kind
    if rng.random() < 0.8:
        query["runs"] = rng.choice(["2", "3", "4", "1", "5", "٣", "x", "2.0"])
    fields = {f.name: f for f in scalar_fields(cls)}
    for _ in range(rng.randint(0, 6)):
        i = rng.choice(["1", "2", "3", "4", "5", "0", "²", "１", "01"])
        key = rng.choice(list(OVERRIDABLE[kind if kind in OVERRIDABLE else "2d"]) + ["seed", "dataset", "noise_kind",
                                                                                   "hidden", "n_samples"])
        if rng.random() < 0.2:
            query[f"r{i}.{rng.choice(ALL_LOSS_PARAMS)[len(LOSS_PARAM_PREFIX):]}"] = loss_param_value(rng)
        elif key in fields:
            query[f"r{i}.{key}"] = field_value(fields[key], rng)
    return query


# CI renders a fixed sample (SAMPLE_SIZES, ~200 links): every field of every page at each of its edges,
# packed several fields to a link, plus random and hostile links. `make fuzz` sets FUZZ_SEED (new each
# time, printed) and renders DEEP_CASES random links (≥ 1,500); FUZZ_SEED=<n> reproduces a failure.
DEEP_SEED = os.environ.get("FUZZ_SEED")
SAMPLE_RANDOM = {"2d": 16, "compare": 20, "mnist": 10, "lab": 12, "regression": 14, "runs": 8, "home": 8}


def edge_values(f: dataclasses.Field) -> list[str]:
    """Every value at an edge of one field: each choice and a wrong one; low, high, one step beyond
    each, an off-tick value between them; the words a checkbox may use; and junk."""
    meta = f.metadata
    if isinstance(f.default, bool):
        return ["0", "1", "true", "off", "2", "Ja"]
    if "choices" in meta:
        return [*meta["choices"], "MOONS", "none "]
    if "low" in meta:
        low, high, step = meta["low"], meta["high"], meta["step"] or 1
        is_int = isinstance(f.default, int)
        values = [low, high, low - step, high + step, (low + high) / 2 if not is_int else (low + high) // 2 + 0.5]
        values += list(meta["ticks"][1:-1][:2])
        return [str(int(v)) if is_int and v == int(v) else repr(v) for v in values] + ["nan", "１２", "1e999"]
    if f.name == "edits":  # hand edits of the data (core/data/edits.py): none, valid, off the data, malformed, too many
        return ["", "a0.1,0.2,1;f3,0;r5", "", "r0", "f99999,0", "zz", ";".join(["r0"] * 51), "a1e999,0,0"]
    return ["0", "0>1", "0<>1,1>0", "9>0", "256", "2048,2048,2048,2048", "[x](https://example.com)", ""]


def packed_edges(fields: list, rng: random.Random, prefix: str = "") -> list[dict]:
    """Links that together show every field at every edge value: link j sets field f to its j-th
    edge value (each field's list shuffled, so the values meet in varied combinations)."""
    columns = {f.name: rng.sample(edge_values(f), len(edge_values(f))) for f in fields}
    n = max(len(v) for v in columns.values())
    return [{prefix + name: values[j] for name, values in columns.items() if j < len(values)} for j in range(n)]


def sample_queries(page: str, rng: random.Random) -> list[dict]:
    """CI's sample for one page: packed edges of every field, then random and hostile links."""
    if page == "compare":
        out = []
        for kind, cls in (("2d", Playground2DConfig), ("mnist", MnistConfig), ("regression", RegressionConfig)):
            fields = {f.name: f for f in scalar_fields(cls)}
            for j, query in enumerate(packed_edges(list(fields.values()), rng)):
                query.update(kind=kind, runs=["2", "3", "4", "1", "5", "٣", "x", "2.0"][j % 8])
                over = [fields[k] for k in OVERRIDABLE[kind] if k in fields]
                for k, f in enumerate(over):  # per-run overrides at their edges, run index varied
                    values = edge_values(f)
                    query[f"r{1 + (j + k) % 4}.{f.name}"] = values[(j + k) % len(values)]
                out.append(query)
        return out + [compare_query(rng) for _ in range(SAMPLE_RANDOM[page])]
    if page in CONFIG_CLASSES:
        out = packed_edges(scalar_fields(CONFIG_CLASSES[page]), rng)
        for j, query in enumerate(out):  # every loss parameter at an edge, on some link
            name = ALL_LOSS_PARAMS[j % len(ALL_LOSS_PARAMS)]
            query[name] = loss_param_value(rng)
        if "edits" in CONFIG_CLASSES[page].field_names():  # valid hand edits of the data (core/data/edits.py)
            out.append({"edits": "a0.1,0.2,1;f3,0" if page == "2d" else "a0.1,0.2;r0"})
    else:
        out = []
    return out + [config_query(CONFIG_CLASSES.get(page) or rng.choice([Playground2DConfig, MnistConfig]), rng)
                  for _ in range(SAMPLE_RANDOM[page])]


def deep_queries(page: str, seed: str) -> list[dict]:
    rng = random.Random(f"fuzz-{seed}-{page}")
    return [compare_query(rng) if page == "compare" else
            config_query(CONFIG_CLASSES.get(page) or rng.choice([Playground2DConfig, MnistConfig]), rng)
            for _ in range(DEEP_CASES[page])]


def cases(page: str) -> list[tuple[str, dict]]:
    if DEEP_SEED is None:
        rng, queries, tag = random.Random(f"fuzz-sample-{page}"), None, "sample"
        queries = sample_queries(page, rng)
    else:
        rng, queries, tag = random.Random(f"fuzz-lang-{DEEP_SEED}-{page}"), deep_queries(page, DEEP_SEED), f"seed{DEEP_SEED}"
    out = []
    for n, query in enumerate(queries):
        if rng.random() < 0.2:
            query["lang"] = rng.choice(LANGUAGES)
        out.append((f"{page}-{tag}-{n:03d}", query))
    return out


def expected(page: str, query: dict):
    """(config or spec the page must build, warnings the schema reports)."""
    params = {k: (v[-1] if isinstance(v, list) else v) for k, v in query.items()}
    return page_info(page).config.from_query(params)  # Compare: a plain address is its opening comparison


def open_page(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    at.run()
    if PAGES[page] is not None and not at.exception:
        at.switch_page(PAGES[page]).run()
    return at


def check(page: str, query: dict) -> None:
    at = open_page(page, query)
    assert not at.exception, (query, [e.value for e in at.exception])
    shown = [w.value for w in at.warning]
    lang = query.get("lang", "en") if isinstance(query.get("lang"), str) else "en"
    for w in shown:  # user text is shown escaped and bounded: no 10 kB warnings
        assert len(w) < 600, w[:200]
    not_kept = translate("warn.url.not_kept", lang, key="", value="").split("“")[0]
    assert not any(w.startswith(not_kept) for w in shown), (query, shown)
    if page in ("home", "runs"):
        return
    config, warnings = expected(page, query)
    for w in warnings:
        text = translate(w.code, lang, **{k: as_text(v) if isinstance(v, str) else v for k, v in w.fields.items()})
        assert text in shown, (query, text, shown)
    assert at.session_state[f"{page_info(page).state}.config"] == config, query


@pytest.fixture
def mnist_env(monkeypatch, tmp_path):
    need_data((MNIST_DIR / "t10k-images-idx3-ubyte.gz").is_file(), f"MNIST test split not found in {MNIST_DIR}")
    monkeypatch.setenv("PLAYGROUND_EXTRA_DATA_DIRS", str(MNIST_DIR))
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))


def test_the_sample_shows_every_field_at_every_edge_and_stays_small():
    all_cases = {page: [q for _, q in cases(page)] for page in DEEP_CASES}
    if DEEP_SEED is not None:
        pytest.skip("a deep run: its links are random")
    assert sum(map(len, all_cases.values())) <= 250
    for page, cls in CONFIG_CLASSES.items():
        for f in scalar_fields(cls):
            seen = {q.get(f.name) for q in all_cases[page] if isinstance(q.get(f.name), str)}
            assert set(edge_values(f)) <= seen, (page, f.name, set(edge_values(f)) - seen)
    for kind, cls in (("2d", Playground2DConfig), ("mnist", MnistConfig), ("regression", RegressionConfig)):
        links = [q for q in all_cases["compare"] if q.get("kind") == kind]
        for f in scalar_fields(cls):
            assert set(edge_values(f)) <= {q.get(f.name) for q in links if isinstance(q.get(f.name), str)}, (kind, f.name)
        for name in OVERRIDABLE[kind]:  # every per-run override appears on some link
            assert any(k.endswith("." + name) and k[0] == "r" for q in links for k in q), (kind, name)
    assert {p for qs in all_cases.values() for q in qs for p in q if p.startswith(LOSS_PARAM_PREFIX)} >= set(ALL_LOSS_PARAMS)
    assert sum(not expected("2d", q)[1] for q in all_cases["2d"]) >= 3  # some links are fully valid


def test_the_deep_links_are_many_and_varied():
    all_cases = [q for page in DEEP_CASES for q in deep_queries(page, "0")]
    assert len(all_cases) >= 1500
    assert deep_queries("2d", "7") == deep_queries("2d", "7") != deep_queries("2d", "8")  # a seed reproduces
    keys = {k for q in all_cases for k in q}
    assert {"r².lr", "k" * 10_000, "loss.q", "n_samples", "teacher_epochs", "runs", "kind"} <= keys
    values = {v for q in all_cases for v in q.values() if isinstance(v, str)}
    assert {"nan", "inf", "٣", "x" * 10_000, "[Log in again](https://example.com/x)"} <= values
    assert any(isinstance(v, list) for q in all_cases for v in q.values())  # repeated keys
    assert sum(not expected("2d", q)[1] for q in deep_queries("2d", "0")) > 50  # many fully valid links too


@pytest.mark.parametrize("name,query", cases("2d"), ids=[c[0] for c in cases("2d")])
def test_2d_page_takes_any_link(name, query):
    check("2d", query)


@pytest.mark.parametrize("name,query", cases("compare"), ids=[c[0] for c in cases("compare")])
def test_compare_page_takes_any_link(name, query, mnist_env):
    check("compare", query)


@pytest.mark.parametrize("name,query", cases("mnist"), ids=[c[0] for c in cases("mnist")])
def test_mnist_page_takes_any_link(name, query, mnist_env):
    check("mnist", query)


@pytest.mark.parametrize("name,query", cases("lab"), ids=[c[0] for c in cases("lab")])
def test_loss_lab_takes_any_link(name, query):
    check("lab", query)


@pytest.mark.parametrize("name,query", cases("regression"), ids=[c[0] for c in cases("regression")])
def test_regression_page_takes_any_link(name, query):
    check("regression", query)


@pytest.mark.parametrize("name,query", cases("runs") + cases("home"), ids=[c[0] for c in cases("runs") + cases("home")])
def test_home_and_history_take_any_link(name, query):
    check(name.split("-")[0], query)
