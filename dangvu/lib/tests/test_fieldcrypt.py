"""Field encryption (dangvu.lib.fieldcrypt): keys from the environment, a key file or the data folder,
padding that hides the length, rotation to a new key, and the `rotate_field_keys` command."""

import io
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from dangvu.lib import fieldcrypt


@pytest.fixture
def keys_env(monkeypatch):
    def use(*keys: bytes):
        monkeypatch.setenv("DANGVU_FIELD_KEYS", ",".join(k.decode() for k in keys))
        fieldcrypt.reset()

    yield use
    fieldcrypt.reset()


@pytest.fixture
def data_dir(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("DANGVU_FIELD_KEYS", raising=False)
    monkeypatch.delenv("DANGVU_FIELD_KEYS_FILE", raising=False)
    settings.DATA_DIR = tmp_path
    fieldcrypt.reset()
    yield tmp_path
    fieldcrypt.reset()


def test_round_trip_and_ciphertext_hides_text_and_length(keys_env):
    keys_env(Fernet.generate_key())
    short, long_ = "Lê Văn Tố", "Nguyễn Thị Phản Ánh, số 12 đường Hòa Bình, Ninh Kiều, Cần Thơ; 0912 345 678"
    a, b = fieldcrypt.encrypt(short), fieldcrypt.encrypt(long_)
    assert fieldcrypt.decrypt(a) == short and fieldcrypt.decrypt(b) == long_
    assert "Tố" not in a and "Cần Thơ" not in b and a.startswith(fieldcrypt.PREFIX)
    assert len(a) == len(b)  # both padded to the same 512-byte block
    assert fieldcrypt.encrypt(short) != a  # a fresh IV each time
    assert len(fieldcrypt.encrypt("x" * 600)) > len(a)  # longer than one block: the next size


def test_wrong_key_refuses_without_showing_the_value(keys_env):
    keys_env(Fernet.generate_key())
    token = fieldcrypt.encrypt("Bí mật")
    keys_env(Fernet.generate_key())
    with pytest.raises(ValueError) as exc:
        fieldcrypt.decrypt(token)
    assert "Bí mật" not in str(exc.value)
    with pytest.raises(ValueError):
        fieldcrypt.decrypt("plain text")


def test_rotation_to_a_new_first_key(keys_env):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    keys_env(old)
    token = fieldcrypt.encrypt("Người tố cáo")
    keys_env(new, old)
    assert fieldcrypt.decrypt(token) == "Người tố cáo"  # old key still decrypts
    rotated = fieldcrypt.rotate(token)
    keys_env(new)  # old key retired
    assert fieldcrypt.decrypt(rotated) == "Người tố cáo"
    with pytest.raises(ValueError):
        fieldcrypt.decrypt(token)


def test_key_generated_once_in_the_data_folder_owner_only(data_dir):
    token = fieldcrypt.encrypt("abc")
    path = data_dir / "field_keys"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    first = path.read_text()
    fieldcrypt.reset()
    assert fieldcrypt.decrypt(token) == "abc" and path.read_text() == first


def test_keys_file_and_bad_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("DANGVU_FIELD_KEYS", raising=False)
    missing = tmp_path / "nope"
    monkeypatch.setenv("DANGVU_FIELD_KEYS_FILE", str(missing))
    fieldcrypt.reset()
    with pytest.raises(fieldcrypt.FieldKeyError):
        fieldcrypt.encrypt("x")
    assert not missing.exists()  # a named file is never invented
    bad = tmp_path / "bad"
    bad.write_text("not-a-key\n")
    monkeypatch.setenv("DANGVU_FIELD_KEYS_FILE", str(bad))
    fieldcrypt.reset()
    with pytest.raises(fieldcrypt.FieldKeyError):
        fieldcrypt.encrypt("x")
    fieldcrypt.reset()


@pytest.mark.django_db
def test_command_new_key_in_file_then_retire(data_dir):
    token = fieldcrypt.encrypt("Địa chỉ")
    old = (data_dir / "field_keys").read_text().split()
    out = io.StringIO()
    call_command("rotate_field_keys", "--new-key", stdout=out)
    keys = (data_dir / "field_keys").read_text().split()
    assert len(keys) == 2 and keys[1:] == old and "re-encrypted" in out.getvalue()
    call_command("rotate_field_keys", "--retire-old", stdout=io.StringIO())
    assert (data_dir / "field_keys").read_text().split() == keys[:1]
    fieldcrypt.reset()
    with pytest.raises(ValueError):  # a value not re-encrypted (here: never stored) is lost with the old key
        fieldcrypt.decrypt(token)


@pytest.mark.django_db
def test_command_with_environment_keys_only_prints_a_key(keys_env, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    keys_env(Fernet.generate_key())
    out = io.StringIO()
    call_command("rotate_field_keys", "--new-key", stdout=out)
    printed = out.getvalue().strip().splitlines()[-1]
    Fernet(printed.encode())  # a valid key
    assert not (tmp_path / "field_keys").exists()
