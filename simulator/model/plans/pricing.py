"""Plan gain of the engine's options: the plain definition, priced fast and exactly.

Every option a CSM weighs is priced (about 25 per decision). The plain route,
:meth:`EffectBuilder.effect` building an :class:`~simulator.model.plans.gain.Effect` of
:class:`Change` branches and :func:`~simulator.model.plans.gain.plan_gain` evaluating each
on a copy of the tally, made a plan replication of comp_plans.yaml cost 5-7 times a
salary-only one. :class:`OptionPricer` walks the same branches without building them:

- a branch that moves no counter the plan reads (a touch under an engagement plan, a
  need met under an NRR plan) pays exactly the current share: the payout reads nothing
  else, so this is the same float, not an approximation. Integer counters that a state
  change withdraws and adds back (accounts, accounts at a level) are exact, so swapping
  one account's state moves only the float sums and the per-criterion counts;
- any other branch is evaluated through the real payout once per book version and
  remembered by what it depends on, after stripping what moves no counter the plan reads
  (the account swapped when the plan reads no state, the touch, the need, the renewal):
  the customer's account (when the branch changes or removes it and the plan reads
  states), its touches this period (when a contact minimum counts them), and the change.
  Options share branches: "one touch, nothing adopted" for every customer, the push of a
  feature to alike accounts, the churn branch of every option of a renewing customer, and
  under a plan that reads only counts (activity) the kept and churned branches of every
  renewing customer;
- a renewing customer's churn chance and kept ARR per state do not read the book, so
  they are remembered across book versions (under a plan that counts touches every touch
  is a new version), keyed by the customer's contact, service and ARR fields, so every
  option of that customer shares them, in one decision and the next ones. Only the
  relationship after a contact *now* moves with the clock: the chances of branches with
  a contact are remembered for the instant ``now``, the others until the fields change.

Probabilities and both expected shares are summed with plan_gain's arithmetic in its
order, so the gain is the same float as ``plan_gain(plan, book, effects.effect(book,
option, now))``; tests/unit/test_plans_pricing.py holds the two equal on random books,
customers and options.
"""

from __future__ import annotations

import math

from simulator.model.csm import Csm
from simulator.model.customer import Customer
from simulator.model.decisions import NEED, Option
from simulator.model.need import ADOPT
from simulator.model.plans.book import Account, Book, Change
from simulator.model.plans.effects import EffectBuilder, State, account_of, next_renewal
from simulator.model.plans.plan import Plan
from simulator.model.plans.tally import (
    ACCOUNTS,
    ARR_DUE,
    ARR_KEPT,
    ARR_RENEWED,
    ENGAGEMENT,
    NEEDS,
    NEEDS_JIT,
    RENEWALS,
    RETAINED,
    TOUCHES,
    VALUE,
    VALUED,
    Tally,
)
from simulator.model.renewal import RenewalRules

States = tuple[tuple[float, int], ...]
"""(probability, features in use) per outcome; the contact and on-time flags are shared."""

_CHURNED = "churned"


class CsmPlanState:
    """One CSM's book, the tally frozen at departure once they leave, and what its current version prices."""

    __slots__ = ("book", "frozen", "prices")

    def __init__(self, book: Book) -> None:
        self.book = book
        self.frozen: Book | None = None
        self.prices = Prices()


class CustomerPrices:
    """Gains of one customer's options away from a renewal, while its account and touches stand."""

    __slots__ = ("adopted", "gains", "memo", "old", "seen")

    def __init__(self, old: Account, adopted: int, seen: int) -> None:
        self.old = old
        self.adopted = adopted
        self.seen = seen
        self.gains: dict[tuple[object, ...], float] = {}
        self.memo: dict[object, object] = {}
        """The engine's, for what it derives from these gains (:meth:`OptionPricer.memo`)."""


