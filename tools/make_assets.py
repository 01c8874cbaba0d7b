"""Regenerate the pictures in assets/ from the real app.

    make assets                                  # every lesson thumbnail + the README's live view
    .venv/bin/python tools/make_assets.py relu_pieces live_view    # only these

It starts `streamlit run app.py` headless on a free loopback port, opens each lesson's page with
the lesson's settings in Debian's Chromium (/usr/bin/chromium, Playwright), presses Play, waits
until the page's step counter passes the lesson's step count (or the run diverges; every wait is
bounded), pauses, and screenshots the lesson's picture into assets/lesson_<key>.png (320 px wide,
palette PNG). assets/live_view.gif is the 2D page's live view (step counter, boundary, curves)
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
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from core.i18n import STRINGS  # noqa: E402
from core.presets import LESSON_PATH, image_dataset, lesson_params, preset  # noqa: E402
from tests.support import chromium, streamlit_server  # noqa: E402
from ui.data_presence import image_data_present  # noqa: E402

ASSETS = ROOT / "assets"
THUMB_SIZE = (320, 220)  # every card's picture the same size: the landing page's rows line up
LIVE_WIDTH = 640
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist"

PAGE_URLS = {"2d": "playground_2d", "compare": "compare", "mnist": "mnist"}
STATES = {"2d": ("p2d", "epoch-counter"), "compare": ("cmp", "compare-counter"), "mnist": ("mn", "mnist-counter")}
# Steps to train before the picture: where each lesson's effect is plain to see.
TARGET_STEPS = {"logistic_line": 1500, "relu_pieces": 1500, "mse_vs_ce": 1500, "exp_vs_logistic": 1000,
                "lr_too_high": 50, "l2_vs_adamw": 2000, "noise_ce_vs_gce": 3000, "smoothing_calibration": 600}
# The picture: the page's boundary image(s); the loss curve where the lesson is about the curve.
PICTURES = {"lr_too_high": ("#loss-live",), "smoothing_calibration": ("#compare-curves",)}
# The comparison's metric to plot, where it is not the page's first (test accuracy).
METRICS = {"smoothing_calibration": "test_loss"}
DEFAULT_PICTURES = {"2d": ("#boundary-live",), "compare": ("#compare-boundary-1", "#compare-boundary-2"),
                    "mnist": ("#mn-loss-live", "#mn-acc-live")}

LOAD_MS = 120_000
TRAIN_S = 240
STEP_ABOVE_JS = "([id, n]) => { const e = document.getElementById(id); return !!e && +e.dataset.step > n; }"
DIVERGED_JS = "() => !!document.querySelector('[data-testid=\"stAlertContentError\"]')"
TRAINED_JS = ("([id, n]) => { const e = document.getElementById(id);"
              " return (!!e && +e.dataset.step > n) || !!document.querySelector('[data-testid=\"stAlertContentError\"]'); }")
RUN_DONE_JS = ("(id) => !!document.getElementById(id)"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")


def lesson_url(base: str, key: str) -> str:
    p = preset(key)
    params = lesson_params(p)
    if "speed" in params or params.get("kind", p.page) == "2d":
        params["speed"] = "fastest"  # same picture at a given step, sooner
    return f"{base}/{PAGE_URLS[p.page]}?{urlencode(params)}"


def wait_trained(page, counter: str, steps: int) -> None:
    """Until the counter passes `steps` or the run diverged (it pauses itself then)."""
    page.wait_for_function(TRAINED_JS, arg=[counter, steps], timeout=TRAIN_S * 1000)


def open_and_train(page, base: str, key: str) -> None:
    p = preset(key)
    state, counter = STATES[p.page]
    page.goto(lesson_url(base, key))
    page.wait_for_selector(f"#{counter}", timeout=LOAD_MS)
    page.wait_for_function(RUN_DONE_JS, arg=counter, timeout=LOAD_MS)
    if key in METRICS:
        radio = page.locator('[data-testid="stMain"] [data-testid="stRadio"]')
        radio.get_by_text(STRINGS[f"metric.{METRICS[key]}"]["en"], exact=True).click()
        page.wait_for_function(RUN_DONE_JS, arg=counter, timeout=LOAD_MS)
    play = page.locator(f".st-key-{state}-play_button button")
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


def make_lesson(page, base: str, key: str) -> None:
    p = preset(key)
    data = image_dataset(p)
    if data is not None and not image_data_present(data):
        print(f"skipped lesson_{key}.png: no {data} data here (see the docstring)")
        return
    open_and_train(page, base, key)
    selectors = PICTURES.get(key, DEFAULT_PICTURES.get(p.page, ()))
    save_png(thumbnail(side_by_side([shot(page, s) for s in selectors])), ASSETS / f"lesson_{key}.png")


def make_live_view(page, base: str, frames: int = 14, every: int = 25) -> None:
    """An animated GIF of the 2D page's live view while the ReLU lesson trains at a watchable speed."""
    page.goto(f"{base}/playground_2d?{urlencode(lesson_params(preset('relu_pieces')))}")
    page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
    page.wait_for_function(RUN_DONE_JS, arg="epoch-counter", timeout=LOAD_MS)
    boxes = [page.locator(s).first.bounding_box() for s in ("#epoch-counter", "#boundary-live", "#acc-live")]
    left, top = min(b["x"] for b in boxes) - 8, min(b["y"] for b in boxes) - 8
    right = max(b["x"] + b["width"] for b in boxes) + 8
    bottom = max(b["y"] + b["height"] for b in boxes) + 8
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    page.locator(".st-key-p2d-play_button button").click()
    images = []
    for i in range(frames):
        page.wait_for_function(STEP_ABOVE_JS, arg=["epoch-counter", i * every], timeout=LOAD_MS)
        frame = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
        scale = LIVE_WIDTH / frame.width
        images.append(frame.resize((LIVE_WIDTH, round(frame.height * scale)), Image.LANCZOS))
    page.locator(".st-key-p2d-play_button button").click()
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
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        try:
            for key in wanted:
                page = context.new_page()  # one session per picture: nothing carries over
                page.set_default_timeout(LOAD_MS)
                if key == "live_view":
                    make_live_view(page, base)
                else:
                    make_lesson(page, base, key)
                page.close()
        finally:
            context.close()


if __name__ == "__main__":
    main(sys.argv[1:])
