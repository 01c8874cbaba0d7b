"""The Regression page as a visitor uses it (AppTest): the live frames, the link, a loss change without a
reset, outliers, the quantile band, leakage and Solve exactly, the inventory and why-square sections, CSV
upload and run files, both languages. Every assertion reads what the page shows."""
from __future__ import annotations

import html
import json
import re

import numpy as np
import torch
import pytest

from core.app.run_store import History
from core.i18n import STRINGS, translate
from core.runs.regression_config import RegressionConfig
from core.runs.regression_run import predict
from tests.support import open_page_via_home

APP = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "app.py")
PAGE = "pages/6_regression.py"


def open_regression(query: dict | None = None):
    return open_page_via_home(APP, PAGE, query)


def assert_ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def live(at) -> dict:
    """The live element's payload: {"before": status HTML, "panels": {id: panel}}."""
    payload = json.loads(at.get("bidi_component")[0].proto.json)
    return {"before": payload["before"], "panels": {p["id"]: p for p in payload["panels"]}}


def counter(at) -> dict:
    m = re.search(r'<span id="reg-counter" ([^>]*)>', live(at)["before"])
    return {k: float(v) for k, v in re.findall(r'data-([\w-]+)="([^"]*)"', m.group(1))}


def step(at, times: int = 1):
    for _ in range(times):
        at.button(key="reg.step_button").click().run()
        assert_ok(at)
    return at


def html_with(at, element_id: str) -> str | None:
    found = [e.proto.body for e in at.get("html") if f'id="{element_id}"' in e.proto.body]
    return found[0] if found else None


def test_the_page_shows_the_fit_the_residuals_and_the_loss_curve_only():
    at = open_regression()
    assert_ok(at)
    shown = live(at)
    assert set(shown["panels"]) == {"reg-fit", "reg-residuals"}
    run = at.session_state["reg.run"]
    fit = shown["panels"]["reg-fit"]["frame"]
    assert fit["info"]["points"] == run.data.n_train + len(run.data.y_test)
    assert counter(at)["step"] == 0
    assert counter(at)["train-loss"] == pytest.approx(run.trainer.history.last("train_loss"), rel=1e-6)
    curves = [e.proto.body for e in at.get("html") if 'id="loss-live"' in e.proto.body]
    assert curves and 'id="acc-live"' not in curves[0]  # no accuracy for numbers
    assert at.query_params["dataset"] == "sine" and at.query_params["loss"] == "mse"


def test_a_link_round_trips_and_the_loss_changes_live_without_a_reset():
    at = open_regression({"dataset": "linear", "model": "linear", "loss": "huber", "loss.delta": "0.5", "lr": "0.03"})
    assert_ok(at)
    config = at.session_state["reg.config"]
    assert (config.dataset, config.model, config.loss, config.loss_kwargs) == ("linear", "linear", "huber",
                                                                              {"delta": 0.5})
    assert RegressionConfig.from_query(dict(at.query_params))[0] == config
    step(at, 3)
    at.selectbox(key="wr.loss@en").set_value("mae").run()
    assert_ok(at)
    run = at.session_state["reg.run"]
    assert run.trainer.steps == 3 and run.trainer.loss_key == "mae"  # the same run, a new loss
    assert at.query_params["loss"] == "mae" and "loss.delta" not in at.query_params
    assert any(STRINGS["rloss.mae.name"]["en"] in m.value for m in at.markdown)
    notes = [e.proto.body for e in at.get("html") if "curve-events" in e.proto.body][0]
    assert STRINGS["rloss.huber.name"]["en"] in notes and STRINGS["rloss.mae.name"]["en"] in notes


def test_outliers_are_counted_exactly_and_ringed_and_the_test_points_stay_clean():
    at = open_regression({"dataset": "linear", "outlier_fraction": "0.1", "outlier_size": "8", "n_samples": "300"})
    assert_ok(at)
    run = at.session_state["reg.run"]
    fit = live(at)["panels"]["reg-fit"]["frame"]
    assert fit["info"]["outliers"] == round(0.1 * run.data.n_train) == int(run.data.outliers.sum())
    assert np.array_equal(run.data.y_test.numpy(), run.data.y_test.numpy())  # (clean by construction: data1d)
    residuals = live(at)["panels"]["reg-residuals"]["frame"]
    x = run.data.x_train.numpy().reshape(-1)
    r = predict(run, x) - run.data.y_train.numpy()
    assert residuals["info"]["mean_abs"] == pytest.approx(float(np.abs(r).mean()), rel=1e-6)


def test_the_quantile_band_reports_its_test_coverage():
    at = open_regression({"dataset": "linear", "model": "linear", "band": "1", "n_samples": "1000", "lr": "0.03"})
    at.button(key="reg.step10_button").click().run()
    assert_ok(at)
    m = re.search(r'<div id="band-coverage" data-coverage="([0-9.]+)"', live(at)["before"])
    from core.runs.regression_run import band_coverage
    assert float(m.group(1)) == pytest.approx(band_coverage(at.session_state["reg.run"]), abs=1e-6)
    assert len(live(at)["panels"]["reg-fit"]["frame"]["curves"]) == 1 + 3 + 1  # truth, three quantiles, fit


