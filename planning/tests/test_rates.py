"""Execution rates and the share of a source spent on plan objectives, including zero and missing values."""

from decimal import Decimal as D

from planning.models import BudgetExecution, SourceUse, execution_rate, share


def test_execution_rate_is_executed_over_allocated():
    assert execution_rate(D(200), D(150)) == D("0.75")


def test_execution_rate_with_nothing_allocated_is_none():
    assert execution_rate(D(0), D(0)) is None
    assert execution_rate(D(0), D(10)) is None
    assert execution_rate(None, D(10)) is None


def test_execution_rate_with_nothing_executed_is_zero():
    assert execution_rate(D(100), D(0)) == 0


def test_execution_rate_with_missing_executed_is_none():
    assert execution_rate(D(100), None) is None


def test_budget_execution_rate_property():
    assert BudgetExecution(allocated=D(1000), executed=D(250)).execution_rate == D("0.25")
    assert BudgetExecution(allocated=D(0), executed=D(0)).execution_rate is None


def test_share_handles_zero_and_missing():
    assert share(D(1), D(4)) == D("0.25")
    assert share(D(1), D(0)) is None
    assert share(None, D(4)) is None
    assert share(D(1), None) is None


def test_source_use_shares():
    use = SourceUse(
        "mining_canon", transferred=D(1000), allocated=D(800), executed=D(600), executed_on_objectives=D(300)
    )
    assert use.execution_rate == D("0.75")
    assert use.share_of_spending_on_objectives == D("0.5")
    assert use.share_of_transfers_on_objectives == D("0.3")
    assert str(use.label) == "Mining canon"


def test_source_use_with_nothing_spent_or_transferred():
    use = SourceUse("mining_canon", transferred=D(0), allocated=D(0), executed=D(0), executed_on_objectives=D(0))
    assert use.execution_rate is None
    assert use.share_of_spending_on_objectives is None
    assert use.share_of_transfers_on_objectives is None
