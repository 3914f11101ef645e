"""Letters: screening by the rules with the reason, the refusal of a handler who is the person denounced, the
four routes, the deadline in working days with its one extension across Tết 2025, the outcomes (a discipline
case opened through the discipline services) and the senders' secrecy at rest (ciphertext column, history,
dumpdata, key rotation) and on reading (only the handling committee's inspection role, each reading logged)."""

import datetime as dt
import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection

from dangvu.discipline.models import Case, CaseState
from dangvu.letters import services
from dangvu.letters.models import Letter, Route, SenderView, Signatory, Signed, State
from dangvu.letters.tests.conftest import ADDRESS, CONTACT, NAME, RECEIVED, SECRETS, handled, receive
from dangvu.lib import fieldcrypt
from dangvu.lib.errors import DomainError
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db


def messages(error: DomainError) -> str:
    return " ".join(str(m) for m in error.messages)


@pytest.mark.parametrize(
    ("signed", "reason"),
    [
        (Signed.ANONYMOUS, "anonymous"),
        (Signed.FALSE_NAME, "false_name"),
        (Signed.NO_ADDRESS, "no_address"),
        (Signed.NAMED, ""),
    ],
)
def test_screening_by_signature(tree, people, cast, signed, reason):
    letter = receive(tree.a, cast.inspector, about=people["duc"], signed=signed)
    assert letter.signatory_count == (0 if signed == Signed.ANONYMOUS else 1)
    letter = services.screen(letter, screened_on=RECEIVED, actor=cast.inspector)
    assert letter.not_handled_reason == reason
    assert letter.state == (State.NOT_HANDLED if reason else State.ACCEPTED)
    assert letter.history.first().history_change_reason == f"screened: {reason or 'accepted'}"


def test_repeated_letter_needs_new_evidence(tree, people, cast):
    first = receive(tree.a, cast.inspector, about=people["duc"])
    again = receive(tree.a, cast.inspector, about=people["duc"], repeat_of=first, number="06/ĐT")
    assert services.screen(again, screened_on=RECEIVED, actor=cast.inspector).not_handled_reason == (
        "repeated_without_evidence"
    )
    with_evidence = receive(tree.a, cast.inspector, about=people["duc"], repeat_of=first, new_evidence=True)
    assert services.screen(with_evidence, screened_on=RECEIVED, actor=cast.inspector).state == State.ACCEPTED


def test_joint_letters_are_a_rule_set_option(tree, people, cast):
    two = [services.Sender(NAME, ADDRESS, CONTACT), services.Sender("Người thứ hai", "Số 2", "")]
    letter = receive(tree.a, cast.inspector, about=people["duc"], senders=two)
    assert services.screen(letter, screened_on=RECEIVED, actor=cast.inspector).state == State.ACCEPTED
    RuleSet.objects.create(
        effective_from=dt.date(2026, 1, 1),
        name="Không xét đơn nhiều người ký (thử)",
        values={"letters.not_handled": ["anonymous", "false_name", "no_address", "repeated_without_evidence", "joint"]},
    )
    letter = receive(tree.a, cast.inspector, about=people["duc"], senders=two, number="07/ĐT")
    assert services.screen(letter, screened_on=RECEIVED, actor=cast.inspector).not_handled_reason == "joint"


def test_intake_refusals_write_nothing(tree, people, cast):
    with pytest.raises(DomainError) as error:
        receive(tree.a, cast.inspector, about=people["duc"], signed=Signed.ANONYMOUS, senders=[services.Sender("X")])
    assert "senders" in error.value.message_dict
    with pytest.raises(DomainError) as error:
        receive(tree.a, cast.inspector, about=people["duc"], senders=[])
    assert "senders" in error.value.message_dict
    with pytest.raises(DomainError) as error:
        receive(tree.a, cast.inspector, about=None)
    assert "about_member" in error.value.message_dict
    with pytest.raises(DomainError):
        receive(tree.a, cast.inspector, about=people["duc"], day=dt.date(2099, 1, 1))
    assert not Letter.objects.exists() and not Signatory.objects.exists()


