"""End-to-end: a committee office user opens a candidate's admission file and records, through the page's
HTMX forms, the cell resolution (with its vote), the grassroots committee resolution and the admission
decision — in a real browser. The timeline shows each step and the database holds them.

Debian's chromium is driven through Playwright's sync API (Playwright's own browser download does not
work on these machines). A missing browser is a FAILURE, never a skip: a green run must mean the flow ran.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.admission import services
from dangvu.admission.models import Candidate, Stage
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api


def _candidate_through_introduction(tree, people, actor) -> Candidate:
    """A file in cell C1 with every step up to the introduction, dated over the past months."""
    start = timezone.localdate() - dt.timedelta(days=200)
    candidate = services.create_candidate(
        {"full_name": "Huỳnh Thị Kết Nạp", "sex": "F", "birth_date": dt.date(1999, 9, 2), "citizen_id": "092199777001"},
        tree.c1,
        actor,
        date=start,
        document_number="03-DS/CB",
    )
    services.record_step(
        candidate, Stage.COURSE, actor, date=start + dt.timedelta(days=20), document_number="210-GCN/TTCT"
    )
    services.record_step(candidate, Stage.APPLICATION, actor, date=start + dt.timedelta(days=40))
    services.record_step(
        candidate, Stage.VERIFICATION, actor, date=start + dt.timedelta(days=60), document_number="17-BC/ĐU"
    )
    services.record_step(
        candidate,
        Stage.INTRODUCTION,
        actor,
        date=start + dt.timedelta(days=80),
        introducers=[(people["an"], dt.date(2020, 1, 1)), (people["binh"], dt.date(2020, 1, 1))],
    )
    return candidate


@pytest.mark.browser
def test_cell_resolution_to_admission_decision(live_server, settings, monkeypatch, tree, people):
    # test.sh runs the suite with DANGVU_TWO_FACTOR=1. This test is about the admission pages, not about
    # TOTP (dangvu/accounts/tests/test_security.py covers the two-factor flow), so it is switched off here.
    settings.TWO_FACTOR_REQUIRED = False
    # The live server speaks plain HTTP: cookies marked Secure would not come back to it.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
    # with a running loop unless told that it is safe (it is: the calls are plain synchronous ones).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    expect, sync_playwright = playwright_api()

    office = testing.user("office", Role.OFFICE, tree.a)
    candidate = _candidate_through_introduction(tree, people, office)
    official = services.official_members_on(tree.c1, timezone.localdate())
    assert official == 2  # An and Bình: both must agree (2/3 of 2, rounded up)
    base = live_server.url
    url = f"{base}/admission/{candidate.pk}/"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            csp_violations: list[str] = []
            page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m.text))

            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "office")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            page.goto(url)
            expect(page.locator("h1")).to_have_text("Huỳnh Thị Kết Nạp")
            timeline = page.locator("#timeline > li")
            expect(timeline).to_have_count(5)  # source … introduction
            form = page.locator("#step-form")
            expect(form).to_have_attribute("data-stage", Stage.CELL_RESOLUTION)
            expect(page.locator("#vote-hint")).to_have_attribute("data-needed", "2")

            # 1. Cell resolution: both official members agree.
            page.fill("#id_document_number", "05-NQ/CB")
            page.fill("#id_votes_for", "2")
            page.fill("#id_votes_against", "0")
            page.click("#step-submit")
            expect(page.locator(f'#timeline > li[data-stage="{Stage.CELL_RESOLUTION}"]')).to_have_count(1)
            expect(page.locator(".adm-votes").first).to_have_attribute("data-eligible", "2")
            expect(page.locator("#step-form")).to_have_attribute("data-stage", Stage.COMMITTEE_RESOLUTION)
            # Swapped in place by HTMX (the notice is part of the fragment; a plain POST redirects instead).
            expect(page.locator("#file-notice")).to_be_visible()
            assert page.url == url

            # 2. Grassroots committee resolution: 6 of 7 committee members agree.
            page.fill("#id_document_number", "12-NQ/ĐU")
            page.fill("#id_votes_eligible", "7")
            page.fill("#id_votes_for", "6")
            page.fill("#id_votes_against", "1")
            page.click("#step-submit")
            expect(page.locator(f'#timeline > li[data-stage="{Stage.COMMITTEE_RESOLUTION}"]')).to_have_count(1)
            expect(page.locator("#step-form")).to_have_attribute("data-stage", Stage.DECISION)

            # 3. Admission decision by the committee.
            page.fill("#id_document_number", "301-QĐ/ĐU")
            page.fill("#id_issuer", "Đảng ủy Sở Một")
            page.click("#step-submit")
            decision = page.locator(f'#timeline > li[data-stage="{Stage.DECISION}"]')
            expect(decision).to_have_count(1)
            expect(decision).to_contain_text("301-QĐ/ĐU")
            expect(timeline).to_have_count(8)
            expect(page.locator("#candidate-file")).to_have_attribute("data-due-stage", Stage.CEREMONY)
            expect(page.locator("#step-form")).to_have_attribute("data-stage", Stage.CEREMONY)

            # A reload shows the same timeline from the server.
            page.reload()
            expect(timeline).to_have_count(8)
            assert csp_violations == []  # no inline script or style anywhere in the flow
        finally:
            browser.close()

    candidate.refresh_from_db()
    steps = {s.stage: s for s in candidate.steps.filter(annulled_at__isnull=True)}
    assert list(steps)[-3:] == [Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION, Stage.DECISION]
    cell = steps[Stage.CELL_RESOLUTION]
    assert (cell.votes_for, cell.votes_against, cell.votes_eligible, cell.document_number) == (2, 0, 2, "05-NQ/CB")
    committee = steps[Stage.COMMITTEE_RESOLUTION]
    assert (committee.votes_for, committee.votes_eligible) == (6, 7)
    assert steps[Stage.DECISION].issuer == "Đảng ủy Sở Một" and steps[Stage.DECISION].recorded_by == office
    assert candidate.stage == Stage.DECISION and candidate.due_stage == Stage.CEREMONY
