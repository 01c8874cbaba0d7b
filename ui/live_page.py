"""The one lifecycle of every page that trains live (2D, Regression, MNIST, Compare).

A page script reads top to bottom as:

    page = LivePage("2d")                         # setup, view, heading, the link's settings, notes
    config = page.settings(config_from_widgets())  # widgets -> config; link check; the URL follows
    run = page.update(config, build_run)           # core/runs.update under the page's turn
    step, rest = page.controls()                   # Play/Pause, Step, Reset, presentation switch
    ... its own pictures: page.show_frame(...) ...
    page.play(...)                                  # the one play loop (ui/live_view.py)
    ... its paused sections ...

Everything a page does not own lives here once: the session keys (f"{state}.run", ".playing", ...), the
guards of the play loop (a newer script run supersedes an older one's loop, frames take turns in the
process, each playing session gets its fair share, the server's CPU budget per frame) and the notes that
say why a run restarted.
"""
from __future__ import annotations

from contextlib import nullcontext
from functools import partial
from typing import Callable

import streamlit as st

from core.i18n import UserFacingError
from core.app.labels import page_title
from core.app.pages import page as page_info
from core import runs
from ui.address import write_address
from ui.common import (RunTurn, config_from_url_once, csv_upload, error_text, play_controls, setup_page,
                       show_url_warnings, tr, warn_if_link_not_kept)
from ui.lesson import lesson_from_link, open_lesson_key, page_heading
from ui.canvas_edits import ClickEdits
from ui.live_view import ClickInbox, play_paced
from ui.runs import (export_panel, import_notes, import_panel, keep_session_within_memory, restore_if_reopened,
                     title_text, track)
from ui.view import apply_view, current_view, init_view, present_toggle