def test_loss_zero_over_fitting_then_leakage_from_the_lesson():
    at = open_page_via_home(APP, "pages/home.py", None)
    at.button(key="preset.reg_zero").click().run()
    assert_ok(at)
    at.switch_page(PAGE).run()  # (AppTest stays on the script it ran; a browser is on the page now)
    config, run = at.session_state["reg.config"], at.session_state["reg.run"]
    assert config.degree == 13
    # the section's text names this lesson's own numbers
    numbers = dict(degree=config.degree, coefficients=config.degree + 1, train=run.trainer.data.n_train)
    assert translate("reg.zero_overfit", "en", **numbers) in [m.value for m in at.markdown]
    assert translate("reg.zero_try", "en", lesson=translate("preset.reg_zero.title"), points=config.n_samples,
                     test=f"{config.test_fraction:g}", **numbers) in [c.value for c in at.caption]
    at.button(key="reg.solve").click().run()  # the section opens by itself for a high degree
    assert_ok(at)
    h = at.session_state["reg.run"].trainer.history
    assert h.last("train_loss") < 1e-3 and h.last("test_loss") > 1.0
    solved = translate("reg.solved", "en", train=h.last("train_loss"), test=h.last("test_loss"))
    assert solved in [s.value for s in at.success]
    at.checkbox(key="wr.leak").check().run()
    assert [w.value for w in at.warning if STRINGS["reg.leak_on"]["en"] in w.value]
    at.button(key="reg.solve").click().run()
    h = at.session_state["reg.run"].trainer.history
    assert h.last("test_loss") < 1e-2  # trained on the test points too: the test loss flatters


def open_lesson(key: str, lang: str = "en"):
    at = open_page_via_home(APP, "pages/home.py", {"lang": lang})
    at.button(key=f"preset.{key}").click().run()
    assert_ok(at)
    at.switch_page(PAGE).run()  # (AppTest stays on the script it ran; a browser is on the page now)
    assert_ok(at)
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_loss_parameter_change_gets_a_marker_on_the_loss_curve(lang):
    at = open_lesson("reg_quantile", lang)
    at.button(key="reg.step10_button").click().run()
    assert not [e for e in at.get("html") if "curve-event" in e.proto.body]  # nothing changed yet
    at.slider(key="wr.loss.asymmetric.a").set_value(1.0).run()
    assert_ok(at)
    notes = [e.proto.body for e in at.get("html") if "curve-events" in e.proto.body]
    assert notes and translate("curves.event", lang, n="①", what=translate("curves.event.rloss_param", lang),
                               old="a = 4, b = 1", new="a = 1, b = 1", step=10) in notes[0]
    assert at.session_state["reg.run"].trainer.steps == 10  # the same run goes on


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_inventory_lesson_says_what_its_axes_and_residuals_show(lang):
    at = open_lesson("reg_quantile", lang)
    panels = live(at)["panels"]
    assert panels["reg-fit"]["frame"]["xlabel"] == translate("data1d.demand.x_axis", lang)
    assert panels["reg-fit"]["frame"]["ylabel"] == translate("data1d.demand.y_axis", lang)
    note = panels["reg-residuals"]["after"]
    assert html.escape(translate("reg.residual_note.quantile", lang, tau="0.8", below="80%", above="20%")) in note
    # no outliers, no MSE
    assert translate("reg.residual_note.mse", lang) not in note and "reg.residual_note" not in note
    legend = " ".join(e.proto.body for e in at.get("html"))
    assert translate("reg.legend.fit", lang) in legend and translate("reg.legend.band", lang) not in legend
    assert translate("reg.legend.outlier", lang) not in legend
    at.checkbox(key="wr.band").check().run()  # the band on: now the legend names it
    assert translate("reg.legend.band", lang) in " ".join(e.proto.body for e in at.get("html"))


def test_the_inventory_lesson_shows_theta_the_quantile_and_the_cost_curve():
    from core.lessons.regression_lessons import inventory_minimiser
    at = open_page_via_home(APP, "pages/home.py", None)
    at.button(key="preset.reg_quantile").click().run()
    assert_ok(at)
    at.switch_page(PAGE).run()
    at.button(key="reg.step10_button").click().run()
    panels = live(at)["panels"]
    assert "reg-inventory" in panels
    at.session_state["reg.open_inventory"] = True
    at.run()
    body = html_with(at, "inventory")
    marks = dict(re.findall(r'data-([\w-]+)="([^"]*)"', body.split(">")[0]))
    run = at.session_state["reg.run"]
    demand = run.trainer.data.y_given.numpy()
    assert float(marks["quantile"]) == pytest.approx(inventory_minimiser(demand, 4.0, 1.0), rel=1e-4)
    assert float(marks["tau"]) == 0.8
    assert float(marks["theta"]) == pytest.approx(float(run.trainer.model.net.theta.detach()[0]), rel=1e-4)
    # the cost sliders move the quantile: b = 4 (surplus as dear as a shortage) -> the median
    at.slider(key="wr.loss.asymmetric.b").set_value(4.0).run()
    assert_ok(at)
    marks = dict(re.findall(r'data-([\w-]+)="([^"]*)"', html_with(at, "inventory").split(">")[0]))
    assert float(marks["tau"]) == 0.5
    assert float(marks["quantile"]) == pytest.approx(inventory_minimiser(demand, 4.0, 4.0), rel=1e-4)


