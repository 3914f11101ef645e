"""One pagination for every API list: `limit` (default 50, at most 500) and `offset`, answered as
`{"count": <total rows>, "items": [...]}`. Endpoints return an ordered queryset and ninja slices it,
so a page costs two queries (the count and the rows) whatever the offset."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from dangvu.api.types import MAX_COUNT

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageInput(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page (at most 500)")
    offset: int = Field(0, ge=0, le=MAX_COUNT, description="Rows to skip")


class Page(LimitOffsetPagination):
    Input = PageInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
