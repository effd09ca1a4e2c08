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

# in a name, besides those: line ends (Unicode's line and paragraph separators too) and tabs, and the direction
# overrides and isolates that make a name display as another ("\u202eevil" shows as "live")
NOT_IN_A_NAME = re.compile(r"[\t\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# what shows nothing: spaces of every width, zero-width characters and marks, the word joiner, the byte-order mark,
# the soft hyphen, and the letters drawn blank (Hangul fillers, the blank braille pattern)
INVISIBLE = re.compile(r"[\s\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u2800\u3164\uffa0\ufeff]+")


def person_name(value: str) -> str:
    """A name as typed on one line; "" stays "" (where a name may be left out), but one of only invisible
    characters is refused: it would list a candidate with no name."""
    no_control_characters(value)
    if problem := not_one_line(value, "a name"):
        raise ValueError(problem)
    if value and not INVISIBLE.sub("", value):
        raise ValueError("shows no visible character: type the name")
    return value


def not_one_line(value: str, what: str) -> str | None:
    """What keeps `value` from showing as one line, as typed, in words; None when nothing does."""
    if found := NOT_IN_A_NAME.search(value):
        code = ord(found.group())
        if code < 0x20 or code in (0x2028, 0x2029):
            return f"contains a line break or tab; {what} is one line of text"
        return f"contains the direction control U+{code:04X}, which makes {what} show as another; remove it"
    return None


PersonName = AfterValidator(person_name)
# a name that may be left out (""): a user's, an invitation's candidate's
OptionalName = Annotated[str, StringConstraints(max_length=200), PersonName]


def visible_text(value: str) -> str:
    """Plain text that shows something: a job description of twenty zero-width spaces is none."""
    no_control_characters(value)
    if value and not INVISIBLE.sub("", value):
        raise ValueError("shows no visible character")
    return value


VisibleText = AfterValidator(visible_text)


def one_line(value: str) -> str:
    """A title: visible text on one line, which shows as typed (no direction overrides)."""
    visible_text(value)
    if problem := not_one_line(value, "a title"):
        raise ValueError(problem)
    return value


OneLine = AfterValidator(one_line)


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
NOT_IN_AN_EMAIL = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")  # invisible, or turning it round


def email_address(value: str) -> str:
    no_control_characters(value)
    if not EMAIL.fullmatch(value) or NOT_IN_AN_EMAIL.search(value):
        raise ValueError(f"'{value[:80]}' is not an e-mail address")
    return value


EmailAddress = Annotated[str, StringConstraints(max_length=254, strip_whitespace=True), AfterValidator(email_address)]
OptionalEmailAddress = Annotated[
    str,
    StringConstraints(max_length=254, strip_whitespace=True),
    AfterValidator(lambda v: email_address(v) if v else v),
]
