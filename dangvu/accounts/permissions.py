"""Which roles may do what (domain.md §1), and which roles see which personal data of a member record.
Two tables, read by dangvu.accounts.scope and dangvu.accounts.privacy.

A capability granted by a role at organisation X applies to X's whole current subtree. The member role
grants only the `self` capabilities (own record), handled by the scope helpers.
"""

from __future__ import annotations

from dangvu.accounts.models import Role

STAFF = {Role.OFFICE, Role.INSPECTION, Role.CELL_SECRETARY, Role.LEADER, Role.ADMIN}

CAPABILITIES: dict[str, set[str]] = {
    "dashboard.view": STAFF,
    "orgs.view": STAFF,
    "orgs.reorganise": {Role.OFFICE, Role.ADMIN},
    "members.view": STAFF,
    "members.export": STAFF,
    "members.edit": {Role.OFFICE, Role.ADMIN},  # identity fields and life events
    "members.import": {Role.OFFICE, Role.ADMIN},
    "audit.view": {Role.OFFICE, Role.INSPECTION, Role.LEADER, Role.ADMIN},
    # Admission: the cell proposes (source list … cell resolutions, ceremony, training); the committee
    # office records the committee's steps (verification, committee resolution, decisions, withdrawal).
    "admission.view": STAFF,
    "admission.propose": {Role.CELL_SECRETARY, Role.OFFICE, Role.ADMIN},
    "admission.decide": {Role.OFFICE, Role.ADMIN},
    # Transfers are issued and acknowledged by committee offices (each on its own side).
    "transfers.manage": {Role.OFFICE, Role.ADMIN},
    "alerts.view": STAFF,
    # Meetings: staff see the meetings of their subtree (invited members see their own meetings); the
    # cell secretary and the office plan and run them. The chair and minutes secretary of a meeting run
    # it whatever their role (dangvu.meetings.access).
    "meetings.view": STAFF,
    "meetings.manage": {Role.CELL_SECRETARY, Role.OFFICE, Role.ADMIN},
    # Yearly review (issue 11): staff see the reviews of their subtree (a member sees and fills their own);
    # the cell secretary proposes the cell's grades; the committee office opens campaigns and records the
    # committee's decisions.
    "reviews.view": STAFF,
    "reviews.propose": {Role.CELL_SECRETARY, Role.OFFICE, Role.ADMIN},
    "reviews.manage": {Role.OFFICE, Role.ADMIN},
    # Discipline (issue 12 item 2): decided discipline (member record, statistics) is seen by the file
    # keepers, the cell and the leaders; the case files (facts, proposals, open cases) by the inspection
    # committee and the leaders; only the inspection committee records them (docs/decisions.md, issue 12).
    "discipline.view": {Role.OFFICE, Role.INSPECTION, Role.CELL_SECRETARY, Role.LEADER, Role.ADMIN},
    "discipline.cases": {Role.INSPECTION, Role.LEADER, Role.ADMIN},
    "discipline.manage": {Role.INSPECTION, Role.ADMIN},
    # Inspection and supervision (issue 12 item 1): programmes, inspections, conclusions and remediation are
    # seen by the inspection committee, the committee's office and the leaders of the subtree; only the
    # inspection committee records them (docs/decisions.md, issue 12).
    "inspection.view": {Role.OFFICE, Role.INSPECTION, Role.LEADER, Role.ADMIN},
    "inspection.manage": {Role.INSPECTION, Role.ADMIN},
    # Letters (issue 12 items 3 and 4): the letters of the subtree are seen by the inspection committee, the
    # leaders and the administrator, without their senders (dangvu.letters.access); only the inspection
    # committee records them; the counts for the same roles. The senders: the inspection role of the handling
    # committee only, not a capability over a subtree (docs/decisions.md, issue 12 items 3 and 4).
    "letters.view": {Role.INSPECTION, Role.LEADER, Role.ADMIN},
    "letters.manage": {Role.INSPECTION},
    "letters.stats": {Role.INSPECTION, Role.LEADER, Role.ADMIN},
    # Who heads each committee's inspection committee (reads the log of who saw the senders): set by the administrator.
    "letters.heads": {Role.ADMIN},
    # Documents register (issue 13 item 1): staff see the documents issued in their subtrees; the committee
    # office (văn thư) registers them and gives their numbers (docs/decisions.md, issue 13).
    "register.view": STAFF,
    "register.manage": {Role.OFFICE, Role.ADMIN},
    # Resolution targets (issue 13 items 2–4): staff see the targets of the resolutions issued in their
    # subtrees with their results; the committee office records targets and results entered by hand.
    "targets.view": STAFF,
    "targets.manage": {Role.OFFICE, Role.ADMIN},
    # Study, training and commitments (issue 14 items 3–5): staff see the campaigns covering their subtrees
    # (with the figures of their subtrees), the courses and the register of models; the committee office sets
    # up campaigns, records conference attendance, courses, certificates and models (docs/decisions.md,
    # issue 14). A member sees and confirms their own campaigns, courses and commitment.
    "study.view": STAFF,
    "study.manage": {Role.OFFICE, Role.ADMIN},
    # Two-way channel (issue 14 item 7): the office and the secretaries read and answer the questions sent to
    # the organisations of their subtree (members see their own); the counts also for the leaders. Digital
    # adoption (item 8): the office and the leaders.
    "channel.answer": {Role.OFFICE, Role.CELL_SECRETARY, Role.ADMIN},
    "channel.stats": {Role.OFFICE, Role.CELL_SECRETARY, Role.LEADER, Role.ADMIN},
    "adoption.view": {Role.OFFICE, Role.LEADER, Role.ADMIN},
    # Congresses and elections (issue 15): staff see the congresses of their subtrees; the committee office
    # sets them up, records the base and announces the rounds. A member of a counting team enters its
    # tallies whatever their role (dangvu.congress.access).
    "congress.view": STAFF,
    "congress.manage": {Role.OFFICE, Role.ADMIN},
    # Party fees (issue 15 item 4): staff see the dues, payments and reports of their subtree (a member sees their
    # own); the cell secretary and the office record fee data, reliefs and payments; the office imports the
    # payment portal's statements (docs/decisions.md, issue 15 item 4).
    "fees.view": STAFF,
    "fees.record": {Role.CELL_SECRETARY, Role.OFFICE, Role.ADMIN},
    "fees.import": {Role.OFFICE, Role.ADMIN},
    "rules.view": STAFF,
    "rules.edit": {Role.ADMIN},
    # Two-factor enrolment codes and device resets (issue 16 item 8); superusers too (dangvu.accounts.enrolment).
    "accounts.two_factor": {Role.ADMIN},
    # Temporary passwords for the users of the subtree who forgot theirs (issue 9 item 17).
    "accounts.password_reset": {Role.OFFICE, Role.ADMIN},
}


