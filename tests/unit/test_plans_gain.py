"""Plan gain on hand-built books: the seeds' effects in miniature.

The decision point scores an option ``((1 - g) * benefit + g * plan_gain) / hours``. The
customer benefits below follow the engine's rule for a push (simulator.model.benefit):
``value weight within satisfaction (0.4 / 0.7) x adoption chance x value share``, zero for
a feature the customer did not buy for.
"""

from __future__ import annotations

import pytest
from plan_textbook import textbook

from simulator.model.plans.book import NO_CHANGE, Account, Book, Change
from simulator.model.plans.curves import curve_payout
from simulator.model.plans.gain import Effect, plan_gain
from simulator.model.plans.plan import Plan
from simulator.scenario.schema import Compensation, Product

PRODUCT = Product()
WEIGHT = {"A": 0.35, "B": 0.35, "C": 0.15, "D": 0.15}
BIT = {"A": 1, "B": 2, "C": 4, "D": 8}
G = 0.6
VALUE_WEIGHT = 0.4 / 0.7  # value's share of satisfaction with the default health weights


def account(adopted: str = "", desired: str = "ABCD") -> Account:
    value = len(set(adopted) & set(desired)) / len(desired) if desired else None
    return Account(sum(WEIGHT[f] for f in adopted), value, sum(BIT[f] for f in set(adopted)))


def preset(name: str, **params: float | str | list[str]) -> Plan:
    return Plan.from_compensation(Compensation(plan=name, params=textbook(name, params)), PRODUCT)


def fill(plan: Plan, accounts: list[tuple[str, str]]) -> Book:
    book = plan.new_book()
    for i, (adopted, desired) in enumerate(accounts):
        book.add(i, account(adopted, desired))
    return book


def push(customer: int, book: Book, feature: str, p: float, desired: str) -> Effect:
    """Push ``feature`` in a touch: adopted with chance p; the touch happens either way."""
    now = book.account(customer)
    names = "".join(f for f in "ABCD" if now.adopted & BIT[f]) + feature
    return Effect.chance(customer, p, Change(account=account(names, desired), touches=1), Change(touches=1))


def score(benefit: float, gain: float, hours: float = 1.0) -> float:
    return ((1 - G) * benefit + G * gain) / hours


# A seeds' book of 20: 10 customers bought for A and C and use A; 9 bought for B, C, D and use C and D;
# customer 19 bought for B and D and uses B. Engagement average 0.3275, value realised 0.575: both
# inside their plans' linear tiers.
SEEDS_BOOK = [("A", "AC")] * 10 + [("CD", "BCD")] * 9 + [("B", "BD")]
C = 19


@pytest.mark.parametrize("plan_name", ["engagement_average", "customer_outcome"])
def test_sticky_push_versus_guiding_what_the_customer_bought(plan_name: str) -> None:
    """Seed: "they're still going to push both A and B, but not D"; an outcome plan reverses it."""
    plan = preset(plan_name)
    book = fill(plan, SEEDS_BOOK)
    p = 0.3  # the seeds' premise: A is as easy to adopt as D (everyone knows A keeps customers)
    gain_a = plan_gain(plan, book, push(C, book, "A", p, "BD"))
    gain_d = plan_gain(plan, book, push(C, book, "D", p, "BD"))
    benefit_a, benefit_d = 0.0, VALUE_WEIGHT * p * 0.5
    if plan_name == "engagement_average":
        assert gain_a == pytest.approx(5 * 0.35 * p)  # slope 5 per unit of average, x book size
        assert gain_d == pytest.approx(5 * 0.15 * p)
        assert score(benefit_a, gain_a) > score(benefit_d, gain_d)
    else:
        assert gain_a == pytest.approx(0.0)  # an unwanted feature realises no value
        assert gain_d == pytest.approx(p * 0.5 * 0.7 * 0.75 / 0.3)  # value share x weight x slope
        assert score(benefit_d, gain_d) > score(benefit_a, gain_a)


