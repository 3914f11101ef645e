"""The `dangvu` command: Django's management commands with dangvu's settings.

`dangvu runserver`, `dangvu migrate`, `dangvu seed_demo`, `dangvu check --deploy`, ...
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
