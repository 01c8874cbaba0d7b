"""Export a run (curves CSV, run JSON, PNG, weights) and import it back, refusing hostile files.

Weights are loaded with torch.load(..., weights_only=True): no pickled code ever runs.
"""
from __future__ import annotations

import csv
import io
import json
import math

import torch
from PIL import Image

from core.i18n import t
from core.trainer import METRICS, History

FORMAT = "loss-playground-run"
VERSION = 1
PAGES = ("2d", "mnist", "compare")
MAX_KEYS, MAX_KEY_CHARS, MAX_VALUE_CHARS = 200, 60, 200


class ImportRefused(ValueError):
    def __init__(self, code: str, **fields):
        self.code, self.fields = code, fields
        super().__init__(t(code, "en", **fields))


def _clean(v):
    return None if isinstance(v, float) and not math.isfinite(v) else v


def curves_csv(history: History) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["step", "epoch", *METRICS])
    for row in history.rows():
        writer.writerow([row["step"], f"{row['epoch']:.6g}",
                         *("" if not math.isfinite(row[m]) else repr(row[m]) for m in METRICS)])
    return out.getvalue()


def run_json(page: str, params: dict[str, str], history: History, title: str = "") -> str:
    rows = [{k: _clean(v) for k, v in row.items()} for row in history.rows()]
    final = {m: _clean(history.values[m][-1]) if history.values[m] else None for m in METRICS}
    doc = {"format": FORMAT, "version": VERSION, "page": page, "title": title,
           "config": {str(k): str(v) for k, v in params.items()}, "final": final, "history": rows}
    return json.dumps(doc, ensure_ascii=False, indent=1)


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed")


def parse_run_json(data: bytes, max_bytes: int = 5_000_000) -> tuple[str, dict[str, str]]:
    if len(data) > max_bytes:
        raise ImportRefused("err.import.too_large", size=len(data), limit=max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("err.import.encoding") from None
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as err:
        raise ImportRefused("err.import.not_json", reason=str(err)[:120]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportRefused("err.import.not_run")
    if doc.get("version") != VERSION:
        raise ImportRefused("err.import.version", found=str(doc.get("version"))[:20])
    page = doc.get("page")
    if page not in PAGES:
        raise ImportRefused("err.import.page", found=str(page)[:20])
    config = doc.get("config")
    if not isinstance(config, dict) or len(config) > MAX_KEYS:
        raise ImportRefused("err.import.config", reason="config must be an object of at most 200 settings")
    params = {}
    for key, value in config.items():
        if isinstance(value, bool):
            value = "1" if value else "0"
        elif isinstance(value, (int, float)):
            value = repr(value)
        elif not isinstance(value, str):
            raise ImportRefused("err.import.config", reason=f"setting {str(key)[:40]!r} is not a plain value")
        if len(key) > MAX_KEY_CHARS or len(value) > MAX_VALUE_CHARS:
            raise ImportRefused("err.import.config", reason=f"setting {str(key)[:40]!r} is too long")
        params[key] = value
    return page, params


def state_dict_bytes(model: torch.nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def load_state_dict_bytes(data: bytes, model: torch.nn.Module, max_bytes: int = 200_000_000) -> None:
    if len(data) > max_bytes:
        raise ImportRefused("err.import.weights", reason="file too large")
    try:
        state = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as err:  # any unpickling refusal or corrupt archive
        raise ImportRefused("err.import.weights", reason=str(err).splitlines()[0][:160]) from None
    own = model.state_dict()
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ImportRefused("err.import.weights", reason="not a state_dict of tensors")
    if set(state) != set(own) or any(state[k].shape != own[k].shape for k in own):
        raise ImportRefused("err.import.weights", reason="layers or sizes differ from the current model")
    model.load_state_dict(state)


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
