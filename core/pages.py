"""The page registry: one entry per page. Navigation, links, lessons, run files and history all
read it, so adding a page is its script, its entry here and its strings (core/i18n.py).

Pure data: titles and blurbs are i18n keys, translated where they are shown.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    key: str            # stable id used in lessons, run files and history ("2d", "mnist", ...)
    script: str         # relative to the app folder
    url_path: str       # the address a link uses; never translated, so links stay valid
    icon: str           # a Material Symbol (":material/<name>:"): drawn without an emoji font
    state: str | None = None     # session-state prefix of a page with runs ("p2d" -> "p2d.playing", ...)
    run_key: str | None = None   # session key of its live run(s): dropped when a lesson or file resets it
    # title: f"nav.{key}", one-line blurb: f"home.page.{key}" (i18n keys)

    @property
    def title_key(self) -> str:
        return f"nav.{self.key}"

    @property
    def blurb_key(self) -> str:
        return f"home.page.{self.key}"

    @property
    def has_runs(self) -> bool:
        """A page whose runs have settings (a URL config), a history record and a run file."""
        return self.state is not None


PAGES: tuple[PageInfo, ...] = (
    PageInfo("home", "pages/home.py", "", ":material/home:"),
    PageInfo("2d", "pages/1_playground_2d.py", "playground_2d", ":material/scatter_plot:", state="p2d", run_key="p2d.run"),
    PageInfo("mnist", "pages/2_mnist.py", "mnist", ":material/pin:", state="mn", run_key="mn.run"),
    PageInfo("compare", "pages/3_compare.py", "compare", ":material/compare:", state="cmp", run_key="cmp.state"),
    PageInfo("regression", "pages/6_regression.py", "regression", ":material/show_chart:", state="reg", run_key="reg.run"),
    PageInfo("lab", "pages/5_loss_lab.py", "loss_lab", ":material/science:"),
    PageInfo("runs", "pages/4_runs.py", "runs", ":material/history:"),
)

RUN_PAGES: tuple[str, ...] = tuple(p.key for p in PAGES if p.has_runs)  # pages a run file may name


def page(key: str) -> PageInfo:
    for p in PAGES:
        if p.key == key:
            return p
    raise KeyError(key)
