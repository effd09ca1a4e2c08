"""How an invitation request lists its candidates (docs/recruiting.md, "Invitations"): a JSON body or a
spreadsheet's CSV file, each row with where it is (a CSV line, or an index in the JSON body), and the faults of the
rows that are not valid, so that one request says every problem at once (found by a recruiter's test: fixed and
sent again, problem after problem)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.contracts.events import Accommodations
from shared.contracts.text_input import OptionalEmailAddress, OptionalName
from shared.platform.http_errors import describe_validation_errors

MAX_INVITATIONS = 500


class AccommodationsIn(Accommodations):
    model_config = ConfigDict(extra="forbid")  # a setting not known here is refused, not kept


class CandidateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    candidate_name: OptionalName = ""
    email: OptionalEmailAddress = ""
    accommodations: AccommodationsIn | None = Field(None, description="This candidate's (none: the position's)")


class InvitationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    candidates: list[CandidateIn] = Field(min_length=1, max_length=MAX_INVITATIONS)
    expires_in_days: int | None = Field(None, ge=1, le=365, strict=True)


@dataclass
class Listed:
    """The candidates of an invitation request, each with where it is (its CSV line, or its index in the JSON
    body), and the faults of the rows that are not valid."""

    csv: bool
    rows: list[tuple[int, str, CandidateIn]] = field(default_factory=list)  # (line or index, where, candidate)
    faults: list[tuple[int, str]] = field(default_factory=list)  # (line or index, what is wrong, saying where)
    expires_in_days: int | None = None


def listed_twice(listed: Listed) -> list[tuple[int, str]]:
    """The e-mail addresses that come more than once (case aside), where: a pasted list or a spreadsheet with a
    row twice."""
    rows: defaultdict[str, list[tuple[int, CandidateIn]]] = defaultdict(list)
    for at, _, candidate in listed.rows:
        if candidate.email:
            rows[candidate.email.casefold()].append((at, candidate))
    twice = []
    for same in (same for same in rows.values() if len(same) > 1):
        (first, candidate), times = same[0], "twice" if len(same) == 2 else f"{len(same)} times"
        if listed.csv:
            lines = [str(at) for at, _ in same]
            where = f"CSV lines {', '.join(lines[:-1])} and {lines[-1]}"
            twice.append((first, f"{where}: {candidate.email} is listed {times}: each candidate gets one invitation"))
        else:
            twice += [(at, f"candidates.{at}.email: {again.email} is listed {times} (first as candidates.{first}): "
                           "each candidate gets one invitation") for at, again in same[1:]]  # fmt: skip
    return twice


def said_at_once(problems: list[str], csv: bool, rows_only: bool) -> str:
    """The first `SHOWN_FAULTS` problems, the rest counted. A JSON body's are said as its fields' ("candidates.3.email:
    ...", which the dashboard shows under the row's field)."""
    shown = "; ".join(problems[:SHOWN_FAULTS]) + more_than_shown(len(problems))
    if len(problems) == 1 or not csv:
        return shown
    return f"{len(problems)} {'rows are not valid' if rows_only else 'problems'} (nothing was created): {shown}"


def more_than_shown(count: int) -> str:
    return f" (and {count - SHOWN_FAULTS} more)" if count > SHOWN_FAULTS else ""


async def invitations_body(request: Request) -> Listed:
    """The request's candidates, and its rows' faults; a 422 for a body or file not read at all."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        if content_type in ("text/csv", "application/csv"):
            return listed_in_csv(raw)
        return listed_in_json(raw)
    except ValidationError as error:
        raise HTTPException(422, describe_validation_errors(error.errors())) from None
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


def listed_in_json(raw: bytes) -> Listed:
    try:
        body = InvitationsIn.model_validate_json(raw)
    except ValidationError as error:
        by_row: defaultdict[int, list[Any]] = defaultdict(list)
        for fault in error.errors():
            at = fault["loc"][1] if len(fault["loc"]) > 1 and fault["loc"][0] == "candidates" else None
            if not isinstance(at, int):
                raise  # not a row's: the body as a whole is not valid
            by_row[at].append(fault)
        given = json.loads(raw)["candidates"]  # valid but for some rows: checked for the other problems too
        return Listed(csv=False, faults=[(at, describe_validation_errors(faults)) for at, faults in by_row.items()],
                      rows=[(at, f"candidates.{at}", CandidateIn.model_validate(row))
                            for at, row in enumerate(given) if at not in by_row])  # fmt: skip
    return Listed(csv=False, rows=[(at, f"candidates.{at}", c) for at, c in enumerate(body.candidates)],
                  expires_in_days=body.expires_in_days)  # fmt: skip


def candidates_from_csv(raw: bytes) -> list[CandidateIn]:
    """The candidates of a CSV file (`listed_in_csv`); a ValueError saying every row that is not valid."""
    listed = listed_in_csv(raw)
    if listed.faults:
        raise ValueError(said_at_once([fault for _, fault in listed.faults], csv=True, rows_only=True))
    return [candidate for _, _, candidate in listed.rows]


def listed_in_csv(raw: bytes) -> Listed:
    """The rows of a CSV with a header naming `candidate_name` (or `name`, `NAME_HEADINGS`) and `email` (or
    `e-mail`, `EMAIL_HEADINGS`; either may be absent), separated by commas, semicolons (a spreadsheet's CSV in
    German or French settings) or tabs; other columns are not read, but one that holds e-mail addresses while
    no column is read as the e-mail is refused; a row that is not valid says which line it is on."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            'The CSV file must be UTF-8 text: in Excel, save it as "CSV UTF-8"; in LibreOffice, choose the '
            "character set Unicode (UTF-8)."
        ) from None
    delimiter = delimiter_of(text)
    if match := EXCEL_SEPARATOR.match(text):  # Excel's "sep=;" first line names the separator
        text, delimiter = text[match.end() :], match.group(1)
    reader = csv.DictReader(io.StringIO(text), restkey=EXTRA_FIELDS, strict=True, delimiter=delimiter)
    try:
        return rows_of(reader)
    except csv.Error as error:
        raise ValueError(f"CSV line {reader.line_num}: {error}") from None


