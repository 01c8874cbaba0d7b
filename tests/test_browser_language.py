"""Language is a view: in a real Chromium, switch to 中文 mid-experiment, also
while playing, press Step / Play, switch back: no exception, the run goes on (its step counter
never goes back) and the settings in the address bar stay exactly as they were.

Streamlit's selectbox, radio and select_slider keep the *displayed* option text in the browser,
so this can only be seen in a browser; AppTest formats options itself.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import pytest

from core.runs.compare import CompareConfig
from core.i18n import STRINGS
from tests.support import key_button, need_data, read_counter_step

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
TITLES = {kind: (STRINGS[key]["en"], STRINGS[key]["zh"])
          for kind, key in (("2d", "p2d.title"), ("compare", "cmp.title"), ("mnist", "mn.title"))}
COUNTERS = {"2d": "epoch-counter", "compare": "compare-counter", "mnist": "mnist-counter"}
STATES = {"2d": "p2d", "compare": "cmp", "mnist": "mn"}
PATHS = {"2d": "playground_2d", "compare": "compare", "mnist": "mnist"}
QUERIES = {
    "2d": "?dataset=circles&loss=gce&loss.q=0.5&noise_kind=symmetric&noise_rate=0.1&batch_size=5000"
          "&optimizer=sgd&lr=0.3&activation=tanh&speed=fast",
    "compare": "?kind=2d&dataset=xor&noise_kind=symmetric&noise_rate=0.2&speed=fast&r2.loss=brier"
               "&r2.optimizer=sgd&r2.lr=0.1&r1.activation=tanh",
    "mnist": "?dataset=fashion&n_train=1000&noise_kind=pairs&loss=label_smoothing&loss.eps=0.2&optimizer=sgd"
             "&lr=0.03&batch_size=64",
}
# Watches the counter's data-step on every animation frame and counts decreases (a reset).
WATCH_JS = """
(id) => {
  window.__watch = {last: null, decreases: 0};
  const tick = () => {
    const e = document.getElementById(id);
    if (e) { const s = +e.dataset.step, w = window.__watch;
             if (w.last !== null && s < w.last) w.decreases++; w.last = s; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""
# Streamlit's own marker of a finished script run (not only "no stale elements yet").
IDLE_JS = ("() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
           " === 'notRunning' && document.querySelectorAll('[data-stale=\"true\"]').length === 0")
RUN_DONE_JS = ("(id) => !!document.getElementById(id)"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")


def settings_in_url(page) -> dict:
    return {k: v for k, v in parse_qsl(urlparse(page.url).query) if k != "lang"}


def assert_no_exception(page) -> None:
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, f"Streamlit exception on the page: {exc.first.inner_text()[:2000]}"


# A sidebar selectbox whose shown value differs between the languages: once it shows the new
# language, the browser holds the relabelled widgets (what a person sees before clicking on).
SHOWS_JS = """(t) => [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"]')]
  .some(e => e.textContent.includes(t) || [...e.querySelectorAll('input')].some(i => (i.value || '').includes(t)))"""
RELABELLED = {"2d": "data.circles.name", "compare": "data.xor.name", "mnist": "loss.label_smoothing.name"}


def switch_language(page, name: str, kind: str, lang: str, relabelled: str | None = None) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text(name, exact=True).click()
    title = TITLES[kind][0 if lang == "en" else 1]
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=WAIT_MS)
    if relabelled is not None:  # a selectbox showing this i18n key's text, in the new language
        page.wait_for_function(SHOWS_JS, arg=STRINGS[relabelled][lang], timeout=WAIT_MS)


def step_above(page, kind: str, n: int) -> int:
    counter = COUNTERS[kind]
    page.wait_for_function(f"(n) => {{ const e = document.getElementById('{counter}');"
                           f" return !!e && +e.dataset.step > n; }}", arg=n, timeout=WAIT_MS)
    return read_counter_step(page, counter)


def experiment(page, base: str, kind: str) -> None:
    counter, state = COUNTERS[kind], STATES[kind]
    page.goto(f"{base}/{PATHS[kind]}{QUERIES[kind]}")
    page.wait_for_selector(f"#{counter}", timeout=LOAD_MS)
    page.wait_for_function(RUN_DONE_JS, arg=counter, timeout=WAIT_MS)
    assert_no_exception(page)
    wanted = settings_in_url(page)
    asked = dict(parse_qsl(QUERIES[kind][1:]))
    if kind == "compare":  # the page writes the same runs in their canonical form (base = run 1)
        asked = CompareConfig.from_query(asked)[0].to_query()
    assert {k: wanted.get(k) for k in asked} == asked  # the link was taken as it is

    # Step once in English, then play and switch to Chinese while playing.
    key_button(page, f"{state}.step_button").click()
    s1 = step_above(page, kind, 0)
    page.evaluate(WATCH_JS, counter)
    key_button(page, f"{state}.play_button").click()
    s2 = step_above(page, kind, s1)
    switch_language(page, "中文", kind, "zh")
    s3 = step_above(page, kind, s2)  # still playing, in Chinese, same run
    assert_no_exception(page)
    assert settings_in_url(page) == wanted

    # Pause, Step, switch back, Step again: same settings, the run never restarted.
    key_button(page, f"{state}.play_button").click()
    page.wait_for_function(RUN_DONE_JS, arg=counter, timeout=WAIT_MS)
    s4 = read_counter_step(page, counter)
    key_button(page, f"{state}.step_button").click()
    s5 = step_above(page, kind, s4)
    switch_language(page, "English", kind, "en")
    key_button(page, f"{state}.step_button").click()  # at once: the sidebar may still show 中文
    step_above(page, kind, s5)
    assert_no_exception(page)
    assert settings_in_url(page) == wanted
    assert s5 > s4 >= s3 > s2 > s1
    watch = page.evaluate("window.__watch")
    assert watch["decreases"] == 0, f"the step counter went back (a reset): {watch}"


def test_a_click_during_the_language_switch_keeps_every_setting(server, page):
    """The race a class hits: Step pressed while the language switch's run is still drawing. Streamlit
    drops that run's unsent output, so the browser may draw the new language's widgets without their
    values; they must not fall back to their first option (tests/test_language_race.py, every time)."""
    page.goto(f"{server[0]}/{PATHS['2d']}{QUERIES['2d']}")
    page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
    page.wait_for_function(RUN_DONE_JS, arg="epoch-counter", timeout=WAIT_MS)
    wanted = settings_in_url(page)
    step = 0
    for name, lang in (("中文", "zh"), ("English", "en"), ("中文", "zh"), ("English", "en")):
        page.locator('[data-testid="stSidebar"]').get_by_text(name, exact=True).click()
        key_button(page, "p2d.step_button").click()  # no wait: right into the switch's run
        for _ in range(3):  # a click made mid-switch may be dropped: press again once idle, as a person would
            page.wait_for_function(IDLE_JS, timeout=WAIT_MS)
            if read_counter_step(page, "epoch-counter") > step:
                break
            key_button(page, "p2d.step_button").click()
        step = step_above(page, "2d", step)
        page.wait_for_function(RUN_DONE_JS, arg="epoch-counter", timeout=WAIT_MS)
        page.wait_for_function(SHOWS_JS, arg=STRINGS[RELABELLED["2d"]][lang], timeout=WAIT_MS)
        assert_no_exception(page)
        assert settings_in_url(page) == wanted, f"after switching to {lang}"


def test_2d_switch_language_mid_experiment(server, page):
    experiment(page, server[0], "2d")


def test_compare_switch_language_mid_experiment(server, page):
    experiment(page, server[0], "compare")


def test_mnist_switch_language_mid_experiment(server, page):
    need_data((FASHION_DIR / "train-images-idx3-ubyte.gz").exists(),
              f"Fashion-MNIST not found in {FASHION_DIR} (apt-get install dataset-fashion-mnist)")
    experiment(page, server[0], "mnist")
