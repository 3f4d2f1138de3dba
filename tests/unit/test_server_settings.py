"""settings.py: the `neurogebra` section parsed into typed settings, with defaults and visible fallbacks."""
from __future__ import annotations

import logging
from dataclasses import fields

from neurogebra.analysis.model import Settings
from neurogebra_lsp.schema import SCHEMA
from neurogebra_lsp.settings import ServerSettings, merge, parse_settings, section_of


def test_nothing_configured_means_the_defaults():
    assert parse_settings(None) == ServerSettings()
    assert parse_settings({}) == ServerSettings()
    assert ServerSettings().analysis() == Settings()


def test_every_setting_has_a_key_and_every_key_a_setting():
    assert [setting.field for setting in SCHEMA] == [f.name for f in fields(ServerSettings)]
    assert len({setting.path for setting in SCHEMA}) == len(SCHEMA)


def test_nested_settings_are_read():
    settings = parse_settings({
        "gradcheck": {"samples": 20, "rtol": 1e-3, "atol": 0},
        "defaultDomain": "[-10, 10]",
        "inlayHints": {"enabled": False},
        "hover": {"maxDerivativeOrder": 2, "rich": True},
        "analysis": {"timeBudgetMs": 500},
        "python": {"enabled": False},
    })
    assert settings == ServerSettings(samples=20, rtol=1e-3, atol=0.0, default_domain="[-10, 10]", inlay_hints=False,
                                      max_derivative_order=2, rich_hover=True, time_budget_ms=500, python=False)
    assert isinstance(settings.atol, float)
    assert settings.analysis() == Settings(samples=20, rtol=1e-3, atol=0.0, default_domain="[-10, 10]",
                                           max_derivative_order=2, time_budget_ms=500, plots=True, python=False)


def test_dotted_keys_are_read_too():
    assert parse_settings({"gradcheck.samples": 7, "hover.rich": True}) == ServerSettings(samples=7, rich_hover=True)


def test_bad_values_fall_back_to_their_defaults_with_a_log_line(caplog):
    with caplog.at_level(logging.WARNING, logger="neurogebra_lsp.settings"):
        settings = parse_settings({
            "gradcheck": {"samples": "many", "rtol": -1, "atol": float("nan"), "dtype": "float16"},
            "defaultDomain": "[5, 1]",
            "inlayHints": {"enabled": "yes"},
            "hover": {"maxDerivativeOrder": 99, "rich": 1},
            "analysis": {"timeBudgetMs": True},
            "python": {"enabled": None},
        })
    assert settings == ServerSettings()
    text = caplog.text
    expected = "neurogebra.gradcheck.samples: expected an integer from 1 to 100000, got 'many'; using the default 100"
    assert expected in text
    assert "neurogebra.defaultDomain" in text and "empty interval" in text
    assert "neurogebra.hover.maxDerivativeOrder: expected an integer from 1 to 10, got 99" in text
    assert "neurogebra.analysis.timeBudgetMs" in text and "got True" in text
    assert "neurogebra.python.enabled: expected true or false, got None" in text
    assert 'neurogebra.gradcheck.dtype: expected "float64" or "float32", got \'float16\'' in text
    assert len(caplog.records) == 10


def test_the_precision_of_the_stability_checks_reaches_analysis():
    settings = parse_settings({"gradcheck": {"dtype": "float32"}})
    assert settings == ServerSettings(dtype="float32")
    assert settings.analysis().dtype == "float32"


def test_unknown_settings_and_a_non_object_are_reported(caplog):
    with caplog.at_level(logging.WARNING, logger="neurogebra_lsp.settings"):
        assert parse_settings({"hover": {"colour": "red"}, "gradcheck": {"samples": 5}}) == ServerSettings(samples=5)
        assert parse_settings(["not", "an", "object"]) == ServerSettings()
    assert "neurogebra.hover.colour: unknown setting, ignored" in caplog.text
    assert "expected an object" in caplog.text


def test_configuration_is_laid_over_initialization_options():
    initialization = {"hover": {"rich": True, "maxDerivativeOrder": 2}, "python": {"enabled": False}}
    configuration = {"hover": {"maxDerivativeOrder": 1}, "python": None}
    merged = merge(initialization, configuration)
    assert merged == {"hover": {"rich": True, "maxDerivativeOrder": 1}, "python": {"enabled": False}}
    assert merge(initialization, None) == initialization
    assert parse_settings(merged) == ServerSettings(rich_hover=True, max_derivative_order=1, python=False)


def test_initialization_options_may_wrap_the_section():
    assert section_of({"neurogebra": {"hover": {"rich": True}}}) == {"hover": {"rich": True}}
    assert section_of({"hover": {"rich": True}}) == {"hover": {"rich": True}}
    assert section_of(None) is None
