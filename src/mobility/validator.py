"""Check a protocol against safety limits and say precisely what is wrong.

:func:`validate` never raises for a well-formed protocol: it returns a
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
"""

from __future__ import annotations

import enum
import math

from typing import Final

import attrs

from . import evidence
from ._checks import fmt
from .errors import UnsafeProtocolError
from .limits import Bound, Limit, SafetyLimits
from .model import Intensity, Protocol, Range, Source


__all__ = ["Finding", "Report", "Severity", "validate"]

_DEFAULT_LIMITS: Final = SafetyLimits()

_INTENSITY_SOURCE: Final = Source(
    "ACSM 2021; NHS Inform",
    note="stretch to the point of tightness or slight discomfort, never into pain",
)


class Severity(enum.StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    """The protocol is unsafe or incomplete as it stands."""
    WARNING = "warning"
    """The protocol is allowed, but something is outside the typical range."""


@attrs.frozen(kw_only=True)
class Finding:
    """One thing :func:`validate` found.

    Args:
        code: A stable identifier of the rule, e.g. ``"hold-seconds-above-maximum"``.
        severity: Error or warning.
        path: Where in the protocol, as a JSON path such as
            ``"$.exercises[0].dose.hold.seconds"``.
        message: What is wrong and what the limit is, in words.
        source: The evidence for the limit that was applied.
    """

    code: str
    severity: Severity
    path: str
    message: str
    source: Source

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


@attrs.frozen
class Report:
    """The outcome of validating one protocol.

    Args:
        protocol_id: The id of the protocol that was checked.
        findings: Every finding, errors and warnings, in the order of the
            protocol's fields.
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


def validate(protocol: Protocol, limits: SafetyLimits = _DEFAULT_LIMITS) -> Report:
    """Check a protocol against safety limits.

    Args:
        protocol: The protocol to check.
        limits: The limits to apply; the adult defaults unless given.

    Returns:
        A report of every finding. It never raises for a well-formed protocol:
        call :meth:`Report.raise_if_unsafe` to turn errors into an exception.

    Raises:
        TypeError: ``protocol`` is not a :class:`~mobility.Protocol`.
    """
    if not isinstance(protocol, Protocol):  # a guard for callers without mypy
        msg = f"validate() expects a Protocol, got {type(protocol).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    return Report(protocol.id, tuple(_findings(protocol, limits)), limits)


def _findings(protocol: Protocol, limits: SafetyLimits) -> list[Finding]:
    # One list, appended to: validate() runs for every variant of a grid, and a
    # chain of generators costs more than the checks themselves.
    found: list[Finding] = []
    _check_disclaimer(found, protocol)
    for index, exercise in enumerate(protocol.exercises):
        dose = exercise.dose
        at = f"$.exercises[{index}].dose"
        if dose.hold is not None:
            _check(
                found,
                "hold-seconds",
                limits.hold_seconds,
                dose.hold.seconds,
                f"{at}.hold.seconds",
            )
        _check(found, "reps", limits.reps, dose.reps, f"{at}.reps")
        _check(found, "sets", limits.sets, dose.sets, f"{at}.sets")
        if dose.rest_seconds is not None:
            _check(
                found,
                "rest-seconds",
                limits.rest_seconds,
                dose.rest_seconds,
                f"{at}.rest_seconds",
            )
        if dose.hold is not None:
            _check(
                found,
                "stretch-seconds-per-side",
                limits.stretch_seconds_per_side,
                dose.stretch_seconds_per_side,
                at,
            )
        if dose.intensity is Intensity.PAIN:
            found.append(
                Finding(
                    code="intensity-pain",
                    severity=Severity.ERROR,
                    path=f"{at}.intensity",
                    message="asks for stretching into pain; stretch to tightness or "
                    "slight discomfort, never into pain",
                    source=_INTENSITY_SOURCE,
                )
            )
    _check(
        found,
        "session-minutes",
        limits.session_minutes,
        protocol.estimated_session_seconds * (1 / 60),
        "$.exercises",
    )
    frequency = protocol.frequency
    _check(
        found,
        "sessions-per-day",
        limits.sessions_per_day,
        frequency.sessions_per_day,
        "$.frequency.sessions_per_day",
    )
    _check(
        found,
        "days-per-week",
        limits.days_per_week,
        frequency.days_per_week,
        "$.frequency.days_per_week",
    )
    _check_review(found, protocol, limits.review_after_days)
    progression = protocol.progression
    if progression is not None:
        at = "$.progression"
        _check(
            found,
            "progression-reps-step",
            limits.progression_reps_step,
            progression.reps_step,
            f"{at}.reps_step",
        )
        _check(
            found,
            "progression-every-days",
            limits.progression_every_days,
            progression.every_days,
            f"{at}.every_days",
        )
        _check(
            found,
            "progression-hold-step-seconds",
            limits.progression_hold_step_seconds,
            progression.hold_step_seconds,
            f"{at}.hold_step_seconds",
        )
        _check(
            found,
            "progression-hold-seconds-per-week",
            limits.progression_hold_seconds_per_week,
            progression.hold_seconds_per_week,
            at,
        )
    return found


def _check_disclaimer(found: list[Finding], protocol: Protocol) -> None:
    disclaimer = protocol.disclaimer
    if disclaimer is None:
        found.append(
            _policy_error(
                "disclaimer-missing",
                "$.disclaimer",
                "has no disclaimer; a protocol must carry its safety text, a rule for "
                "when to stop, and advice on when to seek care",
            )
        )
        return
    if not disclaimer.stop_rules:
        found.append(
            _policy_error(
                "stop-rule-missing",
                "$.disclaimer.stop_rules",
                "has no stop rule; say when to stop at once (for example, if pain "
                "increases)",
            )
        )
    if not disclaimer.seek_care:
        found.append(
            _policy_error(
                "seek-care-missing",
                "$.disclaimer.seek_care",
                "has no advice on when to seek care; say when and whom to contact",
            )
        )
    if not disclaimer.red_flags:
        found.append(
            Finding(
                code="red-flags-missing",
                severity=Severity.WARNING,
                path="$.disclaimer.red_flags",
                message="lists no red flags; add the signs that need medical care "
                "rather than exercise",
                source=evidence.NICE_NG59,
            )
        )


def _policy_error(code: str, path: str, message: str) -> Finding:
    return Finding(
        code=code,
        severity=Severity.ERROR,
        path=path,
        message=message,
        source=evidence.POLICY,
    )


def _check_review(found: list[Finding], protocol: Protocol, limit: Limit) -> None:
    if protocol.review is not None:
        _check(
            found,
            "review-after-days",
            limit,
            protocol.review.after_days,
            "$.review.after_days",
        )
        return
    # Without a review point the whole programme goes unreviewed: hold its length
    # to the same limit. An open-ended programme is never reviewed at all.
    if protocol.program_weeks is None:
        unreviewed = math.inf
        what = "an open-ended programme"
    else:
        unreviewed = protocol.program_weeks * 7
        what = f"a programme of {protocol.program_weeks} weeks"
    if limit.maximum is not None and unreviewed > limit.maximum.value:
        found.append(
            Finding(
                code="review-missing",
                severity=Severity.ERROR,
                path="$.review",
                message=f"has no review point, and {what} would go unreviewed "
                f"beyond {fmt(limit.maximum.value)} {limit.unit}; add a review",
                source=limit.maximum.source,
            )
        )
    elif limit.typical_high is not None and unreviewed > limit.typical_high.value:
        found.append(
            Finding(
                code="review-missing",
                severity=Severity.WARNING,
                path="$.review",
                message=f"has no review point, and {what} goes unreviewed beyond "
                f"the typical {fmt(limit.typical_high.value)} {limit.unit}; "
                "consider a review",
                source=limit.typical_high.source,
            )
        )


def _check(
    found: list[Finding], code: str, limit: Limit, value: Range | float, path: str
) -> None:
    """Compare a value with one limit: its high end above, its low end below.

    A value on a bound is within it. A hard bound that is crossed hides the typical
    bound on the same side: one finding per side at most. This runs for every
    parameter of every variant a researcher checks, so it compares plain numbers
    and builds a message only for a finding.
    """
    if isinstance(value, Range):
        low, high = value.low, value.high
    else:
        low = high = value
    if limit.maximum is not None and high > limit.maximum.value:
        found.append(_limit_finding(code, "above", "maximum", limit, low, high, path))
    elif limit.typical_high is not None and high > limit.typical_high.value:
        found.append(_limit_finding(code, "above", "typical", limit, low, high, path))
    if limit.minimum is not None and low < limit.minimum.value:
        found.append(_limit_finding(code, "below", "minimum", limit, low, high, path))
    elif limit.typical_low is not None and low < limit.typical_low.value:
        found.append(_limit_finding(code, "below", "typical", limit, low, high, path))


_BOUND_NAMES: Final = {
    ("above", "maximum"): "maximum",
    ("above", "typical"): "typical_high",
    ("below", "minimum"): "minimum",
    ("below", "typical"): "typical_low",
}


def _limit_finding(  # noqa: PLR0913, PLR0917 - private; one call shape
    code: str,
    direction: str,
    kind: str,
    limit: Limit,
    low: float,
    high: float,
    path: str,
) -> Finding:
    bound: Bound = getattr(limit, _BOUND_NAMES[direction, kind])
    shown = f"{fmt(round(low, 2))}"
    if high != low:
        shown += f"-{fmt(round(high, 2))}"
    what = f"{limit.label} of {shown} {limit.unit} is {direction} the"
    if kind == "typical":
        message = f"{what} typical range ({limit.typical})"
        severity = Severity.WARNING
    else:
        message = f"{what} {kind} of {fmt(bound.value)} {limit.unit}"
        severity = Severity.ERROR
    return Finding(
        code=f"{code}-{direction}-{kind}",
        severity=severity,
        path=path,
        message=message,
        source=bound.source,
    )
