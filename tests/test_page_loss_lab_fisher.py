"""Loss lab sections 3 (Fisher consistency) and 4 (worked examples) through the real entry point
(AppTest): the numbers on screen, the preset, the URL round-trip, refusals shown as messages; and
the multiclass-only one-vs-all hinge refused for 2-class data on the 2D and Compare pages."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from core.i18n import translate
from tests.support import open_page_via_home

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 120


def open_page(page: str, query: dict | None = None) -> AppTest:
    return open_page_via_home(APP, page, query, timeout=TIMEOUT)


def open_lab(section: str, query: dict | None = None) -> AppTest:
    """The Loss lab with tab `section` open (the page builds only that one)."""
    return open_page("pages/5_loss_lab.py", {**(query or {}), "section": section})


def fisher_table(at: AppTest, lang: str = "en") -> dict[str, dict]:
    """The Fisher table's rows by loss name (the one table with an f*1 column)."""
    frame = next(d.value for d in at.dataframe if "f*1" in d.value.columns)
    return {row[translate("lab.fisher.col.loss", lang)]: row for row in frame.to_dict("records")}


def scores(row: dict) -> np.ndarray:
    return np.array([row["f*1"], row["f*2"], row["f*3"]])


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_preset_shows_the_one_vs_all_tie_and_cross_entropy_log_p():
    at = open_lab("fisher")
    assert [n.value for n in at.number_input if n.key.startswith("lab.fisher_p")] == [0.6, 0.3, 0.1]
    at.button(key="lab.fisher_preset").click().run()
    assert [n.value for n in at.number_input if n.key.startswith("lab.fisher_p")] == [0.4, 0.3, 0.3]
    rows = fisher_table(at)
    ova, ce = rows["One-vs-all hinge"], rows["Cross-entropy"]
    np.testing.assert_allclose(scores(ova), (-1, -1, -1), atol=1e-3)
    assert ova["argmax f*"] == "1, 2, 3" and ova["argmax p"] == "1"
    assert ova["Decision"] == translate("lab.fisher.verdict.tie", "en")
    log_p = np.log([0.4, 0.3, 0.3])
    np.testing.assert_allclose(scores(ce) - scores(ce).mean(), log_p - log_p.mean(), atol=2e-3)  # table: 3 decimals
    assert ce["Decision"] == translate("lab.fisher.verdict.bayes", "en")
    summary = translate("lab.fisher.summary", "en", loss="One-vs-all hinge", f="-1.000, -1.000, -1.000",
                        top_f="1, 2, 3", top_p="1", verdict=translate("lab.fisher.verdict.tie", "en"))
    assert summary in [m.value for m in at.markdown]
    assert at.query_params["fisher_p1"] == "0.4" and at.query_params["fisher_p3"] == "0.3"


def test_fisher_settings_come_from_the_url_and_in_chinese():
    at = open_lab("fisher", {"fisher_p1": "0.4", "fisher_p2": "0.35", "fisher_p3": "0.25", "fisher_loss": "hinge", "lang": "zh"})
    assert at.selectbox(key="lab.fisher_loss@zh").value == "hinge"
    rows = fisher_table(at, "zh")
    ww = rows[translate("loss.hinge.name", "zh")]
    f = scores(ww)
    np.testing.assert_allclose(f - f.mean(), (1 / 3, 1 / 3, -2 / 3), atol=2e-3)  # ties class 1 with class 2
    assert ww[translate("lab.fisher.col.verdict", "zh")] == translate("lab.fisher.verdict.tie", "zh")
    assert any(translate("lab.fisher.explain.hinge", "zh")[:20] in m.value for m in at.markdown)
    assert at.query_params["fisher_loss"] == "hinge" and at.query_params["fisher_p2"] == "0.35"


def test_fisher_inputs_are_divided_by_their_sum_and_all_zero_is_refused():
    at = open_lab("fisher", {"fisher_p1": "0.5", "fisher_p2": "0.5", "fisher_p3": "1"})
    assert any(m.value == translate("lab.fisher.normalised", "en", p="0.250, 0.250, 0.500") for m in at.caption)
    ce = scores(fisher_table(at)["Cross-entropy"])
    np.testing.assert_allclose(ce - ce.mean(), np.log([0.25, 0.25, 0.5]) - np.log([0.25, 0.25, 0.5]).mean(), atol=2e-3)
    for name in ("lab.fisher_p1", "lab.fisher_p2", "lab.fisher_p3"):
        at.number_input(key=name).set_value(0.0)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [translate("err.lab.fisher_zero", "en")]
    assert not any("f*1" in d.value.columns for d in at.dataframe)


