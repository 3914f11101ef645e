"""The list pages' own work, in process, without HTTP (issue 10 item 5): the tree's counts and rows, the member
list's rows and their rendering, each timed alone on a city world (bench/lists.py builds one).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench .venv/bin/python bench/list_render.py [--rounds 30]

For the office of the city (`vanphong.thanhuy`, in Vietnamese): the counts of the tree page's first level
(`orgs.queries.member_counts` over the root and its ~110 committees), the tree's rows (`orgs.views._nodes`),
their rendering (`orgs/_nodes.html`); a page of the member list sorted by name (50 rows: fetched, labelled,
personal data blanked, display texts made) and the rendering of `members/_results.html`. Prints p50/p95 in ms.
Run from an older checkout (its own code first on the path) to compare before and after on the same machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from city import timed  # noqa: E402  (puts this file's checkout first on the path)

sys.path.insert(0, str(Path.cwd()))  # then the checkout this is run from, whichever it is


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds

    import django

    django.setup()
    import dangvu

    print(f"code from {Path(dangvu.__file__).parent.parent}")
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    from dangvu.accounts import privacy
    from dangvu.accounts.models import User
    from dangvu.accounts.scope import home_organisations, members_for
    from dangvu.members import listing
    from dangvu.members.filters import MemberFilter
    from dangvu.orgs import lineage, queries
    from dangvu.orgs import views as org_views
    from dangvu.orgs.labels import attach_to

    translation.activate("vi")
    user = User.objects.get(username="vanphong.thanhuy")
    roots = home_organisations(user)
    children = lineage.children(roots, False)
    orgs = roots + children
    nodes = org_views._nodes(orgs, False)
    request = RequestFactory().get("/members/", {"sort": "name"})
    member_filter = MemberFilter.from_params(request.GET)
    rows_qs = member_filter.apply(members_for(user), user=user).select_related("organisation")

    def rows(_i):
        viewer = User.objects.get(pk=user.pk)  # a fresh user: nothing cached from the previous round
        page = attach_to(list(rows_qs[: settings.PAGE_SIZE]))
        for row in page:
            privacy.blank(row, privacy.hidden_fields(viewer, row))
        return listing.prepare_rows(page) if hasattr(listing, "prepare_rows") else page

    page = listing.CountedPaginator(rows_qs, settings.PAGE_SIZE, listing.Total(members_for(user).count())).get_page(1)
    page.object_list = rows(0)
    request.user = user
    context = {"page": page, "filter": member_filter, "can_export": True, "can_create": True}
    cases = [
        (f"tree counts ({len(orgs)} nodes)", lambda _i: queries.member_counts(orgs)),
        ("tree rows (_nodes: counts, labels, texts)", lambda _i: org_views._nodes(orgs, False)),
        ("tree rows rendered (orgs/_nodes.html)", lambda _i: render_to_string("orgs/_nodes.html", {"nodes": nodes})),
        ("member page rows (50: fetch, labels, privacy, texts)", rows),
        (
            "member rows rendered (members/_results.html)",
            lambda _i: render_to_string("members/_results.html", context, request=request),
        ),
    ]
    for what, fn in cases:
        result = timed(fn, rounds)
        print(f"  {what:54} p50 {result['p50_ms']:7.1f}  p95 {result['p95_ms']:7.1f}")


if __name__ == "__main__":
    main()
