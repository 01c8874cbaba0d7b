"""Every run of this session: list, compare, reopen, delete, export."""
from __future__ import annotations

import time

import streamlit as st

from core.app.export import run_json
from core.runs.compare import COMPARE_METRICS
from core.pictures.render import RUN_COLOURS, to_hex
from core.learning.trainer import METRICS
from ui.apply import open_page
from ui.charts import overlay_chart, show_altair
from ui.live_view import chart_alt
from core.i18n import fmt, fmt_loss
from ui.common import key_labels, lang, setup_page, tr, translated_choice
from ui.runs import store

setup_page()
st.title(tr("runs.title"))
st.caption(tr("runs.intro"))

store().enforce_limit()  # runs replaced since the last page: their weights now count
records = store().list()
if not records:
    st.info(tr("runs.empty"))
    st.stop()

def shown(final: dict, metric: str) -> str:
    """A table cell as the pages show the number: accuracies in %, losses with 4 decimals (3.1e19 when huge),
    "—" where it does not apply (a regression run has no accuracy)."""
    value = final[metric]
    return fmt(value, ".1%") if "acc" in metric else fmt_loss(value)


rows = []
for r in records:
    final = r.final()
    rows.append({"#": r.id, tr("runs.col.page"): tr(f"runs.page.{r.page}"), tr("runs.col.title"): r.title_in(lang()),
                 tr("runs.col.steps"): r.history.step[-1] if r.history.step else 0,
                 tr("metric.test_acc"): shown(final, "test_acc"), tr("metric.test_loss"): shown(final, "test_loss"),
                 tr("runs.col.age"): f"{(time.time() - r.created) / 60:.0f} min",
                 tr("budget.col.weights"): tr("budget.weights.dropped" if r.weights is None else "budget.weights.kept")})
st.dataframe(rows, hide_index=True)
dropped = [r for r in records if r.weights is None]
if dropped:
    st.caption(tr("budget.weights_dropped_note", runs=", ".join(f"#{r.id}" for r in dropped)))

ids = [r.id for r in records]
by_id = {r.id: r for r in records}
language = lang()  # bound now: format_func and the download run after the script (no session state)
label = lambda i: f"#{i} {by_id[i].title_in(language)}"  # noqa: E731  (titles follow the language)

st.subheader(tr("runs.compare"))
chosen = translated_choice(st.multiselect, tr("runs.choose"), ids, "runs.chosen",
                           default=ids[:2] if len(ids) >= 2 else ids, max_selections=4, format_func=label)
metric = translated_choice(st.radio, tr("cmp.metric"), COMPARE_METRICS, "runs.metric", horizontal=True,
                           format_func=key_labels("metric.{}"))
if chosen:
    show_altair(st, overlay_chart([(label(i), by_id[i].history) for i in chosen], metric,
                                  [to_hex(c) for c in RUN_COLOURS]),
                chart_alt(tr(f"metric.{metric}"), tr("metric.step"), {label(i): by_id[i].history.last(metric)
                                                                     for i in chosen}), width="stretch")
    st.dataframe([{tr("runs.col.title"): label(i), **{tr(f"metric.{m}"): shown(by_id[i].final(), m) for m in METRICS}}
                  for i in chosen], hide_index=True)

st.subheader(tr("runs.manage"))
pick = translated_choice(st.selectbox, tr("runs.pick"), ids, "runs.pick", format_func=label)
record = by_id[pick]
c1, c2, c3 = st.columns(3)
if c1.button(tr("runs.reopen"), key="runs.reopen_button", type="primary", width="stretch",
             help=tr("runs.reopen_help")):
    open_page(record.page, record.params, reopen_id=record.id)
if c2.button(tr("runs.delete"), key="runs.delete_button", width="stretch"):
    store().delete(record.id)
    st.rerun()
c3.download_button(tr("exp.json"), lambda: run_json(record.page, record.params, record.history, record.title_in(language)),
                   file_name=f"run-{record.id}.json", mime="application/json", width="stretch",
                   key="runs.export", on_click="ignore")  # built on click, not on every rerun
if record.weights is None:
    st.caption(tr("budget.reopen_retrains"))
