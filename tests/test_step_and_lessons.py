"""Step is one optimizer step (×10 is ten), counters agree after a divergence restore,
the "learning rate too high" lesson shows its climb, and a lesson's page shows its banner."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from core.runs.config import Playground2DConfig
from core.runs.playground import build_run
from core.runs import advance
from tests.support import open_page_via_home

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE_2D, PAGE_COMPARE = "pages/1_playground_2d.py", "pages/3_compare.py"
STATUS_2D = re.compile(r'id="epoch-counter" data-step="(\d+)"[^>]*>Step (\d+) · epoch ([\d.]+)')
STATUS_CMP = re.compile(r'id="compare-counter" data-step="(\d+)">Lockstep: step (\d+) · epoch ([\d.]+)')


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_page(page: str, query: dict | None = None) -> AppTest:
    return open_page_via_home(APP, page, query, timeout=90)


def shown_counter(at: AppTest, pattern: re.Pattern) -> tuple[int, float]:
    """(step, epoch) as the page's status line shows them (2D: the live canvas's status; Compare: markdown)."""
    texts = [e.proto.body for e in at.get("html")] + [m.value for m in at.markdown]
    texts += [json.loads(e.proto.json).get("before", "") for e in at.get("bidi_component")]  # 2D: the live canvas
    for text in texts:
        m = pattern.search(text)
        if m:
            assert m.group(1) == m.group(2)  # the marker and the visible text agree
            return int(m.group(2)), float(m.group(3))
    raise AssertionError("no step counter on the page")


def click(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert_ok(at)


# ---- 1. Step is exactly one optimizer step ----------------------------------------------------------


def test_2d_step_is_one_step_and_ten_is_ten():
    at = open_page(PAGE_2D)
    assert shown_counter(at, STATUS_2D)[0] == 0
    click(at, "p2d.step_button")
    assert shown_counter(at, STATUS_2D)[0] == 1
    click(at, "p2d.step_button")
    assert shown_counter(at, STATUS_2D)[0] == 2
    click(at, "p2d.step10_button")
    assert shown_counter(at, STATUS_2D)[0] == 12
    assert at.session_state["p2d.run"].trainer.steps == 12
    history = at.session_state["p2d.run"].trainer.history
    assert history.step == [0, 1, 2, 12]  # one evaluated point per click


def test_compare_step_is_one_step_for_every_run_and_ten_is_ten():
    at = open_page(PAGE_COMPARE)
    runs = at.session_state["cmp.run"]["runs"]
    click(at, "cmp.step_button")
    assert shown_counter(at, STATUS_CMP)[0] == 1
    click(at, "cmp.step10_button")
    assert shown_counter(at, STATUS_CMP)[0] == 11
    assert [r.trainer.steps for r in at.session_state["cmp.run"]["runs"]] == [11] * len(runs)


def test_step_buttons_are_labelled_in_chinese_too():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page(PAGE_2D).run()
    assert_ok(at)
    assert at.button(key="p2d.step_button").label == "单步"
    assert at.button(key="p2d.step10_button").label == "×10"
    # Icons are Material Symbols, drawn with no emoji font; the keyboard hint is said in the tooltip
    assert at.button(key="p2d.step_button").proto.icon == ":material/skip_next:"
    assert at.button(key="p2d.step_button").help == "恰好一步优化（一个小批量），便于观察单次更新。 键盘：→ 键"


# ---- counters after a divergence restore ------------------------------------------------------------


def diverging_config() -> Playground2DConfig:
    from core.lessons.presets import preset
    config, warnings = Playground2DConfig.from_query(preset("lr_too_high").params)
    assert warnings == []
    return config


def expected_epoch(trainer) -> float:
    """Steps × batch over the training set, as long as the run is within its first epoch."""
    return trainer.steps * trainer.batch_size / trainer.data.n_train


def test_trainer_restore_brings_back_the_batch_cursor_and_epoch():
    run = build_run(diverging_config())
    t = run.trainer
    for _ in range(20):
        t.step(1)
        if t.diverged is not None:
            break
        t.evaluate()
    assert t.diverged is not None
    assert t.steps == t.diverged.restored_step
    assert t.steps * t.batch_size < t.data.n_train  # still the first epoch: epoch = steps × batch / n
    assert t.epoch == pytest.approx(expected_epoch(t))


def test_restored_run_replays_the_same_batches():
    """The snapshot owns the batch order: after a restore, the next steps see the batches they saw."""
    run = build_run(Playground2DConfig(n_samples=200))
    t = run.trainer
    snap = t.checkpoint()
    first = [t.batcher.next_indices().copy() for _ in range(12)]  # crosses an epoch boundary (160 train points)
    t.rollback(snap)
    t.resume_after_divergence()
    assert [t.batcher.next_indices().tolist() for _ in range(12)] == [b.tolist() for b in first]


def test_2d_page_counters_agree_after_a_divergence_restore():
    from core.lessons.presets import preset
    at = open_page(PAGE_2D, preset("lr_too_high").params)
    run = at.session_state["p2d.run"]
    for _ in range(30):
        click(at, "p2d.step_button")
        if run.trainer.diverged is not None:
            break
    assert run.trainer.diverged is not None
    step, epoch = shown_counter(at, STATUS_2D)
    assert step == run.trainer.diverged.restored_step
    assert epoch == pytest.approx(expected_epoch(run.trainer), abs=0.05)  # shown with one decimal
    assert f"restored to step {step}" in " ".join(e.value for e in at.error)
    assert all(torch.isfinite(p).all() for p in run.trainer.model.parameters())
    # the losses beside that step are the restored model's, not the climb's (the curve keeps the climb)
    from core.i18n import fmt_loss
    h = run.trainer.history
    assert max(h.values["train_loss"]) > 1e3 * h.at("train_loss", step)  # the climb is on the curve
    texts = [json.loads(e.proto.json).get("before", "") for e in at.get("bidi_component")]
    status = next(x for x in texts if 'id="epoch-counter"' in x)
    assert f"train loss {fmt_loss(h.at('train_loss', step))} · test loss {fmt_loss(h.at('test_loss', step))}" \
        in status, status


# ---- 2. the "learning rate too high" lesson shows the climb before the pause -----------------------


def test_lr_too_high_lesson_records_a_rising_loss_before_the_pause():
    """At the lesson's own settings and live speed, the curves show the loss climbing over several
    points, training pauses, and the weights go back to a step before the blow-up."""
    from core.runs.playground import steps_per_frame
    config = diverging_config()
    run = build_run(config)
    t = run.trainer
    for _ in range(50):
        advance(run, steps_per_frame(config, 25))
        if t.diverged is not None:
            break
    assert t.diverged is not None and t.diverged.lr == config.lr
    losses = t.history.values["train_loss"]
    climb = [v for s, v in zip(t.history.step, losses) if s >= t.diverged.restored_step]
    assert len(climb) >= 4, climb
    assert all(b > a for a, b in zip(climb, climb[1:])), climb  # rising, point after point
    assert climb[-1] > 1000 * climb[0]
    assert all(torch.isfinite(p).all() for p in t.model.parameters())
    # the restored weights are from before the blow-up: a lower learning rate trains from there
    assert t.steps == t.diverged.restored_step < t.diverged.step - 2
    assert t.epoch == pytest.approx(expected_epoch(t))
    t.set_lr(0.1)
    t.resume_after_divergence()
    assert max(t.history.step) == t.steps  # the climb left the curves; the run goes on from here
    for _ in range(30):
        advance(run, 10)
    assert t.diverged is None and t.history.last("test_acc") > 0.8


def test_2d_page_shows_the_climb_and_says_which_step_it_restored():
    from core.i18n import translate
    from core.lessons.presets import preset
    at = open_page(PAGE_2D, preset("lr_too_high").params)
    run = at.session_state["p2d.run"]
    for _ in range(3):
        click(at, "p2d.step10_button")
        if run.trainer.diverged is not None:
            break
    d = run.trainer.diverged
    assert d is not None and d.restored_step == 0
    assert translate("ctl.diverged", "en", step=d.step, lr="3", restored=0) in [e.value for e in at.error]
    table = at.dataframe[0].value  # the paused page's history table: the climb is on the curves
    train_loss = table.iloc[:, 2]  # columns: step, epoch, training loss, ...
    assert len(table) >= 5 and train_loss.is_monotonic_increasing and train_loss.iloc[-1] > 1000 * train_loss.iloc[0]


# ---- 3. the lesson banner on the page a lesson opens --------------------------------------------------


def open_lesson(key: str, lang: str = "en") -> AppTest:
    """As a class does it: the landing page, then the lesson's button."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    assert_ok(at)
    click(at, f"preset.{key}")
    return at


