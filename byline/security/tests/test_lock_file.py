"""The lock file installs agree with pyproject.toml (`make lock-check`).

`make install` installs exactly the lock file's versions, hash-checked. A pin
changed in pyproject.toml without re-locking would install something else than
the project asks for; the check, run by CI, refuses that without the network.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXTRAS = ["test", "dev"]


def lock_check(pyproject, lock):
    return subprocess.run(
        [sys.executable, ROOT / "tools" / "lock_check.py", pyproject, lock, *EXTRAS],
        capture_output=True,
        text=True,
    )


@pytest.fixture
def copies(tmp_path):
    """Editable copies of pyproject.toml and requirements.lock."""
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path / "pyproject.toml", tmp_path / "requirements.lock"


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_committed_lock_agrees_with_pyproject():
    """The lock in the repository is the one pyproject.toml's pins resolve to."""
    result = lock_check(ROOT / "pyproject.toml", ROOT / "requirements.lock")
    assert result.returncode == 0, result.stderr


def test_a_pin_changed_without_relocking_is_refused(copies):
    """A version bumped in pyproject.toml alone does not pass."""
    pyproject, lock = copies
    edit(pyproject, '"Django==5.2.19"', '"Django==5.2.99"')
    result = lock_check(pyproject, lock)
    assert result.returncode == 1
    assert "django: pyproject.toml pins 5.2.99, the lock has 5.2.19" in result.stderr


def test_a_new_dependency_without_relocking_is_refused(copies):
    """A package added to pyproject.toml alone does not pass."""
    pyproject, lock = copies
    edit(
        pyproject, '"segno==1.6.6",', '"segno==1.6.6",\n    "requests-oauthlib==2.0.0",'
    )
    result = lock_check(pyproject, lock)
    assert result.returncode == 1
    assert "requests-oauthlib==2.0.0 is in pyproject.toml, not in the lock" in (
        result.stderr
    )


def test_a_dependency_dropped_from_pyproject_but_left_locked_is_refused(copies):
    """What pyproject.toml no longer asks for is not installed by the lock."""
    pyproject, lock = copies
    edit(pyproject, '    "rfc8785==0.1.4",\n', "")
    result = lock_check(pyproject, lock)
    assert result.returncode == 1
    assert "rfc8785==0.1.4 is in the lock, but nothing in pyproject.toml" in (
        result.stderr
    )


def test_unpinned_dependencies_and_unhashed_entries_are_refused(copies):
    """A range in pyproject.toml, or a lock entry without a hash, does not pass."""
    pyproject, lock = copies
    edit(pyproject, '"tqdm==4.70.1"', '"tqdm>=4"')
    text = lock.read_text()
    start = text.index("\nsegno==")
    end = text.index("# via", start)
    lock.write_text(text[:start] + "\nsegno==1.6.6\n    " + text[end:])
    result = lock_check(pyproject, lock)
    assert result.returncode == 1
    assert "'tqdm>=4' is not pinned with ==" in result.stderr
    assert "segno==1.6.6 has no hash in the lock" in result.stderr


def test_a_lock_made_without_an_extra_is_refused(copies):
    """A lock made without the test extra would leave the suite's tools out."""
    pyproject, lock = copies
    edit(lock, "--extra=test ", "")
    result = lock_check(pyproject, lock)
    assert result.returncode == 1
    assert "the lock was not made with --extra=test" in result.stderr
