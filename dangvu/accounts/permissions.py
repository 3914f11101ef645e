"""Which roles may do what (domain.md §1). One table, read by dangvu.accounts.scope.

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
    "rules.view": STAFF,
    "rules.edit": {Role.ADMIN},
}


def roles_for(capability: str) -> set[str]:
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"Unknown capability {capability!r}; declare it in dangvu.accounts.permissions") from None
