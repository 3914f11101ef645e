"""Pages of the study of resolutions: the study home (a member's campaigns, courses and commitment; staff's
campaigns), setting up a campaign, a campaign with its participation per organisation, the member's
confirmation (quiz and reflection), the conference attendance and the masses.

Access (dangvu.study.access): a campaign outside what the user may see is a 404; setting up and recording
need `study.manage` over the organisation (else 403). Writes go through dangvu.study.services only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import Scope, get_organisation_or_404, has_capability, organisations_for
from dangvu.docregister.access import documents_for
from dangvu.docregister.models import DocType
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member
from dangvu.orgs.models import Organisation
from dangvu.study import services, stats
from dangvu.study.access import (
    MANAGE,
    VIEW,
    campaigns_for,
    can_manage,
    get_campaign_or_404,
    own_member,
    sees_figures_of,
)
from dangvu.study.forms import CampaignForm, ConfirmForm, MassesForm
from dangvu.study.models import Commitment, Enrolment, MassesTally, Participation
from dangvu.web import once
from dangvu.web.confirm import confirmation_needed, declare

LIMIT = 200
STUDY_TYPES = [DocType.RESOLUTION, DocType.DIRECTIVE, DocType.CONCLUSION, DocType.REGULATION]

declare(
    "confirm_study",
    gettext_lazy("Confirm that you studied this resolution?"),
    gettext_lazy("A confirmation cannot be withdrawn: your answers and your reflection are final."),
    gettext_lazy("Confirm"),
)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    member = own_member(user)
    staff = has_capability(user, VIEW)
    if member is None and not staff:
        raise PermissionDenied
    context = {"member": member, "staff": staff, "may_manage": has_capability(user, MANAGE)}
    if member is not None:
        from dangvu.study.access import member_campaigns

        mine = list(member_campaigns(member).select_related("organisation", "resolution")[:LIMIT])
        done = {
            p.campaign_id: p for p in Participation.objects.filter(member=member, campaign__in=[c.pk for c in mine])
        }
        for c in mine:
            c.mine = done.get(c.pk)
        context["my_campaigns"] = mine
        context["my_enrolments"] = list(
            Enrolment.objects.filter(member=member).select_related("course").order_by("-course__starts_on")
        )
        context["my_commitment"] = Commitment.objects.filter(member=member, year=timezone.localdate().year).first()
    if staff:
        campaigns = list(
            campaigns_for(user)
            .select_related("organisation", "resolution")
            .order_by("-conference_date", "-id")[: LIMIT + 1]
        )
        context["campaigns"] = campaigns[:LIMIT]
        context["more"] = len(campaigns) > LIMIT
    context["today"] = timezone.localdate()
    return render(request, "study/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def create(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, MANAGE):
        raise PermissionDenied
    organisations = organisations_for(request.user, MANAGE).filter(valid_to__isnull=True).order_by("path")
    documents = documents_for(request.user).filter(doc_type__in=STUDY_TYPES).order_by("-date", "-id")
    form = CampaignForm(request.POST or None, organisations=organisations, documents=documents)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        spec = services.CampaignSpec(
            organisation=d["organisation"],
            resolution=d["resolution"],
            title=d["title"],
            conference_date=d["conference_date"],
            ends_on=d["ends_on"],
            materials=list(d["materials"]),
            notes=d["notes"],
            pass_mark=d["pass_mark"],
            questions=d["questions"],
        )
        try:
            campaign = services.create_campaign(spec, request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The study campaign was set up."))
            return redirect("study:campaign", pk=campaign.pk)
    return render(request, "study/create.html", {"form": form})


def _rows(user, campaign) -> list[dict]:
    """Participation per organisation (the campaign's organisation and its children on the conference date),
    only those whose figures the user may see."""
    rows = []
    orgs = stats.organisations_of(campaign)
    scope = Scope.of(user, VIEW)
    if not scope.everything:  # the user's own organisations deeper in the campaign's subtree (a cell's secretary)
        shown = [o.path for o in orgs]
        orgs += list(
            Organisation.objects.filter(path__in=scope.prefixes, path__startswith=campaign.organisation.path)
            .exclude(path__in=shown)
            .order_by("path")
        )
    for org in orgs:
        if not sees_figures_of(user, org):
            continue
        figures = stats.campaign_figures(campaign, org)
        rows.append(
            {
                "organisation": org,
                "figures": figures,
                "may_record": can_manage(user, org) and org.pk != campaign.organisation_id,
            }
        )
    return rows


def _campaign_page(request: HttpRequest, campaign, *, confirm_form=None, masses_form=None, status=200) -> HttpResponse:
    user = request.user
    member = own_member(user)
    context = {
        "campaign": campaign,
        "materials": list(campaign.materials.all()),
        "questions": list(campaign.questions.all()),
        "rows": _rows(user, campaign),
        "may_manage": can_manage(user, campaign.organisation),
        "today": timezone.localdate(),
    }
    if member is not None and services.must_study(campaign, member):
        mine = Participation.objects.filter(campaign=campaign, member=member).first()
        context["mine"] = mine
        if (mine is None or mine.confirmed_on is None) and context["today"] <= campaign.ends_on:
            context["confirm_form"] = confirm_form or ConfirmForm(questions=context["questions"])
    if context["may_manage"]:
        context["masses"] = list(MassesTally.objects.filter(campaign=campaign).select_related("organisation"))
        context["masses_form"] = masses_form or MassesForm()
    return render(request, "study/campaign.html", context, status=status)


@login_required
@require_GET
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    return _campaign_page(request, get_campaign_or_404(request.user, pk))


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_or_404(request.user, pk)
    member = own_member(request.user)
    if member is None:
        raise PermissionDenied
    back = reverse("study:campaign", args=[pk])
    if asked := confirmation_needed(request, "confirm_study", back=back):
        return asked
    form = ConfirmForm(request.POST, questions=campaign.questions.all())
    if form.is_valid():
        try:
            services.confirm(
                campaign, member, request.user, answers=form.answers(), reflection=form.cleaned_data["reflection"]
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your study was recorded. Thank you."))
            return redirect(back)
    return _campaign_page(request, campaign, confirm_form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    campaign = get_campaign_or_404(request.user, pk)
    organisation = get_organisation_or_404(request.user, org, MANAGE)
    expected_ids = stats.expected_periods(campaign, organisation).values("member_id")
    members = list(Member.objects.filter(pk__in=expected_ids).select_related("organisation").order_by("name_sort"))
    present = set(
        Participation.objects.filter(campaign=campaign, member__in=members, attended=True).values_list(
            "member_id", flat=True
        )
    )
    error = None
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            services.record_attendance(campaign, organisation, chosen, request.user)
        except DomainError as exc:
            error = exc.messages
            present = chosen
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect("study:campaign", pk=campaign.pk)
    return render(
        request,
        "study/attendance.html",
        {"campaign": campaign, "organisation": organisation, "members": members, "present": present, "error": error},
        status=422 if error else 200,
    )


@login_required
@require_POST
def masses(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_or_404(request.user, pk)
    if not can_manage(request.user, campaign.organisation):
        raise PermissionDenied
    form = MassesForm(request.POST)
    if form.is_valid():
        try:
            services.record_masses(
                campaign,
                campaign.organisation,
                form.cleaned_data["invited"],
                form.cleaned_data["present"],
                request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The masses were recorded."))
            return redirect("study:campaign", pk=campaign.pk)
    return _campaign_page(request, campaign, masses_form=form, status=422)
