"""Language, translated text, URL sync and the live image element shared by every page."""
from __future__ import annotations

import json
import numbers
import re
import sys
import threading
from typing import Iterable

# Imported whole before any page draws: otherwise the first st.dataframe imports pandas lazily, and a
# click that starts a new script run meanwhile makes Altair (which looks pandas up in sys.modules)
# meet a half-initialised module (AttributeError 'pandas' has no attribute 'Timestamp', seen in Chromium).
import pandas  # noqa: F401
import streamlit as st
import torch

from core.serving.pace import freeze_startup_objects, limit_threads
from core.runs.config import Warning_
from core.app.pages import PAGES
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Msg, UserFacingError, translate
from core.learning.engines import OPTIMIZERS, WEIGHT_DECAY_MODES
from ui.address import link_settings, link_view, read_address


def css_class(key: str) -> str:
    """The CSS class Streamlit gives the element of a widget key ("st-key-<key, . as ->")."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def tr(key: str, /, **fields) -> str:
    return translate(key, lang(), **fields)


def key_labels(template: str):
    """format_func for a widget whose options are stable keys: translate(template.format(key)) in this run's
    language, bound now (Streamlit and AppTest may call it after the run, outside session state)."""
    language = lang()
    return lambda key: translate(template.format(key), language)


def init_language() -> None:
    """The link's language (lang=) wins on first load; afterwards the sidebar switch does."""
    if "lang" not in st.session_state:
        st.session_state.lang = link_view().language


def _language_changed() -> None:
    st.session_state.lang = st.session_state["_lang_widget"]


_NO_VALUE = object()


def widget_key(key: str) -> str:
    """The key of the widget showing a translated choice: one widget per language.

    Streamlit's selectbox, radio, select_slider and multiselect send the *displayed* option text
    from the browser and match it against the labels of the widget with that id. With one widget
    per language, a label can only come back to the widget that showed it: a click made just after
    a language switch, before the browser has the new widgets, sends the old language's text to
    the old widget, which this run no longer draws, so it is ignored."""
    return f"{key}@{lang()}"


# The argument each option widget takes its starting choice from.
_DEFAULT_ARG = {"selectbox": "index", "radio": "index", "select_slider": "value", "multiselect": "default"}


def _copy_to_value(key: str, shown_key: str, options, on_change, args) -> None:
    """A translated widget changed in the browser: its value becomes the choice, if it is the widget the
    page drew last for `key` (not one of another language that a browser still holding it sends back)
    and its value is one of the options (not a label Streamlit could not match)."""
    ss = st.session_state
    if ss.get("_shown_widget", {}).get(key) != shown_key:
        return
    new = ss[shown_key]
    if not all(v in options for v in new) if isinstance(new, list) else new not in options:
        return
    changed = ss.get(key, _NO_VALUE) != new
    ss[key] = new
    if changed and on_change is not None:
        on_change(*args)


def lazy_expander(label: str, key: str, expanded: bool = False):
    """An expander whose content the page builds only while it is open (`if box.open:`; opening it
    reruns the script), and that stays open when the reader switches language: Streamlit's identity
    of a widget includes its label, so the open state is kept under `key + ".kept"` and given back
    as the next run's default."""
    ss = st.session_state
    kept, shown = key + ".kept", key + ".label"
    # `expanded` is part of the widget's identity: it must not follow the open state (a click would then
    # reach the widget of the run before, and every second click was lost). Only a new label (the other
    # language) makes a new widget, and that one takes the open state the old one had.
    if ss.get(shown, label) != label and kept in ss:
        ss[key] = ss[kept]
    ss[shown] = label
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    ss[kept] = bool(box.open)
    return box


