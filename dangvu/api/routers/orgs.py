"""Organisations: scoped list, tree with member counts, detail, history, lineage and counts on a date.

Every organisation is fetched through dangvu.accounts.scope with the `orgs.view` capability: an id outside
the caller's subtrees is a 404, a list without the capability a 403.
"""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from dangvu.accounts.scope import Scope, get_organisation_or_404, home_organisations, organisations_for
from dangvu.api.access import require
from dangvu.api.pagination import Page
from dangvu.api.schemas import (
    ErrorOut,
    LineageOut,
    MemberCountIn,
    MemberCountOut,
    OrgDetailOut,
    OrgFilterIn,
    OrgOut,
    OrgTreeIn,
    OrgTreeNode,
    ReorgOut,
)
from dangvu.api.types import Id
from dangvu.lib.text import fold
from dangvu.members.counts import by_head, in_subtree
from dangvu.orgs import queries
from dangvu.orgs.models import Organisation, Reorganisation, ReorgLink

router = Router(tags=["organisations"])
STEP = Organisation.steplen


def _with_parent_id(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate the current parent's id from the materialised path (a correlated, indexed lookup)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    return qs.annotate(parent_id=Subquery(Organisation.objects.filter(path=parent_path).values("pk")[:1]))


@router.get("/orgs", response={200: list[OrgOut], 403: ErrorOut})
@paginate(Page)
def list_orgs(request, filters: Query[OrgFilterIn]):
    """Organisations in the caller's scope, in tree order (paginated)."""
    require(request, "orgs.view")
    qs = organisations_for(request.auth)
    if filters.parent_id is not None:
        parent = Organisation.objects.filter(pk=filters.parent_id).values_list("path", "depth").first()
        qs = qs.filter(path__startswith=parent[0], depth=parent[1] + 1) if parent else qs.none()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.active is not None:
        qs = qs.filter(valid_to__isnull=filters.active)
    for word in fold(filters.q).split():
        qs = qs.filter(Q(name_search__contains=word) | Q(code__iexact=word))
    return _with_parent_id(qs).order_by("path")


@router.get("/orgs/tree", response={200: list[OrgTreeNode], 403: ErrorOut, 404: ErrorOut})
def org_tree(request, params: Query[OrgTreeIn]):
    """The caller's part of the current tree, nested, with in-party member counts of each node's whole
    subtree. A constant number of queries: the nodes, then one grouped count of members by cell."""
    require(request, "orgs.view")
    user = request.auth
    root_id, depth = params.root_id, params.depth
    roots = [get_organisation_or_404(user, root_id)] if root_id is not None else home_organisations(user)
    if not roots:
        return []
    within = Q()
    for root in roots:
        within |= Q(path__startswith=root.path, depth__lte=root.depth + depth)
    nodes_qs = Organisation.objects.filter(within)
    if not params.include_inactive:
        nodes_qs = nodes_qs.filter(Q(valid_to__isnull=True) | Q(pk__in=[r.pk for r in roots]))
    nodes = {o.path: o for o in nodes_qs.order_by("path")}

    counts = by_head(nodes)  # one aggregate over the maintained counts (dangvu.members.counts)

    built: dict[str, dict] = {}
    top: list[dict] = []
    root_paths = {r.path for r in roots}
    for path, o in nodes.items():  # tree order: a parent comes before its children
        node = {
            "id": o.pk,
            "code": o.code,
            "name": o.name,
            "kind": o.kind,
            "kind_label": str(o.get_kind_display()),
            "valid_from": o.valid_from,
            "valid_to": o.valid_to,
            "active": o.valid_to is None,
            "member_count": counts[path],
            "children": [],
        }
        if path in root_paths:
            top.append(node)
            built[path] = node
        elif path[:-STEP] in built:  # skip nodes under an excluded (inactive) node
            built[path[:-STEP]]["children"].append(node)
            built[path] = node
    return top


@router.get("/orgs/{org_id}", response={200: OrgDetailOut, 404: ErrorOut})
def org_detail(request, org_id: Id):
    """One organisation: kind, dates, current parent, number of children and of party members."""
    org = get_organisation_or_404(request.auth, org_id)
    parent = Organisation.objects.filter(path=org.path[:-STEP]).first() if org.depth > 1 else None
    org.parent_id = parent.pk if parent else None
    org.parent = parent
    org.children_count = org.numchild
    org.member_count = in_subtree(org.path)
    return org


@router.get("/orgs/{org_id}/history", response={200: list[ReorgOut], 404: ErrorOut})
@paginate(Page)
def org_history(request, org_id: Id):
    """Reorganisations that touched this organisation (as predecessor or successor), latest first,
    with the deciding document. Paginated."""
    org = get_organisation_or_404(request.auth, org_id)
    touching = ReorgLink.objects.filter(Q(predecessor=org) | Q(successor=org)).values("reorganisation_id")
    return (
        Reorganisation.objects.filter(pk__in=touching)
        .prefetch_related("links__predecessor", "links__successor")
        .order_by("-date", "-id")
    )


@router.get("/orgs/{org_id}/lineage", response={200: LineageOut, 404: ErrorOut})
def org_lineage(request, org_id: Id):
    """Predecessors and successors through mergers and splits, transitively, nearest first
    (dangvu.orgs.queries). Lineage names are listed even outside the caller's scope, because history is
    unreadable without them; `in_scope` tells which ones the caller may open."""
    org = get_organisation_or_404(request.auth, org_id)
    scope = Scope.of(request.auth, "orgs.view")

    def rows(orgs: list[Organisation]) -> list[dict]:
        return [
            {
                "id": o.pk,
                "code": o.code,
                "name": o.name,
                "kind": o.kind,
                "valid_from": o.valid_from,
                "valid_to": o.valid_to,
                "in_scope": scope.covers_path(o.path),
            }
            for o in orgs
        ]

    return {
        "organisation": org,
        "predecessors": rows(queries.predecessors(org)),
        "successors": rows(queries.successors(org)),
    }


@router.get("/orgs/{org_id}/members-count", response={200: MemberCountOut, 404: ErrorOut})
def org_members_count(request, org_id: Id, params: Query[MemberCountIn]):
    """Party members in the organisation's subtree as it was on `date` (dangvu.orgs.queries.member_count_on).
    With `lineage`, members of its predecessors on that date count too (days before a merger)."""
    org = get_organisation_or_404(request.auth, org_id)
    day = params.date or timezone.localdate()
    return {
        "organisation_id": org.pk,
        "date": day,
        "lineage": params.lineage,
        "count": queries.member_count_on(org, day, lineage=params.lineage),
    }
