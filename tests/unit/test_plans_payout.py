"""Payouts by hand: every preset, the edges, gates, per-team plans, proration and USD."""

from __future__ import annotations

import pytest

from simulator.model.plans.book import Account, Book, Change
from simulator.model.plans.plan import Plan, component_names
from simulator.scenario.schema import Compensation, Component, Curve, Gate, Product, Scenario

PRODUCT = Product()  # the seeds' A, B (weight 0.35) and C, D (0.15)
WEIGHT = {"A": 0.35, "B": 0.35, "C": 0.15, "D": 0.15}
BIT = {"A": 1, "B": 2, "C": 4, "D": 8}


def account(adopted: str = "", desired: str = "ABCD") -> Account:
    value = len(set(adopted) & set(desired)) / len(desired) if desired else None
    return Account(sum(WEIGHT[f] for f in adopted), value, sum(BIT[f] for f in set(adopted)))


def preset(name: str, **params: float | str | list[str]) -> Plan:
    return Plan.from_compensation(Compensation(plan=name, params=params), PRODUCT)


def book_of(plan: Plan, *accounts: Account) -> Book:
    book = plan.new_book()
    for i, a in enumerate(accounts):
        book.add(i, a)
    return book


def share(plan: Plan, book: Book) -> float:
    return plan.evaluate(book.tally).share


def test_salary_only_pays_nothing_and_has_no_attainment() -> None:
    plan = preset("salary_only")
    payout = plan.evaluate(book_of(plan, account("AB")).tally)
    assert not plan.pays and payout.share == 0.0 and payout.attainment is None


@pytest.mark.parametrize(
    ("adopted", "expected"),
    [
        (("CD", "CD"), 0.0),  # 0.3, short of the 0.8 threshold
        (("ABCD", "ABC", "ABC", "AC"), 0.0),  # (1 + 0.85 + 0.85 + 0.5) / 4 = 0.8: exactly at threshold, paying 0
        (("ABCD", "AB"), (0.85 - 0.8) / 0.06),  # 0.85: slope 1 / 0.06 up to the 0.86 target
        (("ABCD", "ABCD", "ABCD", "ACD", "ACD"), 1.0),  # 4.3 / 5 = 0.86: exactly at target
        (("ABCD", "ABC", "ABC", "ABC"), 1.0 + 1.5 / 0.06 * 0.0275),  # 0.8875: accelerated slope 25 above target
        (("ABCD",) * 9 + ("AC",), 1.0 + 25 * 0.09),  # 9.5 / 10 = 0.95: exactly at cap, 3.25
        (("ABCD", "ABCD"), 1.0 + 25 * 0.09),  # 1.0, above the cap: the cap's payout
    ],
)
def test_engagement_average(adopted: tuple[str, ...], expected: float) -> None:
    plan = preset("engagement_average")  # threshold 0.8, target 0.86, cap 0.95, accelerator 1.5
    assert share(plan, book_of(plan, *(account(a) for a in adopted))) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("using", "expected"),
    [(14, 0.0), (15, 0.5 + 0.5 * 0.005 / 0.2), (18, 0.5 + 0.5 * 0.155 / 0.2), (19, 1.0), (20, 1.0)],
)
def test_engagement_threshold_default_is_share_using_a_or_b(using: int, expected: float) -> None:
    # 94.5% of a 20-account book using A or B (19 of 20); half pay from 74.5%, linear between; no upside
    plan = preset("engagement_threshold")
    accounts = [account("B" if i % 2 else "A") for i in range(using)] + [account("CD")] * (20 - using)
    assert share(plan, book_of(plan, *accounts)) == pytest.approx(expected)


def test_engagement_threshold_exactly_at_its_threshold_pays_half() -> None:
    plan = preset("engagement_threshold")  # threshold 0.945 - 0.2 = 0.745: 149 of 200 accounts
    accounts = [account("A")] * 149 + [account("C")] * 51
    assert share(plan, book_of(plan, *accounts)) == pytest.approx(0.5)
    assert plan.components[0].curve.threshold == 0.745


def test_engagement_threshold_with_a_level_counts_engagement_scores() -> None:
    plan = preset("engagement_threshold", level=0.5, share=0.5, threshold=0.25, threshold_payout=0.0)
    book = book_of(plan, account("AC"), account("A"), account("ABCD"), account("CD"))  # 0.5, 0.35, 1.0, 0.3
    assert share(plan, book) == pytest.approx(1.0)  # 2 of 4 at or above 0.5: on target
    book.apply(2, Change(account=account("C")))
    assert share(plan, book) == pytest.approx(0.0)  # 1 of 4 = the threshold, paying 0


