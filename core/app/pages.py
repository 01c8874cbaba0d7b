"""The page registry: one entry per page. Navigation, links, lessons, run files and history all
read it, so adding a page is its script, its entry here and its strings (core/i18n.py). A page's
identity lives only here: its key, script, address, icon, session prefix, settings and widget keys.

Pure data: titles and blurbs are i18n keys, translated where they are shown.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.runs.compare import CompareConfig
from core.runs.config import Playground2DConfig
from core.lessons.losslab_config import LossLabConfig
from core.runs.mnist_run import MnistConfig
from core.runs.regression_config import RegressionConfig


@dataclass(frozen=True)
class PageInfo:
    key: str            # stable id used in lessons, run files and history ("2d", "mnist", ...)
    script: str         # relative to the app folder
    url_path: str       # the address a link uses; never translated, so links stay valid
    icon: str           # a Material Symbol (":material/<name>:"): drawn without an emoji font
    state: str | None = None     # session-state prefix of a page with settings ("p2d" -> "p2d.config", ...)
    config: type | None = None   # its settings' URL schema (core/config.QueryConfig): what a link may set
    # session keys of its settings' widgets: widget_prefixes[0] + field; all of them, for hidden controls
    widget_prefixes: tuple[str, ...] = ()
    live: bool = False           # trains live: its run(s) under run_key, a history record and a run file
    # title: f"nav.{key}", one-line blurb: f"home.page.{key}" (i18n keys)

    @property
    def title_key(self) -> str:
        return f"nav.{self.key}"

    @property
    def blurb_key(self) -> str:
        return f"home.page.{self.key}"

    @property
    def run_key(self) -> str | None:
        """Session key of its live run(s): dropped when a lesson or a file resets it."""
        return f"{self.state}.run" if self.live else None

    @property
    def widget_prefix(self) -> str:
        return self.widget_prefixes[0]


PAGES: tuple[PageInfo, ...] = (
    PageInfo("home", "pages/home.py", "", ":material/home:"),
    PageInfo("2d", "pages/1_playground_2d.py", "playground_2d", ":material/scatter_plot:", state="p2d",
             config=Playground2DConfig, widget_prefixes=("w2d.",), live=True),
    PageInfo("mnist", "pages/2_mnist.py", "mnist", ":material/pin:", state="mn", config=MnistConfig,
             widget_prefixes=("wm.",), live=True),
    PageInfo("compare", "pages/3_compare.py", "compare", ":material/compare:", state="cmp", config=CompareConfig,
             widget_prefixes=("cmp.", "cmp.2d.", "cmp.mnist.", "cmp.regression.", *(f"cmp.r{i}." for i in range(1, 5)),
                              *(f"cmp.reg.r{i}." for i in range(1, 5))), live=True),
    PageInfo("regression", "pages/6_regression.py", "regression", ":material/show_chart:", state="reg",
             config=RegressionConfig, widget_prefixes=("wr.",), live=True),
    PageInfo("lab", "pages/5_loss_lab.py", "loss_lab", ":material/science:", state="lab", config=LossLabConfig,
             widget_prefixes=("lab.",)),
    PageInfo("runs", "pages/4_runs.py", "runs", ":material/history:"),
)

RUN_PAGES: tuple[str, ...] = tuple(p.key for p in PAGES if p.live)  # pages a run file may name


def page(key: str) -> PageInfo:
    for p in PAGES:
        if p.key == key:
            return p
    raise KeyError(key)


def page_of_state(state: str) -> PageInfo:
    return next(p for p in PAGES if p.state == state)
