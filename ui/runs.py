"""The session's run history (every page registers its runs) and export / import widgets."""
from __future__ import annotations

import copy

import streamlit as st

from core.export import (ImportRefused, curves_csv, load_state_dict_bytes, parse_run_json, png_bytes,
                         run_json, state_dict_bytes)
from core.history import RunStore
from ui.common import error_text, tr


def store() -> RunStore:
    return st.session_state.setdefault("runs.store", RunStore(limit=30))


def track(page: str, title: str, params: dict, trainer) -> None:
    """Register a run the first time it is seen; afterwards keep its settings current."""
    record = store().find_live(trainer.history)
    if record is None:
        store().add(page, title, dict(params), trainer.history, trainer.model)
    else:
        record.params, record.title = dict(params), title


def restore_if_reopened(page: str, trainer) -> bool:
    """After a reopen from the history page: copy the record's weights and curves into the new run."""
    pending = st.session_state.get("runs.reopen")
    if not pending or pending[0] != page:
        return False
    st.session_state.pop("runs.reopen")
    record = store().get(pending[1])
    if record is None or record.model is None:
        return False
    trainer.model.load_state_dict(record.model.state_dict())
    trainer.history = copy.deepcopy(record.history)
    trainer.steps = record.history.step[-1] if record.history.step else 0
    trainer.last_logits = None
    return True


def export_panel(page: str, params: dict, trainer, title: str, image=None, key: str = "") -> None:
    """Download curves (CSV), the run (JSON), the picture (PNG), the weights (state_dict)."""
    cols = st.columns(4)
    cols[0].download_button(tr("exp.csv"), curves_csv(trainer.history), file_name=f"{page}-curves.csv",
                            mime="text/csv", key=f"{key}exp.csv", width="stretch")
    cols[1].download_button(tr("exp.json"), run_json(page, params, trainer.history, title),
                            file_name=f"{page}-run.json", mime="application/json", key=f"{key}exp.json",
                            width="stretch")
    if image is not None:
        cols[2].download_button(tr("exp.png"), png_bytes(image), file_name=f"{page}-boundary.png",
                                mime="image/png", key=f"{key}exp.png", width="stretch")
    cols[3].download_button(tr("exp.weights"), state_dict_bytes(trainer.model), file_name=f"{page}-weights.pt",
                            mime="application/octet-stream", key=f"{key}exp.weights", width="stretch",
                            help=tr("exp.weights_help"))


def import_panel(page: str, trainer=None, key: str = "") -> None:
    """Upload a run JSON (restores the settings) or weights (into the current model)."""
    from ui.apply import apply_params, open_page
    left, right = st.columns(2)
    run_file = left.file_uploader(tr("imp.json"), type=["json"], key=f"{key}imp.json", help=tr("imp.json_help"))
    if run_file is not None and st.session_state.get(f"{key}imp.done") != run_file.file_id:
        try:
            target, params = parse_run_json(run_file.getvalue())
        except ImportRefused as err:
            left.error(tr("imp.refused", reason=error_text(err)))
        else:
            st.session_state[f"{key}imp.done"] = run_file.file_id
            if target != page:
                open_page(target, params)
            apply_params(page, params)
            st.rerun()
    if trainer is not None:
        weights = right.file_uploader(tr("imp.weights"), type=["pt", "pth"], key=f"{key}imp.weights",
                                      help=tr("imp.weights_help"))
        if weights is not None and st.session_state.get(f"{key}imp.wdone") != weights.file_id:
            try:
                load_state_dict_bytes(weights.getvalue(), trainer.model)
            except ImportRefused as err:
                right.error(tr("imp.refused", reason=error_text(err)))
            else:
                st.session_state[f"{key}imp.wdone"] = weights.file_id
                trainer.last_logits = None
                trainer.evaluate()
                right.success(tr("imp.weights_loaded"))
