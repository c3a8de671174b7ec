"""Security headers on every response: a Content-Security-Policy without inline code, and friends.

The portal has no inline scripts, no inline styles and no `on*=` handlers (templates are checked by
tests/web/test_security_headers.py), so the policy needs neither nonces nor 'unsafe-inline'. htmx
is told not to inject its indicator styles or evaluate code (`<meta name="htmx-config">` in
templates/base.html). HSTS is sent only when the portal is configured for https (BASE_URL).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

# Sources of everything a page loads; img-src also gets the origin of the site's logo (see below).
POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HSTS_SECONDS = 63_072_000  # two years, as the HSTS preload list asks


def content_security_policy(logo_url: str = "") -> str:
    """The policy as a header value; an https logo's origin (set by an admin) may be shown."""
    policy = dict(POLICY)
    parts = urlsplit(logo_url)
    if parts.scheme == "https" and parts.hostname:
        policy["img-src"] += f" https://{parts.netloc}"
    return "; ".join(f"{name} {sources}" for name, sources in policy.items())


def uses_https(app: Flask) -> bool:
    """The portal is served over https when its public address (BASE_URL) says so."""
    return str(app.config["BASE_URL"]).lower().startswith("https://")


def _add_headers(response: Response) -> Response:
    settings = getattr(request, "site_settings", None)  # set when the page showed the header
    logo = str(getattr(settings, "logo_url", "") or "")
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(logo))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP 2
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if uses_https(current_app):
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}")
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response, error pages and static files included."""
    app.after_request(_add_headers)
