"""Serving a class (tools/classroom.py): two Streamlit workers behind HAProxy, driven in real Chromium
through the load balancer only. A Streamlit session lives in one worker, so everything a page sends
(its websocket, a CSV upload's HTTP PUT, a reload) must reach the worker its SERVERID cookie names.
Waits are on-page markers with deadlines, never fixed sleeps.
"""
from __future__ import annotations

import re
import time

import pytest

from core.runs.config import Playground2DConfig
from core.data.data2d import parse_points_csv, split
from core.i18n import STRINGS
from tests.support import cpu_seconds, free_port, key_button, read_counter_step, skip_or_fail
from tools.classroom import classroom, haproxy_missing_reason

pytestmark = pytest.mark.browser

LOAD_MS = 90_000
WAIT_MS = 45_000
RUN_DONE_JS = ("() => !!document.querySelector('#epoch-counter')"
               " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")
STEP_ABOVE_JS = ("(n) => { const e = document.querySelector('#epoch-counter');"
                 " return !!e && +e.dataset.step > n; }")
UPLOADER = '[data-testid="stSidebar"] [data-testid="stFileUploader"]'  # the 2D page's CSV uploader
STATUS_JS = "() => { const e = document.querySelector('#epoch-counter'); return e ? e.textContent : null; }"

# 60 points in 3 classes: a data set no built-in default matches (3 classes; its own epoch length).
CSV = "x1,x2,label\n" + "".join(f"{(i % 20) / 10 - 1 + c * 3:.2f},{(i * 7 % 20) / 10 - 1:.2f},{c}\n"
                                for c in range(3) for i in range(20))


@pytest.fixture(scope="module")
def lb(browser_available):
    """(base_url, worker pids) of `classroom(2, …)`: two workers behind HAProxy."""
    reason = haproxy_missing_reason()
    if reason:
        skip_or_fail(f"the classroom test cannot run: {reason}", "REQUIRE_BROWSER")
    with classroom(2, free_port()) as started:
        yield started


def new_context(browser):
    ctx = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(30_000)
    return ctx


def server_id(ctx) -> str | None:
    return next((c["value"] for c in ctx.cookies() if c["name"] == "SERVERID"), None)


def worker_pid(lb, sid: str) -> int:
    assert sid in ("w0", "w1"), f"unexpected SERVERID {sid!r}"
    return lb[1][int(sid[1:])]


def open_2d(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/playground_2d{query}")
    page.wait_for_selector("#epoch-counter", timeout=LOAD_MS)
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)


def status(page) -> str:
    deadline = time.monotonic() + 10
    while (text := page.evaluate(STATUS_JS)) is None:
        assert time.monotonic() < deadline, "#epoch-counter did not come back"
        time.sleep(0.05)
    return text


def test_upload_play_and_reload_through_the_load_balancer(lb, browser):
    base, pids = lb
    ctx = new_context(browser)
    try:
        page = ctx.new_page()
        page.goto(f"{base}/playground_2d?dataset=upload")
        page.get_by_text(STRINGS["p2d.upload_needed"]["en"]).wait_for(timeout=LOAD_MS)
        sid = server_id(ctx)
        assert sid is not None, "the load balancer set no SERVERID cookie"

        # The upload is an HTTP PUT beside the websocket: only stickiness brings it to the session's worker.
        page.locator(UPLOADER + ' input[type="file"]').set_input_files(
            files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
        page.wait_for_selector("#epoch-counter", timeout=WAIT_MS)
        page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
        shown = page.locator(UPLOADER).inner_text()  # a refused PUT shows "…status code 400" here
        assert "class.csv" in shown and "400" not in shown and "rror" not in shown, shown
        # Trained on the uploaded points: one step of a batch is batch/n_train of an epoch of THIS data.
        config = Playground2DConfig()
        X, y = parse_points_csv(CSV.encode())
        n_train = len(split(X, y, config.test_fraction, config.seed).y_train)
        key_button(page, "p2d.step_button").click()
        page.wait_for_function(STEP_ABOVE_JS, arg=0, timeout=WAIT_MS)
        page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
        assert f"Step 1 · epoch {config.batch_size / n_train:.1f} ·" in status(page), status(page)
        assert page.locator("span", has_text=re.compile("^●$")).count() == 3  # the legend: one swatch per class

        # Play: the step counter moves, and it is the cookie's worker that trains (its CPU, not the other's).
        mine, other = worker_pid(lb, sid), [p for p in pids if p != worker_pid(lb, sid)][0]
        start = read_counter_step(page, "epoch-counter")
        key_button(page, "p2d.play_button").click()
        page.wait_for_function(STEP_ABOVE_JS, arg=start + 50, timeout=WAIT_MS)
        playing_from = read_counter_step(page, "epoch-counter")
        cpu_mine, cpu_other = cpu_seconds(mine), cpu_seconds(other)
        page.wait_for_function(STEP_ABOVE_JS, arg=playing_from + 600, timeout=WAIT_MS)
        used_mine, used_other = cpu_seconds(mine) - cpu_mine, cpu_seconds(other) - cpu_other
        # (the two workers compared with each other over the same 600 steps: no figure in seconds)
        assert used_mine > 0 and used_other < used_mine / 5, (used_mine, used_other)

        # A reload is a new session on the same worker (same cookie), and the page is served again.
        page.reload()
        page.get_by_text(STRINGS["p2d.upload_needed"]["en"]).wait_for(timeout=LOAD_MS)
        assert server_id(ctx) == sid
        page.locator(UPLOADER + ' input[type="file"]').set_input_files(
            files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
        page.wait_for_selector("#epoch-counter", timeout=WAIT_MS)
        page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    finally:
        ctx.close()


def test_new_students_are_spread_over_both_workers(lb, browser):
    base, pids = lb
    contexts = [new_context(browser), new_context(browser)]
    try:
        pages = [ctx.new_page() for ctx in contexts]
        for page in pages:  # one after the other, as students arrive
            open_2d(page, base)
        ids = [server_id(ctx) for ctx in contexts]
        assert None not in ids and ids[0] != ids[1], f"both students on one worker: {ids}"  # roundrobin
        assert {worker_pid(lb, i) for i in ids} == set(pids)
        for page in pages:  # each session answers on its own worker
            key_button(page, "p2d.step_button").click()
        for page in pages:
            page.wait_for_function(STEP_ABOVE_JS, arg=0, timeout=WAIT_MS)
    finally:
        for ctx in contexts:
            ctx.close()
