"""What to do next, from a protocol's own rules and a person's session records.

Each rule reads the protocol's safety text as data; :func:`advise` applies all of
them and the most urgent action wins.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math

from typing import TYPE_CHECKING, Final

import attrs

from ..errors import MobilityError, UnsafeProtocolError
from ..model import Dose, Protocol, RedFlag, Source, Urgency, replace
from ..validator import validate
from ._record import SessionRecord, Stiffness


if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..limits import SafetyLimits
    from ..text import Section


__all__ = [
    "Action",
    "Adherence",
    "Advice",
    "Reason",
    "RecordError",
    "advice_sections",
    "advise",
    "match_red_flag",
]


class Action(enum.StrEnum):
    """What a person should do next, most urgent first."""

    EMERGENCY = "emergency"
    """Call emergency services or go to an emergency department now."""
    SEE_DOCTOR_TODAY = "see-doctor-today"
    """See a doctor today."""
    STOP = "stop"
    """Stop the exercises and contact a physical therapist."""
    SEEK_CARE = "seek-care"
    """Have the stiffness assessed by a physical therapist."""
    PROGRESS = "progress"
    """Go on, with the next, larger dose."""
    CONTINUE = "continue"
    """Go on with the same dose."""

    @property
    def rank(self) -> int:
        """0 for the most urgent action, 5 for the least."""
        return _RANK[self]

    @property
    def exit_code(self) -> int:
        """The exit code of ``mobility advise``: 0, 3 or 4."""
        if self.rank <= _RANK[Action.SEE_DOCTOR_TODAY]:
            return 4
        if self.rank <= _RANK[Action.SEEK_CARE]:
            return 3
        return 0


_RANK: Final = {action: rank for rank, action in enumerate(Action)}

_FOR_URGENCY: Final = {
    Urgency.EMERGENCY: Action.EMERGENCY,
    Urgency.URGENT: Action.SEE_DOCTOR_TODAY,
}


class RecordError(MobilityError, ValueError):
    """Records that cannot be advised on.

    A record of another protocol, a red flag the protocol does not list, or a
    session after the day the advice is for.
    """


@attrs.frozen(kw_only=True)
class Reason:
    """One rule that applies, and the protocol's own words it comes from.

    Args:
        code: A stable identifier of the rule, such as ``"pain-increased"``.
        action: What the rule asks for.
        message: What was found, in words, with the date.
        rule: The protocol's own words for what to do: its stop rule, its advice
            on seeking care, its review action, a red flag, or its progression.
        source: Where the rule comes from, when the protocol says.
        red_flag: The red flag reported, for a red-flag reason.
        on: The day of the first record the rule applies to; ``None`` for a rule
            about the log as a whole.
    """

    code: str
    action: Action
    message: str
    rule: str
    source: Source | None = None
    red_flag: RedFlag | None = None
    on: dt.date | None = None


@attrs.frozen
class Adherence:
    """Sessions done against sessions planned since the first record.

    Args:
        done: Sessions done from the first record's day to the day advised on.
        planned: Sessions the protocol's frequency plans over those days:
            ``ceil(days x days_per_week / 7) x sessions_per_day``, counting both
            the first day and the last.
    """

    done: int
    planned: int

    @property
    def ratio(self) -> float | None:
        """``done / planned``, or ``None`` when nothing is planned yet."""
        return self.done / self.planned if self.planned else None


@attrs.frozen(kw_only=True)
class Advice:
    """What :func:`advise` says.

    Args:
        protocol_id: The protocol advised on.
        today: The day the advice is for.
        action: The most urgent action of every rule that applies.
        reasons: Every rule that applies, most urgent first; empty when nothing
            is to be reported and the action is ``continue``.
        adherence: Sessions done against sessions planned.
        step: The progression step the records have earned (0 without a
            progression).
        next_dose: With ``progress``: the dose of each exercise from now on, in
            the protocol's order. Absolute, not an increment, so reading the same
            advice twice does not add twice. ``None`` otherwise.
    """

    protocol_id: str
    today: dt.date
    action: Action
    reasons: tuple[Reason, ...]
    adherence: Adherence
    step: int = 0
    next_dose: tuple[Dose, ...] | None = None


def match_red_flag(protocol: Protocol, text: str) -> RedFlag:
    """The protocol's red flag that ``text`` names.

    ``text`` is the red flag's own words (case and surrounding space aside), or
    its number in the protocol's list, counting from 1.

    Raises:
        RecordError: ``text`` names none of the protocol's red flags; the message
            lists them.
    """
    flags = protocol.disclaimer.red_flags if protocol.disclaimer is not None else ()
    wanted = " ".join(text.split()).casefold()
    for flag in flags:
        if " ".join(flag.text.split()).casefold() == wanted:
            return flag
    if wanted.isdigit() and wanted.isascii() and 1 <= int(wanted) <= len(flags):
        return flags[int(wanted) - 1]
    listed = "; ".join(f"{n}. {flag.text}" for n, flag in enumerate(flags, 1))
    msg = f"{text!r} is not one of the red flags of {protocol.id}: {listed}"
    raise RecordError(msg)


def advise(
    protocol: Protocol,
    records: Iterable[SessionRecord],
    *,
    today: dt.date,
    limits: SafetyLimits | None = None,
) -> Advice:
    """Say what to do next, from the protocol's own rules and the records.

    The rules, most urgent first (the most urgent that applies wins):

    1. A reported red flag: its urgency, ``emergency`` or ``see-doctor-today``.
    2. Pain after a session higher than before it: ``stop``.
    3. Stiffness ``worse`` in any record, or ``same`` on or after the review
       day (the first record's day plus the protocol's review days): ``seek-care``.
    4. With a progression, when a step is due (one every ``every_days`` days
       from the first record), the last interval's sessions were all done
       (at least one, none skipped), and the grown dose passes
       :func:`~mobility.validate` under the same limits: ``progress``.
    5. Otherwise ``continue``.

    Every record counts, however old: advice never moves away from care on its
    own. Once a clinician has cleared someone, advise on the records since then.

    Args:
        protocol: The protocol; it must pass :func:`~mobility.validate`.
        records: Its session records, in any order.
        today: The day to advise for, in the person's time zone.
        limits: The limits for the protocol and any grown dose; the preset for
            the protocol's audience when ``None``.

    Raises:
        UnsafeProtocolError: The protocol does not pass validation.
        RecordError: A record of another protocol, a red flag the protocol does
            not list, or a session after ``today``.
    """
    report = validate(protocol, limits)
    report.raise_if_unsafe()
    disclaimer = protocol.disclaimer
    if disclaimer is None:  # pragma: no cover - validate refuses it
        raise UnsafeProtocolError(report)
    ordered = _in_order(protocol, records, today)
    reasons: list[Reason] = []
    _red_flags(reasons, protocol, ordered)
    _pain(reasons, protocol, ordered)
    _stiffness(reasons, protocol, ordered)
    step, next_dose = _progression(reasons, protocol, ordered, today, report.limits)
    reasons.sort(key=lambda reason: reason.action.rank)  # stable: rule order kept
    action = reasons[0].action if reasons else Action.CONTINUE
    return Advice(
        protocol_id=protocol.id,
        today=today,
        action=action,
        reasons=tuple(reasons),
        adherence=_adherence(protocol, ordered, today),
        step=step,
        next_dose=next_dose if action is Action.PROGRESS else None,
    )


def _in_order(
    protocol: Protocol, records: Iterable[SessionRecord], today: dt.date
) -> list[SessionRecord]:
    """The records by time; records at the same moment in a fixed order too."""
    kept = list(records)
    for record in kept:
        if not isinstance(record, SessionRecord):
            msg = f"expected SessionRecord objects, got {type(record).__name__}"  # type: ignore[unreachable]
            raise TypeError(msg)
        if record.protocol_id != protocol.id:
            msg = (
                f"a record of {record.protocol_id} ({record.at.isoformat()}) "
                f"cannot be advised on with {protocol.id}"
            )
            raise RecordError(msg)
        if record.day > today:
            msg = (
                f"the session at {record.at.isoformat()} is after {today.isoformat()}, "
                "the day advised on"
            )
            raise RecordError(msg)
    return sorted(kept, key=_order)


def _order(record: SessionRecord) -> tuple[dt.datetime, str]:
    # The moment first; for a tie, the record's content, so any order of the
    # same records gives the same list.
    content = json.dumps(
        [
            record.at.isoformat(),
            record.done,
            record.pain_before,
            record.pain_after,
            record.stiffness,
            record.red_flags,
            record.note,
        ]
    )
    return record.at, content


def _red_flags(
    reasons: list[Reason], protocol: Protocol, records: Sequence[SessionRecord]
) -> None:
    first: dict[RedFlag, tuple[SessionRecord, int]] = {}
    for record in records:
        for text in record.red_flags:
            flag = match_red_flag(protocol, text)
            seen, count = first.get(flag, (record, 0))
            first[flag] = (seen, count + 1)
    for flag, (record, count) in first.items():
        action = _FOR_URGENCY[flag.urgency]
        reasons.append(
            Reason(
                code="red-flag",
                action=action,
                message=f"red flag reported on {_day(record)}{_times(count)}: "
                f"{flag.text}",
                rule=flag.text,
                source=flag.source,
                red_flag=flag,
                on=record.day,
            )
        )


def _pain(
    reasons: list[Reason], protocol: Protocol, records: Sequence[SessionRecord]
) -> None:
    rising = [record for record in records if record.pain_increased]
    if not rising:
        return
    record = rising[0]
    disclaimer = protocol.disclaimer
    assert disclaimer is not None  # noqa: S101 - advise() checked
    reasons.append(
        Reason(
            code="pain-increased",
            action=Action.STOP,
            message=f"pain rose from {record.pain_before} to {record.pain_after} "
            f"(0-10) in the session on {_day(record)}{_times(len(rising))}",
            rule=disclaimer.stop_rules[0],
            source=disclaimer.source,
            on=record.day,
        )
    )


def _stiffness(
    reasons: list[Reason], protocol: Protocol, records: Sequence[SessionRecord]
) -> None:
    disclaimer = protocol.disclaimer
    assert disclaimer is not None  # noqa: S101 - advise() checked
    review = protocol.review
    rule = review.action if review is not None else disclaimer.seek_care[0]
    source = review.source if review is not None else disclaimer.source
    worse = [r for r in records if r.stiffness is Stiffness.WORSE]
    if worse:
        reasons.append(
            Reason(
                code="stiffness-worse",
                action=Action.SEEK_CARE,
                message=f"stiffness reported worse on {_day(worse[0])}"
                f"{_times(len(worse))}",
                rule=rule,
                source=source,
                on=worse[0].day,
            )
        )
    if review is None or not records:
        return
    due = records[0].day + dt.timedelta(days=review.after_days)
    same = [r for r in records if r.stiffness is Stiffness.SAME and r.day >= due]
    if same:
        reasons.append(
            Reason(
                code="stiffness-unchanged-at-review",
                action=Action.SEEK_CARE,
                message=f"stiffness reported the same on {_day(same[0])}"
                f"{_times(len(same))}, on or after the review day "
                f"{due.isoformat()} ({review.after_days} days from the first "
                "record)",
                rule=rule,
                source=source,
                on=same[0].day,
            )
        )


def _progression(
    reasons: list[Reason],
    protocol: Protocol,
    records: Sequence[SessionRecord],
    today: dt.date,
    limits: SafetyLimits,
) -> tuple[int, tuple[Dose, ...] | None]:
    """The step the records have earned, and the doses of it when it is new."""
    progression = protocol.progression
    if progression is None or not records:
        return 0, None
    start = records[0].day
    every = progression.every_days
    intervals = (today - start).days // every  # completed since the first record
    doses = tuple(exercise.dose for exercise in protocol.exercises)
    ceiling = max(progression.steps_to_ceilings(dose) for dose in doses)
    if protocol.program_weeks is not None:  # steps fall inside the programme
        ceiling = min(ceiling, math.ceil(protocol.program_weeks * 7 / every) - 1)
    earned = [_earned(records, start, every, i) for i in range(intervals)]
    step = int(min(sum(earned), ceiling))
    previous = int(min(sum(earned[:-1]), ceiling))  # before the last interval
    rule = progression.description or "the protocol's progression rule"

    def reason(code: str, action: Action, message: str) -> Reason:
        return Reason(
            code=code,
            action=action,
            message=message,
            rule=rule,
            source=progression.source,
        )

    if intervals == 0:
        due = start + dt.timedelta(days=every)
        message = f"the first progression step is due on {due.isoformat()}"
        reasons.append(reason("step-not-due", Action.CONTINUE, message))
        return step, None
    if not earned[-1]:
        message = (
            f"the last {every} days had a skipped session or none done, so the "
            "dose stays"
        )
        reasons.append(reason("step-not-earned", Action.CONTINUE, message))
        return step, None
    grown = tuple(progression.dose_at(dose, step) for dose in doses)
    if step == previous or grown == tuple(
        progression.dose_at(d, previous) for d in doses
    ):
        message = "the dose is at the progression's ceiling or the programme's end"
        reasons.append(reason("at-ceiling", Action.CONTINUE, message))
        return step, None
    exercises = tuple(
        replace(exercise, dose=dose)
        for exercise, dose in zip(protocol.exercises, grown, strict=True)
    )
    grown_report = validate(
        replace(protocol, exercises=exercises, progression=None), limits
    )
    if not grown_report.ok:
        codes = ", ".join(sorted({f.code for f in grown_report.errors}))
        message = (
            f"the next dose would not pass validation ({codes}), so the dose stays"
        )
        reasons.append(reason("step-unsafe", Action.CONTINUE, message))
        return previous, None
    message = (
        f"step {step} is due and the last {every} days' sessions were all done "
        "without a rise in pain"
    )
    reasons.append(reason("step-earned", Action.PROGRESS, message))
    return step, grown


def _earned(
    records: Sequence[SessionRecord], start: dt.date, every: int, interval: int
) -> bool:
    """Whether interval ``interval`` had a session done, none skipped, no pain rise."""
    first = start + dt.timedelta(days=interval * every)
    last = first + dt.timedelta(days=every)
    inside = [r for r in records if first <= r.day < last]
    return bool(inside) and all(r.done and not r.pain_increased for r in inside)


def _adherence(
    protocol: Protocol, records: Sequence[SessionRecord], today: dt.date
) -> Adherence:
    if not records:
        return Adherence(0, 0)
    days = (today - records[0].day).days + 1
    frequency = protocol.frequency
    planned = math.ceil(days * frequency.days_per_week / 7)
    return Adherence(
        sum(1 for r in records if r.done), planned * frequency.sessions_per_day
    )


def _day(record: SessionRecord) -> str:
    return record.day.isoformat()


def _times(count: int) -> str:
    return "" if count == 1 else f" (and {count - 1} more time{'s' * (count > 2)})"


_NEEDS: Final = {
    Urgency.EMERGENCY: "emergency care now",
    Urgency.URGENT: "a doctor the same day",
}


def _explained(reason: Reason) -> str:
    if reason.red_flag is not None:
        needs = _NEEDS[reason.red_flag.urgency]
        return f"{reason.message}. The protocol lists it as a sign that needs {needs}."
    return f"{reason.message}. The protocol says: {reason.rule}"


_HEADLINE: Final = {
    Action.EMERGENCY: "EMERGENCY: call emergency services or go to an emergency "
    "department now.",
    Action.SEE_DOCTOR_TODAY: "SEE A DOCTOR TODAY.",
    Action.STOP: "STOP the exercises and contact your physical therapist.",
    Action.SEEK_CARE: "SEEK CARE: have your stiffness assessed by a physical "
    "therapist.",
    Action.PROGRESS: "PROGRESS: go on, with the larger dose below.",
    Action.CONTINUE: "CONTINUE with the same dose.",
}


def advice_sections(protocol: Protocol, advice: Advice) -> tuple[Section, ...]:
    """The advice as a person reads it, the protocol's safety text included.

    The same sections :mod:`mobility.text` writes as plain text or Markdown.
    """
    from ..text import (  # noqa: PLC0415 - the text module is only for output
        Items,
        Paragraph,
        Part,
        Section,
        describe_dose,
        safety_section,
    )

    title = f"Advice for {protocol.name} ({protocol.id}), {advice.today.isoformat()}"
    blocks: list[Paragraph | Items] = [Paragraph(_HEADLINE[advice.action])]
    if advice.reasons:
        blocks.append(Items([_explained(reason) for reason in advice.reasons], "Why"))
    else:
        blocks.append(Paragraph("No session has been recorded yet.", "Why"))
    if advice.next_dose is not None:
        blocks.append(
            Items(
                [
                    f"{exercise.name}: {describe_dose(dose)}"
                    for exercise, dose in zip(
                        protocol.exercises, advice.next_dose, strict=True
                    )
                ],
                f"The dose from now on (progression step {advice.step})",
            )
        )
    adherence = advice.adherence
    if adherence.ratio is not None:
        blocks.append(
            Paragraph(
                f"{adherence.done} of {adherence.planned} planned sessions done "
                f"({adherence.ratio:.0%}).",
                "Sessions",
            )
        )
    return (
        Section(Part.TITLE, title, ()),
        Section(Part.ADVICE, None, blocks),
        safety_section(protocol.disclaimer),
    )
