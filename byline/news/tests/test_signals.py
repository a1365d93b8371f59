"""`bulk_import()`: which code counts as part of an import, and for how long."""

import asyncio
import threading

import pytest

from byline.news.signals import bulk_import, importing


def test_bulk_import_is_seen_inside_its_block_only():
    """`importing()` is true inside the block and false before and after it."""
    assert importing() is False
    with bulk_import():
        assert importing() is True
    assert importing() is False


def test_nested_bulk_imports_restore_the_outer_state():
    """Leaving an inner block keeps the outer one importing."""
    with bulk_import():
        with bulk_import():
            assert importing() is True
        assert importing() is True
    assert importing() is False


def test_an_error_inside_bulk_import_ends_it():
    """An import that fails leaves no later publication marked as imported."""
    with pytest.raises(RuntimeError), bulk_import():
        raise RuntimeError("the import broke")
    assert importing() is False


def test_bulk_import_is_not_seen_by_another_thread():
    """A request served by another thread meanwhile is not part of the import."""
    seen = []
    with bulk_import():
        other = threading.Thread(target=lambda: seen.append(importing()))
        other.start()
        other.join()
    assert seen == [False]


def test_bulk_import_is_not_seen_by_another_task_on_the_same_thread():
    """Two asyncio tasks share a thread: an import in one does not mark the
    other's publications (a thread-local leaked it there)."""
    seen = []

    async def importer(started, checked):
        with bulk_import():
            started.set()
            await checked.wait()

    async def reader(started, checked):
        await started.wait()
        seen.append(importing())
        checked.set()

    async def main():
        started, checked = asyncio.Event(), asyncio.Event()
        await asyncio.gather(importer(started, checked), reader(started, checked))

    asyncio.run(main())
    assert seen == [False]