def banner_texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def banner_shown(at: AppTest, key: str, lang: str = "en") -> bool:
    from core.i18n import translate
    texts = banner_texts(at)
    title = f":material/school: **{translate('lesson.badge', lang)}: {translate(f'preset.{key}.title', lang)}**"
    watch = translate("lesson.watch", lang, what=f"**{translate(f'preset.{key}.watch', lang)}**")
    return title in texts and translate(f"preset.{key}.text", lang) in texts and watch in texts


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", ["lr_too_high", "mse_vs_ce"])
def test_a_lesson_page_shows_its_banner(key, lang):
    from core.i18n import translate
    at = open_lesson(key, lang)
    assert banner_shown(at, key, lang)
    page = "2d" if key == "lr_too_high" else "compare"
    assert at.button(key=f"lesson.{page}.reset").label == translate("lesson.reset", lang)
    assert at.button(key=f"lesson.{page}.back").label == translate("lesson.back", lang)
    click(at, "p2d.step_button" if page == "2d" else "cmp.step_button")
    assert banner_shown(at, key, lang)  # it stays while the class works on the page


def scroll_top_opening(at: AppTest) -> str | None:
    """The opening the lesson's go-to-the-top element carries in this run (ui/lesson._to_page_top), or None."""
    import json
    for element in at.sidebar.get("bidi_component"):
        if element.proto.component_name == "playground.scroll_top":
            return json.loads(element.proto.json)["opening"]
    return None


