"""Inputs that once broke the real pages (AppTest): imports on their own page, ranges a link may
set, Compare's run keys and per-run settings, a second CSV upload, language switches, Markdown
in links. Each test drives the page the way a user does and checks what the page then shows."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from core.runs.compare import CompareConfig
from core.runs.config import Playground2DConfig
from core.app.export import run_json
from core.i18n import translate
from core.runs.mnist_run import MnistConfig
from core.learning.trainer import History
from ui.common import as_text
from tests.support import need_data, open_page_via_home

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE_2D, PAGE_MNIST, PAGE_COMPARE = "pages/1_playground_2d.py", "pages/2_mnist.py", "pages/3_compare.py"
from tests.support import MNIST_DIR  # noqa: E402  (shared/data/mnist wherever the clone is)


def open_page(page: str, query: dict | None = None) -> AppTest:
    return open_page_via_home(APP, page, query)


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def warnings_of(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def step_2d(at: AppTest, times: int = 1) -> AppTest:
    for _ in range(times):
        at.button(key="p2d.step_button").click().run()
        assert_ok(at)
    return at


@pytest.fixture
def with_mnist(monkeypatch, tmp_path):
    need_data((MNIST_DIR / "t10k-images-idx3-ubyte.gz").is_file(), f"MNIST test split not found in {MNIST_DIR}")
    monkeypatch.setenv("PLAYGROUND_EXTRA_DATA_DIRS", str(MNIST_DIR))
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))


# ---- 1. importing a run file on its own page -----------------------------------------------------


def run_file(page: str, config) -> bytes:
    return run_json(page, config.to_query(), History(), "a run").encode()


def test_importing_a_2d_run_on_the_2d_page_applies_it():
    at = open_page(PAGE_2D)
    step_2d(at, 2)
    before = at.session_state["p2d.run"]
    wanted = Playground2DConfig(dataset="circles", loss="gce", loss_params=(("q", 0.5),), noise_kind="symmetric",
                                noise_rate=0.1, n_samples=300, lr=0.03)
    at.file_uploader(key="imp.json").upload("circles-gce.json", run_file("2d", wanted), "application/json").run()
    assert_ok(at)
    assert at.selectbox(key="w2d.dataset@en").value == "circles"
    assert at.selectbox(key="w2d.loss@en").value == "gce"
    assert at.session_state["p2d.run"].config == wanted and at.session_state["p2d.run"] is not before
    assert translate("imp.applied", "en", name=as_text("circles-gce.json")) in [s.value for s in at.success]
    assert any(r.history is before.trainer.history for r in at.session_state["runs.store"].list())  # kept
    step_2d(at)  # and it trains
    assert at.session_state["p2d.run"].trainer.steps > 0


def test_importing_a_run_file_from_another_page_opens_that_page(with_mnist):
    at = open_page(PAGE_2D)
    wanted = MnistConfig(n_train=1000, loss="label_smoothing", loss_params=(("eps", 0.2),))
    at.file_uploader(key="imp.json").upload("mnist.json", run_file("mnist", wanted), "application/json").run()
    assert_ok(at)
    assert at.session_state["mn.config"] == wanted
    assert [x.value for x in at.title] == [translate("mn.title", "en")]


def test_a_refused_run_file_says_why_and_keeps_the_run():
    at = open_page(PAGE_2D)
    step_2d(at)
    run = at.session_state["p2d.run"]
    at.file_uploader(key="imp.json").upload("x.json", b'{"format": "something else"}', "application/json").run()
    assert_ok(at)
    assert at.session_state["p2d.run"] is run
    assert any(translate("err.import.not_run", "en") in e.value for e in at.error), [e.value for e in at.error]


def test_importing_an_mnist_run_on_the_mnist_page_applies_it(with_mnist):
    at = open_page(PAGE_MNIST, {"n_train": "1000"})
    wanted = MnistConfig(n_train=500, noise_kind="symmetric", noise_rate=0.3, lr=3e-3)
    at.file_uploader(key="imp.json").upload("m.json", run_file("mnist", wanted), "application/json").run()
    assert_ok(at)
    assert at.session_state["mn.config"] == wanted
    assert at.session_state["mn.run"].config == wanted


# ---- 2. values the schema accepts are values the widgets show --------------------------------------


@pytest.mark.parametrize("page,query,state,field,value", [
    (PAGE_2D, {"n_samples": "2000"}, "p2d.config", "n_samples", 2000),
    (PAGE_2D, {"test_fraction": "0.05"}, "p2d.config", "test_fraction", 0.05),
    (PAGE_2D, {"dataset": "exam", "input_noise": "30"}, "p2d.config", "input_noise", 30.0),
    (PAGE_2D, {"n_samples": "333"}, "p2d.config", "n_samples", 333),  # between the slider's steps
    (PAGE_2D, {"lr": "100"}, "p2d.config", "lr", 100.0),
    (PAGE_2D, {"batch_size": "5000"}, "p2d.config", "batch_size", 5000),
])
def test_range_edges_from_a_link_render(page, query, state, field, value):
    at = open_page(page, query)
    assert_ok(at)
    assert getattr(at.session_state[state], field) == value
    assert not warnings_of(at)


def test_mnist_teacher_epochs_at_the_top_renders(with_mnist):
    at = open_page(PAGE_MNIST, {"teacher_epochs": "10", "n_train": "500"})
    assert_ok(at)
    assert at.session_state["mn.config"].teacher_epochs == 10 and not warnings_of(at)


@pytest.mark.parametrize("query,key", [({"n_samples": "5000"}, "n_samples"), ({"teacher_epochs": "30"}, "teacher_epochs"),
                                       ({"input_noise": "10"}, "input_noise"), ({"test_fraction": "0.01"}, "test_fraction")])
def test_values_outside_the_schema_warn_and_fall_back(query, key):
    page = PAGE_2D if key != "teacher_epochs" else PAGE_2D  # teacher_epochs is no 2D setting: unknown
    at = open_page(page, query)
    assert_ok(at)
    assert any(f"“{as_text(key)}”" in w for w in warnings_of(at)), warnings_of(at)


def test_compare_takes_its_largest_sample_count():
    at = open_page(PAGE_COMPARE, {"n_samples": "2000"})
    assert_ok(at)
    assert at.session_state["cmp.config"].base["n_samples"] == "2000" and not warnings_of(at)
    at = open_page(PAGE_COMPARE, {"n_samples": "3000"})
    assert_ok(at)
    assert any("n\\_samples" in w for w in warnings_of(at))


# ---- 3. and 9. Compare: ASCII run keys; a link reproduces its runs or says what it drops ------------


def test_compare_non_ascii_run_index_is_an_unknown_key():
    at = open_page(PAGE_COMPARE, {"r².lr": "0.1", "r١.lr": "0.1"})
    assert_ok(at)
    shown = warnings_of(at)
    assert translate("warn.url.unknown", "en", key=as_text("r².lr")) in shown, shown
    assert translate("warn.url.unknown", "en", key=as_text("r١.lr")) in shown, shown


def test_compare_per_run_settings_reach_the_runs():
    query = {"kind": "2d", "runs": "3", "dataset": "circles", "test_fraction": "0.2", "noise_kind": "pairs",
             "noise_pairs": "1>0", "noise_rate": "0.3", "r1.model": "logistic", "r2.depth": "3", "r2.width": "8",
             "r2.activation": "tanh", "r3.batch_size": "64", "r3.loss": "gce", "r3.loss.q": "0.4"}
    at = open_page(PAGE_COMPARE, query)
    assert_ok(at)
    assert not warnings_of(at)
    runs = at.session_state["cmp.run"]["runs"]
    assert [r.config.model for r in runs] == ["logistic", "mlp", "mlp"]
    assert (runs[1].config.depth, runs[1].config.width, runs[1].config.activation) == (3, 8, "tanh")
    assert runs[2].config.batch_size == 64 and runs[2].config.loss_kwargs == {"q": 0.4}
    for r in runs:
        assert (r.config.test_fraction, r.config.noise_kind, r.config.noise_pairs) == (0.2, "pairs", "1>0")
    # the same points and flips in every run
    assert all(torch.equal(r.trainer.data.X_train, runs[0].trainer.data.X_train) for r in runs)
    assert all(torch.equal(r.trainer.data.flipped, runs[0].trainer.data.flipped) for r in runs)


def test_compare_refuses_what_it_cannot_do_with_a_warning():
    at = open_page(PAGE_COMPARE, {"dataset": "upload", "r1.noise_kind": "symmetric", "r2.seed": "3"})
    assert_ok(at)
    shown = warnings_of(at)
    assert translate("warn.url.bad_value", "en", key="dataset", value="upload") in shown
    assert translate("warn.url.unknown", "en", key=as_text("r1.noise_kind")) in shown
    assert translate("warn.url.unknown", "en", key=as_text("r2.seed")) in shown


def test_compare_mnist_keeps_an_off_mark_sample_count(with_mnist):
    at = open_page(PAGE_COMPARE, {"kind": "mnist", "n_train": "8000", "hidden": "64,32", "r2.loss": "mae"})
    assert_ok(at)
    assert not warnings_of(at)
    spec = at.session_state["cmp.config"]
    assert spec.base["n_train"] == "8000" and spec.base["hidden"] == "64,32"
    assert [c.n_train for c in spec.configs()] == [8000, 8000]


def test_compare_link_round_trips_through_the_page():
    spec, _ = CompareConfig.from_query({"runs": "4", "r2.lr": "0.3", "r3.optimizer": "sgd", "r4.weight_decay": "0.01"})
    at = open_page(PAGE_COMPARE, spec.to_query())
    assert_ok(at)
    assert at.session_state["cmp.config"] == spec
    assert {k: v for k, v in at.query_params.items() if k != "lang"} == spec.to_query()


# ---- 4. language is a view: switching keeps the experiment ----------------------------------------


@pytest.mark.parametrize("page,query,state", [
    (PAGE_2D, {"dataset": "circles", "loss": "gce", "noise_kind": "symmetric", "batch_size": "5000",
               "speed": "fast", "optimizer": "sgd"}, "p2d.config"),
    (PAGE_COMPARE, {"dataset": "xor", "noise_kind": "symmetric", "r2.loss": "brier", "speed": "slow"}, "cmp.config"),
])
def test_switching_to_chinese_keeps_every_setting(page, query, state):
    at = open_page(page, query)
    before = at.session_state[state]
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    assert at.session_state[state] == before
    step_key = "p2d.step_button" if page == PAGE_2D else "cmp.step_button"
    at.button(key=step_key).click().run()
    assert_ok(at)
    assert at.session_state[state] == before
    at.radio(key="_lang_widget").set_value("en").run()
    assert_ok(at)
    assert at.session_state[state] == before


# ---- 5. a second CSV upload is a new data set ---------------------------------------------------


def csv(points: np.ndarray, labels: np.ndarray) -> bytes:
    return "".join(f"{x:.4f},{y:.4f},{c}\n" for (x, y), c in zip(points, labels)).encode()


def test_a_second_csv_upload_replaces_the_first():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(40, 2)), np.arange(40) % 2
    b = rng.normal(size=(60, 2)) + 10, np.arange(60) % 3
    at = open_page(PAGE_2D, {"dataset": "upload"})
    at.file_uploader(key="p2d.csv").upload("a.csv", csv(*a), "text/csv").run()
    assert_ok(at)
    run_a = at.session_state["p2d.run"]
    assert run_a.data.n_classes == 2 and len(run_a.data.y_train) + len(run_a.data.y_test) == 40
    step_2d(at)
    at.file_uploader(key="p2d.csv").set_value(("b.csv", csv(*b), "text/csv")).run()
    assert_ok(at)
    run_b = at.session_state["p2d.run"]
    assert run_b is not run_a and run_b.data.n_classes == 3
    assert len(run_b.data.y_train) + len(run_b.data.y_test) == 60
    assert run_b.trainer.data.X_train.min() > 5  # B's points, not A's


def test_a_refused_csv_says_why():
    at = open_page(PAGE_2D, {"dataset": "upload"})
    at.file_uploader(key="p2d.csv").upload("bad.csv", b"1,2,0\n3,abc,1\n", "text/csv").run()
    assert_ok(at)
    assert any("abc" in e.value for e in at.sidebar.error), [e.value for e in at.sidebar.error]


# ---- 12. link text is shown as text ------------------------------------------------------------


@pytest.mark.parametrize("query", [
    {"lr": "[Log in again](https://example.com/x)"},
    {"seed": "![x](http://127.0.0.1:9/p.png)"},
    {"[click](https://example.com)": "1"},
    {"k" * 10_000: "1"},
    {"dataset": "<img src=x onerror=alert(1)>"},
])
def test_link_text_in_warnings_is_escaped_and_short(query):
    at = open_page(PAGE_2D, query)
    assert_ok(at)
    shown = warnings_of(at)
    assert len(shown) == 1, shown
    text = shown[0]
    assert len(text) < 300
    # Every Markdown/HTML character of the link's text is backslash-escaped: it shows as itself.
    assert re.search(r"(?<!\\)[\[\]()<>!:]", text) is None, text


# ---- a link the page would normalise says so, and the schema agrees with the page -------------------


@pytest.mark.parametrize("field,text,shown", [("losses", "gce,gce,gce", "gce"),
                                              ("score_losses", "brier,mae,brier", "brier,mae")])
def test_a_loss_named_twice_in_a_lab_link_is_shown_once_with_a_warning(field, text, shown):
    from core.lessons.losslab_config import LossLabConfig
    config, warnings = LossLabConfig.from_query({field: text, "section": "margin" if field == "losses" else "score"})
    assert getattr(config, field) == shown
    at = open_page("pages/5_loss_lab.py", {field: text, "section": "margin" if field == "losses" else "score"})
    assert_ok(at)
    assert at.session_state["lab.config"] == config  # the page shows what the link's schema says
    repeated = translate("warn.url.repeated", "en", key=as_text(field), value=as_text(text))
    assert repeated in warnings_of(at), warnings_of(at)


@pytest.mark.parametrize("hidden", ["٢٥٦", "１２８,６４", "2_048", "+256", "256,𝟏"])
def test_mnist_hidden_sizes_take_ascii_digits_only(hidden):
    config, warnings = MnistConfig.from_query({"hidden": hidden})
    assert config.hidden == "256"
    assert [w.fields["key"] for w in warnings] == ["hidden"]


def test_compare_mnist_hidden_sizes_typed_as_markup_are_refused_as_text(with_mnist):
    at = open_page(PAGE_COMPARE, {"kind": "mnist", "n_train": "1000"})
    at.text_input(key="cmp.mnist.hidden").set_value("[Log in](https://example.com) ![x](http://127.0.0.1:9/p.png)").run()
    assert_ok(at)
    (error,) = [e.value for e in at.error]
    assert "\\[Log in\\]\\(https" in error and "](" not in error, error  # shown as text, no link or image
    assert at.session_state["cmp.config"].base["hidden"] == "256"  # the run keeps its sizes
    at.radio(key="cmp.mnist.model@en").set_value("cnn").run()  # a CNN keeps the sizes it does not show
    assert_ok(at)
