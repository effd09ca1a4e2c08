"""The gateway's sessions: state derived from events, waited on by requests and streamed
to candidates.

Each gateway replica hears the events of the sessions it serves and no others: its private live
queue is bound to a session (`SessionFeed.follow`) before the replica publishes the session's start or
reads the session from the event store, and unbound when it forgets the session. So any replica can
serve any session (a request for one it does not follow follows it and reads it from the persistence
service's event store), and adding replicas shares the live work instead of repeating it. A session
this replica does not know, or may have missed events of (the broker was away), is rebuilt from the
event store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable

from services.gateway.persistence_client import StoreUnavailable
from shared.contracts.events import Event, InterviewErased, InterviewStarted
from shared.contracts.session_ids import session_id_of
from shared.contracts.session_view import SessionFold, SessionView
from shared.platform import metrics
from shared.platform.messaging import SessionFeed

log = logging.getLogger(__name__)

EventSource = Callable[[str], Awaitable[list[Event] | None]]
ID_CHECK_SECONDS = 1.0  # how long a start waits for the event store to say a new id is unused
BACKFILL_SECONDS = 3.0  # after following a session, how long waits also read the event store ...
BACKFILL_INTERVAL = 0.1  # ... and how often


class LiveSession:
    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        self.fold = SessionFold(session_id)
        self.view = self.fold.view
        self.lock = asyncio.Lock()  # one state-changing request at a time
        self._changed = asyncio.Condition()
        self._listeners: set[asyncio.Queue[Event]] = set()
        self.stale = False
        # Just followed and read from the event store: events published before the binding and not yet
        # stored then reach this replica by no other way, so a wait reads the store again until then.
        self.backfill: EventSource | None = None
        self.backfill_until = 0.0
        self.completing = False  # this replica published its InterviewCompleted (handlers.live_listener)

    async def apply(self, event: Event) -> None:
        if self.view.erased:
            return  # nothing of an erased candidate is kept again, not even a late event
        if isinstance(event, InterviewErased):
            self.fold = SessionFold(self.session_id)  # nothing of the candidate stays in memory
        if not self.fold.add(event):
            return  # a repeat
        self.view = self.fold.view
        for listener in self._listeners:
            listener.put_nowait(event)
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, condition: Callable[[SessionView], bool], timeout: float) -> bool:
        """Wait until the view satisfies `condition`; False if it did not within `timeout`. While the
        session is catching up (`backfill`), the event store is read again every BACKFILL_INTERVAL."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            catching_up = self.backfill is not None and loop.time() < self.backfill_until
            step = deadline - loop.time()
            try:
                async with asyncio.timeout(max(0.0, min(step, BACKFILL_INTERVAL) if catching_up else step)):
                    async with self._changed:
                        await self._changed.wait_for(lambda: condition(self.view))
            except TimeoutError:
                pass
            if condition(self.view) or loop.time() >= deadline:
                return condition(self.view)
            if catching_up and self.backfill is not None:
                with contextlib.suppress(Exception):  # the store away: the live events may still come
                    for event in await self.backfill(self.session_id) or []:
                        await self.apply(event)

    def subscribe(self) -> asyncio.Queue[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self._listeners.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Event]) -> None:
        self._listeners.discard(queue)

    @property
    def has_listeners(self) -> bool:
        return bool(self._listeners)


