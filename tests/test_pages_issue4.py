"""Presets, run history (reopen / delete) and export / import through the real pages (AppTest)."""
from __future__ import annotations

import json
from pathlib import Path

import torch
from streamlit.testing.v1 import AppTest

from core.app.export import parse_run_json, run_json, state_dict_bytes
from core.app.run_store import RunStore

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def home() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception
    return at


def test_preset_button_opens_its_page_with_its_settings():
    at = home()
    at.button(key="preset.lr_too_high").click().run()
    assert not at.exception
    from core.runs.config import Playground2DConfig
    from core.lessons.presets import lesson_params, preset
    assert at.session_state["p2d.config"] == Playground2DConfig.from_query(lesson_params(preset("lr_too_high")))[0]
    run = at.session_state["p2d.run"]
    for _ in range(30):  # the lesson: this learning rate diverges and training pauses with a message
        at.button(key="p2d.step_button").click().run()
        if run.trainer.diverged is not None:
            break
    assert run.trainer.diverged is not None and not at.exception
    assert any("diverged" in e.value for e in at.error)


def test_compare_preset_sets_per_run_losses():
    at = home()
    at.button(key="preset.noise_ce_vs_gce").click().run()
    assert not at.exception
    runs = at.session_state["cmp.run"]["runs"]
    assert [r.trainer.loss_key for r in runs] == ["cross_entropy", "gce"]
    assert all(r.trainer.data.flipped.float().mean().item() == runs[0].trainer.data.flipped.float().mean().item()
               for r in runs)


def test_runs_are_recorded_and_reopen_restores_weights_and_curves():
    at = home()
    at.switch_page("pages/1_playground_2d.py").run()
    for _ in range(3):
        at.button(key="p2d.step_button").click().run()
    run = at.session_state["p2d.run"]
    trained = {k: v.clone() for k, v in run.trainer.model.state_dict().items()}
    steps = run.trainer.steps
    assert steps > 0
    store: RunStore = at.session_state["runs.store"]
    (record,) = store.list("2d")
    assert record.history is run.trainer.history and record.params["loss"] == "cross_entropy"

    # a new run (other width) is recorded once it has trained; the first one stays
    at.slider(key="w2d.width").set_value(8).run()
    assert len(store.list("2d")) == 1
    at.button(key="p2d.step_button").click().run()
    assert len(store.list("2d")) == 2

    at.switch_page("pages/4_runs.py").run()
    assert not at.exception and len(at.dataframe) >= 1
    at.selectbox(key="runs.pick@en").set_value(record.id).run()
    at.button(key="runs.reopen_button").click().run()
    assert not at.exception
    reopened = at.session_state["p2d.run"]
    assert reopened is not run and reopened.trainer.steps == steps
    assert reopened.trainer.history.step == record.history.step
    for k, v in reopened.trainer.model.state_dict().items():
        assert torch.equal(v, trained[k])
    assert at.session_state["p2d.config"].width == 16

    at.switch_page("pages/4_runs.py").run()
    before = len(store)
    at.selectbox(key="runs.pick@en").set_value(record.id).run()
    at.button(key="runs.delete_button").click().run()
    assert len(store) == before - 1 and store.get(record.id) is None


def test_export_json_round_trips_the_2d_config():
    at = home()
    at.switch_page("pages/1_playground_2d.py").run()
    at.selectbox(key="w2d.loss@en").set_value("focal").run()
    at.button(key="p2d.step_button").click().run()
    run = at.session_state["p2d.run"]
    config = at.session_state["p2d.config"]
    page, params = parse_run_json(run_json("2d", config.to_query(), run.trainer.history).encode())
    assert page == "2d" and params == config.to_query()
    doc = json.loads(run_json("2d", config.to_query(), run.trainer.history))
    assert doc["final"]["test_acc"] == run.trainer.history.last("test_acc")


def test_weights_export_loads_with_weights_only_into_a_fresh_model():
    at = home()
    at.switch_page("pages/1_playground_2d.py").run()
    at.button(key="p2d.step_button").click().run()
    model = at.session_state["p2d.run"].trainer.model
    import io
    state = torch.load(io.BytesIO(state_dict_bytes(model)), weights_only=True)
    assert set(state) == set(model.state_dict())
    assert all(torch.equal(state[k], v) for k, v in model.state_dict().items())
