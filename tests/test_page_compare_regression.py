"""The Compare page's regression kind as a visitor uses it (AppTest): one overlaid plot of the runs' fits on
the shared points, a status line per run, loss curves only, both languages; after training, MAE's line is
nearer the truth than MSE's on the screen (the fitted curves the browser draws). Assertions read the page."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from core.i18n import translate
from core.runs.regression_run import predict

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "pages/3_compare.py"
LINK = {"kind": "regression", "runs": "3", "r1.loss": "mse", "r2.loss": "mae", "r3.loss": "huber",
        "outlier_fraction": "0.1"}


def open_compare(query: dict | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query or {})
    at.run()
    at = at.switch_page(PAGE).run()
    assert_ok(at)
    return at


def assert_ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def live(at) -> dict:
    """The page's live canvas elements: [{"before": HTML, "panels": [...]}]."""
    return [json.loads(e.proto.json) for e in at.get("bidi_component")]


def statuses(before: str) -> list[dict]:
    """Each run's status line: its data-* numbers and its text."""
    out = []
    for attrs, text in re.findall(r'<div class="cmpr-status" ([^>]*)>(.*?)</div>', before):
        values = {k: float(v) for k, v in re.findall(r'data-([\w-]+)="([^"]*)"', attrs)}
        out.append({**values, "text": re.sub(r"<[^>]+>", "", text)})
    return out


def curve_px(curve: dict) -> np.ndarray:
    """A drawn curve's (x, y) in layout pixels, as the browser decodes it (int16 sixteenths of a pixel)."""
    return np.frombuffer(base64.b64decode(curve["xy"]), "<i2").reshape(-1, 2) / 16.0


def test_the_link_shows_one_overlaid_plot_three_fits_three_status_lines_and_losses_only():
    at = open_compare(LINK)
    (element,) = live(at)  # ONE live element: no per-run boundaries
    (panel,) = element["panels"]
    assert panel["id"] == "compare-overlay"
    frame = panel["frame"]
    assert frame["kind"] == "plot"
    roles = [(c["role"], c["run"]) for c in frame["curves"]]
    assert roles == [("truth", 0), ("fit", 1), ("fit", 2), ("fit", 3)]
    assert frame["curves"][0]["dash"] and not any(c["dash"] for c in frame["curves"][1:])
    colours = [c["colour"] for c in frame["curves"][1:]]
    assert len(set(colours)) == 3
    runs = at.session_state["cmp.run"]["runs"]
    assert frame["info"]["outliers"] == int(runs[0].data.outliers.sum()) > 0
    shown = statuses(element["before"])
    assert len(shown) == 3 and all(s["step"] == 0 for s in shown)
    assert [s["text"].split(":")[0] for s in shown] == ["■ Run 1 · MSE", "■ Run 2 · MAE", "■ Run 3 · Huber δ=1"]
    assert all("train loss" in s["text"] and "test loss" in s["text"] and "test MAE" in s["text"] for s in shown)
    assert "cross-entropy" not in element["before"] and "accuracy" not in element["before"]
    for colour, label in zip(colours, ("Run 1 · MSE", "Run 2 · MAE", "Run 3 · Huber δ=1")):  # the legend
        assert f'<span style="color:{colour}">—</span> {label}</span>' in panel["after"]
    # the curves: one yardstick first (test MAE), then the runs' own losses (in their own units)
    metric = at.radio(key="cmp.metric@en")
    assert list(metric.options) == [translate("cmp.curve.test_mae", "en"), translate("cmp.curve.test_loss", "en"),
                                    translate("cmp.curve.train_loss", "en")]
    assert metric.value == "test_mae"
    assert any('id="compare-curves"' in e.proto.body for e in at.get("html"))
    assert not [w.value for w in at.warning]


