"""The Regression page's lesson panels (ui/regression_views.py) as a page shows them (AppTest), in both languages."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import translate


def why_script():
    from ui.regression_views import why_square_panel

    why_square_panel()


def inventory_script(loss: str, params: tuple, model: str, dataset: str, steps: int):
    import streamlit as st

    from core.runs.regression_config import RegressionConfig
    from core.runs.regression_run import build_regression_run
    from core.runs import advance
    from ui.regression_views import inventory_panel

    run = build_regression_run(RegressionConfig(dataset=dataset, n_samples=200, model=model, loss=loss,
                                                optimizer="sgd", lr=0.05, batch_size=2000, loss_params=params))
    advance(run, steps)
    st.session_state["theta"] = float(run.trainer.model.net.theta.detach()[0]) if model == "constant" else None
    st.session_state["y"] = run.trainer.data.y_given.numpy().tolist()
    inventory_panel(run)


def opened(script, lang: str = "en", **kwargs) -> AppTest:
    at = AppTest.from_function(script, kwargs=kwargs, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def element(at, element_id: str) -> tuple[dict, str]:
    """(data-* attributes, HTML) of the element with this id."""
    body = "".join(e.proto.body for e in at.get("html") if f'id="{element_id}"' in e.proto.body)
    assert body, f"no #{element_id}"
    tag = re.search(rf'<div id="{element_id}"([^>]*)>', body).group(1)
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', tag)), body


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_why_square_shows_the_examples_and_the_two_descents(lang):
    at = opened(why_script, lang)
    data, body = element(at, "why-square")
    assert float(data["mean-error"]) == 0.0 and float(data["mse"]) == 25.0 and float(data["mae"]) == 5.0
    assert float(data["one-big-mse-share"]) == pytest.approx(0.9) and float(data["one-big-mae-share"]) == 0.6
    assert float(data["mae-chatter"]) == pytest.approx(0.12)  # 2.96 ↔ 3.08 around the median 3
    assert float(data["mse-chatter"]) < 1e-5 and float(data["mse-end"]) == pytest.approx(4.0)
    # the one-big row: errors, MSE 8, MAE 2, the 6 holds 90% of MSE and 60% of MAE
    row = re.search(r'<tr id="why-one_big">(.*?)</tr>', body).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells == [translate("why.example.one_big", lang), "+1, +1, +1, +1, +6", "2", "8", "2",
                     "2.5%, 2.5%, 2.5%, 2.5%, 90%", "10%, 10%, 10%, 10%, 60%"]
    assert translate("why.col.mse", lang) in body
    chart = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    text = json.dumps(chart, ensure_ascii=False)
    assert translate("why.chart.mse", lang, mean="4") in text and translate("why.chart.mae", lang, median="3") in text
    assert translate("why.chart.step", lang) in text
    explain = " ".join(m.value for m in at.markdown)
    assert "2.96" in explain and "3.08" in explain


def test_inventory_panel_prints_theta_the_quantile_and_tau():
    at = opened(inventory_script, loss="asymmetric", params=(("a", 4.0), ("b", 1.0)), model="constant",
                dataset="demand", steps=3000)
    data, body = element(at, "inventory")
    y = np.array(at.session_state["y"])
    q = np.quantile(y, 0.8, method="inverted_cdf")
    assert float(data["tau"]) == 0.8 and float(data["quantile"]) == pytest.approx(q, rel=1e-5)
    assert float(data["theta"]) == pytest.approx(at.session_state["theta"], rel=1e-5)
    assert float(data["theta"]) == pytest.approx(q, abs=0.25)
    assert data["own-costs"] == "1" and (data["a"], data["b"]) == ("4", "1")
    assert translate("inv.tau_asymmetric", "en", a="4", b="1", tau="0.8") in body


def test_inventory_panel_before_training_says_raise_the_stock():
    at = opened(inventory_script, loss="asymmetric", params=(("a", 4.0), ("b", 1.0)), model="constant",
                dataset="demand", steps=0)
    data, body = element(at, "inventory")
    assert float(data["theta"]) == 0.0 and data["advice"] == "raise" and float(data["slope"]) == -4.0
    n = len(at.session_state["y"])  # all the demand lies above θ = 0
    assert translate("inv.slope", "en", above=n, below=0, n=n, slope="−4") in body
    assert translate("inv.raise", "en", ratio="0.25") in body


@pytest.mark.parametrize("loss,params,tau,key", [("pinball", (("tau", 0.3),), 0.3, "inv.tau_pinball"),
                                                 ("mse", (), 0.8, "inv.not_asymmetric")])
def test_inventory_panel_with_other_losses(loss, params, tau, key):
    at = opened(inventory_script, lang="zh", loss=loss, params=params, model="constant", dataset="demand", steps=0)
    data, body = element(at, "inventory")
    assert float(data["tau"]) == pytest.approx(tau)
    assert translate(key, "zh").split("{")[0] in body
    assert data["own-costs"] == ("1" if loss == "pinball" else "0")


def test_inventory_panel_for_another_run_tells_how_to_start():
    at = opened(inventory_script, loss="mse", params=(), model="linear", dataset="demand", steps=0)
    assert not any('id="inventory"' in e.proto.body for e in at.get("html"))
    caption = " ".join(c.value for c in at.caption)
    assert translate("rmodel.constant") in caption and translate("data1d.demand.name") in caption
    assert translate("rloss.asymmetric.name") in caption
