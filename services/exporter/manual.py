"""The manual export: every stored interview, read through the persistence read API, into one worksheet."""

import httpx

from services.exporter.exporter import SheetsExporter
from services.exporter.rows import ANSWERS, INTERVIEW_HEADER, INTERVIEWS, rows_of
from services.exporter.settings import ExporterSettings


class ExportFailed(RuntimeError):
    pass


def reserved_sheet_problem(sheet_name: str) -> str | None:
    """Why the manual export may not write to this worksheet, if it may not: the automatic export's
    worksheets are kept up to date row by row, and replacing one would mix two layouts."""
    if sheet_name.strip().casefold() in (INTERVIEWS.casefold(), ANSWERS.casefold()):
        return (f"'{sheet_name}' is kept up to date by the automatic export (worksheets '{INTERVIEWS}' and "
                f"'{ANSWERS}'); choose another name, such as 'Interview Data'.")  # fmt: skip
    return None


async def export_all(settings: ExporterSettings, sheet_name: str, exporter: SheetsExporter | None = None) -> int:
    """Every completed interview, read through the persistence read API, into one worksheet: through the
    running service's `exporter` when given (one pacer for the account's quota), else a connection of its own."""
    if problem := reserved_sheet_problem(sheet_name):
        raise ExportFailed(problem)
    async with httpx.AsyncClient(
        base_url=settings.persistence_url, timeout=300, headers=settings.internal_headers()
    ) as http:
        response = await http.get("/api/data/export/interviews.json")
        if response.status_code == 401:
            raise ExportFailed("The read API refused the export: set INTERNAL_TOKEN (or ADMIN_TOKEN) as the running "
                               "services have it.")  # fmt: skip
        if response.status_code != 200:
            raise ExportFailed(f"The read API answered {response.status_code}: {response.text[:300]}")
        documents = response.json()
    rows = [rows_of(document).interview for document in documents]
    own = exporter is None
    if exporter is None:
        exporter = SheetsExporter(settings)
    try:
        if not (exporter.ready or own and await exporter.connect()):
            raise ExportFailed(f"Google Sheets export cannot start: {exporter.problem}.")
        await exporter.replace_worksheet(sheet_name, INTERVIEW_HEADER, rows)
    finally:
        if own:
            await exporter.close()
    return len(documents)
