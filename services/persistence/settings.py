from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pymongo.errors import ConfigurationError as MongoConfigurationError
from pymongo.uri_parser_shared import _validate_uri

from shared.platform.addresses import Networks
from shared.platform.redaction import redact_credentials
from shared.platform.settings import Port, ServiceSettings


class PersistenceSettings(ServiceSettings):
    port: Port = Field(8001, validation_alias="PERSISTENCE_PORT")
    data_dir: Path = Path("./interview_data")
    mongodb_url: str | None = None
    mongodb_database: str = "interviewer"
    admin_token: SecretStr | None = None
    # a read with a consistency token waits this long for the writes it names, then answers 503
    consistency_wait_seconds: float = Field(2.0, ge=0, le=30)
    # an invitation link works this many days unless the recruiter says otherwise
    invitation_days: int = Field(14, ge=1, le=365)
    # where candidates open the web app: invitation links start with it
    public_url: str = "http://127.0.0.1:8000"
    # webhooks to plain http:// receivers beyond this machine (a receiver inside the company's own network):
    # deliveries carry candidates' answers and reports, so https:// unless this is set
    webhooks_allow_http: bool = False
    # webhooks reach the internet only; a receiver inside your network (or on this machine) needs its
    # addresses or networks here, comma-separated (10.0.0.0/8,127.0.0.1), and the same on the exporter
    webhooks_allowed_networks: Networks = ()
    # single sign-on for the dashboard (OpenID Connect, authorization code flow); unset: tokens only
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_name: str = "single sign-on"  # what the sign-in button says

    @field_validator("mongodb_url")
    @classmethod
    def _mongodb_connection_string(cls, value: str | None) -> str | None:
        """Checked as the client will (its own parsing, no DNS and no connection), so that a mistake is one
        line at start rather than a traceback."""
        if value:
            try:
                _validate_uri(value, validate=True, warn=True, normalize=False)
            except (MongoConfigurationError, ValueError) as error:  # InvalidURI included
                raise ValueError(f"not a MongoDB connection string: {redact_credentials(str(error))}") from None
        return value

    @model_validator(mode="after")
    def oidc_whole_or_not_at_all(self) -> "PersistenceSettings":
        given = [self.oidc_issuer, self.oidc_client_id, self.oidc_client_secret]
        if any(given) and not all(given):
            raise ValueError("OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: set all three, or none")
        return self

    @property
    def oidc_configured(self) -> bool:
        return bool(self.oidc_issuer)
