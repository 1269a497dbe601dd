"""Reading data files defensively: regular files only, a size limit, and limits on the YAML tree.

A data file is opened only if it is a regular file of its own (no symbolic link, directory, pipe or
device: such entries are reported by kind and never read), is at most ``MAX_BYTES`` long, and once
composed has no key written twice in any mapping and no aliases that expand beyond
``MAX_ALIAS_VALUES``. Every refusal is an ``Issue`` naming the file (and the lines, where there are).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import yaml

from sitegen.errors import Issue

__all__ = [
    "MAX_ALIAS_VALUES",
    "MAX_BYTES",
    "catalog_dir_issue",
    "check_tree",
    "entry_kind",
    "read_file",
    "read_scenarios",
    "shown_name",
]

#: Largest data file read, in bytes: ten times the largest catalog a full ACR data set needs.
MAX_BYTES = 4_000_000
#: Values that aliases (``*name``) may add by repeating an anchored node (``&name``), per file.
MAX_ALIAS_VALUES = 100_000

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)
_REGULAR = "a regular file (not a link, directory or device)"


def shown_name(name: str) -> str:
    """A file name as messages show it: control characters and the like escaped, never raw."""
    return name if name.isprintable() else ascii(name)[1:-1]


def entry_kind(path: Path) -> str | None:
    """What ``path`` itself is (links not followed): None for a regular file, else its kind in words."""
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "a special file")


def read_file(path: Path, file: str) -> tuple[bytes | None, Issue | None]:
    """The bytes of data file ``path`` (``file``: its name for messages), or the Issue saying why not."""
    try:
        kind = entry_kind(path)
        if kind is not None:
            return None, Issue(file, None, "", _REGULAR, kind)
        # no link followed and no wait on a pipe put in place after the check above
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None, Issue(file, None, "", "a data file", "no such file")
    except OSError as exc:
        return None, Issue(file, None, "", "a readable file", f"an unreadable file ({exc.strerror})")
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None, Issue(file, None, "", _REGULAR, "a file that changed while being read")
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        size = os.stat(path, follow_symlinks=False).st_size
        return None, Issue(file, None, "", f"a file of at most {MAX_BYTES:,} bytes", f"{size:,} bytes")
    return data, None


def read_scenarios(root: Path) -> tuple[dict[str, bytes], list[Issue]]:
    """The bytes of every ``scenarios/*.yaml`` by name, and an Issue for each entry not read."""
    files: dict[str, bytes] = {}
    refused = []
    for path in sorted((root / "scenarios").glob("*.yaml")):
        file = f"scenarios/{shown_name(path.name)}"
        data, problem = read_file(path, file)
        if data is not None:
            files[file] = data
        elif problem is not None:
            refused.append(problem)
    return files, refused


def catalog_dir_issue(root: Path) -> Issue | None:
    """scenarios/catalog must be a directory of its own, not a link to one elsewhere."""
    path = root / "scenarios" / "catalog"
    if not os.path.lexists(path):
        return None  # each catalog file then says it is missing
    kind = entry_kind(path) or "a file"
    return None if kind == "a directory" else Issue("scenarios/catalog", None, "", "a directory", kind)


def _children(node: yaml.Node, path: str) -> Iterator[tuple[yaml.Node, str]]:
    """Each child node with its field path; keys come with their mapping's path."""
    if isinstance(node, yaml.MappingNode):
        prefix = f"{path}." if path else ""
        for key, value in node.value:
            yield key, path
            yield value, prefix + str(getattr(key, "value", ""))
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            yield child, f"{path}[{i}]"


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _repeated_keys(node: yaml.MappingNode, path: str, file: str) -> list[Issue]:
    first: dict[tuple[str, str], yaml.Node] = {}
    issues = []
    prefix = f"{path}." if path else ""
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        seen = first.setdefault((key.tag, key.value), key)
        if seen is not key:
            expected = f"each key once (first given at line {_line(seen)})"
            issues.append(Issue(file, _line(key), prefix + key.value, expected, f"'{key.value}' again"))
    return issues


def check_tree(root: yaml.Node, file: str) -> tuple[list[Issue], bool]:
    """Keys written twice in any mapping, recursive aliases and alias expansion past the limit.

    Returns the issues and whether the tree is safe to convert (False after a recursive alias or an
    expansion past ``MAX_ALIAS_VALUES``; of a repeated key, conversion uses the first).
    """
    issues: list[Issue] = []
    # Iterative post-order walk over distinct nodes: sizes[id] is the node's value count with every
    # alias expanded, so a repeated node costs one lookup however often it is repeated.
    sizes: dict[int, int] = {}
    on_path: set[int] = set()  # the nodes whose walk is under way: an alias to one is recursive
    stack: list[tuple[yaml.Node, str, bool]] = [(root, "", False)]
    distinct = 0
    while stack:
        node, path, done = stack.pop()
        if done:
            on_path.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child, _ in _children(node, path))
            continue
        if id(node) in sizes:
            continue
        if id(node) in on_path:
            found = "an alias inside the node it names"
            issues.append(Issue(file, _line(node), path, "no recursive alias", found))
            return issues, False
        distinct += 1
        on_path.add(id(node))
        if isinstance(node, yaml.MappingNode):
            issues += _repeated_keys(node, path, file)
        stack.append((node, path, True))
        stack.extend((child, where, False) for child, where in _children(node, path))
    added = sizes[id(root)] - distinct
    if added > MAX_ALIAS_VALUES:
        expected = f"at most {MAX_ALIAS_VALUES:,} values repeated through aliases (*name)"
        issues.append(Issue(file, None, "", expected, f"{added:,}"))
        return issues, False
    return issues, True
