from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangvu.accounts.scope import get_member_or_404


@login_required
def detail(request, pk: int):
    member = get_member_or_404(request.user, pk)
    events = member.events.select_related("organisation", "annuls").order_by("date", "id")
    return render(request, "members/detail.html", {"member": member, "events": events})
