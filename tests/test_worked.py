"""The Loss lab's worked examples (core/lessons/worked.py): hand-checked numbers and every refusal."""
import math

import pytest
import torch
import torch.nn.functional as F

from core.i18n import UserFacingError
from core.lessons.worked import (CLASSIFICATION_LABELS, CLASSIFICATION_PROBS, REGRESSION_PRED, REGRESSION_TRUE,
                         classification, regression)

CLS_ROWS = [[*p, y] for p, y in zip(CLASSIFICATION_PROBS, CLASSIFICATION_LABELS)]


def refused(code, fn, rows, **fields):
    with pytest.raises(UserFacingError) as err:
        fn(rows)
    assert err.value.code == code
    for name, value in fields.items():
        assert err.value.fields[name] == value
    return err.value


def test_regression_example():
    result = regression(zip(REGRESSION_TRUE, REGRESSION_PRED))
    # errors 0.2, −0.2, −0.1, −0.2, −0.1: squares sum to 0.14, absolutes to 0.8
    assert result.mse == pytest.approx(0.028, abs=1e-12)
    assert result.half_mse == pytest.approx(0.014, abs=1e-12)
    assert result.mae == pytest.approx(0.16, abs=1e-12)
    assert [round(r.error, 10) for r in result.rows] == [0.2, -0.2, -0.1, -0.2, -0.1]
    assert [round(r.squared, 10) for r in result.rows] == [0.04, 0.04, 0.01, 0.04, 0.01]
    assert [round(r.absolute, 10) for r in result.rows] == [0.2, 0.2, 0.1, 0.2, 0.1]


def test_classification_example():
    result = classification(CLS_ROWS)
    assert result.mean_ce == pytest.approx((-math.log(0.8) - math.log(0.7)) / 2, abs=1e-12)
    assert round(result.mean_ce, 4) == 0.2899
    assert [r.ce for r in result.rows] == pytest.approx([-math.log(0.8), -math.log(0.7)], abs=1e-12)
    # the mistake: softmax of (0.2, 0.8) puts σ(0.6) on class 1; of (0.7, 0.3), σ(0.4) on class 0
    wrong = [math.log(1 + math.exp(-0.6)), math.log(1 + math.exp(-0.4))]
    assert [r.ce_as_logits for r in result.rows] == pytest.approx(wrong, abs=1e-12)
    assert result.ce_probs_as_logits == pytest.approx(sum(wrong) / 2, abs=1e-12)
    assert round(result.ce_probs_as_logits, 4) == 0.4753
    probs = torch.tensor(CLASSIFICATION_PROBS)
    assert result.ce_probs_as_logits == pytest.approx(F.cross_entropy(probs, torch.tensor([1, 0])).item(), abs=1e-6)


def test_cells_as_typed_text_and_three_classes():
    result = regression([[" 1 ", "1.5"], ["2", 2]])
    assert result.mse == pytest.approx(0.125) and result.mae == pytest.approx(0.25)
    three = classification([[0.2, 0.3, 0.5, 2], ["0.6", "0.4", "0", "0"]])
    assert three.mean_ce == pytest.approx((-math.log(0.5) - math.log(0.6)) / 2)


def test_a_zero_probability_on_the_label_is_infinite_loss_not_nan():
    result = classification([[1.0, 0.0, 1]])
    assert math.isinf(result.mean_ce) and result.mean_ce > 0
    assert math.isfinite(result.ce_probs_as_logits)


def test_refusals():
    nan = float("nan")
    refused("err.lab.no_rows", regression, [])
    refused("err.lab.empty_row", regression, [[1, 2], [None, nan]], row=2)
    refused("err.lab.empty_row", classification, [[None, " ", None]], row=1)
    refused("err.lab.empty_cell", regression, [[1, 2], [3, None]], row=2)
    refused("err.lab.not_a_number", regression, [[1, "two"]], row=1, value="two")
    refused("err.lab.not_a_number", regression, [[1, "inf"]], row=1)
    refused("err.lab.not_a_number", regression, [[1, True]], row=1)
    refused("err.lab.prob_range", classification, [[0.2, 0.8, 1], [1.2, -0.2, 0]], row=2, value="1.2")
    refused("err.lab.prob_sum", classification, [[0.2, 0.7, 1]], row=1, total="0.9")
    refused("err.lab.label", classification, [[0.2, 0.8, 2]], row=1, value="2", top=1)
    refused("err.lab.label", classification, [[0.2, 0.8, 0.5]], row=1)
    refused("err.lab.classes", classification, [[1.0, 0]])
    refused("err.lab.too_many_rows", regression, [[1, 1]] * 201)


def test_refusal_messages_are_translated():
    err = refused("err.lab.prob_sum", classification, [[0.2, 0.7, 1]])
    assert err.message("en") == "Row 1: the probabilities add up to 0.9, not 1."
    assert "0.9" in err.message("zh") and err.message("zh") != err.message("en")
