"""The MNIST page with Streamlit's AppTest (no browser), reached through app.py + switch_page.

The data is the official MNIST test split in /work/shared (PLAYGROUND_EXTRA_DATA_DIRS points the
page at it); the data folder itself is an empty temporary one, so nothing else on the machine is
picked up. Tests needing absent data skip with the reason; REQUIRE_DATA=1 fails them instead.
"""
from __future__ import annotations

import math
import socket
import time
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from streamlit.testing.v1 import AppTest
from torchvision.datasets import MNIST

from core.learning import distill
from core.learning.engines import device_name, training_device
from core.i18n import STRINGS, translate
from tests.support import need_data

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "pages/2_mnist.py"
from tests.support import MNIST_DIR  # noqa: E402  (shared/data/mnist wherever the clone is)
ALL_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
TIMEOUT = 90
SMALL = {"n_train": "1000"}  # fast runs: every script run draws all tabs
ENV_KEYS = ("PLAYGROUND_EXTRA_DATA_DIRS", "PLAYGROUND_DATA_DIR", "FASHION_MNIST_SYSTEM_DIR")


@pytest.fixture(scope="module")
def empty_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("empty-data-root")


@pytest.fixture
def env(monkeypatch):
    """Set (value) or remove (None) the page's data environment variables; restored afterwards."""
    def set_env(**values):
        for key in ENV_KEYS:
            value = values.get(key)
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, str(value))
    return set_env


@pytest.fixture
def with_mnist(env, empty_root):
    need_data(all((MNIST_DIR / f).is_file() for f in ALL_FILES[2:]), f"MNIST test split not found in {MNIST_DIR}")
    env(PLAYGROUND_EXTRA_DATA_DIRS=MNIST_DIR, PLAYGROUND_DATA_DIR=empty_root,
        FASHION_MNIST_SYSTEM_DIR=empty_root / "no-fashion")


def shown_text(markdown: str) -> str:
    """What a reader sees of a Markdown element: its backslash escapes (folder names are escaped) undone."""
    return re.sub(r"\\(.)", r"\1", markdown)


def open_mnist(query: dict | None = None) -> AppTest:
    """The MNIST page as a visitor reaches it: the landing page first (query params kept)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    at.run()
    assert_ok(at)
    return at.switch_page(PAGE).run()


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def run_of(at: AppTest):
    return at.session_state["mn.run"]


def en(key: str, **fields) -> str:
    return translate(key, "en", **fields)


def tab_labels(at: AppTest) -> list[str]:
    return [tab.label for tab in at.tabs]


def tab(at: AppTest, key: str):
    return at.tabs[tab_labels(at).index(en(key))]


def images_in(block) -> list:
    return list(block.get("image"))


def charts_in(block) -> list:
    """Altair charts (AppTest has no class for them: UnknownElement of type vega_lite_chart)."""
    return list(block.get("vega_lite_chart"))


def chart_rows(chart):
    """The chart's data, sent by Streamlit as an Arrow IPC stream."""
    import pyarrow as pa
    return pa.ipc.open_stream(chart.proto.data.data).read_all().to_pandas()


# ---- renders, trains ---------------------------------------------------------------------------------


def test_page_renders_at_defaults(with_mnist):
    at = open_mnist()
    assert_ok(at)
    assert [x.value for x in at.title] == [STRINGS["mn.title"]["en"]]
    assert not at.error
    run = run_of(at)
    assert run.trainer.steps == 0 and run.data.name == "mnist"
    assert len(run.data.y_train) == 8000 and len(run.data.y_test) == 2000  # only the test split here
    assert any(i.value == en("mnist.source.test_only") for i in at.info)
    labels = [b.label for b in at.button]
    assert labels[:3] == [en("ctl.play"), en("mn.step"), en("ctl.reset")]
    assert en("mn.train_teacher", epochs=3) in labels
    assert len(at.latex) == 1  # the loss formula
    assert at.query_params["dataset"] == "mnist" and at.query_params["hidden"] == "256"
    # the device it trains on, as the page says it (CPU here; a GPU's own name on a GPU server)
    expected = device_name(training_device())
    assert en("mn.device", name=expected) in [c.value for c in at.caption]
    assert run.trainer.device == training_device()


