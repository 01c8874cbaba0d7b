"""core/app/export.py: CSV/JSON/PNG/weights out, and hostile files refused on the way in."""
import csv
import io
import json
import pickle

import pytest
import torch
from PIL import Image

from core.app import export
from core.app.export import (FORMAT, VERSION, ImportRefused, curves_csv, load_state_dict_bytes, parse_run_json,
                         png_bytes, run_json, state_dict_bytes)
from core.i18n import LANGUAGES, STRINGS, translate
from core.learning.models import build_model
from core.learning.trainer import METRICS, History

NAN = float("nan")
PARAMS = {"dataset": "moons", "lr": "0.01", "loss": "gce", "loss.q": "0.7", "noise_pairs": "0>1"}


def make_history() -> History:
    h = History()
    for i, (step, epoch) in enumerate([(0, 0.0), (10, 0.5), (20, 1.25)]):
        h.step.append(step)
        h.epoch.append(epoch)
        for j, m in enumerate(METRICS):
            h.values[m].append(0.1 * (i + 1) + 0.01 * j)
    h.values["train_acc_flipped"] = [NAN, NAN, NAN]  # no label noise: no flipped points
    h.values["test_loss"][1] = float("inf")
    return h


def doc(**changes) -> bytes:
    base = {"format": FORMAT, "version": VERSION, "page": "2d", "title": "x", "config": dict(PARAMS)}
    base.update(changes)
    return json.dumps(base).encode()


def refused(data: bytes, code: str, **kwargs) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        parse_run_json(data, **kwargs)
    assert info.value.code == code, (info.value.code, str(info.value))
    return info.value


# ---- CSV ----
def test_curves_csv_header_rows_and_nan_cells():
    h = make_history()
    rows = list(csv.reader(io.StringIO(curves_csv(h))))
    assert rows[0] == ["step", "epoch", *METRICS]
    assert len(rows) == 1 + len(h)
    col = {name: i for i, name in enumerate(rows[0])}
    for i, row in enumerate(rows[1:]):
        assert int(row[0]) == h.step[i]
        assert float(row[1]) == h.epoch[i]
        assert row[col["train_acc_flipped"]] == ""          # NaN -> empty
        assert float(row[col["train_loss"]]) == h.values["train_loss"][i]  # repr: exact round trip
    assert rows[2][col["test_loss"]] == ""                    # inf is not a number a spreadsheet can use


def test_curves_csv_of_empty_history_is_just_the_header():
    assert curves_csv(History()).strip() == ",".join(["step", "epoch", *METRICS])


# ---- run JSON ----
def test_run_json_round_trip_and_content():
    h = make_history()
    text = run_json("2d", PARAMS, h, title="2D · moons · GCE")
    data = json.loads(text)  # strict JSON: NaN must have become null
    assert data["format"] == FORMAT and data["version"] == VERSION and data["page"] == "2d"
    assert data["title"] == "2D · moons · GCE" and "·" in text  # ensure_ascii=False keeps it readable
    assert data["config"] == PARAMS
    assert data["final"]["train_acc_flipped"] is None
    assert data["final"]["train_loss"] == h.values["train_loss"][-1]
    assert [r["step"] for r in data["history"]] == h.step
    assert data["history"][1]["test_loss"] is None
    assert "NaN" not in text and "Infinity" not in text
    page, params = parse_run_json(text.encode("utf-8"))
    assert (page, params) == ("2d", PARAMS)


@pytest.mark.parametrize("page", export.PAGES)
def test_round_trip_every_page(page):
    params = {"kind": "mnist", "runs": "2", "r2.loss": "label_smoothing", "r2.loss.eps": "0.1"}
    assert parse_run_json(run_json(page, params, History()).encode()) == (page, params)


def test_run_json_refuses_an_unknown_page():
    with pytest.raises(ValueError):
        run_json("evil", {}, History())


def test_parse_accepts_bom_and_converts_scalars():
    data = doc(config={"lr": 0.5, "depth": 3, "seed": 12345678901, "flag": True, "off": False, "loss": "mae"})
    page, params = parse_run_json(b"\xef\xbb\xbf" + data)
    assert params == {"lr": "0.5", "depth": "3", "seed": "12345678901", "flag": "1", "off": "0", "loss": "mae"}
    assert all(isinstance(v, str) for v in params.values())


def test_duplicate_keys_take_the_last():
    data = ('{"format": "%s", "version": 1, "page": "2d", "config": {"lr": "0.1", "lr": "0.2"}}' % FORMAT).encode()
    assert parse_run_json(data)[1] == {"lr": "0.2"}


