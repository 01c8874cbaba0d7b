"""The hostile-file corpus: malformed CSV uploads for the 2D page, hostile run files
and hostile weights files. Every file is either refused with a clear message (a UserFacingError
with an i18n code, filled in English and Chinese, no traceback text) or, when it is valid but odd,
accepted with the right values. A weights refusal leaves the model exactly as it was.
"""
from __future__ import annotations

import codecs
import gzip
import io
import json
import pickle
import re
import struct
import zipfile

import numpy as np
import pytest
import torch

from core.data.data1d import parse_xy_csv
from core.data.data2d import DataError, parse_points_csv
from core.app.export import FORMAT, VERSION, ImportRefused, load_state_dict_bytes, parse_run_json, state_dict_bytes
from core.i18n import LANGUAGES, STRINGS, Msg, UserFacingError
from core.learning.models import build_model
from tests.hostile_payloads import (Entry, entries_of, legacy_torch_file, lying_bomb, rezip_deflated, saved,
                                    zeros_bomb, zip_bytes)

CJK = re.compile(r"[\u4e00-\u9fff]")
TRACEBACK = ("Traceback", 'File "', "Error", "error:", "\n  ")
_PUNCT = re.compile(r"\\[!-/:-@\[-`{-~]")
# Markup that would form in a Markdown element: a link or image, an HTML tag, LaTeX, a colour or an emoji code.
MARKUP = re.compile(r"\]\(|!\[|<[A-Za-z/!?]|\$[^$\n]+\$|:[a-z]+\[|:[a-z0-9_+-]+:")


def live_markup(markdown: str) -> list[str]:
    """The markup that forms in `markdown` once its backslash escapes are taken out (an escaped
    character cannot start or close anything: it is blanked, not kept)."""
    return MARKUP.findall(_PUNCT.sub("\x00\x00", markdown))


def check_rendered(err: UserFacingError) -> None:
    """Through the page's own renderer (ui.common.error_text): no crash, no markup from the file."""
    from ui.common import error_text
    text = error_text(err)
    assert text.strip() and not live_markup(text), text


def check_message(err: UserFacingError) -> None:
    """Refused the right way: a known code, every field filled, readable in both languages."""
    assert err.code in STRINGS, err.code
    for value in err.fields.values():
        if isinstance(value, Msg):
            assert value.key in STRINGS, value.key
    for lang in LANGUAGES:
        msg = err.message(lang)
        assert msg.strip() and msg != err.code
        assert not any(bad in msg for bad in TRACEBACK), msg
        assert "imp.why." not in msg and "err." not in msg, msg  # no unresolved key
        assert all(ch.isprintable() for ch in msg), repr(msg)
    assert CJK.search(err.message("zh")), err.message("zh")
    assert str(err) == err.message("en")
    check_rendered(err)


# ================================================================ CSV uploads

def rows(n: int, classes: int = 2, start: int = 0) -> str:
    return "".join(f"{i},{-i},{i % classes}\n" for i in range(start, start + n))


GOOD = "x1,x2,label\n0,0,0\n1,1,1\n2,2,0\n3,3,1\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def refused(code: str, line: int | None = None):
    return ("refused", code, line)


def accepted(X, y):
    return ("accepted", np.array(X, np.float32), list(y))