class RenewalOdds:
    """A renewing customer's churn split as the renewal rule reads it, while its service,
    contact and ARR stand: responsiveness without and with one more on-time need,
    relationship without and with a contact at ``now``, and the churn chance and kept ARR
    per state. None of it reads the book, so it outlives book versions (under a plan that
    counts touches, every touch is a new version).

    The relationship after a contact is the one thing that moves with the clock, so the
    churn chances of branches with a contact (``churn_now``) hold for the instant ``now``
    only; :meth:`at` moves them on."""

    __slots__ = ("churn", "churn_now", "held", "now", "rel", "rel_now", "resp", "resp_jit")

    def __init__(self, held: tuple[object, ...], resp: float, resp_jit: float, rel: float) -> None:
        self.held = held
        self.resp = resp
        self.resp_jit = resp_jit
        self.rel = rel
        self.now = math.nan
        self.rel_now = 0.0
        self.churn: dict[State, tuple[float, float]] = {}
        self.churn_now: dict[State, tuple[float, float]] = {}

    def at(self, now: float, rel_now: float) -> None:
        """Move to the instant ``now``, when a contact leaves the relationship at ``rel_now``."""
        self.now = now
        self.rel_now = rel_now
        self.churn_now.clear()


class RenewalPrices:
    """What a renewing customer's options share at one book version while its :class:`RenewalOdds`
    stand: branch shares, and expected shares over states (those with a contact, ``totals_now``,
    for the instant ``now`` only, as their churn chances)."""

    __slots__ = ("churned", "kept", "memo", "now", "odds", "totals", "totals_now")

    def __init__(self, odds: RenewalOdds) -> None:
        self.odds = odds
        self.now = math.nan
        self.memo: dict[object, object] = {}
        """The engine's, for what it derives from the gains without a contact (:meth:`OptionPricer.memo`)."""
        self.kept: dict[tuple[object, ...], float] = {}
        self.churned: dict[tuple[object, ...], float] = {}
        self.totals: dict[tuple[object, ...], float] = {}
        self.totals_now: dict[tuple[object, ...], float] = {}


class Prices:
    """One CSM's book at one version: its payout share, its size and what it has priced."""

    __slots__ = ("current", "customers", "renewals", "shares", "size", "touches", "version")

    def __init__(self) -> None:
        self.version = -1
        self.current = 0.0
        self.size = 1
        self.shares: dict[tuple[object, ...], float] = {}
        self.customers: dict[object, CustomerPrices] = {}
        self.touches: dict[tuple[bool, int], float] = {}
        """Gains of a touch alone (no feature, no need) by (activity, touches this period)."""
        self.renewals: dict[tuple[object, ...], RenewalPrices] = {}

    def reset(self, version: int, current: float, size: int) -> None:
        self.version = version
        self.current = current
        self.size = size
        self.shares.clear()
        self.customers.clear()
        self.touches.clear()
        self.renewals.clear()


