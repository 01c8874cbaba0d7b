"""Hostile weights files, built in memory: shared by tests/test_hostile_files.py and
bench/bench_hostile.py. Nothing here is ever written to disk except by a test's own tmp_path.

A torch.save file is a zip archive (archive/data.pkl, archive/data/<n>, a few small entries).
`zip_bytes` writes such archives by hand so that a test can make the headers lie.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import torch


@dataclass
class Entry:
    name: str
    payload: bytes                 # the bytes as stored (already deflated when method == 8)
    method: int = 0                # 0 STORED, 8 DEFLATED, anything else for "unsupported"
    size: int | None = None        # declared uncompressed size (both headers); None: len(payload)
    crc: int | None = None         # declared CRC-32; None: of payload (right for STORED)
    local_size: int | None = None  # a different size in the local header only


def zip_bytes(entries: list[Entry]) -> bytes:
    """A zip archive whose headers say exactly what the entries say, true or not."""
    out, central = io.BytesIO(), io.BytesIO()
    for e in entries:
        name = e.name.encode()
        size = len(e.payload) if e.size is None else e.size
        crc = zlib.crc32(e.payload) if e.crc is None else e.crc
        local_size = size if e.local_size is None else e.local_size
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, e.method, 0, 0, crc,
                              len(e.payload), local_size, len(name), 0))
        out.write(name)
        out.write(e.payload)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, e.method, 0, 0, crc,
                                  len(e.payload), size, len(name), 0, 0, 0, 0, 0, offset))
        central.write(name)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(cd), start, 0))
    return out.getvalue()


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as zip stores it
    return c.compress(data) + c.flush()


def deflate_zeros(n: int, chunk: int = 1 << 24) -> bytes:
    """Raw deflate of n zero bytes without ever holding n bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block, parts, left = bytes(min(chunk, n)), [], n
    while left:
        parts.append(c.compress(block[:min(chunk, left)]))
        left -= min(chunk, left)
    return b"".join(parts) + c.flush()


def saved(obj) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def entries_of(data: bytes) -> list[Entry]:
    """The entries of a (genuine) torch.save archive, all STORED."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [Entry(i.filename, z.read(i)) for i in z.infolist()]


def rezip_deflated(data: bytes) -> bytes:
    """The same archive with every entry DEFLATED (zipfile writes truthful headers)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def zeros_bomb(numel: int = 134_217_728) -> bytes:
    """A zip bomb: torch.zeros(numel) under the key of the model's largest tensor,
    saved by torch and re-zipped DEFLATED (~0.5 MB for 512 MB of zeros). Built without
    allocating the zeros: the pickle of torch.zeros(7) is reused with the big numel
    (7 appears only as its numel and size; its stride is 1)."""
    small = saved({"net.weight": torch.zeros(7)})
    entries = entries_of(small)
    out = []
    for e in entries:
        if e.name.endswith("/data.pkl"):
            out.append(Entry(e.name, _with_numel(e.payload, 7, numel)))
        elif e.name.endswith("/data/0"):
            out.append(Entry(e.name, deflate_zeros(4 * numel), method=8, size=4 * numel,
                             crc=_crc_zeros(4 * numel)))
        else:
            out.append(Entry(e.name, deflate(e.payload), method=8, size=len(e.payload)))
    return zip_bytes(out)


def lying_bomb(declared: int, real: int, key: str = "net.weight") -> bytes:
    """A DEFLATED entry whose headers declare `declared` bytes but that inflates to `real`."""
    numel = declared // 4
    small = saved({key: torch.zeros(7)})
    out = []
    for e in entries_of(small):
        if e.name.endswith("/data.pkl"):
            out.append(Entry(e.name, _with_numel(e.payload, 7, numel)))
        elif e.name.endswith("/data/0"):
            out.append(Entry(e.name, deflate_zeros(real), method=8, size=declared, crc=_crc_zeros(declared)))
        else:
            out.append(e)
    return zip_bytes(out)


