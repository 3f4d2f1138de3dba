"""settings.py: every bad value falls back to its own default with one message, whatever the value (a 400-digit
number, an object, a list), and the other settings of the same answer keep their values."""
from __future__ import annotations

from dataclasses import replace

from neurogebra_lsp.schema import SCHEMA
from neurogebra_lsp.settings import ServerSettings, parse_settings

HUGE = 10**400


def test_a_400_digit_number_falls_back_and_the_other_settings_stay():
    fallbacks: list[str] = []
    settings = parse_settings({"gradcheck": {"rtol": HUGE, "atol": -HUGE, "samples": HUGE},
                               "hover": {"maxDerivativeOrder": 1}, "analysis": {"timeBudgetMs": 500}}, fallbacks)
    assert settings == ServerSettings(max_derivative_order=1, time_budget_ms=500)
    assert [message.split(":")[0] for message in fallbacks] == [
        "settings neurogebra.gradcheck.samples", "settings neurogebra.gradcheck.rtol",
        "settings neurogebra.gradcheck.atol"]
    assert all("(401 characters); using the default" in message for message in fallbacks[:2])
    assert all(len(message) < 200 for message in fallbacks)


def test_every_setting_takes_any_json_value_without_raising():
    odd_values = (HUGE, -HUGE, float("inf"), None, [], {}, [1, 2], {"deeper": HUGE}, "", "x" * 10_000, True, 0.5)
    for setting in SCHEMA:
        other = "python.enabled" if setting.path != "python.enabled" else "hover.rich"
        for value in odd_values:
            fallbacks: list[str] = []
            settings = parse_settings({setting.path: value, other: not _default(other)}, fallbacks)
            kept = getattr(settings, setting.field)
            assert settings == replace(parse_settings({other: not _default(other)}), **{setting.field: kept})
            assert kept == value or (kept == setting.default and len(fallbacks) == 1), (setting.path, value)


def _default(path: str) -> object:
    return next(setting.default for setting in SCHEMA if setting.path == path)


def test_the_fallback_messages_are_the_log_lines():
    fallbacks: list[str] = []
    parse_settings({"gradcheck": {"samples": "many"}}, fallbacks)
    parse_settings("not an object", fallbacks)
    assert fallbacks == [
        "settings neurogebra.gradcheck.samples: expected an integer from 1 to 100000, got 'many'; "
        "using the default 100",
        "settings neurogebra: expected an object, got 'not an object'; using the defaults"]
