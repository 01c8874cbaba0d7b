"""A Streamlit 1.67 client that acts like one browser tab, without a browser (bench/bench_classroom.py,
tests/test_sessions.py).

    async with StreamlitSession("http://127.0.0.1:8501", "playground_2d") as s:
        await s.open_page()                      # the page's first script run, to its end
        await s.press("p2d.play_button")         # a button, found by its widget key
        await s.wait_for(lambda: len(s.frames) >= 10, 30)

The protocol, as the frontend speaks it: `GET /_stcore/health` sets the `_streamlit_xsrf` cookie (and a
load balancer's sticky cookie such as SERVERID: every cookie is kept and sent back); the websocket
`/_stcore/stream` takes the subprotocols `streamlit, <xsrf cookie>[, <session id to resume>]`; a
`BackMsg.rerun_script` (ClientState: page name or page script hash, query string, widget states) runs
the page; the server answers with ForwardMsgs (new_session starts a run, deltas are elements,
script_finished ends it). Every wait here is bounded in time.

With keep_widget_states=True the client also keeps the widget states as the frontend's widget manager
does, and sends them all with every rerun (WidgetStates): a widget first shown takes the value the server
set (set_value) or else its proto default, keeps what it holds while the server draws it again, and is
forgotten when a run finishes successfully without it. `choose` changes a widget as a click would, and a
rerun sent with seen=False plays a run whose deltas never reach the browser (a newer click interrupted it,
and Streamlit drops the queued, unsent deltas of an interrupted run).
"""
from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

LIVE_ID = "boundary-live"  # the 2D page's live view
_STEP = re.compile(r'data-step="(\d+)"')
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY: "ok", ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile_error",
            ForwardMsg.FINISHED_EARLY_FOR_RERUN: "rerun", ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment"}


class ProtocolError(RuntimeError):
    """The server did not answer as a Streamlit app should (closed socket, page not found, exception)."""


def live_frame(element, live_id: str = LIVE_ID) -> tuple[bool, int | None, str]:
    """Is this element a live frame of `live_id`? -> (is_frame, step or None, its status text).

    The one place to adapt when the live view changes. Understood: st.html whose body holds
    id="boundary-live" and the counter's data-step="N"; a st.components.v2 element whose JSON data
    names the canvas, as {"element_id": id, "step": N} or {"before": status html, "panels": [{"id": id,
    "frame": {"step": N}}]} (ui/live_view.py)."""
    kind = element.WhichOneof("type")
    if kind == "html":
        body = element.html.body
        if f'id="{live_id}"' not in body:
            return False, None, ""
        return True, _html_step(body), _text(body)
    if kind == "bidi_component":
        c = element.bidi_component
        raw = c.json or (c.mixed.json if c.HasField("mixed") else "")
        if live_id not in raw:
            return False, None, ""
        try:
            data = json.loads(raw)
        except ValueError:
            return False, None, ""
        if not isinstance(data, dict):
            return False, None, ""
        before = str(data.get("before", ""))
        if data.get("element_id") == live_id:
            return True, _number(data.get("step"), _html_step(before)), str(data.get("status", "")) or _text(before)
        for p in data.get("panels") or ():
            if isinstance(p, dict) and p.get("id") == live_id:
                frame = p.get("frame") if isinstance(p.get("frame"), dict) else {}
                return True, _number(frame.get("step"), _html_step(before)), _text(before)
    return False, None, ""


def _html_step(html: str) -> int | None:
    m = _STEP.search(html)
    return int(m.group(1)) if m else None


def _number(value, fallback: int | None) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else fallback


