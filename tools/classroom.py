"""Serve a class: W `streamlit run app.py` workers behind HAProxy with cookie stickiness, on one port.

    python tools/classroom.py --workers 4 --port 8501 --address 0.0.0.0    # until Ctrl-C
    make classroom WORKERS=4 PORT=8501

A Streamlit session lives in one process (its websocket, reconnects, uploads, media), and one Python
process uses about one core (the GIL): W workers use W cores. HAProxy pins each browser to its worker
with a cookie (SERVERID), not by address: students behind one school NAT share an address.
`classroom()` is also used by bench/bench_classroom.py and tests/test_browser_classroom.py.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "haproxy.cfg.in"
HAPROXY = os.environ.get("HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy")
START_TIMEOUT = 180.0  # W workers importing torch at once on a small machine
STOP_TIMEOUT = 10.0

# The classroom settings: no file watcher (it rescans every loaded module after each script run,
# thousands with torch, while the server thread sends nothing), no rerun on save, no browser, no stats.
WORKER_FLAGS = ["--server.headless", "true", "--server.fileWatcherType", "none", "--server.runOnSave", "false",
                "--browser.gatherUsageStats", "false"]


def haproxy_missing_reason() -> str | None:
    if not os.path.exists(HAPROXY):
        return f"{HAPROXY} not found: install Debian's haproxy (apt-get install haproxy)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _wait_healthy(urls: list[str], procs: list[subprocess.Popen], logs: list[Path], timeout: float) -> None:
    """Until every url answers 200; fails early when a process exits, with the tail of its log."""
    deadline = time.monotonic() + timeout
    pending = set(range(len(urls)))
    while pending:
        for i in sorted(pending):
            if procs[i].poll() is not None:
                raise RuntimeError(f"{procs[i].args[0]} exited ({procs[i].returncode}); its log ends:\n"
                                   + _tail(logs[i]))
            if _healthy(urls[i]):
                pending.discard(i)
        if pending and time.monotonic() > deadline:
            raise RuntimeError(f"not healthy after {timeout:.0f} s: {[urls[i] for i in sorted(pending)]}")
        if pending:
            time.sleep(0.2)


def _tail(path: Path, chars: int = 2000) -> str:
    with contextlib.suppress(OSError):
        return path.read_text(errors="replace")[-chars:]
    return ""


def _stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM all, wait a bounded time, then SIGKILL whatever is left."""
    for p in procs:
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                p.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(5)


def haproxy_config(bind: str, worker_ports: list[int]) -> str:
    """The load balancer's config: the template with the bind address and one server line per worker."""
    servers = "\n".join(f"    server w{i} 127.0.0.1:{p} cookie w{i}" for i, p in enumerate(worker_ports))
    return string.Template(TEMPLATE.read_text()).substitute(bind=bind, servers=servers)


def _bind(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


@contextlib.contextmanager
def classroom(workers: int, port: int, address: str = "127.0.0.1"):
    """Start `workers` Streamlit workers on free loopback ports and HAProxy on address:port in front of
    them; yield (base_url, [worker pids]) once the load balancer answers /_stcore/health. Everything
    started here is stopped on exit."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    reason = haproxy_missing_reason()
    if reason:
        raise RuntimeError(reason)
    tmp = Path(tempfile.mkdtemp(prefix="classroom-"))
    procs: list[subprocess.Popen] = []
    logs: list[Path] = []
    # One cookie secret for all workers: an XSRF cookie made by one worker stays valid on another
    # (a student moved when a worker dies keeps working after the page reloads).
    secret = secrets.token_hex(16)
    try:
        ports = [_free_port() for _ in range(workers)]
        for i, p in enumerate(ports):
            log = tmp / f"worker{i}.log"
            logs.append(log)
            with open(log, "w") as out:
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(p),
                     "--server.address", "127.0.0.1", *WORKER_FLAGS],
                    cwd=ROOT, env={"MALLOC_ARENA_MAX": "2", **os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret}, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True))  # Ctrl-C reaches us once; we stop them in order
        _wait_healthy([f"http://127.0.0.1:{p}/_stcore/health" for p in ports], procs, logs, START_TIMEOUT)

        cfg = tmp / "haproxy.cfg"
        cfg.write_text(haproxy_config(_bind(address, port), ports))
        check = subprocess.run([HAPROXY, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy refused {cfg}:\n{check.stdout}{check.stderr}")
        log = tmp / "haproxy.log"
        logs.append(log)
        with open(log, "w") as out:
            lb = subprocess.Popen([HAPROXY, "-db", "-f", str(cfg)], stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        procs.append(lb)
        host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(address, address)  # all -> loopback
        base = f"http://{_bind(host, port)}"
        _wait_healthy([base + "/_stcore/health"], [lb], [log], 30)
        yield base, [p.pid for p in procs[:workers]]
    finally:
        _stop(procs[workers:] + procs[:workers])  # the load balancer first: no new requests to dying workers
        shutil.rmtree(tmp, ignore_errors=True)


def _interrupt(*_):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="Streamlit worker processes (default: the number of cores)")
    ap.add_argument("--port", type=int, default=8501, help="the port students open (default 8501)")
    ap.add_argument("--address", default="127.0.0.1",
                    help="the address to listen on; 0.0.0.0 for a class on the network (default 127.0.0.1)")
    args = ap.parse_args(argv)
    # SIGTERM (e.g. from a service manager) stops as cleanly as Ctrl-C
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"starting {args.workers} workers and haproxy on {args.address}:{args.port} ...", flush=True)
    try:
        with classroom(args.workers, args.port, args.address) as (base, pids):
            print(f"serving a class on {base} (workers: pids {pids}); Ctrl-C stops", flush=True)
            if args.address in ("0.0.0.0", "::"):
                print(f"students open http://<this machine's address>:{args.port}", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
