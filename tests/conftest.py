import os
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

# One thread, as the pages use; TORCH_TEST_THREADS=N shows a result does not hang on the kernel path.
torch.set_num_threads(int(os.environ.get("TORCH_TEST_THREADS", "1")))


# ---- browser tests (tests/test_browser_*.py): one app server and one Chromium per session ----

import pytest  # noqa: E402

from tests.support import chromium, chromium_missing_reason, skip_or_fail, streamlit_server  # noqa: E402


@pytest.fixture(scope="session")
def browser_available():
    """Skip browser tests when Chromium/Playwright is missing; with REQUIRE_BROWSER=1 fail instead,
    so CI cannot pass by silently skipping them."""
    reason = chromium_missing_reason()
    if reason is not None:
        skip_or_fail(f"the browser tests cannot run: {reason}", "REQUIRE_BROWSER")


@pytest.fixture(scope="session")
def browser(browser_available):
    """A headless system Chromium (Playwright Browser), shared by all browser tests."""
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def server(browser_available):
    """(base_url, proc) of one `streamlit run app.py`, started once for all browser tests."""
    with streamlit_server() as (base, proc):
        yield base, proc


@pytest.fixture
def new_page(browser):
    """Factory for fresh pages, each in its own browser context (= its own Streamlit session).
    Every context opened is closed after the test."""
    contexts = []

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": 1400, "height": 1000})
        ctx = browser.new_context(locale="en-US", **kwargs)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page):
    """A fresh page in its own context."""
    return new_page()


@pytest.fixture(scope="module")
def server_with_data(tmp_path_factory):
    """The app with the MNIST test split (the shared data) and an empty data folder of its own."""
    from tests.support import find_mnist_dir, streamlit_server
    empty = tmp_path_factory.mktemp("labels-data")
    env = {"PLAYGROUND_EXTRA_DATA_DIRS": str(find_mnist_dir()), "PLAYGROUND_DATA_DIR": str(empty),
           "FASHION_MNIST_SYSTEM_DIR": str(empty / "no-fashion")}
    with streamlit_server(env=env) as (base, _):
        yield base
