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


class EstimatedPage(Page):
    """The member list's pagination: `count` is exact up to a threshold and the planner's estimate past it
    (dangvu.members.listing), flagged by `count_estimated`. The endpoint returns a `listing.Counted`."""

    class Output(Schema):
        items: list[Any]
        count: int
        count_estimated: bool = Field(False, description="True when count is an estimate (past 2,000 rows)")

    def paginate_queryset(self, queryset, pagination: PageInput, request, **params: Any) -> Any:
        from dangvu.members.listing import Counted

        total = queryset.total if isinstance(queryset, Counted) else None
        rows = queryset.queryset if isinstance(queryset, Counted) else queryset
        if isinstance(queryset, Counted) and queryset.rows is not None:
            rows = queryset.rows
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        if total is None:
            from dangvu.members.listing import count

            total = count(rows)
        return {"items": rows[offset : offset + limit], "count": total.count, "count_estimated": total.estimated}
