"""The exporter pushes every completed interview to Google Sheets (again when its report is revised after an
upheld correction) and removes erased ones."""

import logging

from services.exporter.exporter import SheetsExporter
from shared.contracts.events import Event, InterviewErased, ReportGenerated, ReportRevised
from shared.platform.handlers import Handlers

log = logging.getLogger(__name__)


def build_handlers(exporter: SheetsExporter) -> Handlers:
    handlers = Handlers()

    @handlers.on(ReportGenerated, ReportRevised)
    async def export_interview(event: ReportGenerated | ReportRevised) -> list[Event]:
        await exporter.export(event)
        return []

    @handlers.on(InterviewErased)
    async def remove_erased_interview(event: InterviewErased) -> list[Event]:
        removed = await exporter.remove(event.session_id)
        log.info("removed an erased interview's rows", extra={"session_id": event.session_id, "rows": removed})
        return []

    return handlers


def acknowledging_handlers() -> Handlers:
    """With Sheets export off, events are acknowledged and nothing else."""
    handlers = Handlers()

    @handlers.on(ReportGenerated, ReportRevised, InterviewErased)
    async def ignore(event: Event) -> list[Event]:
        return []

    return handlers
