"""`python -m services.persistence [serve | replay | export FOLDER | create-admin --email E [--name N] | verify]`"""

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from services.persistence.api.auth import find_user
from services.persistence.api.users import UserIn, create_user_events
from services.persistence.app import create_app
from services.persistence.exports import export_folder
from services.persistence.handlers import record_event
from services.persistence.replay import replay
from services.persistence.settings import PersistenceSettings
from services.persistence.store import Store, open_store
from shared.platform.http_errors import describe_validation_errors
from shared.platform.logs import configure_logging
from shared.platform.service import run_service
from shared.platform.settings import what_is_wrong

T = TypeVar("T")


async def _with_store(settings: PersistenceSettings, work: Callable[[Store], Awaitable[T]]) -> T:
    store = open_store(settings)
    await store.open()
    try:
        return await work(store)
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m services.persistence", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the persistence service (the default)")
    commands.add_parser("replay", help="rebuild every read model from the event store")
    exporting = commands.add_parser("export", help="write interviews.json, answers.json and job_descriptions.json")
    exporting.add_argument("folder", type=Path)
    commands.add_parser(
        "verify", help="check the event store's hash chain: exit 1 if an event was edited, removed or reordered"
    )
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

        token = asyncio.run(_with_store(settings, create))
        if token is None:
            sys.exit(f"A user with the e-mail {body.email} exists already.")
        print(
            f"Created the admin {body.email}. Their API token (shown once; sign in to the dashboard with it):\n{token}"
        )
    elif args.command == "verify":
        verification = asyncio.run(_with_store(settings, lambda store: store.verify_chain()))
        print(verification.report())
        sys.exit(0 if verification.ok else 1)
    elif args.command == "replay":
        sessions = asyncio.run(_with_store(settings, replay))
        print(f"Rebuilt the read models of {sessions} sessions.")
    else:

        async def export(store: Store) -> dict[str, int]:
            if store.needs_rebuild:
                print("The read models are from an older version; rebuilding them first.")
                await replay(store)
            return await export_folder(store, args.folder)

        counts = asyncio.run(_with_store(settings, export))
        print(f"Wrote {args.folder}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


if __name__ == "__main__":
    main()
