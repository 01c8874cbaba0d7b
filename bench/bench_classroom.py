"""A class at once: N simulated students (Streamlit websocket sessions, no browser) on the 2D page.

    .venv/bin/python bench/bench_classroom.py --students 1 10 30 --workers 1 2 --seconds 30
    .venv/bin/python bench/bench_classroom.py --url http://127.0.0.1:8501 --pids 1234 --students 10

Each student opens /playground_2d at default settings; once all pages are loaded they press Play within
--spread seconds of each other, watch for --seconds, press Pause. Per student: frames/s, optimizer
steps/s (from the page's step counter), longest stall between frames, time to the first live frame
after Play, pause latency (Pause sent -> the live loop stopped, i.e. the next script run began; and ->
that run finished). Server: CPU cores used while every student plays (/proc/<pid>/stat of the workers)
and RSS. Each (workers, students) runs on a fresh server: W Streamlit workers behind HAProxy with
cookie stickiness (tools/classroom.py), or one plain `streamlit run` with --direct. The students run in
this one process, which shares the machine's cores with the server: its own CPU use is printed too.
Exits 1 on protocol errors (a page that fails, a dropped socket, an exception on the page).
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402

from tests.support import cpu_seconds, free_port, streamlit_server  # noqa: E402
from tools.st_client import ProtocolError, StreamlitSession  # noqa: E402

PAGE = "playground_2d"
PLAY = "p2d.play_button"


@dataclass
class Student:
    fps: float = 0.0
    steps_per_s: float = 0.0
    stall_s: float = 0.0
    first_frame_s: float = float("inf")
    pause_stop_s: float = float("inf")   # Pause sent -> the next script run began (the live loop ended)
    pause_done_s: float = float("inf")   # Pause sent -> that run finished (page idle)
    load_s: float = 0.0
    frames: int = 0
    error: str = ""
    worker: str = ""                     # the load balancer's sticky cookie (SERVERID), if any
    t_play: float = 0.0
    t_pause: float = 0.0


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Monitor:
    """Samples the server processes' CPU seconds and RSS every 0.5 s."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.samples: list[tuple[float, float, int, float]] = []  # (t, server cpu s, server rss, own cpu s)

    def sample(self) -> None:
        cpu = rss = 0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                cpu += cpu_seconds(pid)
                rss += rss_bytes(pid)
        self.samples.append((time.monotonic(), cpu, rss, time.process_time(), machine_busy_seconds()))

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(0.5)

    def between(self, t0: float, t1: float) -> tuple[float, float, float, int]:
        """(server cores, own cores, every other process's cores, peak server RSS) over [t0, t1]."""
        inside = [s for s in self.samples if t0 <= s[0] <= t1]
        if len(inside) < 2:
            return float("nan"), float("nan"), float("nan"), max((s[2] for s in inside), default=0)
        a, b = inside[0], inside[-1]
        dt = b[0] - a[0]
        server, own = (b[1] - a[1]) / dt, (b[3] - a[3]) / dt
        return server, own, (b[4] - a[4]) / dt - server - own, max(s[2] for s in inside)


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy (and stolen by a VM's host) since boot (/proc/stat)."""
    with contextlib.suppress(OSError):
        user, nice, system, idle, iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    return float("nan")


def measure(s: StreamlitSession, t_play: float, t_pause: float, step0: int | None) -> Student:
    """The figures of one student from its frames and runs."""
    r = Student()
    live = [f for f in s.frames if t_play < f.t <= t_pause and f.step is not None and f.step > (step0 or 0)]
    r.frames = len(live)
    if live:
        first, last = live[0], live[-1]
        r.first_frame_s = first.t - t_play
        window = t_pause - first.t
        r.fps = len(live) / window if window > 0 else 0.0
        if last.t > first.t:
            r.steps_per_s = (last.step - first.step) / (last.t - first.t)
        times = [f.t for f in live] + [t_pause]
        r.stall_s = max(b - a for a, b in zip(times, times[1:])) if len(times) > 1 else 0.0
    else:
        r.stall_s = t_pause - t_play
    after = [run for run in s.runs if run.started >= t_pause]
    if after:
        r.pause_stop_s = after[0].started - t_pause
        if after[0].finished is not None:
            r.pause_done_s = after[0].finished - t_pause
    return r


class Gate:
    """Opens once every student has loaded its page or failed to (a failure must not hold the class)."""

    def __init__(self, n: int):
        self.n, self.arrived, self.open = n, 0, asyncio.Event()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.n:
            self.open.set()


async def student(i: int, base: str, rng: random.Random, args, loaded: Gate, t0: list) -> Student:
    s = StreamlitSession(base, PAGE, open_timeout=args.load_timeout)
    result = Student()
    arrived = False
    try:
        await asyncio.sleep(rng.uniform(0, args.spread))  # a class opens the link within a few seconds
        t = time.monotonic()
        await s.connect()
        await s.open_page(timeout=args.load_timeout)
        result.load_s = time.monotonic() - t
        if s.errors:
            raise ProtocolError("; ".join(s.errors))
        arrived = True
        loaded.arrive()
        await asyncio.wait_for(loaded.open.wait(), args.load_timeout)
        if not t0:
            t0.append(time.monotonic())
        await asyncio.sleep(max(0.0, t0[0] + rng.uniform(0, args.spread) - time.monotonic()))
        step0 = s.step
        t_play = time.monotonic()
        await s.press(PLAY)
        await asyncio.sleep(args.seconds)
        t_pause = time.monotonic()
        runs_before = len(s.runs)
        await s.press(PLAY)  # the same button now reads Pause
        await s.wait_for(lambda: len(s.runs) > runs_before and s.runs[-1].finished is not None,
                         args.pause_timeout, "the paused run to finish")
        m = measure(s, t_play, t_pause, step0)
        m.load_s, m.t_play, m.t_pause = result.load_s, t_play, t_pause
        m.worker = s.cookies.get("SERVERID", "")
        result = m
        if s.errors:
            raise ProtocolError("; ".join(s.errors))
    except (ProtocolError, OSError, asyncio.TimeoutError, websockets.WebSocketException) as err:
        result.error = f"student {i}: {type(err).__name__}: {err}"[:300]
        if not arrived:
            loaded.arrive()
    finally:
        await s.close()
    return result


async def run_class(base: str, pids: list[int], n: int, args) -> dict:
    rng = random.Random(args.seed)
    mon = Monitor(pids)
    mon.sample()
    idle_rss = mon.samples[-1][2]
    sampler = asyncio.create_task(mon.run())
    loaded = Gate(n)
    t0: list = []
    budget = 2 * args.spread + 2 * args.load_timeout + args.seconds + args.pause_timeout + 30
    try:
        results = await asyncio.wait_for(
            asyncio.gather(*(student(i, base, random.Random(rng.random()), args, loaded, t0) for i in range(n))),
            budget)
    except asyncio.TimeoutError:
        results = [Student(error=f"the class did not finish within {budget:.0f} s")] * n
    finally:
        sampler.cancel()
    ok = [r for r in results if not r.error]
    plays = [r.t_play for r in ok]
    pauses = [r.t_pause for r in ok]
    cores = own = others = float("nan")
    peak = 0
    if plays and pauses and min(pauses) > max(plays):
        cores, own, others, peak = mon.between(max(plays), min(pauses))  # every student playing
    return {"students": n, "results": results, "cores": cores, "client_cores": own, "other_cores": others,
            "rss_idle": idle_rss, "rss_peak": peak}


@contextlib.contextmanager
def direct_server():
    """One `streamlit run app.py` on a free loopback port (tests.support.streamlit_server: file watcher
    off, like the classroom settings in .streamlit/config.toml)."""
    with streamlit_server(timeout=120) as (base, proc):
        yield base, [proc.pid]


def server(workers: int, direct: bool):
    if direct:
        if workers != 1:
            raise SystemExit("--direct serves one worker")
        return direct_server()
    from tools.classroom import classroom
    return classroom(workers, free_port())


def table(rows: list[dict]) -> str:
    head = ("workers", "students", "fps med/min", "steps/s med/min", "stall max s", "1st frame med/max s",
            "pause stop med/max s", "pause idle max s", "srv cores", "srv RSS MB idle/peak", "client cores", "others' cores", "errors")
    lines = [head]
    for row in rows:
        ok = [r for r in row["results"] if not r.error]
        med_max = lambda xs: "-" if not xs else f"{statistics.median(xs):.2f}/{max(xs):.2f}"  # noqa: E731
        med_min = lambda xs: "-" if not xs else f"{statistics.median(xs):.1f}/{min(xs):.1f}"  # noqa: E731
        lines.append((str(row["workers"]), str(row["students"]),
                      med_min([r.fps for r in ok]), med_min([r.steps_per_s for r in ok]),
                      f"{max(r.stall_s for r in ok):.2f}" if ok else "-",
                      med_max([r.first_frame_s for r in ok]), med_max([r.pause_stop_s for r in ok]),
                      f"{max(r.pause_done_s for r in ok):.2f}" if ok else "-",
                      f"{row['cores']:.2f}", f"{row['rss_idle'] / 2**20:.0f}/{row['rss_peak'] / 2**20:.0f}",
                      f"{row['client_cores']:.2f}", f"{row['other_cores']:.2f}", str(len(row["results"]) - len(ok))))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(line, widths)) for line in lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, nargs="+", default=[1, 10, 30])
    ap.add_argument("--workers", type=int, nargs="+", default=[1])
    ap.add_argument("--seconds", type=float, default=30.0, help="how long each student watches (default 30)")
    ap.add_argument("--spread", type=float, default=3.0, help="students open and press Play within this many s")
    ap.add_argument("--url", help="measure an already running server (or load balancer) instead")
    ap.add_argument("--pids", type=int, nargs="*", default=[], help="with --url: the server processes to watch")
    ap.add_argument("--direct", action="store_true", help="one plain streamlit run, no load balancer (workers 1)")
    ap.add_argument("--load-timeout", type=float, default=180.0, help="longest wait for a page's first run")
    ap.add_argument("--pause-timeout", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="also write every student's figures to this file")
    ap.add_argument("--verbose", action="store_true", help="one line per student")
    args = ap.parse_args(argv)

    rows = []
    errors = []
    for w in ([0] if args.url else args.workers):
        for n in args.students:
            print(f"-- {n} students, {'server at ' + args.url if args.url else f'{w} worker(s)'} ...", flush=True)
            with (contextlib.nullcontext((args.url, args.pids)) if args.url else server(w, args.direct)) as (base, pids):
                row = asyncio.run(run_class(base, pids, n, args))
            row["workers"] = w or "url"
            rows.append(row)
            errors += [r.error for r in row["results"] if r.error]
            if args.verbose:
                for i, r in enumerate(row["results"]):
                    print(f"   student {i}: " + (r.error or
                          f"{r.fps:.1f} fps, {r.steps_per_s:.0f} steps/s, stall {r.stall_s:.2f} s, first "
                          f"{r.first_frame_s:.2f} s, pause {r.pause_stop_s:.2f}/{r.pause_done_s:.2f} s, load {r.load_s:.1f} s"))
            spread = collections.Counter(r.worker for r in row["results"] if r.worker)
            if spread:
                print("   students per worker: " + ", ".join(f"{k}={v}" for k, v in sorted(spread.items())))
            print(table([row]).splitlines()[-1], flush=True)
    print()
    print(f"2D page, default settings, {args.seconds:g} s of play each; medians/extremes over students; "
          f"{os.cpu_count()} cores. Server and client cores are measured while every student plays; "
          "others' cores: the rest of the machine meanwhile (a VM host's steal included): figures taken "
          "beside a busy neighbour are not comparable.")
    print(table(rows))
    if args.json:
        out = [{k: v for k, v in row.items() if k != "results"} | {"students_detail": [
            {k: v for k, v in asdict(r).items()} for r in row["results"]]} for row in rows]
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))
    for e in errors:
        print("error:", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
