"""Scope-aware access: every page, API endpoint, export and count asks here what the user may see.

`Scope.of(user, capability)` gives the organisation subtrees (materialised-path prefixes) in which the
user holds a role granting the capability. Objects are fetched only through `get_*_or_404` helpers, so an
object outside scope is a 404 and never leaks its existence.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.accounts.permissions import roles_for


@dataclass(frozen=True)
class Scope:
    everything: bool
    prefixes: tuple[str, ...]
    member_id: int | None = None  # the user's own member record (member role: own record only)

    @classmethod
    def of(cls, user, capability: str) -> Scope:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(False, ())
        cache = user.__dict__.setdefault("_scope_cache", {})
        if capability in cache:
            return cache[capability]
        allowed = roles_for(capability)
        assignments = [(role, path) for role, path in _assignments(user) if role in allowed]
        everything = any(role == Role.ADMIN for role, _path in assignments)
        paths = sorted({path for _role, path in assignments if path})
        prefixes: list[str] = []
        for path in paths:  # drop paths already covered by a shorter prefix
            if not any(path.startswith(p) for p in prefixes):
                prefixes.append(path)
        scope = cls(everything, tuple(prefixes), user.member_id)
        cache[capability] = scope
        return scope

    @property
    def empty(self) -> bool:
        return not self.everything and not self.prefixes

    def q(self, path_field: str = "path") -> Q:
        """Filter for rows whose organisation path lies inside the scope.
        For the whole tree, a condition that is always true and adds nothing to the SQL, but unlike an
        empty Q() survives `|`: Django drops an empty Q from an OR, so `Q() | Q(author=user)` would have
        narrowed the administrator to the author's rows (docs/decisions.md)."""
        if self.everything:
            return ~Q(pk__in=[])
        if not self.prefixes:
            return Q(pk__in=[])
        q = Q()
        for prefix in self.prefixes:
            q |= Q(**{f"{path_field}__startswith": prefix})
        return q

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.prefixes)


def _assignments(user) -> list[tuple[str, str | None]]:
    """The user's current (role, organisation path) pairs: one query per user object (per request)."""
    if "_assignments" not in user.__dict__:
        user.__dict__["_assignments"] = [
            (a.role, a.organisation.path if a.organisation_id else None)
            for a in RoleAssignment.objects.current().filter(user=user).select_related("organisation")
        ]
    return user.__dict__["_assignments"]


def role_paths(user, roles: set[str]) -> list[str]:
    """The paths of the organisations where the user currently holds one of `roles` — the organisations
    themselves, not their subtrees (e.g. the cell whose secretary the user is)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return sorted({path for role, path in _assignments(user) if role in roles and path})


def has_capability(user, capability: str) -> bool:
    return not Scope.of(user, capability).empty


def organisations_for(user, capability: str = "orgs.view") -> QuerySet:
    from dangvu.orgs.models import Organisation

    return Organisation.objects.filter(Scope.of(user, capability).q("path"))


def members_for(user, capability: str = "members.view") -> QuerySet:
    """Members the user may see for `capability`; a plain member sees their own record only."""
    from dangvu.members.models import Member

    scope = Scope.of(user, capability)
    if scope.empty:
        if capability == "members.view" and getattr(user, "member_id", None):
            return Member.objects.filter(pk=user.member_id)
        return Member.objects.none()
    return Member.objects.filter(scope.q("org_path"))


def get_organisation_or_404(user, pk: int, capability: str = "orgs.view"):
    org = organisations_for(user, capability).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def get_member_or_404(user, pk: int, capability: str = "members.view"):
    member = members_for(user, capability).select_related("organisation").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


ORG_OPTIONS_LIMIT = 300  # a select longer than this is unusable and heavy to render at city size


def scope_options(user, capability: str, selected=None) -> list[tuple[int, str]]:
    """The organisation choices of a filter or form: the top levels of the user's scope for `capability`
    (two levels below the top while that stays under ORG_OPTIONS_LIMIT, else one), indented and named with
    the shared label (dangvu.orgs.labels), plus `selected` (an organisation or its id, when in scope). Deeper
    ones are reached by typing (the organisation chooser) or from the organisation pages."""
    from dangvu.orgs.labels import org_labels
    from dangvu.orgs.models import Organisation

    scope_orgs = organisations_for(user, capability).filter(valid_to__isnull=True)
    scope = Scope.of(user, capability)
    top = 1 if scope.everything else min((len(p) // Organisation.steplen for p in scope.prefixes), default=1)
    options = scope_orgs.filter(depth__lte=top + 2)
    if options.count() > ORG_OPTIONS_LIMIT:
        options = scope_orgs.filter(depth__lte=top + 1)
    fields = ("id", "name", "name_search", "depth", "path")
    orgs = list(options.only(*fields).order_by("path")[:ORG_OPTIONS_LIMIT])
    chosen = getattr(selected, "pk", selected)
    if chosen and all(o.pk != chosen for o in orgs):
        if isinstance(selected, Organisation):
            orgs.append(selected)
        else:
            orgs += list(scope_orgs.filter(pk=chosen).only(*fields))
    labels = org_labels(orgs)
    return [(o.pk, "\u00a0\u00a0" * max(o.depth - top, 0) + labels[o.pk]) for o in orgs]


def home_organisations(user) -> list:
    """The top organisations of the user's roles (where the tree page starts)."""
    from dangvu.orgs.models import Organisation

    scope = Scope.of(user, "orgs.view")
    if scope.everything:
        return list(Organisation.objects.filter(depth=1).order_by("path"))
    return list(Organisation.objects.filter(path__in=scope.prefixes).order_by("path"))


def organisation_url(user, org) -> str | None:
    """The organisation's page when the user may open it, else None: a page never links to an
    organisation page that would be a 404 for its reader (a plain member and their cell, issue 9 item 6)."""
    from django.urls import reverse

    if org is None or not Scope.of(user, "orgs.view").covers_path(org.path):
        return None
    return reverse("orgs:detail", args=[org.pk])
