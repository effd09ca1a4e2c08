"""Text people type, as requests accept it: names, job descriptions, answers, reviewers' notes.

Control characters (C0 other than tab, line feed and carriage return, DEL and C1) are refused with a 422
that names the field: they are never what someone meant to type, and stored they would travel on to the
CSV and Sheets exports and to BI tools. Events already stored are not checked again.
"""

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 but tab and line ends, DEL, C1


def no_control_characters(value: str) -> str:
    if found := CONTROL.search(value):
        raise ValueError(f"contains the control character U+{ord(found.group()):04X}; remove it")
    return value


PlainText = AfterValidator(no_control_characters)

# in a name, besides those: line ends and tabs, and the direction overrides and isolates that make a name
# display as another ("\u202eevil" shows as "live")
NOT_IN_A_NAME = re.compile(r"[\t\n\r\u202a-\u202e\u2066-\u2069]")
# what shows nothing: spaces of every width, zero-width characters, the word joiner, the byte-order mark
INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


def person_name(value: str) -> str:
    """A name as typed on one line; "" stays "" (where a name may be left out), but one of only invisible
    characters is refused: it would list a candidate with no name."""
    no_control_characters(value)
    if found := NOT_IN_A_NAME.search(value):
        code = ord(found.group())
        if code < 0x20:
            raise ValueError("contains a line break or tab; a name is one line of text")
        raise ValueError(f"contains the direction control U+{code:04X}, which makes a name show as another; remove it")
    if value and not INVISIBLE.sub("", value):
        raise ValueError("shows no visible character: type the name")
    return value


PersonName = AfterValidator(person_name)


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
