"""Secrets that travel in a URL's query (an invitation link's token, the live stream's candidate token,
single sign-on's authorization code) are replaced before a URL is written to a log line or a span."""

from __future__ import annotations

import logging
import re

SECRET_PARAMETERS = ("invitation", "candidate_token", "token", "code")
REDACTED = "REDACTED"
_SECRET = re.compile(r"(?:(?<=[?&;])|^)(" + "|".join(SECRET_PARAMETERS) + r")=[^&#\s\"]*")


def redact_query(url: str) -> str:
    """`/?invitation=abc&x=1` -> `/?invitation=REDACTED&x=1` (a URL, a path or a bare query)."""
    return _SECRET.sub(rf"\1={REDACTED}", url) if "=" in url else url


class RedactAccessLog(logging.Filter):
    """uvicorn's access log line: (client, method, path with its query, HTTP version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = (*record.args[:2], redact_query(record.args[2]), *record.args[3:])
        return True