class RunTurn:
    """One script run's turn at a page's live run. Streamlit starts the script again on a click without
    waiting for the run in progress (fast reruns): the old run's play loop may still be inside a frame
    (training, drawing) while the new run reads the model. The new run takes `lock` (the session's, held by
    a frame in progress) before it touches the run, and a play loop stops at its next frame once a newer
    script run of the page has started (`superseded`), so it never trains under the new one."""

    def __init__(self, state: str):
        ss = st.session_state
        self.key = f"{state}.script"
        self.lock = ss.setdefault(f"{state}.run_lock", threading.Lock())
        self.token = object()
        ss[self.key] = self.token

    def superseded(self) -> bool:
        return st.session_state.get(self.key) is not self.token


def csv_upload(prefix: str, label: str, help_text: str, parse, make):
    """The sidebar's CSV uploader of a page's "upload" data set. A new file is parsed once (parse(bytes) ->
    columns) into make(*columns, name, file_id), kept under f"{prefix}.upload"; a refused file's reason is
    shown under it, and it is not parsed again while it stays in the uploader. Returns the upload, or None.
    The server never holds more than the parser's size limit."""
    from core.data.data2d import CSV_MAX_BYTES, DataError
    ss = st.session_state
    upload = ss.get(f"{prefix}.upload")
    refused = ss.get(f"{prefix}.upload_error")
    file = st.sidebar.file_uploader(label, type=["csv", "txt"], help=help_text, key=f"{prefix}.csv",
                                    max_upload_size=-(-CSV_MAX_BYTES // 2**20), on_change=_csv_changed,
                                    args=(prefix,))
    uploader_in_reader_language(st.sidebar, f"{prefix}.csv", -(-CSV_MAX_BYTES // 2**20), "CSV, TXT")
    if file is not None and (upload is None or upload.file_id != file.file_id) \
            and (refused is None or refused[0] != file.file_id):
        try:
            upload = make(*parse(file.getvalue()), file.name, file.file_id)
            ss[f"{prefix}.upload"] = upload
        except DataError as err:
            refused = ss[f"{prefix}.upload_error"] = (file.file_id, err)
            upload = None
            ss.pop(f"{prefix}.upload", None)
    if file is not None and refused is not None and refused[0] == file.file_id:
        st.sidebar.error(tr("p2d.upload_refused", reason=error_text(refused[1])))
    elif file is None and upload is not None:
        # The uploader forgets its file when the reader visits another page (Streamlit drops the state of
        # widgets not drawn); the data stays, and the page says which file it still trains on.
        st.sidebar.caption(tr_user("upload.kept", name=upload.name))
    return upload


def _csv_changed(prefix: str) -> None:
    """The reader removed the file (✕): the page stops training on it and asks for a CSV again, as a
    teacher who cleared the uploader expects; a kept run of a file no longer shown would be a surprise."""
    if st.session_state.get(f"{prefix}.csv") is None:
        st.session_state.pop(f"{prefix}.upload", None)
        st.session_state.pop(f"{prefix}.upload_error", None)


def lazy_section(label: str, key: str, build, *args) -> None:
    """A lazy_expander whose content is build(*args), called only while it is open."""
    box = lazy_expander(label, key)
    if box.open:
        with box:
            build(*args)


def translated_choice(widget, label: str, options, key: str, *, on_change=None, args=(), **kwargs):
    """widget(label, options, ...) (a bound st.selectbox / radio / select_slider / multiselect) whose
    value lives under `key` in session state, shown by a widget of this language (widget_key).
    Pages, links and presets read and write `key`; the widget follows it.

    The widget's default is always `key`'s value: a browser that never received the run that gave
    this language's widget its value (a click interrupts a run, and Streamlit drops the run's unsent
    output) draws the widget at its default, which must not be the first option."""
    ss = st.session_state
    shown_key = widget_key(key)
    options = list(options)
    value = ss.get(key, _NO_VALUE)
    if isinstance(value, list):
        value = [v for v in value if v in options]  # e.g. a deleted run
    elif value is not _NO_VALUE and value not in options:
        value = _NO_VALUE  # not a choice any more: the widget's default
    if value is not _NO_VALUE:
        for name in _DEFAULT_ARG.values():
            kwargs.pop(name, None)
        if ss.get(shown_key, _NO_VALUE) != value:  # set from outside (a link, a preset, another language)
            ss[shown_key] = value
        # Also the value Streamlit falls back to when a label sent back matches no option. With the write
        # above, Streamlit logs once that the widget has both (harmless: they are the same value).
        kind = _DEFAULT_ARG[widget.__name__]
        kwargs[kind] = options.index(value) if kind == "index" else value
    ss.setdefault("_shown_widget", {})[key] = shown_key
    chosen = widget(label, options, key=shown_key, on_change=_copy_to_value,
                    args=(key, shown_key, options, on_change, args), **kwargs)
    ss[key] = chosen
    return chosen


def language_switch() -> None:
    # The widget key is page-local in Streamlit, so the choice itself lives in "lang".
    names = {"en": "English", "zh": "中文"}
    st.session_state["_lang_widget"] = lang()
    st.sidebar.radio(translate("app.language", lang()), LANGUAGES, key="_lang_widget",
                     format_func=names.get, horizontal=True, on_change=_language_changed)


def navigation_links() -> None:
    """The sidebar's links to every page of the registry, titled in the reader's language."""
    for info in PAGES:
        st.sidebar.page_link(info.script, label=tr(info.title_key), icon=info.icon)
    st.sidebar.divider()


def setup_page() -> None:
    """First lines of every page: config and language (app.py's st.navigation lists the pages)."""
    # Small models train fastest on one thread, and two sessions then share 2 cores fairly.
    torch.set_num_threads(1)
    limit_threads()  # numpy's BLAS pool too (once per process): torch's setting leaves it alone
    freeze_startup_objects()  # once per process: full garbage collections stop walking the libraries
    # Each torch op releases the GIL; with the default 5 ms switch interval the training
    # thread then waits behind the server thread (GIL convoy). 1 ms keeps steps flowing.
    sys.setswitchinterval(0.001)
    read_address()  # the view part of the link: its language first
    init_language()
    st.set_page_config(page_title=translate("app.title", lang()), page_icon=":material/insights:", layout="wide")
    language_switch()
    navigation_links()


def as_text(value, limit: int = 40) -> str:
    """Text that came from a URL, a file or a user, made safe for Markdown elements (st.warning,
    st.error, st.markdown): one line, at most `limit` characters, and every ASCII punctuation mark
    backslash-escaped, so no link, image, emphasis, LaTeX, emoji code or HTML can form."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[:limit] + "…"
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", text)


_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def tr_user(key: str, /, **fields) -> str:
    """tr() whose fields came from outside: each shown as text (user_fields). No keyword argument of its
    own, so no field name can collide with one (several refusals have a `limit` field)."""
    return tr(key, **user_fields(fields))


def user_fields(fields: dict, limit: int = 40) -> dict:
    """A message's fields made safe for Markdown: strings through as_text, also inside a nested Msg
    (a refusal's reason quotes the file's keys and entry names) and in lists of names; numbers stay
    numbers for their format specs; anything else is shown as its text."""
    return {k: _user_value(v, limit) for k, v in fields.items()}


def _user_value(value, limit: int):
    if isinstance(value, Msg):
        return Msg(value.key, **user_fields(value.fields, limit))
    if isinstance(value, numbers.Number) and not isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        value = ", ".join(map(str, value))
    return as_text(value, limit)


def error_text(err: UserFacingError) -> str:
    """A refusal's message in the page's language; its fields may quote the user's input."""
    return tr(err.code, **user_fields(err.fields, limit=160))


def show_url_warnings(warnings: Iterable) -> None:
    for w in warnings:
        st.warning(tr_user(w.code, **w.fields), icon=":material/warning:")


def with_value(options: list, value) -> list:
    """A value from a URL may sit between a slider's preset steps: keep it selectable."""
    return options if value in options else sorted(options + [value])


def seed_config_widgets(config, prefix: str, overwrite: bool) -> None:
    """Put a page config into its widgets' session keys (core/config.QueryConfig.widget_values)."""
    ss = st.session_state
    for key, value in config.widget_values(prefix).items():
        if overwrite or key not in ss:
            ss[key] = value


def config_from_url_once(info) -> list:
    """First visit of the page (core/pages.PageInfo): load the URL into its widgets. Later visits: restore
    the widgets Streamlit dropped while another page was shown, from the last config (f"{state}.config")."""
    ss = st.session_state
    state, prefix = info.state, info.widget_prefix
    if f"{state}.config" in ss:
        seed_config_widgets(ss[f"{state}.config"], prefix, overwrite=False)
        return ss.get(f"{state}.url_warnings", [])
    config, warnings = link_settings(info.config)
    seed_config_widgets(config, prefix, overwrite=True)
    ss[f"{state}.config"] = config
    ss[f"{state}.url_warnings"] = warnings
    ss[f"{state}.url_query"] = config.to_query()  # checked once against what the widgets then show
    return warnings


def warn_if_link_not_kept(state: str, shown: dict[str, str]) -> None:
    """A link reproduces its run or says what it could not keep: compare the settings the link
    asked for (after validation) with those the page's widgets produced on the first render."""
    asked = st.session_state.pop(f"{state}.url_query", None)
    if asked is None:
        return
    lost = [Warning_("warn.url.not_kept", {"key": k, "value": v}) for k, v in asked.items() if shown.get(k) != v]
    st.session_state[f"{state}.url_warnings"] = st.session_state.get(f"{state}.url_warnings", []) + lost
    show_url_warnings(lost)


def play_controls(state: str, playing: bool, rest_width: float, step_key: str = "ctl.step",
                  step_help: str | None = None, tenfold: bool = False):
    """Play/Pause, Step (tenfold: and a "×10" button) and Reset in a row: (step clicked, reset clicked,
    the row's last column). With tenfold, "step clicked" is the number of steps asked for: 0, 1 or 10."""
    # Play and Step carry their keyboard hint ("Space", "→") inside: room for both at 1280×720 with the sidebar
    widths = [1.5, 1.2, 0.8, 1.1, rest_width] if tenfold else [1.4, 1.6, 1.0, rest_width]
    c1, c2, *c10, c3, rest = st.columns(widths)
    # Keyboard, for a class watching a projector: space plays or pauses, → steps.
    # Icons are Material Symbols (shipped with Streamlit): an emoji shows as a box where no emoji font is.
    c1.button(tr("ctl.pause") if playing else tr("ctl.play"), key=f"{state}.play_button", type="primary",
              icon=":material/pause:" if playing else ":material/play_arrow:", help=tr("ctl.play_help"),
              width="stretch", on_click=toggle_play, args=(state,), shortcut="Space")
    step_help = step_help or (tr("step.one_help") if tenfold else "")
    step = c2.button(tr(step_key), key=f"{state}.step_button", width="stretch", icon=":material/skip_next:",
                     help=f"{step_help} {tr('ctl.step_key')}".strip(), shortcut="Right")
    if tenfold:
        ten = c10[0].button(tr("step.ten"), key=f"{state}.step10_button", width="stretch",
                            icon=":material/fast_forward:", help=tr("step.ten_help"))
        step = 10 if ten else 1 if step else 0
    reset = c3.button(tr("ctl.reset"), key=f"{state}.reset_button", width="stretch", icon=":material/restart_alt:")
    return step, reset, rest


def toggle_play(state: str) -> None:
    """Play/Pause callback: it runs before the script, so the button label already shows the new state."""
    ss = st.session_state
    ss[f"{state}.playing"] = not ss.get(f"{state}.playing", False)
    held = ss.get(f"{state}.run")  # a page's run, or Compare's {"kind", "runs"}
    if ss[f"{state}.playing"] and held is not None:
        with ss.setdefault(f"{state}.run_lock", threading.Lock()):  # (RunTurn.lock: a frame may be in progress)
            for run in held["runs"] if isinstance(held, dict) else [held]:
                run.trainer.resume_after_divergence()


def loss_heading(name: str, desc: str, formula: str, gradient: str | None = None, wrt: str = "z") -> None:
    """The loss a run trains with: its name, what it does, its formula and (given) its gradient."""
    st.markdown(f"**{name}** — {desc}")
    st.latex(formula)
    if gradient:
        st.latex(rf"\frac{{\partial \ell}}{{\partial {wrt}}} = " + gradient)


def show_divergence(box, trainer) -> None:
    """The pause-with-a-reason message of a diverged run (weights already restored)."""
    d = trainer.diverged
    if d is not None:
        box.error(tr("ctl.diverged", step=d.step, lr=f"{d.lr:g}", restored=d.restored_step), icon=":material/error:")


def weight_decay_widgets(container, prefix: str, optimizer: str, choices: list) -> float:
    """λ, plus "L2 in the loss vs decoupled" unless the optimizer (AdamW) is always decoupled."""
    ss = st.session_state
    wd = container.select_slider(tr("w.weight_decay"), with_value(choices, ss.get(prefix + "weight_decay", 0.0)),
                                 key=prefix + "weight_decay", format_func=lambda v: f"{v:g}")
    if OPTIMIZERS[optimizer].builtin_decoupled:
        container.caption(tr("w.adamw_note"))
    else:
        translated_choice(container.radio, tr("w.wd_mode"), WEIGHT_DECAY_MODES, prefix + "wd_mode", horizontal=True,
                          format_func=key_labels("wd.{}"), help=tr("w.wd_mode_help"))
    return wd


def loss_param_sliders(container, prefix: str, loss: str, specs, label_prefix: str = "loss.param",
                       ) -> list[tuple[str, float]]:
    """A slider per parameter of the chosen loss; keyed per loss, so each loss keeps its own values.
    label_prefix: the labels' i18n keys (the regression losses have their own)."""
    values = []
    for p in specs:
        key = f"{prefix}loss.{loss}.{p.name}"
        st.session_state.setdefault(key, float(p.default))
        value = container.slider(tr(f"{label_prefix}.{p.name}"), float(p.low), float(p.high), step=float(p.step),
                                 key=key)
        values.append((p.name, float(value)))
    return values


def optimizer_and_lr_widgets(container, prefix: str, lr_choices: list, default_lr: float) -> tuple[str, float]:
    optimizer = translated_choice(container.selectbox, tr("w.optimizer"), list(OPTIMIZERS), prefix + "optimizer",
                                  format_func=key_labels("opt.{}"))
    lr = container.select_slider(tr("w.lr"), with_value(lr_choices, st.session_state.get(prefix + "lr", default_lr)),
                                 key=prefix + "lr", format_func=lambda v: f"{v:g}")
    return optimizer, float(lr)


def uploader_in_reader_language(container, key: str, mb: int, kinds: str) -> None:
    """Streamlit's file uploader says "Upload" and "<n>MB per file • CSV" in English only: in another
    language the page writes both in the reader's language over the hidden English (CSS content)."""
    if lang() == DEFAULT_LANGUAGE:
        return
    zone = f'.{css_class(key)} [data-testid="stFileUploaderDropzone"]'
    button, limit = json.dumps(tr("upload.button")), json.dumps(tr("upload.limit", mb=mb, kinds=kinds))
    container.html(f"<style>{zone} button p {{ font-size: 0; }} {zone} button p::after {{ content: {button}; "
                   f"font-size: 0.875rem; }} {zone} [data-testid=\"stFileUploaderDropzoneInstructions\"] span "
                   f"{{ font-size: 0; }} {zone} [data-testid=\"stFileUploaderDropzoneInstructions\"] span::after "
                   f"{{ content: {limit}; font-size: 0.75rem; }}</style>")
