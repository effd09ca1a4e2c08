from pathlib import Path

from pydantic import Field, SecretStr

from shared.platform.addresses import Networks
from shared.platform.settings import Port, ServiceSettings


class ExporterSettings(ServiceSettings):
    port: Port = Field(8004, validation_alias="EXPORTER_PORT")
    google_sheets_credentials_file: Path | None = None
    google_sheets_spreadsheet_id: str | None = None
    # Google's API; another base URL serves a proxy or the tests' fake server
    google_sheets_api_url: str = "https://sheets.googleapis.com"
    # Sheets allows 60 write and 60 read requests per minute per user (a service account is one user)
    google_sheets_requests_per_minute: int = Field(60, ge=1, le=6000)
    # how long one export keeps retrying 429s and 5xx before the broker retries the event later
    google_sheets_retry_seconds: float = Field(120.0, ge=0, le=1800)
    # few events in hand at a time: each may retry Sheets for google_sheets_retry_seconds, and the last
    # one must still be acknowledged within RabbitMQ's consumer timeout (30 minutes by default)
    prefetch: int = Field(4, ge=1, le=1000)
    persistence_url: str = "http://127.0.0.1:8001"
    # webhooks: how long a receiver has to answer, and the unit of the retry schedule (1, 2, 4 ... 60 units)
    webhook_timeout_seconds: float = Field(10.0, gt=0, le=120)
    webhook_retry_seconds: float = Field(60.0, ge=1, le=3600)
    # the only addresses off the internet deliveries may go to (comma-separated, as on persistence)
    webhooks_allowed_networks: Networks = ()
    admin_token: SecretStr | None = None

    @property
    def sheets_configured(self) -> bool:
        return bool(self.google_sheets_credentials_file and self.google_sheets_spreadsheet_id)
