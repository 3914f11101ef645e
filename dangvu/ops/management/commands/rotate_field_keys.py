"""`dangvu rotate_field_keys [--new-key] [--retire-old]`: re-encrypt every encrypted field value under the
first field key (dangvu.lib.fieldcrypt), in one transaction.

- Keys in the environment (`DANGVU_FIELD_KEYS`): put the new key first (keep the old ones after it), restart,
  run this command, then drop the old keys from the variable. `--new-key` only prints a fresh key to use.
- Keys in a file (`DANGVU_FIELD_KEYS_FILE` or the data folder's `field_keys`): `--new-key` writes a fresh key
  first in the file (the old ones kept after it) and re-encrypts; `--retire-old` then removes the old keys
  from the file (backups made before the rotation need them: keep a copy with those backups).
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandError

from dangvu.lib import fieldcrypt


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field value under the first field key (optionally a new one)."

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="generate a new key and make it the first")
        parser.add_argument("--retire-old", action="store_true", help="drop the old keys from the key file after")

    def handle(self, *args, new_key: bool, retire_old: bool, **options):
        source, path = fieldcrypt.key_source()
        fieldcrypt.reset()
        if new_key:
            key = Fernet.generate_key()
            if source == "env":
                self.stdout.write(
                    "Keys come from DANGVU_FIELD_KEYS: put this key first in it, restart, and run this command "
                    f"again without --new-key:\n{key.decode()}"
                )
                return
            fieldcrypt.write_keys(path, [key, *fieldcrypt.read_keys()])
        if retire_old and source == "env":
            raise CommandError("Keys come from DANGVU_FIELD_KEYS: remove the old keys from the variable yourself.")
        n = fieldcrypt.rotate_all()
        if retire_old:
            fieldcrypt.write_keys(path, fieldcrypt.read_keys()[:1])
        self.stdout.write(f"{n} encrypted value(s) re-encrypted under the first key.")
