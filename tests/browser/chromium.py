"""Debian's chromium driven through Playwright's sync API, shared by the browser tests.

Playwright's own browser download does not work on these machines (../shared/verified-facts.md). A missing
browser or Playwright is a FAILURE, never a skip: a green run must mean the flow ran.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dangvu.web.screens import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - shared with `dangvu screenshots`

TIMEOUT_MS = 15_000


def playwright_api():
    """(expect, sync_playwright), failing loudly when the browser or Playwright is missing."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Debian chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium`.")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as error:  # pragma: no cover - environment problem, reported loudly
        pytest.fail(f"Playwright for Python is not installed ({error}): pip install the dev extras.")
    return expect, sync_playwright
