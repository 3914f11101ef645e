"""Pages of training: the courses (those of the user's subtrees and of the organisations above), a course with
the enrolments of the user's subtrees, setting up a course, enrolling, completion with the certificate.

Access (dangvu.study.access): seeing needs `study.view` (a course outside is a 404); acting needs
`study.manage` over the course's organisation (a course) or over the person's cell (enrolment, completion).
Writes go through dangvu.study.training only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import Scope, has_capability, organisations_for
from dangvu.admission.models import Candidate, Outcome
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member, Status
from dangvu.study import training
from dangvu.study.access import MANAGE, VIEW, can_manage, courses_for, get_course_or_404
from dangvu.study.forms import CompleteForm, CourseForm, EnrolForm
from dangvu.study.models import Enrolment
from dangvu.web import once

LIMIT = 200


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _people(user):
    scope = Scope.of(user, MANAGE)
    members = Member.objects.filter(scope.q("org_path"), status__in=Status.in_party()).order_by("name_sort")
    candidates = Candidate.objects.filter(scope.q("organisation__path"), outcome=Outcome.OPEN).order_by("full_name")
    return members, candidates


def _enrolments_seen(user, course):
    qs = Enrolment.objects.filter(course=course).select_related("member", "candidate").order_by("pk")
    scope = Scope.of(user, VIEW)
    if scope.everything:
        return qs
    return qs.filter(scope.q("member__org_path") | scope.q("candidate__organisation__path"))


@login_required
@require_GET
def courses(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    rows = list(courses_for(request.user).select_related("organisation").order_by("-starts_on", "-id")[: LIMIT + 1])
    return render(
        request,
        "study/courses.html",
        {"courses": rows[:LIMIT], "more": len(rows) > LIMIT, "may_manage": has_capability(request.user, MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def create_course(request: HttpRequest) -> HttpResponse:
    _require(request.user, MANAGE)
    organisations = organisations_for(request.user, MANAGE).filter(valid_to__isnull=True).order_by("path")
    form = CourseForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        spec = training.CourseSpec(
            organisation=d["organisation"],
            kind=d["kind"],
            title=d["title"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            theory_level=d["theory_level"],
            place=d["place"],
        )
        try:
            course = training.create_course(spec, request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The course was recorded."))
            return redirect("study:course", pk=course.pk)
    return render(request, "study/course_form.html", {"form": form})


def _course_page(request, course, *, enrol_form=None, status=200) -> HttpResponse:
    may_enrol = has_capability(request.user, MANAGE)
    context = {
        "course": course,
        "enrolments": list(_enrolments_seen(request.user, course)),
        "may_enrol": may_enrol,
    }
    if may_enrol:
        members, candidates = _people(request.user)
        context["enrol_form"] = enrol_form or EnrolForm(members=members, candidates=candidates)
    return render(request, "study/course.html", context, status=status)


@login_required
@require_GET
def course(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_page(request, get_course_or_404(request.user, pk))


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_or_404(request.user, pk)
    _require(request.user, MANAGE)
    members, candidates = _people(request.user)
    form = EnrolForm(request.POST, members=members, candidates=candidates)
    if form.is_valid():
        try:
            training.enrol(
                course, request.user, member=form.cleaned_data["member"], candidate=form.cleaned_data["candidate"]
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Enrolled."))
            return redirect("study:course", pk=course.pk)
    return _course_page(request, course, enrol_form=form, status=422)


def _enrolment_or_404(user, pk: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_related("course", "member__organisation", "candidate__organisation")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    organisation = enrolment.member.organisation if enrolment.member_id else enrolment.candidate.organisation
    if organisation is None or not can_manage(user, organisation):
        raise Http404
    return enrolment


@login_required
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_or_404(request.user, pk)
    initial = {"completed_on": min(enrolment.course.ends_on, timezone.localdate())}
    form = CompleteForm(request.POST or None, initial=initial)
    if request.method == "GET":
        return render(request, "study/complete.html", {"form": form, "enrolment": enrolment})
    if form.is_valid():
        try:
            training.complete(
                enrolment,
                request.user,
                on=form.cleaned_data["completed_on"],
                certificate_number=form.cleaned_data["certificate_number"],
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The completion and the certificate were recorded."))
            return redirect("study:course", pk=enrolment.course_id)
    return render(request, "study/complete.html", {"form": form, "enrolment": enrolment}, status=422)
