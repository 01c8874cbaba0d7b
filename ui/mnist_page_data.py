"""Where pages look for MNIST files (shared by the MNIST and comparison pages)."""
from __future__ import annotations

import os

from pathlib import Path

from core.mnist_data import data_root, load

APP_FOLDER = Path(__file__).resolve().parents[1]


def extra_dirs() -> list[str]:
    """PLAYGROUND_EXTRA_DATA_DIRS: folders already holding the .gz files (read in place, never copied)."""
    return [d for d in os.environ.get("PLAYGROUND_EXTRA_DATA_DIRS", "").split(os.pathsep) if d]


def load_for_page(name: str):
    return load(name, extra_dirs=extra_dirs())


def shown_data_folder() -> str:
    """The data folder as the page shows it: relative to the app (./data), never a server path."""
    root = data_root().resolve()
    try:
        return f"./{root.relative_to(APP_FOLDER)}"
    except ValueError:
        return "$PLAYGROUND_DATA_DIR"
