"""Page rows changed with `QuerySet.update()` go through `update_pages()`, which
tells the kept page figures (the sitemap index's part rows) what changed."""

import ast
from pathlib import Path

import byline
from byline.news.page_updates import PAGE_FIGURE_FIELDS

PACKAGE = Path(byline.__file__).parent


def _written_fields(call):
    """Field names a `.update(…)` or `.bulk_update(objs, [...])` call writes,
    as far as the source says (keywords, a `**{…}` literal, a list literal)."""
    names = set()
    if call.func.attr == "update":
        for keyword in call.keywords:
            if keyword.arg is not None:
                names.add(keyword.arg)
            elif isinstance(keyword.value, ast.Dict):
                names |= {
                    k.value for k in keyword.value.keys if isinstance(k, ast.Constant)
                }
    elif call.func.attr == "bulk_update" and len(call.args) > 1:
        fields = call.args[1]
        if isinstance(fields, (ast.List, ast.Tuple, ast.Set)):
            names |= {e.value for e in fields.elts if isinstance(e, ast.Constant)}
    return names


def _updates_writing_page_figures(path):
    """(line, fields) of each `update()` or `bulk_update()` call in `path` that
    writes a field in PAGE_FIGURE_FIELDS."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        written = _written_fields(node) & PAGE_FIGURE_FIELDS
        if written:
            found.append((node.lineno, sorted(written)))
    return found


def test_no_update_outside_update_pages_writes_what_page_figures_read():
    """`update()` sends no signal: a page field written that way, outside
    `update_pages()`, would leave the sitemap index showing the old figures."""
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line} writes {', '.join(fields)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts and path.name != "page_updates.py"
        for line, fields in _updates_writing_page_figures(path)
    ]
    assert offenders == []


def test_the_scan_finds_such_an_update(tmp_path):
    """The scan above is not blind: it finds the call the demo loader made,
    and the same write spelled as a dict or a bulk update."""
    source = tmp_path / "loader.py"
    source.write_text(
        "ArticlePage.objects.filter(pk=1).update(\n"
        "    first_published_at=a, last_published_at=b, numchild=c)\n"
        "Page.objects.filter(pk=1).update(**{'live': False})\n"
        "Page.objects.bulk_update(pages, ['path', 'title'])\n"
    )
    assert _updates_writing_page_figures(source) == [
        (1, ["last_published_at"]),
        (3, ["live"]),
        (4, ["path"]),
    ]