def test_step_button_trains(with_mnist):
    at = open_mnist(SMALL)
    run = run_of(at)
    at.button(key="mn.step_button").click().run()
    assert_ok(at)
    assert run_of(at) is run and run.trainer.steps > 0
    first = run.trainer.steps
    assert len(run.trainer.history) == 2
    at.button(key="mn.step_button").click().run()
    assert_ok(at)
    assert run.trainer.steps > first
    # the status line carries the step for the browser tests
    counter = [m.value for m in at.markdown if 'id="mnist-counter"' in m.value]
    assert counter and f'data-step="{run.trainer.steps}"' in counter[0]

    # distillation without a teacher: a warning, and the student keeps training with cross-entropy
    at.selectbox(key="wm.loss@en").set_value("distillation").run()
    assert_ok(at)
    assert [w.value for w in at.warning] == [en("mn.need_teacher")]
    assert run_of(at) is run and run.trainer.loss_key == "cross_entropy"
    steps = run.trainer.steps
    at.button(key="mn.step_button").click().run()
    assert_ok(at)
    assert run.trainer.steps > steps and run.trainer.loss_key == "cross_entropy"


def test_noise_kind_symmetric_rebuilds_with_flips(with_mnist):
    at = open_mnist(SMALL)
    old = run_of(at)
    at.button(key="mn.step_button").click().run()
    at.radio(key="wm.noise_kind@en").set_value("symmetric").run()
    assert_ok(at)
    run = run_of(at)
    assert run is not old and run.trainer.steps == 0
    assert run.config.noise_kind == "symmetric"
    rate = run.config.noise_rate
    assert int(run.trainer.data.flipped.sum()) == round(rate * 1000)
    assert any(i.value == en("run.reset_data") for i in at.info)
    # the rate slider appears, and moving it rebuilds with the new count
    at.slider(key="wm.noise_rate").set_value(0.2).run()
    assert_ok(at)
    assert int(run_of(at).trainer.data.flipped.sum()) == 200
    # pairs noise: only the look-alike classes are flipped
    at.radio(key="wm.noise_kind@en").set_value("pairs").run()
    assert_ok(at)
    run = run_of(at)
    d = run.trainer.data
    assert d.flipped.any() and set(run.data.y_train[d.flipped].tolist()) <= {7, 2, 5, 6, 3}
    assert any("7→1" in c.value for c in at.sidebar.caption)


def test_every_tab_renders(with_mnist):
    at = open_mnist({**SMALL, "noise_kind": "symmetric", "noise_rate": "0.3"})
    at.button(key="mn.step_button").click().run()
    assert_ok(at)
    keys = ("mn.tab.curves", "mn.tab.confusion", "mn.tab.mistakes", "mn.tab.flipped", "mn.tab.boundary",
            "mn.tab.calibration", "mn.tab.weights", "exp.section")
    assert tab_labels(at) == [en(k) for k in keys]
    assert len(charts_in(tab(at, "mn.tab.curves"))) == 2
    (confusion,) = charts_in(tab(at, "mn.tab.confusion"))
    cells = chart_rows(confusion)
    assert len(cells) == 100 and int(cells["count"].sum()) == 2000  # every test image, once
    assert len(images_in(tab(at, "mn.tab.mistakes"))) == 1   # a fresh net makes mistakes
    assert len(images_in(tab(at, "mn.tab.flipped"))) == 1    # 300 flipped labels
    boundary = tab(at, "mn.tab.boundary")
    assert len(images_in(boundary)) == 1 and at.radio(key="mn.plane_mode@en").value == "pca"
    calib = tab(at, "mn.tab.calibration")
    assert len(charts_in(calib)) == 1
    ece = float(calib.metric[0].value)
    assert 0.0 <= ece <= 1.0
    assert len(images_in(tab(at, "mn.tab.weights"))) == 1

    # the three-image plane: three thumbnails and the slice
    at.radio(key="mn.plane_mode@en").set_value("three").run()
    assert_ok(at)
    boundary = tab(at, "mn.tab.boundary")
    assert len(images_in(boundary)) == 4 and not boundary.warning
    run = run_of(at)
    picks = [at.number_input(key=f"mn.pick{i}").value for i in range(3)]
    assert [int(run.data.y_test[p]) for p in picks] == [0, 1, 7]  # the first 0, 1 and 7 by default
    # the same image twice (first and second point) is refused with a warning, not an exception
    at.number_input(key="mn.pick1").set_value(picks[0]).run()
    assert_ok(at)
    boundary = tab(at, "mn.tab.boundary")
    assert len(boundary.warning) == 1 and "identical" in boundary.warning[0].value


# ---- teacher and distillation ----------------------------------------------------------------------


