"""A small OpenID Connect provider, a real HTTP server: discovery, an authorization endpoint that signs
in whoever `signed_in` names (no login form) and sends the browser back with a code, a token endpoint that
checks the client's secret and the code and issues an RS256-signed ID token, and its JWKS. It can be told
to sign with a key it does not publish, to leave the e-mail unverified, or to refuse."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakes.http import serve

CLIENT_ID, CLIENT_SECRET = "interviewer-dashboard", "oidc-client-secret"


@dataclass
class OIDCProvider:
    signed_in: str = "rita@example.com"  # whose e-mail the next sign-in gives
    email_verified: bool | str | None = True  # None: the claim is left out
    sign_with_unpublished_key: bool = False
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: int = 0

    def start(self) -> OIDCProvider:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self.reply(200, provider.discovery())
                elif url.path == "/jwks":
                    public = jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key(), as_dict=True)
                    self.reply(200, {"keys": [public | {"kid": "main", "use": "sig", "alg": "RS256"}]})
                elif url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                    self.send_response(302)
                    self.send_header("Location", back)
                    self.end_headers()
                else:
                    self.reply(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                form = {
                    k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["content-length"])).decode()).items()
                }
                provider.token_requests += 1
                asked = provider.codes.pop(form.get("code", ""), None)
                if (
                    form.get("client_secret") != CLIENT_SECRET
                    or asked is None
                    or asked["redirect_uri"] != form.get("redirect_uri")
                ):
                    self.reply(400, {"error": "invalid_grant"})
                    return
                self.reply(
                    200, {"access_token": "at", "token_type": "Bearer", "id_token": provider.id_token(asked["nonce"])}
                )

            def reply(self, status: int, body: dict[str, Any]) -> None:
                import json

                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: object) -> None:
                pass

        self.server, self.port = serve(Handler)
        return self

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def discovery(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "id_token_signing_alg_values_supported": ["RS256"]}  # fmt: skip

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": self.signed_in, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                  "nonce": nonce, "email": self.signed_in, "email_verified": self.email_verified}  # fmt: skip
        if self.email_verified is None:
            del claims["email_verified"]
        key = self.other_key if self.sign_with_unpublished_key else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "main"})

    def stop(self) -> None:
        self.server.shutdown()
