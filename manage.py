#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    # On a developer's machine (no SECRET_KEY at all) management commands run in development
    # mode. Production always sets SECRET_KEY, and the web server (srm/wsgi.py) never does this.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