def test_teacher_then_distillation(with_mnist):
    at = open_mnist({"n_train": "2000"})
    at.select_slider(key="wm.n_train").set_value(1000)
    at.slider(key="wm.teacher_epochs").set_value(1)
    at.run()
    assert_ok(at)
    run = run_of(at)
    assert run.config.n_train == 1000 and run.config.teacher_epochs == 1 and run.teacher is None
    teacher_button = at.button(key="mn.teacher_button")
    assert teacher_button.label == en("mn.train_teacher", epochs=1)
    teacher_button.click().run()
    assert_ok(at)
    run = run_of(at)
    assert run.teacher is not None and run.teacher_test_acc > 0.5
    assert run.trainer.steps == 0  # the student restarts from its initial weights
    assert any(c.value == en("mn.teacher_ready", acc=run.teacher_test_acc) for c in at.caption)

    at.selectbox(key="wm.loss@en").set_value("distillation").run()
    assert_ok(at)
    assert run_of(at) is run and run.trainer.loss_key == "distillation"
    assert not at.warning  # no "needs a teacher"
    assert distill.FORMULA in at.latex[0].value
    # T and alpha sliders, wired to the trainer
    at.slider(key="wm.loss.distillation.T").set_value(2.0).run()
    assert_ok(at)
    assert run.trainer.loss_params == {"T": 2.0, "alpha": 0.9}
    at.button(key="mn.step_button").click().run()
    assert_ok(at)
    assert run_of(at) is run and run.trainer.steps > 0 and run.trainer.loss_key == "distillation"
    h = run.trainer.history
    assert all(math.isfinite(v) for v in h.values["train_loss"] + h.values["test_loss"])



def test_distillation_link_opens(with_mnist):
    # a shared link choosing distillation: no teacher yet, so a warning and a cross-entropy student
    at = open_mnist({**SMALL, "loss": "distillation"})
    assert_ok(at)
    assert [w.value for w in at.warning] == [en("mn.need_teacher")]  # and no URL warning
    assert at.selectbox(key="wm.loss@en").value == "distillation"
    run = run_of(at)
    assert run.teacher is None and run.config.loss == "distillation"
    assert dict(run.config.loss_params) == {"T": 4.0, "alpha": 0.9}
    assert run.trainer.loss_key == "cross_entropy"
    assert at.query_params["loss"] == "distillation"


# ---- data not here yet: expected, with the data set that is here on offer ---------------------------------


@pytest.fixture
def no_image_data(env, tmp_path, monkeypatch):
    """No MNIST-family files anywhere the page looks (a new installation)."""
    env(PLAYGROUND_DATA_DIR=tmp_path, FASHION_MNIST_SYSTEM_DIR=tmp_path / "no-fashion")
    return tmp_path


def present_only(monkeypatch, *names: str) -> None:
    from ui import data_presence
    monkeypatch.setattr(data_presence, "image_data_present", lambda name: name in names)


def buttons(at: AppTest) -> dict[str, str]:
    return {b.label: b.proto.type for b in at.main.button}


def test_missing_mnist_offers_the_fashion_data_that_is_here(no_image_data, monkeypatch):
    present_only(monkeypatch, "fashion")
    at = open_mnist({"dataset": "mnist"})
    assert_ok(at)
    assert not at.error  # a new installation: information, not an error
    assert at.info[0].value.startswith(en("mn.not_here_yet", name="MNIST"))
    assert "MNIST/raw" in shown_text(at.info[0].value)  # where to put the files is still said
    offer, download = en("mn.use_present", name="Fashion-MNIST"), en("mn.download", name="MNIST")
    assert buttons(at) == {offer: "primary", download: "secondary"}

    at.button(key="mn.use_present").click().run()
    assert_ok(at)
    assert at.session_state["wm.dataset"] == "fashion"
    assert at.selectbox(key="wm.dataset").value == "fashion"
    assert at.query_params["dataset"] == "fashion"  # the link follows
    # Fashion-MNIST is not really in this test's folders: now that one is explained, MNIST not offered
    assert at.info[0].value.startswith(en("mn.not_here_yet", name="Fashion-MNIST"))
    assert buttons(at) == {en("mn.download", name="Fashion-MNIST"): "primary"}


def test_nothing_here_offers_only_the_download(no_image_data, monkeypatch):
    present_only(monkeypatch)
    at = open_mnist({"dataset": "fashion", "lang": "zh"})
    assert_ok(at)
    assert not at.error
    assert at.info[0].value.startswith(translate("mn.not_here_yet", "zh", name="Fashion-MNIST"))
    assert buttons(at) == {translate("mn.download", "zh", name="Fashion-MNIST"): "primary"}


