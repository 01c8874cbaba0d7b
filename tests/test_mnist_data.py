"""core/data/mnist_data.py against the real files: the official MNIST test split in /work/shared,
Debian's Fashion-MNIST, and torchvision's real download code talking to a local HTTP server.

Tests needing absent data skip with the reason; REQUIRE_DATA=1 turns those skips into failures.
"""
import contextlib
import functools
import gzip
import hashlib
import os
import re
import shutil
import socket
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import torch
from torchvision.datasets import MNIST, FashionMNIST

from core.data import mnist_data as md
from core.i18n import LANGUAGES, STRINGS, Msg, translate
from tests.support import MNIST_DIR

TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
TRAIN_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
# class counts of the official MNIST test set (t10k), a published fact
MNIST_T10K_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


ABSOLUTE_PATH = re.compile(r"(?:^|[\s\"“‘'(（:：])/[^\s/]")
RAW = Msg("mnist.place.data", sub="MNIST/raw")


def shown(err: md.DataUnavailable) -> dict[str, str]:
    """The message in each language, checked to reveal no absolute path of the server."""
    texts = {lang: err.message(lang) for lang in LANGUAGES}
    for text in texts.values():
        assert not ABSOLUTE_PATH.search(text) and "/tmp" not in text and "pytest" not in text, text
    return texts


