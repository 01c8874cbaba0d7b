"""Sessions on a shared server, seen from outside as browser tabs (tools/st_client.py, no browser):
two sessions never see each other's run, a paused session costs no CPU, a closed tab stops its
training and its session is dropped once the disconnected-session TTL has passed, and a greedy
student does not starve a classmate."""
from __future__ import annotations

import asyncio
import time
import urllib.parse

import pytest

from core.runs.config import Playground2DConfig
from tests.support import cpu_seconds, run_scenario, streamlit_server
from tools.st_client import StreamlitSession

TTL = 5  # server.disconnectedSessionTTL of the test server, seconds
PAGE = "playground_2d"
PLAY = "p2d.play_button"


@pytest.fixture(scope="module")
def app():
    """(base_url, server pid) of one `streamlit run app.py` with a short disconnected-session TTL."""
    with streamlit_server(env={"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL)}) as (base, proc):
        yield base, proc.pid


def run(coro, timeout: float = 120):
    return run_scenario(coro, timeout)


def query(**settings) -> str:
    return urllib.parse.urlencode(Playground2DConfig(**settings).to_query())


async def opened(base: str, q: str = "") -> StreamlitSession:
    s = StreamlitSession(base, PAGE, q)
    await s.connect()
    await s.open_page()
    assert not s.errors, s.errors
    assert s.step == 0, s.status_text
    return s


async def play_until(s: StreamlitSession, step: int, timeout: float = 30) -> None:
    await s.press(PLAY)
    await s.wait_for(lambda: (s.step or 0) > step, timeout, f"step {step}")


async def pause(s: StreamlitSession, timeout: float = 30) -> None:
    before = len(s.runs)
    await s.press(PLAY)  # the button now reads Pause
    await s.wait_for(lambda: len(s.runs) > before and s.runs[-1].finished is not None, timeout, "the paused run")
    assert s.runs[-1].status == "ok", s.runs[-1]


async def cpu_over(pid: int, seconds: float) -> float:
    c0 = cpu_seconds(pid)
    await asyncio.sleep(seconds)
    return cpu_seconds(pid) - c0


def test_two_sessions_never_see_each_others_run(app):
    base, _ = app

    async def scenario():
        a = await opened(base, query(dataset="circles", lr=0.03))
        b = await opened(base, query(dataset="xor", lr=0.003))
        try:
            assert "learning rate 0.03 " in a.status_text + " " and "learning rate 0.003" in b.status_text
            b_frames = len(b.frames)
            await play_until(a, 100)
            await asyncio.sleep(0.5)
            assert len(b.frames) == b_frames, "B received frames while only A played"
            await b.rerun()  # B's own run, drawn again while A plays
            assert b.step == 0 and all(f.step == 0 for f in b.frames), [f.step for f in b.frames]
            assert "learning rate 0.003" in b.status_text, b.status_text
            assert "dataset=xor" in b.query and "dataset=circles" in a.query
            assert (a.step or 0) > 100 and "learning rate 0.03 " in a.status_text + " "
            await pause(a)
            assert not a.errors and not b.errors, a.errors + b.errors
        finally:
            await a.close()
            await b.close()

    run(scenario())


def test_paused_session_costs_no_cpu(app):
    base, pid = app

    async def scenario():
        s = await opened(base)
        try:
            await play_until(s, 50)
            playing = await cpu_over(pid, 2.0)  # the yardstick: what the same server spends while one plays
            await pause(s)
            await asyncio.sleep(0.5)
            frames, paused_at = len(s.frames), s.step
            idle = await cpu_over(pid, 2.0)
            assert len(s.frames) == frames, "frames kept arriving after Pause"
            await s.rerun()  # the run drawn again: it has not trained since
            assert s.step == paused_at, f"the paused run went on from step {paused_at} to {s.step}"
            assert playing > 0 and idle < playing / 4, \
                f"the server used {idle:.3f} s of CPU in 2 s with one paused session ({playing:.3f} s while playing)"
        finally:
            await s.close()

    run(scenario())


def biggest_jump(s: StreamlitSession) -> int:
    """The most steps between two frames in a row: a frame's worth of training, as this server goes."""
    steps = [f.step for f in s.frames if f.step is not None]
    return max((b - a for a, b in zip(steps, steps[1:])), default=0)


def test_closed_tab_stops_and_its_session_is_freed_after_the_ttl(app):
    base, _ = app

    async def scenario():
        first = await opened(base)
        sid = first.session_id
        await play_until(first, 50)
        await first.wait_for(lambda: (first.step or 0) > 100, 30, "step 100")
        await first.close()  # the tab closes while playing
        left_at, jump = first.step, max(biggest_jump(first), 1)
        await asyncio.sleep(3.0)  # still training, the run would be hundreds of steps on (300 a second)

        # within the TTL a reconnect resumes the same session, its run and its Play state
        again = StreamlitSession(base, PAGE)
        await again.connect(resume_session=sid)
        await again.open_page(wait=False)
        await again.wait_for(lambda: (again.step or 0) > 50, 30, "the resumed run's frames")
        assert again.session_id == sid
        # its first frame shows the run as the tab left it, but for the frames then in flight
        resumed_at = again.frames[0].step
        assert left_at <= resumed_at <= left_at + 3 * jump, \
            f"the closed tab's session kept training: step {left_at} at closing, {resumed_at} on resuming"
        await pause(again)
        await again.close()
        closed = time.monotonic()

        # after the TTL the session is gone: the same reconnect gets a new session and a new run
        await asyncio.sleep(max(0.0, closed + TTL + 1.5 - time.monotonic()))
        late = StreamlitSession(base, PAGE)
        await late.connect(resume_session=sid)
        try:
            await late.open_page()
            assert late.session_id and late.session_id != sid, "the expired session was resumed"
            assert late.step == 0, late.status_text
            assert not late.errors, late.errors
        finally:
            await late.close()

    run(scenario())


def frames_per_second(s: StreamlitSession, since: float) -> float:
    shown = [f for f in s.frames if f.t >= since]
    return (len(shown) - 1) / (shown[-1].t - shown[0].t) if len(shown) > 2 else 0.0


def steps_per_second(s: StreamlitSession, since: float) -> float:
    shown = [f for f in s.frames if f.t >= since and f.step is not None]
    return (shown[-1].step - shown[0].step) / (shown[-1].t - shown[0].t) if len(shown) > 2 else 0.0


def test_a_student_at_fastest_with_the_biggest_net_does_not_starve_a_classmate(app):
    """Two players in one process: the greedy one's training gets a fair part of the cores
    (core/serving/pace.py), so the classmate at default settings keeps its lesson's pace (steps are owed by the
    clock) beside it, compared with itself alone on the same server in the same run, and still sees
    frames. How many frames depends on the machine's free CPU: bench/bench_classroom.py measures that."""
    base, _ = app

    async def scenario():
        greedy = await opened(base, query(speed="fastest", n_samples=2000, depth=6, width=64, batch_size=5000))
        classmate = await opened(base)
        try:
            await play_until(classmate, 50)
            since = time.monotonic()
            await asyncio.sleep(3.0)
            alone_fps, alone_pace = frames_per_second(classmate, since), steps_per_second(classmate, since)
            await play_until(greedy, 5)
            since = time.monotonic()
            await asyncio.sleep(4.0)
            fps, pace = frames_per_second(classmate, since), steps_per_second(classmate, since)
            greedy_pace = steps_per_second(greedy, since)
            await pause(classmate)
            await pause(greedy)
            print(f"classmate alone {alone_fps:.1f} frames/s, {alone_pace:.0f} steps/s; beside the greedy student "
                  f"{fps:.1f} frames/s, {pace:.0f} steps/s (greedy: {greedy_pace:.0f} steps/s)")
            assert alone_fps > 0 and alone_pace > 0, "the classmate alone saw no training"
            assert pace > 0.6 * alone_pace, f"the classmate trained {pace:.0f} steps/s, alone {alone_pace:.0f}"
            assert fps > 0, "the classmate saw no frames beside the greedy student"
            assert greedy_pace > 0, "the greedy student trained too"
            assert not greedy.errors and not classmate.errors, greedy.errors + classmate.errors
        finally:
            await greedy.close()
            await classmate.close()

    run(scenario())
