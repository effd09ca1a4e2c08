"""The exporter pushes every completed interview to Google Sheets when that is configured."""

import logging

from services.exporter.settings import ExporterSettings
from shared.events import Event, InterviewErased, ReportGenerated
from shared.messaging import Handler

log = logging.getLogger(__name__)


def build_handlers(settings: ExporterSettings) -> dict[str, Handler]:
    if not settings.sheets_configured:
        log.info(
            "Google Sheets export is off (set GOOGLE_SHEETS_CREDENTIALS_FILE and GOOGLE_SHEETS_SPREADSHEET_ID "
            "to turn it on); completed interviews are acknowledged without export"
        )
    else:
        log.warning(
            "Google Sheets is configured, but this version cannot export yet (issue 5); "
            "completed interviews are acknowledged without export"
        )

    async def export_interview(event: ReportGenerated) -> list[Event]:
        log.debug("interview not exported: Sheets export unavailable", extra={"session_id": event.session_id})
        return []

    async def remove_erased_interview(event: InterviewErased) -> list[Event]:
        log.debug("nothing to remove: Sheets export unavailable", extra={"session_id": event.session_id})
        return []

    return {"ReportGenerated": export_interview, "InterviewErased": remove_erased_interview}
