"""End-to-end (issue 13 acceptance): the leader opens the targets dashboard, follows a figure to the records
behind it (as many rows as the figure says), the committee office draws up the official report on the
resolution (the leader may see reports but not ask for one: registering a document is the office's,
docs/decisions.md), it is built in the background while its page polls the progress, and the leader
downloads the DOCX from the report's page; the file is opened back and its Party-format header checked.
The test builds its own resolution with a computed target through the services (no demo data needed).
Debian's chromium through Playwright; no CSP violation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone
from docx import Document as Docx

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.docregister import services as register
from dangvu.orgs.models import Term
from dangvu.targets import services
from dangvu.targets.models import Report
from dangvu.tasks.worker import drain
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api
from tests.browser.live import orm as _orm

TEXT = "Trong nhiệm kỳ, kết nạp ít nhất 10 đảng viên mới."


def _world(tree):
    """A term running today (started on 1 October of last year), three admissions in C1 since it started, and
    committee A's resolution with one target computed from the admissions (10 over the term)."""
    today = timezone.localdate()
    start = dt.date(today.year - 1, 10, 1)
    term = Term.objects.create(code=f"{start.year}-{start.year + 5}", start=start, end=dt.date(start.year + 5, 9, 30))
    for days in (30, 100, 200):
        testing.member(tree.c1, admitted=start + dt.timedelta(days=days), official=False)
    office = testing.user("vanphong", Role.OFFICE, tree.a)
    testing.user("lanhdao", Role.LEADER, tree.a)
    entry = register.Entry(
        organisation=tree.a,
        doc_type="NQ",
        date=start + dt.timedelta(days=20),
        title="Nghị quyết Đại hội đại biểu Đảng bộ",
        term=term,
    )
    resolution = register.register(entry, office)
    spec = services.TargetSpec(
        text=TEXT,
        kind="count",
        period="term",
        subject="members",
        source="indicator",
        indicator="admission.admissions",
        threshold=Decimal(10),
    )
    return term, resolution, services.add_target(resolution, spec, office)


@pytest.mark.browser
def test_leader_follows_a_figure_and_downloads_the_official_report(server, settings, monkeypatch, tree, tmp_path):
    settings.TWO_FACTOR_REQUIRED = False  # this test is about the targets pages, not TOTP
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    term, resolution, target = _world(tree)
    base = server

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        csp: list[str] = []
        try:

            def session(username: str):
                context = browser.new_context(locale="vi-VN", accept_downloads=True)
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", testing.PASSWORD)
                page.click("form button[type=submit]")
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                return page

            # 1. The leader's dashboard: the target with its figure over the term to date (3 admissions).
            leader = session("lanhdao")
            leader.goto(f"{base}/targets/dashboard/")
            card = leader.locator(f"#target-{target.pk}")
            expect(card).to_contain_text(TEXT)
            figure = card.locator(f"a[href='/targets/{target.pk}/records/{term.code}/']")
            expect(figure).to_have_text("3")
            shown = figure.inner_text()

            # 2. The figure opens the records behind it: as many rows as the figure.
            figure.click()
            leader.wait_for_url(f"**/targets/{target.pk}/records/{term.code}/")
            expect(leader.locator("table tbody tr")).to_have_count(int(shown))
            expect(leader.locator("#provenance-count")).to_contain_text(f"{shown} ")

            # 3. The leader may read the reports but not ask for one: the office does.
            reports_url = f"{base}/targets/resolutions/{resolution.pk}/reports/"
            leader.goto(reports_url)
            expect(leader.locator("#h-reports")).to_be_visible()
            expect(leader.locator("#report-form")).to_have_count(0)
            office = session("vanphong")
            office.goto(reports_url)
            office.select_option("#report-form #id_kind", "targets")
            office.select_option("#report-form #id_label", term.code)
            office.click("#report-form button[type=submit]")
            office.wait_for_url(lambda url: "/targets/reports/" in url)
            report = _orm(lambda: Report.objects.select_related("document").get())
            expect(office.locator("#report-progress")).to_be_visible()
            assert _orm(drain) == 1  # the background task builds it; the page polls and shows the files
            expect(office.locator("#report-docx")).to_be_visible()

            # 4. The leader downloads the DOCX from the report's page.
            leader.goto(f"{base}/targets/reports/{report.pk}/")
            with leader.expect_download() as download_info:
                leader.click("#report-docx")
            download = download_info.value
            assert download.suggested_filename.endswith(".docx")
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            assert csp == []
        finally:
            _orm(connections.close_all)
            browser.close()

    doc = Docx(str(saved))
    header = [cell.text.split("\n") for cell in doc.tables[0].rows[0].cells]
    assert header[0][0] == "ĐẢNG BỘ THÀNH PHỐ THỬ" and header[0][-1] == f"Số {report.document.number}"
    assert header[1][0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header[1][-1].endswith(f"năm {timezone.localdate().year}")
    combined = [[cell.text for cell in row.cells] for row in doc.tables[-2].rows]
    assert combined[1] == ["1", TEXT, "3 (đạt 30%)", "Chưa đạt"]
