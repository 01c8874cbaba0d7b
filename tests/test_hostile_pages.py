"""Hostile files through the real pages (AppTest, the uploader driven as a reader drives it): malformed
CSVs on the 2D and Regression pages, run files that quote Markdown, HTML and LaTeX in the import panel,
and the hostile weights corpus (tests/hostile_payloads.py WEIGHTS_CASES: bombs, pickles naming code,
lying archives, wrong keys, shapes, dtypes and values) in the import panels of the 2D, Regression and
MNIST pages. For each file: no exception, the refusal shown with the file's text escaped, the previous
run kept, and the file parsed once however often the page reruns while it stays uploaded.

One AppTest per page is shared by the cases (each case uploads its own file over the last one)."""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
import torch

import core.serving.compute_limits
import core.data.data1d
import core.data.data2d
import ui.runs
from core.app.export import FORMAT, VERSION, weights_size_limit
from core.i18n import UserFacingError, translate
from tests.hostile_payloads import WEIGHTS_CASES, Entry, WeightsCase, entries_of, saved, zip_bytes
from tests.support import MNIST_DIR, ROOT, _shared_candidates, have_mnist, need_data, open_page_via_home
from tests.test_hostile_files import CSV_CASES, XY_CASES, live_markup

APP = str(ROOT / "app.py")
PAGE_2D, PAGE_REG, PAGE_MNIST = "pages/1_playground_2d.py", "pages/6_regression.py", "pages/2_mnist.py"
RERUNS = 2  # clicks elsewhere on the page while the refused file stays in the uploader
REFUSED = translate("imp.refused", "en", reason="")  # "File refused: " (the CSV uploader's "p2d.upload_refused" too)
assert REFUSED == translate("p2d.upload_refused", "en", reason="")

GOOD_2D = "".join(f"{i * 0.1:.2f},{(i * 7 % 13) * 0.1:.2f},{i % 2}\n" for i in range(40)).encode()
GOOD_XY = "".join(f"{i * 0.1:.2f},{(i * 7 % 13) * 0.1:.2f}\n" for i in range(40)).encode()

# Text a file may carry into a refusal; "ZQ" marks it, so a test knows the refusal quoted the file.
PAYLOADS = [
    "![x](http://127.0.0.1:8799/pwn.png)",
    "[Log in again](https://evil.example/ZQ)",
    "<img src=x onerror=ZQ>",
    "$ZQ^2$",
    ":red[ZQred]",
    ":smileZQ:",
    "**ZQ** _x_ `code`",
    "\\[ZQ](https://evil.example)",  # a backslash of its own must not unescape the bracket
    "<https://evil.example/ZQ>",
    "[ZQ]: https://evil.example",
]


def assert_ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def refusals(elements) -> list[str]:
    return [e.value for e in elements if e.value.startswith(REFUSED)]


