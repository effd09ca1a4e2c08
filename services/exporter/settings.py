from pathlib import Path

from pydantic import Field

from shared.settings import ServiceSettings


class ExporterSettings(ServiceSettings):
    port: int = Field(8004, validation_alias="EXPORTER_PORT")
    google_sheets_credentials_file: Path | None = None
    google_sheets_spreadsheet_id: str | None = None

    @property
    def sheets_configured(self) -> bool:
        return bool(self.google_sheets_credentials_file and self.google_sheets_spreadsheet_id)
