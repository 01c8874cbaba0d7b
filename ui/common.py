"""Language, translated text, URL sync and the live image element shared by every page."""
from __future__ import annotations

import base64
from typing import Iterable

import streamlit as st

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def tr(key: str, **fields) -> str:
    return t(key, lang(), **fields)


def init_language() -> None:
    """The ?lang= URL param wins on first load; afterwards the sidebar switch does."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state.lang = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> None:
    names = {"en": "English", "zh": "中文"}
    st.sidebar.radio(t("app.language", lang()), LANGUAGES, key="lang",
                     format_func=names.get, horizontal=True)


def show_url_warnings(warnings: Iterable) -> None:
    for w in warnings:
        st.warning(tr(w.code, **w.fields), icon="⚠️")


def sync_query_params(params: dict[str, str]) -> None:
    """Keep the address bar equal to the current config (plus language), so any moment is a shareable link."""
    wanted = {**params, "lang": lang()}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def live_image(placeholder, jpeg: bytes, element_id: str, caption: str = "") -> None:
    """Show an image inline as a data URI.

    st.image would store every frame in the media file manager until the script
    run ends, and a playing loop is one long run: memory would grow without bound.
    """
    data = base64.b64encode(jpeg).decode("ascii")
    cap = f'<div class="live-caption">{caption}</div>' if caption else ""
    placeholder.html(f'<img id="{element_id}" src="data:image/jpeg;base64,{data}" '
                     f'style="max-width:100%;height:auto;display:block"/>{cap}')
