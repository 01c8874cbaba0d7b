"""Peak memory and CPU while hostile weights and run files are refused.

Each row runs in a fresh subprocess: build the target model, read the payload, measure the idle
RSS, reset the kernel's peak-RSS mark (/proc/self/clear_refs) and call
core.app.export.load_state_dict_bytes (or parse_run_json); the peak is the larger of VmHWM and a 1 ms
VmRSS sampler; CPU is the calling thread's CPU time (the sampler's excluded).
Target: every hostile file refused within 50 MB of idle and 1 s of CPU. Rows marked "info" are
references: a genuine file (which does load) and torch.load called directly, without the checks
(what the import did before: torch's own reader allocates the declared, not the real, size, and
its pure-Python unpickler builds a 64-byte dict for each 1-byte "}" of a pickle bomb).

    .venv/bin/python bench/bench_hostile.py                     # both tables
    .venv/bin/python bench/bench_hostile.py --table hostile     # the quicker table
    .venv/bin/python bench/bench_hostile.py --table live --rows 1,4-6 --seconds 10

The second table ("live"): the heaviest settings a student can reach on each live page, each row in
a fresh `streamlit run app.py` (headless, loopback, the repo's .streamlit/config.toml; MNIST read from
shared/data/mnist, tests/support.find_mnist_dir) driven by a headless Chromium, one session: open the
link, wait until the page is idle, press ▶ Play, and watch it play for --seconds (default 30).
  - frame ms: the server CPU (thread time) of a live frame, from the hidden #frame-cpu marker that
    ui/live_view.py writes after each frame; a MutationObserver in the page records every frame the
    browser received (frames seen, their median data-last-ms), "longest" is the largest
    data-longest-ms seen (warm-up frames included). Target: longest <= 150 ms.
  - RSS: VmRSS of the server process and its children (/proc), before the page was opened ("idle"),
    once the page was loaded ("load", information), and after --seconds of Play. Target:
    after - idle <= 300 MB.
Each live row runs in a subprocess of its own with a time limit; the server and Chromium are killed
in a finally (and with the subprocess's process group when the limit is reached). Figures depend on
the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MB = 50.0
TARGET_CPU_S = 1.0
MODELS = {
    "mlp 784-2048x4-10": lambda build: build("mlp", 784, 10, 0, hidden=(2048,) * 4, activation="relu"),
    "mlp 784-256-10": lambda build: build("mlp", 784, 10, 0, hidden=(256,), activation="relu"),
    "2D mlp 2-16-16-2": lambda build: build("mlp", 2, 2, 0, depth=2, width=16, activation="relu",
                                            mean=__import__("torch").zeros(2), std=__import__("torch").ones(2)),
}


def _rss_mb(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def child(model_name: str, mode: str) -> None:
    """Runs in the subprocess: payload on stdin, one JSON line on stdout."""
    import gc
    import io

    import torch

    from core.app.export import ImportRefused, load_state_dict_bytes
    from core.learning.models import build_model

    torch.set_num_threads(1)
    model = MODELS[model_name](build_model)
    data = sys.stdin.buffer.read()
    gc.collect()
    idle = _rss_mb("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current RSS
    except OSError:
        pass
    peak = [idle]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _rss_mb("VmRSS"))
            time.sleep(0.001)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0, cpu0 = time.perf_counter(), time.thread_time()
    try:
        if mode == "run file":
            from core.app.export import parse_run_json
            parse_run_json(data)
            result = "accepted"
        elif mode == "torch.load":
            torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
            result = "loaded"
        else:
            load_state_dict_bytes(data, model)
            result = "loaded"
    except ImportRefused as e:
        reason = e.fields.get("reason")
        result = "refused: " + (reason.key if reason is not None else e.code).rsplit(".", 1)[-1]
    except Exception as e:  # noqa: BLE001 - torch.load's own errors, for the info rows
        result = f"error: {type(e).__name__}"
    ms, cpu = (time.perf_counter() - t0) * 1000, time.thread_time() - cpu0
    stop.set()
    sampler.join()
    peak_mb = max(peak[0], _rss_mb("VmHWM"))
    print(json.dumps({"idle": idle, "peak": peak_mb, "result": result, "ms": ms, "cpu": cpu}))


def payloads():
    """(model, label, mode, bytes, hostile) rows."""
    from core.app.export import state_dict_bytes
    from core.learning.models import build_model
    from core.app.export import FORMAT, RUN_FILE_MAX_BYTES, VERSION
    from tests.hostile_payloads import lying_bomb, pickle_bomb_for, zeros_bomb

    big = MODELS["mlp 784-2048x4-10"](build_model)
    big_weight = big.state_dict()["net.weight"].nbytes
    genuine_big = state_dict_bytes(big)
    pickle_big, pickle_big_beside = pickle_bomb_for(big), pickle_bomb_for(big, with_storages=True)
    del big
    default = MODELS["mlp 784-256-10"](build_model)
    pickle_default = pickle_bomb_for(default)
    del default
    head = json.dumps({"format": FORMAT, "version": VERSION, "page": "2d", "config": {"lr": "0.1"}})[:-1].encode()
    empties = lambda size: head + b', "x": [' + b"{}," * ((size - len(head) - 12) // 3) + b"{}]}"  # noqa: E731
    bomb = zeros_bomb()  # torch.zeros(134_217_728) re-zipped DEFLATED
    lie_small = lying_bomb(declared=4096, real=500 << 20)
    lie_full = lying_bomb(declared=big_weight, real=500 << 20)
    small_bomb = zeros_bomb(12_000_000)  # 48 MB of zeros in ~47 kB: under the 2D model's size limit
    small_lie = lying_bomb(declared=4096, real=48 << 20)
    B, D, S = "mlp 784-2048x4-10", "mlp 784-256-10", "2D mlp 2-16-16-2"
    return [
        (B, "pickle bomb: 57 MB of '}' as data.pkl", "import", pickle_big, True),
        (B, "pickle bomb beside the model's own storages", "import", pickle_big_beside, True),
        (D, "pickle bomb: 0.9 MB of '}' as data.pkl", "import", pickle_default, True),
        (D, "pickle bomb, torch.load alone (the old import)", "torch.load", pickle_default, False),
        (S, "run file: 4.99 MB of [{},{},...] (refused by size)", "run file", empties(4_990_000), True),
        (S, f"run file: {RUN_FILE_MAX_BYTES / 1e3:.0f} kB of [{{}},...] (at the limit)", "run file",
         empties(RUN_FILE_MAX_BYTES), False),
        (B, "zeros bomb (523 kB file, 512 MB declared)", "import", bomb, True),
        (B, "lying header: declares 4 kB, inflates to 500 MB", "import", lie_small, True),
        (B, f"lying header: declares {big_weight / 2**20:.0f} MB, inflates to 500 MB", "import", lie_full, True),
        (B, "genuine 4x2048 weights file (reference)", "import", genuine_big, False),
        (B, "zeros bomb, torch.load alone (the old import)", "torch.load", bomb, False),
        (B, f"lying {big_weight / 2**20:.0f} MB header, torch.load alone", "torch.load", lie_full, False),
        (S, "zeros bomb (523 kB file)", "import", bomb, True),
        (S, "zeros bomb, 47 kB file, 48 MB declared", "import", small_bomb, True),
        (S, "lying header: declares 4 kB, inflates to 48 MB", "import", small_lie, True),
    ]


def hostile_table() -> int:
    rows = payloads()
    print(f"target: refusing a hostile weights or run file stays within {TARGET_MB:.0f} MB of the idle RSS "
          f"and {TARGET_CPU_S:.0f} s of CPU\n")
    head = f"{'model':<18} {'payload':<52} {'file':>9} {'result':<22} {'idle MB':>8} {'peak MB':>8} " \
           f"{'+MB':>7} {'ms':>6} {'CPU s':>6}  verdict"
    print(head)
    print("-" * len(head))
    failed = 0
    for model, label, mode, data, hostile in rows:
        out = subprocess.run([sys.executable, __file__, "--child", model, mode], input=data,
                             capture_output=True, cwd=ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"})
        if out.returncode != 0:
            print(f"{model:<18} {label:<52} child failed:\n{out.stderr.decode()[-2000:]}")
            failed += 1
            continue
        r = json.loads(out.stdout.decode().strip().splitlines()[-1])
        extra = r["peak"] - r["idle"]
        if hostile:
            ok = extra <= TARGET_MB and r["cpu"] <= TARGET_CPU_S and r["result"].startswith("refused")
            verdict = "PASS" if ok else "FAIL"
            failed += not ok
        else:
            verdict = "info"
        size = f"{len(data) / 1024:,.0f} kB"
        print(f"{model:<18} {label:<52} {size:>9} {r['result']:<22} {r['idle']:>8.1f} {r['peak']:>8.1f} "
              f"{extra:>7.1f} {r['ms']:>6.0f} {r['cpu']:>6.2f}  {verdict}")
    print(f"\n{'all hostile files PASS' if not failed else f'{failed} row(s) FAIL'}")
    return 1 if failed else 0


# ---- the live table: a real server and a real browser ----

TARGET_FRAME_MS = 150.0
TARGET_PLAY_MB = 300.0
LOAD_S = 240.0      # first load of a heavy page on a busy 2-core machine (imports, data, first run)
PLAY_S = 90.0       # from the Play click to a step counter above 0 (three clicks at most)
POLL_S = 0.25       # how often the page and the server's RSS are read while playing
CHILD_EXTRA_S = 420  # a live row's subprocess limit: --seconds plus this (server start, load, Play, close)


@dataclass(frozen=True)
class LiveRow:
    number: int
    page: str      # a label
    link: str      # path and query, as a student's link sets it
    counter: str   # the page's step counter element id (data-step)
    prefix: str    # the page's session-state prefix: its Play button's key is "<prefix>.play_button"


_REG = "model=mlp&depth=6&width=64&n_samples=2000&test_fraction=0.05&batch_size=2000&speed=fastest&band=1"
_2D = ("dataset=spiral_multi&n_classes=6&n_samples=2000&test_fraction=0.05&model=mlp&depth=6&width=64"
       "&batch_size=5000&speed=fastest")
LIVE_ROWS = (
    LiveRow(1, "mnist", "/mnist?hidden=2048,2048,2048,2048&batch_size=1024", "mnist-counter", "mn"),
    LiveRow(2, "mnist", "/mnist?hidden=1024,1024,1024&batch_size=1024&n_train=60000", "mnist-counter", "mn"),
    LiveRow(3, "mnist", "/mnist?model=cnn&batch_size=1024&n_train=60000", "mnist-counter", "mn"),
    LiveRow(4, "compare", "/compare?kind=mnist&runs=4&hidden=1024&batch_size=1024&n_train=60000",
            "compare-counter", "cmp"),
    LiveRow(5, "compare", "/compare?kind=regression&runs=4&" + _REG, "compare-counter", "cmp"),
    LiveRow(6, "regression", "/regression?" + _REG, "reg-counter", "reg"),
    LiveRow(7, "2d", "/playground_2d?" + _2D, "epoch-counter", "p2d"),
    # the same with every view a student can tick: the hidden units' lines and regions, the pull, the
    # step explained, and the units' view beside the boundary
    LiveRow(8, "2d+views", "/playground_2d?" + _2D + "&side=units&show=unit_lines,regions,pull,explain",
            "epoch-counter", "p2d"),
)

IDLE_JS = """(id) => { const a = document.querySelector('[data-testid="stApp"]');
  return !!a && a.dataset.testScriptState === 'notRunning' && !!document.getElementById(id)
    && document.querySelectorAll('[data-stale="true"]').length === 0; }"""
STEP_ABOVE_JS = "([id, n]) => { const e = document.getElementById(id); return !!e && +e.dataset.step > n; }"
# Every #frame-cpu the browser receives (st.html replaces its node on each frame): its data-last-ms
# and data-longest-ms, from the moment this is installed.
FRAME_WATCH_JS = """() => {
  if (window.__fc) return;
  const fc = window.__fc = {last: [], longest: 0, node: null, key: null};
  const look = () => {
    const e = document.getElementById('frame-cpu');
    if (!e) return;
    const key = e.dataset.lastMs + '|' + e.dataset.longestMs;
    if (e === fc.node && key === fc.key) return;
    fc.node = e; fc.key = key;
    fc.last.push(+e.dataset.lastMs);
    fc.longest = Math.max(fc.longest, +e.dataset.longestMs);
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                     attributeFilter: ['data-last-ms', 'data-longest-ms']});
  look();
}"""
POLL_JS = """(id) => { const c = document.getElementById(id), f = document.getElementById('frame-cpu');
  return {step: c ? +c.dataset.step : null, last: f ? +f.dataset.lastMs : null,
          longest: f ? +f.dataset.longestMs : null, frames: window.__fc ? window.__fc.last.length : 0}; }"""
SEEN_JS = "() => window.__fc ? {last: window.__fc.last, longest: window.__fc.longest} : null"


def _proc_rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0  # gone, or a kernel thread


def tree_rss_mb(pid: int) -> float:
    """VmRSS of a process and all its descendants (the server starts none today; a worker would count)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += _proc_rss_kb(p)
        stack.extend(children.get(p, ()))
    return total / 1024


