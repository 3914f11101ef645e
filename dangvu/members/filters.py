"""The one definition of member-list filtering, searching and sorting, shared by the list page, its
XLSX export and the API, so that the same parameters always give the same rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Concat

from dangvu.members import search
from dangvu.members.models import Member, Status

SORTS = {
    "name": ("name_sort", "id"),
    "-name": ("-name_sort", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "admission": ("admission_date", "id"),
    "-admission": ("-admission_date", "-id"),
}
DEFAULT_SORT = "name"
IN_PARTY = "in_party"  # pseudo-status: probationary or official
# From this many rows a name-sorted page is read along the name index; below, the scope's rows are sorted.
SORTED_BY_INDEX_FROM = 20_000


@dataclass
class MemberFilter:
    q: str = ""  # name words (word starts, diacritics and case ignored), a party card number or citizen ID
    organisation_id: int | None = None  # that organisation's current subtree
    status: str = IN_PARTY  # a Status value, IN_PARTY, or "" for all
    sex: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_params(cls, params) -> MemberFilter:
        """Build from a QueryDict or dict; unknown or malformed values fall back to defaults."""
        org = params.get("organisation") or params.get("organisation_id")
        status = params.get("status", IN_PARTY)
        sort = params.get("sort", DEFAULT_SORT)
        return cls(
            q=(params.get("q") or "").strip()[:100],
            organisation_id=int(org) if str(org or "").isdigit() else None,
            status=status if status in {*Status.values, IN_PARTY, ""} else IN_PARTY,
            sex=params.get("sex") if params.get("sex") in ("M", "F") else "",
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )

    def organisation_path(self) -> str | None:
        """The path of the organisation filtered on (read once per filter), None if there is none."""
        from dangvu.orgs.models import Organisation

        if self.organisation_id is None:
            return None
        if getattr(self, "_path_for", None) != self.organisation_id:
            self._path = Organisation.objects.filter(pk=self.organisation_id).values_list("path", flat=True).first()
            self._path_for = self.organisation_id
        return self._path

    def apply(self, members: QuerySet[Member], *, user=None) -> QuerySet[Member]:
        """Filter an already scope-limited queryset (dangvu.accounts.scope.members_for). `user` lets the
        search box find card numbers and citizen IDs where that user may read them (dangvu.members.search,
        dangvu.accounts.privacy); without it a search finds names only."""
        qs = members
        if self.organisation_id is not None:
            path = self.organisation_path()
            qs = qs.filter(org_path__startswith=path) if path else qs.none()
        if self.status == IN_PARTY:
            qs = qs.filter(status__in=Status.in_party())
        elif self.status:
            qs = qs.filter(status=self.status)
        if self.sex:
            qs = qs.filter(sex=self.sex)
        ordering = SORTS[self.sort]
        query = search.SearchQuery.parse(self.q)
        if query.identifier:
            qs = qs.filter(search.identifier_filter(query, user))
        elif query.words:
            qs = qs.filter(search.name_filter(query))
            if self.sort in ("name", "-name"):
                # The closest matches first (exact full name, then the given name), each group in name
                # order. Sorting on an expression also keeps PostgreSQL from walking the whole name_sort
                # index row by row for a few matches (bench/city.py).
                qs = qs.annotate(search_rank=search.rank(query))
                ordering = ("search_rank", *ordering)
        return qs.order_by(*ordering)

    def rows(self, qs: QuerySet[Member], total=None) -> QuerySet[Member] | search.RankedRows:
        """What a page slices: `qs` (the result of `apply`, perhaps with select_related), or for a name
        search sorted by name the same rows fetched rank group by rank group (search.RankedRows).

        `total` (dangvu.members.listing.Total), when known exactly and at most SORTED_BY_INDEX_FROM rows:
        the name order is then given as an expression, so that PostgreSQL reads the few rows of the scope
        from the organisation-path index and sorts them, instead of walking the whole name index of every
        member in the database and dropping those outside the scope (a committee's 1,400 members among
        150,000: 23,000 index entries for page 4). Same rows, same order: name_sort is made of digits."""
        query = search.SearchQuery.parse(self.q)
        if query.words and self.sort in ("name", "-name") and not query.identifier:
            return search.RankedRows(qs, search.rank_groups(query), SORTS[self.sort])
        small = total is not None and not total.estimated and total.count < SORTED_BY_INDEX_FROM
        if small and self.sort in ("name", "-name"):
            key = Concat("name_sort", Value(""), output_field=CharField())
            return qs.order_by(key.desc() if self.sort == "-name" else key.asc(), SORTS[self.sort][1])
        return qs