def test_corrupt_files_stay_an_error(no_image_data, monkeypatch):
    present_only(monkeypatch, "fashion")
    raw = no_image_data / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ALL_FILES[2:]:
        (raw / name).write_bytes(b"not gzip")
    at = open_mnist({"dataset": "mnist"})
    assert_ok(at)
    assert not at.info and "MNIST/raw" in shown_text(at.error[0].value)
    assert buttons(at) == {}  # neither a download over the user's files nor a switch away from them


def test_device_line_is_chinese_in_chinese(with_mnist):
    at = open_mnist({**SMALL, "lang": "zh"})
    assert_ok(at)
    expected = translate("mn.device", "zh", name=device_name(training_device()))
    assert expected in [c.value for c in at.caption] and expected.startswith("训练设备")


def test_a_model_too_big_for_the_server_falls_back_by_link_and_by_widget_and_says_why(with_mnist):
    """4×2048 hidden units: ~14 M weights, many frames' time a step on one core: a CPU server refuses it."""
    from core.serving.compute_limits import server_limits
    from core.runs.mnist_run import MnistConfig
    heavy = MnistConfig(hidden="2048,2048,2048,2048", batch_size=1024)
    limits = server_limits()
    at = open_mnist({**SMALL, "hidden": heavy.hidden, "batch_size": "1024"})
    assert_ok(at)
    run = run_of(at)
    if heavy.load().fits(limits):  # a GPU server allows it
        pytest.skip("this server's GPU trains a 4×2048 MLP at batch 1024")
    assert run.config.load().fits(limits)
    said = " ".join(shown_text(w.value) for w in at.warning)
    weights = f"{heavy.net_shape().weights:,}"
    if heavy.net_shape().weights > limits.weights:
        assert en("warn.heavy.model", runs=1, weights=weights, limit=f"{limits.weights:,}",
                  device=limits.device.upper()) in said
        assert run.config.hidden == "256" and at.query_params["hidden"] == "256"
    # typed into the sidebar: the same refusal, the same fallback; the page keeps working
    at.text_input(key="wm.hidden").set_value(heavy.hidden).run()
    assert_ok(at)
    assert run_of(at).config.load().fits(limits)
    assert any(shown_text(w.value).startswith(en("warn.heavy.model", runs=1, weights=weights, limit=f"{limits.weights:,}",
                                     device=limits.device.upper())[:40]) for w in at.sidebar.warning)
    at.button(key="mn.step_button").click().run()
    assert_ok(at)
    assert run_of(at).trainer.steps > 0


def test_more_training_images_than_are_here_trains_on_all_and_says_so(with_mnist):
    at = open_mnist({"n_train": "60000"})
    assert_ok(at)
    have = len(run_of(at).data.y_train)
    said = [shown_text(c.value) for c in at.caption]
    if have >= 60_000:
        pytest.skip("the full training split is here")
    assert en("mn.n_train_all", asked="60,000", have=f"{have:,}") in said


def test_compare_without_mnist_offers_the_data_set_that_is_here(no_image_data, monkeypatch):
    """An MNIST comparison (the calibration lesson's) on a server with only Fashion-MNIST: one click moves it there."""
    present_only(monkeypatch, "fashion")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"kind": "mnist", "dataset": "mnist"})
    at.run()
    at = at.switch_page("pages/3_compare.py").run()
    assert_ok(at)
    assert at.error and at.button(key="cmp.use_present").label == en("mn.use_present", name="Fashion-MNIST")
    at.button(key="cmp.use_present").click().run()
    assert_ok(at)
    assert at.session_state["cmp.mnist.dataset"] == "fashion" and at.query_params["dataset"] == "fashion"
    assert not [b for b in at.main.button if b.key == "cmp.use_present"]  # MNIST is not here: nothing more to offer


# ---- live speed, the paused screen, the boundary's colour key, where the data goes ------------------------


def frames_then_pause(monkeypatch, frames: int) -> None:
    """The next Play trains `frames` frames and ends as when a newer script run (the Pause click) supersedes
    it: RunTurn.superseded turns True at the play loop's check after the last frame (two checks a frame)."""
    from ui.common import RunTurn
    calls = {}

    def superseded(turn) -> bool:
        calls[id(turn)] = calls.get(id(turn), 0) + 1
        return calls[id(turn)] > 2 * frames
    monkeypatch.setattr(RunTurn, "superseded", superseded)