CSV_CASES = [
    # -- not text, not UTF-8, nothing in it
    ("empty", b"", refused("err.csv.empty")),
    ("only-blank-lines", b"\n\n   \n\t\n", refused("err.csv.empty")),
    ("only-a-bom", codecs.BOM_UTF8, refused("err.csv.empty")),
    ("many-newlines", b"\n" * 5000, refused("err.csv.empty")),
    ("utf16-le-with-bom", GOOD.encode("utf-16"), refused("err.csv.binary")),
    ("utf16-be-no-bom", GOOD.encode("utf-16-be"), refused("err.csv.binary")),
    ("utf32", GOOD.encode("utf-32"), refused("err.csv.binary")),
    ("binary-all-bytes", bytes(range(256)) * 8, refused("err.csv.binary")),
    ("binary-no-nul", bytes(range(1, 256)) * 8, refused("err.csv.encoding")),
    ("nul-in-a-cell", b"0,0,0\n1,\x00,1\n2,2,0\n3,3,1\n", refused("err.csv.binary")),
    ("latin1", "x1,x2,label\n1,2,0\n3,4,é\n".encode("latin-1"), refused("err.csv.encoding")),
    ("png-renamed", PNG, refused("err.csv.binary")),
    ("gzip-renamed", gzip.compress(GOOD.encode()), refused("err.csv.binary")),
    ("pickle-renamed", pickle.dumps({"x": [1.0, 2.0]}, protocol=2), refused("err.csv.binary")),
    ("truncated-utf8", GOOD.encode() + "中".encode()[:2], refused("err.csv.encoding")),
    # -- shape of the rows
    ("10kB-junk-line", b"a" * 10_000 + b"\n" + rows(4).encode(), refused("err.csv.columns", 1)),
    ("10kB-label", b"0,0,0\n1,1," + b"7" * 10_000 + b"\n", refused("err.csv.label_too_long", 2)),
    ("10kB-number", b"0,0,0\n" + b"1" * 10_000 + b",1,1\n", refused("err.csv.out_of_range", 2)),
    ("too-many-columns", b"0,0,0\n1,1,1,1\n", refused("err.csv.columns", 2)),
    ("too-few-columns", b"0,0,0\n1,1\n", refused("err.csv.columns", 2)),
    ("trailing-comma", b"0,0,0\n1,1,1,\n", refused("err.csv.columns", 2)),
    ("semicolons", b"0;0;0\n1;1;1\n", refused("err.csv.columns", 1)),
    ("tabs", b"0\t0\t0\n1\t1\t1\n", refused("err.csv.columns", 1)),
    ("decimal-commas", b"0,5;1,5;0\n", refused("err.csv.not_numeric", 1)),
    ("excel-sep-line", b"sep=,\n" + GOOD.encode(), refused("err.csv.columns", 1)),
    ("missing-x2", b"0,0,0\n1,,1\n", refused("err.csv.missing", 2)),
    ("missing-label", b"0,0,0\n1,1, \n", refused("err.csv.missing", 2)),
    ("header-four-names", b"x1,x2,x3,label\n0,0,0\n", refused("err.csv.columns", 1)),
    # -- numbers
    ("nan", b"0,0,0\nnan,1,1\n", refused("err.csv.not_numeric", 2)),
    ("NaN-x2", b"0,0,0\n1,NaN,1\n", refused("err.csv.not_numeric", 2)),
    ("inf", b"0,0,0\ninf,1,1\n", refused("err.csv.not_numeric", 2)),
    ("-Infinity", b"0,0,0\n1,-Infinity,1\n", refused("err.csv.not_numeric", 2)),
    ("1e39", b"0,0,0\n1e39,1,1\n", refused("err.csv.out_of_range", 2)),
    ("-1e39", b"0,0,0\n1,-1e39,1\n", refused("err.csv.out_of_range", 2)),
    ("1e400-overflows-float64", b"0,0,0\n1e400,1,1\n", refused("err.csv.out_of_range", 2)),
    ("3e38-grid-crash", b"3e38,3e38,0\n-3e38,-3e38,1\n1,1,0\n2,2,1\n", refused("err.csv.out_of_range", 1)),
    ("1e38-nan", b"1e38,1e38,0\n-1e38,-1e38,1\n1,1,0\n2,2,1\n", refused("err.csv.out_of_range", 1)),
    ("just-past-1e15", b"0,0,0\n1.0000001e15,1,1\n", refused("err.csv.out_of_range", 2)),
    ("hex", b"0,0,0\n0x10,1,1\n", refused("err.csv.not_numeric", 2)),
    ("underscores", b"0,0,0\n1_000,1,1\n", refused("err.csv.not_numeric", 2)),
    ("fullwidth-digits", "0,0,0\n１２,1,1\n".encode(), refused("err.csv.not_numeric", 2)),
    ("arabic-indic-digits", "0,0,0\n١٢,1,1\n".encode(), refused("err.csv.not_numeric", 2)),
    ("thousands-space", b"0,0,0\n1 000,1,1\n", refused("err.csv.not_numeric", 2)),
    ("quoted-numbers", b'0,0,0\n"1","1","1"\n', refused("err.csv.not_numeric", 2)),
    ("bidi-override", "0,0,0\n1\u202e2,1,1\n".encode(), refused("err.csv.not_numeric", 2)),
    ("control-char", b"0,0,0\n1\x07,1,1\n", refused("err.csv.not_numeric", 2)),
    ("header-in-the-middle", b"0,0,0\n1,1,1\nx1,x2,label\n2,2,0\n", refused("err.csv.not_numeric", 3)),
    ("two-headers", b"x1,x2,label\nx1,x2,label\n0,0,0\n", refused("err.csv.not_numeric", 2)),
    # -- cells that would be Markdown, HTML or LaTeX if echoed as they are
    ("markdown-link-cell", b"0,0,0\n[Log in](https://evil.example),1,1\n", refused("err.csv.not_numeric", 2)),
    ("markdown-image-cell", b"0,0,0\n1,![x](http://127.0.0.1:9/p.png),1\n", refused("err.csv.not_numeric", 2)),
    ("html-cell", b"0,0,0\n<img src=x onerror=alert(1)>,1,1\n", refused("err.csv.not_numeric", 2)),
    ("latex-cell", b"0,0,0\n$x^2$,1,1\n", refused("err.csv.not_numeric", 2)),
    ("colour-label", b"0,0,0\n1,1,:red[big]\n", refused("err.csv.label_not_int", 2)),
    ("emoji-code-label", b"0,0,0\n1,1,:smile:\n", refused("err.csv.label_not_int", 2)),
    # -- labels
    ("label-1.5", b"0,0,0\n1,1,1.5\n", refused("err.csv.label_not_int", 2)),
    ("label-text", b"0,0,0\n1,1,cat\n", refused("err.csv.label_not_int", 2)),
    ("label-nan", b"0,0,0\n1,1,nan\n", refused("err.csv.label_not_int", 2)),
    ("label-1e400", b"0,0,0\n1,1,1e400\n", refused("err.csv.label_not_int", 2)),
    ("label-5000-digits", b"0,0,0\n1,1," + b"9" * 5000 + b"\n", refused("err.csv.label_too_long", 2)),
    ("label-101-digits", b"0,0,0\n1,1,-" + b"1" * 101 + b"\n", refused("err.csv.label_too_long", 2)),
    ("label-hex", b"0,0,0\n1,1,0x1\n", refused("err.csv.label_not_int", 2)),
    # -- counts and sizes
    ("one-class", rows(6, classes=1).encode(), refused("err.csv.one_class")),
    ("11-classes", rows(11, classes=11).encode(), refused("err.csv.too_many_classes")),
    ("only-a-header", b"x1,x2,label\n", refused("err.csv.too_few_rows")),
    ("three-rows", rows(3).encode(), refused("err.csv.too_few_rows")),
    ("20001-rows", ("x1,x2,label\n" + rows(20_001)).encode(), refused("err.csv.too_many_rows")),
    ("over-2MB", b"0,0,0\n1,1,1\n" + b" " * 2_000_000, refused("err.csv.too_large")),
    # -- valid but odd: accepted with the right values
    ("bom-and-crlf", codecs.BOM_UTF8 + GOOD.replace("\n", "\r\n").encode(),
     accepted([[0, 0], [1, 1], [2, 2], [3, 3]], [0, 1, 0, 1])),
    ("old-mac-cr", GOOD.replace("\n", "\r").encode(), accepted([[0, 0], [1, 1], [2, 2], [3, 3]], [0, 1, 0, 1])),
    ("spaces-blank-lines-formfeed", b" 0 , 0 , 0 \n\n1,1,1\x0c\n\n2,2,0\n3,3,1\n",
     accepted([[0, 0], [1, 1], [2, 2], [3, 3]], [0, 1, 0, 1])),
    ("line-separator-is-whitespace", "0,0,0\n1\u2028,1,1\n2,2,0\n3,3,1\n".encode(),
     accepted([[0, 0], [1, 1], [2, 2], [3, 3]], [0, 1, 0, 1])),
    ("minus-zero-plus-signs-dots", b"-0,+0,0\n.5,5.,1\n+1e0,-1E-0,0\n3,3,1\n",
     accepted([[-0.0, 0], [0.5, 5], [1, -1], [3, 3]], [0, 1, 0, 1])),
    ("at-the-limit-1e15", b"1e15,-1e15,0\n-1000000000000000,1000000000000000.0,1\n0,0,0\n1,1,1\n",
     accepted([[1e15, -1e15], [-1e15, 1e15], [0, 0], [1, 1]], [0, 1, 0, 1])),
    ("tiny-values-round-in-float32", b"1e-40,1e-50,0\n-1e-40,0,1\n0,0,0\n1,1,1\n",
     accepted([[np.float32(1e-40), 0], [np.float32(-1e-40), 0], [0, 0], [1, 1]], [0, 1, 0, 1])),
    ("labels-negative-huge-float-exp", b"0,0,-3\n1,1,99999999999999999999999\n2,2,3.0\n3,3,1e1\n",
     accepted([[0, 0], [1, 1], [2, 2], [3, 3]], [0, 3, 1, 2])),
    ("ten-classes", rows(10, classes=10).encode(), accepted([[i, -i] for i in range(10)], list(range(10)))),
    ("header-any-names", b"\xef\xbb\xbfa,b,class\n1,2,5\n3,4,6\n5,6,5\n7,8,6\n",
     accepted([[1, 2], [3, 4], [5, 6], [7, 8]], [0, 1, 0, 1])),
    ("constant-column", b"7,0,0\n7,1,1\n7,2,0\n7,3,1\n", accepted([[7, 0], [7, 1], [7, 2], [7, 3]], [0, 1, 0, 1])),
]
assert len([c for c in CSV_CASES if c[2][0] == "refused"]) >= 50