# ---- every refusal ----
def test_refuses_too_large():
    err = refused(doc(), "err.import.too_large", max_bytes=10)
    assert err.fields == {"size": len(doc()), "limit": 10}


def test_refuses_latin1():
    latin1 = json.dumps({"format": FORMAT, "version": 1, "page": "2d", "title": "café", "config": PARAMS},
                        ensure_ascii=False).encode("latin-1")
    refused(latin1, "err.import.encoding")
    refused("{\"title\": \"café\"}".encode("latin-1"), "err.import.encoding")


def test_refuses_binary_garbage():
    refused(bytes(range(256)) * 4, "err.import.encoding")
    refused(b"\x00\x01{}", "err.import.not_json")


def test_refuses_invalid_json():
    refused(b'{"format": ', "err.import.not_json")
    refused(b"", "err.import.not_json")


def test_refuses_deep_nesting_without_crashing():
    refused(b"[" * 100_000 + b"]" * 100_000, "err.import.not_json")
    refused(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "err.import.not_json")


def test_refuses_top_level_list_and_wrong_marker():
    refused(json.dumps([{"format": FORMAT}]).encode(), "err.import.not_run")
    refused(doc(format="something-else"), "err.import.not_run")
    refused(json.dumps({"version": 1, "page": "2d", "config": {}}).encode(), "err.import.not_run")
    refused(b'"just a string"', "err.import.not_run")


@pytest.mark.parametrize("version", [2, 0, "1", True, 1.0, None])
def test_refuses_other_versions(version):
    err = refused(doc(version=version), "err.import.version")
    assert "found" in err.fields


@pytest.mark.parametrize("page", ["evil", "", None, ["2d"], {"2d": 1}])
def test_refuses_unknown_pages(page):
    refused(doc(page=page), "err.import.page")


@pytest.mark.parametrize("config", [
    None, "lr=0.1", [["lr", "0.1"]],
    {"lr": {"value": "0.1"}},                   # nested object
    {"lr": ["0.1"]},                            # list
    {"lr": None},
    {f"k{i}": "1" for i in range(201)},         # too many keys
    {"k" * 61: "1"},                            # key too long
    {"lr": "9" * 201},                          # value too long
    {"seed": int("9" * 300)},                   # a number whose text is too long
])
def test_refuses_bad_configs(config):
    refused(doc(config=config), "err.import.config")


def test_refuses_config_without_config():
    data = json.loads(doc())
    del data["config"]
    refused(json.dumps(data).encode(), "err.import.config")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_refuses_nan_literals_in_config(literal):
    data = ('{"format": "%s", "version": 1, "page": "2d", "config": {"lr": %s}}' % (FORMAT, literal)).encode()
    refused(data, "err.import.config")


def test_limits_are_inclusive():
    ok = {f"k{i}": "v" * 200 for i in range(199)} | {"k" * 60: 1}
    assert len(parse_run_json(doc(config=ok))[1]) == 200


def test_refusals_have_translated_messages():
    err = refused(doc(page="evil"), "err.import.page")
    assert "evil" in str(err)
    for lang in LANGUAGES:
        assert "evil" in err.message(lang)
        assert err.message(lang) == translate("err.import.page", lang, **err.fields)
    for code in ("too_large", "encoding", "not_json", "not_run", "version", "page", "config", "weights"):
        assert f"err.import.{code}" in STRINGS


# ---- weights ----
def mlp(seed: int):
    return build_model("mlp", 2, 3, seed, depth=2, width=8, activation="tanh",
                       mean=torch.zeros(2), std=torch.ones(2))


def same_weights(a, b) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def test_weights_round_trip_into_a_fresh_model():
    trained, fresh = mlp(1), mlp(2)
    assert not same_weights(trained, fresh)
    load_state_dict_bytes(state_dict_bytes(trained), fresh)
    assert same_weights(trained, fresh)
    x = torch.randn(5, 2)
    assert torch.equal(trained(x), fresh(x))


def test_weights_round_trip_cnn():
    a, b = build_model("cnn", 784, 10, 0), build_model("cnn", 784, 10, 1)
    load_state_dict_bytes(state_dict_bytes(a), b)
    assert same_weights(a, b)


def _write_marker(path):
    with open(path, "w") as f:
        f.write("pwned")
    return {}


