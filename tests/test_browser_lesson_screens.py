"""Every lesson on a 1280×720 projector (tests/lesson_screens.py walks it as a class does): opened from
Home, played, paused. make test opens each lesson in one language (alternating); make test-screens both."""
from __future__ import annotations

import pytest

from core.lessons.presets import LESSON_PATH
from tests.lesson_screens import walk_lesson

pytestmark = pytest.mark.browser
CASES = [pytest.param(k, lang, marks=() if (i % 2 == 0) == (lang == "en") else pytest.mark.exhaustive)
         for i, k in enumerate(LESSON_PATH) for lang in ("en", "zh")]


@pytest.mark.parametrize("key, lang", CASES)
def test_lesson_fits_the_projector_and_shows_its_promise(server_with_data, new_page, key, lang):
    walk = walk_lesson(new_page, server_with_data, key, lang)
    # picture, status line and Play on screen with the banner; no label cut; no English left in 中文
    assert walk.opened == [], walk.opened
    assert walk.paused == [], walk.paused
    if key == "lr_too_high":  # its promise: the run blows up, and the page says so
        assert walk.diverged_said
        return
    if key == "exp_pull":  # its picture: every training point as a disc of its own pull
        assert walk.pull_drawn
    assert walk.before is not None and walk.after is not None, walk
    if walk.direction == "up":
        assert walk.after > walk.before, walk
    elif walk.direction == "down":
        assert walk.after < walk.before, walk
    else:
        assert walk.after != walk.before, walk
