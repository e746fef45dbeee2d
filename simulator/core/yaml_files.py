"""Reading YAML from strangers: size checked before parsing, nesting and node count bounded before building
anything, no aliases, no duplicate keys, no numbers longer than any setting needs.

Every refusal is one line naming the file's line where it can (counted from 1, as editors do).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .limits import MAX_FILE_BYTES, MAX_NUMBER_CHARS, MAX_YAML_DEPTH, MAX_YAML_NODES

# libyaml parses about 20x faster than PyYAML's pure-Python parser; the pure-Python one is the fallback.
if TYPE_CHECKING:  # both loaders offer the same methods; the type checker sees the pure-Python one
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlRefused(ValueError):
    """A YAML text that is refused before or while parsing; the message is one line."""


def _line(mark) -> str:
    return f"line {mark.line + 1}" if mark is not None else "the file"


def _shown_key(key: Any) -> str:
    text = repr(key)
    return text if len(text) <= 60 else text[:57] + "..."


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _tagged(node) -> str:
    tag = str(node.tag)
    shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
    value = node.value if isinstance(node, yaml.ScalarNode) else "..."
    return f"the value {_shown_key(value)} tagged {_shown_key(shown)[1:-1]}"


class _Loader(_Base):
    """The safe loader, refusing duplicate keys and values Python cannot build, with the line of each."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self._refuse_duplicate_keys(node)
        return super().construct_mapping(node, deep=deep)

    def _refuse_duplicate_keys(self, node: yaml.MappingNode) -> None:
        first_line: dict[Any, str] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                continue  # a merge may repeat keys on purpose; a non-scalar key is refused by the constructor
            key = self.construct_object(key_node)
            if key in first_line:
                raise YamlRefused(
                    f"{_line(key_node.start_mark)}: key {_shown_key(key)} appears twice in the same mapping "
                    f"(first on {first_line[key]}); keep one"
                )
            first_line[key] = _line(key_node.start_mark)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except YamlRefused:
            raise
        except (ValueError, OverflowError, TypeError) as exc:
            # e.g. a date such as 2024-13-45: Python refuses to build it, so the file is refused at that line.
            raise YamlRefused(f"{_line(node.start_mark)}: a value cannot be read ({_first_line(exc)})") from None
        except (LookupError, AttributeError):
            # PyYAML's constructors trust that a value matches its tag: `!!bool maybe` is a KeyError,
            # `!!int ''` an IndexError, `!!timestamp x` an AttributeError.
            raise YamlRefused(f"{_line(node.start_mark)}: {_tagged(node)} cannot be read as its tag says") from None

    def construct_yaml_int(self, node):
        # Base-60 integers like 1:2:3:... cost quadratic time to build; no setting needs a long number.
        if len(node.value) > MAX_NUMBER_CHARS:
            raise YamlRefused(
                f"{_line(node.start_mark)}: a number {len(node.value):,} characters long is longer than the "
                f"maximum {MAX_NUMBER_CHARS}"
            )
        return super().construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _check_shape(text: str | bytes, kind: str) -> None:
    """Walk the parser's events (no objects built): refuse aliases, deep nesting and too many values early."""
    parser = _Base(text)
    depth = nodes = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent):
                # Aliases can expand a small file into an enormous structure ("billion laughs").
                raise YamlRefused(f"{_line(event.start_mark)}: uses YAML aliases (*name), which {kind} do not allow")
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                nodes += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if depth > MAX_YAML_DEPTH:
                raise YamlRefused(f"{_line(event.start_mark)}: nested deeper than {MAX_YAML_DEPTH} levels")
            if nodes > MAX_YAML_NODES:
                raise YamlRefused(f"{_line(event.start_mark)}: more than {MAX_YAML_NODES:,} values in one file")
    finally:
        parser.dispose()


def _size(text: str | bytes) -> int:
    return len(text) if isinstance(text, bytes) else len(text.encode("utf-8", errors="replace"))


def load_yaml(text: str | bytes, kind: str = "scenario files") -> Any:
    """Parse YAML from an untrusted source: size first, then shape (depth, values, aliases), then the data.

    Returns the data (None for an empty or comment-only text); raises YamlRefused with a one-line reason.
    """
    size = _size(text)
    if size > MAX_FILE_BYTES:
        raise YamlRefused(f"{size:,} bytes is above the maximum {MAX_FILE_BYTES:,} bytes for {kind}")
    try:
        _check_shape(text, kind)
        loader = _Loader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{_line(mark)}, column {mark.column + 1}" if mark else "the file"
        raise YamlRefused(f"not valid YAML at {where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlRefused(f"not valid YAML ({_first_line(exc)})") from None


def read_limited(path: Path, kind: str = "scenario files") -> bytes:
    """A file's bytes, refused by its size before it is read (a 1 GiB file never reaches memory).

    Reads at most one byte past the limit, so a file that grows after the check is refused too.
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlRefused(f"{size:,} bytes is above the maximum {MAX_FILE_BYTES:,} bytes for {kind}")
    with open(path, "rb") as file:
        text = file.read(MAX_FILE_BYTES + 1)
    if len(text) > MAX_FILE_BYTES:
        raise YamlRefused(f"more than the maximum {MAX_FILE_BYTES:,} bytes for {kind}")
    return text
