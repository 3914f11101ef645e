from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Activity marks are remembered in the cache for the day: each test starts without them."""
    cache.clear()
    yield
    cache.clear()
