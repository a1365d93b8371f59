"""Load the standalone verifier in tools/ (kept outside the package on purpose:
readers download that one file and run it without our code)."""

import importlib.util

from django.conf import settings

TOOL_PATH = settings.BASE_DIR / "tools" / "verify_article.py"


def load_verifier():
    spec = importlib.util.spec_from_file_location("byline_verify_article", TOOL_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
