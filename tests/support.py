"""Start the real app and a headless system Chromium (used by browser tests and bench/)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_missing_reason() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(timeout: float = 90.0, env: dict | None = None):
    """Yield the base URL of `streamlit run app.py` on a free port, once /_stcore/health answers."""
    port = free_port()
    log = open(ROOT / f".streamlit-test-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; log: {log.name}")
            time.sleep(0.2)
        proc.pid_for_tests = proc.pid
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        with contextlib.suppress(OSError):
            os.remove(log.name)


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of a process (Linux /proc), to see whether it still trains."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# Counts how often the pixels of <img id=...> or <canvas id=...> change, sampled on every animation
# frame; "received": new images, or frames a live canvas drew (its data-frames, ui/live_canvas.js).
FRAME_COUNTER_JS = """
(id) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  window.__frames = {changes: 0, received: 0, last: null, lastSrc: null, start: performance.now()};
  const tick = () => {
    const img = document.getElementById(id);
    const f = window.__frames;
    const isCanvas = !!img && img.tagName === 'CANVAS';
    const mark = isCanvas ? +img.dataset.frames || 0 : img && img.src;
    if (img && (isCanvas ? mark > 0 : img.complete && img.naturalWidth > 0) && mark !== f.lastSrc) {
      f.received += isCanvas && f.lastSrc !== null && mark > f.lastSrc ? mark - f.lastSrc : 1;
      f.lastSrc = mark;
      ctx.drawImage(img, 0, 0, 64, 64);
      const px = ctx.getImageData(0, 0, 64, 64).data;
      let h = 0;
      for (let i = 0; i < px.length; i += 4) h = (h * 31 + px[i] + 7 * px[i + 1] + 13 * px[i + 2]) | 0;
      if (window.__frames.last !== null && h !== window.__frames.last) window.__frames.changes++;
      window.__frames.last = h;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""


def skip_or_fail(reason: str, require_env: str) -> None:
    """Skip with the reason; with require_env=1 (as in CI) fail instead, so CI cannot pass by skipping."""
    import pytest
    if os.environ.get(require_env) == "1":
        pytest.fail(f"{require_env}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


MNIST_TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def _shared_candidates() -> list[Path]:
    """Where the project's shared/ folder may be: $PLAYGROUND_SHARED_DIR, beside this clone or any
    folder above it (CI clones beside shared/), or beside the repository this one was cloned from
    (`git clone . /tmp/fresh` keeps its origin's path)."""
    out = [Path(p) for p in [os.environ.get("PLAYGROUND_SHARED_DIR")] if p]
    out += [parent / "shared" for parent in ROOT.parents]
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    if origin and "://" not in origin and Path(origin).is_dir():
        out += [parent / "shared" for parent in Path(origin).resolve().parents]
    return out


def find_mnist_dir() -> Path:
    """The official MNIST test split (shared/data/mnist) wherever this clone is; the first candidate
    when none has it (tests then skip, or fail with REQUIRE_DATA=1, naming it)."""
    candidates = [d / "data" / "mnist" for d in _shared_candidates()]
    for d in candidates:
        if all((d / f).is_file() for f in MNIST_TEST_FILES):
            return d
    return candidates[0]


MNIST_DIR = find_mnist_dir()
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


def have_mnist() -> bool:
    return all((MNIST_DIR / f).is_file() for f in MNIST_TEST_FILES)


def run_scenario(coro, timeout: float = 120):
    """An asyncio scenario (tools/st_client.py sessions) on its own event loop, in its own thread: the
    browser tests' Playwright (sync API) may have left an event loop running in this one, where
    asyncio.run() refuses to start. Bounded: a scenario that hangs fails after timeout + 30 s."""
    import asyncio
    import threading
    result: dict = {}

    def target():
        try:
            result["value"] = asyncio.run(asyncio.wait_for(coro, timeout))
        except BaseException as err:  # re-raised in the test's thread
            result["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout + 30)
    if thread.is_alive():
        raise TimeoutError(f"the scenario did not end within {timeout + 30} s")
    if "error" in result:
        raise result["error"]
    return result.get("value")


def need_data(ok: bool, reason: str) -> None:
    """Skip (or, with REQUIRE_DATA=1, fail) when the real data is not there."""
    if not ok:
        skip_or_fail(reason, "REQUIRE_DATA")


def counter_step_js(element_id: str) -> str:
    """JS reading the data-step of a page's counter element (null while it is being replaced)."""
    return f"() => {{ const e = document.querySelector('#{element_id}'); return e ? +e.dataset.step : null; }}"


def read_counter_step(page, element_id: str, timeout: float = 10.0) -> int:
    """The counter's step; polls over the short gaps while the element is being replaced."""
    deadline = time.monotonic() + timeout
    while True:
        s = page.evaluate(counter_step_js(element_id))
        if s is not None:
            return s
        if time.monotonic() > deadline:
            raise AssertionError(f"#{element_id} did not come back")
        time.sleep(0.05)


def layers(net):
    """[(W (out, in), b (out,))] for each linear layer, whatever the net's internal storage."""
    import torch
    if hasattr(net, "weights") and hasattr(net, "biases"):  # FlatMLP: views into flat parameters
        return list(zip(net.weights(net.weight), net.biases(net.bias)))
    linears = [net] if isinstance(net, torch.nn.Linear) else [m for m in net.modules()
                                                                if isinstance(m, torch.nn.Linear)]
    return [(m.weight, m.bias) for m in linears]


def live_canvases(at) -> list:
    """An AppTest page's live canvases (ui/live_view.py), not its other components (a lesson's go-to-top)."""
    from ui.live_view import COMPONENT_NAME
    return [e for e in at.get("bidi_component") if e.proto.component_name == COMPONENT_NAME]


def key_button(page, key: str):
    """A button found by its widget key (e.g. "p2d.step_button"), not by its label: buttons with a
    shortcut add the key's hint to their name. Streamlit draws a button with help= twice, one copy
    hidden: take the visible one."""
    return page.locator(f".st-key-{key.replace('.', '-')} button:visible").first


def button_label(button):
    """The label a person reads on a button, without its shortcut hint (the <kbd> beside it)."""
    return button.locator('[data-testid="stMarkdownContainer"]')


def labelled_button(page, key: str, label: str, timeout_ms: float = 45_000):
    """The button of widget key `key`, once the label on it reads exactly `label`."""
    from playwright.sync_api import expect
    found = key_button(page, key)
    expect(button_label(found)).to_have_text(label, timeout=timeout_ms)
    return found


def press_until(page, press, predicate: str, arg=None, timeout_ms: float = 45_000, again=lambda: True) -> None:
    """press() until the page's `predicate` holds: Streamlit may drop a click or a key made while a rerun
    is starting or during the long play run, so press again, as a person would, while again() says the
    press has not yet acted (at most three times, a third of the time each)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    for attempt in range(3):
        if attempt == 0 or again():
            press()
        try:
            page.wait_for_function(predicate, arg=arg, timeout=timeout_ms / 3)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def click_until(page, key: str, predicate: str, arg=None, timeout_ms: float = 45_000) -> None:
    """Click the button of widget `key` until `predicate` holds (press_until)."""
    press_until(page, lambda: key_button(page, key).click(), predicate, arg=arg, timeout_ms=timeout_ms)


def pause_2d(page, idle_js: str, press=None, timeout_ms: float = 45_000) -> None:
    """Pause the playing 2D page (press: by default a click on its Play/Pause button) until `idle_js` holds,
    pressing again only while the button still reads Pause."""
    from core.i18n import STRINGS
    button = lambda: key_button(page, "p2d.play_button")  # noqa: E731
    press_until(page, press or (lambda: button().click()), idle_js, timeout_ms=timeout_ms,
                again=lambda: button_label(button()).inner_text().strip() in
                (STRINGS["ctl.pause"]["en"], STRINGS["ctl.pause"]["zh"]))


def open_section(page, label: str, marker: str | None = None, idle_js: str | None = None,
                 timeout_ms: float = 45_000) -> None:
    """Open the expander whose summary reads `label` (a lazy section builds on opening), then wait for
    the element with id `marker` it builds and for the page to be idle (`idle_js`), when given."""
    page.locator('[data-testid="stExpander"] summary', has_text=label).click()
    if marker:
        page.wait_for_selector(f"#{marker}", state="attached", timeout=timeout_ms)
    if idle_js:
        page.wait_for_function(idle_js, timeout=timeout_ms)


def open_lesson_in_apptest(app_path: str, key: str):
    """AppTest: the landing page, then the lesson's Open button (its page, settings and banner)."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(app_path, default_timeout=180)
    at.run()
    at.button(key=f"preset.{key}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_lesson_in_browser(page, base: str, key: str, load_ms: float = 90_000, wait_ms: float = 45_000) -> None:
    """Browser: the landing page, then the Open button on the lesson's card (as a student does)."""
    from core.i18n import STRINGS
    page.goto(base)
    title = page.get_by_text(STRINGS[f"preset.{key}.title"]["en"], exact=True)
    title.wait_for(timeout=load_ms)
    card = page.locator('[data-testid="stVerticalBlock"]').filter(has=title).last
    open_button = card.get_by_role("button", name=STRINGS["home.open_preset"]["en"], exact=True)
    open_button.wait_for(timeout=wait_ms)
    open_button.click()


def open_page_via_home(app_path: str, page_path: str, query: dict | None = None, timeout: float = 120):
    """AppTest: a page as a visitor reaches it, the landing page first (the link's query kept).
    Fails on an exception in either run."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(app_path, default_timeout=timeout)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(page_path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# The 2D page after a script run: idle, its step counter drawn, nothing stale (browser tests).
IDLE_2D_JS = ("() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
              " return !!a && a.dataset.testScriptState === 'notRunning' && !!document.querySelector('#epoch-counter')"
              " && document.querySelectorAll('[data-stale=\"true\"]').length === 0; }")


# Every button in the main area: its label's text box against the room it has (scrollWidth > clientWidth
# is an ellipsis), with the label's text for the message.
CUT_LABELS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stButton"] button, '
  + '[data-testid="stMain"] [data-testid="stCheckbox"] label')]
  .filter(b => b.offsetParent !== null)
  .map(b => { const p = b.querySelector('[data-testid="stMarkdownContainer"]') || b;
              return {text: b.innerText.replace(/\\s+/g, ' ').trim(), cut: p.scrollWidth > p.clientWidth + 1}; })"""
