"""A click on the live picture edits the training data (core/data/edits.py).

The sidebar's group says what a click does (add a point of a class, flip the nearest label, remove the nearest
point; on the Regression page a click adds an (x, y) point). The click itself comes back from the live canvas
(ui/live_canvas.js calls setTriggerValue("click", {x, y}) in data units) as a rerun request. While the picture
plays, the play loop takes it on its way (ui/live_view.ClickInbox) and records it here between two frames
(ClickEdits.record); otherwise the request reruns the live picture's fragment, whose callback records it, and
paused the whole page. The edit goes into the page's settings (the config field `edits`, under the widget prefix),
and the run is brought in line (core/runs.update → the run's apply: its training data changes in place, no reset;
ui/live_page.LivePage.live).
"""
from __future__ import annotations

from typing import Callable

import streamlit as st

from core.data.edits import MAX_EDITS, Edit, EditError, appended, nearest, parse_prefix, rounded
from ui import live_view
from ui.common import error_text, key_labels, tr, translated_choice

MODES = ("add", "flip", "remove")
NEXT = "next"  # flip: to the label after the point's own


def edit_widgets(container, state: str, prefix: str, n_classes: int | None) -> None:
    """The sidebar's group: what a click does (n_classes None: the Regression page, a click adds a point)."""
    ss = st.session_state
    # the group's element carries the setting's control class, so a link's hide=edits hides all of it
    container = container.container(key=f"{prefix}edits.group")
    container.header(tr("edits.section"))
    if n_classes is None:
        container.caption(tr("edits.reg_help"))
    else:
        mode = translated_choice(container.radio, tr("edits.mode"), MODES, f"{state}.edit_mode",
                                 format_func=key_labels("edits.mode.{}"))
        classes = list(range(n_classes))
        for key, options in ((f"{state}.edit_class", classes), (f"{state}.edit_flip_to", [NEXT] + classes)):
            if key in ss and ss[key] not in options:  # another data set has fewer classes
                del ss[key]
        if mode == "add":
            container.selectbox(tr("edits.class"), classes, key=f"{state}.edit_class")
        elif mode == "flip":
            next_class = tr("edits.next_class")
            container.selectbox(tr("edits.flip_to"), [NEXT] + classes, key=f"{state}.edit_flip_to",
                                format_func=lambda v: next_class if v == NEXT else str(v))
        container.caption(tr("edits.help"))


def edits_below(state: str, prefix: str, regression: bool = False) -> Callable[[], Callable[[], None]]:
    """What goes under the live picture (in its fragment): a refused click's reason, how many edits there are and
    a button that clears them (there from the start, so a playing loop never needs a rerun to show it). A link's
    hide=edits hides them with the sidebar's group. Drawing them returns refresh(), with which the play loop
    redraws the reason and the count after the clicks it took (ui/live_page.LivePage.live)."""
    def count() -> int:
        return len(parse_prefix(st.session_state.get(prefix + "edits", ""), regression)[0])

    def below() -> Callable[[], None]:
        ss = st.session_state
        note_slot = st.empty()
        shown = count()
        with st.container(key=f"{prefix}edits.live", horizontal=True, vertical_alignment="center"):
            count_slot = st.empty()
            count_slot.caption(tr("edits.count", n=shown, limit=MAX_EDITS))
            st.button(tr("edits.clear"), key=f"{state}.edit_clear", on_click=clear_edits, args=(prefix,),
                      icon=":material/undo:")

        noted = False

        def refresh() -> None:  # (each element update costs the browser a render: only what changed)
            nonlocal shown, noted
            note = ss.pop(f"{state}.edit_note", None)
            if note:
                note_slot.warning(note, icon=":material/warning:")
            elif noted:
                note_slot.empty()
            noted = bool(note)
            now = count()
            if now != shown:
                shown = now
                count_slot.caption(tr("edits.count", n=shown, limit=MAX_EDITS))
        refresh()
        return refresh
    return below


def clear_edits(prefix: str) -> None:
    st.session_state[prefix + "edits"] = ""


def unused_edits_note(run) -> None:
    """Edits of a link that do not fit the run's data: said (they are left out)."""
    problem = getattr(run, "edit_problem", None)
    if problem is not None:
        st.warning(tr("edits.unused", reason=error_text(problem)), icon=":material/warning:")


def click_edit(run, text: str, mode: str, x: float, y: float, chosen) -> Edit | None:
    """The edit a click at (x, y) makes on a 2D run whose settings hold the edits `text` (the points they
    give, which a quick second click may see before the run took the first), or None: no point near it."""
    from core.runs.playground import edited_train_data
    if mode == "add":
        return Edit("add", rounded(x), rounded(y), label=int(chosen))
    data, _ = edited_train_data(run.data, run.base, text, run.bounds)
    i = nearest(data.X_train.numpy(), x, y, run.bounds)
    if i is None:
        return None
    if mode == "remove":
        return Edit("remove", index=i)
    label = (int(data.y_given[i]) + 1) % run.data.n_classes if chosen == NEXT else int(chosen)
    return Edit("flip", label=label, index=i)


def record_click(state: str, prefix: str, click: dict, regression: bool = False) -> None:
    """One click's edit, appended to the page's settings (`prefix + "edits"`) when it fits the run's data;
    a refusal (the 51st edit, no point near it) is said under the sidebar's group."""
    ss = st.session_state
    run = ss.get(f"{state}.run")
    try:
        x, y = float(click["x"]), float(click["y"])
    except (KeyError, TypeError, ValueError):
        return
    if run is None or getattr(run, "base", None) is None:
        return
    text = ss.get(prefix + "edits", "")
    try:
        if regression:
            edit = Edit("add", rounded(x), rounded(y))
        else:
            mode = ss.get(f"{state}.edit_mode", MODES[0])
            chosen = ss.get(f"{state}.edit_class", 0) if mode == "add" else ss.get(f"{state}.edit_flip_to", NEXT)
            edit = click_edit(run, text, mode, x, y, chosen)
        if edit is None:
            ss[f"{state}.edit_note"] = tr("edits.missed")
            return
        new = appended(text, edit, regression)
        problem = run.edits_problem(new)  # checked like an upload: in the view, a known class, an index in range
        if problem is not None:
            raise problem
    except EditError as err:
        ss[f"{state}.edit_note"] = error_text(err)
        return
    ss[prefix + "edits"] = new


class ClickEdits:
    """A page's click edits: the live canvas's on_click callback (ui/live_view.show: a click's rerun, paused) and
    record(click) for a click the play loop took from its inbox (ui/live_view.ClickInbox: playing). `key`: the
    live canvas's key."""

    def __init__(self, state: str, prefix: str, key: str, regression: bool = False):
        self.state, self.prefix, self.key, self.regression = state, prefix, key, regression

    def __call__(self) -> None:
        click = live_view.clicked(self.key)
        if click is not None:
            self.record(click)

    def record(self, click: dict) -> None:
        record_click(self.state, self.prefix, click, self.regression)


def on_click(state: str, prefix: str, key: str, regression: bool = False) -> ClickEdits:
    """The click edits of a page whose live canvas has the key `key`."""
    return ClickEdits(state, prefix, key, regression)