def test_engagement_average_gain_is_proportional_to_chance_times_weight() -> None:
    """The mechanism, exactly: in a linear tier the ratio of gains is (p_A w_A) / (p_D w_D).

    So whether an engagement plan makes CSMs push an unwanted A over a wanted D depends on
    how readily customers adopt what they did not buy for: at half the chance, A still wins
    on plan gain (0.35 x 0.5 > 0.15); at 0.4 of it, it no longer does (0.14 < 0.15).
    """
    plan = preset("engagement_average")
    book = fill(plan, SEEDS_BOOK)
    for factor in (0.5, 0.4):
        ratio = plan_gain(plan, book, push(C, book, "A", 0.3 * factor, "BD")) / plan_gain(
            plan, book, push(C, book, "D", 0.3, "BD")
        )
        assert ratio == pytest.approx(0.35 * factor / 0.15)


def test_gain_is_in_targets_per_account_so_book_size_does_not_matter() -> None:
    plan = preset("engagement_average")
    gains = []
    for copies in (1, 3):
        book = fill(plan, SEEDS_BOOK * copies)
        gains.append(plan_gain(plan, book, push(C, book, "A", 1.0, "BD")))
    assert gains[0] == pytest.approx(gains[1]) == pytest.approx(5 * 0.35)


# Engagement threshold with a level: 10 customers, bar at engagement 0.5, pay starts at 7 of 10 (half
# the target) and is full at 9 of 10, with no upside. Customers 7-9 are below the bar.
LEVEL_BOOK = [("AC", "AC")] * 7 + [("", "CD"), ("A", "AB"), ("C", "CD")]


def level_plan() -> Plan:
    return preset("engagement_threshold", level=0.5)


def test_threshold_customer_no_option_can_lift_over_the_bar_is_written_off() -> None:
    """Seed: "write this customer off as one of the 10% who don't make it"."""
    plan = level_plan()
    book = fill(plan, LEVEL_BOOK)
    assert plan_gain(plan, book, push(7, book, "C", 0.3, "CD")) == 0.0  # 0.15 < 0.5
    assert plan_gain(plan, book, push(7, book, "A", 0.12, "CD")) == 0.0  # 0.35 < 0.5
    lift = plan_gain(plan, book, push(8, book, "B", 0.3, "AB"))  # 0.35 -> 0.70: over the bar
    assert lift == pytest.approx(0.3 * (0.75 - 0.5) * 10)
    # customer 9 can only clear the bar with a feature it did not buy for
    assert plan_gain(plan, book, push(9, book, "D", 0.3, "CD")) == 0.0
    assert plan_gain(plan, book, push(9, book, "A", 0.12, "CD")) == pytest.approx(0.12 * 2.5)


def test_threshold_default_share_using_a_or_b_favours_customers_who_want_them() -> None:
    plan = preset("engagement_threshold")
    book = fill(plan, [("A", "AB")] * 7 + [("C", "BC"), ("C", "CD")] + [("D", "D")])
    wants_b = plan_gain(plan, book, push(7, book, "B", 0.3, "BC"))
    wants_neither = plan_gain(plan, book, push(8, book, "A", 0.12, "CD"))
    assert wants_b == pytest.approx(0.3 * 2.5) and wants_neither == pytest.approx(0.12 * 2.5)
    assert plan_gain(plan, book, push(9, book, "D", 0.3, "D")) == 0.0  # C or D never counts


def test_threshold_book_over_target_gains_nothing_from_any_option() -> None:
    """Seed: "once that threshold is met, your customer success employee is no longer incented"."""
    plan = level_plan()
    book = fill(plan, [("AC", "AC")] * 9 + [("A", "AB")])
    assert plan_gain(plan, book, push(9, book, "B", 0.3, "AB")) == 0.0
    assert plan_gain(plan, book, Effect(9, ((1.0, Change(touches=1)),))) == 0.0