# Personal data of a member record: which roles see each field, on every surface where a member's data
# leaves the system (pages, API, XLSX export, search, DOCX forms) — dangvu.accounts.privacy applies it.
# Nghị định 13/2023/NĐ-CP: each role gets the least it needs for its work; the member always sees their
# own record whatever this table says. A role sees a field of the members in the subtrees where it holds
# that role. The reason for each row is in docs/decisions.md ("Personal data: who sees which field").
# Every identity field of Member is listed (a test fails on one that is not): adding a field means
# deciding here who sees it. A field for phone or e-mail, when the record gets one, is seen by
# {OFFICE, CELL_SECRETARY, ADMIN} (the cell contacts the member).
OFFICE, INSPECTION, CELL, LEADER, ADMIN = (
    Role.OFFICE,
    Role.INSPECTION,
    Role.CELL_SECRETARY,
    Role.LEADER,
    Role.ADMIN,
)
PERSONAL_DATA: dict[str, set[str]] = {
    # Basic personal data (Điều 2 khoản 3) that every staff role works with: who the member is, age.
    "full_name": STAFF,
    "other_names": STAFF,
    "sex": STAFF,
    "birth_date": STAFF,
    # Origins: background verification and inspection cases; not the cell's or the leaders' daily work.
    "birth_place": {OFFICE, INSPECTION, ADMIN},
    "home_town": {OFFICE, INSPECTION, ADMIN},
    # Where the member lives: also the cell secretary, who has to reach the member (residential cells).
    "residence": {OFFICE, INSPECTION, CELL, ADMIN},
    # Sensitive personal data (Điều 2 khoản 4: religion, ethnic origin) and the state identity number:
    # the office that keeps the file (1-HSĐV) and the administrator only.
    "ethnicity": {OFFICE, ADMIN},
    "religion": {OFFICE, ADMIN},
    "citizen_id": {OFFICE, ADMIN},
    # Party work data: every staff role.
    "occupation": STAFF,
    "position": STAFF,
    "general_education": STAFF,
    "professional_degree": STAFF,
    "political_theory": STAFF,
    "foreign_language": STAFF,
    "card_number": STAFF,
    # The notes of the record's life events (reasons of annulments, discipline, exemptions): confidential
    # record notes, for the file keepers and the inspection committee.
    "event_notes": {OFFICE, INSPECTION, ADMIN},
}
SEE = "see."  # Scope.of(user, "see.<field>"): the subtrees where the user sees that field


def roles_for(capability: str) -> set[str]:
    if capability.startswith(SEE) and capability[len(SEE) :] in PERSONAL_DATA:
        return PERSONAL_DATA[capability[len(SEE) :]]
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"Unknown capability {capability!r}; declare it in dangvu.accounts.permissions") from None
