"""Security schemes and the requirements each operation declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SecurityScheme:
    """A security scheme from `components/securitySchemes`, with a one-line summary."""

    name: str
    type: str  # apiKey, http, oauth2, openIdConnect, mutualTLS
    description: str
    summary: str  # e.g. "API key in header `X-API-Key`", "HTTP bearer (JWT)"
    location: str = ""  # apiKey: header, query or cookie
    parameter: str = ""  # apiKey: the header, query parameter or cookie name
    scheme: str = ""  # http: the scheme, lower case (bearer, basic, ...)


@dataclass(frozen=True)
class Requirement:
    """One way to authenticate: every listed scheme together (with OAuth scopes)."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]  # (scheme name, scopes)


def security_schemes(doc: dict[str, Any]) -> tuple[SecurityScheme, ...]:
    """The document's security schemes, in document order."""
    components = doc.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return ()
    return tuple(
        SecurityScheme(
            str(name),
            str(s.get("type", "")),
            str(s.get("description") or ""),
            _summary(s),
            location=str(s.get("in") or "header") if s.get("type") == "apiKey" else "",
            parameter=str(s.get("name") or "") if s.get("type") == "apiKey" else "",
            scheme=str(s.get("scheme") or "").lower(),
        )
        for name, s in schemes.items()
        if isinstance(s, dict)
    )


def _summary(s: dict[str, Any]) -> str:
    kind = s.get("type")
    if kind == "apiKey":
        return f"API key in {s.get('in', 'header')} `{s.get('name', '')}`"
    if kind == "http":
        scheme = str(s.get("scheme", "")).lower()
        bearer = f" ({s['bearerFormat']})" if s.get("bearerFormat") else ""
        return f"HTTP {scheme}{bearer}" if scheme else "HTTP authentication"
    if kind == "oauth2":
        flows = s.get("flows") if isinstance(s.get("flows"), dict) else {}
        return "OAuth 2" + (f" ({', '.join(map(str, flows))} flow)" if flows else "")
    if kind == "openIdConnect":
        return f"OpenID Connect ({s.get('openIdConnectUrl', '')})"
    if kind == "mutualTLS":
        return "mutual TLS"
    return str(kind or "unknown")


def requirements(op: dict[str, Any], doc: dict[str, Any]) -> tuple[Requirement, ...] | None:
    """The operation's alternatives; None when neither it nor the document says anything.

    An empty tuple means the operation explicitly needs no authentication (`security: []`);
    a requirement without schemes (`{}`) is the alternative of sending no credentials.
    """
    declared = op.get("security", doc.get("security"))
    if not isinstance(declared, list):
        return None
    return tuple(
        Requirement(
            tuple(
                (str(name), tuple(str(s) for s in scopes or ()))
                for name, scopes in alternative.items()
            )
        )
        for alternative in declared
        if isinstance(alternative, dict)
    )
