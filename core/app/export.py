"""Downloads and uploads of a run: curves as CSV, the run as JSON, weights, images.

Uploaded files are hostile until proven otherwise: JSON is parsed with limits and
only a flat str -> scalar config is accepted (each value is then validated again by
the page's Config.from_query); weights are read with torch.load(weights_only=True),
which never executes pickled code, and only after the zip archive's declared sizes
were checked against what the target model needs (nothing is unpacked before).
Every refusal is an ImportRefused whose reason is an i18n Msg (shown in the page's language).
"""
from __future__ import annotations

import csv
import io
import json
import math
import pickle
import pickletools
import re
import struct
import zipfile
import zlib

import torch
from PIL import Image

from core.i18n import Msg, UserFacingError
from core.app.pages import RUN_PAGES
from core.pictures.render import encode
from core.learning.trainer import METRICS, History

FORMAT = "loss-playground-run"
VERSION = 1
PAGES = RUN_PAGES  # the pages a run file may name

# A run file holds at most RUN_FILE_ROWS points of history; with the longest config the parser
# accepts (200 keys of 60 + 200 characters) and full-precision numbers it is ~0.3 MB (tests measure
# it), so the import reads at most RUN_FILE_MAX_BYTES and builds only format, version, page and config.
RUN_FILE_ROWS = 1000
RUN_FILE_MAX_BYTES = 500_000
MAX_CONFIG_KEYS = 200
MAX_KEY_CHARS = 60
MAX_VALUE_CHARS = 200
# settings whose value may be longer: the hand edits of the data (core/data/edits.py: up to 50 edits)
LONG_VALUES = {"edits": 2_000}
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


def _spread(rows: list, most: int) -> list:
    """At most `most` rows, evenly spaced, the first and the last always among them."""
    if len(rows) <= most:
        return rows
    return [rows[round(i * (len(rows) - 1) / (most - 1))] for i in range(most)]


