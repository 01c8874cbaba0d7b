"""Regenerate the pictures in assets/ from the real app.

    make assets                                  # every lesson thumbnail + the README's live view
    .venv/bin/python tools/make_assets.py relu_pieces live_view    # only these

It starts `streamlit run app.py` headless on a free loopback port, opens each lesson from the landing
page (its card's button) in Debian's Chromium (/usr/bin/chromium, Playwright), presses Play, waits
until the page's step counter passes the lesson's step count (or the run diverges; every wait is
bounded), pauses, and screenshots the lesson's picture into assets/lesson_<key>.png (320 px wide,
palette PNG), and in 中文 into assets/lesson_<key>.zh.png. assets/live_view.gif is the 2D page's live view (step counter, boundary, curves)
captured while it trains, for the README.

The MNIST lesson needs MNIST files where the app looks for them (./data, PLAYGROUND_EXTRA_DATA_DIRS);
../shared/data/mnist is added when present. Without them that thumbnail is kept as it is.
Rerun after a change to a lesson, to the drawing of boundaries or curves, or to the page layout.
"""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from core.i18n import LANGUAGES, STRINGS  # noqa: E402
from core.lessons.presets import LESSON_PATH, image_dataset, preset  # noqa: E402
from tests.support import chromium, streamlit_server  # noqa: E402
from ui.data_presence import image_data_present  # noqa: E402

ASSETS = ROOT / "assets"
THUMB_SIZE = (320, 220)  # every card's picture the same size: the landing page's rows line up
LIVE_WIDTH = 640
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist"

STATES = {"2d": ("p2d", "epoch-counter"), "compare": ("cmp", "compare-counter"), "mnist": ("mn", "mnist-counter"),
          "regression": ("reg", "reg-counter")}
# Steps to train before the picture: where each lesson's effect is plain to see.
TARGET_STEPS = {"logistic_line": 900, "relu_pieces": 900, "hidden_space": 600, "mse_vs_ce": 1200, "exp_vs_logistic": 900,
                "exp_pull": 900, "lr_too_high": 50, "l2_vs_adamw": 2000, "noise_ce_vs_gce": 4500,
                "smoothing_calibration": 600, "reg_outliers": 1500, "reg_quantile": 1500, "reg_zero": 20,
                "feature_circle": 900, "l1_sparsity": 900}
# The picture: the page's boundary image(s); the loss curve where the lesson is about the curve.
PICTURES = {"lr_too_high": ("#loss-live",)}
# Pictures inside an expander: (its title's i18n key, the picture's selector inside it).
EXPANDED = {"smoothing_calibration": ("cmp.calibration", '[data-testid="stColumn"]'),
            "hidden_space": ("hs.section", '[data-testid="stVegaLiteChart"]')}
BESIDE = {"hidden_space": ("#boundary-live",)}  # page pictures left of the expanded one (taken before it opens)
DEFAULT_PICTURES = {"2d": ("#boundary-live",), "compare": ("#compare-boundary-1", "#compare-boundary-2"),
                    "mnist": ("#mn-loss-live", "#mn-acc-live"), "regression": ("#reg-fit",)}
# Clicks after training, before the picture: (the expander's title key, the button's widget key).
SOLVE = {"reg_zero": ("reg.zero_section", "reg.solve")}

LOAD_MS = 120_000
TRAIN_S = 240
STEP_ABOVE_JS = "([id, n]) => { const e = document.getElementById(id); return !!e && +e.dataset.step > n; }"
ERROR_SHOWN = "!!document.querySelector('[data-testid=\"stAlertContentError\"]')"  # e.g. diverged
DIVERGED_JS = f"() => {ERROR_SHOWN}"
TRAINED_JS = f"([id, n]) => {{ const e = document.getElementById(id); return (!!e && +e.dataset.step > n) || {ERROR_SHOWN}; }}"
# Every Vega chart inside the element has drawn its canvas.
CHARTS_DRAWN_JS = ("(el) => { const c = el.querySelectorAll('.vega-embed svg.marks, .vega-embed canvas');"
                   " return c.length > 0 && Array.from(c).every(x => x.getBoundingClientRect().width > 0); }")