def _settings_run(link: str, url: str) -> str:
    """The link's settings as the page runs them (its address after the first run): "key=value", and
    "key=asked→run" where the server changed one."""
    asked = dict(parse_qsl(urlsplit(link).query))
    run = dict(parse_qsl(urlsplit(url).query))
    out = []
    for key, value in asked.items():
        got = run.get(key)
        if key in ("show", "side"):  # views: kept as asked or dropped
            got = run.get(key, "-")
        out.append(f"{key}={value}" if got == value else f"{key}={value}→{got}")
    return " ".join(out)


def live_child(number: int, seconds: float) -> None:
    """Runs in the subprocess: one live row, one JSON line on stdout."""
    import tempfile

    from tests.support import chromium, find_mnist_dir, streamlit_server

    row = next(r for r in LIVE_ROWS if r.number == number)
    result: dict = {"row": number, "notes": []}
    with tempfile.TemporaryDirectory(prefix="bench-live-") as empty:
        env = {"PLAYGROUND_EXTRA_DATA_DIRS": str(find_mnist_dir()), "PLAYGROUND_DATA_DIR": empty,
               "FASHION_MNIST_SYSTEM_DIR": os.path.join(empty, "no-fashion"),
               "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}  # as `make run` serves
        with chromium() as browser, streamlit_server(timeout=120, env=env) as (base, proc):
            log_path = ROOT / f".streamlit-test-{urlsplit(base).port}.log"
            try:
                _drive(browser, base, proc.pid, row, seconds, result)
            except Exception as e:  # noqa: BLE001 - reported as the row's error, with the server's log
                result["error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300] if str(e) else ''}"
            finally:
                try:
                    log = log_path.read_text(errors="replace")
                except OSError:
                    log = ""
                if "Traceback" in log:
                    result["notes"].append("server log has a traceback: "
                                           + log[log.index("Traceback"):][-1500:].replace("\n", " | "))
                if proc.poll() is not None:
                    result["notes"].append(f"the server exited with {proc.returncode}")
    print(json.dumps(result))


def _drive(browser, base: str, pid: int, row: LiveRow, seconds: float, result: dict) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    result["idle_mb"] = tree_rss_mb(pid)
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        sep = "&" if "?" in row.link else "?"
        page.goto(base + row.link + sep + "lang=en", timeout=60_000)
        page.wait_for_function(IDLE_JS, arg=row.counter, timeout=LOAD_S * 1000)
        result["settings"] = _settings_run(row.link, page.url)
        result["load_mb"] = tree_rss_mb(pid)
        alerts = page.locator('[data-testid="stAlertContentWarning"], [data-testid="stAlertContentError"]')
        result["warnings"] = [t.strip().replace("\n", " ") for t in alerts.all_inner_texts()]
        if page.locator('[data-testid="stException"]').count():
            result["notes"].append("exception before Play: "
                                   + page.locator('[data-testid="stException"]').first.inner_text()[:300])
        page.evaluate(FRAME_WATCH_JS)
        button = page.locator(f".st-key-{row.prefix.replace('.', '-')}-play_button button:visible").first
        label = button.locator('[data-testid="stMarkdownContainer"]')
        if label.inner_text(timeout=10_000).strip() != "▶ Play":
            result["notes"].append(f"the Play button read {label.inner_text()!r} before Play")
        # A click while a rerun is still starting can be dropped: press again (three times at most).
        for attempt in range(3):
            button.click()
            t0 = time.monotonic()
            try:
                page.wait_for_function(STEP_ABOVE_JS, arg=[row.counter, 0], timeout=PLAY_S / 3 * 1000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise RuntimeError(f"#{row.counter} did not pass step 0 within {PLAY_S:.0f} s of Play")
        result["first_step_s"] = time.monotonic() - t0
        polled, polled_longest, peak = [], 0.0, result["load_mb"]
        end = t0 + seconds
        while time.monotonic() < end:
            s = page.evaluate(POLL_JS, row.counter)
            if s["last"] is not None:
                polled.append(s["last"])
                polled_longest = max(polled_longest, s["longest"])
            peak = max(peak, tree_rss_mb(pid))
            time.sleep(min(POLL_S, max(0.0, end - time.monotonic())))
        result["after_mb"] = tree_rss_mb(pid)
        result["peak_mb"] = max(peak, result["after_mb"])
        step = None
        deadline = time.monotonic() + 10
        while step is None and time.monotonic() < deadline:  # the counter is replaced on every frame
            step = page.evaluate(POLL_JS, row.counter)["step"]
        result["steps"] = step
        seen = page.evaluate(SEEN_JS) or {"last": [], "longest": 0}
        result["frames"] = len(seen["last"])
        result["median_ms"] = statistics.median(seen["last"]) if seen["last"] else (
            statistics.median(polled) if polled else None)
        result["polled_median_ms"] = statistics.median(polled) if polled else None
        result["longest_ms"] = max(seen["longest"], polled_longest) if (seen["last"] or polled) else None
        if not seen["last"] and not polled:
            result["notes"].append("no #frame-cpu marker seen while playing")
        result["playing"] = label.inner_text(timeout=10_000).strip()
        if result["playing"] != "⏸ Pause":
            result["notes"].append(f"after {seconds:g} s the Play button reads {result['playing']!r} (stopped?)")
        # the status line around the counter: a page says there when a step takes longer than a frame
        status = page.evaluate("(id) => { const e = document.getElementById(id);"
                               " return e ? e.parentElement.innerText : null; }", row.counter)
        result["status"] = (status or "").replace("\n", " ")[:400]
        if page.locator('[data-testid="stException"]').count():
            result["notes"].append("exception while playing: "
                                   + page.locator('[data-testid="stException"]').first.inner_text()[:300])
    finally:
        context.close()


def _parse_rows(text: str | None) -> list[int]:
    if not text:
        return [r.number for r in LIVE_ROWS]
    out = []
    for part in text.split(","):
        a, _, b = part.strip().partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    known = {r.number for r in LIVE_ROWS}
    bad = [n for n in out if n not in known]
    if bad:
        raise SystemExit(f"--rows: no row {bad}; rows are {sorted(known)}")
    return out


def imports_rss_mb() -> float:
    """VmRSS of a Python that only imports what every page of the server imports (information)."""
    code = ("import streamlit, torch, torchvision\n"
            "print(open('/proc/self/status').read().split('VmRSS:')[1].split()[0])")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
        return int(out.stdout.split()[-1]) / 1024
    except (subprocess.SubprocessError, ValueError, IndexError):
        return float("nan")


def live_table(rows: list[int], seconds: float) -> int:
    libraries = imports_rss_mb()
    print(f"target: the longest live frame's server CPU <= {TARGET_FRAME_MS:.0f} ms and the session's RSS after "
          f"{seconds:g} s of Play <= {TARGET_PLAY_MB:.0f} MB: the server's RSS then, less the {libraries:.0f} MB a "
          f"Python holding the same libraries takes (`import streamlit, torch, torchvision`; the idle server has "
          f"not imported torch yet)\n")
    head = (f"{'#':>2} {'page':<10} {'steps':>7} {'frames':>6} {'med ms':>7} {'max ms':>7} {'idle MB':>8} "
            f"{'load MB':>8} {'after MB':>8} {'session':>7} {'play +MB':>8}  verdict")
    print(head)
    print("-" * len(head))
    failed = 0
    for number in rows:
        row = next(r for r in LIVE_ROWS if r.number == number)
        limit = seconds + CHILD_EXTRA_S
        child = subprocess.Popen([sys.executable, __file__, "--live-child", str(number), "--seconds", str(seconds)],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = child.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)  # the row's server and Chromium with it
            out, err = child.communicate()
            err = f"the row ran past {limit:.0f} s and was killed".encode() + b"\n" + err
        r = None
        for line in reversed(out.decode(errors="replace").splitlines()):
            if line.startswith("{"):
                r = json.loads(line)
                break
        if r is None:
            failed += 1
            print(f"{number:>2} {row.page:<10} row failed (exit {child.returncode}): {row.link}\n"
                  f"   {err.decode(errors='replace')[-1500:].strip()}")
            continue
        extra = r["after_mb"] - libraries if "after_mb" in r else None  # the session's share
        play_extra = r["after_mb"] - r["load_mb"] if "after_mb" in r else None
        longest = r.get("longest_ms")
        why = [name for name, bad in (
            ("error", "error" in r),
            ("frame", longest is None or longest > TARGET_FRAME_MS),
            ("RSS", extra is None or extra > TARGET_PLAY_MB),
            ("no steps", not (r.get("steps") or 0) > 0),
            ("no frames", not r.get("frames", 0) > 0),
            ("exception", any(n.startswith("exception") for n in r["notes"]))) if bad]
        ok = not why
        failed += not ok
        num = lambda v, fmt: format(v, fmt) if isinstance(v, (int, float)) else "-"  # noqa: E731
        print(f"{number:>2} {row.page:<10} {num(r.get('steps'), 'd'):>7} {num(r.get('frames'), 'd'):>6} "
              f"{num(r.get('median_ms'), '.1f'):>7} {num(longest, '.1f'):>7} {num(r.get('idle_mb'), '.0f'):>8} "
              f"{num(r.get('load_mb'), '.0f'):>8} {num(r.get('after_mb'), '.0f'):>8} {num(extra, '+.0f'):>7} "
              f"{num(play_extra, '+.0f'):>8}  {'PASS' if ok else 'FAIL: ' + ', '.join(why)}")
        print(f"   link: {row.link}")
        if "settings" in r:
            print(f"   ran:  {r['settings']}")
        if r.get("status"):
            print(f"   at {seconds:g} s: {r['status']}")
        if "first_step_s" in r:
            print(f"   first step {r['first_step_s']:.1f} s after Play; polled median {num(r.get('polled_median_ms'), '.1f')} ms;"
                  f" peak RSS {num(r.get('peak_mb'), '.0f')} MB")
        for w in r.get("warnings", []):
            print(f"   warning: {w[:400]}")
        for n in r["notes"]:
            print(f"   note: {n[:1600]}")
        if "error" in r:
            print(f"   error: {r['error']}")
    print(f"\n{'all live rows PASS' if not failed else f'{failed} live row(s) FAIL'}")
    print(f"(idle: the server before any page, which has not imported torch yet; load: once the page was idle, "
          f"before Play; session: after - {libraries:.0f} MB of libraries; play +MB: after - load.)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--table", choices=("both", "hostile", "live"), default="both",
                    help="which table to print (default: both)")
    ap.add_argument("--rows", help="live rows to run, e.g. 1,3-5 (default: all)")
    ap.add_argument("--seconds", type=float, default=30.0, help="seconds of Play per live row (default 30)")
    ap.add_argument("--live-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.live_child is not None:
        live_child(args.live_child, args.seconds)
        return 0
    rows = _parse_rows(args.rows)
    code = 0
    if args.table in ("both", "hostile"):
        code |= hostile_table()
    if args.table == "both":
        print("\n")
    if args.table in ("both", "live"):
        code |= live_table(rows, args.seconds)
    return code


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