@pytest.mark.parametrize("data,expect", [c[1:] for c in CSV_CASES], ids=[c[0] for c in CSV_CASES])
def test_csv_upload(data, expect):
    if expect[0] == "accepted":
        X, y = parse_points_csv(data)
        assert X.dtype == np.float32 and y.dtype == np.int64
        np.testing.assert_array_equal(X, expect[1])
        assert np.signbit(X).tolist() == np.signbit(expect[1]).tolist()  # -0 stays -0
        assert y.tolist() == expect[2]
        return
    _, code, line = expect
    with pytest.raises(DataError) as info:
        parse_points_csv(data)
    err = info.value
    assert err.code == code, (err.code, str(err))
    check_message(err)
    if line is not None:
        assert err.fields["line"] == line
        for lang in LANGUAGES:
            assert str(line) in err.message(lang)


def test_csv_20000_rows_and_just_under_2MB_are_accepted():
    X, y = parse_points_csv(("x1,x2,label\n" + rows(20_000)).encode())
    assert X.shape == (20_000, 2) and X[19_999].tolist() == [19_999, -19_999] and y[:4].tolist() == [0, 1, 0, 1]
    data = GOOD.encode() + b"\n" * (2_000_000 - len(GOOD))
    assert len(data) == 2_000_000 and parse_points_csv(data)[0].shape == (4, 2)


