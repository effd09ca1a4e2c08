"""Secrets that travel in a URL's query (an invitation link's token, the live stream's candidate token,
single sign-on's authorization code) are replaced before a URL is written to a log line or a span."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

SECRET_PARAMETERS = frozenset({"invitation", "candidate_token", "token", "code"})
REDACTED = "REDACTED"
_PARAMETER = re.compile(r"(?:(?<=[?&;])|^)([^=&;#?\s\"]+)=[^&#\s\"]*")


def redact_query(url: str) -> str:
    """`/?invitation=abc&x=1` -> `/?invitation=REDACTED&x=1` (a URL, a path or a bare query); a name written
    percent-encoded (`candidate%5Ftoken`, which the server reads as `candidate_token`) too."""
    return _PARAMETER.sub(_redacted, url) if "=" in url else url


def _redacted(parameter: re.Match[str]) -> str:
    name = parameter.group(1)
    return f"{name}={REDACTED}" if unquote_plus(name) in SECRET_PARAMETERS else parameter.group(0)


class RedactAccessLog(logging.Filter):
    """uvicorn's access log line: (client, method, path with its query, HTTP version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = (*record.args[:2], redact_query(record.args[2]), *record.args[3:])
        return True
