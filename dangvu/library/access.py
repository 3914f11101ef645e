"""Who reads which document in the library (docs/decisions.md, issue 14, library):

- a document *published to members* (its library entry has `published_at`) is read by every user whose
  organisations lie at or below its issuer: the member's own cell (their member record) and the
  organisations where the user holds a role — i.e. the documents of one's own organisations and of the
  ones above them. Nothing flows sideways or upwards;
- staff with `register.view` also read every document of their subtrees, published or not (the office
  checks a text before publishing it; the register pages show the same documents);
- publishing and the body text are the register's managers' (`register.manage` over the issuer).

Out of reach is a 404, as everywhere."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.accounts.models import Role
from dangvu.accounts.scope import Scope, role_paths
from dangvu.docregister.access import MANAGE, VIEW
from dangvu.docregister.models import Document
from dangvu.orgs.models import Organisation


def own_paths(user) -> list[str]:
    """The paths of the user's own organisations: their member record's cell and their roles' organisations."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    paths = set(role_paths(user, set(Role.values)))
    if user.member_id:
        from dangvu.members.models import Member

        cell = Member.objects.filter(pk=user.member_id).values_list("org_path", flat=True).first()
        if cell:
            paths.add(cell)
    return sorted(paths)


def above_paths(user) -> list[str]:
    """Own organisations and every organisation above them (path prefixes)."""
    step = Organisation.steplen
    return sorted({p[:i] for p in own_paths(user) for i in range(step, len(p) + 1, step)})


def visible_q(user) -> Q:
    if "_library_q" not in user.__dict__:
        published = Q(library_entry__published_at__isnull=False, organisation__path__in=above_paths(user))
        scope = Scope.of(user, VIEW)
        user.__dict__["_library_q"] = published | scope.q("organisation__path") if not scope.empty else published
    return user.__dict__["_library_q"]


def documents_for(user) -> QuerySet[Document]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Document.objects.none()
    if Scope.of(user, VIEW).everything:
        return Document.objects.all()
    return Document.objects.filter(visible_q(user))


def get_document_or_404(user, pk: int) -> Document:
    document = documents_for(user).select_related("organisation", "term").filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def can_publish(user, document: Document) -> bool:
    return Scope.of(user, MANAGE).covers_path(document.organisation.path)
