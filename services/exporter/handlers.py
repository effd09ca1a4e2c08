"""The exporter pushes every completed interview to Google Sheets and removes erased ones."""

import logging

from services.exporter.exporter import SheetsExporter
from shared.contracts.events import Event, InterviewErased, ReportGenerated
from shared.platform.messaging import Handler

log = logging.getLogger(__name__)


def build_handlers(exporter: SheetsExporter) -> dict[str, Handler]:
    async def export_interview(event: ReportGenerated) -> list[Event]:
        await exporter.export(event)
        return []

    async def remove_erased_interview(event: InterviewErased) -> list[Event]:
        removed = await exporter.remove(event.session_id)
        log.info("removed an erased interview's rows", extra={"session_id": event.session_id, "rows": removed})
        return []

    return {"ReportGenerated": export_interview, "InterviewErased": remove_erased_interview}


def acknowledging_handlers() -> dict[str, Handler]:
    """With Sheets export off, events are acknowledged and nothing else."""

    async def ignore(event: Event) -> list[Event]:
        return []

    return {"ReportGenerated": ignore, "InterviewErased": ignore}