def need(ok: bool, reason: str) -> None:
    if not ok:
        if os.environ.get("REQUIRE_DATA") == "1":
            pytest.fail(f"REQUIRE_DATA=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def mnist_dir() -> Path:
    d = MNIST_DIR  # shared/data/mnist wherever the clone is (tests/support.py)
    need(all((d / f).is_file() for f in TEST_FILES), f"MNIST test split not found in {d}")
    return d


@pytest.fixture
def fashion_dir() -> Path:
    d = md.DEBIAN_FASHION_DIR
    need(all((d / f).is_file() for f in TRAIN_FILES + TEST_FILES),
         f"Debian's Fashion-MNIST not installed in {d} (apt-get install dataset-fashion-mnist)")
    return d


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Fresh cache; the default data folder in tmp; no system Fashion-MNIST unless a test says so."""
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FASHION_MNIST_SYSTEM_DIR", str(tmp_path / "no-system-dir"))
    md.clear_cache()
    yield
    md.clear_cache()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def http_server(directory: Path):
    """Yield the base URL (with trailing /) of a static file server on 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    server.handle_error = lambda *a: None  # clients closing early (redirect probe) are fine
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def raw_folder(root: Path, cls=MNIST) -> Path:
    return root / cls.__name__ / "raw"


def copy_files(src: Path, dst: Path, names) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for n in names:
        shutil.copyfile(src / n, dst / n)
    return dst


def assert_normalised(d: md.ImageData) -> None:
    assert d.X_train.dtype == torch.float32 and d.X_train.shape == (len(d.y_train), 784)
    assert d.X_test.shape == (len(d.y_test), 784)
    assert d.y_train.dtype == torch.int64 and d.y_test.dtype == torch.int64
    assert d.images_train.dtype == torch.uint8 and d.images_train.shape == (len(d.y_train), 28, 28)
    assert abs(float(d.X_train.mean())) < 1e-3 and abs(float(d.X_train.std()) - 1) < 1e-3
    # X is exactly the images, scaled and standardised with the stored mean/std
    expect = (d.images_test[:50].reshape(50, -1).float() / 255 - d.mean) / d.std
    assert torch.allclose(d.X_test[:50], expect, atol=1e-5)


# ---- the real MNIST test split ----


def test_shared_mnist_test_split_only(mnist_dir, tmp_path):
    d = md.load("mnist", extra_dirs=[mnist_dir])
    assert d.test_split_only and d.name == "mnist"
    assert (len(d.y_train), len(d.y_test)) == (8000, 2000)
    assert d.source == str(mnist_dir)
    assert d.class_names == tuple("0123456789")
    assert_normalised(d)
    assert 0.12 < d.mean < 0.14 and 0.30 < d.std < 0.32  # MNIST pixel statistics
    # together the two parts are exactly the 10,000 official test digits
    counts = torch.bincount(torch.cat([d.y_train, d.y_test]), minlength=10)
    assert counts.tolist() == MNIST_T10K_COUNTS
    assert not (tmp_path / "data").exists()  # read in place, nothing copied or written


def test_test_only_split_is_the_documented_seeded_permutation(mnist_dir):
    a = md.load("mnist", extra_dirs=[mnist_dir])
    md.clear_cache()
    b = md.load("mnist", extra_dirs=[mnist_dir])
    assert a is not b and torch.equal(a.y_train, b.y_train) and torch.equal(a.X_test, b.X_test)
    # the first digit of the official t10k file is a 7: find where the split put it
    perm = torch.randperm(10_000, generator=torch.Generator().manual_seed(md.TEST_ONLY_SEED))
    pos = int((perm == 0).nonzero())
    first = a.y_train[pos] if pos < 8000 else a.y_test[pos - 8000]
    assert int(first) == 7


def test_test_only_refused_when_not_allowed(mnist_dir, tmp_path):
    md.load("mnist", extra_dirs=[mnist_dir])  # cached as test-only; must still refuse below
    with pytest.raises(md.DataUnavailable) as e:
        md.load("mnist", extra_dirs=[mnist_dir], allow_test_only=False)
    assert e.value.code == "err.mnist.missing"
    assert list(e.value.fields["files"]) == list(TRAIN_FILES)
    assert e.value.fields["folder"] == RAW
    assert e.value.fields["url"] == MNIST.mirrors[0]
    for text in shown(e.value).values():
        assert "MNIST/raw" in text and "train-labels-idx1-ubyte.gz" in text
    assert "the folder MNIST/raw inside the data folder" in shown(e.value)["en"]
    assert "数据文件夹中的 MNIST/raw 文件夹" in shown(e.value)["zh"]


def test_nothing_anywhere_is_missing_with_all_files(tmp_path):
    assert md.find_files("mnist") is None
    with pytest.raises(md.DataUnavailable) as e:
        md.load("mnist")
    assert e.value.code == "err.mnist.missing"
    assert list(e.value.fields["files"]) == list(TRAIN_FILES + TEST_FILES)


def test_find_files_search_order(mnist_dir, tmp_path):
    assert md.find_files("mnist", extra_dirs=[mnist_dir]) == {f: mnist_dir / f for f in TEST_FILES}
    raw = copy_files(mnist_dir, raw_folder(tmp_path / "data"), TEST_FILES)
    assert md.find_files("mnist", extra_dirs=[mnist_dir]) == {f: raw / f for f in TEST_FILES}
    (raw / TEST_FILES[1]).unlink()  # an incomplete split in the data folder is passed over
    assert md.find_files("mnist", extra_dirs=[mnist_dir]) == {f: mnist_dir / f for f in TEST_FILES}


def test_data_root(monkeypatch, tmp_path):
    assert md.data_root() == tmp_path / "data"
    monkeypatch.delenv("PLAYGROUND_DATA_DIR")
    assert md.data_root() == Path(__file__).resolve().parents[1] / "data"


def test_unknown_name():
    with pytest.raises(ValueError):
        md.load("cifar")


# ---- cache ----


def test_cache_returns_the_same_object(mnist_dir):
    a = md.load("mnist", extra_dirs=[mnist_dir])
    b = md.load("mnist", extra_dirs=[str(mnist_dir)])
    assert a is b and a.X_train is b.X_train


def test_concurrent_loads_load_once(mnist_dir, monkeypatch):
    calls = []
    real = md._load_uncached

    def counting(*args, **kwargs):
        calls.append(1)
        time.sleep(0.2)  # keep the other threads waiting at the lock
        return real(*args, **kwargs)

    monkeypatch.setattr(md, "_load_uncached", counting)
    start = threading.Barrier(6)
    results, errors = [], []

    def worker():
        start.wait()
        try:
            results.append(md.load("mnist", extra_dirs=[mnist_dir]))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len(results) == 6 and len(calls) == 1
    assert all(r is results[0] for r in results)


def test_test_only_result_is_replaced_once_train_files_appear(fashion_dir, tmp_path):
    raw = copy_files(fashion_dir, raw_folder(tmp_path / "data", FashionMNIST), TEST_FILES)
    d = md.load("fashion")
    assert d.test_split_only and md.load("fashion") is d
    copy_files(fashion_dir, raw, TRAIN_FILES)  # e.g. the teacher copies them in while the app runs
    full = md.load("fashion")
    assert not full.test_split_only and len(full.y_train) == 60_000 and full.source == str(raw)
    assert md.load("fashion") is full


# ---- subset ----


def test_subset(mnist_dir):
    d = md.load("mnist", extra_dirs=[mnist_dir])
    s = d.subset(500, seed=3)
    assert len(s.y_train) == 500 and s.X_train.shape == (500, 784) and s.images_train.shape == (500, 28, 28)
    assert s.X_test is d.X_test and s.y_test is d.y_test and s.images_test is d.images_test
    assert (s.mean, s.std, s.test_split_only, s.source) == (d.mean, d.std, True, d.source)
    assert torch.equal(s.y_train, d.subset(500, seed=3).y_train)
    assert not torch.equal(s.X_train, d.subset(500, seed=4).X_train)
    # the first rows of a bigger subset with the same seed are the smaller subset
    assert torch.equal(d.subset(800, seed=3).X_train[:500], s.X_train)
    # rows stay aligned: X, y and images come from the same examples
    assert torch.allclose(s.X_train[:20], (s.images_train[:20].reshape(20, -1).float() / 255 - d.mean) / d.std,
                          atol=1e-5)
    assert len(d.subset(10**6, seed=0).y_train) == 8000
    with pytest.raises(ValueError):
        d.subset(0, seed=0)


# ---- corrupt files are never used ----


@pytest.mark.parametrize("damage", ["truncate", "bitflip"])
def test_corrupt_gz_in_data_folder(mnist_dir, tmp_path, damage):
    raw = copy_files(mnist_dir, raw_folder(tmp_path / "data"), TEST_FILES)
    bad = raw / TEST_FILES[0]
    blob = bytearray(bad.read_bytes())
    if damage == "truncate":
        blob = blob[: len(blob) // 2]
    else:
        blob[len(blob) // 2] ^= 0x01
    bad.write_bytes(bytes(blob))
    for call in (lambda: md.load("mnist", extra_dirs=[mnist_dir]),  # the good copy must not hide it
                 lambda: md.ensure_available("mnist", mirrors=[closed_port_url()])):
        with pytest.raises(md.DataUnavailable) as e:
            call()
        assert e.value.code == "err.mnist.corrupt"
        assert e.value.fields["file"] == bad.name and e.value.fields["folder"] == RAW
        assert bad.name in shown(e.value)["zh"] and "MNIST/raw" in shown(e.value)["zh"]
    assert bad.read_bytes() == bytes(blob)  # reported, not deleted behind the user's back


@pytest.mark.parametrize("damage", ["truncate", "magic", "count", "pixel"])
def test_corrupt_extracted_file_in_data_folder(mnist_dir, tmp_path, damage):
    raw = raw_folder(tmp_path / "data")
    raw.mkdir(parents=True)
    for f in TEST_FILES:
        (raw / f[:-3]).write_bytes(gzip.decompress((mnist_dir / f).read_bytes()))
    good = md.load("mnist")  # extracted files: read through torchvision's own class
    assert good.source == str(raw)
    assert torch.equal(good.X_train, md.load("mnist", root=tmp_path / "other", extra_dirs=[mnist_dir]).X_train)
    md.clear_cache()

    bad = raw / "t10k-images-idx3-ubyte"
    blob = bytearray(bad.read_bytes())
    if damage == "truncate":
        blob = blob[:-784]
    elif damage == "magic":
        blob[3] = 0x01
    elif damage == "count":
        blob[4:8] = (9_999).to_bytes(4, "big")
    else:
        blob[5000] ^= 0xFF
    bad.write_bytes(bytes(blob))
    with pytest.raises(md.DataUnavailable) as e:
        md.load("mnist")
    assert e.value.code == "err.mnist.corrupt" and e.value.fields["file"] == bad.name
    assert e.value.fields["folder"] == RAW and "t10k-images-idx3-ubyte in the folder MNIST/raw" in shown(e.value)["en"]


def test_idx_header_checks(mnist_dir):
    """The structural check behind the checksums (a mistyped checksum must not let junk through)."""
    good = gzip.decompress((mnist_dir / TEST_FILES[1]).read_bytes())
    p = Path("labels")
    assert md._parse_idx(good, TEST_FILES[1], p)[0] == 7
    for bad in (good[:-1], good + b"\0", good[:6], b"\0\0\x08\x03" + good[4:],
                good[:4] + (60_000).to_bytes(4, "big") + good[8:]):
        with pytest.raises(md.DataUnavailable) as e:
            md._check_idx(bad, TEST_FILES[1], p)
        assert e.value.code == "err.mnist.corrupt"


def test_bad_gz_in_extra_dir(mnist_dir, tmp_path):
    extra = copy_files(mnist_dir, tmp_path / "home" / "teacher" / "extra", TEST_FILES)
    (extra / TEST_FILES[1]).write_bytes(b"not gzip at all")
    with pytest.raises(md.DataUnavailable) as e:
        md.load("mnist", extra_dirs=[tmp_path / "empty", extra])
    assert e.value.code == "err.mnist.corrupt" and e.value.fields["file"] == TEST_FILES[1]
    assert e.value.fields["folder"] == Msg("mnist.place.extra", index=2)
    texts = shown(e.value)
    assert f"{TEST_FILES[1]} in extra data folder #2 (PLAYGROUND_EXTRA_DATA_DIRS)" in texts["en"]
    assert "第 2 个额外数据文件夹" in texts["zh"] and "teacher" not in texts["en"] + texts["zh"]
    assert "teacher" not in e.value.fields["reason"] and "/" not in e.value.fields["reason"]


def test_error_texts_lose_their_paths():
    err = OSError(13, "Permission denied", "/home/teacher/data/MNIST/raw/t10k-images-idx3-ubyte.gz")
    assert md._one_line(err) == "Permission denied: t10k-images-idx3-ubyte.gz"
    assert md._no_paths("cannot open /srv/x/data/a.gz (see https://example.org/mnist/a.gz)") == \
        "cannot open a.gz (see https://example.org/mnist/a.gz)"
    assert md._where(Path("/srv/x/data/FashionMNIST/raw"), Path("/srv/x/data")) == \
        Msg("mnist.place.data", sub="FashionMNIST/raw")
    assert md._where(Path("/srv/y"), Path("/srv/x/data"), ["/srv/z", "/srv/y/"]) == Msg("mnist.place.extra", index=2)
    assert md._where(Path("/srv/q"), Path("/srv/x/data")) == Msg("mnist.place.folder", name="q")


def test_recompressed_gz_is_accepted_by_content(mnist_dir, tmp_path):
    """Like Debian's package: different .gz bytes (so torchvision's md5 differs), same content."""
    extra = tmp_path / "regz"
    extra.mkdir()
    for f in TEST_FILES:
        (extra / f).write_bytes(gzip.compress(gzip.decompress((mnist_dir / f).read_bytes()), compresslevel=1, mtime=0))
        assert md5(extra / f) != dict(MNIST.resources)[f]
    d = md.load("mnist", extra_dirs=[extra])
    assert torch.equal(d.X_train, md.load("mnist", extra_dirs=[mnist_dir]).X_train)


# ---- downloads with torchvision's real code, from a local server ----


def test_download_from_local_server(mnist_dir, tmp_path):
    served = copy_files(mnist_dir, tmp_path / "served", TEST_FILES)  # the server has no train files
    root = tmp_path / "data"
    calls = []
    with http_server(served) as url:
        with pytest.raises(md.DataUnavailable) as e:
            md.ensure_available("mnist", progress=lambda *a: calls.append(a), mirrors=[url])
    err = e.value
    assert err.code == "err.mnist.download_failed"
    assert list(err.fields["files"]) == list(TRAIN_FILES)
    assert err.fields["folder"] == RAW and "MNIST/raw" in shown(err)["en"]
    assert err.fields["url"] == url + TRAIN_FILES[0]
    assert "404" in err.fields["reason"]
    assert calls == [(1, 4, TRAIN_FILES[0]), (2, 4, TRAIN_FILES[1]), (3, 4, TEST_FILES[0]), (4, 4, TEST_FILES[1])]
    assert socket.getdefaulttimeout() is None  # restored
    assert MNIST.mirrors[0].startswith("https://ossci")  # torchvision's class left alone

    raw = raw_folder(root)
    assert sorted(p.name for p in raw.iterdir()) == sorted(
        [*TEST_FILES, *(f[:-3] for f in TEST_FILES)])  # downloaded + extracted, nothing left of the failures
    for f in TEST_FILES:
        assert md5(raw / f) == dict(MNIST.resources)[f]
    d = md.load("mnist")
    assert d.test_split_only and d.source == str(raw)
    assert torch.equal(d.X_train, md.load("mnist", root=tmp_path / "elsewhere", extra_dirs=[mnist_dir]).X_train)

    # a second attempt only tries what is still missing
    calls.clear()
    with pytest.raises(md.DataUnavailable):
        md.ensure_available("mnist", progress=lambda *a: calls.append(a), mirrors=[closed_port_url()])
    assert calls == [(1, 2, TRAIN_FILES[0]), (2, 2, TRAIN_FILES[1])]


@pytest.mark.parametrize("damage", ["truncate", "bitflip"])
def test_download_of_damaged_file_is_refused(mnist_dir, tmp_path, damage):
    served = copy_files(mnist_dir, tmp_path / "served", TEST_FILES)
    bad = served / TEST_FILES[1]
    blob = bytearray(bad.read_bytes())
    if damage == "truncate":
        blob = blob[:-100]
    else:
        blob[200] ^= 0x10
    bad.write_bytes(bytes(blob))
    with http_server(served) as url:
        with pytest.raises(md.DataUnavailable) as e:
            md.ensure_available("mnist", mirrors=[url])
    assert e.value.code == "err.mnist.download_failed"
    assert TEST_FILES[1] in e.value.fields["files"] and TEST_FILES[0] not in e.value.fields["files"]
    raw = raw_folder(tmp_path / "data")
    assert not (raw / TEST_FILES[1]).exists() and not (raw / TEST_FILES[1][:-3]).exists()
    assert (raw / TEST_FILES[0]).exists()


def test_offline_closed_port(mnist_dir, tmp_path):
    url = closed_port_url()
    attempted = []
    with pytest.raises(md.DataUnavailable) as e:
        md.ensure_available("mnist", mirrors=[url, url + "second/"], progress=lambda *a: attempted.append(a[2]))
    # a refusal is not a stalled network: every file is still tried (a stall gives up after the first)
    assert attempted == list(TRAIN_FILES + TEST_FILES)
    err = e.value
    assert err.code == "err.mnist.download_failed"
    assert list(err.fields["files"]) == list(TRAIN_FILES + TEST_FILES)
    assert err.fields["urls"] == [url + TRAIN_FILES[0], url + "second/" + TRAIN_FILES[0]]
    assert "refused" in err.fields["reason"].lower()
    for lang, text in shown(err).items():
        assert err.fields["folder"].text(lang) in text and "t10k-images-idx3-ubyte.gz, t10k-labels" in text
    # load(download=True) reports the failed download instead of hiding it
    with pytest.raises(md.DataUnavailable) as e2:
        md.load("mnist", extra_dirs=[mnist_dir], download=True, mirrors=[url])
    assert e2.value.code == "err.mnist.download_failed"
    assert md.load("mnist", extra_dirs=[mnist_dir]).test_split_only  # without download: the fallback


def test_download_timeout(tmp_path):
    """A server that accepts connections but never answers: the socket timeout ends the wait,
    and the remaining files are not tried one timeout each."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # never accept(): the kernel completes the handshake, nobody replies
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        with pytest.raises(md.DataUnavailable) as e:
            md.ensure_available("mnist", mirrors=[url], timeout=1.0)
        listener.setblocking(False)
        connections = 0
        while True:  # the connections the download made, still queued: closed by the client, never accepted
            try:
                listener.accept()[0].close()
            except BlockingIOError:
                break
            connections += 1
    assert connections == 1  # one timeout, not one per file: the other files are not tried
    assert len(e.value.fields["files"]) == 4
    assert "timed out" in e.value.fields["reason"].lower()
    assert socket.getdefaulttimeout() is None


# ---- Debian's Fashion-MNIST ----


def test_debian_fashion_mnist(fashion_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_SYSTEM_DIR", str(fashion_dir))
    # download=True with an unreachable mirror: the installed files must make it irrelevant
    d = md.load("fashion", download=True, mirrors=[closed_port_url()])
    assert not d.test_split_only and d.source == str(fashion_dir)
    assert (len(d.y_train), len(d.y_test)) == (60_000, 10_000)
    assert torch.bincount(d.y_train).tolist() == [6000] * 10 and torch.bincount(d.y_test).tolist() == [1000] * 10
    assert d.class_names == tuple(FashionMNIST.classes)
    assert abs(d.mean - 0.2860) < 1e-3 and abs(d.std - 0.3530) < 1e-3  # the well-known Fashion-MNIST stats
    assert_normalised(d)
    assert not (tmp_path / "data").exists()  # read in place: nothing downloaded, copied or extracted
    assert md.load("fashion") is d


def test_fashion_system_dir_damaged_or_incomplete(fashion_dir, tmp_path, monkeypatch):
    system = tmp_path / "system"
    system.mkdir()
    for f in TRAIN_FILES + TEST_FILES:
        (system / f).symlink_to(fashion_dir / f)
    monkeypatch.setenv("FASHION_MNIST_SYSTEM_DIR", str(system))
    (system / TEST_FILES[1]).unlink()
    (system / TEST_FILES[1]).write_bytes((fashion_dir / TEST_FILES[1]).read_bytes()[:-10])
    with pytest.raises(md.DataUnavailable) as e:
        md.load("fashion")
    assert e.value.code == "err.mnist.corrupt" and e.value.fields["file"] == TEST_FILES[1]
    assert e.value.fields["folder"] == Msg("mnist.place.system")
    assert "the folder of Debian's dataset-fashion-mnist package" in shown(e.value)["en"]

    (system / TEST_FILES[1]).unlink()  # three files: the system folder is not used at all
    assert md.find_files("fashion") is None
    with pytest.raises(md.DataUnavailable) as e:
        md.load("fashion")
    assert e.value.code == "err.mnist.missing" and len(e.value.fields["files"]) == 4


# ---- i18n ----


def test_ui_strings():
    keys = ["err.mnist.missing", "err.mnist.download_failed", "err.mnist.corrupt", "mnist.source.test_only",
            "mnist.progress", "data.mnist.name", "data.fashion.name"] + [f"fashion.class.{i}" for i in range(10)]
    for k in keys:
        assert set(STRINGS[k]) == set(LANGUAGES), k
    assert [STRINGS[f"fashion.class.{i}"]["en"] for i in range(10)] == list(md.CLASS_NAMES["fashion"])
    assert [STRINGS[f"fashion.class.{i}"]["zh"] for i in range(10)] == \
        ["T恤/上衣", "裤子", "套头衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴"]
    assert translate("mnist.progress", "en", done=2, total=4, file="a.gz") == "Downloading 2/4: a.gz"
    fields = {"url": "U", "folder": "F", "files": md.FileList(["a.gz", "b.gz"]), "reason": "R"}
    assert "a.gz, b.gz" in translate("err.mnist.download_failed", "zh", **fields)
    assert "8,000" in translate("mnist.source.test_only", "en") and "8,000" in translate("mnist.source.test_only", "zh")
