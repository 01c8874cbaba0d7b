"""The session's run history (every page registers its runs) and export / import widgets."""
from __future__ import annotations

import io
import math

import streamlit as st
import torch

from core.app.export import (RUN_FILE_MAX_BYTES, ImportRefused, curves_csv, load_state_dict_bytes, parse_run_json,
                         png_bytes, run_json)
from core.app.run_store import RunStore, weights_of
from core.app.labels import label_text
from core.app.pages import PAGES
from core.serving.session_memory import SESSION_BYTES, held_bytes
from ui.apply import apply_params, open_page
from ui.common import error_text, lang, tr, tr_user, uploader_in_reader_language

RUN_FILE_MB = max(1, math.ceil(RUN_FILE_MAX_BYTES / 2**20))  # parse_run_json's limit in the uploader's whole MiB


def weights_upload_mb(model) -> int:
    """The weights uploader's limit: this model's tensors plus room for the archive's small files."""
    tensor_bytes = sum(t.nbytes for t in model.state_dict().values())
    return max(1, math.ceil((tensor_bytes + 1_000_000) / 2**20))


def store() -> RunStore:
    return st.session_state.setdefault("runs.store", RunStore(limit=30))


def title_text(parts) -> str:
    """A run title (data: Msg parts) in this script run's language, e.g. for an exported file."""
    return label_text(parts, lang())


def track(page: str, title, params: dict, trainer) -> None:
    """Watch a page's live run; it joins the history once it has trained (core/app/run_store.py).
    `title` is data (Msg parts, see core.app.labels.page_title), translated where it is shown.
    Records hold weights, never the model; replaced runs' weights stay within the session's budget."""
    store().track(page, title, dict(params), trainer)


LIVE_RUNS = tuple(p.run_key for p in PAGES if p.run_key)  # where the pages keep their live runs