def test_in_chinese_the_status_lines_and_legend_follow():
    at = open_compare(LINK)
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    (element,) = live(at)
    shown = statuses(element["before"])
    assert [s["text"].split(":")[0] for s in shown] == ["■ 实验 1 · 均方误差", "■ 实验 2 · 平均绝对误差",
                                                        "■ 实验 3 · Huber 损失 δ=1"]
    assert all("训练损失" in s["text"] and "测试 MAE" in s["text"] for s in shown)
    assert "真实函数" in element["panels"][0]["after"]
    assert list(at.radio(key="cmp.metric@zh").options) == [translate("cmp.curve.test_mae", "zh"),
                                                           translate("cmp.curve.test_loss", "zh"),
                                                           translate("cmp.curve.train_loss", "zh")]


def test_after_100_steps_the_mae_line_is_nearer_the_truth_than_the_mse_line():
    at = open_compare(LINK)
    for _ in range(10):
        at.button(key="cmp.step10_button").click().run()
        assert_ok(at)
    (element,) = live(at)
    assert [s["step"] for s in statuses(element["before"])] == [100, 100, 100]
    curves = element["panels"][0]["frame"]["curves"]
    truth = curve_px(curves[0])
    # on the screen: the mean vertical distance (pixels) of each fitted curve from the dashed truth
    gap = {run: float(np.abs(curve_px(c)[:, 1] - truth[:, 1]).mean()) for run, c in
           zip(("mse", "mae", "huber"), curves[1:])}
    assert gap["mae"] < 0.5 * gap["mse"] and gap["huber"] < gap["mse"], gap
    # the same in the data's units (the reasoning of tests/test_presets.py test_reg_outliers_*)
    runs = at.session_state["cmp.run"]["runs"]
    d = runs[0].data
    xs = np.linspace(*d.x_range, 61)
    errors = [float(np.abs(predict(r, xs) - d.truth(xs)).mean()) for r in runs]
    assert errors[1] < 0.5 * errors[0], errors
    # paused: the final table names the runs, at the same step
    table = at.dataframe[0].value
    assert list(table[translate("cmp.col.run", "en")]) == ["Run 1 · MSE", "Run 2 · MAE", "Run 3 · Huber δ=1"]
    assert list(table[translate("cmp.col.steps", "en")]) == [100, 100, 100]


def test_the_kind_widget_offers_regression():
    at = open_compare(None)  # the default comparison: 2D
    kind = at.radio(key="cmp.kind@en")
    assert translate("cmp.kind.regression", "en") in kind.options
    kind.set_value("regression").run()
    assert_ok(at)
    assert at.query_params["kind"] == "regression"
    (element,) = live(at)
    assert element["panels"][0]["id"] == "compare-overlay"
    assert len(statuses(element["before"])) == 3
    assert at.session_state["cmp.config"].kind == "regression"
    at.radio(key="cmp.kind@en").set_value("2d").run()  # and back: the 2D runs, each with its boundary
    assert_ok(at)
    assert [p["id"] for e in live(at) for p in e["panels"]] == ["compare-boundary-1", "compare-boundary-2"]


def test_four_runs_with_their_bands_train_at_a_batch_the_server_allows_and_the_page_says_so():
    """16 MLPs of 6×64 at full batch would take several frames' CPU per step: the runs share one smaller batch."""
    from core.serving.compute_limits import Load, server_limits
    query = {"kind": "regression", "runs": "4", "model": "mlp", "depth": "6", "width": "64", "n_samples": "2000",
             "batch_size": "2000", "band": "true", "speed": "fastest"}
    at = open_compare(query)
    assert_ok(at)
    runs = at.session_state["cmp.run"]["runs"]
    members = [m for run in runs for m in run.members]
    assert len(members) == 16
    batch = members[0].trainer.batch_size
    assert batch < 2000 and {m.trainer.batch_size for m in members} == {batch}
    configs = [run.config for run in runs]
    assert Load(tuple(x for c in configs for x in c.load().members)).fits(server_limits("cpu"))  # 1D: on the CPU
    said = [w.value for w in at.warning]
    assert any(translate("warn.heavy.batch", "en", wanted=2000, batch=batch, device="CPU",
                         ms=w_ms, limit=round(server_limits("cpu").frame_seconds * 1000)) == s
               for s in said for w_ms in [int(re.search(r"about (\d+) ms", s).group(1))] if "about" in s), said
    assert at.query_params["batch_size"] == str(batch)  # the link says what runs
