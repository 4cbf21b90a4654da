"""Read YAML safely and remember where every value came from.

A scenario is small, so anything large is refused before it can cost memory or time: more
than :data:`MAX_BYTES`, more than :data:`MAX_VALUES` values (counted on the parser's event
stream, which stops early), nesting deeper than :data:`MAX_DEPTH`, a whole number longer
than :data:`MAX_DIGITS` (Python refuses to read one past 4,300 digits), or aliases expanding
past those limits (a "billion laughs" bomb is a few hundred bytes that expand to 10^9 values).
Only plain YAML is accepted: no tags that build Python objects, no duplicate keys (PyYAML
would silently keep the last one), and none of YAML 1.1's surprising readings of unquoted
text (``1:30`` as 90, ``010`` as 8, a name ``NO`` as false: see :mod:`.traps`). The node
tree is kept so any dotted path maps back to its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from simulator.errors import SimulatorError
from simulator.scenario.problems import NOTHING, Loc, Problem
from simulator.scenario.traps import key_trap, number_trap

MAX_BYTES = 2_000_000
MAX_VALUES = 50_000
MAX_DEPTH = 50
MAX_DIGITS = 100
"""Characters of a whole number; the largest a scenario takes (the seed) has 19 digits."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 10x faster


class DocumentError(SimulatorError):
    """YAML that cannot become plain data; ``located`` holds ``(line, problem)`` pairs."""

    def __init__(self, located: list[tuple[int, Problem]]) -> None:
        self.located = located
        super().__init__("\n".join(f"{line}: {p.text}" for line, p in located))


class MisreadError(DocumentError):
    """Valid YAML that would be read otherwise than written (``1:30`` as 90); each problem's
    path is where in the document, so a ``--set`` value can name its own path."""


@dataclass(frozen=True)
class Document:
    """Plain data (dicts, lists, scalars) and the node tree it was built from."""

    data: Any
    root: yaml.Node

    def line_of(self, loc: Loc) -> int:
        """1-based line of the deepest part of ``loc`` present in the file (a key's own line)."""
        node, line = self.root, self.root.start_mark.line + 1
        for part in loc:
            found = _child(node, part)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        return line


