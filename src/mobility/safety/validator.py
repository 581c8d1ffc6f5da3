"""Check a protocol against safety limits and say precisely what is wrong.

:func:`~mobility.validate` never raises for a well-formed protocol: it returns a
:class:`Report` whose findings each carry a stable ``code``, the ``path`` of the
offending field, a ``message`` a person can act on, and the ``source`` of the limit
that was applied.

Example:
    >>> import attrs
    >>> from mobility import Hold, catalog, validate
    >>> protocol = catalog.get("lower-trunk-rotation")
    >>> validate(protocol).ok
    True
    >>> exercise = protocol.exercises[0]
    >>> longer = attrs.evolve(
    ...     exercise, dose=attrs.evolve(exercise.dose, hold=Hold(90))
    ... )
    >>> report = validate(attrs.evolve(protocol, exercises=[longer]))
    >>> report.ok
    False
    >>> error = report.errors[0]
    >>> error.code, error.path
    ('hold-seconds-above-maximum', '$.exercises[0].dose.hold.seconds')
    >>> error.message
    'static hold of 90 s is above the maximum of 60 s'
    >>> error.source.inferred  # 60 s is our reading of ACSM, and says so
    True

Every week of a programme is checked, not only the first. A progression that
adds 10 s to the hold each week passes week one and fails later:

    >>> from mobility import Progression
    >>> growing = attrs.evolve(
    ...     protocol,
    ...     program_weeks=12,
    ...     progression=Progression(every_days=7, hold_step_seconds=10),
    ... )
    >>> error = validate(growing).errors[0]
    >>> error.code, error.week
    ('hold-seconds-above-maximum', 6)
    >>> error.message
    'static hold of 60-65 s in week 6 (progression step 5) is above the maximum of 60 s'

The rules themselves are data: see :mod:`mobility.safety.rules`.
"""

from __future__ import annotations

import bisect
import math

from typing import TYPE_CHECKING, Final

import attrs

from .._words import fmt
from ..errors import UnsafeProtocolError
from ..model import MAX_QUANTITY, Audience, Intensity, Protocol, Range, Source
from ..model.steps import agrees, claims, prescribed
from .limits import PRESETS, SafetyLimits
from .rules import Amount, Scope, Severity, policy, rules_of


if TYPE_CHECKING:
    from collections.abc import Callable

    from ..model import Dose, Progression, Step
    from ..model.steps import Claim
    from .limits import Bound, Limit
    from .rules import Policy, Rule


__all__ = ["Finding", "Report", "Severity", "limits_for", "validate"]

_DEFAULT_LIMITS: Final = SafetyLimits()


@attrs.frozen(kw_only=True)
class Finding:
    """One thing :func:`~mobility.validate` found.

    Args:
        code: A stable identifier of the rule, e.g. ``"hold-seconds-above-maximum"``.
        severity: Error or warning.
        path: Where in the protocol, as a JSON path such as
            ``"$.exercises[0].dose.hold.seconds"``.
        message: What is wrong and what the limit is, in words.
        source: The evidence for the limit that was applied.
        week: The first week of the programme in which the progression has
            grown the dose past the bound; ``None`` when the protocol is past it
            from the start, or the finding is not about a growing dose.
    """

    code: str
    severity: Severity
    path: str
    message: str
    source: Source
    week: int | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


