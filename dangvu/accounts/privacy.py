"""Who sees which personal data of a member record: the one place every surface asks (issue 16 item 1).

The table is `dangvu.accounts.permissions.PERSONAL_DATA` (field -> roles); the reasons are in
docs/decisions.md. A role sees a field of the members in the subtrees where the user holds that role
(`Scope.of(user, "see.<field>")`, like a capability); the member sees every field of their own record.

How a hidden value leaves the system (one rule per kind of surface):
The table covers the person's data wherever it is kept: the member record and, for a person on the way in,
the admission candidate's file (its page, API and DOCX forms), read at the candidate's cell.

- HTML pages and DOCX forms: the field is left out (pages also blank it on the object they render, so a
  template that forgets to ask shows nothing rather than the value);
- the REST API: the field is present with `null` (its description says so);
- the XLSX export: the column is left out when the field is hidden for every exported row, otherwise the
  cell of a row where it is hidden is empty;
- the search box: a citizen ID or card number finds a member only where the user sees that field.
"""

from __future__ import annotations

from django.db.models import Q

from dangvu.accounts.permissions import PERSONAL_DATA, SEE
from dangvu.accounts.scope import Scope

FIELDS: tuple[str, ...] = tuple(PERSONAL_DATA)
# Record fields (attributes of Member) in the table; "event_notes" are the notes of its events.
MEMBER_FIELDS: tuple[str, ...] = tuple(f for f in FIELDS if f != "event_notes")


def _known(field: str) -> None:
    if field not in PERSONAL_DATA:
        raise KeyError(f"Unknown personal-data field {field!r}; declare it in permissions.PERSONAL_DATA")


def may_see_at(user, path: str, person_id: int | None, field: str) -> bool:
    """Whether `user` sees `field` of the person whose record lies at organisation `path` (`person_id`:
    their member record, if any — the member always sees their own)."""
    _known(field)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if person_id is not None and getattr(user, "member_id", None) == person_id:
        return True
    return Scope.of(user, SEE + field).covers_path(path)


def may_see(user, member, field: str) -> bool:
    return may_see_at(user, member.org_path, member.pk, field)


_PRIVACY_KEY = "_privacy"  # in the user's per-request scope cache (dangvu.accounts.scope.Scope.of)


def _cached(user) -> dict:
    """The user's privacy answers for this request: the fields grouped by the scope in which the user sees
    them (fields of the same roles share a scope: 4 groups for 18 fields), and the hidden fields by path."""
    cache = user.__dict__.setdefault("_scope_cache", {})
    if _PRIVACY_KEY not in cache:
        groups: dict[Scope, set[str]] = {}
        for field in FIELDS:
            groups.setdefault(Scope.of(user, SEE + field), set()).add(field)
        cache[_PRIVACY_KEY] = {"groups": [(scope, frozenset(f)) for scope, f in groups.items()], "paths": {}}
    return cache[_PRIVACY_KEY]


def hidden_at(user, path: str, person_id: int | None) -> frozenset[str]:
    """The fields hidden from `user` on the person at `path` (`may_see_at` for every field): the scopes are
    asked once per request and the answer kept per path, so a list page of 50 rows asks a few scopes per
    row, not 18 questions (issue 10 item 5)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset(FIELDS)
    if person_id is not None and getattr(user, "member_id", None) == person_id:
        return frozenset()  # the member sees every field of their own record
    cached = _cached(user)
    hidden = cached["paths"].get(path)
    if hidden is None:
        hidden = frozenset().union(*(fields for scope, fields in cached["groups"] if not scope.covers_path(path)))
        cached["paths"][path] = hidden
    return hidden


def hidden_fields(user, member) -> frozenset[str]:
    """The fields of the table that `user` may not see on `member`."""
    return hidden_at(user, member.org_path, member.pk)


def hidden_for_candidate(user, candidate) -> frozenset[str]:
    """The same table for an admission candidate's file (the person is not a member yet, or became one at
    the ceremony): roles are read at the candidate's cell; the member record, once made, is the person."""
    return hidden_at(user, candidate.organisation.path, candidate.member_id)


def visible_fields(user, member) -> frozenset[str]:
    return frozenset(FIELDS) - hidden_fields(user, member)


def redact(user, member, data: dict) -> dict:
    """A copy of `data` (field -> value) with the fields `user` may not see on `member` set to None."""
    hidden = hidden_fields(user, member)
    return {key: (None if key in hidden else value) for key, value in data.items()}


def blank(obj, hidden: frozenset[str]) -> None:
    """Empty the hidden record fields on an object about to be rendered (never saved afterwards): None for
    nullable ones, "" for texts. Dates that are required stay as they are only when visible."""
    for field in hidden:
        if field == "event_notes" or not hasattr(obj, field):
            continue
        setattr(obj, field, "" if isinstance(getattr(obj, field), str) else None)


def where_visible(user, field: str, path_field: str = "org_path") -> Q | None:
    """A filter for the members on whom `user` sees `field` (their own record included); None: nowhere."""
    _known(field)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    scope = Scope.of(user, SEE + field)
    own = Q(pk=user.member_id) if getattr(user, "member_id", None) else None
    if scope.empty:
        return own
    q = scope.q(path_field)
    return q | own if own is not None else q


def sees_anywhere(user, field: str) -> bool:
    """Whether `user` holds a role that shows `field` somewhere (their own record aside)."""
    _known(field)
    return not Scope.of(user, SEE + field).empty


def covers(user, field: str, capability: str) -> bool:
    """Whether `user` sees `field` on every member within the scope of `capability` (then no per-row
    question is needed to decide that a column is shown)."""
    see, scope = Scope.of(user, SEE + field), Scope.of(user, capability)
    if see.everything:
        return True
    if scope.everything or scope.empty:
        return False
    return all(see.covers_path(prefix) for prefix in scope.prefixes)