def test_the_person_denounced_never_handles_it(tree, people, cast):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    services.screen(letter, screened_on=RECEIVED, actor=cast.inspector)
    with pytest.raises(DomainError) as error:
        services.route(
            letter,
            route=Route.HANDLE,
            routed_on=RECEIVED,
            handlers=[people["binh"], people["duc"]],
            actor=cast.inspector,
        )
    assert "Lê Minh Đức" in messages(error.value) and "handlers" in error.value.message_dict
    letter.refresh_from_db()
    assert letter.state == State.ACCEPTED and letter.due_on is None
    # The cast's inspector is linked to Đức's record: refused at every step.
    cast.inspector.member = people["duc"]
    with pytest.raises(DomainError):
        services.route(letter, route=Route.HANDLE, routed_on=RECEIVED, handlers=[people["binh"]], actor=cast.inspector)
    with pytest.raises(DomainError):
        receive(tree.a, cast.inspector, about=people["duc"], number="08/ĐT")


def test_routes(tree, people, cast):
    def accepted(n):
        letter = receive(tree.a, cast.inspector, about=people["duc"], number=f"{n}/ĐT")
        return services.screen(letter, screened_on=RECEIVED, actor=cast.inspector)

    forwarded = services.route(
        accepted(1), route=Route.FORWARD, routed_on=RECEIVED, forwarded_to=tree.a_base, actor=cast.inspector
    )
    assert forwarded.state == State.FORWARDED and forwarded.forwarded_to == tree.a_base
    with pytest.raises(DomainError) as error:  # a sibling committee is not subordinate
        services.route(accepted(2), route=Route.FORWARD, routed_on=RECEIVED, forwarded_to=tree.b, actor=cast.inspector)
    assert "forwarded_to" in error.value.message_dict
    with pytest.raises(DomainError) as error:
        services.route(accepted(3), route=Route.TRANSFER, routed_on=RECEIVED, actor=cast.inspector)
    assert "transferred_to" in error.value.message_dict
    transferred = services.route(
        accepted(4),
        route=Route.TRANSFER,
        routed_on=RECEIVED,
        transferred_to="Thanh tra thành phố",
        actor=cast.inspector,
    )
    assert transferred.state == State.TRANSFERRED
    with pytest.raises(DomainError) as error:
        services.route(accepted(5), route=Route.ARCHIVE, routed_on=RECEIVED, actor=cast.inspector)
    assert "note" in error.value.message_dict
    archived = services.route(
        accepted(6), route=Route.ARCHIVE, routed_on=RECEIVED, note="Nội dung đã giải quyết", actor=cast.inspector
    )
    assert archived.state == State.ARCHIVED
    with pytest.raises(DomainError):  # routed once
        services.route(archived, route=Route.TRANSFER, routed_on=RECEIVED, transferred_to="X", actor=cast.inspector)
    handled_ = services.route(
        accepted(7), route=Route.HANDLE, routed_on=RECEIVED, handlers=[people["binh"]], actor=cast.inspector
    )
    assert handled_.state == State.HANDLING and list(handled_.handlers.all()) == [people["binh"]]


def test_deadline_with_its_extension_across_tet_2025(tree, people, cast):
    """10 working days from Monday 20/01/2025: 21–24/01, then Tết (27/01–31/01 are days off in the `holidays`
    package's VN calendar: 27/01 "29 of Lunar New Year", 28/01 eve, 29/01–31/01 first to third day, 01/02 the
    fourth day), 03–07/02, 10/02. Five more: 11–14/02 and Monday 17/02."""
    RuleSet.objects.create(
        effective_from=dt.date(2025, 1, 1), name="Thời hạn ngắn (thử)", values={"letters.deadline_working_days": 10}
    )
    day = dt.date(2025, 1, 20)
    letter = handled(tree.a, cast.inspector, people["duc"], [people["binh"]], day=day)
    assert letter.due_on == dt.date(2025, 2, 10)
    with pytest.raises(DomainError) as error:
        services.extend(
            letter, days=31, reason="Cần xác minh thêm", notice_on=dt.date(2025, 2, 5), actor=cast.inspector
        )
    assert "days" in error.value.message_dict
    letter = services.extend(
        letter, days=5, reason="Cần xác minh thêm", notice_on=dt.date(2025, 2, 5), actor=cast.inspector
    )
    assert letter.extended_due_on == dt.date(2025, 2, 17) and letter.deadline == dt.date(2025, 2, 17)
    with pytest.raises(DomainError):  # one extension only
        services.extend(letter, days=2, reason="Lần nữa", notice_on=dt.date(2025, 2, 6), actor=cast.inspector)


