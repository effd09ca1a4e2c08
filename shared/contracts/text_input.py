"""Text people type, as requests accept it: names, job descriptions, answers, reviewers' notes.

Control characters (C0 other than tab, line feed and carriage return, and DEL) are refused with a 422
that names the field: they are never what someone meant to type, and stored they would travel on to the
CSV and Sheets exports and to BI tools. Events already stored are not checked again.
"""

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: str) -> str:
    if found := CONTROL.search(value):
        raise ValueError(f"contains the control character U+{ord(found.group()):04X}; remove it")
    return value


PlainText = AfterValidator(no_control_characters)


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def email_address(value: str) -> str:
    if not EMAIL.fullmatch(value):
        raise ValueError(f"'{value[:80]}' is not an e-mail address")
    return value


EmailAddress = Annotated[str, StringConstraints(max_length=254, strip_whitespace=True), AfterValidator(email_address)]
OptionalEmailAddress = Annotated[
    str,
    StringConstraints(max_length=254, strip_whitespace=True),
    AfterValidator(lambda v: email_address(v) if v else v),
]
