"""Every lesson on a 1280×720 projector (tests/lesson_screens.py): the first seven lessons of the path,
each in one language in make test (alternating); both languages under make test-screens."""
from __future__ import annotations

import pytest

from core.presets import LESSON_PATH
from tests.lesson_screens import check_lesson

pytestmark = pytest.mark.browser
KEYS = LESSON_PATH[:7]
CASES = [pytest.param(k, lang, marks=() if (i % 2 == 0) == (lang == "en") else pytest.mark.exhaustive)
         for i, k in enumerate(KEYS) for lang in ("en", "zh")]


@pytest.mark.parametrize("key, lang", CASES)
def test_lesson_fits_the_projector_and_shows_its_promise(server_with_data, new_page, key, lang):
    check_lesson(new_page, server_with_data, key, lang)
