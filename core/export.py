"""Downloads and uploads of a run: curves as CSV, the run as JSON, weights, images.

Uploaded files are hostile until proven otherwise: JSON is parsed with limits and
only a flat str -> scalar config is accepted (each value is then validated again by
the page's Config.from_query); weights are read with torch.load(weights_only=True),
which never executes pickled code.
"""
from __future__ import annotations

import csv
import io
import json
import math

import torch
from PIL import Image

from core.i18n import UserFacingError
from core.render import encode
from core.trainer import METRICS, History

FORMAT = "loss-playground-run"
VERSION = 1
PAGES = ("2d", "mnist", "compare")

MAX_CONFIG_KEYS = 200
MAX_KEY_CHARS = 60
MAX_VALUE_CHARS = 200
_SHOW = 40  # echo at most this much of a bad value back to the user


class ImportRefused(UserFacingError):
    """A refused upload ("err.import.*" codes)."""


def _finite_or_none(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


# ---- export ----
def curves_csv(history: History) -> str:
    """step,epoch,<metrics>; one row per recorded point; NaN/inf as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["step", "epoch", *METRICS])
    for row in history.rows():
        cells = [int(row["step"])]
        for key in ("epoch", *METRICS):
            v = _finite_or_none(row[key])
            cells.append("" if v is None else repr(v))
        writer.writerow(cells)
    return out.getvalue()


def run_json(page: str, params: dict[str, str], history: History, title: str = "") -> str:
    """The run as JSON: its URL params (enough to rebuild it) plus the recorded curves."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    rows = [{k: (int(v) if k == "step" else _finite_or_none(v)) for k, v in row.items()}
            for row in history.rows()]
    final = {m: _finite_or_none(history.last(m)) for m in METRICS}
    doc = {"format": FORMAT, "version": VERSION, "page": page, "title": str(title),
           "config": {str(k): str(v) for k, v in params.items()}, "final": final, "history": rows}
    # allow_nan=False: NaN was mapped to null above; a stray one must fail here, not write invalid JSON.
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)


# ---- import ----
def _show(value) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text[:_SHOW]


def _config_value(key: str, value) -> str:
    # bool before int: True is an int in Python.
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        text = repr(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ImportRefused("err.import.config", reason=f"“{key[:_SHOW]}” is not a finite number")
        text = repr(value)
    elif isinstance(value, str):
        text = value
    else:
        kind = "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else "null"
        raise ImportRefused("err.import.config", reason=f"“{key[:_SHOW]}” is {kind}, not a single value")
    if len(text) > MAX_VALUE_CHARS:
        raise ImportRefused("err.import.config", reason=f"the value of “{key[:_SHOW]}” is longer than {MAX_VALUE_CHARS} characters")
    return text


def parse_run_json(data: bytes, max_bytes: int = 5_000_000) -> tuple[str, dict[str, str]]:
    """(page, params) from a file written by run_json; raises ImportRefused for anything else."""
    if len(data) > max_bytes:
        raise ImportRefused("err.import.too_large", size=len(data), limit=max_bytes)
    try:
        text = bytes(data).decode("utf-8-sig")  # -sig: tolerate a BOM from Windows editors
    except UnicodeDecodeError:
        raise ImportRefused("err.import.encoding") from None
    try:
        # NaN/Infinity literals become floats here and are refused where they matter (config).
        doc = json.loads(text)
    except RecursionError:
        raise ImportRefused("err.import.not_json", reason="nested too deeply") from None
    except ValueError as e:  # JSONDecodeError, and ints over Python's digit limit
        raise ImportRefused("err.import.not_json", reason=str(e)[:80]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportRefused("err.import.not_run")
    version = doc.get("version")
    if type(version) is not int or version != VERSION:
        raise ImportRefused("err.import.version", found=_show(version))
    page = doc.get("page")
    if page not in PAGES:  # also refuses unhashable pages via the tuple's == test
        raise ImportRefused("err.import.page", found=_show(page))
    config = doc.get("config")
    if not isinstance(config, dict):
        raise ImportRefused("err.import.config", reason="no settings object")
    if len(config) > MAX_CONFIG_KEYS:
        raise ImportRefused("err.import.config", reason=f"{len(config)} settings; at most {MAX_CONFIG_KEYS}")
    params: dict[str, str] = {}
    for key, value in config.items():
        if not 0 < len(key) <= MAX_KEY_CHARS:
            raise ImportRefused("err.import.config", reason=f"a setting name is empty or longer than {MAX_KEY_CHARS} characters")
        params[key] = _config_value(key, value)
    return page, params


# ---- weights ----
def state_dict_bytes(model: torch.nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def load_state_dict_bytes(data: bytes, model: torch.nn.Module, max_bytes: int = 200_000_000) -> None:
    """Load uploaded weights into `model`; on any refusal the model is left unchanged."""
    if len(data) > max_bytes:
        raise ImportRefused("err.import.too_large", size=len(data), limit=max_bytes)
    try:
        # weights_only=True: a restricted unpickler that builds tensors and plain containers only.
        state = torch.load(io.BytesIO(bytes(data)), weights_only=True, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - any failure to read means "not a weights file"
        raise ImportRefused("err.import.weights", reason=f"not a PyTorch weights file ({type(e).__name__})") from None
    if not isinstance(state, dict) or not all(isinstance(k, str) and isinstance(v, torch.Tensor)
                                              for k, v in state.items()):
        raise ImportRefused("err.import.weights", reason="not a dictionary of tensors")
    own = model.state_dict()
    missing, extra = sorted(set(own) - set(state)), sorted(set(state) - set(own))
    if missing or extra:
        names = ", ".join((missing or extra)[:3])
        what = "missing" if missing else "unexpected"
        raise ImportRefused("err.import.weights", reason=f"{what} tensors for this model: {names[:120]}")
    for key, tensor in own.items():
        got = state[key]
        if got.shape != tensor.shape or got.dtype != tensor.dtype:
            raise ImportRefused("err.import.weights", reason=f"“{key}” is {got.dtype} {tuple(got.shape)}, "
                                                             f"the model needs {tensor.dtype} {tuple(tensor.shape)}")
    backup = {k: v.detach().clone() for k, v in own.items()}
    try:
        model.load_state_dict(state, strict=True)
    except Exception as e:  # noqa: BLE001 - restore, then report
        model.load_state_dict(backup)
        raise ImportRefused("err.import.weights", reason=str(e)[:120]) from None


def png_bytes(img: Image.Image) -> bytes:
    return encode(img, "PNG")
