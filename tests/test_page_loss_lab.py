"""The Loss lab page through the real entry point (AppTest): renders in English and 中文, its settings
round-trip through the URL, and the numbers it shows are the loss registry's."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import torch
from streamlit.testing.v1 import AppTest

from core.i18n import STRINGS
from core.learning.losses import compute_loss
from core.lessons.losslab import SCORE_STEP
from core.lessons.losslab_config import BINARY_LOSSES as LOSSES_WITH_MARGIN, LossLabConfig, SECTIONS
from tests.support import open_page_via_home

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "pages/5_loss_lab.py"
TIMEOUT = 120


def open_lab(query: dict | None = None) -> AppTest:
    return open_page_via_home(APP, PAGE, query, timeout=TIMEOUT)


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def show_section(at: AppTest, section: str) -> AppTest:
    """Open another tab, as a link or a click would (AppTest cannot click a tab)."""
    at.session_state["lab.section"] = section
    at.run()
    assert_ok(at)
    return at


def frames(chart) -> list[pd.DataFrame]:
    """Every data set of an Altair chart: Arrow IPC streams, or inline values in a layered spec."""
    import pyarrow as pa
    blobs = ([chart.proto.data.data] if chart.proto.data.data else []) + [d.data.data for d in chart.proto.datasets]
    found = [pa.ipc.open_stream(b).read_all().to_pandas() for b in blobs]

    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("data"), dict) and "values" in x["data"]:
                found.append(pd.DataFrame(x["data"]["values"]))
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(json.loads(chart.proto.spec))
    return found


def charts(at: AppTest) -> list:
    return list(at.main.get("vega_lite_chart"))


def rows_with(chart, column: str, min_rows: int = 10) -> pd.DataFrame:
    """The chart's curve data (a frame with `column` and a loss per row; markers have fewer rows)."""
    (frame,) = [f for f in frames(chart) if column in f.columns and "loss" in f.columns and len(f) >= min_rows]
    return frame


def en(key: str, **fields) -> str:
    return STRINGS[key]["en"].format(**fields)


def test_renders_in_english_then_chinese():
    at = open_lab()
    assert [t.value for t in at.title] == [en("lab.title")]
    assert [t.label for t in at.tabs] == [en(k) for k in ("lab.tab.margin", "lab.tab.score", "lab.fisher.title",
                                                          "lab.ex.title")]
    assert len(charts(at)) == 4  # loss, pull, multiclass loss, weight
    assert not at.warning and not at.error
    assert len(charts(show_section(at, "score"))) == 1  # proper scoring
    show_section(at, "margin")
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    assert [t.value for t in at.title] == [STRINGS["lab.title"]["zh"]]
    assert [t.label for t in at.tabs][:2] == [STRINGS["lab.tab.margin"]["zh"], STRINGS["lab.tab.score"]["zh"]]
    loss = rows_with(charts(at)[0], "loss_value")
    assert STRINGS["loss.cross_entropy.name"]["zh"] in set(loss["name"])  # the legend follows the language
    assert at.multiselect(key="lab.losses@zh").value == ["cross_entropy", "hinge", "exponential", "gce"]
    assert at.query_params["lang"] == ["zh"] or at.query_params["lang"] == "zh"


def legends(spec) -> list[dict]:
    """Every colour encoding's legend in a (layered) Vega-Lite spec."""
    found = [spec["encoding"]["color"].get("legend") or {}] if "color" in spec.get("encoding", {}) else []
    return found + [legend for layer in spec.get("layer", []) for legend in legends(layer)]


