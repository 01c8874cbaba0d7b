"""Page tests with Streamlit's AppTest (no browser): the landing page and the 2D playground.

The 2D page is reached through the real entry point (app.py + switch_page): run on its own,
pages/1_playground_2d.py cannot resolve the sidebar's st.page_link("app.py"), because page
paths are relative to the entry point.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from core.runs.config import Playground2DConfig
from core.i18n import STRINGS, translate

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE_2D = "pages/1_playground_2d.py"
TIMEOUT = 60


def open_home(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    return at.run()


def open_2d(query: dict | None = None) -> AppTest:
    """The 2D page as a visitor reaches it: the landing page first (query params kept)."""
    at = open_home(query)
    assert not at.exception, at.exception
    return at.switch_page(PAGE_2D).run()


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def run_of(at: AppTest):
    return at.session_state["p2d.run"]


def page_links(block) -> list:
    return [e.proto for e in block.get("page_link")]


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def step(at: AppTest, times: int = 1) -> AppTest:
    for _ in range(times):
        at.button(key="p2d.step_button").click().run()
        assert_ok(at)
    return at


# ---- landing page ------------------------------------------------------------------------------


def test_home_renders_with_links_to_2d():
    at = open_home()
    assert_ok(at)
    assert [x.value for x in at.title] == [STRINGS["app.title"]["en"]]
    main_links = page_links(at.main)
    assert any(p.page == "playground_2d" and p.label == STRINGS["nav.2d"]["en"] for p in main_links), main_links


def test_home_language_switch_to_chinese():
    at = open_home()
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    assert at.session_state["lang"] == "zh"
    assert [x.value for x in at.title] == [STRINGS["app.title"]["zh"]]
    assert any(p.label == STRINGS["nav.2d"]["zh"] for p in page_links(at.main))


def test_home_language_from_url():
    at = open_home({"lang": "zh"})
    assert_ok(at)
    assert [x.value for x in at.title] == [STRINGS["app.title"]["zh"]]


# ---- 2D page: defaults, Step ---------------------------------------------------------------------


def test_2d_renders_at_defaults():
    at = open_2d()
    assert_ok(at)
    assert [x.value for x in at.title] == [STRINGS["p2d.title"]["en"]]
    assert len(at.latex) >= 1  # the loss formula
    assert [b.label for b in at.button] == ["Play", "Step", "×10", "Reset", "Clear the edits"]
    assert [b.proto.icon for b in at.button] == [  # drawn where no emoji font is
        ":material/play_arrow:", ":material/skip_next:", ":material/fast_forward:", ":material/restart_alt:",
        ":material/undo:"]
    run = run_of(at)
    assert run.config == Playground2DConfig()
    assert run.trainer.steps == 0
    assert not at.warning and not at.error
    # the address bar mirrors the config (plus the language)
    assert at.query_params["dataset"] == "moons" and at.query_params["lang"] == "en"


def test_step_button_advances_the_trainer():
    at = open_2d()
    run = run_of(at)
    step(at)
    first = run.trainer.steps
    assert first > 0
    step(at)
    assert run_of(at) is run
    assert run.trainer.steps > first


# ---- 2D page: live changes vs rebuilds -----------------------------------------------------------


def test_learning_rate_change_applies_live():
    at = open_2d()
    step(at)
    run = run_of(at)
    trainer, steps = run.trainer, run.trainer.steps
    at.select_slider(key="w2d.lr").set_value(0.1).run()
    assert_ok(at)
    assert run_of(at) is run and run.trainer is trainer
    assert trainer.steps == steps
    assert trainer.lr == pytest.approx(0.1)
    assert at.query_params["lr"] == "0.1"
    assert not infos(at)  # no reset note


def test_loss_change_applies_live():
    at = open_2d()
    step(at)
    run = run_of(at)
    trainer, steps = run.trainer, run.trainer.steps
    at.selectbox(key="w2d.loss@en").set_value("hinge").run()
    assert_ok(at)
    assert run_of(at).trainer is trainer
    assert trainer.loss_key == "hinge" and trainer.steps == steps
    assert not infos(at)
    step(at)
    assert trainer.steps > steps


@pytest.mark.parametrize("key, value, note", [
    ("w2d.width", 8, "run.reset_model"),
    ("w2d.dataset@en", "xor", "run.reset_data"),
])
def test_width_or_dataset_change_rebuilds(key, value, note):
    at = open_2d()
    step(at)
    old = run_of(at)
    assert old.trainer.steps > 0
    widget = at.slider(key=key) if key == "w2d.width" else at.selectbox(key=key)
    widget.set_value(value).run()
    assert_ok(at)
    new = run_of(at)
    assert new is not old and new.trainer is not old.trainer
    assert new.trainer.steps == 0
    assert STRINGS[note]["en"] in infos(at)
    field = key.split(".", 1)[1].split("@")[0]
    assert getattr(new.config, field) == value


# ---- 2D page: URL params -------------------------------------------------------------------------


def test_valid_url_params_are_used():
    at = open_2d({"dataset": "xor", "lr": "0.1", "loss": "hinge"})
    assert_ok(at)
    cfg = run_of(at).config
    assert (cfg.dataset, cfg.lr, cfg.loss) == ("xor", 0.1, "hinge")
    assert not at.warning


def test_bad_url_params_show_warnings_and_fall_back():
    at = open_2d({"lr": "abc", "bogus": "1", "dataset": "xor"})
    assert_ok(at)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2, warnings
    assert any("bogus" in w for w in warnings), warnings  # unknown parameter
    assert any("lr" in w and "abc" in w for w in warnings), warnings  # invalid value
    cfg = run_of(at).config
    assert cfg.dataset == "xor"
    assert cfg.lr == Playground2DConfig().lr


def test_a_two_class_data_set_writes_no_class_count_in_the_address_bar():
    at = open_2d()
    assert_ok(at)
    assert at.query_params["dataset"] == "moons" and "n_classes" not in at.query_params
    at.selectbox(key="w2d.dataset@en").set_value("blobs_multi").run()  # it takes one: the link keeps it
    assert_ok(at)
    assert at.query_params["dataset"] == "blobs_multi" and at.query_params["n_classes"] == "3"
    at.slider(key="w2d.n_classes").set_value(5).run()
    assert at.query_params["n_classes"] == "5" and run_of(at).data.n_classes == 5
    at.selectbox(key="w2d.dataset@en").set_value("spiral").run()
    assert "n_classes" not in at.query_params and run_of(at).data.n_classes == 2


def test_an_old_link_with_a_class_count_on_moons_loads_without_warnings():
    at = open_2d({"dataset": "moons", "n_classes": "3", "lr": "0.1"})
    assert_ok(at)
    assert not at.warning  # nothing "could not be kept": the link names a count moons does not use
    assert run_of(at).config == Playground2DConfig(lr=0.1) and run_of(at).data.n_classes == 2
    assert "n_classes" not in at.query_params and at.query_params["lr"] == "0.1"


# ---- 2D page: divergence, label noise -------------------------------------------------------------


def test_divergence_shows_error_and_keeps_weights_finite():
    at = open_2d()
    at.selectbox(key="w2d.optimizer@en").set_value("sgd").run()
    at.selectbox(key="w2d.loss@en").set_value("exponential").run()
    at.select_slider(key="w2d.lr").set_value(30.0).run()
    assert_ok(at)
    for _ in range(3):  # Step is one step: ×10 reaches the blow-up in a few clicks
        at.button(key="p2d.step10_button").click().run()
    trainer = run_of(at).trainer
    d = trainer.diverged
    assert d is not None
    expected = translate("ctl.diverged", "en", step=d.step, lr=f"{d.lr:g}", restored=d.restored_step)
    assert expected in [e.value for e in at.error]
    assert trainer.steps == d.restored_step
    assert all(torch.isfinite(p).all() for p in trainer.model.parameters())
    # A lower learning rate is the cure: the error goes and Step trains again.
    at.select_slider(key="w2d.lr").set_value(0.01).run()
    step(at)
    assert trainer.diverged is None and trainer.steps > d.restored_step
    assert not at.error


def test_symmetric_label_noise_flips_exact_count():
    at = open_2d()
    at.radio(key="w2d.noise_kind@en").set_value("symmetric").run()
    at.slider(key="w2d.noise_rate").set_value(0.3).run()
    assert_ok(at)
    run = run_of(at)
    assert (run.config.noise_kind, run.config.noise_rate) == ("symmetric", 0.3)
    n_train = len(run.trainer.data.y_given)
    assert int(run.trainer.data.flipped.sum()) == round(0.3 * n_train)


def test_bad_noise_pairs_show_error_without_crash():
    at = open_2d()  # moons: 2 classes
    at.radio(key="w2d.noise_kind@en").set_value("pairs").run()
    at.text_input(key="w2d.noise_pairs").input("9>1").run()
    assert_ok(at)
    errors = [e.value for e in at.sidebar.error]
    assert any(e.startswith(STRINGS["w.noise_pairs_bad"]["en"].split("(")[0]) for e in errors), errors
    assert any("9" in e for e in errors)
    run = run_of(at)
    assert run.config.noise_pairs == "0>1"  # the fallback is used
    assert int(run.trainer.data.flipped.sum()) > 0
    step(at)


# ---- 2D page: language, upload -------------------------------------------------------------------


def test_2d_in_chinese():
    at = open_2d()
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    assert [x.value for x in at.title] == [STRINGS["p2d.title"]["zh"]]
    assert STRINGS["ctl.step"]["zh"] in [b.label for b in at.button]
    assert at.query_params["lang"] == "zh"


def test_the_boundary_canvas_names_its_axes_in_the_pages_language():
    """The exam data set's axes are its two scores (not two unnamed 40…100 scales); other data sets' are
    the features x₁, x₂. The titles ride in the canvas frame's static part."""
    from ui.live_view import shown_payload

    def static_of(at) -> dict:
        (panel,) = [p for p in shown_payload(at.get("bidi_component")[0])["panels"] if p["id"] == "boundary-live"]
        return panel["frame"]["static"]

    at = open_2d({"dataset": "exam", "model": "logistic"})
    assert_ok(at)
    en = static_of(at)
    assert (en["xlabel"], en["ylabel"]) == (STRINGS["data.exam.x_axis"]["en"], STRINGS["data.exam.y_axis"]["en"])
    assert (en["xlabel"], en["ylabel"]) == ("exam 1 score", "exam 2 score")
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    zh = static_of(at)
    assert (zh["xlabel"], zh["ylabel"]) == ("考试 1 成绩", "考试 2 成绩") and zh["token"] != en["token"]
    blobs = static_of(open_2d({"dataset": "blobs", "lang": "zh"}))
    assert (blobs["xlabel"], blobs["ylabel"]) == ("x₁", "x₂")


def test_language_chosen_on_home_carries_to_2d():
    at = open_home()
    at.radio(key="_lang_widget").set_value("zh").run()
    at.switch_page(PAGE_2D).run()
    assert_ok(at)
    assert [x.value for x in at.title] == [STRINGS["p2d.title"]["zh"]]

