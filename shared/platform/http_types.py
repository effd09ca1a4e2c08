"""Request parameter types every HTTP service shares."""

from typing import Annotated

from fastapi import Path, Query

from shared.contracts.events import SESSION_ID_REGEX

POSITION_ID_REGEX = r"^pos-[a-z0-9]{1,40}$"

SessionIdPath = Annotated[str, Path(pattern=SESSION_ID_REGEX, description="The interview's session id")]
PositionQuery = Annotated[
    str | None, Query(pattern=POSITION_ID_REGEX, description="Only the interviews of this position")
]
SessionIdQuery = Annotated[str | None, Query(pattern=SESSION_ID_REGEX, description="Only this interview's")]