def test_worked_examples_numbers():
    at = open_lab("examples")
    shown = metrics(at)
    assert shown[translate("lab.ex.reg.mse", "en")] == "0.028"
    assert shown[translate("lab.ex.reg.half_mse", "en")] == "0.014"
    assert shown[translate("lab.ex.reg.mae", "en")] == "0.16"
    assert shown[translate("lab.ex.cls.mean_ce", "en")] == "0.2899"
    assert shown[translate("lab.ex.cls.mistake", "en")] == "0.4753"
    terms = next(d.value for d in at.dataframe if "−log p_y" in d.value.columns)
    assert terms["−log p_y"].tolist() == [round(-math.log(0.8), 6), round(-math.log(0.7), 6)]
    squares = next(d.value for d in at.dataframe if translate("lab.ex.reg.squared", "en") in d.value.columns)
    assert squares[translate("lab.ex.reg.squared", "en")].tolist() == [0.04, 0.04, 0.01, 0.04, 0.01]


def test_edited_tables_recompute_or_show_a_message():
    at = open_lab("examples")
    # row 1 predicted 1.2 -> 1.0: squares 0, .04, .01, .04, .01 -> MSE 0.02; absolutes sum 0.6 -> MAE 0.12
    at.session_state["lab.ex.reg_table"] = {"edited_rows": {0: {"y_hat": 1.0}}, "added_rows": [], "deleted_rows": []}
    at.session_state["lab.ex.cls_table"] = {"edited_rows": {0: {"p1": 0.7}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert metrics(at)[translate("lab.ex.reg.mse", "en")] == "0.02"
    assert metrics(at)[translate("lab.ex.reg.mae", "en")] == "0.12"
    expected = translate("err.lab.prob_sum", "en", row=1, total="0.9").replace(".", "\\.")  # quoted user input: escaped
    assert expected.rstrip("\\.") in [e.value for e in at.error][0]
    assert translate("lab.ex.cls.mean_ce", "en") not in metrics(at)
    at.session_state["lab.ex.reg_table"] = {"edited_rows": {}, "added_rows": [{}], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert translate("err.lab.empty_row", "en", row=6) in [e.value for e in at.error]


def test_edits_survive_a_visit_to_another_tab():
    at = open_lab("examples")
    at.session_state["lab.ex.reg_table"] = {"edited_rows": {0: {"y_hat": 1.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert metrics(at)[translate("lab.ex.reg.mse", "en")] == "0.02"
    for section in ("fisher", "examples"):  # the closed tab's editor is not drawn: Streamlit drops its state
        at.session_state["lab.section"] = section
        at.run()
        assert not at.exception
    shown = metrics(at)
    assert shown[translate("lab.ex.reg.mse", "en")] == "0.02" and shown[translate("lab.ex.reg.mae", "en")] == "0.12"
    # editing goes on from the kept table: row 2 predicted 1.8 -> 2.0 too, so MAE (0.1 + 0.2 + 0.1) / 5
    at.session_state["lab.ex.reg_table"] = {"edited_rows": {1: {"y_hat": 2.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert metrics(at)[translate("lab.ex.reg.mae", "en")] == "0.08"


def test_one_vs_all_hinge_refused_on_two_class_data():
    message = translate("err.loss.multiclass_only", "en")
    at = open_page("pages/1_playground_2d.py", {"dataset": "moons", "loss": "ova_hinge"})
    assert [e.value for e in at.error] == [message]
    at = open_page("pages/1_playground_2d.py", {"dataset": "blobs_multi", "loss": "ova_hinge"})
    assert not at.error and at.session_state["p2d.run"].trainer.loss_key == "ova_hinge"
    at = open_page("pages/3_compare.py", {"kind": "2d", "dataset": "moons", "r1.loss": "ova_hinge"})
    assert [e.value for e in at.error] == [message]
