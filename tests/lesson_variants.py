"""The band of conditions a lesson's promise must hold over: seeds 0-4 at the lesson's settings, and
its opening seed with the initial weights perturbed by a relative 1e-6 (another CPU's rounding moves
a long trajectory about as much). A lesson's text may promise only what holds over these variants.

A perturbation multiplies each parameter element in place by 1 + 1e-6·N(0, 1), drawn from its own
generator, before any step: every engine (autograd, the torch fast path, the numpy fast path, which
reads the torch parameters' memory) then starts from the perturbed weights.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

SEEDS = (0, 1, 2, 3, 4)
PERTURBATIONS = (1, 2, 3)  # generator seeds of the perturbation draws
RELATIVE = 1e-6


@dataclass(frozen=True)
class Variant:
    seed: int
    perturbation: int | None = None  # None: the weights the seed draws

    @property
    def id(self) -> str:
        return f"seed{self.seed}" if self.perturbation is None else f"seed{self.seed}-perturbed{self.perturbation}"


def variants(opening_seed: int = 0) -> tuple[Variant, ...]:
    return tuple(Variant(s) for s in SEEDS) + tuple(Variant(opening_seed, d) for d in PERTURBATIONS)


VARIANTS = variants()


def perturb_(model: torch.nn.Module, draw: int, relative: float = RELATIVE) -> None:
    """Each parameter element times 1 + relative·N(0, 1), in place (the same memory: views stay valid)."""
    g = torch.Generator().manual_seed(draw)
    with torch.no_grad():
        for p in model.parameters():
            noise = torch.randn(p.shape, generator=g, dtype=torch.float64)
            p.mul_((1.0 + relative * noise).to(p.dtype))


def apply(variant: Variant, runs) -> None:
    """Perturb the variant's runs before their first step (every run the same draw, so runs that shared
    their initial weights still share them). `runs`: objects with .trainer (2D, regression, Compare)."""
    if variant.perturbation is None:
        return
    for run in runs:
        assert run.trainer.steps == 0, "perturb before any step"
        perturb_(run.trainer.model, variant.perturbation)
        for member in getattr(run, "band", ()):  # a regression run's quantile band
            perturb_(member.trainer.model, variant.perturbation)
        run.trainer.forget_logits()


# ---- through the page (AppTest): a variant is the lesson with its seed widget set (as a link's seed=k
# would set it), a fresh run (the page's Reset), then the perturbation before the first step ----
SEED_WIDGET = {"2d": "w2d.seed", "compare": "cmp.2d.seed", "compare.mnist": "cmp.mnist.seed", "regression": "wr.seed"}
RESET_BUTTON = {"2d": "p2d.reset_button", "compare": "cmp.reset_button", "regression": "reg.reset_button"}


def page_runs(at, page: str) -> list:
    ss = at.session_state
    return list(ss["cmp.run"]["runs"]) if page == "compare" else [ss["p2d.run" if page == "2d" else "reg.run"]]


def start_variant(at, page: str, variant: Variant, kind: str = "2d") -> list:
    """The open lesson's page at the variant's seed, its runs fresh (step 0) and perturbed: its runs.
    kind: the Compare page's kind of runs ("2d" or "mnist")."""
    seed = at.number_input(key=SEED_WIDGET[f"compare.{kind}" if page == "compare" and kind != "2d" else page])
    if seed.value != variant.seed:
        seed.set_value(variant.seed).run()  # another seed: the page builds fresh runs
        assert not at.exception, [e.value for e in at.exception]
    if variant.perturbation is not None or any(r.trainer.steps or r.trainer.diverged or r.config.seed != variant.seed
                                               for r in page_runs(at, page)):
        at.button(key=RESET_BUTTON[page]).click().run()  # the same seed again: a fresh run
    runs = page_runs(at, page)
    assert all(r.config.seed == variant.seed and r.trainer.steps == 0 for r in runs), variant
    apply(variant, runs)
    return runs


def train(page: str, runs: list, steps: int, per_frame: int = 100) -> None:
    """`steps` optimizer steps with the page's own advance function, frame by frame without a time
    budget (the same on any machine; the frame size does not change the trajectory)."""
    if page == "regression":
        from core.runs import advance
        (run,) = runs
        done = 0
        while done < steps:
            done += advance(run, min(per_frame, steps - done))
            if run.trainer.diverged is not None:
                return
        return
    from core.runs import advance_lockstep
    done = 0
    while done < steps and all(r.trainer.diverged is None for r in runs):
        done += advance_lockstep(runs, min(per_frame, steps - done), seconds=None)
