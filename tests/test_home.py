"""The landing page as a path of lessons (AppTest), and the pictures it shows (assets/)."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from PIL import Image
from streamlit.testing.v1 import AppTest

from core.i18n import translate
from core.lessons.presets import LESSON_PATH, PRESETS, image_dataset, preset
from ui import data_presence
from ui.home import ASSETS, thumbnail

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
THUMB_LIMIT = 60 * 1024
LIVE_VIEW = ROOT / "assets" / "live_view.gif"


def open_home(monkeypatch, present: bool = True, lang: str = "en") -> tuple[AppTest, list[str]]:
    """The landing page with the MNIST-family data present or not; also the paths st.image was given."""
    monkeypatch.setattr(data_presence, "image_data_present", lambda name: present)
    shown: list[str] = []
    real_image = streamlit.image

    def spy(image, *args, **kwargs):
        shown.append(str(image))
        return real_image(image, *args, **kwargs)

    monkeypatch.setattr(streamlit, "image", spy)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at, shown


def card(at: AppTest, key: str):
    blocks = [b for b in at.main.get("flex_container") if getattr(b, "key", None) == f"lesson-card-{key}"]
    assert len(blocks) == 1, key
    return blocks[0]


def card_texts(block) -> list[str]:
    return [m.value for m in block.get("markdown")] + [c.value for c in block.get("caption")]


# ---- the path ------------------------------------------------------------------------------------


def test_path_holds_every_lesson_once_simplest_first():
    assert sorted(LESSON_PATH) == sorted(p.key for p in PRESETS)
    assert LESSON_PATH[0] == "logistic_line"
    assert LESSON_PATH[-1] == "smoothing_calibration"  # the only one that needs downloaded data


def test_image_dataset_only_for_mnist_lessons():
    assert image_dataset(preset("smoothing_calibration")) == "mnist"
    assert [k for k in LESSON_PATH if image_dataset(preset(k)) is not None] == ["smoothing_calibration"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_landing_page_shows_the_path_in_order(monkeypatch, lang):
    at, shown = open_home(monkeypatch, present=True, lang=lang)
    # the buttons, in the order they are drawn, open the lessons in path order
    assert [b.key for b in at.main.button if b.key.startswith("preset.")] == [f"preset.{k}" for k in LESSON_PATH]
    # each card its own picture, in order; in 中文 the one taken in 中文 (its legends are the page's)
    expected = [ASSETS / (f"lesson_{k}.{lang}.png" if lang != "en" else f"lesson_{k}.png") for k in LESSON_PATH]
    assert shown == [str(p) for p in expected] and all(p.is_file() for p in expected)
    for number, key in enumerate(LESSON_PATH, start=1):
        block = card(at, key)
        assert len(block.get("image")) == 1, key
        texts = card_texts(block)
        p = preset(key)
        badges = texts[0]
        assert f":gray-badge[{translate('home.path.step', lang, n=number)}]" in badges
        assert (translate("home.path.start", lang) in badges) == (number == 1), key
        assert f"{translate(f'nav.{p.page}', lang)}]" in badges, (key, badges)
        assert (translate("home.path.needs_data", lang, name="MNIST") in badges) == (key == "smoothing_calibration")
        assert f"**{translate(f'preset.{key}.title', lang)}**" in texts
        assert translate(f"preset.{key}.text", lang) in texts
        assert [b.label for b in block.get("button")] == [translate("home.open_preset", lang)]


def test_missing_data_is_said_before_the_lesson_opens(monkeypatch):
    note = f":material/folder_open: {translate('home.path.data_missing', 'en', name='MNIST')}"
    at, _ = open_home(monkeypatch, present=False)
    assert note in card_texts(card(at, "smoothing_calibration"))
    assert all(note not in card_texts(card(at, k)) for k in LESSON_PATH if k != "smoothing_calibration")
    at, _ = open_home(monkeypatch, present=True)
    assert note not in card_texts(card(at, "smoothing_calibration"))


def test_a_lesson_without_its_data_still_opens(monkeypatch):
    at, _ = open_home(monkeypatch, present=False)
    at.button(key="preset.smoothing_calibration").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lesson"]["key"] == "smoothing_calibration"


# ---- the pictures --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", LESSON_PATH)
def test_every_lesson_has_a_small_thumbnail(key):
    path = thumbnail(key)
    assert path.is_file(), f"{path} missing: run `make assets`"
    assert path.stat().st_size < THUMB_LIMIT, path.stat().st_size
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size == (320, 220)
        colours = im.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 8, "a blank picture"


def test_readme_opens_with_the_live_view():
    assert LIVE_VIEW.is_file() and LIVE_VIEW.stat().st_size < 600 * 1024
    with Image.open(LIVE_VIEW) as im:
        assert im.format == "GIF" and im.n_frames > 5 and im.width >= 480
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    picture = next(line for line in lines[1:] if line.strip())  # the first thing under the title
    assert picture.startswith("![") and picture.endswith("(assets/live_view.gif)")