def _text(html: str) -> str:
    """The visible text of a small html fragment (the status line), images dropped."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", re.sub(r'src="[^"]*"', "", html))).strip()


def widget_value(kind: str, w) -> tuple[str, object] | None:
    """The value a browser keeps for this widget element: (WidgetState field, value), or None for
    widgets without a kept value (buttons). The server's value (set_value) wins over the proto default."""
    if kind in ("selectbox", "radio"):
        if w.set_value:
            return ("string_value", w.raw_value) if w.HasField("raw_value") else None
        return ("string_value", w.options[w.default]) if w.HasField("default") and w.options else None
    if kind == "multiselect":
        return "string_array_value", list(w.raw_values if w.set_value else (w.options[i] for i in w.default))
    if kind == "slider":
        if w.type == Slider.SELECT_SLIDER:
            return "string_array_value", list(w.raw_value if w.set_value else (w.options[int(i)] for i in w.default))
        return "double_array_value", list(w.value if w.set_value else w.default)
    if kind == "checkbox":
        return "bool_value", bool(w.value if w.set_value else w.default)
    if kind == "number_input":
        field_ = "int_value" if w.data_type == NumberInput.INT else "double_value"
        source = "value" if w.set_value else "default"
        if not w.HasField(source):
            return None
        number = getattr(w, source)
        return field_, int(number) if field_ == "int_value" else float(number)
    if kind == "text_input":
        source = "value" if w.set_value else "default"
        return ("string_value", getattr(w, source)) if w.HasField(source) else None
    return None


def widget_state(wid: str, field_: str, value) -> WidgetState:
    state = WidgetState(id=wid)
    if field_ in ("string_array_value", "double_array_value"):
        getattr(state, field_).data.extend(value)
    else:
        setattr(state, field_, value)
    return state


@dataclass
class Frame:
    t: float            # time.monotonic() on arrival
    step: int | None    # the optimizer step the frame shows
    text: str = ""      # its status line


@dataclass
class Run:
    """One script run as the client saw it."""
    started: float
    page_script_hash: str
    finished: float | None = None
    status: str | None = None
    run_id: str = ""