def test_csv_echoed_values_are_short_and_printable():
    with pytest.raises(DataError) as info:
        parse_points_csv("0,0,0\n\u202e\x07abc".encode() + b"z" * 500 + b",1,1\n")
    value = info.value.fields["value"]
    assert len(value) == 21 and value.endswith("…") and value.startswith("\ufffd\ufffdabc")


# ---- (x, y) CSV uploads of the Regression page: the same rules, two columns

XY_GOOD = "x,y\n0,0\n1,1\n2,4\n3,9\n"


def xy_rows(n: int, start: int = 0) -> str:
    return "".join(f"{i},{i % 7}\n" for i in range(start, start + n))


XY_CASES = [
    ("empty", b"", "err.csv.empty"),
    ("only-blank-lines", b"\n \n\t\n", "err.csv.empty"),
    ("only-a-bom", codecs.BOM_UTF8, "err.csv.empty"),
    ("only-a-header", b"x,y\n", "err.csv.too_few_rows"),
    ("utf16", XY_GOOD.encode("utf-16"), "err.csv.binary"),
    ("utf32", XY_GOOD.encode("utf-32"), "err.csv.binary"),
    ("binary-all-bytes", bytes(range(256)) * 8, "err.csv.binary"),
    ("binary-no-nul", bytes(range(1, 256)) * 8, "err.csv.encoding"),
    ("latin1", "x,y\n1,2\n3,é\n".encode("latin-1"), "err.csv.encoding"),
    ("png-renamed", PNG, "err.csv.binary"),
    ("gzip-renamed", gzip.compress(XY_GOOD.encode()), "err.csv.binary"),
    ("truncated-utf8", XY_GOOD.encode() + "中".encode()[:2], "err.csv.encoding"),
    ("three-columns", b"0,0\n1,1,1\n", "err.csv1d.columns"),
    ("one-column", b"0,0\n1\n", "err.csv1d.columns"),
    ("trailing-comma", b"0,0\n1,1,\n", "err.csv1d.columns"),
    ("semicolons", b"0;0\n1;1\n", "err.csv1d.columns"),
    ("the-2d-format", b"x1,x2,label\n0,0,0\n", "err.csv1d.columns"),
    ("missing-y", b"0,0\n1, \n", "err.csv.missing"),
    ("decimal-commas", b"0,5,1,5\n", "err.csv1d.columns"),
    ("nan", b"0,0\nnan,1\n", "err.csv.not_numeric"),
    ("inf-y", b"0,0\n1,inf\n", "err.csv.not_numeric"),
    ("hex", b"0,0\n0x10,1\n", "err.csv.not_numeric"),
    ("underscores", b"0,0\n1_000,1\n", "err.csv.not_numeric"),
    ("fullwidth-digits", "0,0\n１２,1\n".encode(), "err.csv.not_numeric"),
    ("arabic-indic-digits", "0,0\n1,١٢\n".encode(), "err.csv.not_numeric"),
    ("quoted", b'0,0\n"1","2"\n', "err.csv.not_numeric"),
    ("markdown-link-cell", b"0,0\n[Log in](https://evil.example),1\n", "err.csv.not_numeric"),
    ("markdown-image-cell", b"0,0\n1,![x](http://127.0.0.1:9/p.png)\n", "err.csv.not_numeric"),
    ("html-cell", b"0,0\n<img src=x onerror=alert(1)>,1\n", "err.csv.not_numeric"),
    ("latex-cell", b"0,0\n$x^2$,1\n", "err.csv.not_numeric"),
    ("colour-cell", b"0,0\n:red[big],1\n", "err.csv.not_numeric"),
    ("header-in-the-middle", b"0,0\n1,1\nx,y\n2,2\n", "err.csv.not_numeric"),
    ("y-2e15", b"0,0\n1,2e15\n2,2\n3,3\n", "err.csv.out_of_range"),
    ("x-2e15", b"0,0\n2e15,1\n2,2\n3,3\n", "err.csv.out_of_range"),
    ("y-1e16", b"0,0\n1,1e16\n2,2\n3,3\n", "err.csv.out_of_range"),
    ("x-1e400", b"0,0\n1e400,1\n", "err.csv.out_of_range"),
    ("y-minus-1e39", b"0,0\n1,-1e39\n", "err.csv.out_of_range"),
    ("10kB-number", b"0,0\n" + b"1" * 10_000 + b",1\n", "err.csv.out_of_range"),
    ("three-rows", xy_rows(3).encode(), "err.csv.too_few_rows"),
    ("20001-rows", ("x,y\n" + xy_rows(20_001)).encode(), "err.csv.too_many_rows"),
    ("20000-rows-then-1e15", ("x,y\n" + xy_rows(19_999) + "1,2e15\n").encode(), "err.csv.out_of_range"),
    ("over-2MB", b"0,0\n1,1\n" + b" " * 2_000_000, "err.csv.too_large"),
]
assert len(XY_CASES) >= 40


