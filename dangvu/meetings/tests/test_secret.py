"""A secret vote never reveals who voted what (issue 4 acceptance): not in the data model, not in the audit
trail (simple-history), not in the pages, the API or the minutes.

The model holds no link between a person and a choice (`SecretReceipt`: who voted; `SecretCount`: how many
chose each answer, no row per ballot, no time, no history; issue 16 item 2). The pages, API and minutes are
checked by non-interference: while the vote is open, its ballots are cast again by the same voters with the
same counts but the choices assigned otherwise and in another order; once it is closed, the receipts are
stored in another order. Every page, API answer and minutes document must read exactly the same. Whether the
data at rest can pair them is tried in test_ballot_pairing.py.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from io import BytesIO

import pytest
from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from dangvu import testing
from dangvu.accounts.models import ApiToken
from dangvu.meetings import secret, services
from dangvu.meetings.models import (
    Invitation,
    Meeting,
    SecretCount,
    SecretReceipt,
    Vote,
    VoteMethod,
    VoteRule,
)
from dangvu.meetings.tests.test_lifecycle import inv, plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings

CHOICES = ["yes", "no", "abstain", "yes", "no", "yes"]


def secret_meeting(tree, people, voters: int = len(CHOICES)) -> tuple[Meeting, Vote, list[Invitation]]:
    """A meeting of cell C1 (An, Bình and four more) with an open secret vote; the first `voters` voted
    CHOICES in order (An first)."""
    others = [testing.member(tree.c1, f"Đảng Viên Kín {i}") for i in range(4)]
    cell = [people["an"], people["binh"], *others]
    meeting = plan(tree.c1, chair=people["binh"], secretary=others[0])
    services.open_meeting(meeting, None)
    invitations = [inv(meeting, m) for m in cell]
    for invitation in invitations:
        services.check_in(invitation, None, at=meeting.starts_at)
    vote = services.create_vote(
        meeting, None, question="Bầu bí thư chi bộ", method=VoteMethod.SECRET, rule=VoteRule.MAJORITY_OF_MEMBERS
    )
    services.open_vote(vote, None)
    for invitation, choice in zip(invitations[:voters], CHOICES, strict=False):
        services.cast(vote, invitation, choice)
    return meeting, vote, invitations


def recast(vote: Vote, invitations: list[Invitation]) -> None:
    """Undo the ballots of the open vote and cast them again: the same voters and the same counts, each
    voter's choice that of the next voter, the last voter first."""
    voters = [i for i in invitations if services.has_voted(vote, i)]
    choices = CHOICES[: len(voters)]
    assert len(set(choices)) > 1
    SecretReceipt.objects.filter(vote=vote).delete()
    SecretCount.objects.filter(vote=vote).update(n=0)
    for invitation, choice in reversed(list(zip(voters, choices[1:] + choices[:1], strict=True))):
        services.cast(vote, invitation, choice)


def reorder_receipts(vote: Vote) -> None:
    """Store the receipts of the closed vote in the reverse order (the only freedom left at rest)."""
    voters = list(SecretReceipt.objects.filter(vote=vote).order_by("-invitation_id").values_list("invitation_id"))
    SecretReceipt.objects.filter(vote=vote).delete()
    SecretReceipt.objects.bulk_create(SecretReceipt(vote=vote, invitation_id=i) for (i,) in voters)


# --- The data model and the audit trail -------------------------------------------------------------------


def test_no_link_between_a_person_and_a_choice():
    counts = {f.name: f for f in SecretCount._meta.get_fields()}
    assert set(counts) == {"id", "vote", "choice", "n"}
    receipt = {f.name for f in SecretReceipt._meta.get_fields()}
    assert receipt == {"id", "vote", "invitation"}
    for model in (SecretCount, SecretReceipt):
        assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in model._meta.get_fields())
    # No row per ballot anywhere: no model has a choice but the counters and the ballots by name.
    with_choice = {m._meta.label for m in apps.get_models() if "choice" in {f.name for f in m._meta.fields}}
    assert with_choice == {"meetings.SecretCount", "meetings.Ballot"}
    # Nothing points at a counter, and a counter points at nothing but its vote.
    pointing = [
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if getattr(f, "related_model", None) is SecretCount and f.concrete
    ]
    assert pointing == []
    assert [f.related_model for f in SecretCount._meta.get_fields() if f.is_relation] == [Vote]


def test_no_history_of_secret_ballots():
    from simple_history.models import registered_models

    assert SecretCount not in registered_models.values() and SecretReceipt not in registered_models.values()
    assert not hasattr(SecretCount, "history") and not hasattr(SecretReceipt, "history")
    historical = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    assert historical and not any(
        m.__name__ in {"HistoricalSecretCount", "HistoricalSecretReceipt"} for m in historical
    )
    # The vote's history holds the counts, never a ballot or a voter.
    vote_history = {f.name for f in Vote.history.model._meta.get_fields()}
    assert {"yes", "no", "abstain"} <= vote_history
    assert not vote_history & {"choice", "invitation", "ballots", "receipts", "secret_counts"}


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed}