class SessionRegistry:
    def __init__(
        self,
        event_source: EventSource,
        max_sessions: int = 10_000,
        max_completed: int = 200,
        feed: Callable[[], SessionFeed | None] = lambda: None,
        started_lately: Callable[[str], bool] = lambda session_id: False,
    ) -> None:
        self._event_source = event_source
        # an interview another replica started a moment ago may not be in the event store yet (RecentStarts)
        self._started_lately = started_lately
        self._feed = feed  # None: every event comes (tests without a broker)
        self._unfollowing: set[asyncio.Task[None]] = set()
        self._sessions: OrderedDict[str, LiveSession] = OrderedDict()
        self._max_sessions = max_sessions
        # Finished interviews are rarely asked for again, and each costs some 100 KB (every event of
        # the interview): only the latest few stay, the rest are read from the event store if needed.
        self._completed: OrderedDict[str, None] = OrderedDict()
        self._max_completed = max_completed
        self._loading: dict[str, asyncio.Task[LiveSession | None]] = {}
        self._starting: dict[str, asyncio.Lock] = {}
        for purpose in ("serve", "check"):  # on /metrics from the start, at zero
            metrics.SESSION_READS.labels("gateway", purpose)

    async def new_session_id(self) -> str:
        """A new id of the seed's shape (8 characters): held neither here nor in the event store, where
        another replica's or an earlier interview's id (even an erased one) would be. 36^8 ids make a
        repeat rare, not impossible (one in five million starts at a million stored interviews). When the
        store cannot be asked quickly, the id is used unchecked rather than refusing the candidate."""
        while True:
            session_id = session_id_of(secrets.randbits(64))
            if session_id in self._sessions:
                continue
            try:
                stored = await asyncio.wait_for(self._event_source(session_id), ID_CHECK_SECONDS)
            except Exception as error:
                log.warning("new session id not checked against the event store", extra={"error": repr(error)})
                return session_id
            if stored is None:
                return session_id
            log.info("new session id already stored; drawing another", extra={"session_id": session_id})

    @contextlib.asynccontextmanager
    async def starting(self, session_id: str) -> AsyncIterator[None]:
        """One start of this session at a time on this replica (two at once find the first's interview)."""
        lock = self._starting.setdefault(session_id, asyncio.Lock())
        try:
            async with lock:
                yield
        finally:
            if not lock.locked() and self._starting.get(session_id) is lock:
                del self._starting[session_id]

    async def follow(self, session_id: str) -> None:
        """Hear this session's events from now on (before its start is published or it is read)."""
        feed = self._feed()
        if feed is None:
            return
        try:
            await feed.follow(session_id)
        except Exception as error:  # the broker is away: the session's events could be missed
            raise StoreUnavailable(f"cannot follow session {session_id}'s events: {error!r}") from error

    def _follows(self, session_id: str) -> bool:
        feed = self._feed()
        return feed is None or feed.follows(session_id)

    def _forget(self, session_id: str) -> None:
        del self._sessions[session_id]
        feed = self._feed()
        if feed is not None:
            task = asyncio.create_task(self._unfollow(feed, session_id))
            self._unfollowing.add(task)
            task.add_done_callback(self._unfollowing.discard)

    @staticmethod
    async def _unfollow(feed: SessionFeed, session_id: str) -> None:
        try:
            await feed.unfollow(session_id)
        except Exception as error:  # a binding left behind only brings events this replica ignores
            log.warning("could not unfollow a session", extra={"session_id": session_id, "error": repr(error)})

    async def apply(self, event: Event) -> LiveSession:
        session = self._sessions.get(event.session_id)
        if session is None:
            session = self._remember(LiveSession(event.session_id))
            # joined mid-way (e.g. after a restart): the earlier events must come from the store
            session.stale = not isinstance(event, InterviewStarted)
        else:
            self._sessions.move_to_end(event.session_id)
        await session.apply(event)
        self._note_if_completed(session)
        return session

    def _note_if_completed(self, session: LiveSession) -> None:
        if session.view.status != "completed" or session.session_id in self._completed:
            return
        self._completed[session.session_id] = None
        excess = len(self._completed) - self._max_completed
        for session_id in list(self._completed)[: max(0, excess)]:
            older = self._sessions.get(session_id)
            if older is not None and older.has_listeners:
                continue  # a live stream still follows it: forgotten on a later pass
            del self._completed[session_id]
            if session_id in self._sessions:
                self._forget(session_id)

    async def get(self, session_id: str) -> LiveSession | None:
        """The session, rebuilt from the event store if this replica does not know it
        (or may have missed some of its events); None if no such session exists."""
        session = self._sessions.get(session_id)
        if session is not None and self.follows(session_id):
            self._sessions.move_to_end(session_id)
            return session
        await self.follow(session_id)  # first, so that nothing published after the read is missed
        if session is not None and not session.stale:
            return session  # it had every event so far (a start published here)
        if session_id not in self._loading:
            self._loading[session_id] = asyncio.create_task(self._load(session_id))
        try:
            return await asyncio.shield(self._loading[session_id])
        finally:
            self._loading.pop(session_id, None)

    def follows(self, session_id: str) -> bool:
        """Whether this replica serves the session now (hears its events live)."""
        session = self._sessions.get(session_id)
        return session is not None and not session.stale and self._follows(session_id)

    def serves(self, session: LiveSession) -> bool:
        """Whether the session is this replica's, heard live (not a copy read for one piece of work)."""
        return self._sessions.get(session.session_id) is session and self._follows(session.session_id)

    async def look(self, session_id: str) -> LiveSession | None:
        """The session as this replica serves it, or else a copy read from the event store now, neither
        kept nor followed: for work that is not serving a candidate (the durable queue's, which any
        replica may get), so that it does not make this replica hear the session's events from then on."""
        session = self._sessions.get(session_id)
        if session is not None and self.follows(session_id):
            return session
        metrics.SESSION_READS.labels("gateway", "check").inc()
        try:
            events = await self._event_source(session_id)
        except Exception as error:
            raise StoreUnavailable(f"cannot read session {session_id} from the event store: {error}") from error
        if events is None:
            return None
        copy = LiveSession(session_id)
        for event in events:
            await copy.apply(event)
        return copy

    async def _load(self, session_id: str) -> LiveSession | None:
        metrics.SESSION_READS.labels("gateway", "serve").inc()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BACKFILL_SECONDS
        try:
            events = await self._event_source(session_id)
            # started on another replica a moment ago: the store has it as soon as persistence catches up
            while events is None and self._started_lately(session_id) and loop.time() < deadline:
                await asyncio.sleep(BACKFILL_INTERVAL)
                events = await self._event_source(session_id)
        except Exception as error:
            raise StoreUnavailable(f"cannot read session {session_id} from the event store: {error}") from error
        session = self._sessions.get(session_id)
        if events is None:
            return session
        if session is None:
            session = self._remember(LiveSession(session_id))
        for event in events:
            await session.apply(event)
        session.stale = False
        session.backfill = self._event_source
        session.backfill_until = asyncio.get_running_loop().time() + BACKFILL_SECONDS  # the clock waits use
        self._note_if_completed(session)
        return session

    def mark_all_stale(self) -> None:
        """After a broker reconnect the live queue may have missed events."""
        for session in self._sessions.values():
            session.stale = True

    def _remember(self, session: LiveSession) -> LiveSession:
        self._sessions[session.session_id] = session
        if len(self._sessions) > self._max_sessions:
            # Forgetting is safe (a forgotten session is rebuilt from the event store on demand),
            # except for one that a live stream is following.
            idle = [sid for sid, s in self._sessions.items() if not s.has_listeners]
            for session_id in idle[: len(self._sessions) - self._max_sessions]:
                self._forget(session_id)
        return session
