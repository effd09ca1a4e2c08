"""The text requests accept (shared/contracts/text_input.py), held to what a security retest slipped past it: e-mail
addresses with control characters or direction overrides, names broken by Unicode's own line separators or drawn
blank, titles on several lines, a job description of zero-width spaces."""

from typing import Annotated

import pytest
from pydantic import AfterValidator, TypeAdapter, ValidationError

from shared.contracts.text_input import EmailAddress, OneLine, PersonName, VisibleText


def refusal(validator: object, value: str) -> str | None:
    """Why `value` is refused by `validator`; None when it is taken."""
    try:
        TypeAdapter(Annotated[str, validator] if isinstance(validator, AfterValidator) else validator).validate_python(
            value
        )
    except ValidationError as error:
        return error.errors()[0]["msg"]
    return None


@pytest.mark.parametrize("email", ["a@b.c\u0000", "a\u0001@b.co", "u\u202ex@x.com", "a\u200b@b.co", "a@b\u2066.co"])
def test_an_e_mail_address_with_a_control_or_an_invisible_character_is_refused(email):
    assert refusal(EmailAddress, email) is not None
    assert refusal(EmailAddress, "ada.lovelace+jobs@example.org") is None


@pytest.mark.parametrize("name", ["A\u2028B", "A\u2029B", "A\nB", "A\tB", "a\u202eb"])
def test_a_name_on_more_than_one_line_or_turned_round_is_refused(name):
    assert refusal(PersonName, name) is not None


@pytest.mark.parametrize("name", ["\u3164", "\u2800", "\u061c", "\u115f\u1160", "\u00ad", "\uffa0 \u200b"])
def test_a_name_drawn_blank_is_refused(name):
    assert refusal(PersonName, name) == "Value error, shows no visible character: type the name"


@pytest.mark.parametrize("name", ["Zoë Ødegård", "محمد علي", "李雷", "Jean-Luc O'Neill", "Anne\u00a0Marie", ""])
def test_real_names_pass(name):
    assert refusal(PersonName, name) is None


def test_a_title_is_one_visible_line_and_a_job_description_shows_something():
    assert "one line of text" in (refusal(OneLine, "Backend\nEngineer") or "")
    assert "direction control U+202E" in (refusal(OneLine, "\u202eBackend") or "")
    assert "no visible character" in (refusal(OneLine, "\u200b\u200b") or "")
    assert refusal(OneLine, "Backend Engineer (Python)") is None
    assert "no visible character" in (refusal(VisibleText, "\u200b" * 20) or "")
    assert refusal(VisibleText, "Line one\nLine two, with a tab\there") is None
