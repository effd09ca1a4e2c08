"""`python -m services.exporter [serve | export [--sheet-name NAME]]`"""

import argparse
import asyncio
import sys

from pydantic import ValidationError

from services.exporter.app import create_app
from services.exporter.manual import ExportFailed, export_all
from services.exporter.settings import ExporterSettings
from shared.platform.logs import configure_logging
from shared.platform.service import run_service
from shared.platform.settings import what_is_wrong


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
        sys.exit(f"exporter: configuration error: {what_is_wrong(error)}")
    if not settings.sheets_configured:
        sys.exit("Set GOOGLE_SHEETS_CREDENTIALS_FILE and GOOGLE_SHEETS_SPREADSHEET_ID first (see the README).")
    configure_logging("exporter", settings.log_level)
    try:
        count = asyncio.run(export_all(settings, args.sheet_name))
    except ExportFailed as error:
        sys.exit(str(error))
    print(f"Exported {count} interviews to the worksheet '{args.sheet_name}'.")


if __name__ == "__main__":
    main()
