"""Redirect targets taken from the request (`next`): only paths of this site are followed."""

from __future__ import annotations

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target: str | None, default: str = "web:home") -> str:
    """`target` when it is a URL of this site (a relative path, or this host with the request's scheme);
    otherwise the URL of `default` (a URL name or a path). `//evil.example/`, `https://evil.example/x`,
    `javascript:` and backslash tricks all fall back to the default."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)
