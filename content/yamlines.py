"""YAML with line numbers and no surprises (pure: no Django).

Every scalar stays a string, as YAML's failsafe schema reads it (``01`` stays ``01``, ``yes`` and ``on`` stay text):
the loader converts the few integer and boolean fields itself. Each mapping, list and string remembers the line it
starts on, so an error can say where to look.
"""

from __future__ import annotations

import yaml

_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml when present: the same nodes, faster


class YStr(str):
    line: int = 0


class YList(list):
    line: int = 0


class YMap(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """The line of ``key`` (or of the mapping when the key is absent)."""
        return self.key_lines.get(key, self.line)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(f"{line}: {message}")


def _line(node) -> int:
    return node.start_mark.line + 1


def _convert(node, problems: list[tuple[int, str]]):
    if isinstance(node, yaml.MappingNode):
        result = YMap()
        result.line, result.key_lines = _line(node), {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append((_line(key_node), "une clé doit être un simple texte"))
                continue
            key = key_node.value
            if key in result:
                problems.append((_line(key_node), f"« {key} » est écrit deux fois (ligne {result.key_lines[key]})"))
                continue
            result.key_lines[key] = _line(key_node)
            result[key] = _convert(value_node, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        result = YList(_convert(item, problems) for item in node.value)
        result.line = _line(node)
        return result
    value = YStr(node.value)
    value.line = _line(node)
    return value


def yaml_load_with_lines(text: str | bytes) -> tuple[object, list[tuple[int, str]]]:
    """The document as YMap / YList / YStr (None when empty), and the problems found (duplicate keys…).

    Raises YamlSyntaxError when the text is not YAML.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(line, f"YAML illisible : {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(1, f"YAML illisible : {error}") from None
    if node is None:
        return None, []
    problems: list[tuple[int, str]] = []
    return _convert(node, problems), problems