def test_activity_minimum_keeps_touches_paying_after_the_threshold() -> None:
    """Seed: "incented to reach the threshold but also incented not to stop contacting them"."""
    plain, fixed = preset("engagement_threshold"), preset("threshold_plus_activity")
    accounts = [("A", "AB")] * 9 + [("C", "CD")]  # 9 of 10 use A or B: the bar is met
    touch = Effect(9, ((1.0, Change(touches=1)),))
    assert plan_gain(plain, fill(plain, accounts), touch) == 0.0
    book = fill(fixed, accounts)
    per_touch = 0.4 * (1 / 30) * 10  # weight x coverage per touch (1 of 3 needed, 10 accounts) x book
    assert plan_gain(fixed, book, touch) == pytest.approx(per_touch)
    book.apply(9, Change(touches=2))
    assert plan_gain(fixed, book, touch) == pytest.approx(per_touch)  # the third touch still counts
    book.apply(9, Change(touches=1))
    assert plan_gain(fixed, book, touch) == 0.0  # beyond the minimum: go and call someone else
    assert plan_gain(fixed, book, Effect(0, ((1.0, Change(touches=1)),))) == pytest.approx(per_touch)


def test_expectation_over_adopt_or_not_differs_from_plugging_in_the_mean() -> None:
    """One short of the threshold: a coin-flip push is worth half the jump, the mean effect nothing."""
    plan = preset("engagement_threshold")
    book = fill(plan, [("A", "AB")] * 6 + [("C", "BC")] * 4)  # 6 of 10: below the 0.7 threshold
    gain = plan_gain(plan, book, push(6, book, "B", 0.5, "BC"))
    assert gain == pytest.approx(0.5 * (0.5 - 0.0) * 10)
    curve = plan.components[0].curve
    assert curve_payout(curve, 6.5 / 10) - curve_payout(curve, 0.6) == 0.0  # the mean plug-in's answer


def test_nrr_gain_grows_with_the_arr_at_stake_in_a_renewal_this_period() -> None:
    """A touch that lowers churn at a renewal due this period, against the same renewal without it."""
    plan = preset("nrr")
    gains = []
    for arr in (50_000.0, 200_000.0):
        book = fill(plan, [("A", "A")] * 10)
        book.apply(0, Change(renewals=((1_000_000.0, 1_000_000.0),)))
        keep = Change(renewals=((arr, arr),), touches=1)
        churn = Change(renewals=((arr, 0.0),), touches=1, leaves=True)
        effect = Effect(
            5, outcomes=((0.8, keep), (0.2, churn)), baseline=((0.7, Change(renewals=((arr, arr),))),
                                                               (0.3, Change(renewals=((arr, 0.0),), leaves=True)))
        )  # fmt: skip
        gains.append(plan_gain(plan, book, effect))
    churn_small = 0.5 + 0.5 * (1 / 1.05 - 0.85) / 0.15
    assert gains[0] == pytest.approx(0.1 * (1.0 - churn_small) * 10)
    assert gains[1] == pytest.approx(0.1 * (1.0 - 0.0) * 10)  # losing 200k drops NRR below 0.85
    assert gains[1] > gains[0]


def test_salary_only_and_no_change_gain_nothing() -> None:
    salary = preset("salary_only")
    book = fill(salary, [("A", "A")])
    assert plan_gain(salary, book, push(0, book, "B", 1.0, "AB")) == 0.0
    plan = preset("engagement_average")
    book = fill(plan, SEEDS_BOOK)
    assert plan_gain(plan, book, Effect(3, ((1.0, NO_CHANGE),))) == 0.0


def test_customer_outcome_pays_for_meeting_a_need_in_its_window() -> None:
    plan = preset("customer_outcome")
    book = fill(plan, SEEDS_BOOK)
    book.apply(0, Change(needs=(True, True, False, False)))  # jit share 0.5: the jit curve's threshold
    on_time = plan_gain(plan, book, Effect(C, ((1.0, Change(needs=(True,))),)))
    late = plan_gain(plan, book, Effect(C, ((1.0, Change(needs=(False,))),)))
    assert on_time == pytest.approx(0.3 * (0.6 - 0.5) / 0.3 * 20)
    assert late == 0.0  # 2 of 5 is below the jit threshold, which pays 0 anyway


@pytest.mark.parametrize(
    ("outcomes", "message"),
    [
        ((), "at least one outcome"),
        (((0.5, NO_CHANGE),), "sum to 1"),
        (((1.5, NO_CHANGE), (-0.5, NO_CHANGE)), "[0, 1]"),
    ],
)
def test_effects_with_bad_probabilities_are_refused(outcomes: tuple, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Effect(0, outcomes)
