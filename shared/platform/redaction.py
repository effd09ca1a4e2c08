"""Secrets that travel in a URL's query (an invitation link's token, the live stream's candidate token,
single sign-on's authorization code) are replaced before a URL is written to a log line or a span."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

SECRET_PARAMETERS = frozenset({"invitation", "candidate_token", "token", "code", "key"})
# and, found by a security retest, what a client might send a secret as by mistake (`?access_token=`, `?apikey=`,
# `?Candidate_Token=`): the API reads none of them, but the log would keep them
SECRET_WORDS = ("token", "secret", "password", "passwd", "apikey", "api_key", "credential", "signature")
REDACTED = "REDACTED"
_PARAMETER = re.compile(r"(?:(?<=[?&;])|^)([^=&;#?\s\"]+)=[^&#\s\"]*")


def redact_query(url: str) -> str:
    """`/?invitation=abc&x=1` -> `/?invitation=REDACTED&x=1` (a URL, a path or a bare query); a name written
    percent-encoded (`candidate%5Ftoken`, which the server reads as `candidate_token`) too."""
    return _PARAMETER.sub(_redacted, url) if "=" in url else url


def _redacted(parameter: re.Match[str]) -> str:
    name = parameter.group(1)
    return f"{name}={REDACTED}" if secret_parameter(unquote_plus(name)) else parameter.group(0)


def secret_parameter(name: str) -> bool:
    """Whether a query parameter of this name (any case, `-` or `_`) may carry a secret."""
    name = name.casefold().replace("-", "_")
    return name in SECRET_PARAMETERS or any(word in name for word in SECRET_WORDS)


class RedactAccessLog(logging.Filter):
    """uvicorn's access log line: (client, method, path with its query, HTTP version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = (*record.args[:2], redact_query(record.args[2]), *record.args[3:])
        return True


# scheme://user:password@host, the scheme's colon forgiven (`amqp//u:p@h` is a typo that reaches the logs too);
# the password runs to the last '@' before a space, '/' or '?' (which end a URL's authority), so a password with
# an '@' (or a '#') in it is masked whole, and `https://host:8443/notify?to=ops@example.com` is not taken for one
_USERINFO = re.compile(r"(?P<start>\b[A-Za-z][A-Za-z0-9+.-]*:?//[^\s:/?#@]*):[^\s/?]*@(?=\S)")
MASK = "***"


def redact_credentials(text: str) -> str:
    """`amqp://guest:s3cret@rabbit:5672/` -> `amqp://guest:***@rabbit:5672/`, wherever a URL appears in `text`."""
    return _USERINFO.sub(rf"\g<start>:{MASK}@", text) if "@" in text else text


class RedactCredentials(logging.Filter):
    """Every record a handler writes, whichever library logged it: the password of a URL with one masked in
    its message (arguments included) and its extra fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the message: logging reports that itself, later
            return True
        redacted = redact_credentials(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        for key, value in vars(record).items():
            if key not in ("msg", "message") and isinstance(value, str) and "@" in value:
                setattr(record, key, redact_credentials(value))
        return True
