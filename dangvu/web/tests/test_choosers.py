"""The search endpoints behind the search-as-you-type selects (issue 9 item 4, dangvu.web.choosers): word
starts, the shared labels, and only what the user's scope for the form's capability covers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangvu import testing

pytestmark = pytest.mark.django_db
ORGS = reverse("web:choose_organisations")
MEMBERS = reverse("web:choose_members")


def results(client, url: str, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [r["label"] for r in response.json()["results"]]


def test_organisations_within_the_scope_of_the_capability(client, cast, tree):
    client.force_login(cast.office)  # office of committee A
    assert results(client, ORGS, **{"for": "members.edit", "cells": 1, "q": "chi bo"}) == [
        "Chi bộ Ban Hai",
        "Chi bộ Phòng Hai",
        "Chi bộ Phòng Một",
    ]
    assert results(client, ORGS, **{"for": "members.edit", "cells": 1, "q": "phong h"}) == ["Chi bộ Phòng Hai"]
    assert results(client, ORGS, **{"for": "members.edit", "q": "phan xuong"}) == []  # C3 is in committee B
    assert "Đảng bộ Sở Một" in results(client, ORGS, **{"for": "members.edit", "q": "so mot"})
    assert results(client, ORGS, **{"for": "members.edit", "cells": 1, "q": "so mot"}) == []  # not a cell
    client.force_login(cast.outsider)  # office of committee B
    assert results(client, ORGS, **{"for": "members.edit", "cells": 1, "q": "chi bo"}) == ["Chi bộ Phân xưởng Ba"]
    client.force_login(cast.admin)
    assert len(results(client, ORGS, **{"for": "members.edit", "cells": 1, "q": "chi bo"})) == 4


def test_namesakes_are_told_apart_by_the_shared_labels(client, cast, tree):
    testing.org(tree.b_base, "B1-C4", "Chi bộ Phòng Một", "cell")
    client.force_login(cast.admin)
    labels = results(client, ORGS, **{"for": "orgs.view", "q": "phong mot"})
    assert sorted(labels) == ["Chi bộ Phòng Một — Đảng bộ Công ty Ba", "Chi bộ Phòng Một — Đảng bộ Sở Một"]


@pytest.mark.parametrize("role", ["member", "nobody", "leader", "inspector"])
def test_users_without_the_capability_are_refused(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(ORGS, {"for": "members.edit", "q": "chi"}).status_code == 403
    assert client.get(MEMBERS, {"for": "meetings.manage", "q": "nguyen"}).status_code == 403


def test_unknown_purposes_and_anonymous_users(client, cast):
    client.force_login(cast.admin)
    response = client.get(ORGS, {"for": "rules.edit", "q": "a"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert client.get(MEMBERS, {"for": "accounts.two_factor"}).status_code == 400
    client.logout()
    assert client.get(ORGS, {"for": "orgs.view"}).status_code == 302


def test_members_within_scope_and_organisation(client, cast, people, tree):
    client.force_login(cast.secretary)  # secretary of C1: meetings.manage on C1
    assert results(client, MEMBERS, **{"for": "meetings.manage", "q": "an"}) == ["Nguyễn Văn An"]
    assert results(client, MEMBERS, **{"for": "meetings.manage", "q": "duc"}) == []  # Đức is in C2
    assert results(client, MEMBERS, **{"for": "meetings.manage", "q": "van"}) == ["Nguyễn Văn An"]  # word starts
    assert results(client, MEMBERS, **{"for": "meetings.manage", "organisation": tree.c2.pk}) == []  # not hers
    in_a1 = results(client, MEMBERS, **{"for": "meetings.manage", "organisation": tree.a_base.pk})
    assert in_a1 == ["Nguyễn Văn An", "Trần Thị Bình"]  # the grassroots above her cell: her cell's members only
    client.force_login(cast.office)
    everyone = results(client, MEMBERS, **{"for": "meetings.manage"})
    assert set(everyone) == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Đức"}  # not Em (committee B)
    assert results(client, MEMBERS, **{"for": "meetings.manage", "organisation": tree.c2.pk}) == ["Lê Minh Đức"]
    assert results(client, MEMBERS, **{"for": "meetings.manage", "organisation": tree.c3.pk}) == []
    assert client.get(MEMBERS, {"for": "meetings.manage", "organisation": "x"}).status_code == 400


def test_namesakes_among_members_get_their_birth_year(client, cast, people, tree):
    import datetime as dt

    testing.member(tree.c1, "Nguyễn Văn An", birth=dt.date(1990, 5, 1))
    client.force_login(cast.office)
    labels = results(client, MEMBERS, **{"for": "members.view", "q": "nguyen van an"})
    assert len(labels) == 2 and all("(sinh năm" in label for label in labels)


def test_the_forms_mark_their_long_selects(client, cast, tree):
    client.force_login(cast.office)
    page = client.get(reverse("members:create")).content.decode()
    assert 'data-chooser="/choices/organisations/?for=members.edit&amp;cells=1"' in page
    page = client.get(reverse("admission:create")).content.decode()
    assert 'data-chooser="/choices/organisations/?for=admission.propose&amp;cells=1"' in page
    page = client.get(reverse("meetings:create"), {"organisation": tree.c1.pk}).content.decode()
    assert f'data-chooser="/choices/members/?for=meetings.manage&amp;organisation={tree.c1.pk}"' in page


def test_the_long_forms_of_transfers_and_admission_steps_are_marked_too(client, cast, tree):
    client.force_login(cast.office)
    page = client.get(reverse("transfers:receive")).content.decode()
    assert 'data-chooser="/choices/organisations/?for=transfers.manage&amp;cells=1"' in page
    assert client.get(ORGS, {"for": "transfers.manage", "cells": 1, "q": "phong"}).status_code == 200
