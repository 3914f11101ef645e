"""The member search box: names by word starts with the closest matches first, party card numbers and
citizen IDs. Used by dangvu.members.filters.MemberFilter (list page, XLSX export, API) so that the same
words give the same rows everywhere.

- Names: every word of the query must match the START of a word of the full name or the other names,
  without diacritics or case ("nguyen van an" finds Nguyễn Văn An and Nguyễn Văn Anh, not Nguyễn Văn
  Toàn, whose "an" is only inside words). `Member.name_search` holds the folded words
  separated by single spaces, so a word start is "at the beginning, or after a space": on PostgreSQL both
  are answered by the trigram index of migration members 0003 (pg_trgm pads words, so " an" needs the
  trigrams of a word start).
- Ranking (when sorted by name): the exact full name first, then the members whose given name is the last
  word typed, then the rest, each group in Vietnamese name order. The given name is read from the
  indexed sort key (`dangvu.lib.text.given_name_sort_prefixes`), not from a new column.
- Identifiers: a query made of 6 to 16 digits (spaces, dots and dashes ignored) is a party card number,
  matched exactly; 12 digits may also be a citizen ID, matched exactly. Each is matched only on the
  members on whom the user sees that field (dangvu.accounts.privacy, the personal-data table): a search
  must not reveal whose a number is to someone who could not read it on the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from dangvu.lib.text import fold, given_name_sort_prefixes

MAX_WORDS = 8
IDENTIFIER = re.compile(r"^\d{6,16}$")
_SEPARATORS = re.compile(r"[\s.\-]+")
_NOT_WORD = re.compile(r"[^\w]+")

EXACT, GIVEN_NAME, OTHER = 0, 1, 2


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[str, ...] = ()
    identifier: str = ""  # the query read as a card number / citizen ID (digits only)

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        text = (text or "").strip()
        digits = _SEPARATORS.sub("", text)
        if IDENTIFIER.match(digits):
            return cls(identifier=digits)
        words = [w for w in (_NOT_WORD.sub("", w) for w in fold(text).split(" ")) if w]
        return cls(words=tuple(dict.fromkeys(words))[:MAX_WORDS])

    @property
    def empty(self) -> bool:
        return not self.words and not self.identifier

    @property
    def phrase(self) -> str:
        return " ".join(self.words)


def word_start(word: str) -> Q:
    """Rows with a word of the name starting with `word` (already folded)."""
    return Q(name_search__startswith=word) | Q(name_search__contains=f" {word}")


def given_name_is(word: str) -> Q:
    prefixes = given_name_sort_prefixes(word)
    if not prefixes:
        return Q(pk__in=[])
    q = Q()
    for prefix in prefixes:
        q |= Q(name_sort__startswith=prefix)
    return q


def name_filter(query: SearchQuery) -> Q:
    q = Q()
    for word in query.words:
        q &= word_start(word)
    return q


def _exact_and_given(query: SearchQuery) -> tuple[Q, Q]:
    given = given_name_is(query.words[-1])
    exact = Q(name_search=query.phrase) | (Q(name_search__startswith=f"{query.phrase} ") & given)
    return exact, given


def rank(query: SearchQuery) -> Case:
    """0 exact full name, 1 given name equals the last word typed, 2 the rest.
    Exact: the folded names equal the query, or begin with it and the given name is its last word (the
    rest are other names: "Nguyễn Văn An" with other name "Ba" is an exact match for "nguyen van an")."""
    exact, given = _exact_and_given(query)
    return Case(
        When(exact, then=Value(EXACT)),
        When(given, then=Value(GIVEN_NAME)),
        default=Value(OTHER),
        output_field=IntegerField(),
    )


def rank_groups(query: SearchQuery) -> tuple[Q, Q, Q]:
    """The rows of rank EXACT, GIVEN_NAME and OTHER as three disjoint conditions, in rank order: together
    they are exactly the rows that `rank` sorts (name_search and name_sort are never NULL)."""
    exact, given = _exact_and_given(query)
    return exact, given & ~exact, ~given & ~exact


class RankedRows:
    """A page of a ranked name search fetched group by group instead of sorting every match on an
    expression (issue 10 item 5): each group is read in name order with a LIMIT, so PostgreSQL answers
    it from an index (the exact names from the name_search pattern index, the given names from the
    name_sort index, the rest by walking name_sort) and stops at the page's end; a first page is usually
    filled by the first one or two groups. The rows and their order are those of
    `qs.order_by("search_rank", *ordering)` (dangvu/members/tests/test_ranked_rows.py compares them).

    Only slicing is supported (what a Paginator and the API's pagination do). A group before the page
    is counted only to know how many of its rows to skip."""

    def __init__(self, qs: QuerySet, groups: tuple[Q, ...], ordering: tuple[str, ...]) -> None:
        self.qs = qs
        self.groups = groups
        self.ordering = ordering

    def __getitem__(self, key: slice) -> list:
        if not isinstance(key, slice) or key.step not in (None, 1) or key.stop is None:
            raise TypeError("RankedRows supports slices [start:stop] only")
        start, stop = key.start or 0, key.stop
        rows: list = []
        skip = start
        for condition in self.groups:
            need = stop - start - len(rows)
            if need <= 0:
                break
            group = self.qs.filter(condition).order_by(*self.ordering)
            part = list(group[skip : skip + need])
            if part:
                rows.extend(part)
                skip = 0
            elif skip:
                skip -= group.count()  # the whole group lies before the page
        return rows

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()


def identifier_filter(query: SearchQuery, user) -> Q:
    """Card number, and for 12 digits citizen ID, each only where `user` sees that field (no user: nowhere)."""
    from dangvu.accounts import privacy

    q = Q(pk__in=[])
    fields = ("card_number", "citizen_id") if len(query.identifier) == 12 else ("card_number",)
    for field in fields:
        where = privacy.where_visible(user, field)
        if where is not None:
            q |= Q(**{field: query.identifier}) & where
    return q