def test_a_secret_ballot_writes_a_receipt_and_an_anonymous_choice_only(tree, people):
    meeting, vote, invitations = secret_meeting(tree, people, voters=0)
    before = row_counts()
    services.cast(vote, invitations[0], "no")
    after = row_counts()
    changed = {label: after[label] - before[label] for label in after if after[label] != before[label]}
    assert changed == {"meetings.SecretReceipt": 1}  # no ballot row, no audit row, no time
    assert dict(SecretCount.objects.filter(vote=vote).values_list("choice", "n")) == {"yes": 0, "no": 1, "abstain": 0}
    assert services.has_voted(vote, invitations[0]) is True


def test_closing_a_secret_vote_audits_the_counts_only(tree, people):
    meeting, vote, invitations = secret_meeting(tree, people)
    vote = services.close_vote(vote, None)
    assert (vote.yes, vote.no, vote.abstain, vote.needed, vote.passed) == (3, 2, 1, 4, False)
    rows = list(vote.history.order_by("history_id").values())
    assert [r["state"] for r in rows] == ["draft", "open", "closed"]
    for row in rows:
        assert not any(isinstance(v, str) and any(i.name in v for i in invitations) for v in row.values())
    # The closing entry of the audit trail holds the totals and the number of receipts they match.
    assert rows[-1]["history_change_reason"] == "secret ballot sealed: 6 receipts; yes 3, no 2, abstain 1"
    # The receipts say who voted, never what; the counters hold the counts only.
    assert SecretReceipt.objects.filter(vote=vote).count() == len(CHOICES)
    assert dict(SecretCount.objects.filter(vote=vote).values_list("choice", "n")) == Counter(CHOICES)
    assert secret.recount(vote) == {**Counter(CHOICES), "ballots": 6, "receipts": 6, "recorded": 6}


def test_has_voted_is_per_voter_and_says_nothing_of_the_choice(tree, people):
    meeting, vote, invitations = secret_meeting(tree, people, voters=2)
    answers = [services.has_voted(vote, i) for i in invitations]
    assert answers == [True, True, False, False, False, False]
    assert all(type(a) is bool for a in answers)
    with pytest.raises(services.DomainError):
        services.cast(vote, invitations[0], "yes")  # once only, whatever the choice
    assert services.tally(vote) == {"yes": 1, "no": 1, "abstain": 0}


# --- Pages, API, minutes: non-interference ------------------------------------------------------------------

_VOLATILE = [
    re.compile(r'(csrfmiddlewaretoken"? value=")[^"]*'),
    re.compile(r'(X-CSRFToken"?\s*:\s*")[^"]*'),
    re.compile(r'(nonce=")[^"]*'),
    re.compile(r'(name="once_token" value=")[^"]*'),  # a one-time form token (dangvu.web.once)
    re.compile(r"(csrftoken=)[^;\s]*"),
]


def normalise(body: bytes) -> str:
    text = body.decode(errors="replace")
    for pattern in _VOLATILE:
        text = pattern.sub(r"\1…", text)
    return text


