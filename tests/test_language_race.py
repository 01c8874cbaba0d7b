"""A click during a language switch keeps every setting, reproduced without a browser and without
timing luck (tools/st_client.py keeps the widget states as the frontend does and sends them all).

What happens in a browser: the reader switches language, and clicks (Step) before that run's output
arrives. Streamlit starts the click's run and drops the unsent output of the switch's run, so the
browser never gets the new language's widgets with their values. The click's run draws them again;
the server believes the browser has their values already and sends the widgets without them. The
browser, holding nothing for these new widgets, shows each at the widget's own default (the first
option unless the page says otherwise) and sends that back with the next click, as a change.

Here the switch's run is played with seen=False (its output never reaches the client), which is the
worst case of that race, every time.
"""
from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from core.i18n import STRINGS
from tests.support import need_data, run_scenario, streamlit_server
from tools.st_client import StreamlitSession

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
# A link per page whose translated widgets are all away from their first option.
LINKS = {
    "2d": ("playground_2d", "dataset=circles&loss=gce&loss.q=0.5&noise_kind=symmetric&noise_rate=0.1&batch_size=5000"
                            "&optimizer=sgd&lr=0.3&activation=tanh&speed=fast&wd_mode=decoupled&side=hidden"),
    "regression": ("regression", "dataset=step&outlier_fraction=0.1&outlier_side=down&model=polynomial&loss=huber"
                                 "&optimizer=sgd&batch_size=2000&speed=fast&wd_mode=decoupled"),
    "compare_2d": ("compare", "kind=2d&dataset=xor&noise_kind=symmetric&noise_rate=0.2&speed=fast&r2.loss=brier"
                              "&r2.optimizer=sgd&r2.lr=0.1&r1.activation=tanh"),
    "compare_regression": ("compare", "kind=regression&dataset=step&outlier_fraction=0.1&outlier_side=down"
                                      "&r2.loss=huber&r1.optimizer=sgd&r2.model=polynomial&speed=fast"),
    "loss_lab": ("loss_lab", "losses=mae,focal,gce&score_losses=gce,cross_entropy"),
    "mnist": ("mnist", "dataset=fashion&n_train=1000&noise_kind=pairs&loss=label_smoothing&loss.eps=0.2"
                       "&optimizer=sgd&lr=0.03&batch_size=64&model=cnn"),
}
NAMES = {"en": "English", "zh": "中文"}


@pytest.fixture(scope="module")
def app():
    with streamlit_server() as (base, _proc):
        yield base


def run(coro, timeout: float = 180):
    return run_scenario(coro, timeout)


def settings(s: StreamlitSession) -> dict[str, str]:
    return {k: v for k, v in urllib.parse.parse_qsl(s.query) if k != "lang"}


def held(s: StreamlitSession) -> dict[str, tuple]:
    """What the browser holds for each widget: what it shows and would send with a click."""
    return {wid: (field, tuple(v) if isinstance(v, list) else v) for wid, (field, v) in s.states.items()}


def translated(s: StreamlitSession, lang: str) -> list[str]:
    return sorted(wid.rsplit("-", 1)[-1] for wid in s.states if wid.endswith("@" + lang))


async def switch_then_click(s: StreamlitSession, lang: str) -> None:
    """Switch language; the switch's run never reaches the browser; click twice (two plain reruns
    carrying every widget state the browser holds, as any click sends them)."""
    await s.choose("_lang_widget", NAMES[lang], seen=False)
    await s.rerun()
    await s.rerun()


async def round_trip(base: str, page: str, query: str) -> dict:
    async with StreamlitSession(base, page, query, keep_widget_states=True) as s:
        await s.open_page()
        wanted, shown = settings(s), {"en": held(s)}
        await s.choose("_lang_widget", NAMES["zh"])  # a switch whose run the browser sees
        shown["zh"] = held(s)
        found = {"en": translated(s, "en") or None, "zh": translated(s, "zh")}
        after = {}
        for lang in ("en", "zh", "en"):
            await switch_then_click(s, lang)
            after[lang] = (settings(s), held(s))
        return {"wanted": wanted, "shown": shown, "after": after, "found": found, "errors": list(s.errors)}


@pytest.mark.parametrize("name", list(LINKS))
def test_a_click_that_misses_the_switch_keeps_every_setting(app, name):
    if name == "mnist":
        need_data((FASHION_DIR / "train-images-idx3-ubyte.gz").exists(), f"Fashion-MNIST not found in {FASHION_DIR}")
    page, query = LINKS[name]
    got = run(round_trip(app, page, query))
    assert not got["errors"], got["errors"]
    assert got["found"]["zh"], "no translated widget on the page: the scenario would test nothing"
    # A widget kept across languages (one id) must show the same text in both: else its labels are
    # translated and Streamlit would match one language's label against the other's.
    en, zh = got["shown"]["en"], got["shown"]["zh"]
    relabelled = {wid.rsplit("-", 1)[-1]: (v, zh[wid]) for wid, v in en.items()
                  if wid in zh and zh[wid] != v and not wid.endswith("-_lang_widget")}
    assert not relabelled, f"translated labels on a widget shared by both languages: {relabelled}"
    for lang, (url, states) in got["after"].items():
        assert url == got["wanted"], f"settings changed after switching to {lang}"
        lost = {wid.rsplit("-", 1)[-1]: (got["shown"][lang].get(wid), now) for wid, now in states.items()
                if got["shown"][lang].get(wid) != now}
        assert not lost, f"after switching to {lang}, the browser shows (before, now): {lost}"


async def stray_labels(base: str) -> dict:
    """The other language's labels sent under this language's widgets (a label Streamlit cannot match)."""
    page, query = LINKS["2d"]
    async with StreamlitSession(base, page, query, keep_widget_states=True) as s:
        await s.open_page()
        wanted = settings(s)
        for key, label in (("w2d.batch_size@en", ["w.full_batch"]), ("w2d.speed@en", ["speed.fast"]),
                           ("w2d.dataset@en", "data.circles.name"), ("w2d.noise_kind@en", "noise.symmetric")):
            wid = s.widget_id(key)
            zh = [STRINGS[k]["zh"] for k in label] if isinstance(label, list) else STRINGS[label]["zh"]
            s.states[wid] = (s.states[wid][0], zh)
        await s.rerun()
        await s.rerun()
        return {"wanted": wanted, "got": settings(s), "errors": list(s.errors)}


def test_a_label_of_the_other_language_never_resets_a_widget(app):
    got = run(stray_labels(app))
    assert not got["errors"], got["errors"]
    assert got["got"] == got["wanted"]
