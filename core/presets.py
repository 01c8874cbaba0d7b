"""Classroom lessons: one click opens a page with ready-made settings (URL params of that page)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    key: str
    page: str       # "2d" | "mnist" | "compare"
    params: dict    # the page's URL params
    # title and two-sentence text: i18n keys f"preset.{key}.title" / f"preset.{key}.text"


PRESETS: tuple[Preset, ...] = (
    Preset("mse_vs_ce", "compare", {
        "kind": "2d", "runs": "2", "dataset": "moons", "model": "mlp", "depth": "2", "width": "16",
        "optimizer": "sgd", "lr": "0.3", "batch_size": "16",
        "r1.loss": "cross_entropy", "r2.loss": "brier"}),
    Preset("noise_ce_vs_gce", "compare", {
        "kind": "2d", "runs": "2", "dataset": "moons", "n_samples": "400", "noise_kind": "symmetric",
        "noise_rate": "0.35", "model": "mlp", "depth": "3", "width": "48", "optimizer": "adam", "lr": "0.01",
        "batch_size": "16", "speed": "fast", "r1.loss": "cross_entropy", "r2.loss": "gce", "r2.loss.q": "0.7"}),
    Preset("exp_vs_logistic", "compare", {
        "kind": "2d", "runs": "2", "dataset": "blobs", "noise_kind": "symmetric", "noise_rate": "0.15",
        "model": "logistic", "optimizer": "sgd", "lr": "0.1", "batch_size": "16",
        "r1.loss": "cross_entropy", "r2.loss": "exponential"}),
    Preset("lr_too_high", "2d", {
        "dataset": "blobs", "model": "mlp", "depth": "2", "width": "16", "loss": "exponential",
        "optimizer": "sgd", "lr": "30.0", "batch_size": "16"}),
    Preset("smoothing_calibration", "compare", {
        "kind": "mnist", "runs": "2", "dataset": "mnist", "n_train": "5000", "model": "mlp",
        "optimizer": "adam", "lr": "0.001", "batch_size": "128",
        "r1.loss": "cross_entropy", "r2.loss": "label_smoothing", "r2.loss.eps": "0.1"}),
    Preset("l2_vs_adamw", "compare", {
        "kind": "2d", "runs": "2", "dataset": "spiral", "model": "mlp", "depth": "2", "width": "32",
        "lr": "0.01", "batch_size": "16", "weight_decay": "0.01",
        "r1.optimizer": "adam", "r1.wd_mode": "l2", "r2.optimizer": "adamw"}),
    Preset("relu_pieces", "2d", {
        "dataset": "circles", "model": "mlp", "depth": "1", "width": "6", "activation": "relu",
        "loss": "cross_entropy", "optimizer": "adam", "lr": "0.03", "batch_size": "16"}),
    Preset("logistic_line", "2d", {
        "dataset": "exam", "input_noise": "6.0", "model": "logistic", "loss": "cross_entropy",
        "optimizer": "sgd", "lr": "0.3", "batch_size": "16"}),
)


def preset(key: str) -> Preset:
    for p in PRESETS:
        if p.key == key:
            return p
    raise KeyError(key)