@pytest.mark.parametrize("data,code", [c[1:] for c in XY_CASES], ids=[c[0] for c in XY_CASES])
def test_xy_csv_upload(data, code):
    with pytest.raises(DataError) as info:
        parse_xy_csv(data)
    assert info.value.code == code, (info.value.code, str(info.value))
    check_message(info.value)


# ================================================================ run files (JSON)

def run_doc(**over) -> bytes:
    doc = {"format": FORMAT, "version": VERSION, "page": "2d", "title": "t",
           "config": {"dataset": "moons", "lr": "0.01"}, "final": {}, "history": []}
    doc.update(over)
    return json.dumps(doc).encode()


def with_config(text: str) -> bytes:
    """A run file whose config object is `text`, verbatim (for literals json.dumps won't write)."""
    return run_doc(config="@@").replace(b'"@@"', text.encode())


JSON_CASES = [
    ("pickle-renamed", pickle.dumps({"format": FORMAT}), "err.import.encoding", None),
    ("torch-file-renamed", saved({"a": torch.zeros(2)}), "err.import.encoding", None),
    ("zip-bomb-renamed", zeros_bomb(1 << 20), "err.import.encoding", None),
    ("gzip-renamed", gzip.compress(run_doc()), "err.import.encoding", None),
    ("utf16", run_doc().decode().encode("utf-16"), "err.import.encoding", None),
    ("latin1", run_doc().replace(b'"t"', '"é"'.encode("latin-1")), "err.import.encoding", None),
    ("10MB", run_doc() + b" " * 10_000_000, "err.import.too_large", None),
    ("empty", b"", "err.import.not_json", "imp.why.json_syntax"),
    ("trailing-garbage", run_doc() + b"}", "err.import.not_json", "imp.why.json_syntax"),
    ("nested-arrays-100k", b"[" * 100_000 + b"]" * 100_000, "err.import.not_json", "imp.why.json_deep"),
    ("nested-in-config", with_config('{"a": ' + "[" * 50_000 + "]" * 50_000 + "}"), "err.import.not_json",
     "imp.why.json_deep"),
    ("int-5000-digits", with_config('{"lr": ' + "9" * 5000 + "}"), "err.import.not_json", "imp.why.json_digits"),
    ("int-4000-digits", with_config('{"lr": ' + "9" * 4000 + "}"), "err.import.config", "imp.why.too_long"),
    ("float-1e400", with_config('{"lr": 1e400}'), "err.import.config", "imp.why.not_finite"),
    ("NaN-literal", with_config('{"lr": NaN}'), "err.import.config", "imp.why.not_finite"),
    ("Infinity-literal", with_config('{"lr": Infinity}'), "err.import.config", "imp.why.not_finite"),
    ("-Infinity-literal", with_config('{"lr": -Infinity}'), "err.import.config", "imp.why.not_finite"),
    ("value-list", with_config('{"lr": [1, 2]}'), "err.import.config", "imp.why.not_scalar"),
    ("value-object", with_config('{"lr": {"a": 1}}'), "err.import.config", "imp.why.not_scalar"),
    ("value-null", with_config('{"lr": null}'), "err.import.config", "imp.why.not_scalar"),
    ("config-list", with_config('[["lr", "1"]]'), "err.import.config", "imp.why.no_settings"),
    ("config-missing", json.dumps({"format": FORMAT, "version": 1, "page": "2d"}).encode(), "err.import.config",
     "imp.why.no_settings"),
    ("key-10kB", with_config(json.dumps({"k" * 10_000: "1"})), "err.import.config", "imp.why.bad_name"),
    ("key-empty", with_config('{"": "1"}'), "err.import.config", "imp.why.bad_name"),
    ("key-nul", with_config('{"l\\u0000r": "1"}'), "err.import.config", "imp.why.bad_chars"),
    ("value-lone-surrogate", with_config('{"title": "\\ud800"}'), "err.import.config", "imp.why.bad_chars"),
    ("value-10kB", with_config(json.dumps({"title": "x" * 10_000})), "err.import.config", "imp.why.too_long"),
    ("201-settings", with_config(json.dumps({f"k{i}": "1" for i in range(201)})), "err.import.config",
     "imp.why.too_many_settings"),
    ("top-level-list", b"[1, 2, 3]", "err.import.not_run", None),
    ("top-level-null", b"null", "err.import.not_run", None),
    ("wrong-format", run_doc(format="something-else"), "err.import.not_run", None),
    ("version-2", run_doc(version=2), "err.import.version", None),
    ("version-string", run_doc(version="1"), "err.import.version", None),
    ("version-float", run_doc(version=1.0), "err.import.version", None),
    ("version-true", run_doc(version=True), "err.import.version", None),
    ("unknown-page", run_doc(page="admin"), "err.import.page", None),
    ("page-list", run_doc(page=["2d"]), "err.import.page", None),
    ("page-object", run_doc(page={"2d": 1}), "err.import.page", None),
]


