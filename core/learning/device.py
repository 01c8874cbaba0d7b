"""Where the MNIST page trains: a CUDA GPU when the server has one, else the CPU; chosen once.

PLAYGROUND_DEVICE=cpu|cuda|auto (default auto) overrides it, e.g. to keep a shared GPU free.
The 2D pages always train on the CPU: their nets are tiny and each step is a few microseconds,
less than one GPU kernel launch.
"""
from __future__ import annotations

import functools
import os

import torch

CHOICES = ("auto", "cpu", "cuda")


def choose(asked: str, cuda_available: bool) -> torch.device:
    """The device for a setting: auto takes CUDA when present; cuda without a GPU falls back to the CPU."""
    asked = asked.strip().lower() if asked.strip().lower() in CHOICES else "auto"
    if asked == "cpu" or not cuda_available:
        return torch.device("cpu")
    return torch.device("cuda")


@functools.lru_cache(maxsize=1)
def training_device() -> torch.device:
    return choose(os.environ.get("PLAYGROUND_DEVICE", "auto"), torch.cuda.is_available())


def device_name(device: torch.device) -> str:
    """What the page shows: the GPU's own name, or "CPU"."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return "CPU"


def model_device(model: torch.nn.Module) -> torch.device:
    p = next(model.parameters(), None)
    return p.device if p is not None else torch.device("cpu")
