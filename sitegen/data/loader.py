"""Read YAML data files into the model's dataclasses, keeping the line of every value.

libyaml (``CSafeLoader``) composes node trees; conversion walks each dataclass's fields and type hints
(Literal, list, Optional, nested dataclass, date, number, text) and records every problem as an Issue.
Checks that span several files live in ``sitegen.data.validate``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
import re
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import yaml

from sitegen.data.reading import check_tree, read_file
from sitegen.errors import Issue

__all__ = [
    "BAD",
    "PATTERN_NAMES",
    "Ctx",
    "converter",
    "describe",
    "line_of",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "unknown_field",
]

# libyaml composes 10-20x faster than the pure-Python parser; fall back only where it is missing.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The tags the YAML resolver gives plain scalars.
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"


# A field path such as ``ratings[2].cite.source`` split into keys and list indexes.
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_text(text: str, file: str) -> tuple[yaml.Node | None, list[Issue]]:
    """Compose ``text`` into a node tree with the issues found on the way (see ``reading.check_tree``);
    the tree is None when it cannot be converted (a syntax error, an empty file, runaway aliases)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "unreadable YAML"
        return None, [Issue(file, line, "", "valid YAML", f"a syntax error ({problem})")]
    except yaml.YAMLError as exc:  # e.g. a stray control character, reported without a mark
        return None, [Issue(file, None, "", "valid YAML", f"a syntax error ({exc})")]
    if node is None:
        return None, [Issue(file, None, "", "a mapping of fields", "an empty file")]
    issues, usable = check_tree(node, file)
    return (node if usable else None), issues


def parse_bytes(data: bytes, file: str) -> tuple[yaml.Node | None, list[Issue]]:
    """``parse_text`` of a file's bytes, which must be UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Issue(file, None, "", "a UTF-8 text file", f"undecodable bytes ({exc.reason})")]
    return parse_text(text, file)


def parse_file(path: Path, file: str) -> tuple[yaml.Node | None, list[Issue]]:
    """Read (see ``reading.read_file``) and compose one data file; ``file`` is its name from the root."""
    data, problem = read_file(path, file)
    if data is None:
        return None, [problem] if problem else []
    return parse_bytes(data, file)


def line_of(root: yaml.Node | None, path: str) -> int | None:
    """1-based line of the value at ``path`` (or of the deepest part of it that exists)."""
    if root is None:
        return None
    node = root
    for key, index in _STEP.findall(path):
        child: yaml.Node | None = None
        if key and isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            child = node.value[int(index)]
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1


def describe(node: yaml.Node) -> str:
    """A short, editor-readable rendering of what a node holds, for the 'found' part of a message."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping of fields"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    text = node.value if len(node.value) <= 60 else node.value[:57] + "..."
    # Quote text and dates, but show numbers and true/false as written.
    return repr(text) if node.tag in (_STR, _TIMESTAMP) else text


# --- conversion -------------------------------------------------------------------------------

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Characters no editor's text may hold: control characters (tab and line breaks aside), which YAML
#: lets through as escapes, and the bidirectional overrides that make text read other than it is.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_NUMBERS = yaml.constructor.SafeConstructor()
#: Plain-language names of the patterns declared in the model, for error messages.
PATTERN_NAMES = {
    r"^[a-z0-9][a-z0-9-]*$": "an id of lowercase letters, digits and hyphens",
    r"^(?!index$)[a-z0-9][a-z0-9-]*$": "an id of lowercase letters, digits and hyphens other than 'index'",
    r"^(https?://[^\s/?#]+([/?#]\S*)?)?$": "a web address starting with http:// or https://",
    r"^sha256:[0-9a-f]{64}$": "a fingerprint as `python build.py fingerprint <id>` prints it (sha256:...)",
}


class _Bad:
    """Marker for a value that could not be converted (its issues are already recorded)."""

    def __reduce__(self) -> str:
        return "BAD"  # unpickled as the one marker, so that `is BAD` holds after a trip through a child


BAD = _Bad()
Conv = Callable[[yaml.Node, str, "Ctx"], Any]


class Ctx:
    """The file being converted and the issue list that conversion appends to."""

    __slots__ = ("file", "issues")

    def __init__(self, file: str, issues: list[Issue]) -> None:
        self.file = file
        self.issues = issues

    def add(self, node: yaml.Node | None, path: str, expected: str, found: str) -> _Bad:
        line = node.start_mark.line + 1 if node is not None else None
        self.issues.append(Issue(self.file, line, path, expected, found))
        return BAD


# --- scalar converters ------------------------------------------------------------------------


def _text(node: yaml.Node, path: str, ctx: Ctx) -> Any:
    # Plain scalars such as `No` or `12` are text to an editor, whatever YAML 1.1 resolves them to.
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
        return ctx.add(node, path, "text", describe(node))
    bad = _CONTROL.search(node.value)
    if bad is not None:
        char = f"U+{ord(bad.group()):04X} at character {bad.start() + 1}"
        return ctx.add(node, path, "text without control characters", char)
    return node.value


def _number(node: yaml.Node, path: str, ctx: Ctx) -> Any:
    if isinstance(node, yaml.ScalarNode) and node.tag in (_INT, _FLOAT):
        construct = _NUMBERS.construct_yaml_float if node.tag == _FLOAT else _NUMBERS.construct_yaml_int
        try:
            value = float(construct(node))
        except (OverflowError, ValueError):  # a whole number past a float's range
            value = float("inf")
        # .inf and .nan are numbers to YAML, but no figure of ours: pages and JSON could not show them
        if math.isfinite(value):
            return value
        return ctx.add(node, path, "a finite number", describe(node))
    return ctx.add(node, path, "a number", describe(node))


