"""The LIMIT_… settings are read when the server starts: a mistyped one is a system check error, in French."""

import pytest
from django.core.checks import run_checks

from pixorga.ratelimit import Rate, rates_parse


def _rate_errors():
    return [error for error in run_checks() if error.id == "pixorga.E002"]


def test_the_shipped_limits_read_as_rates():
    assert _rate_errors() == []
    assert rates_parse("5/15min,20/day") == (Rate(5, 900), Rate(20, 86400))
    assert rates_parse("60/hour") == (Rate(60, 3600),)


@pytest.mark.parametrize("value", ["30 per 10min", "30/10 fortnights", "0/hour", "5/0min", "5/15min,", ""])
def test_a_mistyped_limit_is_reported_at_start_up_with_its_name(settings, value):
    settings.LIMIT_WRONG_CODES_ACCOUNT = value

    errors = _rate_errors()

    assert len(errors) == 1
    assert errors[0].msg == f"LIMIT_WRONG_CODES_ACCOUNT = « {value} » n'est pas une limite lisible."
    assert "30/10min" in errors[0].hint
    with pytest.raises(ValueError):
        rates_parse(value)
