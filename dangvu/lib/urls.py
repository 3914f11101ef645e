"""URL helpers: redirect targets taken from the request (`next`: only paths of this site are followed), and
links for many rows built from one reverse (`per_pk`)."""

from __future__ import annotations

from collections.abc import Callable

from django.shortcuts import resolve_url
from django.urls import reverse
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


PLACEHOLDER_PK = 987654321987  # digits that no URL prefix of this site contains


def per_pk(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for many pks at the cost of one reverse: the URL is reversed once with
    a placeholder pk and each pk is substituted into it (a list of thousands of links, the tree's rows)."""
    url = reverse(viewname, args=[PLACEHOLDER_PK])
    head, found, tail = url.rpartition(str(PLACEHOLDER_PK))
    if not found or str(PLACEHOLDER_PK) in head:
        raise ValueError(f"{viewname!r} does not take the pk as its one argument")
    return lambda pk: f"{head}{int(pk)}{tail}"
