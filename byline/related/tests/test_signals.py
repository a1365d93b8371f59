"""The related app's signals module declares signals and nothing else."""

import ast
from pathlib import Path

from django.dispatch import Signal

from byline.related import signals


def test_signals_module_holds_declarations_only():
    """`byline.related.signals` declares signals (receivers live in
    `receivers.py`): its statements are its docstring, imports and `Signal()`s."""
    tree = ast.parse(Path(signals.__file__).read_text(encoding="utf-8"))
    body = tree.body[1:] if ast.get_docstring(tree) else tree.body
    others = [
        node.lineno
        for node in body
        if not isinstance(node, ast.Import | ast.ImportFrom)
        and not (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) == "Signal"
        )
    ]
    assert others == []
    assert isinstance(signals.lists_changed, Signal)