def _crc_zeros(n: int, chunk: int = 1 << 24) -> int:
    crc, block = 0, bytes(min(chunk, n))
    while n:
        crc = zlib.crc32(block[:min(chunk, n)], crc)
        n -= min(chunk, n)
    return crc


def _with_numel(pkl: bytes, old: int, new: int) -> bytes:
    """data.pkl of {key: tensor} with the storage's numel and the tensor's size replaced.

    Rewritten through pickle's own opcodes (no unpickling): the persistent id tuple and the
    size tuple hold `old` as a BININT1/BININT; they become `new` as a BININT (< 2**31) or LONG1."""
    import pickletools

    out = io.BytesIO()
    pos = 0
    for op, arg, at in pickletools.genops(pkl):
        if op.name in ("BININT1", "BININT", "BININT2") and arg == old:
            out.write(pkl[pos:at])
            out.write(_int_op(new))
            pos = at + 1 + {"BININT1": 1, "BININT2": 2, "BININT": 4}[op.name]
    out.write(pkl[pos:])
    return out.getvalue()


def _int_op(n: int) -> bytes:
    if 0 <= n < 2**31:
        return b"J" + struct.pack("<i", n)
    raw = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(raw)]) + raw


def legacy_torch_file(state: dict) -> bytes:
    buf = io.BytesIO()
    torch.save(state, buf, _use_new_zipfile_serialization=False)
    return buf.getvalue()


# ---- pickle bombs: data.pkl = PROTO 2, n × EMPTY_DICT, STOP ----
# torch's weights_only unpickler is pure Python: each 1-byte "}" builds a 64-byte dict, so n bytes of
# pickle cost ~64·n bytes of memory (and CPU for each) before anything could be refused.
BOMB_HEAD, BOMB_TAIL = b"\x80\x02", b"."