def test_a_lesson_goes_to_the_page_top_whichever_of_its_runs_the_browser_draws():
    """Opened from a card low on the landing page, the lesson's page starts at its top. The element that scrolls
    there goes with every run of the banner, not the first alone: a rerun right after the first could replace it
    before the browser ran it, and the lesson would open scrolled down, its picture out of view. The browser acts
    on an opening once (the JS in ui/lesson.py), so a later run does not scroll a reader back up."""
    at = open_lesson("lr_too_high")
    first = scroll_top_opening(at)
    assert first
    assert at.get("bidi_component")[0].proto.component_name != "playground.scroll_top"  # the live canvas first
    click(at, "p2d.step_button")
    assert scroll_top_opening(at) == first  # the same opening: not acted on again
    click(at, "lesson.2d.back")
    click(at, "preset.lr_too_high")
    assert scroll_top_opening(at) not in (None, first)  # opened again: to the top again


def test_no_banner_without_a_lesson():
    at = open_page(PAGE_2D)
    assert not any(text.startswith(":material/school:") for text in banner_texts(at))


def test_lessons_open_at_a_speed_a_person_can_watch():
    at = open_lesson("lr_too_high")
    assert at.session_state["p2d.config"].speed == "slow"
    assert at.select_slider(key="w2d.speed@en").value == "slow"
    at = open_lesson("mse_vs_ce")
    assert at.session_state["cmp.config"].configs()[0].speed == "slow"
    assert at.select_slider(key="cmp.2d.speed@en").value == "slow"


def test_every_lesson_opens_at_slow_speed_unless_it_names_its_own():
    from core.runs.compare import CompareConfig
    from core.lessons.presets import PRESETS, lesson_params
    for p in PRESETS:
        params = lesson_params(p)
        if p.page == "2d":
            config, warnings = Playground2DConfig.from_query(params)
            speeds = [config.speed]
        elif p.page == "regression":  # (its lessons name their speed: the fit moves at "normal")
            from core.runs.regression_config import RegressionConfig
            config, warnings = RegressionConfig.from_query(params)
            speeds = [config.speed]
        else:
            spec, warnings = CompareConfig.from_query(params)
            speeds = [c.speed for c in spec.configs()]  # 2D and MNIST runs alike
        assert warnings == [], (p.key, warnings)
        assert all(s == p.params.get("speed", "slow") for s in speeds), (p.key, speeds)


