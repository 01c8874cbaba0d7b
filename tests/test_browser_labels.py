"""Compare run labels in a real Chromium: each run is named by what differs from the
others, in words of the page's language, and the names switch with the language."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from core.i18n import STRINGS

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
QUERY = {"kind": "2d", "runs": "2", "noise_kind": "none", "r1.loss": "brier", "r1.optimizer": "sgd", "r1.lr": "0.1",
         "r2.loss": "gce", "r2.loss.q": "0.7", "r2.optimizer": "adam", "r2.lr": "0.01"}
EN = ["■ Run 1 · Brier · SGD 0.1", "■ Run 2 · GCE q=0.7 · Adam 0.01"]
ZH = ["■ 实验 1 · Brier 分数 · SGD 0.1", "■ 实验 2 · 广义交叉熵 q=0.7 · Adam 0.01"]
# The run headings once the script run is over (no stale element), else null.
LABELS_JS = """() => {
  if (!document.querySelector('#compare-counter') || document.querySelectorAll('[data-stale="true"]').length) return null;
  return [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stHtml"]')]
    .map(e => e.innerText.trim()).filter(t => t.startsWith('■'));
}"""


def wait_labels(page, wanted: list[str], timeout: int) -> None:
    page.wait_for_function(f"(w) => {{ const l = ({LABELS_JS})(); return !!l && JSON.stringify(l) === JSON.stringify(w); }}",
                           arg=wanted, timeout=timeout)


def assert_no_exception(page) -> None:
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, f"Streamlit exception on the page: {exc.first.inner_text()[:2000]}"


def test_compare_labels_name_what_differs_in_english_and_chinese(server, page):
    base, _ = server
    page.goto(f"{base}/compare?{urlencode(QUERY)}")
    wait_labels(page, EN, LOAD_MS)
    assert_no_exception(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    page.get_by_role("heading", name=STRINGS["cmp.title"]["zh"], exact=True).first.wait_for(timeout=WAIT_MS)
    wait_labels(page, ZH, WAIT_MS)
    assert page.evaluate(LABELS_JS) == ZH
    assert "loss=" not in page.locator('[data-testid="stMain"]').inner_text()
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_labels(page, EN, WAIT_MS)
    assert_no_exception(page)
