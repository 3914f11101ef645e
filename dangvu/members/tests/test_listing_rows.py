"""The member list's display texts made once in Python (dangvu.members.listing.prepare_rows, issue 10 item 5)
are byte for byte what the template's filters and choice lookups made per cell; privacy's per-request cache
(dangvu.accounts.privacy.hidden_at) answers as the uncached question does."""

import datetime as dt
import itertools

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from dangvu.accounts import privacy
from dangvu.accounts.permissions import PERSONAL_DATA
from dangvu.members.listing import prepare_rows
from dangvu.members.models import Member, Sex, Status

# The cells as the template wrote them before prepare_rows (issue 10 item 5), kept here as the reference.
BEFORE = Template(
    "{% load i18n %}{% for m in rows %}|<a href=\"{% url 'members:detail' m.pk %}\">"
    '|{{ m.get_sex_display }}|{{ m.birth_date|date:"d/m/Y" }}'
    '|{{ m.get_status_display }}{% if m.is_exempt %} · {% translate "exempt" %}{% endif %}'
    '{% if m.is_suspended %} · {% translate "suspended" %}{% endif %}'
    '{% if m.is_away %} · {% translate "temporarily away" %}{% endif %}'
    '|{{ m.admission_date|date:"d/m/Y" }}\n{% endfor %}'
)
AFTER = Template(
    '{% for m in rows %}|<a href="{{ m.detail_url }}">|{{ m.sex_text }}|{{ m.birth_text }}'
    "|{{ m.status_text }}|{{ m.admission_text }}\n{% endfor %}"
)


def rows() -> list[Member]:
    """A row of each sex and each status, every combination of the three flags, missing dates (a hidden
    date of birth is blanked to None, an admission date may be unknown), a date before year 1000."""
    made = []
    flags = itertools.cycle(itertools.product([False, True], repeat=3))
    births = itertools.cycle([dt.date(1985, 5, 5), None, dt.date(2001, 12, 31), dt.date(999, 1, 2)])
    admissions = itertools.cycle([None, dt.date(2016, 3, 1), dt.date(2020, 10, 9)])
    pk = itertools.count(1, 37)
    for sex in [*Sex.values, ""]:  # "" : the sex blanked by privacy
        for status in Status.values:
            exempt, suspended, away = next(flags)
            made.append(
                Member(
                    pk=next(pk),
                    sex=sex,
                    status=status,
                    birth_date=next(births),
                    admission_date=next(admissions),
                    is_exempt=exempt,
                    is_suspended=suspended,
                    is_away=away,
                )
            )
    return made


@pytest.mark.parametrize("language", ["vi", "en"])
def test_texts_are_what_the_template_made(language):
    made = rows()
    with translation.override(language):
        before = BEFORE.render(Context({"rows": made}))
        after = AFTER.render(Context({"rows": prepare_rows(made)}))
    assert after == before
    assert len(made) == 3 * len(Status.values) == 24


def test_texts_by_hand():
    m = Member(
        pk=5,
        sex="F",
        status=Status.OFFICIAL,
        birth_date=dt.date(1990, 1, 2),
        admission_date=None,
        is_exempt=True,
        is_away=True,
    )
    with translation.override("vi"):
        [row] = prepare_rows([m])
    assert (row.sex_text, row.birth_text, row.admission_text) == ("Nữ", "02/01/1990", "")
    assert row.status_text == "Đảng viên chính thức · miễn sinh hoạt · sinh hoạt tạm thời nơi khác"
    assert row.detail_url == reverse("members:detail", args=[5])


def test_list_page_shows_the_texts(client, cast, people):
    client.force_login(cast.office)
    with translation.override("vi"):
        body = client.get("/members/", {"sort": "name"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    an = people["an"]
    assert f'<a href="/members/{an.pk}/">{an.full_name}</a>' in body
    assert f"<td>{an.birth_date:%d/%m/%Y}</td>" in body
    assert "Đảng viên chính thức" in body


@pytest.mark.django_db
def test_privacy_cache_answers_as_the_question(cast, people, tree):
    paths = [tree.c1.path, tree.c2.path, tree.c3.path, tree.a.path, tree.city.path]
    own = people["an"].pk
    for user in cast.all().values():
        for path, person in itertools.product(paths, [own, None, people["em"].pk]):
            expected = frozenset(f for f in PERSONAL_DATA if not privacy.may_see_at(user, path, person, f))
            assert privacy.hidden_at(user, path, person) == expected, (user.username, path, person)
    # Kept per path for the request: the same answer object the second time, asked afresh in a new request.
    secretary = cast.secretary
    first = privacy.hidden_at(secretary, tree.c1.path, None)
    assert privacy.hidden_at(secretary, tree.c1.path, None) is first
    assert {"citizen_id", "religion", "ethnicity", "event_notes"} <= first and "residence" not in first
    assert privacy.hidden_at(secretary, tree.c2.path, None) == frozenset(PERSONAL_DATA)  # outside the cell
    secretary.__dict__.pop("_scope_cache")  # a new request
    again = privacy.hidden_at(secretary, tree.c1.path, None)
    assert again == first and again is not first
