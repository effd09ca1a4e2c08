"""`python -m services.exporter [serve | export [--sheet-name NAME]]`"""

import argparse
import asyncio
import sys

import httpx
from pydantic import ValidationError

from services.exporter.app import create_app
from services.exporter.exporter import SheetsExporter
from services.exporter.rows import INTERVIEW_HEADER, rows_of
from services.exporter.settings import ExporterSettings
from shared.logs import configure_logging
from shared.service import run_service


async def export_all(settings: ExporterSettings, sheet_name: str) -> int:
    """Every completed interview, read through the persistence read API, into one worksheet."""
    headers = {"Authorization": f"Bearer {settings.admin_token.get_secret_value()}"} if settings.admin_token else {}
    async with httpx.AsyncClient(base_url=settings.persistence_url, timeout=300, headers=headers) as http:
        response = await http.get("/api/data/export/interviews.json")
        if response.status_code != 200:
            raise SystemExit(f"The read API answered {response.status_code}: {response.text[:300]}")
        documents = response.json()
    exporter = SheetsExporter(settings)
    try:
        if not await exporter.connect():
            raise SystemExit(f"Google Sheets export cannot start: {exporter.problem}.")
        rows = [rows_of(document).interview for document in documents]
        await exporter._run(exporter.sheets.replace_worksheet, sheet_name, INTERVIEW_HEADER, rows)
    finally:
        await exporter.close()
    return len(documents)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m services.exporter", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the exporter service (the default)")
    export = commands.add_parser("export", help="write every stored interview to one worksheet, replacing it")
    export.add_argument("--sheet-name", default="Interview Data", help="the worksheet (default: %(default)s)")
    args = parser.parse_args()
    if args.command in (None, "serve"):
        run_service("exporter", ExporterSettings, create_app)
        return
    try:
        settings = ExporterSettings()
    except ValidationError as error:
        sys.exit(f"exporter: configuration error: {error}")
    if not settings.sheets_configured:
        sys.exit("Set GOOGLE_SHEETS_CREDENTIALS_FILE and GOOGLE_SHEETS_SPREADSHEET_ID first (see the README).")
    configure_logging("exporter", settings.log_level)
    count = asyncio.run(export_all(settings, args.sheet_name))
    print(f"Exported {count} interviews to the worksheet '{args.sheet_name}'.")


if __name__ == "__main__":
    main()