class OptionPricer:
    """Prices one team's options against its plan (the rules are the :class:`EffectBuilder`'s)."""

    def __init__(self, plan: Plan, effects: EffectBuilder) -> None:
        self.plan = plan
        self.effects = effects
        self.features = effects.features
        self.resp_days = effects.health.resp_days
        self.period_days = effects.period_days
        criteria = plan.criteria
        layout = Tally(criteria, 0.0)
        watched = set(plan.watched)
        contacts = set(range(layout.contact0, len(layout.v)))
        states = {ENGAGEMENT, VALUE, VALUED, *range(layout.level0, layout.contact0)}
        self.counts_contacts = bool(criteria.min_touches)
        self.touch_moves = bool(({TOUCHES} | contacts) & watched)
        self.needs_move = bool({NEEDS, NEEDS_JIT} & watched)
        self.swap_moves = bool(states & watched)
        self.renewal_moves = bool({RENEWALS, RETAINED, ARR_DUE, ARR_RENEWED, ARR_KEPT} & watched)
        self.leave_moves = bool(({ACCOUNTS} | states | contacts) & watched)
        self._now = math.nan
        self._period_end = 0.0
        self._growth: dict[tuple[RenewalRules, float], float] = {}
        self._odds: dict[Customer, RenewalOdds] = {}
        """Each renewing customer's churn split, kept across book versions (it does not read the book)."""

    def plan_gain(self, csm: Csm, option: Option, now: float) -> float:
        """``plan_gain`` of ``option``'s effect on the CSM's book, in period variable targets per account.

        (A plan that pays nothing prices every branch at 0, so its gains are 0 without a check.)
        """
        c = option.customer
        f = option.feature
        activity = option.activity
        jit = option.jit
        is_need = option.kind == NEED
        if c is None or not (activity or is_need or jit or f >= 0):
            return 0.0  # nothing happens with or without it: the same branches on both sides
        day = c.plan_data
        if day is None or now >= day:
            day = c.plan_data = next_renewal(c, now)
        if now != self._now:
            self._now = now
            self._period_end = (math.floor(now / self.period_days) + 1) * self.period_days
        renewing = day <= self._period_end
        if not renewing and f < 0 and not is_need and not self.touch_moves:
            return 0.0  # at most a touch, which moves nothing the plan reads (in the book or not)
        state = csm.plan_state
        if state is None:
            state = csm.plan_state = CsmPlanState(self.plan.new_book())
        book = state.book
        prices = state.prices
        if prices.version != book.version:
            prices.reset(book.version, self.plan.payout_share(book.tally), max(len(book), 1))
        cid = c.id
        old = book.accounts.get(cid)
        if old is None:  # not in the book: only a need it closes can count
            return self._plain_gain(prices, book, c, option, None, is_need) if is_need else 0.0
        seen = book.touch_counts[cid] if self.counts_contacts else 0
        if renewing:
            return self._renewing_gain(prices, book, c, option, old, seen, is_need, now, day)
        if f < 0 and not is_need:  # at most a touch: the same for every account with as many touches
            alone = prices.touches.get((activity, seen))
            if alone is None:
                alone = prices.touches[activity, seen] = self._plain_gain(prices, book, c, option, old, False)
            return alone
        entry = prices.customers.get(cid)
        a = c.adopted
        if entry is None or entry.old is not old or entry.adopted != a or entry.seen != seen:
            entry = prices.customers[cid] = CustomerPrices(old, a, seen)
        need = option.need
        key = (f, option.p_adopt, activity, jit, is_need, is_need and need is not None and need.kind != ADOPT)
        gain = entry.gains.get(key)
        if gain is None:
            gain = entry.gains[key] = self._plain_gain(prices, book, c, option, old, is_need)
        return gain

    def memo(self, csm: Csm, c: Customer, now: float) -> dict[object, object] | None:
        """A scratch dict for the engine that lives exactly as long as the gains remembered for
        ``c``'s options without a contact (a push weighed for a touch): dropped with them when
        the book version, the customer's account, touches this period, features in use or
        renewal odds change, or it starts or stops renewing this period. None when ``c`` is
        not in the book. What the engine derives only from those gains and the customer's
        features can be kept in it for the next decisions instead of priced again.

        The route to the dict is :meth:`plan_gain`'s (written out again: that is the hot path).
        """
        state = csm.plan_state
        if state is None:
            state = csm.plan_state = CsmPlanState(self.plan.new_book())
        book = state.book
        prices = state.prices
        if prices.version != book.version:
            prices.reset(book.version, self.plan.payout_share(book.tally), max(len(book), 1))
        cid = c.id
        old = book.accounts.get(cid)
        if old is None:
            return None
        seen = book.touch_counts[cid] if self.counts_contacts else 0
        day = c.plan_data
        if day is None or now >= day:
            day = c.plan_data = next_renewal(c, now)
        if now != self._now:
            self._now = now
            self._period_end = (math.floor(now / self.period_days) + 1) * self.period_days
        if day <= self._period_end:
            return self._renewal_table(prices, c, old, seen, now, day).memo
        entry = prices.customers.get(cid)
        a = c.adopted
        if entry is None or entry.old is not old or entry.adopted != a or entry.seen != seen:
            entry = prices.customers[cid] = CustomerPrices(old, a, seen)
        return entry.memo

    def _plain_gain(
        self, prices: Prices, book: Book, c: Customer, option: Option, old: Account | None, is_need: bool
    ) -> float:
        """Gain of an option whose customer does not renew this period."""
        member = old is not None
        touches = 1 if option.activity and member else 0
        needs = (option.jit,) if is_need else ()
        unmet = (False,) if needs and member else ()
        outcomes, baseline = self._states(c, option, member, is_need)
        with_option = 0.0
        if self.swap_moves or (touches and self.touch_moves) or (needs and self.needs_move):
            for p, adopted in outcomes:
                if p > 0:
                    with_option += p * self._plain(prices, book, c, old, adopted, touches, needs)
        else:  # no branch moves a counter the plan reads: each is the current share (:meth:`_plain`)
            current = prices.current
            for p, _ in outcomes:
                if p > 0:
                    with_option += p * current
        without = 0.0
        if self.swap_moves or (unmet and self.needs_move):
            for p, adopted in baseline:
                if p > 0:
                    without += p * self._plain(prices, book, c, old, adopted, 0, unmet)
        else:
            current = prices.current
            for p, _ in baseline:
                if p > 0:
                    without += p * current
        return (with_option - without) * prices.size

    def _renewing_gain(
        self, prices: Prices, book: Book, c: Customer, option: Option, old: Account, seen: int, is_need: bool,
        now: float, day: float,
    ) -> float:  # fmt: skip
        """Gain of an option whose customer renews this period: every state splits into kept and churned."""
        table = self._renewal_table(prices, c, old, seen, now, day)
        activity = option.activity
        jit = option.jit
        touches = 1 if activity else 0
        needs = (jit,) if is_need else ()
        outcomes, baseline = self._states(c, option, True, is_need)
        with_option = self._renewal_share(prices, book, c, old, table, outcomes, activity or is_need, jit,
                                          touches, needs, now, day)  # fmt: skip
        without = self._renewal_share(prices, book, c, old, table, baseline, False, False, 0, needs and (False,),
                                      now, day)  # fmt: skip
        return (with_option - without) * prices.size

    def _renewal_table(
        self, prices: Prices, c: Customer, old: Account, seen: int, now: float, day: float
    ) -> RenewalPrices:
        """The renewing customer's prices at this book version and its odds, moved on to ``now``."""
        c.forget_before(now - self.resp_days)  # what the renewal rule reads first: the key is what it sees
        recent = c.recent
        last = c.last_contact
        held = (day, last, c.recent_jit, len(recent) if recent else 0, c.arr)
        odds = self._odds.get(c)
        health = self.effects.health
        if odds is None or odds.held != held:
            odds = self._odds[c] = RenewalOdds(
                held,
                health.responsiveness(c, now),
                (c.recent_jit + 1) / (held[3] + 1),
                math.exp(-(day - last) / health.rel_days) if last > -math.inf else 0.0,
            )
        if odds.now != now:
            odds.at(now, math.exp(-(day - now) / health.rel_days))
        table = prices.renewals.get((c, old, seen))
        if table is None or table.odds is not odds:
            table = prices.renewals[c, old, seen] = RenewalPrices(odds)
        if table.now != now:
            table.now = now
            table.totals_now.clear()
        return table

    def _states(self, c: Customer, option: Option, member: bool, is_need: bool) -> tuple[States, States]:
        """(outcomes, baseline) as :meth:`EffectBuilder._adoption` enumerates them."""
        a = c.adopted
        f = option.feature
        if not member or f < 0:
            return ((1.0, a),), ((1.0, a),)
        bit = 1 << f
        need = option.need
        if is_need and need is not None and need.kind != ADOPT:
            if not a & bit:
                return ((1.0, a),), ((1.0, a),)
            drop = c.rules.problem_drop
            return ((1.0, a),), ((drop, a & ~bit), (1.0 - drop, a))
        if a & bit:
            return ((1.0, a),), ((1.0, a),)
        p = option.p_adopt
        alone = self.features.self_serve[f] if is_need else 0.0
        if alone > 0:
            return ((p, a | bit), (1.0 - p, a)), ((alone, a | bit), (1.0 - alone, a))
        return ((p, a | bit), (1.0 - p, a)), ((1.0, a),)  # a branch of chance 0 adds nothing: 1 - 0 is 1

    def _plain(
        self, prices: Prices, book: Book, c: Customer, old: Account | None, adopted: int, touches: int,
        needs: tuple[bool, ...],
    ) -> float:  # fmt: skip
        """Payout share after one branch with no renewal in it."""
        return self._kept(prices, book, c, old, adopted, touches, needs, None)

    def _renewal_share(
        self, prices: Prices, book: Book, c: Customer, old: Account, table: RenewalPrices, states: States,
        contacted: bool, jit: bool, touches: int, needs: tuple[bool, ...], now: float, day: float,
    ) -> float:  # fmt: skip
        """Expected payout share over ``states``, each split into kept and churned at the renewal."""
        key = (states, contacted, jit, touches, needs)
        odds = table.odds
        totals, churn = (table.totals_now, odds.churn_now) if contacted else (table.totals, odds.churn)
        total = totals.get(key)
        if total is not None:
            return total
        total = 0.0
        for p, adopted in states:
            state = (adopted, contacted, jit)
            known = churn.get(state)
            if known is None:
                known = churn[state] = self._renewal(c, odds, adopted, contacted, jit)
            q, kept = known
            w = p * (1.0 - q)
            if w > 0:
                branch = (adopted, touches, needs)
                share = table.kept.get(branch)
                if share is None:
                    share = table.kept[branch] = self._kept(prices, book, c, old, adopted, touches, needs, kept)
                total += w * share
            w = p * q
            if w > 0:
                share = table.churned.get((touches, needs))
                if share is None:
                    share = table.churned[touches, needs] = self._churned(prices, book, c, old, touches, needs)
                total += w * share
        totals[key] = total
        return total

    def _renewal(self, c: Customer, odds: RenewalOdds, adopted: int, contacted: bool, jit: bool) -> tuple[float, float]:
        """:meth:`EffectBuilder.renewal` (same arithmetic) from what ``odds`` read of the customer.

        The expansion and contraction chances depend on value realised alone, so the kept
        ARR factor is remembered per segment and value for the whole run.
        """
        value = (adopted & c.desired).bit_count() / c.n_desired if c.n_desired else 0.0
        rules = c.rules.renewal
        q = rules.churn_probability(self.features.sticky(adopted), value, odds.resp_jit if jit else odds.resp,
                                    odds.rel_now if contacted else odds.rel)  # fmt: skip
        factor = self._growth.get((rules, value))
        if factor is None:
            grow, shrink = rules.change_probabilities(value)
            spec = rules.spec
            factor = self._growth[rules, value] = 1.0 + grow * spec.expansion_size - shrink * spec.contraction_size
        return q, c.arr * factor

    def _kept(
        self, prices: Prices, book: Book, c: Customer, old: Account | None, adopted: int, touches: int,
        needs: tuple[bool, ...], kept: float | None,
    ) -> float:  # fmt: skip
        """Payout share after one branch where the customer stays: renewed keeping ``kept`` USD of ARR
        (None: no renewal in it).

        The branch is stripped of what moves no counter the plan reads before it is priced and
        remembered: the new account (an account swap moves the account count by exactly 0),
        touches, needs, the renewal. What is left is all the payout can see, so branches of
        different customers that differ only in what was stripped share one price.
        """
        swap = adopted != c.adopted and self.swap_moves
        if not self.touch_moves:
            touches = 0
        if not self.needs_move:
            needs = ()
        renewals = ((c.arr, kept),) if kept is not None and self.renewal_moves else ()
        if not (swap or touches or needs or renewals):
            return prices.current
        seen = book.touch_counts[c.id] if touches and self.counts_contacts else 0
        key = (old, c.desired, adopted, seen, touches, needs, renewals) if swap else (
            None, 0, -1, seen, touches, needs, renewals)  # fmt: skip
        share = prices.shares.get(key)
        if share is None:
            account = account_of(c, self.features, adopted) if swap else None
            change = Change(account, touches, renewals, (), needs)
            share = prices.shares[key] = book.evaluate_after(c.id, change, self.plan.payout_share)
        return share

    def _churned(
        self, prices: Prices, book: Book, c: Customer, old: Account | None, touches: int, needs: tuple[bool, ...]
    ) -> float:
        """Payout share after the customer churns at its renewal (stripped as in :meth:`_kept`;
        the account withdrawn moves the count by 1 whatever it was)."""
        if not self.touch_moves:
            touches = 0
        if not self.needs_move:
            needs = ()
        renewals = ((c.arr, 0.0),) if self.renewal_moves else ()
        if not (self.leave_moves or renewals or touches or needs):
            return prices.current
        seen = book.touch_counts[c.id] if self.counts_contacts else 0
        key = (_CHURNED, old if self.swap_moves else None, seen, touches, needs, renewals)
        share = prices.shares.get(key)
        if share is None:
            change = Change(None, touches, renewals, (), needs, leaves=True)
            share = prices.shares[key] = book.evaluate_after(c.id, change, self.plan.payout_share)
        return share
