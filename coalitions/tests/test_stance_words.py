"""A stance reads the same wherever it is shown: one word in context "stance", not whichever catalogue loads first."""

from django.utils import translation

from coalitions.models import Assessment
from stakeholders.filters import StakeholderFilterSet


def test_a_stance_has_one_spanish_word_on_the_assessment_and_in_the_directory_filter():
    with translation.override("es"):
        model = {value: str(label) for value, label in Assessment.Stance.choices}
        directory = {value: str(label) for value, label in StakeholderFilterSet.base_filters["stance"].extra["choices"]}
    assert model == directory
    assert model[-1] == "En contra"
    assert model[2] == "Promotor" and model[-2] == "Muy en contra"
