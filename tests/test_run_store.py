"""core/app/run_store.py: the session's run store."""
import math
import time

import torch

from core.app.run_store import RunRecord, RunStore
from core.learning.trainer import METRICS, History


def history(*points) -> History:
    h = History()
    for step, value in points:
        h.step.append(step)
        h.epoch.append(step / 10)
        for m in METRICS:
            h.values[m].append(value)
    return h


def add(store, page="2d", title="t", params=None, h=None, model=None):
    return store.add(page, title, params or {"lr": "0.1"}, h if h is not None else History(), model)


def test_add_get_and_fields():
    store = RunStore()
    h, model = history((0, 1.0)), torch.nn.Linear(2, 1)
    t0 = time.time()
    r = store.add("mnist", "MNIST · CE", {"loss": "cross_entropy"}, h, model)
    assert isinstance(r, RunRecord)
    assert (r.id, r.page, r.title, r.params) == (1, "mnist", "MNIST · CE", {"loss": "cross_entropy"})
    assert r.history is h  # the live history: it grows while the run trains
    # weights, not the model: the same tensors while the run lives (no copy), without grad
    assert set(r.weights) == {"weight", "bias"} and r.live
    assert all(w.data_ptr() == p.data_ptr() and not w.requires_grad
               for w, p in zip(r.weights.values(), model.parameters()))
    assert t0 - 1 <= r.created <= time.time() + 1
    assert store.get(1) is r
    assert store.get(2) is None and store.get("1") is None
    assert len(store) == 1


def test_params_are_copied_at_add():
    params = {"lr": "0.1"}
    r = add(RunStore(), params=params)
    params["lr"] = "9"
    assert r.params == {"lr": "0.1"}


def test_list_is_newest_first_and_filters_by_page():
    store = RunStore()
    a = add(store, page="2d")
    b = add(store, page="mnist")
    c = add(store, page="2d")
    d = add(store, page="compare")
    assert store.list() == [d, c, b, a]
    assert store.list("2d") == [c, a]
    assert store.list("mnist") == [b]
    assert store.list("nothing") == []


def test_delete():
    store = RunStore()
    a, b = add(store), add(store)
    assert store.delete(a.id) is True
    assert store.delete(a.id) is False
    assert store.delete(999) is False
    assert store.get(a.id) is None and store.list() == [b] and len(store) == 1


def test_limit_drops_the_oldest():
    store = RunStore(limit=3)
    records = [add(store, title=str(i)) for i in range(5)]
    assert len(store) == 3
    assert store.list() == records[:1:-1]  # 4, 3, 2
    assert store.get(records[0].id) is None and store.get(records[1].id) is None


def test_ids_are_never_reused():
    store = RunStore(limit=2)
    seen = []
    for i in range(6):
        r = add(store)
        seen.append(r.id)
        if i % 2:
            store.delete(r.id)  # deleting the newest must not free its id
    assert seen == sorted(set(seen)) == list(range(1, 7))
    store.delete(seen[-2])
    assert add(store).id == 7


def test_find_live_uses_identity_not_equality():
    store = RunStore()
    h1, h2 = history((0, 0.5)), history((0, 0.5))
    assert h1 == h2  # equal contents ...
    r1, r2 = add(store, h=h1), add(store, h=h2)
    assert store.find_live(h1) is r1  # ... but each run is found by its own object
    assert store.find_live(h2) is r2
    assert store.find_live(history((0, 0.5))) is None
    store.delete(r1.id)
    assert store.find_live(h1) is None


def test_final_values_and_live_growth():
    h = History()
    r = add(RunStore(), h=h)
    assert set(r.final()) == set(METRICS)
    assert all(math.isnan(v) for v in r.final().values())
    h.step.append(0)
    h.epoch.append(0.0)
    for i, m in enumerate(METRICS):
        h.values[m].append(i / 10)
    h.step.append(5)
    h.epoch.append(0.5)
    for i, m in enumerate(METRICS):
        h.values[m].append(1 + i)
    assert r.final() == {m: 1 + i for i, m in enumerate(METRICS)}  # follows the live history
    h.values["train_acc_flipped"][-1] = float("nan")
    assert math.isnan(r.final()["train_acc_flipped"])