def status_of(at: AppTest) -> str:
    (status,) = [m.value for m in at.markdown if 'id="mnist-counter"' in m.value]
    return status


@pytest.mark.parametrize("language", ["en", "zh"])
def test_speed_widget_in_both_languages_round_trips_through_the_link(with_mnist, language):
    at = open_mnist({**SMALL, "speed": "slow", "lang": language})
    assert_ok(at)
    run = run_of(at)
    speed = at.select_slider(key=f"wm.speed@{language}")
    assert speed.label == translate("w.speed", language) and speed.value == "slow"
    assert run_of(at).config.speed == "slow" and at.query_params["speed"] == "slow"
    speed.set_value("fast").run()
    assert_ok(at)
    assert run_of(at).config.speed == "fast" and at.query_params["speed"] == "fast"  # the link follows
    assert run_of(at) is run and not [i for i in at.info if "🔄" in str(i.icon) or "restart" in str(i.icon)]  # live


@pytest.mark.parametrize("speed", ["slow", "normal", "fast", "fastest"])
def test_steps_per_frame_follow_the_speed(with_mnist, monkeypatch, speed):
    """One frame of play trains the speed's steps a second over the page's 10 frames a second (the clock's due
    for a first frame), with the frame's time budget lifted so that no CPU trains fewer."""
    from core.runs.config import STEPS_PER_SECOND
    from core.serving.pace import Pace
    at = open_mnist({**SMALL, "hidden": "32", "speed": speed})
    monkeypatch.setattr(Pace, "allowance", lambda self, *a, **k: (60.0, 0.5))
    frames_then_pause(monkeypatch, 1)
    at.button(key="mn.play_button").click().run()
    assert_ok(at)
    assert run_of(at).trainer.steps == STEPS_PER_SECOND[speed] // 10  # 6, 30, 90, 240


def test_pause_shows_the_state_the_model_is_in(with_mnist, monkeypatch):
    """Paused after playing, the status line's step and numbers are those of the weights the tabs show: live
    evaluations come at most once a second, so the last one is older than the last frames."""
    from core.runs import mnist_run
    at = open_mnist(SMALL)
    monkeypatch.setattr(mnist_run, "EVAL_EVERY_SECONDS", 1e9)  # no live evaluation: frames train only
    frames_then_pause(monkeypatch, 3)
    at.button(key="mn.play_button").click().run()
    assert_ok(at)
    run = run_of(at)
    steps = run.trainer.steps
    assert steps > 0 and run.trainer.history.step[-1] == 0  # the frames trained past the last evaluation
    at.button(key="mn.play_button").click().run()  # Pause
    assert_ok(at)
    assert not at.session_state["mn.playing"] and run_of(at) is run and run.trainer.steps == steps
    status = status_of(at)
    assert f'data-step="{steps}"' in status and f"Step {steps} ·" in status
    assert run.trainer.history.step[-1] == steps  # the numbers are measured on these weights
    acc = run.trainer.history.values["test_acc"][-1]
    assert f"{acc:.2%}" in status
    counts = chart_rows(charts_in(tab(at, "mn.tab.confusion"))[0])  # the tab: the same weights, the same accuracy
    assert int(counts[counts["i"] == counts["j"]]["count"].sum()) / int(counts["count"].sum()) == pytest.approx(acc)