@pytest.mark.parametrize("data,code,why", [c[1:] for c in JSON_CASES], ids=[c[0] for c in JSON_CASES])
def test_hostile_run_file(data, code, why):
    with pytest.raises(ImportRefused) as info:
        parse_run_json(data)
    err = info.value
    assert err.code == code, (err.code, str(err))
    if why is not None:
        assert err.fields["reason"].key == why
    check_message(err)


def test_odd_but_valid_run_files_are_accepted():
    assert parse_run_json(codecs.BOM_UTF8 + run_doc()) == ("2d", {"dataset": "moons", "lr": "0.01"})
    assert parse_run_json(run_doc(extra={"ignored": [1, 2]}, config={"lr": 0.5, "on": True, "n": 3})) == \
        ("2d", {"lr": "0.5", "on": "1", "n": "3"})
    assert parse_run_json(with_config('{"lr": "1", "lr": "2"}'))[1] == {"lr": "2"}  # last one wins


# ================================================================ weights files

def small_model(seed: int = 0):
    return build_model("mlp", 2, 3, seed, depth=2, width=8, activation="tanh",
                       mean=torch.tensor([10.0, -5.0]), std=torch.tensor([2.0, 0.5]))


def other_state(**change) -> dict:
    """A genuine state dict for small_model (other seed), with some tensors replaced."""
    sd = dict(small_model(7).state_dict())
    sd.update(change)
    return sd


