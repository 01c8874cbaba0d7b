"""Whether an MNIST-family data set is on this server (landing page badges, the MNIST page's offer)."""
from __future__ import annotations

from core.data.mnist_data import SPLITS, find_files
from ui.mnist_page_data import extra_dirs


def image_data_present(name: str) -> bool:
    """True when at least the test split's files are where the pages look (the pages can train on
    the test split alone). Existence only: a corrupt file is reported when the page loads it."""
    found = find_files(name, extra_dirs=extra_dirs()) or {}
    return all(f in found for f in SPLITS["test"])