class Evil:
    """Unpickling this would call _write_marker(path): code execution."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (_write_marker, (self.path,))


class EvilOpen:
    """Unpickling this would call builtins.open(path, "w"), creating the file."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _payloads(marker):
    buf = io.BytesIO()
    torch.save(Evil(marker), buf)
    yield "torch.save(Evil)", buf.getvalue()
    buf = io.BytesIO()
    torch.save({"net.weight": torch.zeros(1), "x": EvilOpen(marker)}, buf)
    yield "torch.save(dict with EvilOpen)", buf.getvalue()
    yield "pickle.dumps(Evil)", pickle.dumps(Evil(marker))
    yield "pickle.dumps(EvilOpen), protocol 2", pickle.dumps(EvilOpen(marker), protocol=2)


def test_pickled_code_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "marker.txt"
    # The payloads are real: plain pickle would run them (checked on a copy of the marker path).
    probe = tmp_path / "probe.txt"
    pickle.loads(pickle.dumps(Evil(probe)))
    assert probe.exists()
    model = mlp(0)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    for name, payload in _payloads(marker):
        with pytest.raises(ImportRefused) as info:
            load_state_dict_bytes(payload, model)
        assert info.value.code == "err.import.weights", name
        assert not marker.exists(), f"{name}: pickled code ran"
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


@pytest.mark.parametrize("payload", [b"", b"not a torch file", bytes(range(256)) * 10])
def test_garbage_weights_refused(payload):
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(payload, mlp(0))
    assert info.value.code == "err.import.weights"


def _saved(obj) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


@pytest.mark.parametrize("make", [
    lambda sd: {k: v[..., :1] if v.ndim else v for k, v in sd.items()},         # wrong shapes
    lambda sd: {k: v for i, (k, v) in enumerate(sd.items()) if i},              # a tensor missing
    lambda sd: {**sd, "extra.weight": torch.zeros(2)},                          # an extra tensor
    lambda sd: {k: v.double() for k, v in sd.items()},                          # wrong dtype
    lambda sd: {k: v.tolist() for k, v in sd.items()},                          # lists, not tensors
    lambda sd: list(sd.values()),                                               # not a dict
    lambda sd: torch.zeros(3),                                                  # a bare tensor
    lambda sd: {1: v for v in sd.values()},                                     # non-string keys
])
def test_mismatched_state_dicts_refused_and_model_unchanged(make):
    model, other = mlp(0), mlp(5)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    payload = _saved(make(other.state_dict()))
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(payload, model)
    assert info.value.code == "err.import.weights"
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert translate(info.value.code, "zh", **info.value.fields)  # the reason fills the translated text


def test_oversized_weights_refused_before_loading():
    model = mlp(0)
    data = state_dict_bytes(mlp(1))
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(data, model, max_bytes=len(data) - 1)
    assert info.value.code == "err.import.too_large"
    assert not same_weights(model, mlp(1))


# ---- PNG ----
def test_png_bytes():
    img = Image.new("RGB", (7, 5), (10, 200, 30))
    data = png_bytes(img)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    back = Image.open(io.BytesIO(data))
    assert back.size == (7, 5) and back.getpixel((3, 2)) == (10, 200, 30)


# ---- pickle bombs: what data.pkl builds, not only the tensors' bytes, is bounded ----
BOMB_TARGETS = {
    "mnist 784-256-10 (default)": lambda: build_model("mlp", 784, 10, 0, hidden=(256,), activation="relu"),
    "mnist 784-2048x4-10 (largest)": lambda: build_model("mlp", 784, 10, 0, hidden=(2048,) * 4, activation="relu"),
    "2D mlp": lambda: mlp(0),
}


@pytest.mark.parametrize("with_storages", [False, True], ids=["pickle-only", "beside-storages"])
@pytest.mark.parametrize("target", list(BOMB_TARGETS))
def test_pickle_bomb_is_refused_before_it_is_unpickled(target, with_storages):
    import tracemalloc

    from tests.hostile_payloads import pickle_bomb_for
    model = BOMB_TARGETS[target]()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    bomb = pickle_bomb_for(model, with_storages)  # up to 57 MB of "}" in 56 kB: 64 bytes each once unpickled
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused) as info:
            load_state_dict_bytes(bomb, model)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.fields["reason"].key == "imp.why.pickle_large"
    assert peak < 50 * 2**20, f"refusing cost {peak / 2**20:.0f} MB of Python objects"
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_a_small_pickle_of_too_many_objects_is_refused_unread():
    from tests.hostile_payloads import pickle_bomb
    model = mlp(0)
    n = export.PICKLE_ALLOWANCE  # within the byte limit, ~10x the opcodes of a real state dict
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(pickle_bomb(n), model)
    assert info.value.fields["reason"].key == "imp.why.pickle_ops"