def keep_session_within_memory(own: str) -> None:
    """Called by a page once its live run is built (kept under `own`, one of LIVE_RUNS): the session's
    live runs (models, optimizer state, checkpoints, data, evaluation buffers) and the weights its history
    keeps stay within SESSION_BYTES (core/serving/session_memory.py). The history keeps what the live runs leave;
    when they alone are over, the other pages' runs are closed, the biggest first (their history records stay, and each of
    those pages says so when it is shown again)."""
    ss = st.session_state

    def live() -> int:
        return held_bytes([ss[key] for key in LIVE_RUNS if key in ss])
    others = sorted((key for key in LIVE_RUNS if key != own and key in ss), key=lambda k: -held_bytes([ss[k]]))
    for key in others:  # the biggest first: as few closed as can be
        if live() <= SESSION_BYTES:
            break
        del ss[key]
        ss[f"{key}.released"] = True
    s = store()
    s.weights_limit = max(0, SESSION_BYTES - live())
    s.enforce_limit()
    if ss.pop(f"{own}.released", False):
        st.info(tr("budget.run_released", mb=SESSION_BYTES // 2**20), icon=":material/memory:")


def restore_if_reopened(page: str, trainer) -> bool:
    """After a reopen from the history page: copy the record's weights and curves into the new run."""
    pending = st.session_state.get("runs.reopen")
    if not pending or pending[0] != page:
        return False
    st.session_state.pop("runs.reopen")
    record = store().get(pending[1])
    if record is None:
        return False
    if record.weights is None:
        st.info(tr("budget.reopen_retrains"), icon=":material/replay:")  # dropped for memory: the run starts from its settings
        return False
    trainer.model.load_state_dict(record.weights)
    trainer.load_history(record.history)
    return True


def export_panel(page: str, params: dict, trainer, title: str, image=None, key: str = "") -> None:
    """Download curves (CSV), the run (JSON), the picture (PNG; `image` may be a callable), the weights.
    Each file is built only when its button is clicked (a callable), not on every rerun; the
    click does not rerun the page."""
    # Detached weights, not the model: a pending callable must keep no gradients or optimizer state alive.
    history, weights, params = trainer.history, weights_of(trainer.model), dict(params)
    cols = st.columns(4)
    cols[0].download_button(tr("exp.csv"), lambda: curves_csv(history), file_name=f"{page}-curves.csv",
                            mime="text/csv", key=f"{key}exp.csv", width="stretch", on_click="ignore")
    cols[1].download_button(tr("exp.json"), lambda: run_json(page, params, history, title),
                            file_name=f"{page}-run.json", mime="application/json", key=f"{key}exp.json",
                            width="stretch", on_click="ignore")
    if image is not None:
        cols[2].download_button(tr("exp.png"), lambda: png_bytes(image() if callable(image) else image),
                                file_name=f"{page}-boundary.png",
                                mime="image/png", key=f"{key}exp.png", width="stretch", on_click="ignore")
    cols[3].download_button(tr("exp.weights"), lambda: _weights_bytes(weights), file_name=f"{page}-weights.pt",
                            mime="application/octet-stream", key=f"{key}exp.weights", width="stretch",
                            help=tr("exp.weights_help"), on_click="ignore")


def _import_run_file(page: str, key: str) -> None:
    """on_change of the run-file uploader. Callbacks run before the page draws its widgets, the only
    moment their values may be written (afterwards Streamlit refuses: the import used to crash)."""
    ss = st.session_state
    file = ss.get(f"{key}imp.json")
    if file is None:
        return
    try:
        target, params = parse_run_json(file.getvalue())
    except ImportRefused as err:
        ss[f"{key}imp.error"] = (file.file_id, err)  # shown while this file stays in the uploader
        return
    ss["imp.note"] = file.name
    if target == page:
        apply_params(page, params)
    else:
        ss["imp.goto"] = (target, params)  # switch_page cannot run inside a callback


def import_notes(key: str = "") -> None:
    """What the last import did: opens the other page, or says where the previous run went."""
    ss = st.session_state
    goto = ss.pop("imp.goto", None)
    if goto is not None:
        open_page(*goto)
    name = ss.pop("imp.note", None)
    if name is not None:
        st.success(tr_user("imp.applied", name=name), icon=":material/download_done:")


def _weights_bytes(weights: dict) -> bytes:
    """Like core.app.export.state_dict_bytes, from the tensors themselves."""
    buf = io.BytesIO()
    torch.save(weights, buf)
    return buf.getvalue()


def import_panel(page: str, trainer=None, key: str = "") -> None:
    """Upload a run JSON (restores the settings) or weights (into the current model). A refused file is
    parsed once: its reason stays under the uploader, without parsing it again, while the file stays."""
    ss = st.session_state
    left, right = st.columns(2)
    run_file = left.file_uploader(tr("imp.json"), type=["json"], key=f"{key}imp.json", help=tr("imp.json_help"),
                                  max_upload_size=RUN_FILE_MB, on_change=_import_run_file, args=(page, key))
    uploader_in_reader_language(left, f"{key}imp.json", RUN_FILE_MB, "JSON")
    refused = ss.get(f"{key}imp.error")
    if refused is not None and run_file is not None and run_file.file_id == refused[0]:
        left.error(tr("imp.refused", reason=error_text(refused[1])))
    else:
        ss.pop(f"{key}imp.error", None)
    if trainer is not None:
        weights = right.file_uploader(tr("imp.weights"), type=["pt", "pth"], key=f"{key}imp.weights",
                                      help=tr("imp.weights_help"), max_upload_size=weights_upload_mb(trainer.model))
        uploader_in_reader_language(right, f"{key}imp.weights", weights_upload_mb(trainer.model), "PT, PTH")
        refused = ss.get(f"{key}imp.wrefused")
        # Refused for this file and this model's shapes: another model (the reader changed it) may take it.
        seen = None if weights is None else (weights.file_id, _shapes(trainer.model))
        if weights is None:
            ss.pop(f"{key}imp.wrefused", None)
        elif refused is not None and refused[0] == seen:
            right.error(tr("imp.refused", reason=error_text(refused[1])))
        elif ss.get(f"{key}imp.wdone") != weights.file_id:
            try:
                load_state_dict_bytes(weights.getvalue(), trainer.model)
            except ImportRefused as err:
                ss[f"{key}imp.wrefused"] = (seen, err)
                right.error(tr("imp.refused", reason=error_text(err)))
            else:
                ss[f"{key}imp.wdone"] = weights.file_id
                trainer.forget_logits()
                trainer.evaluate()
                right.success(tr("imp.weights_loaded"))


def _shapes(model) -> tuple:
    return tuple((k, tuple(v.shape), v.dtype) for k, v in model.state_dict().items())