@attrs.frozen
class Report:
    """The outcome of validating one protocol.

    Args:
        protocol_id: The id of the protocol that was checked.
        findings: Every finding, errors and warnings, in the order of the
            protocol's fields, then those that only the progression brings.
        limits: The limits that were applied.
    """

    protocol_id: str
    findings: tuple[Finding, ...]
    limits: SafetyLimits = attrs.field(repr=lambda limits: repr(limits.name))

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that make the protocol unsafe."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that are outside the typical range but allowed."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """``True`` when there are no errors (warnings are allowed)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def raise_if_unsafe(self) -> None:
        """Raise if there is any error.

        Raises:
            UnsafeProtocolError: The report has at least one error; the exception
                carries this report.
        """
        if not self.ok:
            raise UnsafeProtocolError(self)


def validate(protocol: Protocol, limits: SafetyLimits | None = None) -> Report:
    """Check a protocol against safety limits, at every step of its programme.

    Every rule of the limits' class (:func:`mobility.safety.rules.rules_of`) is
    applied to the protocol as it starts. When it has a progression, the rules on
    doses and sessions are applied again to the dose of every step up to the end
    of the programme, or up to the progression's ceilings for an open-ended one; a
    bound first crossed later is reported with the week it is crossed in
    (``Finding.week``).

    Args:
        protocol: The protocol to check.
        limits: The limits to apply; when ``None``, the preset for the
            protocol's ``audience`` (the adult defaults
            for most protocols).

    Returns:
        A report of every finding. It never raises for a well-formed protocol;
        call :meth:`Report.raise_if_unsafe` to turn errors into an exception.

    Raises:
        TypeError: ``protocol`` is not a :class:`~mobility.Protocol`.
    """
    if not isinstance(protocol, Protocol):  # a guard for callers without mypy
        msg = f"validate() expects a Protocol, got {type(protocol).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    if limits is None:
        limits = limits_for(protocol.audience)
    return Report(protocol.id, tuple(_findings(protocol, limits)), limits)


_FOR_AUDIENCE: Final[dict[Audience, SafetyLimits]] = {Audience.ADULTS: _DEFAULT_LIMITS}


def limits_for(audience: Audience) -> SafetyLimits:
    """The limits :func:`~mobility.validate` applies to a protocol for ``audience``.

    The same object on every call, so a grid of variants plans its checks once.

    Example:
        >>> from mobility import Audience
        >>> limits_for(Audience.OLDER_ADULTS).name
        'adults 65+'
    """
    limits = _FOR_AUDIENCE.get(audience)
    if limits is None:
        limits = _FOR_AUDIENCE[audience] = PRESETS[audience.value]()
    return limits


def _findings(protocol: Protocol, limits: SafetyLimits) -> list[Finding]:
    # One list, appended to: validate() runs for every variant of a grid, and a
    # chain of generators costs more than the checks themselves.
    found: list[Finding] = []
    _check_disclaimer(found, protocol)
    plan = _plan(limits)
    doses = tuple(exercise.dose for exercise in protocol.exercises)
    for index, dose in enumerate(doses):
        for check in plan.dose:
            check.apply(found, check.read(dose, protocol), index)
        if dose.intensity is Intensity.PAIN:
            found.append(
                _policy_finding(
                    "intensity-pain",
                    "asks for stretching into pain; stretch to tightness or slight "
                    "discomfort, never into pain",
                    index=index,
                )
            )
    for check in plan.other:
        check.apply(found, check.read(doses, protocol), 0)
    _check_steps(found, protocol, doses)
    _check_review(found, protocol, limits.review_after_days)
    if protocol.progression is not None:
        _check_programme(found, protocol, protocol.progression, doses, plan)
    return found


class _Check:
    """A rule with its limit, and the span inside which a value needs no finding.

    Most values a grid produces are inside most limits; comparing with the
    tightest bound on each side first keeps those to two comparisons.
    """

    __slots__ = (
        "found",
        "high",
        "high_inclusive",
        "limit",
        "low",
        "low_inclusive",
        "read",
        "rule",
    )

    def __init__(self, rule: Rule, limit: Limit) -> None:
        self.rule = rule
        self.read = rule.read
        self.limit = limit
        upper = _tightest((limit.typical_high, limit.maximum), upper=True)
        lower = _tightest((limit.typical_low, limit.minimum), upper=False)
        self.high = math.inf if upper is None else upper.value
        self.high_inclusive = upper is None or upper.inclusive
        self.low = -math.inf if lower is None else lower.value
        self.low_inclusive = lower is None or lower.inclusive
        # The findings of each value outside the span: a grid checks the same
        # value against the same limit in many variants, and findings cannot
        # change, so its reports share them.
        self.found: dict[tuple[object, ...], tuple[Finding, ...]] = {}

    def apply(self, found: list[Finding], value: Amount | None, index: int) -> None:
        if value is None:
            return
        low, high = _ends(value)
        if (high < self.high or (self.high_inclusive and high == self.high)) and (
            low > self.low or (self.low_inclusive and low == self.low)
        ):
            return
        # Typed: 10**20 and 1e20 are equal, but read differently in a message.
        key = (type(low), low, type(high), high, index)
        known = self.found.get(key)
        if known is None:
            new: list[Finding] = []
            _compare(new, self.rule, self.limit, low, high, index)
            known = tuple(new)
            if len(self.found) < _KEPT_FINDINGS and not _signed_zero(low, high):
                self.found[key] = known
        found += known


#: How many values' findings each check keeps; a grid has a few hundred.
_KEPT_FINDINGS: Final = 4096


def _signed_zero(low: float, high: float) -> bool:
    """Whether an end is a float zero, whose sign a message shows but a key loses."""
    return (type(low) is float and low == 0) or (type(high) is float and high == 0)


def _tightest(bounds: tuple[Bound | None, ...], *, upper: bool) -> Bound | None:
    """The bound a value meets first; of two at the same value, the exclusive one."""
    present = [bound for bound in bounds if bound is not None]
    if not present:
        return None
    sign = 1 if upper else -1
    return min(present, key=lambda bound: (sign * bound.value, bound.inclusive))


class _Plan:
    """Every rule of a SafetyLimits class paired with its limit, for one instance."""

    __slots__ = ("dose", "growing", "limits", "other")

    def __init__(self, limits: SafetyLimits) -> None:
        self.limits = limits
        rules = rules_of(type(limits))
        dose = [rule for rule in rules if rule.scope is Scope.DOSE]
        session = [rule for rule in rules if rule.scope is Scope.SESSION]
        protocol = [rule for rule in rules if rule.scope is Scope.PROTOCOL]
        self.dose = tuple(_Check(r, getattr(limits, r.limit)) for r in dose)
        self.other = tuple(
            _Check(r, getattr(limits, r.limit)) for r in (*session, *protocol)
        )
        #: The rules a progression can carry past a bound: by dose, by session.
        self.growing = (tuple(dose), tuple(session))


_last_plan: _Plan = _Plan(_DEFAULT_LIMITS)


def _plan(limits: SafetyLimits) -> _Plan:
    """The plan for these limits: kept for the last limits seen, as grids reuse one.

    The plan holds its limits, so the identity test cannot match a new object.
    """
    global _last_plan  # noqa: PLW0603 - a one-entry cache
    plan = _last_plan  # read once: another thread may replace it meanwhile
    if plan.limits is not limits:
        plan = _last_plan = _Plan(limits)
    return plan


# --------------------------------------------------------------------------------
# Policies: what is not a comparison with a number


def _policy_finding(  # noqa: PLR0913 - private; every caller names its options
    code: str,
    message: str,
    *,
    index: int | None = None,
    severity: Severity | None = None,
    source: Source | None = None,
    path: str = "",
) -> Finding:
    item: Policy = policy(code)
    chosen = severity if severity is not None else item.severity
    if chosen is None:  # pragma: no cover - a policy without a severity passes one
        msg = f"policy {code!r} needs a severity"  # pragma: no mutate
        raise AssertionError(msg)  # pragma: no mutate
    return Finding(
        code=code,
        severity=chosen,
        path=item.path.format(index=index) + path,
        message=message,
        source=source if source is not None else item.source,
    )


def _check_disclaimer(found: list[Finding], protocol: Protocol) -> None:
    disclaimer = protocol.disclaimer
    if disclaimer is None:
        found.append(
            _policy_finding(
                "disclaimer-missing",
                "has no disclaimer; a protocol must carry its safety text, a rule for "
                "when to stop, and advice on when to seek care",
            )
        )
        return
    if not disclaimer.stop_rules:
        found.append(
            _policy_finding(
                "stop-rule-missing",
                "has no stop rule; say when to stop at once (for example, if pain "
                "increases)",
            )
        )
    if not disclaimer.seek_care:
        found.append(
            _policy_finding(
                "seek-care-missing",
                "has no advice on when to seek care; say when and whom to contact",
            )
        )
    if not disclaimer.red_flags:
        found.append(
            _policy_finding(
                "red-flags-missing",
                "lists no red flags; add the signs that need medical care rather "
                "than exercise",
            )
        )
    if disclaimer.cautions is None:
        found.append(
            _policy_finding(
                "cautions-not-considered",
                "does not say who should not do these exercises or should ask "
                "first; list the cautions its sources give, or an empty list if "
                "they give none",
            )
        )


_SUGGEST: Final = {"seconds": "{hold}", "reps": "{reps} or {times}", "sets": "{sets}"}


def _check_steps(
    found: list[Finding], protocol: Protocol, doses: tuple[Dose, ...]
) -> None:
    """Report amounts a step's literal text states that its dose does not give.

    A stated amount must lie within what the dose prescribes at the start and,
    when the progression grows the dose, in the programme's last week too: a
    literal "30 seconds" is wrong once a growing hold has passed it.
    """
    final: tuple[Dose, ...] | None = None
    for index, exercise in enumerate(protocol.exercises):
        stated = _stated(exercise.steps)
        if not stated:  # the common case: every amount is a placeholder
            continue
        if final is None:
            final = _final_doses(protocol, doses)
        dose = doses[index]
        for number, field, claim in stated:
            if not agrees(claim, dose):
                what = f"the dose gives {prescribed(claim, dose)}"
            elif final is not doses and not agrees(claim, final[index]):
                what = "the progression changes the dose week by week"
            else:
                continue
            found.append(
                _policy_finding(
                    "step-contradicts-dose",
                    f'step {number + 1} says "{claim.words}", but {what}; '
                    f"write {_SUGGEST[claim.kind]} so the step follows the dose",
                    index=index,
                    path=f"[{number}].{field}",
                )
            )


Stated = tuple[tuple[int, str, "Claim"], ...]

# The steps last read and the amounts they state, as one pair. Variants of a grid
# share their base's steps, so reading them once serves every variant.
_last_stated: tuple[tuple[Step, ...], Stated] = ((), ())


def _stated(steps: tuple[Step, ...]) -> Stated:
    """Each amount the steps state in their literal text: step, field, claim."""
    global _last_stated  # noqa: PLW0603 - a one-entry cache, as _plan's
    seen, stated = _last_stated  # read once: another thread may replace it
    if steps is seen:
        return stated
    stated = tuple(
        (number, field, claim)
        for number, step in enumerate(steps)
        for field, template in (("text", step.text), ("cue", step.cue))
        if template
        for claim in claims(template)
    )
    _last_stated = (steps, stated)
    return stated


def _final_doses(protocol: Protocol, doses: tuple[Dose, ...]) -> tuple[Dose, ...]:
    """The doses of the programme's last week; ``doses`` itself if nothing grows.

    Growth without a ceiling never ends; its doses are taken where the model caps
    every amount (:data:`~mobility.model.MAX_QUANTITY`).
    """
    progression = protocol.progression
    if progression is None:
        return doses
    last = _last_step(protocol, progression, doses)
    if last == 0:
        return doses
    return _grown(progression, doses, _UNENDING if last is None else last)


_UNENDING: Final = MAX_QUANTITY  # steps enough to grow any amount to the cap


def _grown(
    progression: Progression, doses: tuple[Dose, ...], step: int
) -> tuple[Dose, ...]:
    return tuple(progression.dose_at(dose, step) for dose in doses)


def _check_review(found: list[Finding], protocol: Protocol, limit: Limit) -> None:
    if protocol.review is not None:
        return  # its timing is a rule of the table
    # Without a review point the whole programme goes unreviewed: hold its length
    # to the same limit. An open-ended programme is never reviewed at all.
    if protocol.program_weeks is None:
        unreviewed = math.inf
        what = "an open-ended programme"
    else:
        unreviewed = protocol.program_weeks * 7
        what = f"a programme of {protocol.program_weeks} weeks"
    if limit.maximum is not None and limit.maximum.above(unreviewed):
        found.append(
            _policy_finding(
                "review-missing",
                f"has no review point, and {what} would go unreviewed beyond "
                f"{fmt(limit.maximum.value)} {limit.unit}; add a review",
                severity=Severity.ERROR,
                source=limit.maximum.source,
            )
        )
    elif limit.typical_high is not None and limit.typical_high.above(unreviewed):
        found.append(
            _policy_finding(
                "review-missing",
                f"has no review point, and {what} goes unreviewed beyond the "
                f"typical {fmt(limit.typical_high.value)} {limit.unit}; "
                "consider a review",
                severity=Severity.WARNING,
                source=limit.typical_high.source,
            )
        )


# --------------------------------------------------------------------------------
# Limits: a quantity against its bounds


def _compare(  # noqa: PLR0913, PLR0917 - private; one call shape
    found: list[Finding], rule: Rule, limit: Limit, low: float, high: float, index: int
) -> None:
    """Compare a value with one limit: its high end above, its low end below.

    A hard bound that is crossed hides the typical bound on the same side: one
    finding per side at most. This runs for every rule of every variant a
    researcher checks, so it compares plain numbers and builds a message only for
    a finding.
    """
    above = _above(limit, high)
    if above is not None:
        found.append(_limit_finding(rule, limit, above, low, high, index))
    below = _below(limit, low)
    if below is not None:
        found.append(_limit_finding(rule, limit, below, low, high, index))


def _above(limit: Limit, high: float) -> str | None:
    """The name of the upper bound ``high`` crosses: the hard one first."""
    if limit.maximum is not None and limit.maximum.above(high):
        return "maximum"
    if limit.typical_high is not None and limit.typical_high.above(high):
        return "typical_high"
    return None


def _below(limit: Limit, low: float) -> str | None:
    """The name of the lower bound ``low`` crosses: the hard one first."""
    if limit.minimum is not None and limit.minimum.below(low):
        return "minimum"
    if limit.typical_low is not None and limit.typical_low.below(low):
        return "typical_low"
    return None


_CROSSED: Final = {  # bound name -> (direction, what a finding's code ends with)
    "maximum": ("above", "maximum"),
    "typical_high": ("above", "typical"),
    "minimum": ("below", "minimum"),
    "typical_low": ("below", "typical"),
}


def _limit_finding(  # noqa: PLR0913, PLR0917 - private; one call shape
    rule: Rule,
    limit: Limit,
    bound_name: str,
    low: float,
    high: float,
    index: int,
    later: tuple[int, int] | None = None,
) -> Finding:
    """A finding of a crossed bound; ``later`` is (step, week) if growth crossed it."""
    bound: Bound = getattr(limit, bound_name)
    direction, kind = _CROSSED[bound_name]
    shown = f"{fmt(round(low, 2))}"
    if high != low:
        shown += f"-{fmt(round(high, 2))}"
    week = None if later is None else later[1]
    when = "" if later is None else f" in week {week} (progression step {later[0]})"
    what = f"{limit.label} of {shown} {limit.unit}{when} is {direction} the"
    if kind == "typical":
        message = f"{what} typical range ({limit.typical})"
        severity = Severity.WARNING
    else:
        message = f"{what} {kind} of {fmt(bound.value)} {limit.unit}"
        severity = Severity.ERROR
    return Finding(
        code=f"{rule.code}-{direction}-{kind}",
        severity=severity,
        path=rule.path.format(index=index),
        message=message,
        source=bound.source,
        week=week,
    )


# --------------------------------------------------------------------------------
# The programme: every progression step, not only the first


def _check_programme(
    found: list[Finding],
    protocol: Protocol,
    progression: Progression,
    doses: tuple[Dose, ...],
    plan: _Plan,
) -> None:
    """Report the bounds that the progression carries a dose or session past.

    Every rule on a dose or a session reads a quantity that never shrinks as the
    steps go on (repetitions and holds only grow), so a bound crossed at any
    step is crossed at the last one, and the first step that crosses it is found
    by bisection. Lower bounds only matter at the start, already checked.
    """
    last = _last_step(protocol, progression, doses)
    if last is None:
        found.append(_missing_ceiling(progression, doses))
        return
    if last == 0:
        return
    every = progression.every_days
    limits = plan.limits
    dose_rules, session_rules = plan.growing
    final = tuple(progression.dose_at(dose, last) for dose in doses)
    for index, (start, end) in enumerate(zip(doses, final, strict=True)):
        if end is start:
            continue
        for rule in dose_rules:

            def read(
                step: int, rule: Rule = rule, start: Dose = start
            ) -> Amount | None:
                return rule.read(progression.dose_at(start, step), protocol)

            _check_growth(found, rule, limits, read, (last, every), index)
    if final != doses:
        for rule in session_rules:

            def read_session(step: int, rule: Rule = rule) -> Amount | None:
                stepped = tuple(progression.dose_at(dose, step) for dose in doses)
                return rule.read(stepped, protocol)

            _check_growth(found, rule, limits, read_session, (last, every), 0)


def _last_step(
    protocol: Protocol, progression: Progression, doses: tuple[Dose, ...]
) -> int | None:
    """The last step that changes anything; ``None`` if growth never ends."""
    to_ceilings = max(progression.steps_to_ceilings(dose) for dose in doses)
    if protocol.program_weeks is None:
        return None if math.isinf(to_ceilings) else int(to_ceilings)
    # Steps fall on days every_days, 2 * every_days, ... of days 0 to 7W - 1.
    in_programme = (protocol.program_weeks * 7 - 1) // progression.every_days
    return int(min(in_programme, to_ceilings))


def _missing_ceiling(progression: Progression, doses: tuple[Dose, ...]) -> Finding:
    missing = []
    if progression.reps_step and progression.reps_ceiling is None:
        missing.append("the repetitions (reps_ceiling)")
    if (
        progression.hold_step_seconds
        and progression.hold_ceiling_seconds is None
        and any(dose.hold is not None for dose in doses)
    ):
        missing.append("the hold (hold_ceiling_seconds)")
    return _policy_finding(
        "progression-ceiling-missing",
        "the programme is open-ended and its progression has no ceiling for "
        f"{' or '.join(missing)}, so the dose would grow without end; give a "
        "ceiling or a programme length",
    )


def _check_growth(  # noqa: PLR0913, PLR0917 - private; one call shape
    found: list[Finding],
    rule: Rule,
    limits: SafetyLimits,
    read: Callable[[int], Amount | None],
    steps: tuple[int, int],
    index: int,
) -> None:
    """Report an upper bound first crossed after the start, at its first step.

    ``read(step)`` gives the quantity at a step; ``steps`` is the last step and
    the days between steps.
    """
    last, every_days = steps
    start, end = read(0), read(last)
    if end is None or start is None:
        return
    limit: Limit = getattr(limits, rule.limit)
    at_start = _above(limit, _ends(start)[1])
    at_end = _above(limit, _ends(end)[1])
    # Quantities only grow, so a start past the maximum ends past it too: a
    # bound crossed at the start was reported there.
    if at_end is None or at_start == at_end:
        return
    bound: Bound = getattr(limit, at_end)

    def crossed(step: int) -> bool:
        value = read(step)
        return value is not None and bound.above(_ends(value)[1])

    step = _first_step(last, crossed)
    value = read(step)
    if value is None:  # pragma: no cover - crossed() held here, so there is one
        return
    low, high = _ends(value)
    week = step * every_days // 7 + 1
    found.append(
        _limit_finding(rule, limit, at_end, low, high, index, later=(step, week))
    )


def _first_step(last: int, crossed: Callable[[int], bool]) -> int:
    """The first step from 1 to ``last`` at which ``crossed`` holds.

    ``crossed`` must hold at ``last`` and, once it holds, at every later step.
    """
    # The steps read False until the first that crosses, then True: bisection.
    return 1 + bisect.bisect_left(range(1, last + 1), True, key=crossed)  # noqa: FBT003


def _ends(value: Amount) -> tuple[float, float]:
    """The low and high end of what a rule read."""
    if type(value) is tuple:
        return value
    if type(value) is Range:
        return value.low, value.high
    return value, value  # type: ignore[return-value]
