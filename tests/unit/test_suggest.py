"""One 'did you mean' for every misspelt name: close by ratio, or one edit away."""
from __future__ import annotations

import pytest

from neurogebra.suggest import did_you_mean, one_edit


@pytest.mark.parametrize("word, known, expected", [
    ("sigmod", ["sigmoid", "softplus"], ["sigmoid"]),
    ("maee", ["mae", "mse"], ["mae"]),
    ("rleu", ["relu", "selu"], ["relu"]),
    ("y", ["x", "yy"], ["yy"]),
    ("xx", ["x", "y"], ["x"]),
    ("foo", ["floor", "exp"], []),
    ("sigmoid", ["log_sigmoid"], []),
])
def test_close_names_are_suggested_and_far_ones_are_not(word, known, expected):
    assert did_you_mean(word, known) == expected


def test_one_edit_inserts_deletes_changes_or_swaps_one_letter():
    assert one_edit("relu", "rleu") and one_edit("x", "xx") and one_edit("mse", "mae") and one_edit("ab", "b")
    assert not one_edit("relu", "relu") and not one_edit("foo", "floor") and not one_edit("abc", "cba")


def test_no_known_names_suggest_nothing():
    assert did_you_mean("alpha", []) == []