@pytest.fixture(scope="module")
def calls():
    """How often each parser ran: every parser the pages call, wrapped (the pages look them up on
    every script run, ui.runs at import); `calls.refused[name]`: the parser's last refusal."""
    counts = Counter()
    counts.refused = {}

    def counted(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            counts[name] += 1
            try:
                return real(*args, **kwargs)
            except UserFacingError as err:
                counts.refused[name] = err
                raise
        return wrapper

    with pytest.MonkeyPatch.context() as mp:
        for module, name in [(core.data.data2d, "parse_points_csv"), (core.data.data1d, "parse_xy_csv"),
                             (ui.runs, "parse_run_json"), (ui.runs, "load_state_dict_bytes")]:
            mp.setattr(module, name, counted(module, name))
        yield counts


# ---- weights on the MNIST page (the weights corpus and its checks are further down) ----
# First in the file: the longest test (the page with the largest model), so that pytest-xdist starts
# it first and the other worker takes the short cases meanwhile.

LARGEST_MNIST = "2048,2048,2048,2048"  # 784-2048x4-10: 57 MB of weights, the largest limit any page has


@pytest.fixture
def mnist_import(calls, tmp_path):
    """The MNIST page holding the largest model, with the shared MNIST test split. A CPU server refuses
    that model (core/serving/compute_limits.py falls back to 784-256-10); it is the GPU server's, whose limits
    are lent here for the test. Function-scoped: one test uses it, and the limits go back after it."""
    need_data(have_mnist(), f"MNIST test split not found in {MNIST_DIR}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLAYGROUND_EXTRA_DATA_DIRS", str(MNIST_DIR))
        mp.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
        mp.setenv("FASHION_MNIST_SYSTEM_DIR", str(tmp_path / "no-fashion"))
        mp.setitem(core.serving.compute_limits.LIMITS, "cpu", core.serving.compute_limits.LIMITS["gpu"])
        at = open_page_via_home(APP, PAGE_MNIST, {"hidden": LARGEST_MNIST, "n_train": "500"})
        assert at.session_state["mn.config"].hidden == LARGEST_MNIST
        assert weights_size_limit(at.session_state["mn.run"].trainer.model) > 56_000_000
        yield at


def test_hostile_weights_on_the_mnist_page(mnist_import, calls, marker):
    """All of MNIST's cases in one test: the page with the largest model is built once (slow), where
    parametrised cases could each build it on another worker. Every case runs; the failures are listed.
    One rerun each (a script run is slow here): it would parse a refused file again as well as two."""
    failed = []
    cases = list(WEIGHTS_BY_PAGE["mnist"])
    if REPRO is not None:  # the report's pickle bombs, where its folder is at hand
        files = [Path(REPRO) / name for name in ("D4_weights_pickle_bomb_mnist_4x2048.pt",
                                                 "D4_weights_pickle_bomb_mnist_default_256.pt")]
        cases += [WeightsCase(p.name, "mnist", lambda m, x, p=p: p.read_bytes(), ("imp.why.pickle_large",))
                  for p in files if p.is_file()]
    for case in cases:
        try:
            check_weights_case(mnist_import, calls, "mn.run", case, marker, reruns=1)
        except AssertionError as err:
            failed.append(f"{case.name}: {err}")
    assert not failed, "\n".join(failed)


class Page:
    """A page on its "upload" data set with a good file trained one step: the run a refusal must keep."""

    def __init__(self, path: str, state: str, good: bytes, parser: str):
        self.state, self.key, self.good, self.parser = state, f"{state}.csv", good, parser
        self.at = open_page_via_home(APP, path, {"dataset": "upload"})
        self.upload_good()

    def upload_good(self):
        self.at.file_uploader(key=self.key).set_value(("good.csv", self.good, "text/csv")).run()
        self.at.button(key=f"{self.state}.step_button").click().run()
        assert_ok(self.at)
        assert self.at.session_state[f"{self.state}.run"].trainer.steps == 1

    def run(self):
        return self.at.session_state[f"{self.state}.run"]


@pytest.fixture(scope="module")
def page_2d(calls):
    return Page(PAGE_2D, "p2d", GOOD_2D, "parse_points_csv")


@pytest.fixture(scope="module")
def page_reg(calls):
    return Page(PAGE_REG, "reg", GOOD_XY, "parse_xy_csv")


def check_refused_csv(page: Page, calls, name: str, data: bytes) -> str:
    at, run = page.at, page.run()
    before = calls[page.parser]
    at.file_uploader(key=page.key).set_value((f"{name}.csv", data, "text/csv")).run()
    assert_ok(at)
    for _ in range(RERUNS):
        at.run()
        assert_ok(at)
    assert calls[page.parser] - before == 1, "parsed again on a rerun"
    shown = refusals(at.sidebar.error)
    assert len(shown) == 1, [e.value for e in at.sidebar.error]
    assert not live_markup(shown[0]), shown[0]
    assert page.run() is run and run.trainer.steps == 1  # the previous run is kept, untouched
    assert f"{page.state}.upload" not in at.session_state  # and nothing trains on the refused file
    return shown[0]


REFUSED_2D = [c for c in CSV_CASES if c[2][0] == "refused"]
assert len(REFUSED_2D) + len(XY_CASES) >= 80


@pytest.mark.parametrize("name,data", [c[:2] for c in REFUSED_2D], ids=[c[0] for c in REFUSED_2D])
def test_a_malformed_2d_csv_is_refused_on_the_page(page_2d, calls, name, data):
    check_refused_csv(page_2d, calls, name, data)


@pytest.mark.parametrize("name,data", [c[:2] for c in XY_CASES], ids=[c[0] for c in XY_CASES])
def test_a_malformed_xy_csv_is_refused_on_the_page(page_reg, calls, name, data):
    check_refused_csv(page_reg, calls, name, data)


# The files of the report that crashed the page: a refusal with a `limit` field.
@pytest.mark.parametrize("kind,data,quoted", [
    ("2d", b"0,0,0\n2e15,1,1\n2,2,0\n3,3,1\n", "2e15"),
    ("xy", b"0,0\n1,2e15\n2,2\n3,3\n", "2e15"),
    ("xy", "".join(f"{i},{i % 5}\n" for i in range(20_001)).encode(), "20,000"),
    ("2d", "".join(f"{i},{-i},{i % 2}\n" for i in range(20_001)).encode(), "20,000"),
])
def test_a_refusal_with_a_limit_shows_its_message(page_2d, page_reg, calls, kind, data, quoted):
    shown = check_refused_csv(page_2d if kind == "2d" else page_reg, calls, "limit", data)
    assert quoted in shown.replace("\\", ""), shown


@pytest.mark.parametrize("which", ["2d", "xy"])
def test_removing_the_file_stops_training_on_it(page_2d, page_reg, which):
    page = page_2d if which == "2d" else page_reg
    page.upload_good()
    page.at.file_uploader(key=page.key).clear().run()
    assert_ok(page.at)
    assert f"{page.state}.upload" not in page.at.session_state
    needed = "p2d.upload_needed" if which == "2d" else "reg.upload_needed"
    assert translate(needed, "en") in [i.value for i in page.at.info]
    page.upload_good()  # the next case starts from a trained run again


def test_a_file_the_uploader_forgot_on_a_page_switch_is_named(page_2d):
    at = page_2d.at
    page_2d.upload_good()
    run = page_2d.run()
    at.switch_page("pages/home.py").run()
    at.switch_page(PAGE_2D).run()
    assert_ok(at)
    assert at.file_uploader(key="p2d.csv").value is None  # Streamlit dropped the widget's state
    assert page_2d.run() is run
    kept = translate("upload.kept", "en", name="good\\.csv")
    assert [c.value for c in at.sidebar.caption if "good" in c.value] == [kept]


# ---- run files and weights through the import panel (Regression page, its own data) ----


@pytest.fixture(scope="module")
def reg_import(calls):
    at = open_page_via_home(APP, PAGE_REG, {"dataset": "line"})
    at.button(key="reg.step_button").click().run()
    assert_ok(at)
    return at


def run_doc(config=None, **over) -> bytes:
    doc = {"format": FORMAT, "version": VERSION, "page": "regression", "title": "t",
           "config": config if config is not None else {"lr": "0.01"}, "final": {}, "history": []}
    doc.update(over)
    return json.dumps(doc).encode()


def run_files() -> list[tuple[str, bytes, str]]:
    """Each payload as a settings name the file refuses (four reasons), and some as a page and a version."""
    out = []
    for i, p in enumerate(PAYLOADS):
        out += [(f"{i}-not-finite", run_doc(config={"@@": 1}).replace(b'"@@": 1', f'{json.dumps(p)}: NaN'.encode()), p),
                (f"{i}-not-scalar", run_doc(config={p: [1]}), p),
                (f"{i}-too-long", run_doc(config={p: "1" * 201}), p),
                (f"{i}-bad-chars", run_doc(config={p + "\u0007": "1"}), p)]
        if i < 3:
            out += [(f"{i}-page", run_doc(page=p), p), (f"{i}-version", run_doc(version=p), p)]
    return out


RUN_FILES = run_files()
assert len(RUN_FILES) >= 35


def check_refused_import(at, calls, key: str, parser: str, name: str, data: bytes, state: str = "reg.run",
                         reruns: int = RERUNS) -> str:
    run = at.session_state[state]
    weights, steps = {k: v.clone() for k, v in run.trainer.model.state_dict().items()}, run.trainer.steps
    before = calls[parser]
    calls.refused.pop(parser, None)
    other = "imp.weights" if key == "imp.json" else "imp.json"
    at.file_uploader(key=other).clear()  # the other uploader's refusal, if any, goes with its file
    at.file_uploader(key=key).set_value((name, data, "application/octet-stream")).run()
    assert_ok(at)
    for _ in range(reruns):
        at.run()
        assert_ok(at)
    assert calls[parser] - before == 1, "parsed again on a rerun"
    shown = refusals(at.main.error)
    assert len(shown) == 1, [e.value for e in at.error]
    assert not live_markup(shown[0]), shown[0]
    assert at.session_state[state] is run and run.trainer.steps == steps
    now = run.trainer.model.state_dict()
    assert all(torch.equal(now[k], v) for k, v in weights.items())
    return shown[0]


def quoted(payload: str, shown: str) -> bool:
    """The refusal did quote the file's text (its start: long names are cut)."""
    return payload[:8] in re.sub(r"\\(.)", r"\1", shown)


@pytest.mark.parametrize("name,data,payload", RUN_FILES, ids=[c[0] for c in RUN_FILES])
def test_a_run_file_quoting_markup_is_refused_as_text(reg_import, calls, name, data, payload):
    shown = check_refused_import(reg_import, calls, "imp.json", "parse_run_json", f"{name}.json", data)
    assert quoted(payload, shown), shown


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_a_run_file_with_overlong_hand_edits_is_refused_as_text(reg_import, calls, payload):
    """The hand edits may be longer than other settings (50 edits), but not without bound: past their own
    limit the file is refused, its text quoted, not rendered."""
    data = run_doc(config={"edits": (payload + ";") * (2_001 // (len(payload) + 1) + 1)})
    shown = check_refused_import(reg_import, calls, "imp.json", "parse_run_json", "edits.json", data)
    assert "2000" in shown.replace(",", "").replace("\\", ""), shown


def test_a_run_file_over_the_limit_shows_its_message(reg_import, calls):
    data = run_doc() + b" " * 5_000_001  # past the limit, whatever it is: the message names both sizes
    shown = check_refused_import(reg_import, calls, "imp.json", "parse_run_json", "big.json", data)
    assert f"{len(data)} bytes" in shown.replace("\\", "").replace(",", ""), shown


def weights_files(state: dict) -> list[tuple[str, bytes, str]]:
    """Each payload as a tensor name, and as a zip entry name (refused for its method, for its size)."""
    out = []
    for i, p in enumerate(PAYLOADS[:6]):
        es = entries_of(saved(state))
        out += [(f"{i}-tensor-name", saved({**state, p: torch.zeros(1)}), p),
                (f"{i}-entry-method", zip_bytes(es + [Entry(f"archive/{p}", b"x", method=12)]), p),
                (f"{i}-entry-size", zip_bytes(es + [Entry(f"archive/{p}", b"abc", size=10)]), p)]
    return out


def test_weights_files_quoting_markup_are_refused_as_text(reg_import, calls):
    state = dict(reg_import.session_state["reg.run"].trainer.model.state_dict())
    for name, data, payload in weights_files(state):
        shown = check_refused_import(reg_import, calls, "imp.weights", "load_state_dict_bytes", f"{name}.pt", data)
        assert quoted(payload, shown), (name, shown)


def test_weights_over_the_models_limit_show_their_message(reg_import, calls):
    state = dict(reg_import.session_state["reg.run"].trainer.model.state_dict())
    shown = check_refused_import(reg_import, calls, "imp.weights", "load_state_dict_bytes", "big.pt",
                                 saved(state) + bytes(200_000))
    assert translate("err.import.too_large", "en", size="", limit="")[:12] in shown, shown


# ---- the weights corpus through the three pages that import weights ----

WEIGHTS_BY_PAGE = {page: [c for c in WEIGHTS_CASES if c.page == page] for page in ("2d", "regression", "mnist")}
# beside the 18 markup files and the oversized one of the Regression page above
assert len(WEIGHTS_CASES) >= 40 and all(len(cases) >= 10 for cases in WEIGHTS_BY_PAGE.values())


@pytest.fixture(scope="module")
def marker(tmp_path_factory) -> str:
    """The file a pickle's code would write (os.system, eval, open, subprocess): it must never appear."""
    return str(tmp_path_factory.mktemp("never-written") / "pwned")


def check_weights_case(at, calls, state: str, case: WeightsCase, marker: str, reruns: int = RERUNS) -> str:
    """Refused on the page as check_refused_import says, for the reason the case expects, quoting its text."""
    data = case.make(at.session_state[state].trainer.model, marker)
    shown = check_refused_import(at, calls, "imp.weights", "load_state_dict_bytes", f"{case.name}.pt", data, state,
                                 reruns)
    err = calls.refused.get("load_state_dict_bytes")
    assert err is not None, shown
    reason = err.fields.get("reason")
    assert (err.code if reason is None else reason.key) in case.why, (case.name, str(err))
    if case.quotes is not None:
        assert quoted(case.quotes, shown), (case.name, shown)
    assert not os.path.exists(marker), f"{case.name}: code from the file ran"
    return shown


@pytest.mark.parametrize("case", WEIGHTS_BY_PAGE["2d"], ids=[c.name for c in WEIGHTS_BY_PAGE["2d"]])
def test_hostile_weights_on_the_2d_page(page_2d, calls, marker, case):
    if "p2d.upload" not in page_2d.at.session_state:  # a refused CSV is up: the page draws no run, no import panel
        page_2d.upload_good()
    check_weights_case(page_2d.at, calls, "p2d.run", case, marker)


@pytest.mark.parametrize("case", WEIGHTS_BY_PAGE["regression"], ids=[c.name for c in WEIGHTS_BY_PAGE["regression"]])
def test_hostile_weights_on_the_regression_page(reg_import, calls, marker, case):
    check_weights_case(reg_import, calls, "reg.run", case, marker)


# ---- the report's own files, where the shared folder is at hand ----

REPRO = next((d / "reports" / "hostile-repro" for d in _shared_candidates()
              if (d / "reports" / "hostile-repro").is_dir()), None)


@pytest.mark.parametrize("name", ["D1_2d_out_of_range_crash.csv", "D1_regression_out_of_range_crash.csv",
                                  "D1_regression_20001_rows_crash.csv", "D1_weights_over_model_limit_crash.pt",
                                  "D3_runfile_markdown_image_in_refusal.json",
                                  "D3_runfile_markdown_link_in_refusal.json",
                                  "D3_weights_markdown_image_in_refusal.pt"])
def test_the_reports_files(page_2d, page_reg, reg_import, calls, name):
    path = None if REPRO is None else Path(REPRO) / name
    if path is None or not path.is_file():
        pytest.skip(f"{name}: the report's folder (shared/reports/hostile-repro) is not beside this clone")
    data = path.read_bytes()
    if name.endswith(".csv"):
        check_refused_csv(page_2d if "_2d_" in name else page_reg, calls, name[:-4], data)
    elif name.endswith(".json"):
        check_refused_import(reg_import, calls, "imp.json", "parse_run_json", name, data)
    else:
        check_refused_import(reg_import, calls, "imp.weights", "load_state_dict_bytes", name, data)