SHOWN_FAULTS = 10  # the rows' faults said at once; the rest are counted
EXTRA_FIELDS = "\x00extra"  # where DictReader puts a row's fields beyond the header's
EXCEL_SEPARATOR = re.compile(r"sep=([,;\t])\r?\n", re.IGNORECASE)
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


def delimiter_of(text: str) -> str:
    """The separator the header row uses most, quoted names aside (a comma when it has none)."""
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    return max(SEPARATORS, key=header.count)


# the headings a spreadsheet gives the two columns, lower-cased (German and French ones write "E-Mail")
NAME_HEADINGS = ("candidate_name", "name", "candidate name", "candidate", "full name", "full_name", "nom", "nombre")
# a name given in two columns, joined (first, then last): checked before the one-column headings, as "Nom" is
# the last name beside "Prénom" and the whole name alone
FIRST_NAME_HEADINGS = ("first name", "first_name", "firstname", "given name", "vorname", "prénom", "prenom", "nombre")
LAST_NAME_HEADINGS = ("last name", "last_name", "lastname", "surname", "family name", "nachname", "nom", "apellidos",
                      "apellido")  # fmt: skip
EMAIL_HEADINGS = ("email", "e-mail", "mail", "email address", "e-mail address", "e-mail-adresse", "email-adresse",
                  "adresse e-mail", "adresse mail", "courriel", "correo", "correo electrónico")  # fmt: skip


def rows_of(reader: csv.DictReader[str]) -> Listed:
    found = [name for name in reader.fieldnames or [] if name and name.strip()]
    columns = {name.strip().lower(): name for name in found}
    first_column = next((columns[h] for h in FIRST_NAME_HEADINGS if h in columns), None)
    last_column = next((columns[h] for h in LAST_NAME_HEADINGS if h in columns), None)
    split = first_column is not None and last_column is not None
    name_column = first_column if split else next((columns[h] for h in NAME_HEADINGS if h in columns), first_column)
    email_column = next((columns[h] for h in EMAIL_HEADINGS if h in columns), None)
    if name_column is None and email_column is None:
        named = f"its first row names {', '.join(repr(name) for name in found)}" if found else "its first row is empty"
        raise ValueError(
            "The CSV file needs a header row with a candidate_name (or name) column, an email column, or both "
            f"(separated by commas, semicolons or tabs): {named}."
        )
    separator = SEPARATORS.get(reader.reader.dialect.delimiter, "separator")
    accommodation_columns = {field: columns[field] for field in Accommodations.model_fields if field in columns}
    read = {name_column, email_column, *accommodation_columns.values(), *((last_column,) if split else ())}
    unread = [name for name in found if name not in read]
    listed = Listed(csv=True)  # every row's fault at once (found by a newcomer: fixed and sent again line by line)
    for line, row in enumerate(reader, start=2):
        if email_column is None and (holder := next((c for c in unread if "@" in (row.get(c) or "")), None)):
            raise ValueError(  # an e-mail column under a heading not known here: not dropped without a word
                f"CSV line {line}: the column {holder!r} holds e-mail addresses but is not read: name it email."
            )
        if any(value.strip() for value in row.pop(EXTRA_FIELDS, [])):
            listed.faults.append(
                (line, f"CSV line {line}: more fields than the header row names (a {separator} too many?)")
            )
            continue
        if not any((value or "").strip() for value in row.values()):
            continue
        # not read on (found by a security retest: 210,000 rows held the service for 2 s before the limit said no)
        if len(listed.rows) + len(listed.faults) == MAX_INVITATIONS:
            raise ValueError(f"The CSV file lists more than {MAX_INVITATIONS} candidates (line {line}): invite at "
                             f"most {MAX_INVITATIONS} at a time, in several files.")  # fmt: skip
        given = {field: value.strip() for field, column in accommodation_columns.items()
                 if (value := row.get(column) or "").strip()}  # fmt: skip
        try:
            parts = [row.get(column) or "" for column in (name_column, last_column if split else None) if column]
            candidate = CandidateIn(candidate_name=" ".join(p.strip() for p in parts if p.strip()),
                                    email=(row.get(email_column) or "") if email_column else "",
                                    accommodations=AccommodationsIn.model_validate(given) if given else None)  # fmt: skip
            listed.rows.append((line, f"CSV line {line}", candidate))
        except ValidationError as error:
            listed.faults.append((line, f"CSV line {line}: {describe_validation_errors(error.errors())}"))
    if not listed.rows and not listed.faults:
        raise ValueError("The CSV file has no candidates below its header row.")
    return listed