def test_default_deadline_is_90_working_days(tree, people, cast):
    letter = handled(tree.a, cast.inspector, people["duc"], [people["binh"]])
    assert services.deadline(RECEIVED) == letter.due_on
    assert letter.due_on > RECEIVED + dt.timedelta(days=90 * 7 // 5)


def test_outcomes(tree, people, cast):
    letter = handled(tree.a, cast.inspector, people["duc"], [people["binh"]])
    with pytest.raises(DomainError) as error:
        services.conclude(
            letter, outcome="discipline", concluded_on=RECEIVED, conclusion="Có vi phạm", actor=cast.inspector
        )
    assert "outcome" in error.value.message_dict and not Case.objects.exists()
    spec = services.CaseSpec("economy_finance", "Sử dụng xe công vào việc riêng.", dt.date(2026, 1, 15), "reprimand")
    letter = services.conclude(
        letter,
        outcome="discipline",
        concluded_on=RECEIVED,
        conclusion="Tố cáo đúng một phần",
        case=spec,
        result_notice_on=RECEIVED,
        actor=cast.inspector,
    )
    case = Case.objects.get()
    assert letter.case == case and case.member == people["duc"] and case.state == CaseState.OPEN
    assert letter.state == State.CONCLUDED and letter.result_notice_on == RECEIVED
    other = handled(tree.a, cast.inspector, people["binh"], [people["duc"]])
    other = services.conclude(
        other, outcome="unfounded", concluded_on=RECEIVED, conclusion="Không có cơ sở", actor=cast.inspector
    )
    assert other.outcome == "unfounded" and other.case is None and other.result_notice_on is None
    other = services.record_result_notice(other, notice_on=RECEIVED, actor=cast.inspector)
    assert other.result_notice_on == RECEIVED


def test_senders_encrypted_at_rest_and_out_of_history_and_dumps(tree, people, cast):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM letters_signatory WHERE letter_id = %s", [letter.pk])
        (stored,) = cursor.fetchone()
        columns = [
            c.name for c in connection.introspection.get_table_description(cursor, "letters_historicalsignatory")
        ]
    assert stored.startswith(fieldcrypt.PREFIX) and not any(s in stored for s in SECRETS)
    assert "secret" not in columns
    history = Signatory.history.get()
    assert history.history_change_reason == "signatory added" and history.history_user == cast.inspector
    out = io.StringIO()
    call_command("dumpdata", "letters", stdout=out)
    dumped = out.getvalue()
    assert json.loads(dumped) and not any(s in dumped for s in SECRETS)
    assert stored in dumped  # the dump carries the ciphertext only


def test_reading_senders_only_by_the_handling_inspection_role_and_logged(tree, people, cast, inspectors):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    for who in (cast.admin, cast.office, cast.leader, cast.secretary, cast.member, cast.outsider, cast.nobody):
        with pytest.raises(PermissionDenied):
            services.read_senders(letter, who, "page")
    for who in inspectors.values():
        with pytest.raises(PermissionDenied):
            services.read_senders(letter, who, "api")
    assert not SenderView.objects.exists()
    senders = services.read_senders(letter, cast.inspector, "page")
    assert senders == [services.Sender(NAME, ADDRESS, CONTACT)]
    view = SenderView.objects.get()
    assert view.viewer == cast.inspector and view.surface == "page" and view.letter == letter


def test_rotation_re_encrypts_the_senders(tree, people, cast, monkeypatch):
    letter = receive(tree.a, cast.inspector, about=people["duc"])
    before = Signatory.objects.get().secret
    old = fieldcrypt.read_keys()[0]
    new = Fernet.generate_key()
    monkeypatch.setenv("DANGVU_FIELD_KEYS", f"{new.decode()},{old.decode()}")
    fieldcrypt.reset()
    assert fieldcrypt.rotate_all() == 1
    monkeypatch.setenv("DANGVU_FIELD_KEYS", new.decode())  # the old key retired
    fieldcrypt.reset()
    after = Signatory.objects.get().secret
    assert after != before
    assert services.read_senders(letter, cast.inspector, "page")[0].name == NAME
