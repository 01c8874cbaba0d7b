"""The CNN's features (core/models.cnn_features): the last linear layer's input, recomputed by hand in numpy."""
from __future__ import annotations

import numpy as np
import torch
from numpy.lib.stride_tricks import sliding_window_view

from core.learning.models import build_model, cnn_features


def conv_relu_pool(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(C, H, H) -> (K, H/2, H/2): 5×5 convolution, zero padding 2, ReLU, 2×2 max pooling, written out."""
    padded = np.pad(x, ((0, 0), (2, 2), (2, 2)))
    windows = sliding_window_view(padded, (5, 5), axis=(1, 2))  # (C, H, H, 5, 5)
    out = np.einsum("chwij,kcij->khw", windows, W) + b[:, None, None]
    out = np.maximum(out, 0)
    K, H, _ = out.shape
    return out.reshape(K, H // 2, 2, H // 2, 2).max(axis=(2, 4))


def test_features_are_the_last_layers_input_by_hand():
    model = build_model("cnn", 784, 10, seed=3)
    X = torch.rand(5, 784, generator=torch.Generator().manual_seed(1))
    got = cnn_features(model, X, batch=2)  # 3 batches, the last one short
    assert got.shape == (5, 32 * 7 * 7) and not got.requires_grad
    p = {k: v.detach().double().numpy() for k, v in model.net.named_parameters()}
    for i, x in enumerate(X.double().numpy()):
        h = conv_relu_pool(x.reshape(1, 28, 28), p["conv1.weight"], p["conv1.bias"])
        h = conv_relu_pool(h, p["conv2.weight"], p["conv2.bias"])
        np.testing.assert_allclose(got[i].numpy(), h.reshape(-1), atol=1e-5)  # channel-major, as flatten(1)
    # and they are what the output layer reads: its logits from them are the model's
    logits = got.double().numpy() @ p["fc.weight"].T + p["fc.bias"]
    np.testing.assert_allclose(logits, model(X).detach().numpy(), atol=1e-5)


def test_features_keep_no_graph_and_any_batch_gives_the_same():
    model = build_model("cnn", 784, 10, seed=0)
    X = torch.rand(7, 784, generator=torch.Generator().manual_seed(2))
    one = cnn_features(model, X)
    assert one.grad_fn is None
    torch.testing.assert_close(cnn_features(model, X, batch=3), one, rtol=0, atol=1e-6)
