import datetime as dt

import pytest
from cryptography.fernet import Fernet

from dangvu.accounts.models import Role
from dangvu.letters import services
from dangvu.letters.models import Channel, Kind, Signed
from dangvu.lib import fieldcrypt
from dangvu.testing import user

RECEIVED = dt.date(2026, 3, 2)
# Distinctive strings of the senders: a test searches every response and dump for them.
NAME, ADDRESS, CONTACT = "Quỳnh Mậtdanh Zyxw", "88 Ngõ Bíẩn Qwerty", "0999-321-777"
SECRETS = (NAME, ADDRESS, CONTACT, "Mậtdanh", "Bíẩn", "321-777")


@pytest.fixture(autouse=True)
def field_keys(monkeypatch):
    monkeypatch.setenv("DANGVU_FIELD_KEYS", Fernet.generate_key().decode())
    fieldcrypt.reset()
    yield
    fieldcrypt.reset()


def receive(committee, actor, *, about=None, signed=Signed.NAMED, senders=None, day=RECEIVED, **kw):
    if senders is None:
        senders = [] if signed == Signed.ANONYMOUS else [services.Sender(NAME, ADDRESS, CONTACT)]
    return services.receive(
        committee,
        number=kw.pop("number", "05/ĐT"),
        received_on=day,
        channel=kw.pop("channel", Channel.POST),
        kind=kw.pop("kind", Kind.DENUNCIATION),
        signed=signed,
        senders=senders,
        content=kw.pop("content", "Tố cáo đảng viên sử dụng tài sản công sai mục đích."),
        about_member=about,
        actor=actor,
        **kw,
    )


def handled(committee, actor, about, handlers, day=RECEIVED):
    letter = receive(committee, actor, about=about, day=day)
    services.screen(letter, screened_on=day, actor=actor)
    return services.route(letter, route="handle", routed_on=day, handlers=handlers, actor=actor)


@pytest.fixture
def inspectors(tree, people):
    """Inspection roles of another committee (B) and of a subordinate committee (A1)."""
    return {
        "inspector_other": user("insp_b", Role.INSPECTION, tree.b),
        "inspector_below": user("insp_a1", Role.INSPECTION, tree.a_base),
    }
