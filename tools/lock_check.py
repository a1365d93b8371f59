"""Check that requirements.lock agrees with pyproject.toml, without the network.

`make install` installs exactly what the lock file names, each file checked
against its hash, so a pin changed in pyproject.toml without `make lock` would
silently install the old version (or miss a new package). This script fails
when the two disagree:

- every dependency in pyproject.toml (and in each locked extra) is pinned with
  `==`, and the lock holds that package at that version;
- every package in the lock is still wanted: pip-compile's "# via" notes name
  pyproject.toml or another locked package (a package dropped from
  pyproject.toml leaves entries that name neither);
- every entry carries at least one hash, and the lock was made for the extras
  given on the command line.

Usage: lock_check.py PYPROJECT LOCK EXTRA...   (exit 1 with the reasons)
       lock_check.py --pin NAME [PYPROJECT]     (print NAME's pin, for `make lock`)
"""

import re
import sys
import tomllib
from pathlib import Path

PIN = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?"
    r"\s*==\s*(?P<version>[^\s;,]+)\s*(?:;.*)?$"
)
ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)")
OURSELVES = "byline (pyproject.toml"  # also "…::build-system.requires)"


def canonical(name):
    """PEP 503: Django, django and DJANGO name one package; so do _ . -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def wanted(pyproject, extras):
    """{name: version} of pyproject.toml's dependencies, and the unpinned ones."""
    project = tomllib.loads(Path(pyproject).read_text())["project"]
    optional = project.get("optional-dependencies", {})
    pins, problems = {}, []
    for extra in extras:
        if extra not in optional:
            problems.append(f"pyproject.toml has no extra named {extra!r}")
    requirements = list(project.get("dependencies", []))
    for extra in extras:
        requirements += optional.get(extra, [])
    for requirement in requirements:
        match = PIN.match(requirement)
        if match is None:
            problems.append(f"{requirement!r} is not pinned with == in pyproject.toml")
            continue
        pins[canonical(match["name"])] = match["version"]
    return pins, problems


def locked(lock):
    """{name: (version, hash count, via names)} of the lock file, and its header."""
    entries, header, current = {}, [], None
    in_via = False
    for line in Path(lock).read_text().splitlines():
        stripped = line.strip()
        if match := ENTRY.match(line):
            current = canonical(match["name"])
            entries[current] = [match["version"], 0, []]
            in_via = False
        elif current is None and stripped.startswith("#"):
            header.append(stripped)
        elif current is None:
            continue
        elif stripped.startswith("--hash="):
            entries[current][1] += 1
        elif stripped.startswith("# via "):
            entries[current][2].append(stripped[len("# via ") :])
        elif stripped == "# via":
            in_via = True
        elif in_via and stripped.startswith("#   "):
            entries[current][2].append(stripped[len("#   ") :])
        else:
            in_via = False
    return entries, " ".join(header)


def disagreements(pyproject, lock, extras):
    pins, problems = wanted(pyproject, extras)
    entries, header = locked(lock)
    for extra in extras:
        if f"--extra={extra}" not in header:
            problems.append(f"the lock was not made with --extra={extra}")
    for name, version in sorted(pins.items()):
        if name not in entries:
            problems.append(f"{name}=={version} is in pyproject.toml, not in the lock")
        elif entries[name][0] != version:
            problems.append(
                f"{name}: pyproject.toml pins {version}, "
                f"the lock has {entries[name][0]}"
            )
    for name, (version, hashes, via) in sorted(entries.items()):
        if hashes == 0:
            problems.append(f"{name}=={version} has no hash in the lock")
        reasons = [
            reason
            for reason in via
            if reason.startswith(OURSELVES)
            and (name in pins or "build-system" in reason)
        ]
        reasons += [reason for reason in via if canonical(reason) in entries]
        if not reasons:
            problems.append(
                f"{name}=={version} is in the lock, but nothing in pyproject.toml "
                f"asks for it any more (via: {', '.join(via) or 'nothing'})"
            )
    return problems


def pin_of(pyproject, name):
    """pyproject.toml's `name==version` for `name`, from any list, or None."""
    project = tomllib.loads(Path(pyproject).read_text())["project"]
    requirements = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        requirements += group
    for requirement in requirements:
        match = PIN.match(requirement)
        if match and canonical(match["name"]) == canonical(name):
            return f"{match['name']}=={match['version']}"
    return None


def main(argv):
    if argv[:1] == ["--pin"] and len(argv) in (2, 3):
        pin = pin_of(argv[2] if len(argv) == 3 else "pyproject.toml", argv[1])
        if pin is None:
            print(f"{argv[1]} is not pinned in pyproject.toml", file=sys.stderr)
            return 1
        print(pin)
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    pyproject, lock, *extras = argv
    problems = disagreements(pyproject, lock, extras)
    for problem in problems:
        print(f"lock-check: {problem}", file=sys.stderr)
    if problems:
        print(
            "lock-check: run `make lock` and commit requirements.lock.", file=sys.stderr
        )
        return 1
    print(f"lock-check: {lock} agrees with {pyproject}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
