"""What one page of one session may ask the shared server to compute and hold.

A live frame has FRAME_SECONDS of CPU (core/serving/pace.py); a training step cannot be split, so the
models a page trains in lockstep must do one step, and the evaluations every frame makes, within
ServerLimits.frame_seconds on a reference core, and hold at most ServerLimits.weights weights. The
cost of a step is estimated from the shapes alone (no model is built, no clock read): the same
settings are allowed or refused on every machine, by the widgets and by links alike. A GPU server trains MNIST on the GPU and allows more.

Reference core: one core of a 2-core AMD EPYC VM, torch on one thread. Each rate below was
measured there and rounded down, so the estimate errs towards refusing.
"""
from __future__ import annotations

from dataclasses import dataclass

MATMUL_MACS_PER_S = 25e9     # multiply-adds per second of a dense layer (forward or backward)
CONV_MACS_PER_S = 15e9       # ... of a convolution
UPDATE_S_PER_WEIGHT = 10e-9  # optimizer update, gradient zeroing, finiteness check
ACTIVATION_S_PER_UNIT = 3e-9  # a dense hidden unit's activation (tanh, ReLU...) for one row, forward
STEP_OVERHEAD_S = 4.5e-4     # torch's per-call cost of a small model's step (autograd, optimizer bookkeeping)
EVAL_OVERHEAD_S = 5e-4       # an evaluation's per-call cost (its metrics)
BACKWARD = 2                 # a backward pass costs about twice the forward


@dataclass(frozen=True)
class ServerLimits:
    device: str           # "cpu" or "gpu": what the messages name
    frame_seconds: float  # a frame's least work (Load.frame_seconds), estimated on the reference core
    weights: int          # weights of all the page's live models together


LIMITS = {"cpu": ServerLimits("cpu", 0.08, 4_000_000),
          "gpu": ServerLimits("gpu", 1.6, 16_000_000)}


def server_limits(device: str | None = None) -> ServerLimits:
    """The limits of this server: its GPU's when MNIST trains on one (core/learning/engines.py)."""
    if device is None:
        from core.learning.engines import training_device
        device = "gpu" if training_device().type == "cuda" else "cpu"
    return LIMITS[device]


@dataclass(frozen=True)
class NetShape:
    """What a model costs per sample: its weights and its forward pass's multiply-adds."""
    weights: int
    matmul_macs: int
    conv_macs: int = 0
    units: int = 0  # hidden units (one activation each per row)

    def forward_seconds(self, rows: int) -> float:
        return rows * (self.matmul_macs / MATMUL_MACS_PER_S + self.conv_macs / CONV_MACS_PER_S
                       + self.units * ACTIVATION_S_PER_UNIT)

    def step_seconds(self, batch: int) -> float:
        return (1 + BACKWARD) * self.forward_seconds(batch) + self.weights * UPDATE_S_PER_WEIGHT + STEP_OVERHEAD_S


def mlp_shape(sizes) -> NetShape:
    """Dense layers of sizes[0] -> ... -> sizes[-1] (biases included in the weights)."""
    sizes = [int(s) for s in sizes]
    macs = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return NetShape(macs + sum(sizes[1:]), macs, units=sum(sizes[1:-1]))


def cnn_shape(channels: tuple[int, int] = (16, 32), n_out: int = 10) -> NetShape:
    """core.learning.models.SmallCNN: 5×5 convolutions on 28×28 then 14×14 images, a dense layer on 7×7."""
    c1, c2 = channels
    conv1, conv2 = 28 * 28 * c1 * 25, 14 * 14 * c2 * c1 * 25
    dense = c2 * 7 * 7 * n_out
    weights = c1 * 26 + c2 * (c1 * 25 + 1) + dense + n_out
    return NetShape(weights, dense, conv1 + conv2)  # (the convolutions' rate includes their ReLU and pooling)


@dataclass(frozen=True)
class Load:
    """The models a page trains in lockstep, each with its batch (rows per step) and, where every frame
    also evaluates it, the rows it evaluates (0 where evaluations are spread over frames, as on MNIST)."""
    members: tuple  # ((NetShape, batch, evaluated rows per frame), ...)

    @property
    def weights(self) -> int:
        return sum(m[0].weights for m in self.members)

    @property
    def frame_seconds(self) -> float:
        """One frame's least work: a step of every model, and the evaluations every frame makes."""
        return sum(shape.step_seconds(batch) + (shape.forward_seconds(rows) + EVAL_OVERHEAD_S if rows else 0.0)
                   for shape, batch, rows in self.members)

    def capped(self, batch_cap: int) -> "Load":
        return Load(tuple((shape, min(batch, batch_cap), rows) for shape, batch, rows in self.members))

    def fits(self, limits: ServerLimits) -> bool:
        return self.weights <= limits.weights and self.frame_seconds <= limits.frame_seconds


def largest_batch_cap(load: Load, ticks, limits: ServerLimits) -> int | None:
    """The largest tick c such that every member's batch, capped at c, fits the limits; None when even
    the smallest does not (the models themselves are too big)."""
    fitting = [c for c in sorted(ticks) if load.capped(c).fits(limits)]
    return fitting[-1] if fitting else None


def fit_to_server(configs: list, ticks, warnings: list | None = None, limits: ServerLimits | None = None,
                  smaller_model=None) -> list:
    """The configs a page trains together (one, or a comparison's runs; each has load(), batch_size and
    replace()), made to fit this server: when their models hold too many weights, smaller_model(config)
    (if given) replaces them; then every batch is capped at the largest of `ticks` that fits. Each change
    is said in `warnings`, with what to lower."""
    from core.runs.config import Warning_
    limits = limits or server_limits()
    device = limits.device.upper()
    out = list(configs)

    def load_of(cs) -> Load:
        return Load(tuple(m for c in cs for m in c.load().members))
    load = load_of(out)
    if load.weights > limits.weights and smaller_model is not None:
        smaller = [smaller_model(c) for c in out]
        if smaller != out:
            if warnings is not None:
                warnings.append(Warning_("warn.heavy.model", {"weights": f"{load.weights:,}", "device": device,
                                                              "limit": f"{limits.weights:,}", "runs": len(out)}))
            out, load = smaller, load_of(smaller)
    if load.fits(limits):
        return out
    cap = largest_batch_cap(load, ticks, limits) or min(ticks)
    if any(c.batch_size > cap for c in out):
        if warnings is not None:
            warnings.append(Warning_("warn.heavy.batch", {"wanted": max(c.batch_size for c in out), "batch": cap,
                                                          "device": device, "ms": round(load.frame_seconds * 1000),
                                                          "limit": round(limits.frame_seconds * 1000)}))
        out = [c.replace(batch_size=min(c.batch_size, cap)) for c in out]
    return out