def decode(raw: bytes) -> str:
    """UTF-8 text (a leading byte-order mark dropped), or a problem on the line of the bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start : exc.start + 1].hex()
        message = f"is not UTF-8 text (byte 0x{byte} on this line); save the file as UTF-8"
        raise DocumentError([(line, Problem((), message))]) from None


def read_yaml(text: str) -> Document:
    """Parse one YAML document into plain data, refusing anything unsafe or oversized."""
    if len(text) > MAX_BYTES:
        size = f"{len(text.encode('utf-8', 'replace')) / 1e6:.1f} MB"
        raise DocumentError([(1, Problem((), f"is {size}; a scenario file is at most {MAX_BYTES // 1_000_000} MB"))])
    loader = _Loader(text)
    try:
        _scan(text)
        root = loader.get_single_node()
        if root is None:
            raise DocumentError([(1, Problem((), "is empty; a scenario is a mapping such as 'name: My plan'"))])
        _check_size(root)
        _check_duplicates(root)
        _check_numbers(root)
        _check_readings(root)
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        raise DocumentError([_syntax_problem(exc, text)]) from None
    finally:
        loader.dispose()
    return Document(data, root)


# --------------------------------------------------------------------------- limits


def _scan(text: str) -> None:
    """Walk the event stream, stopping early at too many values or too deep nesting."""
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=_Loader), start=1):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if count > MAX_VALUES:
            _refuse(event.start_mark, f"has more than {MAX_VALUES:,} values; a scenario needs far fewer")
        if depth > MAX_DEPTH:
            _refuse(event.start_mark, f"nests deeper than {MAX_DEPTH} levels")


def _check_size(root: yaml.Node) -> None:
    """Refuse aliases that expand past the limits, or refer to themselves."""
    memo: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded values, height)
    visiting: set[int] = set()

    def measure(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in visiting:
            _refuse(node.start_mark, "has an alias that refers to itself (a recursive structure)")
        size, height = memo.get(key) or _measure_children(node, depth, measure, visiting)
        memo[key] = (size, height)
        if size > MAX_VALUES:
            _refuse(node.start_mark, f"expands to more than {MAX_VALUES:,} values through aliases (an alias bomb?)")
        if depth + height > MAX_DEPTH:
            _refuse(node.start_mark, f"nests deeper than {MAX_DEPTH} levels through aliases")
        return size, height

    measure(root, 0)


def _measure_children(node: yaml.Node, depth: int, measure: Any, visiting: set[int]) -> tuple[int, int]:
    visiting.add(id(node))
    size, height = 1, 1
    for child in _children(node):
        child_size, child_height = measure(child, depth + 1)
        size, height = size + child_size, max(height, child_height + 1)
        if size > MAX_VALUES:
            break
    visiting.discard(id(node))
    return size, height


def _refuse(mark: Any, message: str) -> None:
    raise DocumentError([(mark.line + 1, Problem((), f"the document {message}; refused"))])


def _check_numbers(root: yaml.Node) -> None:
    """Refuse whole numbers too long for any scenario value, before Python tries to read them."""
    problems: list[tuple[int, Problem]] = []
    for loc, node in _nodes(root, (), set()):
        if isinstance(node, yaml.ScalarNode) and node.tag == _INT_TAG and len(node.value) > MAX_DIGITS:
            message = f"a whole number of {len(node.value):,} characters; no scenario value needs over {MAX_DIGITS}"
            problems.append((node.start_mark.line + 1, Problem(loc, message)))
    if problems:
        raise DocumentError(problems)


_INT_TAG = "tag:yaml.org,2002:int"


def _check_readings(root: yaml.Node) -> None:
    """Refuse unquoted text YAML 1.1 reads otherwise than meant: a key as false, a number in base 60."""
    problems: list[tuple[int, Problem]] = []
    keys: set[int] = set()
    for loc, node in _nodes(root, (), set()):  # a mapping comes before its keys
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                keys.add(id(key_node))
                problems += _located(key_node, (*loc, str(key_node.value)), key_trap(key_node))
        elif id(node) not in keys:
            problems += _located(node, loc, number_trap(node))
    if problems:
        raise MisreadError(problems)


def _located(node: yaml.Node, loc: Loc, message: str | None) -> list[tuple[int, Problem]]:
    return [] if message is None else [(node.start_mark.line + 1, Problem(loc, message))]


def _nodes(node: yaml.Node, loc: Loc, seen: set[int]) -> Iterator[tuple[Loc, yaml.Node]]:
    """Every node once (aliases are not walked twice), keys included, with its path."""
    if id(node) in seen:
        return
    seen.add(id(node))
    yield loc, node
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            here = (*loc, str(getattr(key_node, "value", "?")))
            yield from _nodes(key_node, here, seen)
            yield from _nodes(value, here, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _nodes(item, (*loc, i), seen)


def _check_duplicates(root: yaml.Node) -> None:
    problems: list[tuple[int, Problem]] = []
    for loc, node in _nodes(root, (), set()):
        if not isinstance(node, yaml.MappingNode):
            continue
        first: dict[str, int] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key == "<<":
                continue
            line = key_node.start_mark.line + 1
            if key in first:
                message = f"duplicate key {key!r} (first on line {first[key]}); YAML would silently keep only the last"
                problems.append((line, Problem((*loc, key), message)))
            first.setdefault(key, line)
    if problems:
        raise DocumentError(problems)


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """``(node whose line to report, node to descend into)`` for one path part."""
    if isinstance(node, yaml.MappingNode):
        matches = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)]
        return matches[-1] if matches else None  # the last wins, as in merged (<<) mappings
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], node.value[part]
    return None


# --------------------------------------------------------------------------- syntax errors


def _syntax_problem(exc: yaml.YAMLError, text: str) -> tuple[int, Problem]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    return line, Problem(path_near(text, line), _syntax_message(exc, text, line))


def _syntax_message(exc: yaml.YAMLError, text: str, line: int) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())] or "'\\t'" in str(exc):
        return "a tab character in the indentation; YAML indents with spaces only"
    if "unhashable key" in problem:
        return "a key must be a plain name, not a list or mapping"
    if "could not determine a constructor" in problem:
        return f"tags such as {getattr(exc, 'problem', '').split()[-1]} are not allowed: plain YAML only"
    if "found another document" in problem:
        return "a second YAML document ('---'); a scenario file holds one"
    if "mapping values are not allowed" in problem:
        return "a ': ' inside a value (or a key indented wrongly); put a value that contains ': ' in quotes"
    context, where = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    started = f" ({context} started on line {where.line + 1})" if context and where is not None else ""
    return f"YAML syntax error: {problem}{started}"


_KEY = re.compile(r"""^(?P<dash>(?:-\s+)*)(?P<key>[^\s#'"{}\[\],:&*!|>][^#:{}\[\],]*?)\s*:(?:\s|$)""")


def path_near(text: str, line: int) -> Loc:
    """Best guess of the dotted path at ``line`` of text YAML cannot parse, from indentation."""
    keys: list[str | int] = []
    limit: int | None = None  # only lines indented less than this are parents
    in_item = False  # the last parent was a list item, whose own key may sit at its indent
    lines = text.splitlines()[:line]
    for number in range(len(lines) - 1, -1, -1):
        raw = lines[number].replace("\t", "    ")
        body = raw.lstrip(" ")
        indent = len(raw) - len(body)
        if body.startswith(("---", "...")):  # a document marker: nothing above it is a parent
            break
        if not body or body.startswith("#") or not _is_parent(indent, body, limit, in_item):
            continue
        match = _KEY.match(body)
        dash = len(match.group("dash")) if match else len(body) - len(body.lstrip("- ")) if body[0] == "-" else 0
        if match and (limit is None or indent + dash < limit or not dash):
            keys.append(match.group("key").strip())
        if dash:
            keys.append(_item_index(lines, number, indent))
        limit, in_item = indent, bool(dash)
        if indent == 0 and not dash:
            break
    return tuple(reversed(keys))


def _is_parent(indent: int, body: str, limit: int | None, in_item: bool) -> bool:
    if limit is None or indent < limit:
        return True
    return in_item and indent == limit and body[0] != "-"


def _item_index(lines: list[str], number: int, indent: int) -> int:
    """Position of the list item starting at ``lines[number]`` among its siblings."""
    index = 0
    for raw in reversed(lines[:number]):
        body = raw.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        here = len(raw) - len(body)
        if here < indent or (here == indent and not body.startswith("-")):
            break
        index += here == indent
    return index


__all__ = [
    "MAX_BYTES", "MAX_DEPTH", "MAX_DIGITS", "MAX_VALUES", "NOTHING", "Document", "DocumentError", "MisreadError",
    "decode", "read_yaml",
]  # fmt: skip