def _deflate_parts(parts) -> tuple[bytes, int, int]:
    """(raw deflate, CRC-32, size) of the concatenated parts, each (byte string, repeat count),
    without ever holding the whole."""
    c, crc, size, out, chunk = zlib.compressobj(9, zlib.DEFLATED, -15), 0, 0, [], 1 << 24
    for piece, count in parts:
        block = piece * max(1, min(count, chunk // max(1, len(piece))))
        left = len(piece) * count
        while left:
            part = block[:min(len(block), left)]
            out.append(c.compress(part))
            crc, size, left = zlib.crc32(part, crc), size + len(part), left - len(part)
    return b"".join(out) + c.flush(), crc, size


def pickle_bomb(n_dicts: int, storages: dict[str, int] | None = None) -> bytes:
    """A torch archive whose data.pkl is b"\x80\x02" + b"}" * n_dicts + b"." (DEFLATED, truthful
    headers), beside the small entries torch writes and, optionally, zero-filled storages {key: nbytes}."""
    packed, crc, size = _deflate_parts([(BOMB_HEAD, 1), (b"}", n_dicts), (BOMB_TAIL, 1)])
    entries = [Entry("archive/data.pkl", packed, method=8, size=size, crc=crc)]
    for key, nbytes in (storages or {}).items():
        entries.append(Entry(f"archive/data/{key}", deflate_zeros(nbytes), method=8, size=nbytes,
                             crc=_crc_zeros(nbytes)))
    entries += [Entry(name, payload) for name, payload in SMALL_ENTRIES]
    return zip_bytes(entries)


SMALL_ENTRIES = [("archive/byteorder", b"little"), ("archive/version", b"3\n"),
                 ("archive/.data/serialization_id", b"0" * 40)]


def pickle_bomb_for(model, with_storages: bool = False) -> bytes:
    """The largest bomb whose archive still unpacks to no more than `model`'s weights limit (so the
    tensor-bytes checks pass): all of it data.pkl, or what the model's own storages leave."""
    from core.app.export import weights_size_limit
    limit = weights_size_limit(model)
    storages = {str(i): t.nbytes for i, t in enumerate(model.state_dict().values())} if with_storages else {}
    small = sum(len(p) for _, p in SMALL_ENTRIES) + len(BOMB_HEAD) + len(BOMB_TAIL)
    return pickle_bomb(limit - small - sum(storages.values()), storages)


# ================================================================ the pages' weights corpus
# Hostile weights files uploaded through the import panels of the 2D, Regression and MNIST pages
# (tests/test_hostile_pages.py). Each is built in memory for the page's own model (its keys, shapes and
# size limit), with the refusal it must get. Files that would run code name `marker`: it must never appear.

# Text a file may carry into a refusal (tensor or entry names): Markdown, HTML, LaTeX, colour and emoji codes.
MARKUP_NAMES = ["![x](http://127.0.0.1:1/p.png)", "[link](https://evil.example)", "<img src=x onerror=alert(1)>",
                ":red[x]", ":smile: :rocket:", "$x^2$ \\(y\\)"]


@dataclass(frozen=True)
class WeightsCase:
    name: str
    page: str                     # "2d", "regression" or "mnist"
    make: object                  # (model, marker: str) -> bytes
    why: tuple[str, ...]          # the reason keys ("imp.why.*") or codes ("err.import.*") accepted
    quotes: str | None = None     # text from the file the refusal must quote (escaped)


def state_of(model) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def changed(model, **tensors) -> dict:
    """The model's own state dict with some tensors replaced (or added); a value of None drops its key."""
    state = state_of(model)
    state.update(tensors)
    return {k: v for k, v in state.items() if v is not None}


def each(model, fn) -> dict:
    return {k: fn(v) for k, v in state_of(model).items()}


def with_data_pkl(archive: bytes, pkl: bytes) -> bytes:
    """The archive with data.pkl replaced (every other entry as torch wrote it)."""
    return zip_bytes([Entry(e.name, pkl) if e.name.endswith("data.pkl") else e for e in entries_of(archive)])


def with_ints(pkl: bytes, changes: dict[int, int]) -> bytes:
    """data.pkl with its i-th integer opcode (counted from 0 in file order) set to a new value."""
    import pickletools

    out, pos, i = io.BytesIO(), 0, 0
    for op, arg, at in pickletools.genops(pkl):
        if op.name in ("BININT1", "BININT2", "BININT", "LONG1"):
            if i in changes:
                out.write(pkl[pos:at])
                out.write(_int_op(changes[i]))
                pos = at + 1 + ({"BININT1": 1, "BININT2": 2, "BININT": 4}.get(op.name) or 1 + pkl[at + 1])
            i += 1
    out.write(pkl[pos:])
    return out.getvalue()


def archive_with_ints(state: dict, ints: dict[int, int]) -> bytes:
    """torch.save(state) whose pickle's integers are rewritten; its first tensor's come first: the
    storage's numel, the storage offset, then the sizes and the strides."""
    archive = saved(state)
    pkl = next(e.payload for e in entries_of(archive) if e.name.endswith("data.pkl"))
    return with_data_pkl(archive, with_ints(pkl, ints))


class Call:
    """Pickles as a call of fn(*args): unpickling it runs the call."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


def small_archive() -> bytes:
    """A genuine torch.save archive of one tiny tensor: a frame for a data.pkl of one's own."""
    return saved({"net.weight": torch.zeros(1)})


def code_pickle(model, fn, args: tuple, protocol: int = 2) -> bytes:
    """An archive whose data.pkl names `model`'s tensors and calls fn(*args) as it builds the dict."""
    import pickle
    pkl = pickle.dumps({**{k: 0 for k in model.state_dict()}, "x": Call(fn, *args)}, protocol=protocol)
    return with_data_pkl(small_archive(), pkl)


def over_limit(model) -> bytes:
    """The model's genuine weights padded to one byte over its limit."""
    from core.app.export import weights_size_limit
    data = saved(state_of(model))
    return data + bytes(weights_size_limit(model) + 1 - len(data))


def mangled(model, change) -> bytes:
    """The genuine archive, its entries changed by change(entries) -> entries."""
    return zip_bytes(change(entries_of(saved(state_of(model)))))


def storage_named(entries: list[Entry], name: str, **kw) -> list[Entry]:
    """An extra entry called `name`, as a storage-looking 3-byte payload with the given header fields."""
    return entries + [Entry(name, b"abc", **kw)]


def data_pkl_header_lies(entries: list[Entry], **kw) -> list[Entry]:
    return [Entry(e.name, e.payload, **kw) if e.name.endswith("data.pkl") else e for e in entries]


def local_name_differs(model) -> bytes:
    """data.pkl's local header names another file than the central directory does (zip readers differ)."""
    data = bytearray(saved(state_of(model)))
    at = data.find(b"/data.pkl")
    data[at:at + 9] = b"/data.pkX"  # the first occurrence: the local header
    return bytes(data)


def comment_with_a_fake_end(model) -> bytes:
    """A zip comment holding a second end record that points at nothing."""
    data = saved(changed(model, **{MARKUP_NAMES[1]: torch.zeros(1)}))
    fake = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, 46, 12345678, 0)
    at = data.rfind(b"PK\x05\x06")
    return data[:at + 20] + struct.pack("<H", len(fake)) + fake


def bad_sparse(model) -> bytes:
    """A sparse tensor whose indices point far outside its shape (torch validates them on load)."""
    import warnings
    key, t = next((k, v) for k, v in model.state_dict().items() if v.dim() == 1 and v.numel() > 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "sparse invariants are not checked": they are, on load
        sparse = torch.sparse_coo_tensor(torch.tensor([[0, 1]]), torch.ones(2), t.shape)
    archive = saved(changed(model, **{key: sparse}))
    out = []
    for e in entries_of(archive):
        if e.payload == struct.pack("<2q", 0, 1):  # the int64 indices' storage
            e = Entry(e.name, struct.pack("<2q", 0, 2**40))
        out.append(e)
    return zip_bytes(out)


def nested_lists(depth: int) -> bytes:
    return b"\x80\x02" + b"(" * depth + b"l" * depth + b"."


def deflated_model_then(model, **tensors) -> bytes:
    """The model's weights as zeros, DEFLATED (truthful headers: the largest model's 57 MB in ~60 kB),
    with some tensors replaced."""
    return rezip_deflated(saved({**each(model, torch.zeros_like), **tensors}))


def other_model(which: str):
    from core.learning.models import build_model
    if which == "2d":
        return build_model("mlp", 2, 2, 0, depth=2, width=8, activation="tanh",
                           mean=torch.zeros(2), std=torch.ones(2))
    if which == "mnist":
        return build_model("mlp", 784, 10, 0, hidden=(256,), activation="relu")
    if which == "cnn":
        return build_model("cnn", 784, 10, 0)
    from core.runs.regression_config import RegressionConfig
    from core.runs.regression_run import build_regression_run
    return build_regression_run(RegressionConfig(model="polynomial")).trainer.model


def _cases() -> list[WeightsCase]:
    import os
    import pickle
    import subprocess

    C = WeightsCase
    W = "imp.why."
    code = (W + "objects",)  # refused at the global (both of torch's wordings: core.app.export._read_archive), never called
    out = [
        # ---- 2D playground: not a zip, a damaged or lying zip, foreign weights, wrong dtypes, bad values
        C("empty", "2d", lambda m, x: b"", (W + "empty",)),
        C("markdown-text-not-a-zip", "2d", lambda m, x: f"{MARKUP_NAMES[1]}\n{MARKUP_NAMES[0]}\n".encode(),
          (W + "not_weights",)),
        C("plain-pickle-of-the-state", "2d", lambda m, x: pickle.dumps(state_of(m), protocol=2), (W + "legacy",)),
        C("truncated-zip", "2d", lambda m, x: saved(state_of(m))[:-300], (W + "damaged",)),
        C("junk-before-the-zip", "2d", lambda m, x: b"junk" + saved(state_of(m)), (W + "not_weights",)),
        C("one-byte-over-the-limit", "2d", lambda m, x: over_limit(m), ("err.import.too_large",)),
        C("duplicated-entry", "2d", lambda m, x: mangled(m, lambda es: es + [es[-1]]), (W + "damaged",)),
        C("data-pkl-crc-lies", "2d", lambda m, x: mangled(m, lambda es: data_pkl_header_lies(es, crc=1)),
          (W + "damaged",)),
        C("local-name-differs", "2d", lambda m, x: local_name_differs(m), (W + "damaged",)),
        C("entry-dotdot-path-bzip2", "2d", lambda m, x: mangled(m, lambda es: storage_named(
            es, "../../../etc/passwd", method=12)), (W + "method",), "../../../etc/passwd"),
        C("entry-absolute-path-size-lies", "2d", lambda m, x: mangled(m, lambda es: storage_named(
            es, "/etc/cron.d/x", size=4)), (W + "lying",), "/etc/cron.d/x"),
        C("deflate-bomb-40MB-in-40kB", "2d", lambda m, x: zeros_bomb(10_000_000), (W + "unpacked",)),
        C("global-os-system", "2d", lambda m, x: code_pickle(m, os.system, (f"touch {x}",)), code),
        C("global-subprocess-check-call", "2d", lambda m, x: code_pickle(
            m, subprocess.check_call, (["touch", x],)), code),
        C("regression-polynomial-weights", "2d", lambda m, x: saved(state_of(other_model("poly"))),
          (W + "missing",)),
        C("mnist-weights", "2d", lambda m, x: saved(state_of(other_model("mnist"))), ("err.import.too_large",)),
        C("int32-tensors", "2d", lambda m, x: saved(each(m, lambda v: v.to(torch.int32))), (W + "shape",)),
        C("bool-tensors", "2d", lambda m, x: saved(each(m, lambda v: v > 0)), (W + "shape",)),
        C("zero-dim-tensors", "2d", lambda m, x: saved(each(m, lambda v: v.sum())), (W + "shape",)),
        C("weights-of-1e38", "2d", lambda m, x: saved(each(m, lambda v: torch.full_like(v, 1e38))),
          (W + "overflow",)),
        C("inf-std-buffer", "2d", lambda m, x: saved(changed(m, **{"standardize.std": torch.full((2,), float("inf"))})),
          (W + "non_finite",)),
        C("storage-offset-past-the-end", "2d", lambda m, x: archive_with_ints({"net.weight": torch.zeros(7)},
                                                                               {1: 10**6}), (W + "unreadable",)),
        C("strides-past-the-end", "2d", lambda m, x: archive_with_ints({"net.weight": torch.zeros(7)}, {3: 10**6}),
          (W + "unreadable",)),
        C("meta-device-tensor", "2d", lambda m, x: saved(changed(m, **{"net.bias": torch.empty(
            m.state_dict()["net.bias"].shape, device="meta")})), (W + "layout",)),
        C("sparse-indices-out-of-range", "2d", lambda m, x: bad_sparse(m), (W + "unreadable",)),
    ]
    out += [C(f"extra-tensor-named-{i}", "2d", lambda m, x, p=p: saved(changed(m, **{p: torch.zeros(1)})),
              (W + "unexpected",), p) for i, p in enumerate(MARKUP_NAMES)]
    out += [
        # ---- Regression (besides the markup names and the oversized file of tests/test_hostile_pages.py)
        C("legacy-torch-format", "regression", lambda m, x: legacy_torch_file(state_of(m)), (W + "legacy",)),
        C("float64-tensors", "regression", lambda m, x: saved(each(m, torch.Tensor.double)), (W + "shape",)),
        C("complex64-tensors", "regression", lambda m, x: saved(each(m, lambda v: v.to(torch.complex64))),
          (W + "shape",)),
        C("a-whole-checkpoint", "regression", lambda m, x: saved({"model": state_of(m), "epoch": 3}),
          (W + "not_dict",)),
        C("a-key-renamed", "regression", lambda m, x: saved({k.replace("net.", "model."): v
                                                             for k, v in state_of(m).items()}), (W + "missing",)),
        C("2d-weights", "regression", lambda m, x: saved(state_of(other_model("2d"))), (W + "shape",)),
        C("many-tensors", "regression", lambda m, x: saved({f"t{i}": torch.zeros(1) for i in range(40)}),
          (W + "entries",)),
        C("views-of-one-storage", "regression", lambda m, x: saved({f"t{i}": v for i, v in enumerate(
            torch.zeros(300).split(1))}), (W + "pickle_large",)),
        C("30kB-entry-name", "regression", lambda m, x: mangled(m, lambda es: storage_named(es, "a/" + "n" * 30_000)),
          (W + "entries",)),
        C("zip-comment-with-a-fake-end-record", "regression", lambda m, x: comment_with_a_fake_end(m),
          (W + "damaged",)),
        C("pickle-nested-lists", "regression", lambda m, x: with_data_pkl(small_archive(), nested_lists(1000)),
          (W + "pickle_ops",)),
        C("pickle-declares-a-4-EB-string", "regression", lambda m, x: with_data_pkl(
            small_archive(), b"\x80\x04\x8d" + (2**62).to_bytes(8, "little") + b"abc."), (W + "unreadable",)),
        C("open-for-writing", "regression", lambda m, x: code_pickle(m, open, (x, "w")), code),
        C("stack-global-builtins-eval", "regression", lambda m, x: code_pickle(
            m, eval, (f"open({x!r}, 'w')",), protocol=4), (W + "unreadable",)),  # stopped at protocol 4's FRAME
        C("inst-os-system", "regression", lambda m, x: with_data_pkl(
            small_archive(), f"(S'touch {x}'\nios\nsystem\n.".encode()), (W + "unreadable",)),  # at its STRING opcode
        C("outputs-of-1e20", "regression", lambda m, x: saved(changed(m, **{"net.bias": torch.full_like(
            m.state_dict()["net.bias"], 1e20)})), (W + "outputs_huge",)),
        C("control-and-bidi-characters-in-a-name", "regression", lambda m, x: saved(changed(
            m, **{"a\u202eb\x1b[31mc\nd": torch.zeros(1)})), (W + "unexpected",), "a\ufffdb\ufffd[31mc\ufffdd"),
        # ---- MNIST with the largest model (784-2048x4-10, 57 MB of weights): the bombs are sized against it
        C("deflate-bomb-100MB-in-100kB", "mnist", lambda m, x: zeros_bomb(25_000_000), (W + "unpacked",)),
        C("deflate-bomb-57MB-model-then-inf", "mnist", lambda m, x: deflated_model_then(
            m, **{"net.bias": torch.full_like(m.state_dict()["net.bias"], float("inf"))}), (W + "non_finite",)),
        C("lying-header-4kB-declared-32MB-real", "mnist", lambda m, x: lying_bomb(4096, 32 << 20), (W + "lying",)),
        C("pickle-bomb-57MB-of-empty-dicts", "mnist", lambda m, x: pickle_bomb_for(m), (W + "pickle_large",)),
        C("pickle-bomb-beside-the-models-storages", "mnist", lambda m, x: pickle_bomb_for(m, with_storages=True),
          (W + "pickle_large",)),
        C("pickle-bomb-within-the-byte-limit", "mnist", lambda m, x: pickle_bomb(2000), (W + "pickle_ops",)),
        C("full-size-with-nan-bias", "mnist", lambda m, x: saved(changed(m, **{"net.bias": torch.full_like(
            m.state_dict()["net.bias"], float("nan"))})), (W + "non_finite",)),
        C("stride-0-tensor-of-2**40-elements", "mnist", lambda m, x: archive_with_ints(
            {"net.weight": torch.zeros(7), **changed(m, **{"net.weight": None})}, {2: 2**40, 3: 0}), (W + "shape",)),
        C("2d-weights", "mnist", lambda m, x: saved(state_of(other_model("2d"))), (W + "unexpected",)),
        C("cnn-weights", "mnist", lambda m, x: saved(state_of(other_model("cnn"))), (W + "missing",)),
        C("default-256-model-weights", "mnist", lambda m, x: saved(state_of(other_model("mnist"))), (W + "shape",)),
    ]
    names = [(c.page, c.name) for c in out]
    assert len(set(names)) == len(names), "case names repeat"
    return out


WEIGHTS_CASES = _cases()