def test_reset_to_the_lesson_restores_its_settings_and_starts_again():
    from core.lessons.presets import preset
    at = open_lesson("lr_too_high")
    wanted = at.session_state["p2d.config"]
    assert wanted == Playground2DConfig.from_query({**preset("lr_too_high").params, "speed": "slow"})[0]
    at.select_slider(key="w2d.lr").set_value(0.1).run()
    at.selectbox(key="w2d.loss@en").set_value("cross_entropy").run()
    click(at, "p2d.step10_button")
    assert at.session_state["p2d.config"] != wanted
    click(at, "lesson.2d.reset")
    assert at.session_state["p2d.config"] == wanted
    assert at.select_slider(key="w2d.lr").value == 3.0 and at.selectbox(key="w2d.loss@en").value == "squared_hinge"
    assert shown_counter(at, STATUS_2D)[0] == 0  # a fresh run from the lesson's first step
    assert banner_shown(at, "lr_too_high")


def test_reset_to_a_compare_lesson_restores_its_runs():
    at = open_lesson("mse_vs_ce")
    wanted = at.session_state["cmp.config"]
    click(at, "cmp.step10_button")
    at.select_slider(key="cmp.r1.lr").set_value(0.01).run()
    assert_ok(at)
    assert at.session_state["cmp.config"] != wanted
    click(at, "lesson.compare.reset")
    assert at.session_state["cmp.config"] == wanted
    assert shown_counter(at, STATUS_CMP)[0] == 0
    assert banner_shown(at, "mse_vs_ce")


def test_back_to_lessons_returns_to_the_landing_page():
    from core.i18n import translate
    at = open_lesson("relu_pieces")
    click(at, "lesson.2d.back")
    assert [x.value for x in at.title] == [translate("app.title", "en")]
    assert "lesson" not in at.session_state
    at.switch_page(PAGE_2D).run()
    assert not banner_shown(at, "relu_pieces")


def test_the_banner_goes_when_hidden_or_when_the_user_leaves():
    at = open_lesson("relu_pieces")
    click(at, "lesson.2d.hide")
    assert not banner_shown(at, "relu_pieces")
    click(at, "p2d.step_button")
    assert not banner_shown(at, "relu_pieces")

    at = open_lesson("relu_pieces")
    at.switch_page("pages/4_runs.py").run()
    assert_ok(at)
    at.switch_page(PAGE_2D).run()
    assert_ok(at)
    assert not banner_shown(at, "relu_pieces")


def test_compare_says_which_step_each_diverged_run_restored_and_pauses_when_all_diverged():
    from core.i18n import translate
    at = open_page(PAGE_COMPARE, {"kind": "2d", "runs": "2", "dataset": "moons", "model": "mlp", "depth": "2",
                                  "width": "16", "loss": "squared_hinge", "optimizer": "sgd", "seed": "0",
                                  "r1.lr": "3.0", "r2.lr": "10.0"})
    runs = at.session_state["cmp.run"]["runs"]
    for _ in range(3):
        click(at, "cmp.step10_button")
    assert all(r.trainer.diverged is not None for r in runs)
    errors = [e.value for e in at.error]
    for i, r in enumerate(runs):
        d = r.trainer.diverged
        assert d.restored_step == r.trainer.steps == 0
        assert any(f"diverged at step {d.step} (learning rate {d.lr:g}); its weights were restored to step 0" in e
                   for e in errors), errors
    click(at, "cmp.play_button")  # nothing can train: the page pauses at once instead of spinning
    assert at.session_state["cmp.playing"] is False
    assert at.button(key="cmp.play_button").label == translate("ctl.play", "en")


