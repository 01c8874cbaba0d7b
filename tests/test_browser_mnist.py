"""The MNIST page in a real headless Chromium against `streamlit run app.py`.

The session server in conftest.py knows nothing of the shared MNIST files, so this module starts
its own servers: one reading the official MNIST test split from /work/shared
(PLAYGROUND_EXTRA_DATA_DIRS), one with an empty data folder and nothing else (the "files missing"
path). Readiness is always an on-page marker, never a fixed sleep. Nothing here needs the
internet: the download click is only made when the mirror refuses at once (network closed).
"""
from __future__ import annotations

import socket
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the session fixtures skip these tests (or fail them under REQUIRE_BROWSER=1)
    expect = None

from core.i18n import STRINGS
from tests.support import (button_label, key_button, need_data, open_section, read_counter_step,
                           streamlit_server)

pytestmark = pytest.mark.browser

from tests.support import MNIST_DIR  # noqa: E402  (shared/data/mnist wherever the clone is)
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
ALL_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz") + TEST_FILES
MNIST_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"  # torchvision's first MNIST mirror
LOAD_MS = 90_000  # first page load on a busy 2-core machine (imports, data, first run)
WAIT_MS = 45_000

# #mnist-counter is replaced on every frame and missing for a moment during reruns: null-safe reads.
STEP_ABOVE_JS = ("(n) => { const e = document.querySelector('#mnist-counter');"
                 " return !!e && +e.dataset.step > n; }")
RUN_DONE_JS = ("() => !!document.querySelector('#mnist-counter')"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")
ACC_SRC_JS = "() => { const e = document.getElementById('mn-acc-live'); return e ? e.src : null; }"
ACC_CHANGED_JS = ("(old) => { const e = document.getElementById('mn-acc-live');"
                  " return !!e && e.complete && e.naturalWidth > 0 && e.src !== old; }")


@pytest.fixture(scope="module")
def mnist_server(browser_available, tmp_path_factory):
    need_data(all((MNIST_DIR / f).is_file() for f in TEST_FILES), f"MNIST test split not found in {MNIST_DIR}")
    empty = tmp_path_factory.mktemp("browser-data-root")
    env = {"PLAYGROUND_EXTRA_DATA_DIRS": str(MNIST_DIR), "PLAYGROUND_DATA_DIR": str(empty),
           "FASHION_MNIST_SYSTEM_DIR": str(empty / "no-fashion")}
    with streamlit_server(env=env) as (base, proc):
        yield base


@pytest.fixture(scope="module")
def empty_server(browser_available, tmp_path_factory):
    """A server that finds no data at all: empty data folder, no extra folders, no system copy."""
    root = tmp_path_factory.mktemp("browser-empty-root")
    env = {"PLAYGROUND_EXTRA_DATA_DIRS": "", "PLAYGROUND_DATA_DIR": str(root),
           "FASHION_MNIST_SYSTEM_DIR": str(root / "no-fashion")}
    with streamlit_server(env=env) as (base, proc):
        yield base, root


def read_step(page, timeout: float = 10.0) -> int:
    return read_counter_step(page, "mnist-counter", timeout)


def toggle(page):
    """The Play/Pause button, by its widget key."""
    return key_button(page, "mn.play_button")


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, \
        page.locator('[data-testid="stException"]').first.inner_text()


def mirror_refuses_quickly(url: str, within: float = 3.0) -> bool:
    """True when a connection to the mirror fails at once (network closed): a download click then
    fails fast. False when it connects (a real download would start) or hangs."""
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 443), timeout=within):
            return False
    except TimeoutError:  # no answer within `within`: a download would hang, not fail
        return False
    except OSError:  # refused, unreachable, no name resolution
        return True