def test_why_square_shows_the_numbers_in_chinese():
    at = open_regression({"lang": "zh"})
    at.session_state["reg.open_why"] = True
    at.run()
    assert_ok(at)
    body = html_with(at, "why-square")
    marks = dict(re.findall(r'data-([\w-]+)="([^"]*)"', body.split(">")[0]))
    assert (float(marks["mean-error"]), float(marks["mse"]), float(marks["mae"])) == (0.0, 25.0, 5.0)
    assert float(marks["mae-chatter"]) > 0.05 > float(marks["mse-chatter"])
    assert STRINGS["reg.title"]["zh"] in [m.value for m in at.title]
    assert counter(at)["step"] == 0 and "训练损失" in live(at)["before"]


def test_a_csv_upload_trains_on_it_and_a_bad_file_is_refused_with_a_message():
    at = open_regression({"dataset": "upload"})
    assert_ok(at)
    assert STRINGS["reg.upload_needed"]["en"] in [i.value for i in at.info]
    rows = "x,y\n" + "\n".join(f"{x},{2 * x + 1}" for x in range(40))
    at.file_uploader(key="reg.csv").upload("line.csv", rows.encode(), "text/csv").run()
    assert_ok(at)
    run = at.session_state["reg.run"]
    assert run.data.key == "upload" and run.data.n_train + len(run.data.y_test) == 40
    assert len(live(at)["panels"]["reg-fit"]["frame"]["curves"]) == 1  # no truth for uploaded data
    at.file_uploader(key="reg.csv").upload("bad.csv", b"x,y\n1,**bold**\n", "text/csv").run()
    assert_ok(at)
    assert [e.value for e in at.sidebar.error]


def test_a_regression_run_file_imported_on_the_page_applies_it():
    from core.app.export import run_json
    at = open_regression()
    wanted = RegressionConfig(dataset="heavy_tailed", df=2, loss="pinball", loss_params=(("tau", 0.3),),
                              model="polynomial", degree=5)
    data = run_json("regression", wanted.to_query(), History(), "a run").encode()
    at.file_uploader(key="imp.json").upload("r.json", data, "application/json").run()
    assert_ok(at)
    assert at.session_state["reg.run"].config == wanted
    assert at.selectbox(key="wr.loss@en").value == "pinball"


def test_a_far_x_that_overflows_a_high_degree_polynomial_at_step_0_says_what_to_lower():
    # the far x standardised and raised to the 8th power: the loss is infinite before any step
    rows = "1e4,0\n" + "".join(f"{i},{i % 5}\n" for i in range(20))
    at = open_regression({"dataset": "upload", "model": "polynomial", "degree": "8"})
    at.file_uploader(key="reg.csv").upload("far.csv", rows.encode(), "text/csv").run()
    assert_ok(at)
    run = at.session_state["reg.run"]
    assert run.trainer.diverged is not None and len(run.trainer.history) == 0
    assert translate("reg.diverged_start_degree", "en", degree=8) in [e.value for e in at.error]
    assert 'data-step="0" data-train-loss="" data-test-loss=""' in live(at)["before"]
    for button in ("reg.step_button", "reg.step10_button", "reg.play_button"):  # every rerun keeps the page and the message
        at.button(key=button).click().run()
        assert_ok(at)
        assert translate("reg.diverged_start_degree", "en", degree=8) in [e.value for e in at.error]


@pytest.mark.parametrize("query", [{"model": "polynomial", "degree": "15"}, {"model": "polynomial"},
                                   {"model": "constant", "dataset": "demand", "loss": "asymmetric"}])
def test_the_pages_own_exported_weights_load_back(query):
    from core.app.export import state_dict_bytes
    from core.runs.regression_run import build_regression_run
    at = open_regression(query)
    config = at.session_state["reg.run"].config
    exported = build_regression_run(config.replace(seed=config.seed + 1)).trainer.model
    at.file_uploader(key="imp.weights").upload("w.pt", state_dict_bytes(exported), "application/octet-stream").run()
    assert_ok(at)
    assert translate("imp.weights_loaded", "en") in [s.value for s in at.success]
    model = at.session_state["reg.run"].trainer.model
    assert all(torch.equal(a, b) for a, b in zip(exported.state_dict().values(), model.state_dict().values()))
