"""Runs labelled in the user's language: Compare labels from what differs, one common
yardstick for every run, "—" where a metric does not apply; history records trained runs only and
its titles follow the language. AppTest drives the real pages; the assertions read what is shown."""
from __future__ import annotations

import re
from pathlib import Path

import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from core.runs.compare import CompareConfig
from core.i18n import translate
from core.app.labels import label_text, run_labels, yardstick

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE_COMPARE = "pages/3_compare.py"
# per-run loss, optimizer and learning rate; no label noise
LINK = {"kind": "2d", "runs": "2", "dataset": "moons", "noise_kind": "none",
        "r1.loss": "brier", "r1.optimizer": "sgd", "r1.lr": "0.1",
        "r2.loss": "gce", "r2.loss.q": "0.7", "r2.optimizer": "adam", "r2.lr": "0.01"}


def open_compare(query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    at.run()
    at = at.switch_page(PAGE_COMPARE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def headings(at: AppTest) -> list[str]:
    """The run headings ("■ Run 1 · ...", the swatch in the run's colour) above the boundaries."""
    out = []
    for el in at.get("html"):
        m = re.search(r">■</span> (.*?)</div>", el.proto.body)
        if m:
            out.append(m[1])
    return out


def numbers(at: AppTest) -> list[str]:
    marker = translate("lbl.numbers", "en", loss="", own="", ce="", acc="", mem="").split("(")[0]
    return [m.value for m in at.markdown if m.value.startswith(marker)]


def test_labels_name_what_differs_in_words_not_keys():
    spec, warnings = CompareConfig.from_query({**LINK, "runs": "3", "r3.lr": "0.3"})
    assert not warnings
    labels = run_labels(spec)
    assert [label_text(p, "en") for p in labels] == ["Run 1 · Brier · SGD 0.1", "Run 2 · GCE q=0.7 · Adam 0.01",
                                                     "Run 3 · CE · Adam 0.3"]
    assert [label_text(p, "zh") for p in labels] == ["实验 1 · Brier 分数 · SGD 0.1", "实验 2 · 广义交叉熵 q=0.7 · Adam 0.01",
                                                     "实验 3 · 交叉熵 · Adam 0.3"]
    # only the learning rate differs: the label says just that
    spec, _ = CompareConfig.from_query({"kind": "2d", "runs": "2", "r2.lr": "0.3"})
    assert [label_text(p, "en") for p in run_labels(spec)] == ["Run 1 · lr 0.01", "Run 2 · lr 0.3"]


def test_compare_labels_in_english_then_chinese():
    at = open_compare(LINK)
    assert headings(at) == ["Run 1 · Brier · SGD 0.1", "Run 2 · GCE q=0.7 · Adam 0.01"]
    at.radio(key="_lang_widget").set_value("zh").run()
    assert not at.exception
    assert headings(at) == ["实验 1 · Brier 分数 · SGD 0.1", "实验 2 · 广义交叉熵 q=0.7 · Adam 0.01"]
    table = at.dataframe[0].value
    assert list(table[translate("cmp.col.run", "zh")]) == ["实验 1 · Brier 分数 · SGD 0.1",
                                                           "实验 2 · 广义交叉熵 q=0.7 · Adam 0.01"]
    assert not any("loss=" in h or "lr=" in h for h in headings(at))


def test_yardstick_equals_cross_entropy_of_the_model_and_dash_without_noise():
    at = open_compare(LINK)
    for _ in range(2):
        at.button(key="cmp.step_button").click().run()
        assert not at.exception
    runs = at.session_state["cmp.run"]["runs"]
    assert all(r.trainer.steps > 0 for r in runs)
    shown, table = numbers(at), at.dataframe[0].value
    assert len(shown) == 2
    for i, run in enumerate(runs):
        t_ = run.trainer
        with torch.no_grad():
            z = t_.model.eval()(t_.data.X_test)
        y = t_.data.y_test
        # independent: a binary model's logit through the two-class sigmoid cross-entropy
        ce = (F.binary_cross_entropy_with_logits(z, y.float()) if z.ndim == 1 else F.cross_entropy(z, y)).item()
        acc = (((z > 0).long() if z.ndim == 1 else z.argmax(1)) == y).float().mean().item()
        assert f"test cross-entropy {ce:.3f}" in shown[i], shown[i]
        assert f"test accuracy {acc:.1%}" in shown[i], shown[i]
        assert shown[i].endswith("memorised flips —"), shown[i]  # no label noise: does not apply
        assert "nan" not in shown[i]
        assert table[translate("lbl.col.test_ce", "en")][i] == f"{ce:.4f}"
        assert table[translate("metric.train_acc_flipped", "en")][i] == "—"
    # each run's own loss differs (Brier vs GCE); the yardstick is the same measure for both
    assert "own loss (Brier)" in shown[0] and "own loss (GCE)" in shown[1]


def test_yardstick_binary_logit_is_two_class_cross_entropy():
    z, y = torch.tensor([2.0, -1.0, 0.5]), torch.tensor([1, 0, 0])
    two = torch.stack([torch.zeros(3), z], 1)
    ys = yardstick(z, y)
    assert abs(ys["ce"] - F.cross_entropy(two, y).item()) < 1e-6 and abs(ys["acc"] - 2 / 3) < 1e-6


# ---- run history: recorded once trained; titles and table headers follow the language ----------


def test_history_lists_a_run_only_after_it_trained_and_its_title_switches_language():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/1_playground_2d.py").run()
    at.switch_page("pages/4_runs.py").run()
    assert not at.exception
    assert [i.value for i in at.info] == [translate("runs.empty", "en")]  # opened, not trained: not a run yet
    at.switch_page("pages/1_playground_2d.py").run()
    at.button(key="p2d.step_button").click().run()
    at.switch_page("pages/4_runs.py").run()
    assert not at.exception
    title_col = translate("runs.col.title", "en")
    assert list(at.dataframe[0].value[title_col]) == ["2D · Moons · Cross-entropy · lr 0.01"]
    at.radio(key="_lang_widget").set_value("zh").run()
    assert not at.exception
    titles = at.dataframe[0].value[translate("runs.col.title", "zh")]
    assert list(titles) == ["二维 · 双月牙 · 交叉熵 · 学习率 0.01"]
    assert at.selectbox(key="runs.pick@zh").format_func(at.selectbox(key="runs.pick@zh").value) == "#1 二维 · 双月牙 · 交叉熵 · 学习率 0.01"


def test_recorded_metrics_table_headers_follow_the_language():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.radio(key="_lang_widget").set_value("zh").run()
    at.switch_page("pages/1_playground_2d.py").run()
    at.button(key="p2d.step_button").click().run()
    assert not at.exception
    columns = [list(df.value.columns) for df in at.dataframe]
    wanted = [translate(f"metric.{m}", "zh") for m in ("step", "epoch", "train_loss", "test_loss", "train_acc",
                                                        "test_acc", "train_acc_clean", "train_acc_flipped")]
    assert wanted in columns, columns
    assert not any("train_loss" in c for cols in columns for c in cols)


def test_compared_runs_join_the_history_once_trained_with_their_labels():
    at = open_compare(LINK)
    assert len(at.session_state["runs.store"].list()) == 0
    at.button(key="cmp.step_button").click().run()
    titles = sorted(r.title_in("zh") for r in at.session_state["runs.store"].list())
    assert titles == ["对比实验 · 实验 1 · Brier 分数 · SGD 0.1", "对比实验 · 实验 2 · 广义交叉熵 q=0.7 · Adam 0.01"]


def test_store_forgets_runs_replaced_before_training_and_numbers_trained_ones():
    import gc

    from core.runs.config import Playground2DConfig
    from core.app.run_store import RunStore
    from core.app.labels import page_title
    from core.runs.playground import build_run

    store = RunStore()
    config = Playground2DConfig(n_samples=200)
    title = page_title("2d", config.to_query())
    untrained = build_run(config)
    store.track("2d", title, config.to_query(), untrained.trainer)
    assert store.list() == []
    del untrained  # replaced (e.g. a slider rebuilt it) before any step
    gc.collect()
    run = build_run(config)
    store.track("2d", title, config.to_query(), run.trainer)
    run.trainer.step(3)
    run.trainer.evaluate()
    (record,) = store.list()
    assert (record.id, record.history) == (1, run.trainer.history) and record.title_in("en") == "2D · Moons · Cross-entropy · lr 0.01"


def test_a_history_title_names_the_loss_and_lr_the_run_trained_with_not_a_choice_no_step_used_yet():
    from core.runs.config import Playground2DConfig
    from core.app.run_store import RunStore
    from core.app.labels import page_title
    from core.runs.playground import build_run
    from core.runs import update

    store, config = RunStore(), Playground2DConfig(n_samples=200)
    run = build_run(config)

    def track(config):
        store.track("2d", page_title("2d", config.to_query(), run.trainer.history), config.to_query(), run.trainer)

    def title(lang="en"):
        (record,) = store.list()
        return record.title_in(lang)

    def step(n=1):
        run.trainer.step(n)
        run.trainer.evaluate()

    track(config)
    step(5)
    assert title() == "2D · Moons · Cross-entropy · lr 0.01"
    hinge = config.replace(loss="hinge", lr=0.1)
    assert update(run, hinge, build_run)[1] == "live"
    track(hinge)  # the page's next script run: the selectors changed, no step yet
    assert title() == "2D · Moons · Cross-entropy · lr 0.01"
    step()  # read when shown: a step taken after the page's last track counts
    assert title() == "2D · Moons · Cross-entropy → Hinge · lr 0.01 → 0.1"
    assert title("zh") == "二维 · 双月牙 · 交叉熵 → 合页损失 · 学习率 0.01 → 0.1"
    for loss in ("brier", "cross_entropy", "focal"):  # long histories: the first, "…", the last
        update(run, hinge.replace(loss=loss), build_run)
        step()
    assert title() == "2D · Moons · Cross-entropy → … → Focal · lr 0.01 → 0.1"
    update(run, hinge.replace(loss="focal", lr=0.01), build_run)
    update(run, hinge.replace(loss="focal", lr=0.1), build_run)  # back before a step: no change at all
    step()
    assert title().endswith("lr 0.01 → 0.1")
    # without a history (a link's title), the settings as they are
    assert label_text(page_title("2d", hinge.to_query()), "en") == "2D · Moons · Hinge · lr 0.1"


def test_the_history_page_titles_a_run_by_the_loss_it_trained_with():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/1_playground_2d.py").run()
    at.button(key="p2d.step_button").click().run()
    at.selectbox(key="w2d.loss@en").set_value("hinge").run()  # changed, not yet stepped with
    assert not at.exception
    title_col = translate("runs.col.title", "en")
    at.switch_page("pages/4_runs.py").run()
    assert list(at.dataframe[0].value[title_col]) == ["2D · Moons · Cross-entropy · lr 0.01"]
    at.switch_page("pages/1_playground_2d.py").run()
    at.button(key="p2d.step_button").click().run()
    assert not at.exception
    at.switch_page("pages/4_runs.py").run()
    assert list(at.dataframe[0].value[title_col]) == ["2D · Moons · Cross-entropy → Hinge · lr 0.01"]


def test_labels_name_a_missing_bias_and_a_narrow_last_layer():
    spec, warnings = CompareConfig.from_query({"kind": "2d", "runs": "2", "model": "logistic", "r2.bias": "0"})
    assert warnings == []
    assert [label_text(p, "en") for p in run_labels(spec)] == ["Run 1 · with bias", "Run 2 · no bias"]
    assert label_text(run_labels(spec)[1], "zh").endswith("无偏置")
    spec, _ = CompareConfig.from_query({"kind": "2d", "runs": "2", "model": "mlp", "depth": "2", "width": "8",
                                      "r2.last_width": "2"})
    assert [label_text(p, "en") for p in run_labels(spec)] == ["Run 1 · 2 layers × 8", "Run 2 · 2 layers × 8, the last 2"]


def test_a_loss_is_shown_with_four_decimals_or_in_3e19_form():
    from core.i18n import fmt_loss
    assert fmt_loss(0.12345) == "0.1235" and fmt_loss(2.0) == "2.0000" and fmt_loss(0.0) == "0.0000"
    assert fmt_loss(3.1038353434023559168e19) == "3.1e19"  # a diverging run: not 20 digits
    assert fmt_loss(123456.0) == "1.23e5" and fmt_loss(1e-5) == "1e-5" and fmt_loss(4.2e-7) == "4.2e-7"
    assert fmt_loss(0.00012) == "0.0001"  # 4 decimals while they show a digit
    assert fmt_loss(None) == fmt_loss(float("nan")) == fmt_loss(float("inf")) == "—"


def test_history_at_a_step_is_its_last_point_at_or_before_it():
    from core.learning.trainer import History
    h = History()
    for step, loss in [(0, 1.0), (10, 0.5), (20, 9e9)]:
        h.step.append(step)
        h.epoch.append(step / 10)
        for m in h.values:
            h.values[m].append(loss)
    assert h.at("train_loss", 10) == 0.5 and h.at("train_loss", 15) == 0.5 and h.at("train_loss", 25) == 9e9
    assert h.at("train_loss", -1) is None


def test_history_table_shows_numbers_as_the_pages_do_and_a_dash_for_no_accuracy():
    """Accuracy in % (not "1"), losses with 4 decimals, "—" for a regression run's accuracy (not "None")."""
    from core.i18n import fmt_loss
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/1_playground_2d.py").run()
    at.button(key="p2d.step_button").click().run()
    h2d = at.session_state["p2d.run"].trainer.history
    at.switch_page("pages/6_regression.py").run()
    at.button(key="reg.step_button").click().run()
    at.switch_page("pages/4_runs.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    acc, loss = list(table[translate("metric.test_acc", "en")]), list(table[translate("metric.test_loss", "en")])
    assert acc[0] == "—" and acc[1] == f"{h2d.last('test_acc'):.1%}"  # newest first: the regression run
    assert loss[1] == fmt_loss(h2d.last("test_loss")) and "None" not in acc + loss
