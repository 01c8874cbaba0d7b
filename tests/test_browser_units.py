"""Each hidden unit's output over the plane (2D page) in a real headless Chromium: built only when the
section is opened, one thumbnail per unit, drawn at a non-zero size. Readiness is an on-page marker."""
from __future__ import annotations

import pytest

from core.i18n import STRINGS
from tests.support import IDLE_2D_JS as IDLE_JS, open_section

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
# every thumbnail decoded and laid out (a data: PNG that failed to decode has naturalWidth 0)
DRAWN_JS = """() => { const imgs = [...document.querySelectorAll('#unit-maps img.unit-map')];
  return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0); }"""
SIZES_JS = """() => [...document.querySelectorAll('#unit-maps img.unit-map')].map(i => {
  const r = i.getBoundingClientRect(); return [i.naturalWidth, i.naturalHeight, r.width, r.height]; })"""


def test_unit_maps_are_drawn_when_the_section_opens(page, server):
    page.goto(f"{server[0]}/playground_2d?model=mlp&depth=3&width=6&activation=tanh")
    page.wait_for_function(IDLE_JS, timeout=LOAD_MS)
    assert page.locator("#unit-maps").count() == 0  # closed: not built
    open_section(page, STRINGS["um.section"]["en"], "unit-maps", DRAWN_JS, WAIT_MS)
    data = page.evaluate("() => document.getElementById('unit-maps').dataset")
    assert data["layers"] == "2" and data["units"] == "6,6"
    sizes = page.evaluate(SIZES_JS)
    assert len(sizes) == 12
    assert all(nw == nh == int(data["resolution"]) and w > 0 and h > 0 for nw, nh, w, h in sizes), sizes
    assert page.locator('[data-testid="stException"]').count() == 0