@dataclass
class StreamlitSession:
    base_url: str                 # http://127.0.0.1:8501 (a load balancer's address is fine)
    page: str = ""                # the page's url path ("playground_2d"); "" is the main page
    query: str = ""               # the link's query string, without "?"
    detector: object = live_frame
    open_timeout: float = 30.0
    frames: list[Frame] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # exceptions shown, page not found, ...
    widgets: dict[str, str] = field(default_factory=dict)  # widget id -> element type
    keep_widget_states: bool = False  # send every widget's state with each rerun, as a browser does
    states: dict[str, tuple[str, object]] = field(default_factory=dict)  # widget id -> (field, value) kept
    elements: dict[str, object] = field(default_factory=dict)  # widget id -> its last proto (seen runs)
    session_id: str = ""
    page_script_hash: str = ""
    script_running: bool = False
    closed: bool = False

    def __post_init__(self):
        self._jar = http.cookiejar.CookieJar()
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Condition()
        self.messages = 0
        self.bytes_in = 0
        self._unseen_runs = 0  # runs still to start whose deltas the browser never gets
        self._run_seen = True
        self._shown_this_run: set[str] = set()

    # ---- connection ----
    async def connect(self, resume_session: str | None = None) -> None:
        """Health check (cookies), then the websocket; resume_session: reconnect to that session id."""
        await asyncio.wait_for(asyncio.to_thread(self._health), self.open_timeout)
        xsrf = next((c.value for c in self._jar if c.name == "_streamlit_xsrf"), "")
        protocols = ["streamlit", xsrf or "x"] + ([resume_session] if resume_session else [])
        parts = urllib.parse.urlsplit(self.base_url)
        ws_url = urllib.parse.urlunsplit(("wss" if parts.scheme == "https" else "ws", parts.netloc,
                                          parts.path.rstrip("/") + "/_stcore/stream", "", ""))
        headers = {"Origin": f"{parts.scheme}://{parts.netloc}"}
        cookie = "; ".join(f"{c.name}={c.value}" for c in self._jar)
        if cookie:
            headers["Cookie"] = cookie
        self._ws = await websockets.connect(ws_url, subprotocols=protocols, additional_headers=headers,
                                            max_size=None, open_timeout=self.open_timeout, ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    def _health(self) -> None:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self._jar))
        with opener.open(self.base_url.rstrip("/") + "/_stcore/health", timeout=self.open_timeout) as r:
            if r.status != 200:
                raise ProtocolError(f"health check answered {r.status}")

    async def close(self) -> None:
        """Close the websocket as a closed tab does; the server then stops the session's script."""
        self.closed = True
        if self._ws is not None:
            try:
                await asyncio.wait_for(self._ws.close(), 5)
            except (asyncio.TimeoutError, OSError, websockets.WebSocketException):
                pass
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass

    async def __aenter__(self):
        await self.connect()
        return self

    async def __aexit__(self, *exc):
        await self.close()

    # ---- what the browser sends ----
    async def open_page(self, wait: bool = True, timeout: float = 120.0) -> Run | None:
        """The page at self.page?self.query, as a browser's first load (or reload) asks for it;
        wait: until that run ends (not when the session was playing: its run lasts until Pause)."""
        return await self._rerun(page_name=self.page, wait=wait, timeout=timeout)

    async def rerun(self, wait: bool = True, timeout: float = 60.0, seen: bool = True) -> Run | None:
        """Run the page again with nothing changed (as a widget change that sets no new value)."""
        return await self._rerun(wait=wait, timeout=timeout, seen=seen)

    async def press(self, key: str, wait: bool = False, timeout: float = 60.0, seen: bool = True) -> Run | None:
        """Click the button whose widget key is `key` (rerun with trigger_value true).
        wait=True: until that run finishes (not for Play, whose run lasts until Pause)."""
        return await self._rerun(triggers=[self.widget_id(key)], wait=wait, timeout=timeout, seen=seen)

    async def choose(self, key: str, label, wait: bool = True, timeout: float = 60.0, seen: bool = True):
        """Pick an option of the widget keyed `key` by its displayed label (a list for a select-slider or
        multiselect), or set a plain widget's value, as a click does: the rerun carries every kept state.
        seen=False: that run's deltas never reach this browser."""
        wid = self.widget_id(key)
        kept = widget_value(self.widgets[wid], self.elements[wid]) if wid not in self.states else self.states[wid]
        if kept is None:
            raise ProtocolError(f"widget {key!r} keeps no value")
        self.states[wid] = (kept[0], list(label) if isinstance(label, (list, tuple)) else label)
        return await self._rerun(wait=wait, timeout=timeout, seen=seen)

    def state_of(self, key: str):
        """The value this browser holds for the widget keyed `key` (labels for option widgets)."""
        return self.states[self.widget_id(key)][1]

    def widget_id(self, key: str) -> str:
        """A widget's id ends with its user key ("$$ID-<hash>-p2d.play_button")."""
        found = [w for w in self.widgets if w.endswith("-" + key)]
        if len(found) != 1:
            raise ProtocolError(f"widget {key!r}: {len(found)} matches among {len(self.widgets)} widgets")
        return found[0]

    async def _rerun(self, page_name: str = "", triggers=(), wait: bool = True, timeout: float = 60.0,
                     seen: bool = True):
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        if page_name or not self.page_script_hash:
            cs.page_name = page_name  # first load: the page by its address
        else:
            cs.page_script_hash = self.page_script_hash  # later reruns: the page shown
        if self.keep_widget_states:
            cs.widget_states.widgets.extend(widget_state(wid, *kept) for wid, kept in self.states.items()
                                            if wid not in triggers)
        for wid in triggers:
            w = cs.widget_states.widgets.add()
            w.id = wid
            w.trigger_value = True
        info = cs.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        info.url = f"{self.base_url.rstrip('/')}/{self.page}" + (f"?{self.query}" if self.query else "")
        before = len(self.runs)
        if not seen:
            self._unseen_runs += 1
        await self._send(msg)
        if not wait:
            return None
        await self.wait_for(lambda: len(self.runs) > before and self.runs[-1].finished is not None, timeout,
                            "the script run to finish")
        return self.runs[-1]

    async def _send(self, msg: BackMsg) -> None:
        if self._ws is None or self.closed:
            raise ProtocolError("not connected")
        self.last_sent = time.monotonic()
        await asyncio.wait_for(self._ws.send(msg.SerializeToString()), 10)

    # ---- what the server sends ----
    async def _read(self) -> None:
        try:
            async for data in self._ws:
                self.bytes_in += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg, time.monotonic())
                async with self._changed:
                    self._changed.notify_all()
        except websockets.ConnectionClosed as err:
            if not self.closed:
                self.errors.append(f"websocket closed by the server: {err}")
        finally:
            self.closed = True
            async with self._changed:
                self._changed.notify_all()

    def _handle(self, msg: ForwardMsg, now: float) -> None:
        self.messages += 1
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            ns = msg.new_session
            if self.runs and self.runs[-1].finished is None:  # a rerun request ended it without a script_finished
                self.runs[-1].finished, self.runs[-1].status = now, "interrupted"
            self.page_script_hash = ns.page_script_hash  # the main script's under st.navigation
            self.session_id = ns.initialize.session_id or self.session_id
            self.runs.append(Run(now, ns.page_script_hash, run_id=msg.metadata.run.script_run_id))
            self.script_running = True
            self._run_seen = self._unseen_runs == 0
            self._unseen_runs = max(0, self._unseen_runs - 1)
            self._shown_this_run = set()
        elif kind == "script_finished":
            rid = msg.metadata.run.script_run_id
            run = next((r for r in reversed(self.runs) if r.run_id == rid), self.runs[-1] if self.runs else None)
            if run is not None and (run.finished is None or run.status == "interrupted"):
                run.finished = run.finished or now
                run.status = FINISHED.get(msg.script_finished, str(msg.script_finished))
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.errors.append("script compile error")
            if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY and self._run_seen:
                # The frontend drops the stale elements, and the widget states of widgets no longer shown.
                self.states = {w: v for w, v in self.states.items() if w in self._shown_this_run}
        elif kind == "session_status_changed":
            self.script_running = msg.session_status_changed.script_is_running
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_script_hash = msg.navigation.page_script_hash  # st.navigation: the page shown
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string  # the app rewrote the address bar
        elif kind == "page_not_found":
            self.errors.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            et = el.WhichOneof("type")
            if et == "exception":
                self.errors.append(f"exception on the page: {el.exception.type}")
            wid = getattr(getattr(el, et), "id", "") if et else ""
            if isinstance(wid, str) and wid.startswith("$$ID-") and self._run_seen:
                self.widgets[wid] = et
                self._keep(wid, et, getattr(el, et))
            is_frame, step, text = self.detector(el)
            if is_frame:
                self.frames.append(Frame(now, step, text))

    def _keep(self, wid: str, kind: str, proto) -> None:
        """The frontend's widget manager on a widget element: the server's value (set_value) wins, else
        the value already held for this id, else the proto's default (a widget shown for the first time)."""
        self.elements[wid] = proto
        self._shown_this_run.add(wid)
        if self.keep_widget_states and (getattr(proto, "set_value", False) or wid not in self.states):
            value = widget_value(kind, proto)
            if value is not None:
                self.states[wid] = value

    async def wait_for(self, predicate, timeout: float, what: str = "a condition") -> None:
        """Until predicate() holds; ProtocolError on timeout or when the socket closes first."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not predicate():
                if self.closed:
                    raise ProtocolError(f"connection closed while waiting for {what}; errors: {self.errors}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ProtocolError(f"timed out after {timeout:.0f} s waiting for {what}")
                try:
                    await asyncio.wait_for(self._changed.wait(), left)
                except asyncio.TimeoutError:
                    pass

    # ---- reading the page ----
    @property
    def cookies(self) -> dict[str, str]:
        """The cookies this tab holds (e.g. the load balancer's SERVERID: which worker serves it)."""
        return {c.name: c.value for c in self._jar}

    @property
    def step(self) -> int | None:
        return self.frames[-1].step if self.frames else None

    @property
    def status_text(self) -> str:
        return self.frames[-1].text if self.frames else ""
