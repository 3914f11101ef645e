"""Pages: the bell (an HTMX partial in the header: the unread count), the notifications page (mark read,
mark all read), the preferences, the two-way channel (ask, the list, a question with its answer and
closing) and the statistics of questions and of digital adoption.

Access (dangvu.notify.access): notifications and preferences are the user's own; a question is seen by its
author and by the office and secretaries over the organisation addressed (else 404); statistics need
`channel.stats` / `adoption.view` over the organisation chosen (else 403 without any, 404 out of scope).
Writes go through dangvu.notify.services only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import get_organisation_or_404, has_capability, home_organisations, organisations_for
from dangvu.lib.errors import DomainError
from dangvu.notify import access, services, stats
from dangvu.notify.activity import mark_active
from dangvu.notify.backends import push_configured
from dangvu.notify.forms import AnswerForm, AskForm, PeriodForm, PreferenceForm, this_year
from dangvu.notify.models import QuestionState
from dangvu.orgs.models import Organisation
from dangvu.web import once
from dangvu.web.confirm import confirmation_needed, declare

declare(
    "close_question",
    gettext_lazy("Close this question?"),
    gettext_lazy("A closed question cannot be reopened or answered; a new question can be sent instead."),
    gettext_lazy("Close the question"),
)


def _errors(form, error: DomainError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The header's bell: one indexed count. Also marks the user active today (digital adoption)."""
    mark_active(request.user)
    # Rendered without the request's context processors (the menu's capabilities): only the count is asked.
    return HttpResponse(render_to_string("notify/_bell.html", {"unread": access.unread_count(request.user)}))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rows = access.notifications_for(request.user).order_by("-created_at", "-pk")
    if request.GET.get("show") == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows.prefetch_related("deliveries"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/index.html",
        {"page": page, "unread": access.unread_count(request.user), "show": request.GET.get("show", "")},
    )


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = access.get_notification_or_404(request.user, pk)
    services.mark_read(request.user, notification)
    if request.POST.get("go") and notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect("notify:index")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notify:index")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    pref = services.preference(request.user)
    initial = {"email": pref.email, "push": pref.push, "sms": pref.sms, "phone": pref.phone}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(request.user, **form.cleaned_data)
        except DomainError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("notify:preferences")
    return render(
        request,
        "notify/preferences.html",
        {"form": form, "push_configured": push_configured(), "has_email": bool(request.user.email)},
    )


# --- the two-way channel ---------------------------------------------------------------------------------


@login_required
@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    user = request.user
    state = request.GET.get("state", "")
    mine = access.questions_for(user).filter(author=user)
    handled = access.handled_by(user)
    if state in QuestionState.values:
        mine, handled = mine.filter(state=state), handled.filter(state=state)
    related = ("organisation", "member")
    return render(
        request,
        "notify/questions.html",
        {
            "mine": list(mine.select_related(*related).order_by("-created_at")[:100]),
            "handled": list(handled.select_related(*related).order_by("-created_at")[:300]),
            "may_handle": has_capability(user, access.ANSWER),
            "may_ask": services.addressable(user).exists(),
            "may_stats": has_capability(user, access.STATS),
            "may_adoption": has_capability(user, access.ADOPTION),
            "states": QuestionState.choices,
            "state": state,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def ask(request: HttpRequest) -> HttpResponse:
    organisations = services.addressable(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = AskForm(request.POST or None, organisations=organisations, initial={"organisation": organisations.last()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            question = services.ask(
                request.user, d["organisation"], kind=d["kind"], subject=d["subject"], text=d["text"]
            )
        except DomainError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Your question was sent."))
            return redirect("notify:question", pk=question.pk)
    return render(request, "notify/ask.html", {"form": form})


@login_required
@require_GET
def question(request: HttpRequest, pk: int) -> HttpResponse:
    q = access.get_question_or_404(request.user, pk)
    may_answer = services.may_answer(request.user, q)
    return render(
        request,
        "notify/question.html",
        {
            "q": q,
            "may_answer": may_answer and q.state == QuestionState.OPEN,
            "may_close": q.state != QuestionState.CLOSED and (may_answer or q.author_id == request.user.pk),
            "form": AnswerForm(),
        },
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    q = access.get_question_or_404(request.user, pk)
    if not services.may_answer(request.user, q):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(request.user, q, form.cleaned_data["answer"])
        except DomainError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The answer was sent to the member."))
            return redirect("notify:question", pk=q.pk)
    context = {"q": q, "may_answer": True, "may_close": True, "form": form}
    return render(request, "notify/question.html", context, status=422)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    q = access.get_question_or_404(request.user, pk)
    if q.author_id != request.user.pk and not services.may_answer(request.user, q):
        raise PermissionDenied
    if asked := confirmation_needed(request, "close_question", back=reverse("notify:question", args=[q.pk])):
        return asked
    try:
        services.close(request.user, q)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The question was closed."))
    return redirect("notify:question", pk=q.pk)


def _period(request: HttpRequest, capability: str):
    if not has_capability(request.user, capability):
        raise PermissionDenied
    start, end = this_year()
    orgs = organisations_for(request.user, capability).filter(valid_to__isnull=True).order_by("path")
    home = orgs.filter(pk__in=[o.pk for o in home_organisations(request.user)]).first() or orgs.first()
    initial = {"organisation": home, "start": start, "end": end}
    form = PeriodForm(request.GET or None, initial=initial, organisations=orgs)
    if request.GET:
        if not form.is_valid():
            return form, None
        d = form.cleaned_data
        return form, (get_organisation_or_404(request.user, d["organisation"].pk, capability), d["start"], d["end"])
    if initial["organisation"] is None:
        return form, None
    return form, (initial["organisation"], start, end)


@login_required
@require_GET
def question_stats(request: HttpRequest) -> HttpResponse:
    form, chosen = _period(request, access.STATS)
    report = stats.questions(*chosen) if chosen else None
    return render(request, "notify/question_stats.html", {"form": form, "report": report})


@login_required
@require_GET
def adoption(request: HttpRequest) -> HttpResponse:
    form, chosen = _period(request, access.ADOPTION)
    figures = None
    children = []
    if chosen:
        org, start, end = chosen
        figures = stats.adoption(org, start, end)
        below = Organisation.objects.filter(path__startswith=org.path, depth=org.depth + 1, valid_to__isnull=True)
        for child in below.order_by("path")[:50]:
            children.append(stats.adoption(child, start, end))
    return render(request, "notify/adoption.html", {"form": form, "figures": figures, "children": children})
