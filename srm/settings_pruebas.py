"""Settings of the test suite: the embedded defaults with a development key and plain HTTP.

Production never loads this module; it is named only in pyproject.toml for pytest.
"""

import os

os.environ.setdefault("SRM_TESTING", "1")

from srm.settings import *  # noqa: E402, F403