@pytest.mark.parametrize("section", ["margin", "score", "fisher"])
def test_every_chart_takes_the_full_width_with_its_legend_below(section):
    """Every loss at once (the longest legend): each chart is tall, not in a column, its legend under it."""
    every = ",".join(LOSSES_WITH_MARGIN)
    at = show_section(open_lab({"losses": every, "score_losses": every}), section)
    assert charts(at) and not [c for c in at.main.columns if c.get("vega_lite_chart")]  # each the page's width
    for chart in charts(at):
        spec = json.loads(chart.proto.spec)
        assert spec["height"] >= 400 and spec["usermeta"]["embedOptions"]["renderer"] == "svg"
        assert legends(spec) and all(legend["orient"] == "bottom" for legend in legends(spec))


def test_url_round_trip():
    wanted = LossLabConfig(losses="mae,focal,gce", margin_low=-6.0, margin_high=2.5, gamma=3.5, q=0.25, classes=10,
                           score_p=0.31, score_q=0.8, score_losses="gce,cross_entropy")
    at = open_lab(wanted.to_query())
    assert not at.warning
    assert at.multiselect(key="lab.losses@en").value == ["mae", "focal", "gce"]
    assert at.slider(key="lab.margin_low").value == -6.0 and at.slider(key="lab.margin_high").value == 2.5
    assert at.slider(key="lab.gamma").value == 3.5 and at.slider(key="lab.q").value == 0.25
    assert at.radio(key="lab.classes").value == 10
    shown = {k: at.query_params[k] for k in wanted.to_query()}
    assert {k: v[0] if isinstance(v, list) else v for k, v in shown.items()} == wanted.to_query()
    show_section(at, "score")
    assert at.multiselect(key="lab.score_losses@en").value == ["gce", "cross_entropy"]
    assert at.slider(key="lab.score_p").value == 0.31 and at.slider(key="lab.score_q").value == 0.8
    # a widget change reaches the address bar
    at.slider(key="lab.score_p").set_value(0.42).run()
    assert_ok(at)
    value = at.query_params["score_p"]
    assert (value[0] if isinstance(value, list) else value) == "0.42"


def test_bad_link_warns_and_falls_back():
    at = open_lab({"losses": "hinge,nonsense", "classes": "7", "margin_low": "abc"})
    warned = " ".join(w.value for w in at.warning)
    for key in ("losses", "classes", "margin\\_low"):  # as_text escapes the link's text
        assert f"“{key}”" in warned
    assert at.multiselect(key="lab.losses@en").value == ["hinge"]
    assert at.radio(key="lab.classes").value == 3 and at.slider(key="lab.margin_low").value == -4.0


def test_margin_charts_show_the_registry_values():
    at = open_lab()
    at.slider(key="lab.q").set_value(0.4).run()  # a non-default parameter must reach the curves
    at.slider(key="lab.margin_low").set_value(-3.0).run()
    assert_ok(at)
    loss_chart, pull_chart, multi_chart, weight_chart = charts(at)[:4]
    loss = rows_with(loss_chart, "loss_value")
    assert loss["m"].min() == pytest.approx(-3.0) and loss["m"].max() == pytest.approx(4.0)
    assert set(loss["loss"]) == {"cross_entropy", "hinge", "exponential", "gce", "zero_one"}
    pull = rows_with(pull_chart, "pull")
    params = {"gce": {"q": 0.4}}
    for key in ("cross_entropy", "hinge", "exponential", "gce"):
        for frame, column in ((loss, "loss_value"), (pull, "pull")):
            sample = frame[frame["loss"] == key].iloc[::50]
            assert len(sample) >= 8
            for m, shown in zip(sample["m"], sample[column]):
                z = torch.tensor([m], dtype=torch.float64, requires_grad=True)
                value = compute_loss(key, z, torch.tensor([1.0], dtype=torch.float64), **params.get(key, {}))
                value.backward()
                want = value.item() if column == "loss_value" else -z.grad.item()
                assert shown == pytest.approx(want, rel=1e-9, abs=1e-12), (key, m, column)
    zero_one = loss[loss["loss"] == "zero_one"]
    assert ((zero_one["m"] <= 0) == (zero_one["loss_value"] == 1)).all()
    weights = rows_with(weight_chart, "weight")
    gce = weights[weights["loss"] == "gce"]
    assert list(gce["weight"]) == pytest.approx(list(gce["p_y"] ** 0.4), rel=1e-9)
    multi = rows_with(multi_chart, "loss_value")
    ce = multi[multi["loss"] == "cross_entropy"]
    assert list(ce["loss_value"]) == pytest.approx(list(-ce["p_y"].map(math.log)))


