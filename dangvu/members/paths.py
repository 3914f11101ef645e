"""`Member.org_path`: the member's cell path, copied onto the member row (see the field's comment).

It changes when a member changes cell (Member.save copies the new cell's path) and when a reorganisation
moves a subtree, which rewrites the paths of every organisation in it (dangvu.orgs.services calls
`resync_subtree` after the move, in the same transaction). `drift()` lists the rows that disagree: the
tests check it stays empty across services and reorganisations.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, QuerySet, Subquery

from dangvu.members.models import Member
from dangvu.orgs.models import Organisation


def _path_of_cell() -> Subquery:
    return Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id")).values("path")[:1])


def resync_subtree(path: str) -> int:
    """Copy the current paths onto the members of the organisations whose path starts with `path`."""
    cells = Organisation.objects.filter(path__startswith=path).values("pk")
    return Member.objects.filter(organisation_id__in=cells).update(org_path=_path_of_cell())


def resync_all() -> int:
    """Repair every row that drifted (a tool for operators; nothing in the code needs it)."""
    return Member.objects.filter(pk__in=drift().values("pk")).update(org_path=_path_of_cell())


def drift() -> QuerySet[Member]:
    return Member.objects.exclude(org_path=F("organisation__path"))
