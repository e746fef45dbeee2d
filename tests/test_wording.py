"""Plain words for students: every parameter's unit, and each preset's question."""

import pytest

from simulator import Scenario, load_preset, parameter_table, preset_names
from simulator.presentation.wording import JARGON, named_parameters, plain_unit, preset_question, preset_setting


@pytest.mark.parametrize("info", parameter_table(Scenario), ids=lambda p: p.path)
def test_every_unit_a_student_sees_is_plain(info):
    shown = plain_unit(info.unit).lower()
    assert not [word for word in JARGON if word in shown], f"{info.path}: {info.unit!r} needs plain words"


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_asks_a_question_and_says_what_it_sets_up(name):
    scenario = load_preset(name)
    question = preset_question(scenario)
    assert question.endswith("?") and question[0].isupper()
    assert "Question:" not in question and question[1:] in named_parameters(" ".join(scenario.meta.description.split()))
    assert preset_setting(scenario) and "Question:" not in preset_setting(scenario)
