"""Where pages look for MNIST files (shared by the MNIST and comparison pages)."""
from __future__ import annotations

import os

from pathlib import Path

from core.data.mnist_data import data_root, load, raw_subfolder

APP_FOLDER = Path(__file__).resolve().parents[1]


def extra_dirs() -> list[str]:
    """PLAYGROUND_EXTRA_DATA_DIRS: folders already holding the .gz files (read in place, never copied)."""
    return [d for d in os.environ.get("PLAYGROUND_EXTRA_DATA_DIRS", "").split(os.pathsep) if d]


def load_for_page(name: str):
    return load(name, extra_dirs=extra_dirs())


def data_folder_note(name: str) -> tuple[str, str]:
    """(i18n key, folder) of the note saying where `name`'s files go: the folder the app reads, relative to
    the app's folder (where app.py is) when inside it, else under the variable that names it; never a
    server path (the server's layout stays private, core/data/mnist_data.py)."""
    root = data_root().resolve()
    try:
        return "mn.data_folder", f"./{(root / raw_subfolder(name)).relative_to(APP_FOLDER).as_posix()}"
    except ValueError:
        return "mn.data_folder_env", f"$PLAYGROUND_DATA_DIR/{raw_subfolder(name)}"