def _boolean(node: yaml.Node, path: str, ctx: Ctx) -> Any:
    if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
        return node.value.lower() in ("true", "yes", "on")
    return ctx.add(node, path, "true or false", describe(node))


def _whole(node: yaml.Node, path: str, ctx: Ctx) -> Any:
    if isinstance(node, yaml.ScalarNode) and node.tag == _INT:
        return _NUMBERS.construct_yaml_int(node)
    return ctx.add(node, path, "a whole number", describe(node))


def _date(node: yaml.Node, path: str, ctx: Ctx) -> Any:
    if isinstance(node, yaml.ScalarNode) and node.tag in (_STR, _TIMESTAMP) and _DATE.fullmatch(node.value):
        try:
            return dt.date.fromisoformat(node.value)
        except ValueError:
            pass
    return ctx.add(node, path, "a date YYYY-MM-DD", describe(node))


def _literal(choices: tuple[Any, ...]) -> Conv:
    by_text = {str(c): c for c in choices}
    expected = "one of " + ", ".join(repr(c) for c in choices)

    def conv(node: yaml.Node, path: str, ctx: Ctx) -> Any:
        # An int level must be written as a number, a category as text.
        choice = by_text.get(node.value) if isinstance(node, yaml.ScalarNode) else None
        if choice is not None and (isinstance(choice, str) or node.tag == _INT):
            return choice
        return ctx.add(node, path, expected, describe(node))

    return conv


def _optional(inner: Conv) -> Conv:
    def conv(node: yaml.Node, path: str, ctx: Ctx) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            return None
        return inner(node, path, ctx)

    return conv


def _list(item: Conv) -> Conv:
    def conv(node: yaml.Node, path: str, ctx: Ctx) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return ctx.add(node, path, "a list", describe(node))
        out = [item(child, f"{path}[{i}]", ctx) for i, child in enumerate(node.value)]
        return BAD if any(v is BAD for v in out) else out

    return conv


def _checked(inner: Conv, meta: typing.Mapping[str, Any]) -> Conv:
    """Add the field's declared pattern (matched in full: no trailing newline) and minimum to its check."""
    pattern = re.compile(meta["pattern"]) if "pattern" in meta else None
    minimum = meta.get("minimum")
    if pattern is None and minimum is None:
        return inner
    wanted = PATTERN_NAMES.get(meta.get("pattern", ""), f"text matching {meta.get('pattern')}")

    def conv(node: yaml.Node, path: str, ctx: Ctx) -> Any:
        value = inner(node, path, ctx)
        if pattern is not None and isinstance(value, str) and not pattern.fullmatch(value):
            return ctx.add(node, path, wanted, describe(node))
        if (
            minimum is not None
            and isinstance(value, float | int)
            and not isinstance(value, bool)
            and value < minimum
        ):
            return ctx.add(node, path, f"a number of at least {minimum}", describe(node))
        return value

    return conv


# --- dataclasses ------------------------------------------------------------------------------

_CACHE: dict[Any, Conv] = {}


def unknown_field(ctx: Ctx, key: yaml.Node, prefix: str, name: str, names: list[str]) -> None:
    """Report a key that is not a field of its mapping (a key written twice is ``reading``'s to report)."""
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "one of " + ", ".join(names)
    ctx.add(key, f"{prefix}{name}", f"a known field ({hint})", f"an unknown field '{name}'")


def _record(cls: type) -> Conv:
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    convs = {f.name: _checked(converter(hints[f.name]), f.metadata) for f in fields}
    missing = dataclasses.MISSING
    required = [f.name for f in fields if f.default is missing and f.default_factory is missing]
    needed = frozenset(required)
    names = list(convs)
    docs = {f.name: f.metadata.get("doc", "") for f in fields}

    def conv(node: yaml.Node, path: str, ctx: Ctx) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return ctx.add(node, path, "a mapping of fields", describe(node))
        prefix = f"{path}." if path else ""
        values: dict[str, Any] = {}
        ok = True
        for key, child in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            if name in values:  # written twice: reported with both lines when the file was read
                ok = False
                continue
            field_conv = convs.get(name)
            if field_conv is None:
                unknown_field(ctx, key, prefix, name, names)
                ok = False
                continue
            value = values[name] = field_conv(child, prefix + name, ctx)
            if type(value) is str and name in needed and not value.strip():  # a blank title, a blank answer
                value = ctx.add(child, prefix + name, "text (the field is required)", "only blanks")
            if value is BAD:
                ok = False
        # one set comparison per mapping; the field-by-field walk only when something is missing
        if not needed <= values.keys():
            ok = False
            for name in required:
                if name not in values:
                    what = f" ({docs[name]})" if docs[name] else ""
                    ctx.add(node, f"{prefix}{name}", f"this required field{what}", "it missing")
        return cls(**values) if ok else BAD

    return conv


def converter(tp: Any) -> Conv:
    """The converter for one type hint of the model (cached, so each class is planned once)."""
    if tp in _CACHE:
        return _CACHE[tp]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    conv: Conv
    if tp is str:
        conv = _text
    elif tp is bool:
        conv = _boolean
    elif tp is float:
        conv = _number
    elif tp is int:
        conv = _whole
    elif tp is dt.date:
        conv = _date
    elif origin is Literal:
        conv = _literal(args)
    elif origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        conv = _optional(converter(inner))
    elif origin is list:
        conv = _list(converter(args[0]))
    elif dataclasses.is_dataclass(tp) and isinstance(tp, type):
        conv = _record(tp)
    else:
        raise TypeError(f"no converter for {tp!r}")
    _CACHE[tp] = conv
    return conv
