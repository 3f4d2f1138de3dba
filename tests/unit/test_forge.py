"""MathForge: lookup, listing, search, composition, registration, explanations and comparisons."""
from __future__ import annotations

import math

import pytest
import sympy

import neurogebra.catalog.formulas as catalog
import neurogebra.forge as forge_module
import neurogebra.parsing as parsing
from neurogebra import Expression, MathForge, ParseError
from neurogebra.catalog import ENTRIES
from neurogebra.parsing import symbol

y_pred, y_true, w, x = symbol("y_pred"), symbol("y_true"), symbol("w"), symbol("x")


@pytest.fixture
def forge() -> MathForge:
    return MathForge()


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every formula parsed through the parser module, the forge or the catalog."""
    calls: list[str] = []

    def counting(original):
        def parse(text, *args, **kwargs):
            calls.append(text)
            return original(text, *args, **kwargs)

        return parse

    monkeypatch.setattr(parsing, "parse_formula", counting(parsing.parse_formula))
    monkeypatch.setattr(forge_module, "parse_formula", counting(parsing.parse_formula))
    monkeypatch.setattr(catalog, "build_formula", counting(catalog.build_formula))
    catalog.entry_expr.cache_clear()
    return calls


# ---------------------------------------------------------------------------------------------- laziness
def test_construction_listing_and_search_parse_nothing(parse_calls: list[str]) -> None:
    forge = MathForge()
    assert forge.list_all() and forge.search("robust regression")
    assert parse_calls == []
    assert catalog.entry_expr.cache_info().currsize == 0
    forge.get("huber")
    assert parse_calls == [ENTRIES["huber"].formula]


# ---------------------------------------------------------------------------------------------- get
def test_get_returns_an_expression_with_metadata(forge: MathForge) -> None:
    huber = forge.get("huber")
    assert isinstance(huber, Expression)
    assert huber.name == "huber"
    assert huber.params == {"delta": 1.0} and huber.trainable_params == []
    assert [s.name for s in huber.inputs] == ["y_pred", "y_true"]
    meta = huber.metadata
    assert meta["category"] == "loss"
    assert meta["description"] and meta["usage"] and meta["pros"] and meta["cons"]
    assert meta["domain"]["delta"].lo == 0 and not meta["domain"]["delta"].contains(0.0)
    assert huber.eval(y_pred=3.0, y_true=0.0) == pytest.approx(2.5)


def test_get_resolves_aliases(forge: MathForge) -> None:
    silu = forge.get("silu")
    assert silu.name == "swish"
    assert silu.symbolic_expr == x / (1 + sympy.exp(-x))
    assert "silu" in silu.metadata["aliases"]


def test_get_overrides_parameters_and_marks_them_trainable(forge: MathForge) -> None:
    huber = forge.get("huber", params={"delta": 2})
    assert huber.params == {"delta": 2.0}
    assert huber.eval(y_pred=3.0, y_true=0.0) == pytest.approx(2 * (3 - 1))
    assert forge.get("huber").params == {"delta": 1.0}  # the override did not leak
    assert forge.get("focal", trainable=True).trainable_params == ["alpha", "gamma"]
    assert forge.get("focal", trainable=["gamma"]).trainable_params == ["gamma"]


def test_get_rejects_unknown_parameters(forge: MathForge) -> None:
    with pytest.raises(ValueError, match="did you mean delta"):
        forge.get("huber", params={"delt": 2.0})


def test_get_unknown_name_suggests_close_names(forge: MathForge) -> None:
    with pytest.raises(KeyError, match="did you mean sigmoid"):
        forge.get("sigmod")
    with pytest.raises(KeyError, match="no entry named 'qqqqqq'"):
        forge.get("qqqqqq")


# ---------------------------------------------------------------------------------------------- list, search
def test_list_all_is_sorted_and_filters_by_category(forge: MathForge) -> None:
    names = forge.list_all()
    assert names == sorted(ENTRIES)
    assert "silu" not in names
    losses = forge.list_all("loss")
    assert losses == sorted(n for n, e in ENTRIES.items() if e.category == "loss")
    assert forge.list_all("losses") == losses
    assert "relu" in forge.list_all("activations")
    with pytest.raises(ValueError, match="unknown category"):
        forge.list_all("lossy")


def test_search_ranks_exact_names_and_aliases_first(forge: MathForge) -> None:
    assert forge.search("sigmoid")[0] == "sigmoid"
    assert forge.search("silu")[0] == "swish"
    assert forge.search("sigmod")[0] == "sigmoid"
    assert forge.search("zzzzzz") == []


def test_search_matches_descriptions_and_categories(forge: MathForge) -> None:
    robust = forge.search("robust regression")
    assert {"huber", "log_cosh", "pseudo_huber"} <= set(robust[:6])
    regularizers = forge.search("regularizers")
    assert set(forge.list_all("regularizer")) <= set(regularizers)
    transformer = forge.search("transformers")
    assert transformer[0] == "gelu"
    assert "softplus" in forge.search("smooth relu")[:2]


# ---------------------------------------------------------------------------------------------- compose
def test_compose_follows_operator_precedence(forge: MathForge) -> None:
    composed = forge.compose("mse + 0.1*mae*2")
    expected = (y_pred - y_true) ** 2 + sympy.Float(0.2) * sympy.Abs(y_pred - y_true)
    assert sympy.simplify(composed.symbolic_expr - expected) == 0
    assert composed.eval(y_pred=3.0, y_true=1.0) == pytest.approx(4 + 0.4)
    grouped = forge.compose("(mse + mae)*2")
    assert grouped.eval(y_pred=3.0, y_true=1.0) == pytest.approx(2 * (4 + 2))
    assert forge.compose("mse/2 - mae^2").eval(y_pred=3.0, y_true=1.0) == pytest.approx(4 / 2 - 4)


def test_compose_keeps_parameters_and_accepts_calls(forge: MathForge) -> None:
    composed = forge.compose("huber + 0.1*l2")
    assert composed.params == {"delta": 1.0, "lam": 0.01}
    assert {s.name for s in composed.inputs} == {"y_pred", "y_true", "w"}
    assert composed.eval(y_pred=3.0, y_true=0.0, w=2.0) == pytest.approx(2.5 + 0.1 * 0.01 * 4)
    assert composed.eval(y_pred=3.0, y_true=0.0, w=2.0, delta=2.0) == pytest.approx(4 + 0.1 * 0.01 * 4)
    called = forge.compose("huber(y_pred, y_true, 2) + relu(z)")
    assert called.params == {}
    assert called.eval(y_pred=3.0, y_true=0.0, z=-1.0) == pytest.approx(4.0)
    assert forge.compose("silu + pi").metadata["components"] == ["swish"]


def test_compose_unknown_name_is_a_parse_error_at_its_offset(forge: MathForge) -> None:
    with pytest.raises(ParseError) as info:
        forge.compose("mse + 0.1*maee")
    assert (info.value.offset, info.value.length) == (10, 4)
    assert "mae" in info.value.hint and info.value.code == "undefined-name"
    with pytest.raises(ParseError) as info:
        forge.compose("mse + w")
    assert info.value.offset == 6
    with pytest.raises(ParseError) as info:
        forge.compose("mse + nosuch(y_pred)")
    assert info.value.offset == 6


def test_compose_syntax_errors_come_from_the_parser(forge: MathForge) -> None:
    with pytest.raises(ParseError) as info:
        forge.compose("mse + * mae")
    assert info.value.offset == 6
    with pytest.raises(ParseError):
        forge.compose("mse mae")


def test_compose_rejects_one_parameter_with_two_defaults(forge: MathForge) -> None:
    with pytest.raises(ParseError) as info:
        forge.compose("leaky_relu + elu")
    assert "alpha" in info.value.message and info.value.offset == 13
    assert forge.compose("leaky_relu(x, 0.01) + elu(x, 1)").params == {}


# ---------------------------------------------------------------------------------------------- register
def test_register_a_formula_is_seen_everywhere(forge: MathForge) -> None:
    registered = forge.register("scaled_swish", "x*sigmoid(beta*x)", params={"beta": 1.5},
                                description="swish with a learnable temperature", category="activation")
    assert registered.params == {"beta": 1.5}
    assert forge.get("scaled_swish").eval(x=2.0) == pytest.approx(2 / (1 + math.exp(-3)))
    assert "scaled_swish" in forge.list_all() and "scaled_swish" in forge.list_all("activation")
    assert "scaled_swish" in forge.search("temperature")
    composed = forge.compose("scaled_swish + scaled_swish(z, 2)")
    assert composed.params == {"beta": 1.5}
    assert composed.eval(x=0.0, z=1.0) == pytest.approx(1 / (1 + math.exp(-2)))
    assert "temperature" in forge.explain("scaled_swish")


def test_register_an_expression(forge: MathForge) -> None:
    forge.register("my_cubic", Expression("c", "a*x^3", params={"a": 2.0}))
    cubic = forge.get("my_cubic", params={"a": 3.0}, trainable=True)
    assert cubic.name == "my_cubic" and cubic.metadata["category"] == "custom"
    assert cubic.eval(2.0) == pytest.approx(24.0) and cubic.trainable_params == ["a"]
    assert forge.list_all("custom") == ["my_cubic"]


def test_register_a_catalog_expression_under_a_new_name(forge: MathForge) -> None:
    forge.register("sharp_huber", forge.get("huber", params={"delta": 0.1}))
    sharp = forge.get("sharp_huber")
    assert sharp.params == {"delta": 0.1} and sharp.metadata["category"] == "loss"
    assert "aliases" not in sharp.metadata
    assert forge.search("huber_loss")[0] == "huber"
    assert forge.compose("sharp_huber(a, b)").eval(a=1.0, b=0.0) == pytest.approx(0.1 * (1 - 0.05))


def test_registrations_belong_to_one_forge(forge: MathForge) -> None:
    forge.register("double", "2*x")
    with pytest.raises(KeyError):
        MathForge().get("double")
    with pytest.raises(ParseError):
        MathForge().compose("double + 1")


def test_register_refuses_to_overwrite_unless_asked(forge: MathForge) -> None:
    with pytest.raises(ValueError, match="overwrite=True"):
        forge.register("relu", "Max(0, x) + 0*x")
    with pytest.raises(ValueError, match="overwrite=True"):
        forge.register("silu", "x")
    forge.register("relu", "Max(0.1*x, x)", overwrite=True)
    assert forge.get("relu").eval(-1.0) == pytest.approx(-0.1)
    assert MathForge().get("relu").eval(-1.0) == 0
    forge.register("mine", "x")
    with pytest.raises(ValueError):
        forge.register("mine", "2*x")


def test_register_refuses_bad_names(forge: MathForge) -> None:
    for name in ("exp", "pi", "two words", "__class__"):
        with pytest.raises(ValueError):
            forge.register(name, "x")
    with pytest.raises(TypeError):
        forge.register("number", 3)


# ---------------------------------------------------------------------------------------------- explain, compare
def test_explain_covers_signature_domain_formula_and_derivatives(forge: MathForge) -> None:
    text = forge.explain("bce")
    assert text.startswith("binary_crossentropy (loss; also bce, log_loss, log_loss_elem, cross_entropy_elem)")
    assert "call: binary_crossentropy(y_pred, y_true)" in text
    assert "y_pred ∈ (0, 1)" in text
    assert "∂/∂y_pred" in text and "pros:" in text and "cons:" in text
    assert "call: huber(y_pred, y_true, delta=1)" in forge.explain("huber")


def test_compare_is_a_table_with_one_column_per_entry(forge: MathForge) -> None:
    table = forge.compare(["relu", "gelu", "silu"])
    lines = table.splitlines()
    assert all(line.count("|") == 5 for line in lines)
    assert [c.strip() for c in lines[0].split("|")[2:5]] == ["relu", "gelu", "swish"]
    labels = [line.split("|")[1].strip() for line in lines[2:]]
    assert labels == ["category", "formula", "derivative", "domain", "range", "pros", "cons"]
    derivative_row = lines[2 + labels.index("derivative")]
    assert "Heaviside(x, 0)" in derivative_row and "erf" in derivative_row
    assert "[0, inf)" in lines[2 + labels.index("range")]
    with pytest.raises(KeyError):
        forge.compare(["relu", "nope"])
    with pytest.raises(ValueError):
        forge.compare([])