@pytest.mark.parametrize("dataset, language", [("mnist", "en"), ("fashion", "zh")])
def test_the_boundary_slice_has_a_colour_key(env, empty_root, dataset, language):
    from core.pictures.render import hex_colour
    if dataset == "fashion":  # Debian's Fashion-MNIST alone (the MNIST folder's files have the same names)
        from tests.support import FASHION_DIR
        need_data((FASHION_DIR / "t10k-images-idx3-ubyte.gz").exists(), f"Fashion-MNIST not found in {FASHION_DIR}")
        env(PLAYGROUND_DATA_DIR=empty_root, FASHION_MNIST_SYSTEM_DIR=FASHION_DIR)
    else:
        need_data(all((MNIST_DIR / f).is_file() for f in ALL_FILES[2:]), f"MNIST test split not found in {MNIST_DIR}")
        env(PLAYGROUND_EXTRA_DATA_DIRS=MNIST_DIR, PLAYGROUND_DATA_DIR=empty_root)
    at = open_mnist({**SMALL, "dataset": dataset, "lang": language})
    assert_ok(at)
    label = translate("mn.tab.boundary", language)
    boundary = at.tabs[[x.label for x in at.tabs].index(label)]
    (key,) = [h.proto.body for h in boundary.get("html") if 'id="mn-class-key"' in h.proto.body]
    assert translate("mn.class_key", language) in key
    names = ([str(i) for i in range(10)] if dataset == "mnist"
             else [translate(f"fashion.class.{i}", language) for i in range(10)])
    for i, name in enumerate(names):  # each class: the painter's colour, then its name
        assert re.search(f'data-class="{i}".*?background:{hex_colour(i)}"></span> {re.escape(name)}</span>', key), name
    at.radio(key=f"mn.plane_mode@{language}").set_value("three").run()  # the three-image plane: the same key
    assert_ok(at)
    boundary = at.tabs[[x.label for x in at.tabs].index(label)]
    assert [h for h in boundary.get("html") if 'id="mn-class-key"' in h.proto.body]


def test_missing_data_says_where_the_files_go_without_server_paths(no_image_data, monkeypatch):
    from ui import mnist_page_data
    present_only(monkeypatch)
    # the data folder outside the app's folder (this test's tmp_path): named by its variable, not its path
    at = open_mnist({"dataset": "mnist"})
    assert_ok(at)
    said = [shown_text(c.value) for c in at.caption]
    assert en("mn.data_folder_env", folder="$PLAYGROUND_DATA_DIR/MNIST/raw") in said
    assert not [s for s in said if str(no_image_data) in s]
    # the default data folder, inside the app's folder: said relative to it, for the data set asked for
    monkeypatch.setattr(mnist_page_data, "data_root", lambda: mnist_page_data.APP_FOLDER / "data")
    at = open_mnist({"dataset": "fashion", "lang": "zh"})
    assert_ok(at)
    said = [shown_text(c.value) for c in at.caption]
    assert translate("mn.data_folder", "zh", folder="./data/FashionMNIST/raw") in said
    assert not [s for s in said if str(mnist_page_data.APP_FOLDER) in s]


@pytest.mark.parametrize("speed", ["slow", "fastest"])
def test_compare_mnist_plays_at_its_speed_and_pauses_on_the_state_it_is_in(with_mnist, monkeypatch, speed):
    """The Compare page's MNIST runs: the same speed control and pace (12 frames a second there), and paused,
    numbers measured on the weights as they are."""
    from core.runs import mnist_run
    from core.runs.config import STEPS_PER_SECOND
    from core.serving.pace import Pace
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"kind": "mnist", "dataset": "mnist", "n_train": "1000", "hidden": "32", "speed": speed})
    at.run()
    at = at.switch_page("pages/3_compare.py").run()
    assert_ok(at)
    widget = at.select_slider(key="cmp.mnist.speed@en")
    assert widget.label == en("w.speed") and widget.value == speed and at.query_params["speed"] == speed
    monkeypatch.setattr(Pace, "allowance", lambda self, *a, **k: (60.0, 0.5))
    monkeypatch.setattr(mnist_run, "EVAL_EVERY_SECONDS", 1e9)
    frames_then_pause(monkeypatch, 1)
    at.button(key="cmp.play_button").click().run()
    assert_ok(at)
    runs = at.session_state["cmp.run"]["runs"]
    assert [r.trainer.steps for r in runs] == [STEPS_PER_SECOND[speed] // 12] * 2  # 5 or 200, in lockstep
    assert all(r.trainer.history.step[-1] == 0 for r in runs)
    at.button(key="cmp.play_button").click().run()  # Pause
    assert_ok(at)
    assert all(r.trainer.history.step[-1] == r.trainer.steps for r in runs)
    assert f'data-step="{runs[0].trainer.steps}"' in "".join(m.value for m in at.markdown)


def test_presentation_draws_the_live_curves_larger(with_mnist):
    """Presented, the sidebar is gone: the two live curves are drawn wider (still side by side at 1280 px)."""
    def curve_widths(at):
        html = "".join(e.proto.body for e in at.main if e.type == "html" and 'id="mn-loss-live"' in e.proto.body)
        return [int(w) for w in re.findall(r'<img id="mn-(?:loss|acc)-live" width="(\d+)"', html)]
    assert curve_widths(open_mnist(SMALL)) == [480, 480]
    assert curve_widths(open_mnist({**SMALL, "present": "1"})) == [600, 600]