def test_threshold_plus_activity_adds_contact_coverage() -> None:
    # 0.6 x the bar (92% using A or B, half pay from 72%) + 0.4 x contact coverage (3 touches per account
    # per quarter, linear from 0 to full pay at 95% coverage, no upside)
    plan = preset("threshold_plus_activity")
    book = book_of(plan, *[account("A")] * 23, account("C"), account("C"))  # 23 / 25 = 0.92: on the bar's target
    assert share(plan, book) == pytest.approx(0.6 * 1.0 + 0.4 * 0.0)  # nobody contacted yet
    for c in range(12):
        book.apply(c, Change(touches=4))  # a fourth touch earns no more contact credit
    for c in range(12, 25):
        book.apply(c, Change(touches=1))
    coverage = (12 * 3 + 13 * 1) / 75
    assert share(plan, book) == pytest.approx(0.6 + 0.4 * coverage / 0.95)
    for c in range(12, 25):
        book.apply(c, Change(touches=2))  # every account at its minimum: coverage 1, paid as at target
    assert share(plan, book) == pytest.approx(0.6 + 0.4)
    book.apply(0, Change(account=account("C")))  # 22 / 25 = 0.88 of the book uses A or B
    assert share(plan, book) == pytest.approx(0.6 * (0.5 + 0.5 * (0.88 - 0.72) / 0.2) + 0.4)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (0.80, 0.0),
        (0.85, 0.5),  # at threshold
        (0.95, 0.5 + 0.5 * 0.10 / 0.16),  # slope 0.5 / 0.16 = 3.125 up to the 1.01 target
        (1.00, 0.5 + 3.125 * 0.15),  # flat renewals: just short of target
        (1.01, 1.0),  # at target
        (1.10, 1.0 + 2 * 3.125 * 0.09),  # accelerator 2 above target
        (1.20, 1.0 + 6.25 * 0.19),  # at cap: 2.1875
        (1.30, 1.0 + 6.25 * 0.19),
    ],
)
def test_nrr(after: float, expected: float) -> None:
    plan = preset("nrr")
    book = book_of(plan, account("A"))
    book.apply(0, Change(renewals=((600_000.0, 600_000.0 * after),)))
    assert share(plan, book) == pytest.approx(expected)


def test_nps() -> None:
    plan = preset("nps")  # threshold 0 (pays 0.25), target 30, cap 60
    book = book_of(plan, account())
    book.apply(0, Change(surveys=(9, 10, 9, 10, 9, 7, 8, 7, 3, 5)))  # 5 P, 3 passives, 2 D: NPS 30
    assert share(plan, book) == pytest.approx(1.0)
    book.apply(0, Change(surveys=(6, 6)))  # 5 P, 4 D of 12: NPS 8.33
    assert share(plan, book) == pytest.approx(0.25 + 0.75 * (100 / 12) / 30)


def test_activity_is_touches_per_account_per_month() -> None:
    plan = preset("activity")  # linear from 0 to target 1.5, then on to the cap at 3
    book = book_of(plan, *[account()] * 10)
    book.apply(0, Change(touches=30))
    assert share(plan, book) == pytest.approx(1.0 / 1.5)
    book.apply(1, Change(touches=15))
    assert share(plan, book) == pytest.approx(1.0)
    book.apply(2, Change(touches=60))  # 3.5 per account-month: above the cap
    assert share(plan, book) == pytest.approx(2.0)
    custom = preset("activity", threshold=0.75, threshold_payout=0.25)
    book = book_of(custom, *[account()] * 10)
    book.apply(0, Change(touches=30))
    assert share(custom, book) == pytest.approx(0.25 + 0.75 * (1.0 - 0.75) / 0.75)


def test_customer_outcome() -> None:
    # 0.7 x value realised (25% at 0.85, target 0.94, accelerator 1.5 to the cap at 1.0)
    # + 0.3 x just-in-time share (0 at 0.7, target 0.87, no upside)
    plan = preset("customer_outcome")
    book = book_of(plan, account("BD", desired="BD"), account("A", desired="A"), account("CD", desired="CD"),
                   account("ABC", desired="ABCD"))  # fmt: skip
    value = (1 + 1 + 1 + 0.75) / 4  # 0.9375
    value_part = 0.25 + 0.75 * (value - 0.85) / 0.09
    book.apply(0, Change(needs=(True,) * 9 + (False,)))  # 0.9: above the 0.87 target
    assert share(plan, book) == pytest.approx(0.7 * value_part + 0.3 * 1.0)
    book.apply(1, Change(needs=(False,) * 5))  # 9 of 15 = 0.6: short of the 0.7 threshold
    assert share(plan, book) == pytest.approx(0.7 * value_part)
    book.apply(2, Change(needs=(True,) * 5))  # 14 of 20 = 0.7: exactly at threshold, paying 0
    assert share(plan, book) == pytest.approx(0.7 * value_part)
    book.apply(2, Change(needs=(True,) * 5))  # 19 of 25 = 0.76
    assert share(plan, book) == pytest.approx(0.7 * value_part + 0.3 * (0.76 - 0.7) / 0.17)


def test_nrr_engagement_composite() -> None:
    # 0.6 x NRR (half at 0.85, target 1.0, accelerator 2 to 1.2) + 0.4 x engagement (0 at 0.75, target 0.88)
    plan = preset("nrr_engagement")
    book = book_of(plan, account("ABCD"), account("AB"))  # engagement 0.85
    book.apply(0, Change(renewals=((100.0, 110.0),)))  # NRR 1.1: 1 + 2 x (0.5 / 0.15) x 0.1
    assert share(plan, book) == pytest.approx(0.6 * (1 + 2 * 0.5 / 0.15 * 0.1) + 0.4 * 0.10 / 0.13)