def test_classes_switch_changes_the_multiclass_curves():
    at = open_lab({"losses": "brier"})
    at.radio(key="lab.classes").set_value(10).run()
    assert_ok(at)
    multi = rows_with(charts(at)[2], "loss_value")
    p = multi["p_y"]
    assert list(multi["loss_value"]) == pytest.approx(list((1 - p) ** 2 + 9 * ((1 - p) / 9) ** 2))


def test_no_loss_chosen_says_so():
    at = open_lab()
    at.multiselect(key="lab.losses@en").set_value([]).run()
    assert_ok(at)
    assert en("lab.margin.none") in [i.value for i in at.info]
    assert at.query_params["losses"] in ("", [""])


def test_proper_scoring_minimisers_and_brier_decomposition():
    at = open_lab({"score_p": "0.3", "score_q": "0.6", "score_losses": "cross_entropy,brier,mae,gce", "losses": "gce",
                   "q": "0.5", "section": "score"})
    table = at.dataframe[0].value
    by_loss = {row[en("lab.score.col.loss")]: row for _, row in table.iterrows()}
    assert abs(by_loss[en("loss.cross_entropy.name")][en("lab.score.col.minimiser")] - 0.3) <= SCORE_STEP
    assert abs(by_loss[en("loss.brier.name")][en("lab.score.col.minimiser")] - 0.3) <= SCORE_STEP
    assert by_loss[en("loss.mae.name")][en("lab.score.col.minimiser")] == pytest.approx(SCORE_STEP)  # p < 1/2
    # GCE with the first tab's q = 0.5: minimised where the odds are (p/(1-p))^(1/(1-q)) = (3/7)², not at p
    odds = (0.3 / 0.7) ** 2
    assert abs(by_loss[en("loss.gce.name")][en("lab.score.col.minimiser")] - odds / (1 + odds)) <= SCORE_STEP
    honest = {name: row[en("lab.score.col.honest")] for name, row in by_loss.items()}
    assert honest == {en("loss.cross_entropy.name"): "yes", en("loss.brier.name"): "yes", en("loss.mae.name"): "no",
                      en("loss.gce.name"): "no"}
    assert by_loss[en("loss.brier.name")][en("lab.score.col.at_q")] == pytest.approx(0.3 * 0.4**2 + 0.7 * 0.6**2,
                                                                                     abs=1e-4)
    # (q - p)² + p(1 - p) = 0.09 + 0.21 = 0.30
    assert en("lab.score.brier", q="0.6", calibration="0.0900", uncertainty="0.2100", expected="0.3000") in [
        m.value for m in at.markdown]
    (score,) = charts(at)
    curve = rows_with(score, "expected")
    ce = curve[curve["loss"] == "cross_entropy"]
    q = ce["q"]
    assert list(ce["expected"]) == pytest.approx(list(-(0.3 * q.map(math.log) + 0.7 * (1 - q).map(math.log))))
    # the marked minimisers are the table's
    (marks,) = [f for f in frames(score) if "expected" in f.columns and len(f) == 4]
    assert dict(zip(marks["name"], marks["q"])) == pytest.approx(
        {name: row[en("lab.score.col.minimiser")] for name, row in by_loss.items()}, abs=1e-4)


def y_scale(chart) -> dict:
    return json.loads(chart.proto.spec)["layer"][0]["encoding"]["y"].get("scale", {})