RUN_DONE_JS = ("(id) => !!document.getElementById(id)"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")


def open_from_home(page, base: str, key: str, lang: str = "en") -> None:
    """Open the lesson as a student does (its card's button): its page as the student sees it."""
    page.goto(f"{base}/?lang={lang}")
    card = page.locator(f".st-key-lesson-card-{key}")
    button = card.get_by_role("button", name=STRINGS["home.open_preset"][lang], exact=True)
    button.wait_for(timeout=LOAD_MS)
    button.click()
    page.wait_for_selector(f"#{STATES[preset(key).page][1]}", timeout=LOAD_MS)


def wait_trained(page, counter: str, steps: int) -> None:
    """Until the counter passes `steps` or the run diverged (it pauses itself then)."""
    page.wait_for_function(TRAINED_JS, arg=[counter, steps], timeout=TRAIN_S * 1000)


def open_and_train(page, base: str, key: str, lang: str) -> None:
    p = preset(key)
    state, counter = STATES[p.page]
    open_from_home(page, base, key, lang)
    page.wait_for_function(RUN_DONE_JS, arg=counter, timeout=LOAD_MS)
    play = page.locator(f".st-key-{state}-play_button button:visible").first
    play.click()
    wait_trained(page, counter, TARGET_STEPS[key])
    if not page.evaluate(DIVERGED_JS):
        play.click()  # pause: the picture holds still for the screenshot
    page.wait_for_function(RUN_DONE_JS, arg=counter, timeout=LOAD_MS)


def shot(page, selector: str) -> Image.Image:
    return Image.open(io.BytesIO(page.locator(selector).first.screenshot())).convert("RGB")


def side_by_side(images: list[Image.Image], gap: int = 8) -> Image.Image:
    height = max(im.height for im in images)
    out = Image.new("RGB", (sum(im.width for im in images) + gap * (len(images) - 1), height), "white")
    x = 0
    for im in images:
        out.paste(im, (x, (height - im.height) // 2))
        x += im.width + gap
    return out


def thumbnail(picture: Image.Image) -> Image.Image:
    """Fitted into THUMB_SIZE, centred on white."""
    scale = min(THUMB_SIZE[0] / picture.width, THUMB_SIZE[1] / picture.height)
    small = picture.resize((round(picture.width * scale), round(picture.height * scale)), Image.LANCZOS)
    out = Image.new("RGB", THUMB_SIZE, "white")
    out.paste(small, ((THUMB_SIZE[0] - small.width) // 2, (THUMB_SIZE[1] - small.height) // 2))
    return out


def save_png(im: Image.Image, path: Path) -> None:
    im.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KB)")


def thumbnail_path(key: str, lang: str) -> Path:
    """assets/lesson_<key>.png in English, lesson_<key>.<lang>.png in another language (ui/home.py reads both)."""
    return ASSETS / (f"lesson_{key}.png" if lang == "en" else f"lesson_{key}.{lang}.png")


def make_lesson(page, base: str, key: str, lang: str) -> None:
    p = preset(key)
    data = image_dataset(p)
    if data is not None and not image_data_present(data):
        print(f"skipped lesson_{key}.png: no {data} data here (see the docstring)")
        return
    open_and_train(page, base, key, lang)
    if key in SOLVE:
        title_key, button_key = SOLVE[key]
        button = page.locator(f".st-key-{button_key.replace('.', '-')} button:visible")
        if button.count() == 0:  # the section is closed: open it (it builds the button)
            page.locator('[data-testid="stExpander"] summary', has_text=STRINGS[title_key][lang]).click()
        button.first.click()
        page.wait_for_selector('[data-testid="stAlertContentSuccess"]', timeout=LOAD_MS)
        page.wait_for_function(RUN_DONE_JS, arg=STATES[preset(key).page][1], timeout=LOAD_MS)
    if key in EXPANDED:
        beside = [shot(page, s) for s in BESIDE.get(key, ())]
        picture = side_by_side(beside + [expanded_shot(page, *EXPANDED[key], lang)])
    else:
        picture = side_by_side([shot(page, s) for s in PICTURES.get(key, DEFAULT_PICTURES[p.page])])
    save_png(thumbnail(picture), thumbnail_path(key, lang))


def expanded_shot(page, title_key: str, selector: str, lang: str) -> Image.Image:
    """Open the expander (unless open); every `selector` inside it, side by side, once its charts are drawn."""
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=STRINGS[title_key][lang]).first
    if expander.locator("details").get_attribute("open") is None:
        expander.locator("summary").click()
    parts = expander.locator(selector)
    parts.first.wait_for(state="visible", timeout=LOAD_MS)
    page.wait_for_function(CHARTS_DRAWN_JS, arg=expander.element_handle(), timeout=LOAD_MS)
    parts.first.scroll_into_view_if_needed()
    return side_by_side([Image.open(io.BytesIO(parts.nth(i).screenshot())).convert("RGB")
                         for i in range(parts.count())])


def make_live_view(page, base: str, frames: int = 14, every: int = 25) -> None:
    """An animated GIF of the 2D page's live view while the ReLU lesson trains (at its watchable speed)."""
    open_from_home(page, base, "relu_pieces")
    page.wait_for_function(RUN_DONE_JS, arg="epoch-counter", timeout=LOAD_MS)
    boxes = [page.locator(s).first.bounding_box() for s in ("#epoch-counter", "#boundary-live", "#acc-live")]
    left, top = min(b["x"] for b in boxes) - 8, min(b["y"] for b in boxes) - 8
    right = max(b["x"] + b["width"] for b in boxes) + 8
    bottom = max(b["y"] + b["height"] for b in boxes) + 8
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    page.locator(".st-key-p2d-play_button button:visible").first.click()
    images = []
    for i in range(frames):
        page.wait_for_function(STEP_ABOVE_JS, arg=["epoch-counter", i * every], timeout=LOAD_MS)
        frame = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
        scale = LIVE_WIDTH / frame.width
        images.append(frame.resize((LIVE_WIDTH, round(frame.height * scale)), Image.LANCZOS))
    page.locator(".st-key-p2d-play_button button:visible").first.click()
    palette = images[-1].quantize(colors=128, method=Image.Quantize.MEDIANCUT)  # one palette: no flicker
    gif = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    path = ASSETS / "live_view.gif"
    gif[0].save(path, save_all=True, append_images=gif[1:], duration=[350] * (frames - 1) + [2000],
                loop=0, optimize=True)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KB)")


def main(wanted: list[str]) -> None:
    wanted = wanted or [*LESSON_PATH, "live_view"]
    unknown = set(wanted) - {*LESSON_PATH, "live_view"}
    if unknown:
        raise SystemExit(f"unknown: {sorted(unknown)}; choose from {[*LESSON_PATH, 'live_view']}")
    env = {}
    if not os.environ.get("PLAYGROUND_EXTRA_DATA_DIRS") and SHARED_MNIST.is_dir():
        env["PLAYGROUND_EXTRA_DATA_DIRS"] = str(SHARED_MNIST)
        os.environ.update(env)  # image_data_present() here sees what the server sees
    ASSETS.mkdir(exist_ok=True)
    with streamlit_server(timeout=LOAD_MS / 1000, env=env) as (base, _), chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="en-US")  # all in view
        try:
            for key in wanted:
                for lang in ("en",) if key == "live_view" else LANGUAGES:  # a thumbnail's text in its reader's language
                    page = context.new_page()  # one session per picture: nothing carries over
                    page.set_default_timeout(LOAD_MS)
                    if key == "live_view":
                        make_live_view(page, base)
                    else:
                        make_lesson(page, base, key, lang)
                    page.close()
        finally:
            context.close()


if __name__ == "__main__":
    main(sys.argv[1:])