def run_json(page: str, params: dict[str, str], history: History, title: str = "") -> str:
    """The run as JSON: its URL params (enough to rebuild it) plus the recorded curves, at most
    RUN_FILE_ROWS points of them (the history grows by a point a frame while playing; the curves
    CSV keeps every point), so that a run file stays within what the import reads."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    rows = [{k: (int(v) if k == "step" else _finite_or_none(v)) for k, v in row.items()}
            for row in _spread(history.rows(), RUN_FILE_ROWS)]
    final = {m: _finite_or_none(history.last(m)) for m in METRICS}
    doc = {"format": FORMAT, "version": VERSION, "page": page, "title": str(title),
           "config": {str(k): str(v) for k, v in params.items()}, "final": final, "history": rows}
    # allow_nan=False: NaN was mapped to null above; a stray one must fail here, not write invalid JSON.
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)


# ---- import ----
def _show(value) -> str:
    text = repr(value) if not isinstance(value, str) else value
    # control/format characters and lone surrogates would garble (or break) the message
    return "".join(ch if ch.isprintable() and not "\ud800" <= ch <= "\udfff" else "\ufffd" for ch in text[:_SHOW])


def _plain_text(text: str) -> bool:
    """Printable, encodable text: lone surrogates ("\\ud800" in JSON) would break the URL later."""
    return text.isprintable() and not any("\ud800" <= ch <= "\udfff" for ch in text)


def _config_refused(why: str, **fields) -> ImportRefused:
    return ImportRefused("err.import.config", reason=Msg(f"imp.why.{why}", **fields))


def _config_value(key: str, value) -> str:
    # bool before int: True is an int in Python.
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        if value.bit_length() > 4 * MAX_VALUE_CHARS:  # before repr(): no 4,300-digit conversion
            raise _config_refused("too_long", key=_show(key), limit=MAX_VALUE_CHARS)
        text = repr(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _config_refused("not_finite", key=_show(key))
        text = repr(value)
    elif isinstance(value, str):
        text = value
    else:
        raise _config_refused("not_scalar", key=_show(key))
    limit = LONG_VALUES.get(key, MAX_VALUE_CHARS)
    if len(text) > limit:
        raise _config_refused("too_long", key=_show(key), limit=limit)
    if not _plain_text(text):
        raise _config_refused("bad_chars", key=_show(key))
    return text


_WS = re.compile(r"[ \t\n\r]*")
# one JSON token after optional whitespace: open, close, string start, separator or scalar
_TOKEN = re.compile(r'[ \t\n\r]*(?:([\[{])|([\]}])|(")|([,:])|'
                    r'(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null|NaN|-?Infinity))')
_OPEN, _CLOSE, _QUOTE, _SEP, _SCALAR = range(1, 6)
_CLOSER = {"[": "]", "{": "}"}
_MAX_DEPTH = 64  # a run file nests 3 deep (document, history, row)
_READ = ("format", "version", "page", "config")  # all that the import reads


class _Compound:
    """Stands for a list or object that was checked but not built (a run file has none where it is read)."""

    def __init__(self, opener: str):
        self.text = "[…]" if opener == "[" else "{…}"

    def __repr__(self) -> str:
        return self.text


def _syntax(text: str, pos: int) -> json.JSONDecodeError:
    return json.JSONDecodeError("syntax error", text, min(pos, len(text)))


def _skip_value(text: str, pos: int) -> int:
    """The end of the JSON value at `pos`, checked token by token and never built: memory stays flat
    whatever it holds (a 5 MB list of {} built by json.loads takes 130 MB)."""
    stack: list[str] = []
    expect = "value"  # value, first_value (after "["), key, first_key (after "{"), colon, after
    while True:
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _syntax(text, pos)
        kind, char, pos = m.lastindex, text[m.start(m.lastindex)], m.end()
        if kind == _QUOTE and expect in ("value", "first_value", "key", "first_key"):
            pos = json.decoder.scanstring(text, pos)[1]
            expect = "colon" if expect in ("key", "first_key") else "after"
        elif kind == _OPEN and expect in ("value", "first_value"):
            if len(stack) >= _MAX_DEPTH:
                raise RecursionError
            stack.append(char)
            expect = "first_value" if char == "[" else "first_key"
        elif kind == _SCALAR and expect in ("value", "first_value"):
            expect = "after"
        elif kind == _CLOSE and stack and char == _CLOSER[stack[-1]] \
                and expect in ("after", "first_value" if char == "]" else "first_key"):
            stack.pop()
            expect = "after"
        elif kind == _SEP and char == ":" and expect == "colon":
            expect = "value"
        elif kind == _SEP and char == "," and expect == "after" and stack:
            expect = "value" if stack[-1] == "[" else "key"
        else:
            raise _syntax(text, m.start(kind))
        if expect == "after" and not stack:
            return pos


def _scalar(text: str, pos: int, decoder=json.JSONDecoder()) -> tuple[object, int]:
    """The value at `pos`: a string, number or literal is built; a list or object only checked."""
    if text[pos:pos + 1] in ("[", "{"):
        return _Compound(text[pos]), _skip_value(text, pos)
    return decoder.raw_decode(text, pos)


def _members(text: str, pos: int, keep=lambda key: True, descend: tuple = ()) -> tuple[dict, int]:
    """The object at `pos` as {key: value} for the keys `keep(key)` accepts (a repeated key: the last,
    as json.loads), every other value checked and skipped; and its end. Values are built only when
    scalar, or when an object under a key of `descend` (its members the same way, one level down)."""
    kept: dict = {}
    pos = _WS.match(text, pos + 1).end()
    if text[pos:pos + 1] == "}":
        return kept, pos + 1
    while True:
        if text[pos:pos + 1] != '"':
            raise _syntax(text, pos)
        key, pos = json.decoder.scanstring(text, pos + 1)
        pos = _WS.match(text, pos).end()
        if text[pos:pos + 1] != ":":
            raise _syntax(text, pos)
        pos = _WS.match(text, pos + 1).end()
        if not keep(key):
            pos = _skip_value(text, pos)
        elif key in descend and text[pos:pos + 1] == "{":
            kept[key], pos = _members(text, pos)
        else:
            kept[key], pos = _scalar(text, pos)
        pos = _WS.match(text, pos).end()
        if text[pos:pos + 1] == "}":
            return kept, pos + 1
        if text[pos:pos + 1] != ",":
            raise _syntax(text, pos)
        pos = _WS.match(text, pos + 1).end()


def _read_run_doc(text: str) -> dict | None:
    """The top-level fields the import reads (config's members as a dict), or None when the document
    is valid JSON but no object. Raises as json.loads would on invalid JSON."""
    pos = _WS.match(text).end()
    if text[pos:pos + 1] != "{":
        end = _skip_value(text, pos)
        doc = None
    else:
        doc, end = _members(text, pos, lambda key: key in _READ, descend=("config",))
    if _WS.match(text, end).end() != len(text):
        raise _syntax(text, end)
    return doc


def parse_run_json(data: bytes, max_bytes: int = RUN_FILE_MAX_BYTES) -> tuple[str, dict[str, str]]:
    """(page, params) from a file written by run_json; raises ImportRefused for anything else.
    Only format, version, page and config are built; the rest (the history) is checked, not built."""
    if len(data) > max_bytes:
        raise ImportRefused("err.import.too_large", size=len(data), limit=max_bytes)
    try:
        text = bytes(data).decode("utf-8-sig")  # -sig: tolerate a BOM from Windows editors
    except UnicodeDecodeError:
        raise ImportRefused("err.import.encoding") from None
    try:
        # NaN/Infinity literals become floats here and are refused where they matter (config).
        doc = _read_run_doc(text)
    except RecursionError:
        raise ImportRefused("err.import.not_json", reason=Msg("imp.why.json_deep")) from None
    except json.JSONDecodeError as e:
        raise ImportRefused("err.import.not_json",
                            reason=Msg("imp.why.json_syntax", line=e.lineno, column=e.colno)) from None
    except ValueError:  # an integer over Python's 4,300-digit limit
        raise ImportRefused("err.import.not_json", reason=Msg("imp.why.json_digits")) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportRefused("err.import.not_run")
    version = doc.get("version")
    if type(version) is not int or version != VERSION:
        raise ImportRefused("err.import.version", found=_show(version))
    page = doc.get("page")
    if type(page) is not str or page not in PAGES:
        raise ImportRefused("err.import.page", found=_show(page))
    config = doc.get("config")
    if not isinstance(config, dict):
        raise _config_refused("no_settings")
    if len(config) > MAX_CONFIG_KEYS:
        raise _config_refused("too_many_settings", count=len(config), limit=MAX_CONFIG_KEYS)
    params: dict[str, str] = {}
    for key, value in config.items():
        if not 0 < len(key) <= MAX_KEY_CHARS:
            raise _config_refused("bad_name", limit=MAX_KEY_CHARS)
        if not _plain_text(key):
            raise _config_refused("bad_chars", key=_show(key))
        params[key] = _config_value(key, value)
    return page, params


# ---- weights ----
def state_dict_bytes(model: torch.nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


# A torch.save archive holds, besides one entry per tensor storage, data.pkl (~100 bytes per
# tensor), version, byteorder and a few more entries of a few bytes (measured: < 3 kB in all for
# every model here); the allowances below are generous and still tiny next to any tensor.
ARCHIVE_ALLOWANCE = 64 * 1024      # bytes beyond the tensors' own, in the file and unpacked
ARCHIVE_PER_TENSOR = 1024          # plus this per tensor: headers, pickle, 64-byte alignment
ARCHIVE_EXTRA_ENTRIES = 16         # entries beyond one per tensor
_CENTRAL_PER_ENTRY = 1024          # central-directory bytes per entry (46 + name + extras)
# data.pkl is unpickled by torch in pure Python, where each 1-byte opcode (EMPTY_DICT) can build a
# 64-byte object: the tensor-bytes limit above would let a 57 MB pickle build 3.6 GB. A state dict's
# pickle takes 270-740 bytes and 76-270 opcodes for every model here (~40 per tensor), so it, and
# every other entry that is no tensor storage, is held to these instead.
PICKLE_ALLOWANCE = 2048            # bytes of data.pkl (or any non-storage entry), plus per tensor:
PICKLE_PER_TENSOR = 512
PICKLE_OPS_ALLOWANCE = 128         # opcodes in data.pkl, plus per tensor:
PICKLE_OPS_PER_TENSOR = 64
_STORAGE = re.compile(r"(?:^|/)data/\d+$", re.IGNORECASE)  # archive/data/<n>: a tensor's bytes
_LOCAL, _END = b"PK\x03\x04", b"PK\x05\x06"
_INFLATE_CHUNK = 1 << 20           # check deflated entries 1 MB of output at a time
_PROBE_ROWS = 16
# Outputs beyond this on ordinary inputs are refused although finite: their squares summed over the
# largest data set (20,000 rows) must stay finite in float32 (3.4e38), or every loss overflows at step 0.
OUTPUT_LIMIT = 1e17


def _weights_refused(why: str, **fields) -> ImportRefused:
    return ImportRefused("err.import.weights", reason=Msg(f"imp.why.{why}", **fields))


def weights_size_limit(model: torch.nn.Module) -> int:
    """The largest weights file (and unpacked archive) accepted for `model`: its tensors' bytes
    plus the allowances; 57 MB for the 784-2048x4-10 MLP, 70 kB for a 2D net."""
    own = model.state_dict()
    return sum(t.nbytes for t in own.values()) + ARCHIVE_ALLOWANCE + ARCHIVE_PER_TENSOR * len(own)


def _end_record(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory size) from the zip's end record, found the way zipfile does."""
    at = len(data) - 22
    if not (at >= 0 and data[at:at + 4] == _END and data[-2:] == b"\0\0"):
        at = data.rfind(_END, max(0, len(data) - 22 - 0xFFFF))  # an archive comment follows it
    if at < 0 or at + 22 > len(data):
        return None
    _, _, _, _, entries, cd_size, _, _ = struct.unpack("<4s4H2LH", data[at:at + 22])
    if at >= 20 and data[at - 20:at - 16] == b"PK\x06\x07":
        # torch always writes the zip64 records too, and zipfile then takes their counts (from the
        # record just before the locator): read the same, and insist that the two records agree.
        z64 = at - 20 - 56
        _, _, where, _ = struct.unpack("<4sLQL", data[at - 20:at])
        if z64 < 0 or where != z64 or data[z64:z64 + 4] != b"PK\x06\x06":
            return None
        n64, cd64 = struct.unpack("<QQ", data[z64 + 32:z64 + 48])
        if entries not in (n64, 0xFFFF) or cd_size not in (cd64, 0xFFFFFFFF):
            return None
        entries, cd_size = n64, cd64
    return entries, cd_size


def _check_archive(data: bytes, n_tensors: int, limit: int) -> None:
    """Refuse, before torch.load unpacks anything, an archive that could unpack to more than
    `limit` bytes or that torch's reader might see differently. torch's reader allocates each
    entry from its declared size and never inflates past it (bench/bench_hostile.py measures a
    header that lies), so bounding the declared sizes bounds its memory; the sizes are then
    verified here too, inflating at most 1 MB at a time."""
    max_entries = n_tensors + ARCHIVE_EXTRA_ENTRIES
    end = _end_record(data)
    if end is None:
        raise _weights_refused("damaged")
    entries, cd_size = end
    # Before zipfile parses the central directory: it would build one object per entry.
    if entries > max_entries or cd_size > _CENTRAL_PER_ENTRY * max_entries:
        raise _weights_refused("entries", count=entries, limit=max_entries)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:  # noqa: BLE001 - BadZipFile, struct.error, ...: any parse failure is damage
        raise _weights_refused("damaged") from None
    if len(infos) != entries or len({i.filename for i in infos}) != len(infos):
        raise _weights_refused("damaged")  # a count that lies, or one name twice: parsers may differ
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _weights_refused("method", entry=_show(info.filename), method=info.compress_type)
        if info.header_offset + info.compress_size > len(data):
            raise _weights_refused("damaged")  # truncated
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limit:
        raise _weights_refused("unpacked", size=unpacked, limit=limit)
    pickle_limit = PICKLE_ALLOWANCE + PICKLE_PER_TENSOR * n_tensors
    for info in infos:
        if not _STORAGE.search(info.filename) and info.file_size > pickle_limit:
            raise _weights_refused("pickle_large", entry=_show(info.filename), size=info.file_size,
                                   limit=pickle_limit)
    # Declared sizes are now small enough; make sure they are true (torch's reader would read
    # only the declared bytes, but a lie is no weights file), at most 1 MB of output in memory.
    for info in infos:
        if not _unpacks_as_declared(data, info):
            raise _weights_refused("lying", entry=_show(info.filename))
    # torch finds data.pkl by name, ignoring case (miniz); every such entry is walked, never unpickled
    for info in infos:
        if info.filename.lower().endswith("data.pkl"):
            _check_pickle_ops(_entry_bytes(data, info), n_tensors)


def _entry_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """One entry's bytes, once _check_archive has bounded and verified its size. zipfile checks more
    than the size (the CRC-32, the local header's name): what it objects to is damage, not a crash."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read(info)
    except Exception:  # noqa: BLE001 - BadZipFile ("Bad CRC-32", "File name in directory ... differ"), ...
        raise _weights_refused("damaged") from None


def _check_pickle_ops(pkl: bytes, n_tensors: int) -> None:
    """Count the pickle's opcodes without running it: a state dict's is a few dozen per tensor."""
    limit = PICKLE_OPS_ALLOWANCE + PICKLE_OPS_PER_TENSOR * n_tensors
    count = 0
    try:
        for _ in pickletools.genops(pkl):
            count += 1
            if count > limit:
                raise _weights_refused("pickle_ops", limit=limit)
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 - a truncated or unknown opcode: torch could not read it either
        raise _weights_refused("unreadable") from None


def _unpacks_as_declared(data: bytes, info: zipfile.ZipInfo) -> bool:
    start = info.header_offset
    if data[start:start + 4] != _LOCAL:
        return False
    name_len, extra_len = struct.unpack("<HH", data[start + 26:start + 30])
    begin = start + 30 + name_len + extra_len
    if begin + info.compress_size > len(data):
        return False
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size == info.file_size
    packed = memoryview(data)[begin:begin + info.compress_size]
    inflate, total, pos = zlib.decompressobj(-15), 0, 0
    try:
        while not inflate.eof:
            if inflate.unconsumed_tail:
                chunk = inflate.unconsumed_tail
            elif pos < len(packed):
                chunk, pos = packed[pos:pos + _INFLATE_CHUNK], pos + _INFLATE_CHUNK
            else:
                break  # the stream stops short
            total += len(inflate.decompress(chunk, _INFLATE_CHUNK))
            if total > info.file_size:
                return False  # more than declared: stop here, never inflate the rest
    except zlib.error:
        return False
    return inflate.eof and total == info.file_size and pos >= len(packed) and not inflate.unused_data


def _read_archive(data: bytes) -> object:
    try:
        # weights_only=True: a restricted unpickler that builds tensors and plain containers only.
        return torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except pickle.UnpicklingError as e:
        # torch's wordings: "Unsupported global: GLOBAL builtins.open was not an allowed global",
        # "Trying to load unsupported GLOBAL posix.system whose module posix is blocked"
        if "unsupported global" in str(e).lower():
            raise _weights_refused("objects") from None
        raise _weights_refused("unreadable") from None
    except Exception:  # noqa: BLE001 - any other failure to read means "not readable"
        raise _weights_refused("unreadable") from None


def _probe_shape(model: torch.nn.Module) -> tuple[int, ...] | None:
    """One input row's shape as the model's forward takes it (not its first layer's width: the
    polynomial regressor turns x (N, 1) into its powers inside the model)."""
    from core.learning.models import SmallCNN
    from core.learning.regression_models import Regressor
    if isinstance(model, Regressor):
        return (1,)
    net = getattr(model, "net", model)
    if getattr(getattr(model, "standardize", None), "features", None) is not None:
        return (2,)  # feature inputs (x₁², sin x₁, ...): the model takes the point (x₁, x₂) and makes them itself
    if hasattr(net, "sizes"):
        return (int(net.sizes[0]),)
    return (784,) if isinstance(net, SmallCNN) else None


def _standardize_of(model: torch.nn.Module):
    """The model's Standardize (mean, std of the data it was built for), also inside a Sequential."""
    from core.learning.models import Standardize
    st = getattr(model, "standardize", None)
    if st is None:
        return None
    return next((m for m in st.modules() if isinstance(m, Standardize)), None)


def _probe(model: torch.nn.Module) -> tuple[torch.Tensor, torch.Tensor] | None:
    """(x, z): ordinary inputs x for `model`, from its current (trusted) state, and their standardised
    values z (up to ±4 stds of the data it was built for); fixed, so a refusal is reproducible."""
    shape = _probe_shape(model)
    if shape is None:
        return None
    z = torch.rand(_PROBE_ROWS, *shape, generator=torch.Generator().manual_seed(0)) * 8 - 4
    z[0] = 0
    st = _standardize_of(model)
    if st is not None and getattr(st, "features", None) is not None:
        # points of the plane within ±4 of its origin, and their standardised features (the model's own map)
        with torch.no_grad():
            return z, st(z)
    if st is not None and st.mean.numel() in (1, shape[-1]):
        return st.mean + st.std * z, z
    return z, z


def _largest_weight(state: dict) -> tuple[str, float]:
    sizes = {k: float(v.abs().max()) for k, v in state.items() if v.is_floating_point() and v.numel()}
    key = max(sizes, key=sizes.get)
    return key, sizes[key]


def _check_values(state: dict, model: torch.nn.Module) -> None:
    """Refuse NaN/inf, and finite values so large that the model's outputs overflow anyway, or
    that any loss of those outputs does (Play would report a divergence it can never recover from)."""
    for key, tensor in state.items():
        if tensor.is_floating_point():
            # in 1M-element pieces: no bool copy of a 14M-element layer
            bad = sum(int(chunk.numel() - torch.isfinite(chunk).sum()) for chunk in tensor.reshape(-1).split(1 << 20))
            if bad:
                raise _weights_refused("non_finite", key=_show(key), count=bad)
    probe = _probe(model)
    if probe is None:
        return
    probe, z = probe
    with torch.no_grad():
        was_training = model.training
        model.eval()
        try:
            out = torch.func.functional_call(model, state, (probe,))
        finally:
            model.train(was_training)
    if not torch.isfinite(out).all():
        key, largest = _largest_weight(state)
        raise _weights_refused("overflow", key=_show(key), largest=largest)
    # Only rows within one std of the data's mean: a polynomial fitted exactly may reach 1e11 at 4 stds.
    bulk = z.flatten(1).abs().amax(1) <= 1
    near = out.reshape(len(out), -1)[bulk]
    biggest = float(near.abs().max()) if near.numel() else 0.0
    if biggest > OUTPUT_LIMIT:
        key, largest = _largest_weight(state)
        raise _weights_refused("outputs_huge", value=biggest, limit=OUTPUT_LIMIT, key=_show(key), largest=largest)


def load_state_dict_bytes(data: bytes, model: torch.nn.Module, max_bytes: int | None = None) -> None:
    """Load uploaded weights into `model`; on any refusal (ImportRefused) the model is unchanged.

    max_bytes: the largest file accepted; default weights_size_limit(model). The archive's
    declared unpacked size is held to that too, before torch.load unpacks anything."""
    own = model.state_dict()
    limit = weights_size_limit(model)
    max_bytes = limit if max_bytes is None else max_bytes
    if not isinstance(data, bytes):
        data = bytes(data)
    if not data:
        raise _weights_refused("empty")
    if len(data) > max_bytes:
        raise ImportRefused("err.import.too_large", size=len(data), limit=max_bytes)
    if not data.startswith(_LOCAL):
        # 0x80: a pickle's PROTO opcode, which is how torch's legacy format starts as well
        raise _weights_refused("legacy" if data[:1] == b"\x80" else "not_weights")
    _check_archive(data, len(own), limit)
    state = _read_archive(data)
    if not isinstance(state, dict) or not all(isinstance(k, str) and isinstance(v, torch.Tensor)
                                              for k, v in state.items()):
        raise _weights_refused("not_dict")
    missing, extra = sorted(set(own) - set(state)), sorted(set(state) - set(own))
    if missing or extra:
        names = ", ".join(_show(n) for n in (missing or extra)[:3])
        raise _weights_refused("missing" if missing else "unexpected", names=names)
    for key, tensor in own.items():
        got = state[key]
        if type(got) not in (torch.Tensor, torch.nn.Parameter) or got.layout != torch.strided \
                or got.device.type != "cpu":
            raise _weights_refused("layout", key=key, layout=f"{type(got).__name__}, {got.layout}")
        if got.shape != tensor.shape or got.dtype != tensor.dtype:
            raise _weights_refused("shape", key=key, got=f"{str(got.dtype)[6:]} {tuple(got.shape)}",
                                   need=f"{str(tensor.dtype)[6:]} {tuple(tensor.shape)}")
    _check_values(state, model)
    backup = {k: v.detach().clone() for k, v in own.items()}
    try:
        model.load_state_dict(state, strict=True)
    except Exception:  # noqa: BLE001 - restore, then report
        model.load_state_dict(backup)
        raise _weights_refused("load") from None


def png_bytes(img: Image.Image) -> bytes:
    return encode(img, "PNG")
