"""Safe YAML loading that keeps every value's position.

Fact files are parsed to PyYAML *nodes*, not Python objects, so the validator can point
at the line and column of any key or value. Problems PyYAML lets through silently are
rejected here: duplicate keys (PyYAML keeps the last one, so an editor's edit would
vanish), aliases beyond ``limits: aliases`` (none by default: an alias bomb expands
exponentially, and editors rarely need them), and tags other than YAML's plain scalar and
collection types.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sitegen.errors import ErrorList, not_utf8, place
from sitegen.model import Limits

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

LIMITS = Limits()  # the defaults, for content/site.yaml itself

_YAML = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    _YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)

# PyYAML's wording, turned into advice an editor can act on.
_HINTS = {
    "mapping values are not allowed here": (
        "unexpected ':'; put text that contains ': ' in quotes, or check the indentation"
    ),
    "mapping values are not allowed in this context": (
        "unexpected ':'; put text that contains ': ' in quotes, or check the indentation"
    ),
    "found unexpected end of stream": "a quoted text is not closed; add the closing quote",
    "could not find expected ':'": "expected 'key: value'; check the indentation and quotes",
    "did not find expected key": (
        "this line's indentation does not match the lines around it; align it with the "
        "other keys at its level"
    ),
    "did not find expected ',' or '}'": "a '{' is not closed; add the closing '}'",
    "did not find expected ',' or ']'": "a '[' is not closed; add the closing ']'",
    "exceeded maximum nesting depth": (
        "nesting is deeper than the YAML reader allows (1,000 levels); check the brackets "
        "and the indentation"
    ),
}


def _yaml_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, str]:
    """PyYAML's message turned into advice, and the place the editor should look."""
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if mark is not None and text[mark.index: mark.index + 1] == "\t":
        return mark, "a tab character is not allowed; indent with spaces"
    hint = _HINTS.get(problem)
    if problem == "found unexpected end of stream" and exc.context_mark is not None:
        mark = exc.context_mark  # where the unclosed quote starts
    if hint:
        return mark, hint
    message = problem
    if exc.context:
        message += f" ({exc.context})"
    return mark, message


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its display path and its root node (``None`` if empty)."""

    path: str
    root: yaml.Node | None


def _position(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (0, 0)


def load(path: Path, display: str, errors: ErrorList, data: bytes | None = None,
         limits: Limits = LIMITS) -> Document | None:
    """Read and compose one YAML file, recording any problem in ``errors``; ``data`` is
    its content where the caller has read it already. A file with a tag, or with aliases
    or nesting past their limits, is rejected whole (None): checking it further could
    cost as much as an alias bomb asks for, and its other messages would follow from
    that."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            errors.add(display, 0, 0, f"cannot read file: {exc.strerror}")
            return None
    if len(data) > limits.file_size:
        errors.add(
            display, 1, 1,
            f"file is {len(data):,} bytes, more than the limit of {limits.file_size:,} "
            "(limits: file_size in content/site.yaml); split it or shorten it, or raise "
            "the limit",
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.add(display, *not_utf8(data, exc.start))
        return None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark, message = _yaml_error(text, exc)
        errors.add(display, *_position(mark), f"invalid YAML: {message}")
        return None
    except yaml.reader.ReaderError as exc:
        errors.add(display, *place(text, _first_special(text, exc)), _special_character(exc))
        return None
    except yaml.YAMLError as exc:
        errors.add(display, 1, 1, f"invalid YAML: {exc}")
        return None
    except RecursionError:
        errors.add(display, 1, 1, _too_deep(limits))
        return None
    if root is None and text.strip():
        errors.add(display, 1, 1, "the file holds only comments; write its content below "
                   "them")
        return None
    if root is not None and not _check_tree(root, display, errors, limits):
        return None
    return Document(display, root)


def _first_special(text: str, exc: yaml.reader.ReaderError) -> int:
    """Where the refused character is, in characters (libyaml counts bytes)."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    return found.start() if found else exc.position


def _special_character(exc: yaml.reader.ReaderError) -> str:
    """The reader refuses control characters (often invisible, pasted from elsewhere)."""
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return (f"invalid YAML: the control character U+{code:04X} is not allowed (it is often "
            "invisible, pasted with the text); delete it, or write it in double quotes as "
            f"\\u{code:04x}")


def _too_deep(limits: Limits) -> str:
    return (f"nesting is deeper than the limit of {limits.nesting} levels (limits: nesting "
            "in content/site.yaml); check the indentation, or raise the limit")


def _check_tree(root: yaml.Node, display: str, errors: ErrorList, limits: Limits) -> bool:
    """Reject duplicate keys, unknown tags, excessive nesting and aliases past the limit,
    everywhere; False if the file must not be checked further (a tag, too deep, too many
    aliases).

    This looks at every node of every file, so the common case does as little as it
    can: positions are worked out only for the nodes that are reported. A node reached
    again is an alias: it is not walked again, but what it repeats is counted."""
    safe = True
    seen: set[int] = set()
    aliased: list[yaml.Node] = []
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            aliased.append(node)
            continue
        seen.add(id(node))
        if node.tag not in ALLOWED_TAGS:
            errors.add(
                display, *_position(node.start_mark),
                f"the tag '{node.tag.replace(_YAML, '!!')}' is not allowed; "
                "remove it and write a plain value",
            )
            safe = False
            continue
        if depth > limits.nesting:
            errors.add(display, *_position(node.start_mark), _too_deep(limits))
            safe = False
            continue
        kind = type(node)
        if kind is mapping:
            keys: dict[str, yaml.Node] = {}
            for key, value in node.value:
                name = key.value if type(key) is yaml.ScalarNode else None
                if name is not None and name in keys:
                    first = keys[name].start_mark.line + 1
                    errors.add(
                        display, *_position(key.start_mark),
                        f"duplicate key '{name}' (first defined on line {first}); "
                        "keep only one",
                    )
                elif name is not None:
                    keys[name] = key
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif kind is sequence:
            stack.extend((item, depth + 1) for item in node.value)
    if aliased and safe:
        safe = _check_aliases(aliased, display, errors, limits)
    return safe


def _check_aliases(aliased: list[yaml.Node], display: str, errors: ErrorList,
                   limits: Limits) -> bool:
    """Aliases repeat at most ``limits.aliases`` values in all (a repeated list counts
    itself and everything in it), and none repeats a value it is inside of. The counts
    come from the graph of nodes, never from expanding it: a bomb's billion values are
    counted, not made."""
    if limits.aliases == 0:
        for node in aliased:
            errors.add(
                display, *_position(node.start_mark),
                "aliases ('*name', repeating a value marked '&name') are not allowed "
                "(limits: aliases in content/site.yaml is 0); write the value out in full, "
                "or raise the limit",
            )
        return False
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int | None:
        """Values in ``node``, itself included, as an alias repeats them (None: a loop)."""
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in in_progress:
            return None
        in_progress.add(id(node))
        total = 1
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        for child in children:
            inner = size(child)
            if inner is None:
                return None
            total = min(total + inner, 10**18)
        in_progress.discard(id(node))
        sizes[id(node)] = total
        return total

    repeated = 0
    for node in aliased:
        try:
            counted = size(node)
        except RecursionError:
            errors.add(display, *_position(node.start_mark), _too_deep(limits))
            return False
        if counted is None:
            errors.add(display, *_position(node.start_mark),
                       "this alias repeats a value that contains it (an endless loop); "
                       "write the value out in full")
            return False
        repeated = min(repeated + counted, 10**18)
    if repeated > limits.aliases:
        shown = f"{repeated:,}" if repeated < 10**18 else "more than a billion billion"
        errors.add(
            display, *_position(aliased[0].start_mark),
            f"aliases in this file repeat {shown} values, more than the limit of "
            f"{limits.aliases:,} (limits: aliases in content/site.yaml); write the values "
            "out, or raise the limit",
        )
        return False
    return True