def test_zero_book_pays_the_no_data_payout() -> None:
    held = Plan.from_compensation(Compensation(plan="engagement_average"), PRODUCT)
    unpaid = Plan.from_compensation(Compensation(plan="engagement_average", no_data_payout=0.0), PRODUCT)
    assert share(held, held.new_book()) == 1.0
    assert share(unpaid, unpaid.new_book()) == 0.0
    payout = held.evaluate(held.new_book().tally)
    assert payout.components[0].value is None and payout.attainment == 1.0


def test_no_renewals_due_holds_the_nrr_part_harmless() -> None:
    plan = preset("nrr_engagement")
    book = book_of(plan, account("ABCD"), account("AB"))  # engagement 0.85; no renewals yet
    assert share(plan, book) == pytest.approx(0.6 * 1.0 + 0.4 * 0.10 / 0.13)


def test_csm_who_left_mid_period_is_prorated_by_active_days() -> None:
    plan = preset("activity")
    book = book_of(plan, *[account()] * 10)
    book.apply(0, Change(touches=15))  # 15 touches in the 45 days (half the quarter) before leaving
    closed = book.close_period(active_share=0.5)
    payout = plan.evaluate(closed)
    assert payout.components[0].value == pytest.approx(1.0)  # 1 touch per account per *active* month
    assert payout.share == pytest.approx(1.0 / 1.5)
    assert payout.usd(22_500, plan.period_months, active_share=0.5) == pytest.approx(22_500 / 1.5 / 4 * 0.5)


def test_usd_on_target_for_a_full_quarter() -> None:
    plan = preset("engagement_average")
    payout = plan.evaluate(book_of(plan, account("ABCD"), account("ABCD"), account("ABCD"), account("ACD"),
                                   account("ACD")).tally)  # fmt: skip
    assert payout.usd(22_500, 3) == pytest.approx(5_625.0)  # engagement 0.86: on target


def gated(gate: Gate) -> Plan:
    component = Component(metric="value_realised", curve=Curve(threshold=0.0, target=1.0), gate=gate)
    return Plan([component], PRODUCT)


def test_gate_shuts_a_component_below_its_bar_and_is_open_without_data() -> None:
    plan = gated(Gate(metric="nrr", at_least=0.9))
    book = book_of(plan, account("A", desired="AB"))  # value 0.5
    assert share(plan, book) == pytest.approx(0.5)  # no renewals: the gate is open
    book.apply(0, Change(renewals=((100.0, 85.0),)))
    assert share(plan, book) == 0.0
    assert plan.evaluate(book.tally).components[0].gate_open is False
    book.apply(0, Change(renewals=((100.0, 110.0),)))  # 195 / 200 = 0.975
    assert share(plan, book) == pytest.approx(0.5)


def test_gate_at_most_for_lower_is_better_and_gate_with_its_own_detail() -> None:
    plan = gated(Gate(metric="speed_to_launch", at_most=30))
    book = book_of(plan, account("A", desired="A"))
    book.apply(0, Change(launches=(40.0,)))
    assert share(plan, book) == 0.0
    plan = gated(Gate(metric="adoption_share", features=["C", "D"], at_least=0.5))
    book = book_of(plan, account("A", desired="A"), account("C", desired="AC"))
    assert plan.criteria.feature_sets == (0b1100,)
    assert share(plan, book) == pytest.approx(0.75)  # half the book uses C or D: gate open


def test_plans_differ_per_team() -> None:
    scenario = Scenario.model_validate(
        {
            "segments": {"ent": {"team": "strategic"}, "smb": {"team": "pool"}},
            "teams": {
                "strategic": {"coverage": "named", "compensation": {"plan": "nrr"}},
                "pool": {"coverage": "pooled"},
            },
            "compensation": {"plan": "customer_outcome"},
        }
    )
    assert [c.name for c in Plan.for_team(scenario, "strategic").components] == ["nrr"]
    assert [c.name for c in Plan.for_team(scenario, "pool").components] == ["value_realised", "jit_share"]


def test_repeated_metrics_get_distinct_names() -> None:
    components = [Component(metric="engagement_share", level=lv) for lv in (0.3, 0.5)] + [Component(metric="nps")]
    assert component_names(components) == ["engagement_share", "engagement_share_2", "nps"]


def test_overall_attainment_is_paid_share_over_weight() -> None:
    plan = preset("customer_outcome")
    book = book_of(plan, account("A", desired="A"))  # value 1.0: at the cap
    book.apply(0, Change(needs=(True, False)))  # jit 0.5: short of its threshold, paying 0
    payout = plan.evaluate(book.tally)
    value_part = 1.0 + 1.5 * (0.75 / 0.09) * 0.06  # 1.75
    assert payout.share == pytest.approx(0.7 * value_part)
    assert payout.attainment == pytest.approx(0.7 * value_part / 1.0)
