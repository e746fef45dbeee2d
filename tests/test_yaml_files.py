"""Reading YAML from strangers: every refusal is one line with the file's line (issue 20, item 2)."""

import pytest

from simulator.core.yaml_files import YamlRefused, load_yaml

# Each of these made PyYAML's own constructors raise KeyError, IndexError or AttributeError.
TAGGED = [
    "a: !!bool maybe",
    "a: !!bool ''",
    "a: !!timestamp x",
    "a: !!timestamp 2024-01-01T99:99",
    "a: !!int ''",
    "a: !!float ''",
    "a: !!int '-'",
    "a: !<tag:yaml.org,2002:bool> x",
    "b: 1\na: !!bool maybe",
]


@pytest.mark.parametrize("text", TAGGED)
def test_a_value_that_does_not_match_its_tag_is_refused_with_its_line(text):
    with pytest.raises(YamlRefused) as refused:
        load_yaml(text)
    line = text.count("\n") + 1
    assert str(refused.value).startswith(f"line {line}: the value ")
    assert "cannot be read as its tag says" in str(refused.value) and "\n" not in str(refused.value)


def test_the_refusal_names_the_tag_and_the_value():
    with pytest.raises(YamlRefused, match=r"^line 1: the value 'maybe' tagged !!bool cannot be read as its tag says$"):
        load_yaml("a: !!bool maybe")


def test_values_matching_their_tags_still_read():
    assert load_yaml("a: !!bool yes\nb: !!int '-3'\nc: !!float '2.5'") == {"a": True, "b": -3, "c": 2.5}


@pytest.mark.parametrize("text", TAGGED)
def test_scenario_readers_refuse_them_as_a_file_problem(text, tmp_path):
    from simulator import ScenarioError, load_scenario, parse_scenario_yaml

    with pytest.raises(ScenarioError, match="^file: line"):
        parse_scenario_yaml(text)
    path = tmp_path / "tagged.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match="^file: line"):
        load_scenario(path)
