"""Peak memory and CPU while hostile weights and run files are refused.

Each row runs in a fresh subprocess: build the target model, read the payload, measure the idle
RSS, reset the kernel's peak-RSS mark (/proc/self/clear_refs) and call
core.export.load_state_dict_bytes (or parse_run_json); the peak is the larger of VmHWM and a 1 ms
VmRSS sampler; CPU is the calling thread's CPU time (the sampler's excluded).
Target: every hostile file refused within 50 MB of idle and 1 s of CPU. Rows marked "info" are
references: a genuine file (which does load) and torch.load called directly, without the checks
(what the import did before: torch's own reader allocates the declared, not the real, size, and
its pure-Python unpickler builds a 64-byte dict for each 1-byte "}" of a pickle bomb).

    .venv/bin/python bench/bench_hostile.py          # ~1 min on the 2-core development VM
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

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

    from core.export import ImportRefused, load_state_dict_bytes
    from core.models import build_model

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
            from core.export import parse_run_json
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
    from core.export import state_dict_bytes
    from core.models import build_model
    from core.export import FORMAT, RUN_FILE_MAX_BYTES, VERSION
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
    bomb = zeros_bomb()  # the file: torch.zeros(134_217_728) re-zipped DEFLATED
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
        (B, "zeros bomb (issue's 523 kB file, 512 MB declared)", "import", bomb, True),
        (B, "lying header: declares 4 kB, inflates to 500 MB", "import", lie_small, True),
        (B, f"lying header: declares {big_weight / 2**20:.0f} MB, inflates to 500 MB", "import", lie_full, True),
        (B, "genuine 4x2048 weights file (reference)", "import", genuine_big, False),
        (B, "zeros bomb, torch.load alone (the old import)", "torch.load", bomb, False),
        (B, f"lying {big_weight / 2**20:.0f} MB header, torch.load alone", "torch.load", lie_full, False),
        (S, "zeros bomb (issue's 523 kB file)", "import", bomb, True),
        (S, "zeros bomb, 47 kB file, 48 MB declared", "import", small_bomb, True),
        (S, "lying header: declares 4 kB, inflates to 48 MB", "import", small_lie, True),
    ]


def main() -> int:
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


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
