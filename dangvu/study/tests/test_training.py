"""Training (issue 14 item 5): courses, enrolments, completion with the certificate and its effects on the
records — the political-theory level follows a completed course (audited, never lowered); the Party awareness
certificate of a candidate records the admission file's course step, whose validity the cell resolution then
checks — and the counts per organisation (statistics and indicators)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.admission.models import CandidateStep, Stage
from dangvu.admission.tests.test_pipeline import open_candidate
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member, PoliticalTheory
from dangvu.study import counts, training
from dangvu.study.models import CourseKind
from dangvu.targets import indicators

pytestmark = pytest.mark.django_db


def course(org, actor, kind=CourseKind.THEORY, level=PoliticalTheory.INTERMEDIATE, **kw):
    spec = training.CourseSpec(
        organisation=org,
        kind=kind,
        title=kw.pop("title", "Lớp trung cấp lý luận chính trị"),
        starts_on=kw.pop("starts_on", dt.date(2026, 1, 5)),
        ends_on=kw.pop("ends_on", dt.date(2026, 6, 30)),
        theory_level=level,
        **kw,
    )
    return training.create_course(spec, actor)


def test_a_theory_course_raises_the_level_audited_and_never_lowers_it(tree, cast, people):
    an = people["an"]
    middle = course(tree.a, cast.office)
    enrolment = training.enrol(middle, cast.office, member=an, on=dt.date(2026, 1, 5))
    training.complete(enrolment, cast.office, on=dt.date(2026, 6, 30), certificate_number="TC-0001")
    an.refresh_from_db()
    assert an.political_theory == PoliticalTheory.INTERMEDIATE
    latest = an.history.first()
    assert latest.history_user == cast.office and "Lớp trung cấp" in latest.history_change_reason
    low = course(tree.a, cast.office, level=PoliticalTheory.ELEMENTARY, title="Lớp sơ cấp")
    training.complete(
        training.enrol(low, cast.office, member=an, on=dt.date(2026, 1, 5)),
        cast.office,
        on=dt.date(2026, 6, 30),
        certificate_number="SC-1",
    )
    an.refresh_from_db()
    assert an.political_theory == PoliticalTheory.INTERMEDIATE


def test_completion_is_checked(tree, cast, people):
    c = course(tree.a, cast.office)
    e = training.enrol(c, cast.office, member=people["duc"], on=dt.date(2026, 1, 5))
    with pytest.raises(DomainError):
        training.complete(e, cast.office, on=dt.date(2026, 1, 4), certificate_number="X")  # before the start
    with pytest.raises(DomainError):
        training.complete(e, cast.office, on=dt.date(2026, 1, 5), certificate_number=" ")
    e.refresh_from_db()
    assert e.completed_on is None
    training.complete(e, cast.office, on=dt.date(2026, 1, 5), certificate_number="X-1")  # the first day
    with pytest.raises(DomainError):
        training.enrol(c, cast.office, member=people["duc"], on=dt.date(2026, 1, 6))  # already enrolled
    with pytest.raises(DomainError):
        training.enrol(c, cast.office, member=people["an"], on=dt.date(2026, 7, 1))  # the course ended
    with pytest.raises(DomainError):
        course(tree.a, cast.office, level="")  # a theory course names its level
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        training.enrol(c, cast.outsider, member=people["an"])  # committee B's office: not its member
    assert Member.objects.get(pk=people["duc"].pk).political_theory == PoliticalTheory.INTERMEDIATE


def test_the_awareness_certificate_records_the_admission_course_step(tree, cast):
    candidate = open_candidate(tree.c1, cast.secretary, date=dt.date(2026, 1, 10))
    awareness = course(tree.a_base, cast.office, kind=CourseKind.AWARENESS, level="", title="Lớp nhận thức về Đảng")
    assert awareness.theory_level == ""
    e = training.enrol(awareness, cast.office, candidate=candidate, on=dt.date(2026, 1, 12))
    training.complete(e, cast.office, on=dt.date(2026, 2, 20), certificate_number="NT-42")
    step = CandidateStep.objects.get(candidate=candidate, stage=Stage.COURSE)
    assert (step.date, step.document_number, step.issuer) == (dt.date(2026, 2, 20), "NT-42", tree.a_base.name)
    with pytest.raises(DomainError):
        training.enrol(awareness, cast.office, member=Member.objects.first())  # members do not take it


def test_counts_per_organisation_and_the_indicators(tree, cast, people):
    c = course(tree.city, cast.admin, title="Lớp thành phố")
    for key, day in (("an", dt.date(2026, 6, 30)), ("duc", dt.date(2026, 11, 30)), ("em", dt.date(2026, 6, 1))):
        e = training.enrol(c, cast.admin, member=people[key], on=dt.date(2026, 1, 5))
        training.complete(e, cast.admin, on=day, certificate_number=f"C-{key}")
    f = counts.counts(tree.a, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).total
    assert f.completed[CourseKind.THEORY] == 2 and f.completed_total == 2
    assert counts.counts(tree.c1, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).total.completed_total == 1
    assert counts.counts(tree.a, dt.date(2026, 1, 1), dt.date(2026, 6, 29)).total.completed_total == 0
    result = indicators.get("training.theory")(tree.a, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert result.value == 2 == result.parts[0].records.count()
    assert indicators.get("training.completed")(tree.b, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).value == 1


def test_course_pages_scope(client, cast, tree, people):
    c = course(tree.a, cast.office, title="Lớp Bồi-Dưỡng-A")
    b = course(tree.b, cast.outsider, title="Lớp Bồi-Dưỡng-B")
    training.enrol(c, cast.office, member=people["an"], on=dt.date(2026, 1, 5))
    client.force_login(cast.office)
    assert "Bồi-Dưỡng-B" not in client.get(reverse("study:courses")).content.decode()
    assert client.get(reverse("study:course", args=[c.pk])).status_code == 200
    assert client.get(reverse("study:course", args=[b.pk])).status_code == 404
    client.force_login(cast.member)
    assert client.get(reverse("study:courses")).status_code == 403
    mine = client.get(reverse("study:index")).content.decode()
    assert "Bồi-Dưỡng-A" in mine
