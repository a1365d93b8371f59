"""No private name of Django, Wagtail, Jinja2, treebeard or scikit-learn is
used outside the one documented module (byline/core/internals.py): a framework
upgrade must not turn Byline's code into silently wrong results."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ALLOWED = {ROOT / "byline" / "core" / "internals.py", Path(__file__).resolve()}
SEARCHED = ["byline", "bench", "e2e", "tools", "conftest.py", "manage.py"]

# Private (or undocumented) framework names Byline once used, and the ways of
# reaching into a framework they stand for.
NAMES = [
    "_get_raw_host",  # django.http.HttpRequest
    "_wagtail_site",  # wagtail Site.find_for_request's cache
    "_get_site_root_paths",  # wagtail Page
    "_get_relevant_site_root_paths",
    "_wagtail_cached_site_root_paths",
    "_cached_parent_obj",  # treebeard MP_Node.get_parent's cache
    "_str2int",  # treebeard MP_Node
    "_int2str",
    "_get_path",
    "_get_basepath",
    "_result_cache",  # django QuerySet
    "_iterable_class",
    "_prefetch_related_lookups",
    "_known_related_objects",
    "_raw_delete",
    "get_compiler(",
    "get_related_populators",
    "apply_converters",
    "FORMAT_QMARK_REGEX",  # django sqlite3 backend
    "convert_query",
    "._urls(",  # django Sitemap
    "_check_values",  # django ModelMultipleChoiceField
    "._accept(",  # django CsrfViewMiddleware
    "csrf_processing_done",
    "._out",  # django OutputWrapper
    "_validate_vocabulary",  # scikit-learn
    "jinja2.runtime",  # Jinja2 internals behind Template.render
    "root_render_func",
    "_merged_globals",
    "_byline_prepared_",
    "._refresh_title_norms(",  # modelsearch's index: importers/wagtail_index.py
    "wrap_database_errors",  # django database wrapper: core/internals.py
]
# Overriding or calling a framework's private method from a subclass.
PATTERNS = [re.compile(r"super\(\)\._[a-z]")]


def sources():
    for name in SEARCHED:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            if file.resolve() not in ALLOWED and "/migrations/" not in str(file):
                yield file


def uses(name, line):
    """Whether `line` names `name` itself, not a longer public name ending in
    it (Wagtail's public `Sitemap.get_wagtail_site()` is not `_wagtail_site`)."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}", line) is not None


def test_the_search_finds_a_private_name_and_not_a_public_one_ending_in_it():
    assert uses("_wagtail_site", "site = request._wagtail_site")
    assert not uses("_wagtail_site", "site = self.get_wagtail_site()")


def test_no_private_framework_names_outside_the_internals_module():
    found = []
    for file in sources():
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            for name in NAMES:
                if uses(name, line):
                    found.append(f"{file.relative_to(ROOT)}:{number}: {name}")
            for pattern in PATTERNS:
                if pattern.search(line):
                    found.append(f"{file.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "private framework APIs (see byline/core/internals.py):\n" + (
        "\n".join(found)
    )


def test_the_search_covers_the_code():
    files = {f.relative_to(ROOT).as_posix() for f in sources()}
    assert "byline/news/cards.py" in files and "byline/core/sites.py" in files
    assert "byline/core/internals.py" not in files


def test_the_removed_layers_are_gone():
    assert not (ROOT / "byline" / "core" / "prepared.py").exists()
    assert not (ROOT / "byline" / "core" / "sqlite").exists()