def test_y_axis_stops_at_five_only_when_a_curve_leaves_it():
    note = en("lab.margin.clip_note", top="5")
    at = open_lab()  # exponential at m = -4 is e^4 ≈ 54.6
    assert y_scale(charts(at)[0]) == {"domainMax": 5.0} and note in [c.value for c in at.caption]
    at = open_lab({"losses": "mae,brier"})  # bounded by 1; weights 2 p_y <= 2
    assert all(y_scale(c) == {} for c in charts(at)[:4]) and note not in [c.value for c in at.caption]


def colours(chart) -> dict[str, str]:
    scale = json.loads(chart.proto.spec)["layer"][0]["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"]))


def test_a_loss_keeps_its_colour_on_every_chart_and_its_caption():
    at = open_lab({"losses": "gce,exponential"})
    loss, pull, multi, weight = (colours(c) for c in charts(at)[:4])
    gce, exp = en("loss.gce.name"), en("loss.exponential.name")
    assert loss[gce] == pull[gce] == multi[gce] == weight[gce] != loss[exp] == pull[exp]
    assert list(loss) == [gce, exp, en("lab.margin.zero_one")] and list(pull) == [gce, exp]
    shown = [m.value for m in at.markdown]
    assert f"**{gce}**: {en('lab.margin.asym.gce')}" in shown
    assert not any(en("lab.margin.asym.hinge") in m for m in shown)  # only the chosen losses'


def test_settings_survive_a_visit_to_another_page():
    at = open_lab()
    show_section(at, "score").slider(key="lab.score_p").set_value(0.42).run()
    show_section(at, "margin").multiselect(key="lab.losses@en").set_value(["mae"]).run()
    at.switch_page("pages/home.py").run()
    at.switch_page(PAGE).run()
    assert_ok(at)
    assert at.multiselect(key="lab.losses@en").value == ["mae"]
    assert show_section(at, "score").slider(key="lab.score_p").value == 0.42


# What each tab builds, told apart by its widgets.
BUILT_BY = {"margin": lambda at: [s.key for s in at.slider if s.key == "lab.margin_low"],
            "score": lambda at: [s.key for s in at.slider if s.key == "lab.score_p"],
            "fisher": lambda at: [n.key for n in at.number_input if n.key.startswith("lab.fisher_p")],
            "examples": lambda at: [m.label for m in at.metric]}


def test_a_render_builds_only_the_open_section():
    at = open_lab()
    for section in (*SECTIONS[1:], SECTIONS[0]):
        show_section(at, section)
        filled = [t.label for t in at.tabs if len(t.children)]
        assert filled == [at.tabs[SECTIONS.index(section)].label], (section, filled)
        assert {name for name, built in BUILT_BY.items() if built(at)} == {section}
        value = at.query_params["section"]
        assert (value[0] if isinstance(value, list) else value) == section  # the link names the open tab


def test_settings_of_a_closed_tab_still_apply():
    """The scoring tab uses the margin tab's loss parameters, while that tab is not drawn."""
    at = open_lab({"losses": "gce", "score_losses": "gce", "score_p": "0.3"})
    at.slider(key="lab.q").set_value(0.5).run()
    show_section(at, "score")
    show_section(at, "score")  # a second run without the margin tab's widgets: still q = 0.5
    table = at.dataframe[0].value
    odds = (0.3 / 0.7) ** 2
    assert abs(table[en("lab.score.col.minimiser")][0] - odds / (1 + odds)) <= SCORE_STEP
    value = at.query_params["q"]
    assert (value[0] if isinstance(value, list) else value) == "0.5"


def test_a_link_opens_its_tab_and_a_bad_one_the_first():
    at = open_lab({"section": "fisher"})
    assert [t.label for t in at.tabs if len(t.children)] == [en("lab.fisher.title")]
    at = open_lab({"section": "nonsense"})
    assert "“section”" in " ".join(w.value for w in at.warning)
    assert [t.label for t in at.tabs if len(t.children)] == [en("lab.tab.margin")]
