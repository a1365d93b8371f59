"""Both full-text modules answer the same interface: the engine calls whichever
`indexing.BACKENDS` names for the database, so a name one lacks breaks search
only on the other database, where the suite may not have run."""

from byline.search import fts_postgres, fts_sqlite


def test_both_indexes_export_the_same_names():
    assert sorted(fts_sqlite.__all__) == sorted(fts_postgres.__all__)


def test_every_exported_name_exists_in_both():
    for module in (fts_sqlite, fts_postgres):
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert not missing, (module.__name__, missing)