def test_play_pause_and_confusion_tab(mnist_server, page):
    page.goto(f"{mnist_server}/mnist?n_train=2000")
    page.wait_for_function(RUN_DONE_JS, timeout=LOAD_MS)
    page.wait_for_function("() => { const e = document.getElementById('mn-acc-live');"
                           " return !!e && e.complete && e.naturalWidth > 0; }", timeout=WAIT_MS)
    no_exception(page)
    start = read_step(page)
    assert start == 0
    src0 = page.evaluate(ACC_SRC_JS)
    expect(button_label(toggle(page))).to_have_text("Play")

    toggle(page).click()
    page.wait_for_function(STEP_ABOVE_JS, arg=start, timeout=WAIT_MS)     # it trains
    page.wait_for_function(ACC_CHANGED_JS, arg=src0, timeout=WAIT_MS)     # the live curve is redrawn
    first = read_step(page)
    page.wait_for_function(STEP_ABOVE_JS, arg=first, timeout=WAIT_MS)     # and keeps training
    no_exception(page)
    expect(button_label(toggle(page))).to_have_text("Pause", timeout=10_000)

    toggle(page).click()
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    expect(button_label(toggle(page))).to_have_text("Play", timeout=10_000)
    paused = read_step(page)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        assert read_step(page) == paused, "the step counter moved after Pause"
        time.sleep(0.1)
    no_exception(page)

    page.get_by_role("tab", name="Confusion matrix").click()
    panel = page.locator('[role="tabpanel"]:visible')
    chart = panel.locator(".vega-embed canvas, .vega-embed svg").first
    expect(chart).to_be_visible(timeout=WAIT_MS)
    box = chart.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    no_exception(page)


def test_missing_data_and_offline_download(empty_server, page):
    base, root = empty_server
    folder = "MNIST/raw"  # relative to the data folder: no server path is shown
    page.goto(f"{base}/mnist?dataset=mnist")
    # Data not downloaded yet is normal on a new installation: information, not an error.
    info = page.locator('[data-testid="stAlertContentInfo"]').first
    expect(info).to_be_visible(timeout=LOAD_MS)
    text = info.inner_text()
    assert "MNIST is not on this server yet" in text, text
    assert folder in text, text
    for name in ALL_FILES:
        assert name in text, text
    download = page.get_by_role("button", name="Download MNIST now", exact=True)
    expect(download).to_be_visible()
    expect(page.get_by_text("$PLAYGROUND_DATA_DIR/MNIST/raw").first).to_be_visible()  # where the files go
    assert str(root) not in page.locator("section.main, [data-testid='stMain']").first.inner_text()
    assert page.locator("#mnist-counter").count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    no_exception(page)

    if not mirror_refuses_quickly(MNIST_MIRROR):
        pytest.skip("the MNIST mirror is reachable or slow to refuse here: not clicking Download "
                    "(this test must not depend on, or wait for, the internet)")
    download.click()
    failed = page.locator('[data-testid="stAlertContentError"]').filter(has_text="Could not download")
    expect(failed).to_be_visible(timeout=WAIT_MS)
    text = failed.inner_text()
    assert folder in text, text
    for name in ALL_FILES:
        assert name in text, text
    no_exception(page)


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_hidden_layer_space_section_is_drawn_when_opened(mnist_server, page, model):
    """Inside the model: the test images on the top two principal components of the MLP's
    hidden layer or the CNN's features, and of the raw pixels, built only when the reader opens the section."""
    page.goto(f"{mnist_server}/mnist?n_train=2000&lang=zh&model={model}")
    page.wait_for_function(RUN_DONE_JS, timeout=LOAD_MS)
    assert page.locator("#mnist-hidden").count() == 0
    open_section(page, STRINGS["mh.section"]["zh"], "mnist-hidden", RUN_DONE_JS, WAIT_MS)
    data = page.evaluate("() => document.getElementById('mnist-hidden').dataset")
    assert int(data["n"]) > 0 and 0 < float(data["hiddenShare"]) <= 1 and 0 < float(data["rawShare"]) <= 1
    assert data["layer"] == model
    box = page.locator('[data-testid="stExpander"]', has_text=STRINGS["mh.section"]["zh"])
    assert STRINGS[f"mh.layer_{model}"]["zh"] in box.inner_text()  # the caption names the layer shown
    box.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').nth(1).wait_for(
        timeout=WAIT_MS)  # both charts drawn
    assert page.locator('[data-testid="stException"]').count() == 0