def test_every_lesson_has_its_banner_texts_in_both_languages():
    from core.i18n import LANGUAGES, STRINGS
    from core.lessons.presets import PRESETS
    for p in PRESETS:
        for part in ("title", "text", "watch"):
            entry = STRINGS[f"preset.{p.key}.{part}"]
            assert all(entry.get(lang, "").strip() for lang in LANGUAGES), (p.key, part)


def test_the_mse_vs_ce_lesson_opens_on_one_yardstick_that_starts_level():
    """The curve the lesson's "watch for" names is test cross-entropy for both runs (the Brier run's own loss
    started at 0.25 under CE's 0.69, the opposite of the lesson): same weights at step 0, the same value;
    and each point is the run's test cross-entropy, as the table below computes it."""
    from core.i18n import STRINGS
    from core.app.labels import yardstick
    at = open_lesson("mse_vs_ce")
    assert at.radio(key="cmp.metric@en").value == "test_ce"
    heading = [e.proto.body for e in at.get("html") if 'id="compare-curves"' in e.proto.body]
    assert heading and STRINGS["cmp.curve.test_ce"]["en"] in heading[0]
    for _ in range(3):
        click(at, "cmp.step10_button")
    record = at.session_state["cmp.curves"]
    runs = at.session_state["cmp.run"]["runs"]
    steps, values = record[0]["step"], [record[i]["yardstick"] for i in range(len(runs))]
    assert steps == record[1]["step"] and steps[0] == 0 and steps[-1] == runs[0].trainer.steps == 30
    assert values[0][0] == pytest.approx(values[1][0], rel=1e-6)  # one yardstick: level at the start
    for run, series in zip(runs, values):
        logits = run.trainer.current_logits()[1]
        assert series[-1] == pytest.approx(yardstick(logits, run.trainer.data.y_test)["ce"], rel=1e-6)


def test_the_hidden_space_lesson_opens_with_the_hidden_space_live_beside_the_boundary():
    """Its bending lasts ~100 steps: the view must be on from the start, even after an earlier 2D visit."""
    from ui.inside_views import SIDE_KEY
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(PAGE_2D).run()  # an earlier visit: the page's side view (none) is read once per session
    assert at.session_state[SIDE_KEY] == "none"
    at.switch_page("pages/home.py").run()
    click(at, "preset.hidden_space")
    assert at.session_state[SIDE_KEY] == "hidden"
    assert at.query_params["side"] == "hidden"


def test_a_lesson_link_to_another_page_opens_the_lesson_on_its_own_page():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.query_params["lesson"] = "relu_pieces"  # a 2D lesson, linked on the Compare page
    at.switch_page("pages/3_compare.py").run()
    assert_ok(at)
    assert at.session_state["lesson"]["key"] == "relu_pieces" and at.session_state["lesson"]["page"] == "2d"
    assert banner_shown(at, "relu_pieces")
    assert at.session_state["p2d.run"].config.width == 6  # the lesson's own settings


def test_while_playing_the_banner_folds_its_text_and_keeps_what_to_watch(monkeypatch):
    """At 1280×720 the picture needs the room: the lesson's text folds away while it plays (title, buttons
    and "watch for" stay) and comes back on Pause."""
    from core.i18n import translate
    from ui.common import RunTurn
    at = open_lesson("logistic_line")
    text = translate("preset.logistic_line.text", "en")
    assert text in banner_texts(at)
    frames = {}

    def superseded(turn) -> bool:  # two frames of play, then the loop ends as a newer script run would end it
        frames[id(turn)] = frames.get(id(turn), 0) + 1
        return frames[id(turn)] > 4
    monkeypatch.setattr(RunTurn, "superseded", superseded)
    at.button(key="p2d.play_button").click().run()
    assert_ok(at)
    assert at.session_state["p2d.playing"]
    texts = banner_texts(at)
    assert text not in texts
    assert translate("lesson.watch", "en", what=f"**{translate('preset.logistic_line.watch', 'en')}**") in texts
    at.button(key="p2d.play_button").click().run()  # Pause
    assert_ok(at)
    assert banner_shown(at, "logistic_line")
