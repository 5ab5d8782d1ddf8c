"""Settings of the test suite: the embedded defaults with a development key and plain HTTP.

Production never loads this module; it is named only in pyproject.toml for pytest.
"""

import os

os.environ.setdefault("SRM_TESTING", "1")

from srm.settings import *  # noqa: E402, F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrent writers then wait on the busy timeout as in
    # the embedded deployment, instead of failing with "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".pruebas.sqlite3")}  # noqa: F405

# One process, emptied before every test (tests/conftest.py), whatever Redis the shell names.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
