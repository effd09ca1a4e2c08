"""Structured logs: one JSON object per line on stderr."""

import json
import logging
import sys
from datetime import UTC, datetime

from aiormq.exceptions import ChannelInvalidStateError

from shared.platform.redaction import RedactAccessLog, RedactCredentials, redact_credentials
from shared.platform.telemetry import current_trace_ids

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}
BROKER_CLIENTS = ("aiormq", "aio_pika")
# what a broker restart or a dropped connection raises in the AMQP client: each connection and channel says it
# went, with a traceback; the services reconnect by themselves (and log that), so one line each is enough
DISCONNECTS: tuple[type[BaseException], ...] = (ConnectionError, ChannelInvalidStateError)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry |= {key: value for key, value in vars(record).items() if key not in _STANDARD}
        entry |= current_trace_ids()
        if record.exc_info and disconnected(record):
            entry["error"] = repr(record.exc_info[1])
        elif record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        # a URL's password in a traceback or an extra field is masked too, whoever wrote the record
        return redact_credentials(json.dumps(entry, default=str))


def disconnected(record: logging.LogRecord) -> bool:
    """The AMQP client telling of a connection or channel that went: no traceback to read there."""
    error = record.exc_info[1] if record.exc_info else None
    return record.name.split(".")[0] in BROKER_CLIENTS and isinstance(error, DISCONNECTS)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(RedactCredentials())  # on the handler: it sees every library's records, not only ours
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactAccessLog) for f in access.filters):
        access.addFilter(RedactAccessLog())
    logging.getLogger("aiormq").setLevel(logging.WARNING)
    logging.getLogger("aio_pika").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
