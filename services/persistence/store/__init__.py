"""The persistence service's storage: thin, with no projection logic of its own."""

from typing import Literal, Protocol

from services.persistence.projections import SessionRows
from services.persistence.settings import PersistenceSettings
from shared.events import Event
from shared.settings import ConfigurationError

StatusFilter = Literal["completed", "in_progress", "all"]


class Store(Protocol):
    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def ping(self) -> bool: ...

    async def append(self, event: Event) -> bool:
        """Store the event unless its event_id is already stored; True if it was new."""

    async def session_events(self, session_id: str) -> list[Event]: ...

    async def save_projection(self, rows: SessionRows) -> bool:
        """Replace the session's read-model rows unless newer rows (a higher version) are stored."""

    async def list_interviews(self, status: StatusFilter, limit: int, offset: int) -> tuple[int, list[dict]]: ...
    async def get_interview(self, session_id: str) -> dict | None: ...
    async def statistics(self) -> dict: ...


def open_store(settings: PersistenceSettings) -> Store:
    if settings.mongodb_url:
        raise ConfigurationError(
            "MONGODB_URL is set, but this version stores data in SQLite only (MongoDB support is tracked in "
            "issue 3). Unset MONGODB_URL to use the embedded store under DATA_DIR."
        )
    from services.persistence.store.sqlite import SQLiteStore

    return SQLiteStore(settings.data_dir / "interviewer.sqlite3")
