"""The view (ui/view.py): presentation mode and hide= links on the pages, through AppTest: what a
link asks for is what the page draws, the URL keeps it, and the run's settings never change."""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.runs.config import Playground2DConfig, ViewConfig
from core.i18n import STRINGS
from core.app.pages import page
from ui.view import PRESENT_CSS, hidden_controls_css
from tests.support import live_canvases, open_page_via_home

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE_2D, PAGE_COMPARE = "pages/1_playground_2d.py", "pages/3_compare.py"


def open_page(path: str, query: dict) -> AppTest:
    return open_page_via_home(APP, path, query, timeout=60)


def styles(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html") if "<style>" in h.proto.body)


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def test_parse_hidden_keeps_known_names_once_and_reports_the_rest():
    names, warned = ViewConfig(hide="lr, loss,lr,,Bogus,<b>x</b>," + "a" * 50).hidden({"lr", "loss", "speed"})
    assert names == ("lr", "loss")
    assert [w.fields["value"] for w in warned] == ["Bogus", "<b>x</b>", "a" * 50]


def test_hidden_controls_css_names_each_language_of_a_translated_widget():
    css = hidden_controls_css(page("2d"), ("lr", "loss", "language"))
    for cls in (".st-key-w2d-lr", ".st-key-w2d-loss-en", ".st-key-w2d-loss-zh", ".st-key-_lang_widget"):
        assert cls + "," in css or cls + " {" in css, cls
    assert hidden_controls_css(page("2d"), ()) == ""


def test_a_presentation_link_hides_the_sidebar_and_title_but_not_the_settings():
    query = {"dataset": "circles", "lr": "0.1", "present": "1", "hide": "lr,language"}
    at = open_page(PAGE_2D, query)
    assert not at.exception
    assert not at.title  # the live view gets the room
    css = styles(at)
    assert PRESENT_CSS.strip() in css and ".st-key-w2d-lr" in css and ".st-key-_lang_widget" in css
    assert at.toggle(key="view.present_toggle").value is True
    assert warnings(at) == []  # view params are not run settings: no "unknown parameter"
    config = at.session_state["p2d.config"]
    assert (config.dataset, config.lr) == ("circles", 0.1)
    assert at.query_params["present"] == "1" and at.query_params["hide"] == "lr,language"


def test_the_toggle_leaves_presentation_and_the_url_follows():
    at = open_page(PAGE_2D, {"present": "1"})
    at.toggle(key="view.present_toggle").set_value(False).run()
    assert not at.exception
    assert [t.value for t in at.title] == [STRINGS["p2d.title"]["en"]]
    assert PRESENT_CSS.strip() not in styles(at)
    assert "present" not in at.query_params
    assert at.session_state["p2d.config"] == Playground2DConfig()
    at.toggle(key="view.present_toggle").set_value(True).run()
    assert not at.title and at.query_params["present"] == "1"


def test_an_unknown_control_in_a_hide_link_is_reported_as_text():
    at = open_page(PAGE_2D, {"hide": "lr,**bold**"})
    assert not at.exception
    shown = warnings(at)
    assert len(shown) == 1 and "\\*\\*bold\\*\\*" in shown[0]  # escaped: Markdown shows it as typed
    assert ".st-key-w2d-lr" in styles(at)


def test_compare_page_hides_a_control_in_every_run():
    at = open_page(PAGE_COMPARE, {"kind": "2d", "runs": "2", "hide": "optimizer"})
    assert not at.exception and warnings(at) == []
    css = styles(at)
    assert ".st-key-cmp-r1-optimizer-en" in css and ".st-key-cmp-r2-optimizer-en" in css


def test_the_regression_pages_hide_their_controls_too():
    at = open_page("pages/6_regression.py", {"hide": "lr,loss,outlier_fraction"})
    assert not at.exception and warnings(at) == []
    css = styles(at)
    assert all(c in css for c in (".st-key-wr-lr", ".st-key-wr-loss-en", ".st-key-wr-loss-zh",
                                  ".st-key-wr-outlier_fraction"))
    at = open_page(PAGE_COMPARE, {"kind": "regression", "runs": "2", "hide": "loss,noise"})
    assert not at.exception and warnings(at) == []
    css = styles(at)
    assert ".st-key-cmp-reg-r1-loss-en" in css and ".st-key-cmp-reg-r2-loss-en" in css
    assert ".st-key-cmp-regression-noise" in css


def boundary_panel(at) -> dict:
    """The 2D page's live canvas as the page sends it."""
    (panel,) = [p for el in live_canvases(at) for p in json.loads(el.proto.json)["panels"]
                if p["id"] == "boundary-live"]
    return panel


def test_the_boundary_fills_its_column_to_the_screens_edge_in_either_view():
    """Presented or not, the canvas is the page's main picture, fitted in the browser (ui/live_canvas.js) to its
    column and the screen's height: presentation's wider column makes it larger (tests/test_browser_projector.py)."""
    at = open_page(PAGE_2D, {"present": "1"})
    assert boundary_panel(at)["fit"] == 10
    at.toggle(key="view.present_toggle").set_value(False).run()
    assert boundary_panel(at)["fit"] == 10


# ---- lesson links: the address bar while a lesson is open opens that lesson for whoever gets it ----


def test_a_lesson_link_opens_the_lesson_with_its_banner_and_settings():
    at = open_page(PAGE_2D, {"lesson": "relu_pieces"})
    assert not at.exception and warnings(at) == []
    assert any(STRINGS["preset.relu_pieces.title"]["en"] in m.value for m in at.markdown)  # the banner
    config = at.session_state["p2d.config"]
    assert (config.dataset, config.depth, config.width, config.activation, config.speed) == \
        ("circles", 1, 6, "relu", "slow")
    assert at.query_params["lesson"] == "relu_pieces"  # still a lesson link: shareable as it is


def test_a_lesson_link_keeps_the_settings_the_link_itself_sets():
    at = open_page(PAGE_2D, {"lesson": "relu_pieces", "lr": "0.1"})
    config = at.session_state["p2d.config"]
    assert (config.lr, config.width) == (0.1, 6)


def test_a_compare_lesson_link_opens_its_runs():
    at = open_page(PAGE_COMPARE, {"lesson": "mse_vs_ce"})
    assert not at.exception and warnings(at) == []
    spec = at.session_state["cmp.config"]
    assert [{**spec.base, **over}["loss"] for over in spec.overrides] == ["brier", "cross_entropy"]


def test_a_bad_lesson_link_says_so_and_opens_the_page_plainly():
    at = open_page(PAGE_2D, {"lesson": "no_such_lesson"})
    assert not at.exception
    assert any("lesson" in w for w in warnings(at))
    assert at.session_state["p2d.config"] == Playground2DConfig()
    assert "lesson" not in at.query_params


def test_a_lesson_link_on_another_page_opens_the_lessons_own_page():
    at = open_page(PAGE_2D, {"lesson": "mse_vs_ce"})  # a Compare lesson
    assert not at.exception
    assert at.session_state["lesson"]["page"] == "compare"
    assert at.session_state["cmp.config"].kind == "2d" and "cmp.run" in at.session_state
