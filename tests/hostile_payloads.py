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
    """The issue's bomb: torch.zeros(numel) under the key of the model's largest tensor,
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
# pickle cost ~64·n bytes of memory (and ~1 µs each) before anything could be refused.
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
    from core.export import weights_size_limit
    limit = weights_size_limit(model)
    storages = {str(i): t.nbytes for i, t in enumerate(model.state_dict().values())} if with_storages else {}
    small = sum(len(p) for _, p in SMALL_ENTRIES) + len(BOMB_HEAD) + len(BOMB_TAIL)
    return pickle_bomb(limit - small - sum(storages.values()), storages)
