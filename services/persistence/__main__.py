"""`python -m services.persistence [serve | replay | export FOLDER | backup FILE | create-admin --email E [--name N] |
verify]`"""

import argparse
import asyncio
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError
from pymongo.errors import ConnectionFailure

from services.persistence.api.auth import find_user
from services.persistence.api.users import UserIn, create_user_events
from services.persistence.app import create_app
from services.persistence.chain import Verification
from services.persistence.exports import export_folder
from services.persistence.handlers import record_event
from services.persistence.replay import replay
from services.persistence.settings import PersistenceSettings
from services.persistence.store import Store, open_store, sqlite_path
from shared.platform.http_errors import describe_validation_errors
from shared.platform.logs import configure_logging
from shared.platform.service import run_service
from shared.platform.settings import what_is_wrong

T = TypeVar("T")


CANNOT_CHECK = 2  # the exit code of a command that could not do its work (verify's 1 means "tampered")
UNREACHABLE = (ConnectionFailure, sqlite3.Error)
EMPTY = ("This store holds no events: is it the one the services use? With MongoDB set MONGODB_URL (and "
         "MONGODB_DATABASE) as they have it; with SQLite, their DATA_DIR.")  # fmt: skip


async def _with_store(settings: PersistenceSettings, work: Callable[[Store], Awaitable[T]]) -> T:
    """`work` on the store the settings name, which is said first (MONGODB_URL unset: this DATA_DIR's SQLite,
    not the MongoDB a `make run-mongo` uses)."""
    store = open_store(settings)
    print(f"Store: {store.description}", file=sys.stderr)
    await store.open()
    try:
        return await work(store)
    finally:
        await store.close()


def _run(command: str, settings: PersistenceSettings, work: Callable[[Store], Awaitable[T]]) -> T:
    """`work` on the store, a store out of reach or a folder that cannot be written said in one line (exit 2)."""
    try:
        return asyncio.run(_with_store(settings, work))
    except UNREACHABLE as error:
        print(f"{command}: cannot use the store: {str(error).splitlines()[0][:300]}", file=sys.stderr)
    except OSError as error:
        print(f"{command}: {error.strerror or error}: {error.filename or ''}", file=sys.stderr)
    sys.exit(CANNOT_CHECK)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m services.persistence", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the persistence service (the default)")
    commands.add_parser("replay", help="rebuild every read model from the event store")
    exporting = commands.add_parser("export", help="write interviews.json, answers.json and job_descriptions.json")
    exporting.add_argument("folder", type=Path)
    commands.add_parser(
        "verify",
        help="check the event store's hash chain: exit 1 if an event was edited, removed or reordered, 2 if the "
        "store could not be read",
    )
    backing_up = commands.add_parser(
        "backup",
        help="copy the SQLite store, consistent while the services run (its recent writes too, which a copy of the "
        "file alone misses), and verify the copy's hash chain",
    )
    backing_up.add_argument("file", type=Path)
    admin = commands.add_parser("create-admin", help="create an admin user and print their first API token")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="")
    args = parser.parse_args()
    if args.command in (None, "serve"):
        run_service("persistence", PersistenceSettings, create_app)
        return
    try:
        settings = PersistenceSettings()
    except ValidationError as error:
        sys.exit(f"persistence: configuration error: {what_is_wrong(error)}")
    configure_logging("persistence", settings.log_level)
    if args.command != "create-admin" and not settings.mongodb_url and not sqlite_path(settings).exists():
        # reading a store that is not there would create an empty one, and find nothing wrong with it
        print(f"{args.command}: no store at {sqlite_path(settings)}: set DATA_DIR (or MONGODB_URL) as the services "
              "have it", file=sys.stderr)  # fmt: skip
        sys.exit(CANNOT_CHECK)
    if args.command == "create-admin":
        try:
            body = UserIn(email=args.email, name=args.name, role="admin")
        except ValidationError as error:
            sys.exit(f"create-admin: {describe_validation_errors(error.errors())}")

        async def create(store: Store) -> str | None:
            if await find_user(store, "email", body.email.casefold()) is not None:
                return None
            events, token = create_user_events(body, "command line")
            for event in events:  # straight into the event store: only persistence reads user events
                await record_event(store, event)
            return token

        token = _run("create-admin", settings, create)
        if token is None:
            sys.exit(f"A user with the e-mail {body.email} exists already.")
        print(
            f"Created the admin {body.email}. Their API token (shown once; sign in to the dashboard with it):\n{token}"
        )
    elif args.command == "verify":
        verification = _run("verify", settings, lambda store: store.verify_chain())
        print(verification.report())
        if not verification.entries:
            print(EMPTY, file=sys.stderr)
        sys.exit(0 if verification.ok else 1)
    elif args.command == "backup":
        backup(settings, args.file)
    elif args.command == "replay":
        sessions = _run("replay", settings, replay)
        if not sessions:
            print(EMPTY, file=sys.stderr)
        print(f"Rebuilt the read models of {sessions} sessions.")
    else:

        async def export(store: Store) -> dict[str, int]:
            if store.needs_rebuild:
                print("The read models are from an older version; rebuilding them first.")
                await replay(store)
            return await export_folder(store, args.folder)

        counts = _run("export", settings, export)
        print(f"Wrote {args.folder}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


def backup(settings: PersistenceSettings, target: Path) -> None:
    """SQLite's online backup of the store into `target` (a new file), then the copy's hash chain verified: the
    file alone is not a backup while the services run, since recent writes wait in its write-ahead log."""
    if settings.mongodb_url:
        sys.exit("backup: the store is MongoDB: back it up with mongodump, or your provider's snapshots "
                 "(deploy/README.md)")  # fmt: skip
    if target.exists():
        sys.exit(f"backup: {target} exists already: name a new file (nothing was overwritten)")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sqlite3.connect(sqlite_path(settings)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    except sqlite3.Error as error:
        target.unlink(missing_ok=True)
        print(f"backup: cannot copy the store: {error}", file=sys.stderr)
        sys.exit(CANNOT_CHECK)
    from services.persistence.store.sqlite import SQLiteStore

    async def verify_copy() -> Verification:
        copy = SQLiteStore(target)
        await copy.open()
        try:
            return await copy.verify_chain()
        finally:
            await copy.close()

    verification = asyncio.run(verify_copy())
    print(f"Backed up {sqlite_path(settings)} to {target}.\n{verification.report()}")
    sys.exit(0 if verification.ok else 1)


if __name__ == "__main__":
    main()