class LivePage:
    def __init__(self, key: str, view_warnings: Callable[[], list] | None = None):
        """The page's first lines: setup, its view (presentation, hidden controls), its heading or lesson
        banner, then its settings from the link once per session (view_warnings: the page's own view
        parameters' problems, read at the same time) and the notes of an imported file."""
        self.info = info = page_info(key)
        self.key, self.state = key, info.state
        setup_page()
        show_url_warnings(init_view(info))
        lesson_from_link(key)  # before the view: a presented lesson keeps its control (LESSON_CONTROLS)
        apply_view(info, open_lesson_key())
        page_heading(key)
        show_url_warnings(config_from_url_once(info) + (view_warnings() if view_warnings else []))
        import_notes()
        self.turn: RunTurn | None = None
        self.title = ""
        self.takes_uploads, self.uploaded = False, None

    # ---- session keys ----
    def _get(self, name: str, default=None):
        return st.session_state.get(f"{self.state}.{name}", default)

    def _set(self, name: str, value) -> None:
        st.session_state[f"{self.state}.{name}"] = value

    @property
    def playing(self) -> bool:
        return bool(st.session_state.setdefault(f"{self.state}.playing", False))

    def widget(self, field: str, default=None):
        """The current value of the widget of one of the page's settings."""
        return st.session_state.get(self.info.widget_prefix + field, default)

    # ---- settings ----
    def upload(self, parse, make):
        """The page's data upload: the sidebar's CSV uploader while its data set is "upload", else the
        points uploaded before (kept while another data set is chosen)."""
        if self.widget("dataset") == "upload":
            self.uploaded = csv_upload(self.state, tr(f"{self.state}.upload"), tr(f"{self.state}.upload_help"),
                                       parse, make)
        else:
            self.uploaded = self._get("upload")
        self.takes_uploads = True
        return self.uploaded

    def settings(self, config, view: dict | None = None):
        """The settings the widgets show now: kept for the next visit (widget keys are not), checked
        once against what a link asked for, and written to the address bar with the view (view: the
        page's own view parameters, ui/view.current_view). A data set to upload not uploaded yet: the
        page says so and stops here."""
        self._set("config", config)
        warn_if_link_not_kept(self.state, config.to_query())
        self.write_link(config, view)
        if self.takes_uploads and config.dataset == "upload" and self.uploaded is None:
            st.info(tr(f"{self.state}.upload_needed"))
            st.stop()
        return config

    def write_link(self, config, view: dict | None = None) -> None:
        """The address bar: the settings and the view, one link (view: as for settings)."""
        write_address(config.to_query(), current_view(open_lesson_key(), **(view or {})))

    # ---- the run ----
    def update(self, config, build: runs.Build, source=None, cannot_build: str | None = None):
        """The page's run brought in line with `config` (core/runs.update) while no frame of an older script
        run is in progress; a refused config (a multiclass loss on two classes, a model that cannot be
        built: cannot_build's message) is said and stops the page. A run rebuilt for new settings says why."""
        run, change = self.update_with(lambda old: runs.update(old, config, build, source), cannot_build)
        self.track(run.trainer, config, change)
        return run

    def update_with(self, rebuild: Callable, cannot_build: str | None = None):
        """rebuild(the kept run or None) -> (run, change), under the page's turn; kept within the session's
        memory. (Compare keeps several runs under one key.)"""
        self.turn = RunTurn(self.state)  # an older script run's frame in progress finishes first
        with self.turn.lock:
            return self._rebuild(rebuild, cannot_build)

    def _rebuild(self, rebuild: Callable, cannot_build: str | None = None):
        """update_with under the turn's lock, held."""
        try:
            run, change = rebuild(self._get("run"))
        except (UserFacingError, ValueError) as err:
            if isinstance(err, UserFacingError):
                st.error(error_text(err))
            elif cannot_build is not None:
                st.error(tr(cannot_build))
            else:
                raise
            st.stop()
        self._set("run", run)
        keep_session_within_memory(self.info.run_key)
        return run, change

    def track(self, trainer, config, change: str, title=None) -> None:
        """The run joins the session's history once it has trained (title: data, translated where shown);
        a run rebuilt for a reopened record takes its weights and curves."""
        if change in ("new", "data", "model") and restore_if_reopened(self.key, trainer):
            change = "reopened"
        parts = title if title is not None else page_title(self.key, config.to_query(), trainer.history)
        self.title = title_text(parts)
        track(self.key, parts, config.to_query(), trainer)
        if change in ("data", "model"):
            self.note(f"run.reset_{change}")

    def note(self, key: str) -> None:
        """A note shown under the controls of this script run (why the run restarted)."""
        self._set("note", tr(key))

    # ---- controls ----
    def controls(self, rest_width: float = 2.5, tenfold: bool = True, room: float | None = None, **kwargs):
        """Play/Pause, Step (tenfold: and ×10) and Reset, the presentation switch at the row's end; then the
        note of this run. Reset starts the run again from the seed's weights (playing goes on).
        Returns (steps asked for: 0, 1 or 10, or True/False without tenfold; a column of `room` parts before
        the switch for a button of the page's own, or None)."""
        step, reset, rest = play_controls(self.state, self.playing, rest_width, tenfold=tenfold, **kwargs)
        own = None
        if room is not None:
            own, rest = rest.columns([room, 1])
        present_toggle(rest)
        if reset:
            st.session_state.pop(self.info.run_key, None)
            self.note("run.reset_done")
            st.rerun()
        note = st.session_state.pop(f"{self.state}.note", None)
        if note:
            st.info(note, icon=":material/restart_alt:")
        return step, own

    def run_files(self, trainer, image=None, expander: bool = True) -> None:
        """Download the run (curves, settings, weights; `image`: its picture, or a callable drawing it on
        click) and load a run file or weights into it: in an expander, or where the page puts it."""
        with st.expander(tr("exp.section")) if expander else st.container():
            export_panel(self.key, self._get("config").to_query(), trainer, self.title, image=image)
            import_panel(self.key, trainer)

    # ---- the live picture ----
    def live(self, container, show: Callable[..., None], play: dict, build: runs.Build,
             source=None, view: Callable[[], dict] | None = None,
             below: Callable[[], Callable[[], None]] | None = None, clicks: ClickEdits | None = None) -> None:
        """The live picture in `container`, as a fragment (st.fragment): show(slot, curves, live=...) draws a frame in
        it, once when paused, each frame of self.play(**play) while playing; below(): what goes under it, returning
        its refresh() for after a click. A click on the picture (clicks: the page's click edits) edits the data:
        while it plays, the loop takes the click from its inbox (live_view.ClickInbox) and applies it before its
        next frame, without a rerun (bench/bench_live.py, row "clicks"); between frames of no loop, the click
        reruns this fragment, which applies it, and paused, the whole page, so each section shows the edited data
        (build, source, view: as for update and settings)."""
        def live_picture() -> None:
            if not self.playing and self._edits() != self._get("config").edits:
                st.rerun()
            self._follow_edits(build, source, view)
            slot = st.empty()
            refresh = below() if below is not None else None
            if not self.playing:
                with self.turn.lock:
                    show(slot, True, False)
                return
            def apply(taken: list[dict]) -> None:  # in a frame of the loop: the clicks its inbox took
                for click in taken:
                    clicks.record(click)
                self._follow_edits(build, source, view, in_frame=True)
                if refresh is not None:
                    refresh()
            with ClickInbox(clicks.key, apply) if clicks is not None else nullcontext() as inbox:
                self.play(**play, show=partial(show, slot, live=True), inbox=inbox)
        with container:
            st.fragment(live_picture, key=f"{self.state}.live")()

    def _edits(self) -> str:
        """The hand edits as recorded now (a click's, ui/canvas_edits.py; a full run reads them with the widgets)."""
        return self.widget("edits", self._get("config").edits)

    def _follow_edits(self, build: runs.Build, source, view: Callable[[], dict] | None, in_frame: bool = False) -> None:
        """The settings, the link and the run (in place) follow the hand edits recorded since the settings were
        read. in_frame: in a frame of the play loop, which holds the turn's lock."""
        config, edits = self._get("config"), self._edits()
        if edits == config.edits:
            return
        config = self.settings(config.replace(edits=edits), view=view() if view is not None else None)

        def rebuild(old):
            return runs.update(old, config, build, source)
        run, change = self._rebuild(rebuild) if in_frame else self.update_with(rebuild)
        self.track(run.trainer, config, change)

    # ---- playing ----
    def play(self, fps: float, steps_per_second: float, train: Callable[[int, float, float], None],
             show: Callable[[bool], None], stop: Callable[[], bool],
             on_stop: Callable[[], None] | None = None, inbox: ClickInbox | None = None) -> None:
        """While playing: the one play loop with every guard (ui/live_view.py). train(steps owed, CPU
        seconds, least training share), then show(curves due), each frame; stop() pauses the page
        (on_stop: say why), as does a newer script run of the page. inbox: the live picture's clicks, applied
        before a frame."""
        def stopped() -> None:
            self._set("playing", False)
            if on_stop is not None:
                on_stop()
        play_paced(self.turn, fps, steps_per_second, train, show, stop, stopped, inbox)