def _patterns(resolver: URLResolver, prefix: str = ""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield p


def page_urls(namespace: str, values: dict[str, list], only: frozenset[str] | None = None) -> list[str]:
    """Every URL of `namespace` (or of its pages named in `only`) whose parameters have values in `values`
    (several values per parameter: each combination)."""
    resolver = get_resolver().namespace_dict.get(namespace)
    if resolver is None:
        return []
    urls: set[str] = set()
    for p in _patterns(resolver[1]):
        if only is not None and p.name not in only:
            continue
        names = list(getattr(p.pattern, "converters", {}) or p.pattern.regex.groupindex)
        if any(n not in values for n in names):
            continue
        combos: list[dict] = [{}]
        for n in names:
            combos = [{**c, n: v} for c in combos for v in values[n]]
        for kwargs in combos:
            try:
                urls.add(reverse(f"{namespace}:{p.name}", kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(urls)


def api_paths(values: dict[str, list]) -> list[str]:
    """GET operations of the API (full paths) about meetings, votes and members whose path parameters have
    values in `values`."""
    from dangvu.api.api import api

    paths = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" not in operations or not any(word in path for word in ("meeting", "vote", "member")):
            continue
        names = re.findall(r"{(\w+)}", path)
        if any(n not in values for n in names):
            continue
        combos: list[str] = [path]
        for n in names:
            combos = [c.replace("{" + n + "}", str(v)) for c in combos for v in values[n]]
        paths += combos
    return sorted(paths)


def minutes_text(meeting: Meeting) -> str | None:
    try:
        from dangvu.documents.meetings import minutes_docx
    except ImportError:
        return None
    with zipfile.ZipFile(BytesIO(minutes_docx(Meeting.objects.get(pk=meeting.pk)))) as docx:
        return docx.read("word/document.xml").decode()


def read_everything(client, readers: dict, page_values: dict, api_values: dict, meeting: Meeting) -> dict:
    """What each reader gets from every meeting and member page and every API GET, plus the minutes."""
    seen: dict[str, object] = {}
    for who, (user, key) in readers.items():
        client.force_login(user)
        for (namespace, only), values in page_values.items():
            for url in page_urls(namespace, values, only):
                for headers in ({}, {"HX-Request": "true"}) if "live" in url else ({},):  # live panels: HTMX too
                    response = client.get(url, headers=headers)
                    assert response.status_code < 500, url
                    body = b"" if response.streaming else response.content
                    seen[f"{who} {url} {headers}"] = (response.status_code, normalise(body))
        client.logout()
        for path in api_paths(api_values):
            response = client.get(path, headers={"Authorization": f"Bearer {key}"})
            assert response.status_code < 500, path
            is_json = response.headers.get("Content-Type", "").startswith("application/json")
            body = json.loads(response.content) if is_json else normalise(response.content)
            seen[f"{who} api {path}"] = (response.status_code, body)
    seen["minutes"] = minutes_text(meeting)
    return seen


def check_same_output(read: Callable[[], dict], change: Callable[[], None]) -> dict:
    first = read()
    change()
    second = read()
    different = sorted(k for k in first if first[k] != second.get(k))
    assert different == [], f"these outputs depend on who chose what: {different}"
    return first


def test_pages_api_and_minutes_do_not_depend_on_who_chose_what(tree, people, cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, vote, invitations = secret_meeting(tree, people)
    an, binh = people["an"], people["binh"]
    readers = {
        "admin": (cast.admin, ApiToken.issue(cast.admin)[1]),
        "voter": (cast.member, ApiToken.issue(cast.member)[1]),  # An, who voted first
        "chair": (testing.user("chair", member_record=binh), None),
    }
    readers["chair"] = (readers["chair"][0], ApiToken.issue(readers["chair"][0])[1])
    page_values = {
        ("meetings", None): {
            "pk": [meeting.pk],
            "vote_pk": [vote.pk],
            "invitation_pk": [invitations[0].pk],
            "panel": ["status", "speakers", "votes", "attendance", "results"],
        },
        ("members", frozenset({"detail"})): {"pk": [an.pk, binh.pk]},
    }
    api_values = {
        "meeting_id": [meeting.pk],
        "vote_id": [vote.pk],
        "member_id": [an.pk, binh.pk],
        "org_id": [tree.c1.pk],
        "invitation_id": [invitations[0].pk],
    }

    def read() -> dict:
        return read_everything(client, readers, page_values, api_values, meeting)

    # While the vote is open, and once it is closed, the meeting over and its minutes drafted.
    check_same_output(read, lambda: recast(vote, invitations))
    services.close_vote(vote, None)
    services.close_meeting(meeting, None)
    services.write_minutes(meeting, None, conclusions="Chi bộ đã bầu bí thư.")
    outputs = check_same_output(read, lambda: reorder_receipts(vote))
    assert Vote.objects.get(pk=vote.pk).yes == CHOICES.count("yes")
    # Not vacuous: the pages that exist were read with their content.
    assert outputs[f"admin {reverse('members:detail', args=[an.pk])} {{}}"][0] == 200
    for name in ("detail", "room", "projector"):
        try:
            url = reverse(f"meetings:{name}", args=[meeting.pk])
        except NoReverseMatch:
            continue  # that page is not built (yet): the services and the data model are checked above
        assert outputs[f"admin {url} {{}}"][0] == 200, url


def test_a_plain_member_cannot_tell_who_has_voted(tree, people, cast, client):
    """Whether An or another member has voted is shown to An (has_voted), not to a third member: moving
    the receipt from one voter to another changes nothing in the third member's pages."""
    meeting, vote, invitations = secret_meeting(tree, people, voters=0)
    services.cast(vote, invitations[0], "yes")  # An
    third = testing.user("third", member_record=invitations[3].member)
    page_values = {("meetings", None): {"pk": [meeting.pk], "vote_pk": [vote.pk], "panel": ["status", "votes"]}}
    api_values = {"meeting_id": [meeting.pk], "vote_id": [vote.pk]}
    readers = {"third": (third, ApiToken.issue(third)[1])}

    def read() -> dict:
        return read_everything(client, readers, page_values, api_values, meeting)

    first = read()
    SecretReceipt.objects.filter(vote=vote).update(invitation=invitations[1])  # Bình voted instead of An
    second = read()
    assert sorted(k for k in first if first[k] != second[k]) == []
    assert services.has_voted(vote, invitations[1]) and not services.has_voted(vote, invitations[0])