class EvilOpen:
    """Unpickling this would call builtins.open(path, "w"): the file would appear."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


class MyTensor(torch.Tensor):
    pass


def weights_with(entries: list[Entry], transform) -> bytes:
    return zip_bytes([transform(e) for e in entries])


def _genuine() -> bytes:
    return saved(other_state())


def _set_method(method):
    return lambda e: Entry(e.name, e.payload, method=method) if e.name.endswith("/data/0") else e


def _entries_case(n: int) -> bytes:
    es = entries_of(_genuine())
    return zip_bytes(es + [Entry(f"archive/junk/{i}", b"x") for i in range(n)])


def _duplicate_names() -> bytes:
    es = entries_of(_genuine())
    return zip_bytes(es + [Entry(es[-2].name, es[-2].payload)])


def _count_lies() -> bytes:
    data = bytearray(_genuine())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<2H", data, at + 8, 3, 3)  # the end record says 3 entries
    return bytes(data)


def _zip64_locator() -> bytes:
    data = _genuine()
    at = data.rfind(b"PK\x05\x06")
    return data[:at] + struct.pack("<4sLQL", b"PK\x06\x07", 0, 0, 1) + data[at:]


def _zip64_count(n: int) -> bytes:
    """Both end records (classic and zip64) claim n entries."""
    data = bytearray(_genuine())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<2H", data, at + 8, min(n, 0xFFFF), min(n, 0xFFFF))
    struct.pack_into("<2Q", data, at - 20 - 56 + 24, n, n)
    return bytes(data)


def _encrypted_flag() -> bytes:
    data = bytearray(_genuine())
    at = data.rfind(b"PK\x01\x02")  # central entry of the last member: set "encrypted"
    struct.pack_into("<H", data, at + 8, 1)
    return bytes(data)


def _pickle_claims_more() -> bytes:
    from tests.hostile_payloads import _with_numel
    es = entries_of(saved({"net.weight": torch.zeros(7)}))
    return zip_bytes([Entry(e.name, _with_numel(e.payload, 7, 10_000)) if e.name.endswith("data.pkl") else e
                      for e in es])


def _lying_complete(model) -> bytes:
    """A complete, genuine state dict in which one DEFLATED entry declares the right size but
    inflates to 48 MB: only the lie is wrong."""
    es = entries_of(saved(dict(model.state_dict())))
    out = []
    for e in es:
        if e.name.endswith("/data/0"):
            from tests.hostile_payloads import deflate_zeros, _crc_zeros
            out.append(Entry(e.name, deflate_zeros(48 << 20), method=8, size=len(e.payload),
                             crc=_crc_zeros(len(e.payload))))
        else:
            out.append(e)
    return zip_bytes(out)


WEIGHT_CASES = [
    # name, payload factory (marker path) -> bytes, expected code, expected reason key
    ("empty", lambda m: b"", "err.import.weights", "imp.why.empty"),
    ("pickle-reduce-writes-a-file", lambda m: pickle.dumps({"net.weight": EvilOpen(m)}, protocol=2),
     "err.import.weights", "imp.why.legacy"),
    ("pickle-protocol-5", lambda m: pickle.dumps(EvilOpen(m), protocol=5), "err.import.weights", "imp.why.legacy"),
    ("torch-save-with-open-reduce", lambda m: saved({**other_state(), "x": EvilOpen(m)}),
     "err.import.weights", "imp.why.objects"),
    ("torch-save-of-the-object", lambda m: saved(EvilOpen(m)), "err.import.weights", "imp.why.objects"),
    ("legacy-torch-format", lambda m: legacy_torch_file(other_state()), "err.import.weights", "imp.why.legacy"),
    ("numpy-array-values", lambda m: saved({k: v.numpy() for k, v in other_state().items()}),
     "err.import.weights", "imp.why.objects"),
    ("tensor-subclass", lambda m: saved(other_state(**{"net.bias": other_state()["net.bias"].as_subclass(MyTensor)})),
     "err.import.weights", "imp.why.objects"),
    ("text-file", lambda m: b"net.weight = 1, 2, 3\n", "err.import.weights", "imp.why.not_weights"),
    ("png", lambda m: PNG, "err.import.weights", "imp.why.not_weights"),
    ("run-json", lambda m: run_doc(), "err.import.weights", "imp.why.not_weights"),
    ("too-large-for-this-model", lambda m: _genuine() + b"\0" * 80_000, "err.import.too_large", None),
    ("truncated-half", lambda m: _genuine()[: len(_genuine()) // 2], "err.import.weights", "imp.why.damaged"),
    ("truncated-one-byte", lambda m: _genuine()[:-1], "err.import.weights", "imp.why.damaged"),
    ("zip-magic-then-junk", lambda m: b"PK\x03\x04" + bytes(range(256)) * 20, "err.import.weights",
     "imp.why.damaged"),
    ("end-record-count-lies", lambda m: _count_lies(), "err.import.weights", "imp.why.damaged"),
    ("zip64-locator", lambda m: _zip64_locator(), "err.import.weights", "imp.why.damaged"),
    ("duplicate-entry-names", lambda m: _duplicate_names(), "err.import.weights", "imp.why.damaged"),
    ("too-many-entries", lambda m: _entries_case(40), "err.import.weights", "imp.why.entries"),
    ("zip64-claims-a-million-entries", lambda m: _zip64_count(10**6), "err.import.weights", "imp.why.entries"),
    ("bzip2-entry", lambda m: weights_with(entries_of(_genuine()), _set_method(12)), "err.import.weights",
     "imp.why.method"),
    ("lzma-entry", lambda m: weights_with(entries_of(_genuine()), _set_method(14)), "err.import.weights",
     "imp.why.method"),
    ("encrypted-entry", lambda m: _encrypted_flag(), "err.import.weights", "imp.why.method"),
    ("zeros-bomb-48MB-declared", lambda m: zeros_bomb(12_000_000), "err.import.weights", "imp.why.unpacked"),
    ("lying-header-48MB-real", lambda m: _lying_complete(small_model()), "err.import.weights", "imp.why.lying"),
    ("stored-size-lies", lambda m: weights_with(entries_of(_genuine()), lambda e: Entry(
        e.name, e.payload, size=len(e.payload) + 4) if e.name.endswith("/data/1") else e),
     "err.import.weights", "imp.why.lying"),
    ("pickle-claims-more-than-stored", lambda m: _pickle_claims_more(), "err.import.weights",
     "imp.why.unreadable"),
    ("corrupt-pickle", lambda m: weights_with(entries_of(_genuine()), lambda e: Entry(
        e.name, b"\x80\x02}q\x00(garbage") if e.name.endswith("data.pkl") else e),
     "err.import.weights", "imp.why.unreadable"),
    ("a-list", lambda m: saved(list(other_state().values())), "err.import.weights", "imp.why.not_dict"),
    ("a-bare-tensor", lambda m: saved(torch.zeros(3)), "err.import.weights", "imp.why.not_dict"),
    ("int-keys", lambda m: saved({i: v for i, v in enumerate(other_state().values())}), "err.import.weights",
     "imp.why.not_dict"),
    ("lists-not-tensors", lambda m: saved({k: v.tolist() for k, v in other_state().items()}),
     "err.import.weights", "imp.why.not_dict"),
    ("a-tensor-missing", lambda m: saved({k: v for k, v in other_state().items() if k != "net.bias"}),
     "err.import.weights", "imp.why.missing"),
    ("an-extra-tensor", lambda m: saved(other_state(**{"net.extra": torch.zeros(2)})), "err.import.weights",
     "imp.why.unexpected"),
    ("wrong-shape", lambda m: saved(other_state(**{"net.bias": torch.zeros(5)})), "err.import.weights",
     "imp.why.shape"),
    ("wrong-dtype", lambda m: saved({k: v.double() for k, v in other_state().items()}), "err.import.weights",
     "imp.why.shape"),
    ("int-tensor", lambda m: saved(other_state(**{"net.bias": torch.zeros(8 + 8 + 3, dtype=torch.int32)})),
     "err.import.weights", "imp.why.shape"),
    ("sparse-tensor", lambda m: saved(other_state(**{"net.bias": other_state()["net.bias"].to_sparse()})),
     "err.import.weights", "imp.why.layout"),
    ("nan-weight", lambda m: saved(other_state(**{"net.weight": other_state()["net.weight"].index_fill(
        0, torch.tensor([3]), float("nan"))})), "err.import.weights", "imp.why.non_finite"),
    ("inf-bias", lambda m: saved(other_state(**{"net.bias": torch.full((19,), float("inf"))})),
     "err.import.weights", "imp.why.non_finite"),
    ("nan-std-buffer", lambda m: saved(other_state(**{"standardize.std": torch.tensor([float("nan"), 1.0])})),
     "err.import.weights", "imp.why.non_finite"),
    ("finite-weights-of-3e38", lambda m: saved(other_state(**{"net.weight": torch.full((104,), 3e38),
                                                             "net.bias": torch.full((19,), 3e38)})),
     "err.import.weights", "imp.why.overflow"),
    ("zero-std-buffer", lambda m: saved(other_state(**{"standardize.std": torch.zeros(2)})),
     "err.import.weights", "imp.why.overflow"),
]


def snapshot(model) -> dict:
    return {k: v.clone() for k, v in model.state_dict().items()}


def unchanged(model, before) -> bool:
    now = model.state_dict()
    return now.keys() == before.keys() and all(torch.equal(now[k], before[k]) for k in now)


@pytest.mark.parametrize("make,code,why", [c[1:] for c in WEIGHT_CASES], ids=[c[0] for c in WEIGHT_CASES])
def test_hostile_weights_file(make, code, why, tmp_path):
    marker = tmp_path / "pwned.txt"
    model = small_model()
    before = snapshot(model)
    data = make(marker)
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(data, model)
    err = info.value
    assert err.code == code, (err.code, str(err))
    if why is not None:
        assert err.fields["reason"].key == why, str(err)
    check_message(err)
    assert unchanged(model, before)
    assert not marker.exists(), "code from the file ran"


def test_the_reduce_payloads_are_real(tmp_path):
    """Plain pickle would run them: the file appears. (So the test above can fail.)"""
    marker = tmp_path / "probe.txt"
    pickle.loads(pickle.dumps({"x": EvilOpen(marker)}, protocol=2))
    assert marker.exists()


def test_the_lying_entry_really_inflates_past_its_header():
    data = _lying_complete(small_model())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = next(i for i in z.infolist() if i.filename.endswith("/data/0"))
        assert info.file_size < 100 and info.compress_type == zipfile.ZIP_DEFLATED
    import zlib
    start = info.header_offset + 30 + len(info.filename)
    assert len(zlib.decompressobj(-15).decompress(data[start:start + info.compress_size])) == 48 << 20


@pytest.mark.parametrize("name,make", [
    ("genuine", lambda: saved(other_state())),
    ("deflated", lambda: rezip_deflated(saved(other_state()))),
    ("parameters", lambda: saved({k: torch.nn.Parameter(v) for k, v in other_state().items()})),
    ("large-but-finite-weights", lambda: saved(other_state(**{"net.weight": other_state()["net.weight"] * 1e4}))),
])
def test_odd_but_valid_weights_are_accepted(name, make):
    model = small_model()
    load_state_dict_bytes(make(), model)
    want = other_state() if name != "large-but-finite-weights" else other_state(
        **{"net.weight": other_state()["net.weight"] * 1e4})
    assert unchanged(model, want)


def test_limit_follows_the_model():
    from core.app.export import weights_size_limit
    small = small_model()
    need = sum(t.nbytes for t in small.state_dict().values())
    assert weights_size_limit(small) == need + 64 * 1024 + 1024 * 4
    data = state_dict_bytes(small)
    assert len(data) < weights_size_limit(small)


@pytest.fixture(scope="module")
def big_mlp():
    """The largest MNIST model (784-2048x4-10): ~57 MB of weights."""
    return build_model("mlp", 784, 10, 0, hidden=(2048,) * 4, activation="relu")


def test_a_523kB_zeros_bomb_is_refused_before_unpacking(big_mlp):
    data = zeros_bomb()  # torch.zeros(134_217_728) as net.weight, re-zipped DEFLATED
    assert 400_000 < len(data) < 600_000
    before = snapshot(big_mlp)
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(data, big_mlp)
    reason = info.value.fields["reason"]
    assert reason.key == "imp.why.unpacked" and reason.fields["size"] > 512 * 2**20
    assert reason.fields["limit"] < 58_000_000
    check_message(info.value)
    assert unchanged(big_mlp, before)


def test_a_lying_bomb_against_the_big_model(big_mlp):
    data = lying_bomb(declared=4096, real=400 << 20, key="net.weight")
    before = snapshot(big_mlp)
    with pytest.raises(ImportRefused) as info:
        load_state_dict_bytes(data, big_mlp)
    assert info.value.fields["reason"].key == "imp.why.lying"
    assert unchanged(big_mlp, before)