def test_any_large_entry_besides_the_storages_is_refused():
    from tests.hostile_payloads import Entry, entries_of, zip_bytes
    genuine = entries_of(state_dict_bytes(mlp(1)))
    padded = genuine + [Entry("archive/DATA.PKL.bak", b"}" * 10_000)]  # whatever torch might read
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(zip_bytes(padded), mlp(0))
    assert info.value.fields["reason"].key == "imp.why.pickle_large"


# ---- run files: bounded, and only what the import reads is built ----
def test_the_longest_run_file_the_app_writes_fits_the_import_limit():
    h = History()
    for i in range(50_000):  # well over an hour of Play: a point a frame
        h.step.append(10_000_000 + i)
        h.epoch.append(-1.2345678901234567e-300 + i)
        for m in METRICS:
            h.values[m].append(-1.2345678901234567e-300 * (i + 1))
    longest = {f"{i:03d}" + "k" * (export.MAX_KEY_CHARS - 3): "v" * export.MAX_VALUE_CHARS
               for i in range(export.MAX_CONFIG_KEYS)}
    text = run_json("compare", longest, h, "t" * 300)
    assert len(text.encode()) <= export.RUN_FILE_MAX_BYTES
    assert parse_run_json(text.encode()) == ("compare", longest)
    rows = json.loads(text)["history"]
    assert len(rows) == export.RUN_FILE_ROWS and (rows[0]["step"], rows[-1]["step"]) == (h.step[0], h.step[-1])


def _python_peak(fn) -> int:
    import tracemalloc
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _padded(unit: bytes, where: str = "history", size: int = export.RUN_FILE_MAX_BYTES) -> bytes:
    """A valid run file whose `where` section is a list of `unit`s filling it to `size` bytes."""
    head = doc()[:-1] + b', "' + where.encode() + b'": ['
    if where == "config":
        head = doc(config={})[:-2] + b'"lr": ['
    tail = b"0]}}" if where == "config" else b"0]}"
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


def test_the_reports_5mb_file_of_empty_objects_is_refused_unread():
    data = _padded(b"{},", size=4_990_000)
    err = refused(data, "err.import.too_large")
    assert err.fields["limit"] == export.RUN_FILE_MAX_BYTES


@pytest.mark.parametrize("unit", [b"{},", b'"ab",', b'{"a": [1e1, {"b": null}]},'])
def test_sections_the_import_does_not_read_are_checked_but_not_built(unit):
    data = _padded(unit)
    assert len(data) <= export.RUN_FILE_MAX_BYTES
    result = []
    peak = _python_peak(lambda: result.append(parse_run_json(data)))
    assert result == [("2d", PARAMS)]
    assert peak < 5 * 2**20, f"{peak / 2**20:.1f} MB of Python objects for a {len(data):,}-byte file"


def test_a_list_in_the_config_is_refused_without_being_built():
    data = _padded(b"{},", where="config")
    errors = []
    peak = _python_peak(lambda: errors.append(refused(data, "err.import.config")))
    assert errors[0].fields["reason"].key == "imp.why.not_scalar"
    assert peak < 5 * 2**20


def test_a_top_level_list_is_not_a_run_and_is_not_built():
    data = b"[" + b"{}," * 150_000 + b"{}]"
    peak = _python_peak(lambda: refused(data, "err.import.not_run"))
    assert peak < 5 * 2**20


def test_the_reader_accepts_and_refuses_what_json_loads_does():
    import random
    genuine = run_json("2d", PARAMS, make_history(), "t").encode()
    rng = random.Random(0)
    for _ in range(600):
        data = bytearray(genuine)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(data))
            op = rng.random()
            if op < 0.4:
                del data[at]
            elif op < 0.7:
                data.insert(at, rng.choice(b'{}[],:"\\ 0-.eE\ntfn'))
            else:
                data[at] = rng.choice(b'{}[],:"\\ 0-.eE\ntfnx')
        data = bytes(data)
        try:
            json.loads(data.decode("utf-8"))
            valid = True
        except ValueError:
            valid = False
        try:
            parse_run_json(data)
            not_json = False
        except ImportRefused as e:
            not_json = e.code == "err.import.not_json"
        assert not_json == (not valid), data
