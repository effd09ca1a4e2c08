"""Settings every service shares; each service extends `ServiceSettings` once."""

import ipaddress
import socket
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from yarl import URL

# the header with which the gateway vouches for the X-Forwarded-For of a request it passes on to persistence
GATEWAY_TOKEN_HEADER = "X-Gateway-Token"


class ConfigurationError(RuntimeError):
    """The environment asks for something this build cannot do."""


def what_is_wrong(error: ValidationError | ConfigurationError) -> str:
    """A settings error as the variables and what is wrong with each, never their values: pydantic's own text
    repeats the input, which for a check across settings is all of them, secrets included."""
    if isinstance(error, ConfigurationError):
        return str(error)
    parts = []
    for problem in error.errors(include_input=False, include_url=False, include_context=False):
        variable = ".".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")  # a validator's own words, as it wrote them
        parts.append(f"{variable}: {message}" if variable else message)
    return "; ".join(parts)


Port = Annotated[int, Field(ge=1, le=65535)]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def check_amqp_url(value: str) -> str:
    """amqp:// or amqps://, with a host: aio-pika retries anything else for ever, logging it every 5 s."""
    try:
        url = URL(value)
    except ValueError as error:  # yarl's words name the part (a port out of range), not the value
        raise ValueError(f"not a usable URL ({error})") from None
    if url.scheme not in ("amqp", "amqps") or not url.host:
        raise ValueError("must look like amqp://user:password@host:5672/ (or amqps://), with a host")
    if url.fragment or "#" in value:
        raise ValueError("has a '#': percent-encode it (%23) in the user or password")
    if any(character.isspace() for character in value):
        raise ValueError("has a space: percent-encode it (%20) in the user or password")
    return value


def check_host(value: str) -> str:
    """An address, or a name that resolves (uvicorn would fail on it only once the broker is connected)."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        try:
            socket.getaddrinfo(value, None)
        except (OSError, UnicodeError):
            raise ValueError("not an IP address, nor a host name that resolves here") from None
    return value


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(
        extra="ignore", frozen=True, env_ignore_empty=True, validate_by_name=True, validate_by_alias=True
    )

    # a `heartbeat` in its query (seconds) overrides the one the services ask for (messaging.HEARTBEAT_SECONDS)
    amqp_url: str = "amqp://guest:guest@localhost:5672/"
    broker_namespace: str = Field("interviewer", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    bind_host: str = "127.0.0.1"
    log_level: LogLevel = "INFO"
    prefetch: int = Field(32, ge=1, le=1000)
    delivery_limit: int = Field(10, ge=1, le=100)
    # what was dead-lettered after the delivery limit goes back to its queue this often, this many times
    auto_redrive_seconds: float = Field(300.0, ge=0, le=86_400)  # 0: never (python -m shared.platform.dlq by hand)
    auto_redrive_times: int = Field(12, ge=0, le=1000)
    publish_timeout_seconds: float = Field(5.0, gt=0)
    otel_exporter_otlp_endpoint: str | None = None
    deployment_environment: str = "development"  # on every trace (deployment.environment.name)
    port: int = Field(0, ge=0, le=65535)  # each service's own *_PORT (1-65535) replaces it
    # what the services present to each other (persistence's /internal reads, the exporter's and the
    # shadow run's reads of /api/data): the same on every service. `make run` makes one up for its run.
    internal_token: SecretStr | None = None

    _amqp_url = field_validator("amqp_url")(check_amqp_url)
    _bind_host = field_validator("bind_host")(check_host)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    def internal_credential(self) -> str | None:
        """The bearer token for another service: INTERNAL_TOKEN, else ADMIN_TOKEN where the service has one."""
        token: SecretStr | None = self.internal_token or getattr(self, "admin_token", None)
        return token.get_secret_value() if token else None

    def internal_headers(self) -> dict[str, str]:
        """What a request to another service carries: the bearer `internal_credential`, if there is one."""
        credential = self.internal_credential()
        return {"Authorization": f"Bearer {credential}"} if credential else {}

    def forwarding_headers(self, client: str) -> dict[str, str]:
        """What the gateway adds to a request it passes on for `client` (an address): X-Forwarded-For, and the
        `internal_credential` as GATEWAY_TOKEN_HEADER so that persistence believes it (from anyone else it
        records the address it sees)."""
        credential = self.internal_credential()
        return {"X-Forwarded-For": client} | ({GATEWAY_TOKEN_HEADER: credential} if credential else {})
