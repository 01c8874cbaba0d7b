"""Where pages look for MNIST files (shared by the MNIST and comparison pages)."""
from __future__ import annotations

import os

from core.mnist_data import load


def extra_dirs() -> list[str]:
    """PLAYGROUND_EXTRA_DATA_DIRS: folders already holding the .gz files (read in place, never copied)."""
    return [d for d in os.environ.get("PLAYGROUND_EXTRA_DATA_DIRS", "").split(os.pathsep) if d]


def load_for_page(name: str):
    return load(name, extra_dirs=extra_dirs())
