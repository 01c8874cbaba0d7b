"""Every lesson as a class sees it on a 1280×720 projector (browser tests): opened from the landing page
in English or 中文, played and paused. On opening and after the pause its main picture, status line and
Play button are on screen with the banner shown; no label is cut; in 中文 no English is left outside
names (SGD, ReLU…); and the quantity its "watch for" names moves the promised way.

Readiness is each page's own marker (its step counter, no stale element), never a sleep.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core.i18n import STRINGS
from core.app.pages import page as page_info
from core.lessons.presets import preset
from tests.support import CUT_LABELS_JS, key_button

LOAD_MS = 90_000
WAIT_MS = 60_000
SCREEN = {"width": 1280, "height": 720}
COUNTERS = {"2d": "#epoch-counter", "regression": "#reg-counter", "compare": "#compare-counter"}
IDLE_JS = ("(sel) => { const a = document.querySelector('[data-testid=\"stApp\"]');"
           " return !!a && a.dataset.testScriptState === 'notRunning' && !!document.querySelector(sel)"
           " && document.querySelectorAll('[data-stale=\"true\"]').length === 0; }")
STEP_JS = "(sel) => { const e = document.querySelector(sel); return e ? +e.dataset.step : -1; }"
STEP_ABOVE_JS = "([sel, n]) => { const e = document.querySelector(sel); return !!e && +e.dataset.step > n; }"
BOX_JS = """(sel) => { const e = document.querySelector(sel); if (!e) return null;
  const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"""
# The text a person sees (not KaTeX's maths, not an icon's ligature name, not text drawn at size 0
# under a translation, not Streamlit's off-screen "skip to content" link).
SHOWN_TEXT_JS = r"""() => {
  const out = [];
  const walk = document.createTreeWalker(document.querySelector('[data-testid="stApp"]'), NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement, text = walk.currentNode.textContent.trim();
    if (!text || !el || el.offsetParent === null || el.closest('.katex, [aria-hidden="true"], a[href="#main"]')) continue;
    const style = getComputedStyle(el);
    if (parseFloat(style.fontSize) === 0 || style.fontFamily.includes('Material')) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    out.push(text);
  }
  return out;
}"""
# Names kept in every language: methods, data sets, file formats, functions.
NAMES = {"MNIST", "Fashion", "Fashion-MNIST", "English", "JSON", "CSV", "PNG", "PTH", "ECE", "MSE", "MAE", "RMSE",
         "Brier", "Adam", "AdamW", "SGD", "ReLU", "GCE", "tanh", "sigmoid", "logit", "softmax", "AdaBoost", "Huber",
         "sin", "cos", "exp", "log", "max", "min", "sign", "SVM", "MLP", "CNN", "Fisher", "NaN"}
DIVERGED = re.compile(r"^[^{]+")  # the divergence message's words before its first number
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")

# Each lesson's main picture (what its text points at) and the quantity its "watch for" names:
# (marker JS returning a number, "up" | "down" | "moves").
MAIN = {"2d": "#boundary-live", "regression": "#reg-fit", "compare": "#compare-boundary-1"}
MAIN_OF = {"mse_vs_ce": "#compare-curves", "smoothing_calibration": "#compare-wnorm-1"}
ATTR_JS = "([sel, a]) => { const e = document.querySelector(sel); return e && e.dataset[a] ? +e.dataset[a] : null; }"
WATCHED = {
    "logistic_line": (("#epoch-counter", "testAcc"), "up"),
    "relu_pieces": (("#epoch-counter", "testAcc"), "up"),
    "hidden_space": (("#epoch-counter", "testLoss"), "down"),
    "feature_circle": (("#epoch-counter", "testAcc"), "up"),
    "l1_sparsity": (("#epoch-counter", "testLoss"), "down"),
    "exp_pull": (("#epoch-counter", "step"), "up"),
    "lr_too_high": None,  # its promise is the divergence: the page says so (checked below)
    "mse_vs_ce": (("#compare-wnorm-2", "testCe"), "down"),  # run 2 trains on cross-entropy
    "exp_vs_logistic": (("#compare-wnorm-2", "testCe"), "down"),
    "l2_vs_adamw": (("#compare-wnorm-2", "wnorm"), "up"),  # AdamW's ‖w‖ grows
    "noise_ce_vs_gce": (("#compare-wnorm-1", "testCe"), "moves"),
    "reg_outliers": (("#reg-counter", "trainLoss"), "down"),
    "reg_quantile": (("#reg-counter", "trainLoss"), "down"),
    "reg_zero": (("#reg-counter", "trainLoss"), "down"),
    "smoothing_calibration": (("#compare-wnorm-1", "step"), "up"),
}


def open_from_home(page, base: str, key: str, lang: str) -> None:
    page.goto(f"{base}/?lang={lang}")
    title = page.get_by_text(STRINGS[f"preset.{key}.title"][lang], exact=True)
    title.wait_for(timeout=LOAD_MS)
    card = page.locator('[data-testid="stVerticalBlock"]').filter(has=title).last
    card.get_by_role("button", name=STRINGS["home.open_preset"][lang], exact=True).click()


def off_screen(page, selector: str) -> str | None:
    """Why the element is not wholly on the 1280×720 screen, or None when it is."""
    box = page.evaluate(BOX_JS, selector)
    if box is None:
        return f"{selector} is missing"
    inside = (box["top"] >= 0 and box["bottom"] <= SCREEN["height"] + 0.5
              and box["left"] >= 0 and box["right"] <= SCREEN["width"] + 0.5)
    return None if inside else f"{selector} at {box}"


def english_left(page) -> list[str]:
    found = []
    for text in page.evaluate(SHOWN_TEXT_JS):
        found += [w for w in ENGLISH_WORD.findall(text) if w not in NAMES and w.strip("-") not in NAMES]
    return sorted(set(found))


def screen_problems(page, key: str, lang: str, counter: str) -> list[str]:
    """What a class would miss on the screen now: a picture, the status line or Play off screen, the banner
    gone, a cut label, English in 中文. Empty when the screen is as the lesson needs it."""
    p = preset(key)
    problems = [off_screen(page, s) for s in (MAIN_OF.get(key, MAIN.get(p.page)), counter,
                                              f".st-key-{page_info(p.page).state}-play_button button")]
    if not page.locator(f'[class*="st-key-lesson-banner-{p.page}"]').is_visible():
        problems.append("the lesson's banner is not shown")
    problems += [f"cut: {b['text']}" for b in page.evaluate(CUT_LABELS_JS) if b["cut"]]
    if lang == "zh":
        problems += [f"English: {w}" for w in english_left(page)]
    return [x for x in problems if x]


def read_watched(page, key: str):
    spec = WATCHED[key]
    if spec is None:
        return None
    (selector, attr), _ = spec
    return page.evaluate(ATTR_JS, [selector, attr])


@dataclass
class LessonWalk:
    """What a class saw: the screen's problems on opening and after Play and Pause, the watched number
    before and after (and the way it is promised to move), the divergence message, the pull discs."""
    opened: list[str]
    paused: list[str]
    before: float | None = None
    after: float | None = None
    direction: str | None = None
    diverged_said: bool = False
    pull_drawn: bool = False


def walk_lesson(new_page, base: str, key: str, lang: str) -> LessonWalk:
    """Open the lesson from Home, read the screen, press Play, then Pause (a diverging lesson pauses
    itself), read the screen again."""
    page = new_page(viewport=SCREEN)
    p = preset(key)
    state = page_info(p.page).state
    counter = COUNTERS[p.page]
    open_from_home(page, base, key, lang)
    page.wait_for_url(re.compile(rf"/{page_info(p.page).url_path}\?"), timeout=LOAD_MS)
    page.wait_for_function(IDLE_JS, arg=counter, timeout=LOAD_MS)
    page.wait_for_selector(MAIN_OF.get(key, MAIN.get(p.page)), timeout=WAIT_MS)
    # opened from a card low on Home, the page goes to its top once the banner's element has loaded its script
    # (ui/lesson.py), which can come after the run has ended on a loaded machine
    page.wait_for_function("() => !!globalThis.__lessonScrolledFor", timeout=WAIT_MS)
    walk = LessonWalk(opened=screen_problems(page, key, lang, counter), paused=[])
    if WATCHED[key] is not None:  # the watched number is drawn (a run's numbers may come after the picture)
        page.wait_for_function(f"() => ({ATTR_JS})({list(WATCHED[key][0])!r}) !== null", timeout=WAIT_MS)
        walk.before, walk.direction = read_watched(page, key), WATCHED[key][1]
    start = page.evaluate(STEP_JS, counter)

    key_button(page, f"{state}.play_button").click()
    if key == "lr_too_high":  # it diverges within its first steps: the page says so, restores the weights, pauses
        alert = page.locator('[data-testid="stAlert"]').filter(has_text=DIVERGED.search(STRINGS["ctl.diverged"][lang])[0])
        alert.first.wait_for(timeout=WAIT_MS)
        walk.diverged_said = True
    else:
        page.wait_for_function(STEP_ABOVE_JS, arg=[counter, start + 60], timeout=WAIT_MS)
        key_button(page, f"{state}.play_button").click()  # pause
        page.wait_for_function(f"() => document.querySelector('.st-key-{state}-play_button button').innerText"
                               f".includes({STRINGS['ctl.play'][lang]!r})", timeout=WAIT_MS)
    page.wait_for_function(IDLE_JS, arg=counter, timeout=WAIT_MS)
    walk.paused = screen_problems(page, key, lang, counter)
    if key == "exp_pull":  # the pull view is on: the canvas draws the paused run's frame once its run has ended
        try:
            page.wait_for_function("() => { const c = document.getElementById('boundary-live');"
                                   " return !!(c && c.__frame && c.__frame.pull); }", timeout=WAIT_MS)
            walk.pull_drawn = True
        except PlaywrightTimeout:
            pass
    walk.after = read_watched(page, key)
    return walk
