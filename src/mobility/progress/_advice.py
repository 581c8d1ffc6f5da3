"""What to do next, from a protocol's own rules and a person's session records.

Each rule reads the protocol's safety text, or a sourced table (the pain zones in
:mod:`mobility.progress._pain`), as data; :func:`advise` applies all of them and
the most urgent action wins.
"""

from __future__ import annotations

import collections
import datetime as dt
import enum
import math
import re
import unicodedata

from typing import TYPE_CHECKING, Final

import attrs

from ..errors import RecordError, UnsafeProtocolError
from ..formats.json import register_kind
from ..model import Disclaimer, Dose, Protocol, RedFlag, Source, Urgency, replace
from ..safety.validator import validate
from ._pain import PAIN_ZONES, TREND, pain_zone
from ._record import SessionRecord, Stiffness


if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..formats.text import Section
    from ..safety.limits import SafetyLimits


__all__ = [
    "Action",
    "Adherence",
    "Advice",
    "Reason",
    "RecordError",
    "advice_sections",
    "advise",
    "match_red_flag",
    "recorded_red_flag",
]


class Action(enum.StrEnum):
    """What a person should do next, most urgent first."""

    EMERGENCY = "emergency"
    """Call emergency services or go to an emergency department now."""
    SEE_DOCTOR_TODAY = "see-doctor-today"
    """See a doctor today."""
    STOP = "stop"
    """Stop the exercises and do as the protocol's stop rule says."""
    SEEK_CARE = "seek-care"
    """Have it assessed, by whom the protocol's advice on seeking care names."""
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

#: Where the rule for a sign the protocol does not list comes from.
UNLISTED_POLICY: Final = Source(
    "mobility advice policy: a symptom a person reports is never refused or "
    "dropped; one that matches none of the protocol's red flags is treated as "
    "needing a doctor the same day",
    inferred=True,
)

#: Where the "every planned session, one step at a time" reading comes from.
PROGRESSION_POLICY: Final = Source(
    "mobility advice policy, reading NHS Inform's 'if comfortable': a step needs "
    "every planned session since the last step done, rated in the green zone, and "
    "the dose grows one step past the step done",
    inferred=True,
)


@attrs.frozen(kw_only=True)
class Reason:
    """One rule that applies, and the protocol's own words it comes from.

    Args:
        code: A stable identifier of the rule, such as ``"pain-increased"``.
        action: What the rule asks for.
        message: What was found, in words, with the date.
        rule: The protocol's own words for what to do: its stop rule, its advice
            on seeking care, its review action, a red flag, or its progression.
        source: Where the rule comes from, when known.
        red_flag: The listed red flag reported, for a red-flag reason.
        reported: The words the person used, for a red-flag reason.
        on: The day of the first record the rule applies to; ``None`` for a rule
            about the log as a whole.
    """

    code: str
    action: Action
    message: str
    rule: str
    source: Source | None = None
    red_flag: RedFlag | None = None
    reported: str | None = None
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
        step: The progression step to do from now on: the step of the latest
            session done that says one (0 when none does), and one more with
            ``progress``. Always 0 without a progression.
        next_dose: With ``progress``: the dose of each exercise from now on, in
            the protocol's order. Absolute, not an increment, so reading the same
            advice twice does not add twice. ``None`` otherwise.
        disclaimer: The protocol's safety text, so that the advice carries it
            wherever it goes, as every other form of a protocol does.
    """

    protocol_id: str
    today: dt.date
    action: Action
    reasons: tuple[Reason, ...]
    adherence: Adherence
    step: int = 0
    next_dose: tuple[Dose, ...] | None = None
    disclaimer: Disclaimer | None = None


register_kind(Advice, "advice", enums=(Action,))


# --------------------------------------------------------------------------------
# Red flags in a person's own words

# Words that carry no symptom; a report is compared on the others.
_FILLER: Final = frozenset(
    (
        *("a", "an", "and", "am", "any", "are", "at", "be", "been", "but"),
        *("feel", "feeling", "got", "have", "has", "i", "im", "is", "it", "its"),
        *("me", "my", "of", "or", "some", "the", "to", "was", "with"),
    )
)
_WORD: Final = re.compile(r"\d+|[^\W\d_]+")
_NUMBER: Final = re.compile(r"(?:no\.?|number|#)?\s*(\d{1,4})\s*[.)]?")


def _words(text: str) -> tuple[str, ...]:
    """The words of ``text``, case and accents folded, numbers split from units."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return tuple(_WORD.findall(folded))


# Endings taken off before words are compared, longest first, so that "loss"
# and "losing", or "leg" and "legs", are one word.
_ENDINGS: Final = ("ness", "ing", "es", "ed", "s")


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word.removesuffix(ending)
    return word


def _listed(protocol: Protocol) -> tuple[RedFlag, ...]:
    return protocol.disclaimer.red_flags if protocol.disclaimer is not None else ()


def _exact(flags: Sequence[RedFlag], text: str) -> RedFlag | None:
    """The flag ``text`` names by its number or all its words, else ``None``."""
    number = _NUMBER.fullmatch(unicodedata.normalize("NFKC", text).strip().casefold())
    if number is not None:
        index = int(number.group(1))
        return flags[index - 1] if 1 <= index <= len(flags) else None
    words = _words(text)
    return next((flag for flag in flags if _words(flag.text) == words), None)


def _stems(text: str) -> set[str]:
    return {_stem(word) for word in _words(text) if word not in _FILLER}


def _names(wanted: set[str], flag: RedFlag) -> bool:
    """Whether the words of a report all belong to ``flag``, sign and framing.

    A report must name something of the sign itself: "back pain" is the framing
    of every sign of a back-pain list, and names none of them.
    """
    sign = _stems(flag.text)
    if flag.context is None:
        return wanted <= sign
    framing = _stems(flag.context)
    return wanted <= sign | framing and not wanted <= framing


def match_red_flag(protocol: Protocol, text: str) -> RedFlag | None:
    """The protocol's red flag that a person's report names, or ``None``.

    Matching forgives what a person typing in a hurry gets wrong:

    - case, accents, punctuation and spacing (``"CHEST-PAIN!"``);
    - a red flag's number in the protocol's list, from 1 (``"3"``, ``"#3"``);
    - words left out: a report of two or more words that all appear in one
      listed red flag names it (``"loss of bladder control"``). When several
      match, the most urgent is taken, and of those the one whose own words
      hold the whole report.
    - the framing: a :class:`~mobility.RedFlag`'s ``context`` ("back pain")
      counts among its words (``"back pain and chest pain"``), but a report of
      the framing alone (``"back pain"``) names no sign.

    A report that names none returns ``None``; :func:`advise` still acts on it,
    as needing a doctor the same day.

    Example:
        >>> from mobility import catalog
        >>> protocol = catalog.get("lower-trunk-rotation")
        >>> match_red_flag(protocol, "loss of bladder control").urgency
        <Urgency.EMERGENCY: 'emergency'>
        >>> match_red_flag(protocol, "my knee clicks") is None
        True
    """
    flags = _listed(protocol)
    found = _exact(flags, text)
    if found is not None:
        return found
    wanted = _stems(text)
    if len(wanted) < 2:  # one word ("numbness") does not say which sign
        return None
    matches = [flag for flag in flags if _names(wanted, flag)]
    if not matches:
        return None
    # The most urgent wins; between equals, the flag whose own sign holds every
    # word ("pain in both legs" is the sign about pain, not the one about
    # weakness that "back pain" frames).
    return min(
        matches,
        key=lambda flag: (
            _RANK[_FOR_URGENCY[flag.urgency]],
            not wanted <= _stems(flag.text),
        ),
    )


def recorded_red_flag(protocol: Protocol, text: str) -> str:
    """The words to record for a reported sign.

    The listed red flag's own words when ``text`` names it by its number or by
    all its words (so that a number keeps its meaning if the list changes);
    otherwise ``text`` as reported, so nothing the person said is lost.

    Example:
        >>> from mobility import catalog
        >>> protocol = catalog.get("lower-trunk-rotation")
        >>> recorded_red_flag(protocol, "  chest PAIN ")
        'Chest pain'
        >>> recorded_red_flag(protocol, "my knee clicks")
        'my knee clicks'
    """
    found = _exact(_listed(protocol), text)
    return found.text if found is not None else text


# --------------------------------------------------------------------------------
# The advice


def advise(
    protocol: Protocol,
    records: Iterable[SessionRecord],
    *,
    today: dt.date,
    limits: SafetyLimits | None = None,
) -> Advice:
    """Say what to do next, from the protocol's own rules and the records.

    The rules, most urgent first (the most urgent that applies wins; docs page
    "Tracking progress" gives each rule's source):

    1. A reported red flag: its urgency, ``emergency`` or ``see-doctor-today``;
       a sign the protocol does not list: ``see-doctor-today``.
    2. Pain after a session higher than before it, or pain in the red zone
       (above 5 of 10) before or after any session: ``stop``.
    3. Pain before sessions rising by 2 points or more within a week, out of
       the green zone; stiffness ``worse`` in any record, or ``same`` on or
       after the review day (the first record's day plus the protocol's review
       days): ``seek-care``.
    4. With a progression: every session planned since the current step began
       done (none skipped), each rated in the green zone (0-2), at least
       ``every_days`` days at that step, and the next step's dose passes
       :func:`~mobility.validate` under the same limits: ``progress``, one step
       past the step of the latest session done.
    5. Otherwise ``continue``.

    Every record counts, however old: advice never moves away from care on its
    own. Once a clinician has cleared someone, advise on the records since then.
    Records dated after ``today`` are reported; their red flags, pain and
    stiffness still count, and they count for nothing else.

    Args:
        protocol: The protocol; it must pass :func:`~mobility.validate`.
        records: Its session records, in any order.
        today: The day to advise for, in the person's time zone.
        limits: The limits for the protocol and any grown dose; the preset for
            the protocol's audience when ``None``.

    Raises:
        UnsafeProtocolError: The protocol does not pass validation.
        RecordError: A record of another protocol.
    """
    report = validate(protocol, limits)
    report.raise_if_unsafe()
    if protocol.disclaimer is None:  # pragma: no cover - validate refuses it
        raise UnsafeProtocolError(report)
    ordered = _in_order(protocol, records)
    past = [record for record in ordered if record.day <= today]
    reasons: list[Reason] = []
    _red_flags(reasons, protocol, ordered)
    _pain(reasons, protocol, ordered)
    _stiffness(reasons, protocol, ordered)
    # By local date, not by moment: across time zones the later ones need not
    # come last.
    _later(reasons, [record for record in ordered if record.day > today], today)
    step, next_dose = _progression(reasons, protocol, past, today, report.limits)
    reasons.sort(key=lambda reason: reason.action.rank)  # stable: rule order kept
    action = reasons[0].action if reasons else Action.CONTINUE
    if action is not Action.PROGRESS:
        next_dose = None
        step = _step_done(past) if protocol.progression is not None else 0
    return Advice(
        protocol_id=protocol.id,
        today=today,
        action=action,
        reasons=tuple(reasons),
        adherence=_adherence(protocol, past, today),
        step=step,
        next_dose=next_dose,
        disclaimer=protocol.disclaimer,
    )


def _in_order(
    protocol: Protocol, records: Iterable[SessionRecord]
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
    return sorted(kept, key=_order)


def _order(record: SessionRecord) -> tuple[object, ...]:
    # The moment first; for a tie, the record's content, so any order of the
    # same records gives the same list. None sorts before any value.
    return (
        record.at,
        record.done,
        _nullable(record.pain_before),
        _nullable(record.pain_after),
        _nullable(record.stiffness),
        record.red_flags,
        _nullable(record.note),
        _nullable(record.step),
    )


def _nullable(value: object) -> tuple[bool, object]:
    return (False, "") if value is None else (True, value)


def _red_flags(
    reasons: list[Reason], protocol: Protocol, records: Sequence[SessionRecord]
) -> None:
    listed = _listed(protocol)
    numbered = "; ".join(f"{n}. {flag.text}" for n, flag in enumerate(listed, 1))
    # Each sign once, dated from its first report, with a count.
    first: dict[object, tuple[SessionRecord, str, RedFlag | None]] = {}
    counts: collections.Counter[object] = collections.Counter()
    for record in records:
        for text in record.red_flags:
            flag = match_red_flag(protocol, text)
            key: object = flag if flag is not None else _words(text) or text
            first.setdefault(key, (record, text, flag))
            counts[key] += 1
    for key, (record, text, flag) in first.items():
        count = counts[key]
        if flag is None:
            reasons.append(
                Reason(
                    code="red-flag-unlisted",
                    action=Action.SEE_DOCTOR_TODAY,
                    message=f"a sign the protocol does not list was reported on "
                    f"{_day(record)}{_times(count)}: {text!r}",
                    rule="Compare it with the protocol's red flags, and see a "
                    f"doctor today: {numbered or 'the protocol lists none'}",
                    source=UNLISTED_POLICY,
                    reported=text,
                    on=record.day,
                )
            )
            continue
        read_as = "" if text == flag.text else f" (reported as {text!r})"
        reasons.append(
            Reason(
                code="red-flag",
                action=_FOR_URGENCY[flag.urgency],
                message=f"red flag reported on {_day(record)}{_times(count)}: "
                f"{flag.text}{read_as}",
                rule=flag.text,
                source=flag.source,
                red_flag=flag,
                reported=text,
                on=record.day,
            )
        )


def _stop_rule(protocol: Protocol) -> tuple[str, Source | None]:
    disclaimer = protocol.disclaimer
    assert disclaimer is not None  # noqa: S101 - advise() checked
    return " ".join(disclaimer.stop_rules), disclaimer.source


def _pain(
    reasons: list[Reason], protocol: Protocol, records: Sequence[SessionRecord]
) -> None:
    rule, source = _stop_rule(protocol)
    rising = [record for record in records if record.pain_increased]
    if rising:
        record = rising[0]
        reasons.append(
            Reason(
                code="pain-increased",
                action=Action.STOP,
                message=f"pain rose from {record.pain_before} to {record.pain_after} "
                f"(0-10) in the session on {_day(record)}{_times(len(rising))}",
                rule=rule,
                source=source,
                on=record.day,
            )
        )
    red = next(zone for zone in PAIN_ZONES if zone.stops)
    severe = [record for record in records if _highest(record) >= red.low]
    if severe:
        record = severe[0]
        reasons.append(
            Reason(
                code="pain-red-zone",
                action=Action.STOP,
                message=f"pain of {_highest(record)} (0-10) {_when(record)} on "
                f"{_day(record)}{_times(len(severe))}: the red zone, above "
                f"{red.low - 1}",
                rule=rule,
                source=red.source,
                on=record.day,
            )
        )
    _trend(reasons, protocol, records)


def _highest(record: SessionRecord) -> int:
    """The higher of the two ratings of a record; -1 when neither was rated."""
    return max(
        -1 if record.pain_before is None else record.pain_before,
        -1 if record.pain_after is None else record.pain_after,
    )


def _when(record: SessionRecord) -> str:
    if record.pain_after is not None and record.pain_after == _highest(record):
        return "after the session"
    return "before the session"


def _trend(
    reasons: list[Reason], protocol: Protocol, records: Sequence[SessionRecord]
) -> None:
    """Pain before sessions rising by ``TREND.points`` within ``TREND.days`` days.

    A rise counts when it ends outside the green zone, where the model lets a
    dose grow (0 to 2 is still green). Each rating is compared with the lowest
    rating before a session on the days before it, up to ``TREND.days`` back:
    one pass over the days, with the window's lowest kept in a monotonic queue.
    """
    by_day: dict[dt.date, list[SessionRecord]] = {}
    for record in records:
        if record.pain_before is not None:
            by_day.setdefault(record.day, []).append(record)
    lowest = {
        day: min(r.pain_before or 0 for r in rated) for day, rated in by_day.items()
    }
    window: collections.deque[dt.date] = collections.deque()  # lowest first
    hits: list[tuple[SessionRecord, dt.date]] = []
    for day in sorted(by_day):
        while window and (day - window[0]).days > TREND.days:
            window.popleft()
        if window:
            base = window[0]
            hits += (
                (record, base)
                for record in by_day[day]
                if (record.pain_before or 0) >= lowest[base] + TREND.points
                and not pain_zone(record.pain_before or 0).may_grow
            )
        while window and lowest[window[-1]] >= lowest[day]:
            window.pop()
        window.append(day)
    if not hits:
        return
    record, base = hits[0]
    reasons.append(
        Reason(
            code="pain-rising",
            action=Action.SEEK_CARE,
            message=f"pain before sessions rose from {lowest[base]} on "
            f"{base.isoformat()} to {record.pain_before} on {_day(record)}"
            f"{_times(len(hits))}: {TREND.points} points or more within "
            f"{TREND.days} days is getting worse",
            rule=_seek_care(protocol),
            source=TREND.source,
            on=record.day,
        )
    )


def _seek_care(protocol: Protocol) -> str:
    disclaimer = protocol.disclaimer
    assert disclaimer is not None  # noqa: S101 - advise() checked
    return " ".join(disclaimer.seek_care)


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


def _later(
    reasons: list[Reason], later: Sequence[SessionRecord], today: dt.date
) -> None:
    """Records dated after the day advised on: a mistake to correct, not a crash."""
    if not later:
        return
    days = sorted({record.day for record in later})
    shown = ", ".join(day.isoformat() for day in days[:3])
    if len(days) > 3:
        shown += f" and {len(days) - 3} more day(s)"
    reasons.append(
        Reason(
            code="records-after-today",
            action=Action.CONTINUE,
            message=f"{len(later)} record(s) dated after {today.isoformat()} "
            f"({shown}); their signs, pain and stiffness were read, and nothing else",
            rule="Correct the dates of these records if they are mistakes.",
            on=days[0],
        )
    )


# --------------------------------------------------------------------------------
# Progression


def _step_done(records: Sequence[SessionRecord]) -> int:
    """The step of the latest session done that says one; 0 when none does."""
    for record in reversed(records):
        if record.done and record.step is not None:
            return record.step
    return 0


def _step_start(records: Sequence[SessionRecord], step: int) -> dt.date | None:
    """The day the current step began.

    The first of the latest run of sessions done at ``step``; the first
    record's day when no session says a step.
    """
    if not records:
        return None
    start: dt.date | None = None
    for record in reversed(records):
        if not record.done or record.step is None:
            continue
        if record.step != step:
            break
        start = record.day
    return start if start is not None else records[0].day


def _progression(
    reasons: list[Reason],
    protocol: Protocol,
    records: Sequence[SessionRecord],
    today: dt.date,
    limits: SafetyLimits,
) -> tuple[int, tuple[Dose, ...] | None]:
    """The step to advise and its doses, when a step is earned."""
    progression = protocol.progression
    if progression is None or not records:
        return 0, None
    done_step = _step_done(records)
    held = _held(protocol, records, today, done_step)
    if isinstance(held, Reason):
        reasons.append(held)
        return done_step, None
    step = done_step + 1
    grown = tuple(
        progression.dose_at(exercise.dose, step) for exercise in protocol.exercises
    )
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
        reasons.append(_step_reason(protocol, "step-unsafe", message))
        return done_step, None
    message = f"{held}, so step {step} is earned, one step past the dose done"
    reasons.append(_step_reason(protocol, "step-earned", message, Action.PROGRESS))
    return step, grown


def _step_reason(  # noqa: PLR0913 - the reason's fields, most defaulted
    protocol: Protocol,
    code: str,
    message: str,
    action: Action = Action.CONTINUE,
    *,
    source: Source | None = None,
    on: dt.date | None = None,
) -> Reason:
    progression = protocol.progression
    assert progression is not None  # noqa: S101 - only called with one
    return Reason(
        code=code,
        action=action,
        message=message,
        rule=progression.description or "the protocol's progression rule",
        source=source or progression.source or PROGRESSION_POLICY,
        on=on,
    )


def _ceiling(protocol: Protocol) -> float:
    """The last step there is: the ceilings', or the programme's end."""
    progression = protocol.progression
    assert progression is not None  # noqa: S101 - only called with one
    ceiling = max(progression.steps_to_ceilings(e.dose) for e in protocol.exercises)
    if protocol.program_weeks is not None:  # steps fall inside the programme
        weeks = protocol.program_weeks
        ceiling = min(ceiling, math.ceil(weeks * 7 / progression.every_days) - 1)
    return ceiling


def _held(
    protocol: Protocol,
    records: Sequence[SessionRecord],
    today: dt.date,
    done_step: int,
) -> Reason | str:
    """Why the dose stays, as a reason; or, when a step is earned, why in words."""
    if done_step >= _ceiling(protocol):
        message = (
            f"the dose done (step {done_step}) is at the progression's ceiling or "
            "the programme's end"
        )
        return _step_reason(protocol, "at-ceiling", message)
    start = _step_start(records, done_step)
    assert start is not None  # noqa: S101 - there are records
    every = protocol.progression.every_days  # type: ignore[union-attr]
    at_step = f"at step {done_step}" if done_step else "at the starting dose"
    days = (today - start).days  # whole days at this step before today
    if days < every:
        due = start + dt.timedelta(days=every)
        message = (
            f"the next step is due on {due.isoformat()}, {every} days after "
            f"{start.isoformat()}, when sessions {at_step} began"
        )
        return _step_reason(protocol, "step-not-due", message)
    window = [r for r in records if r.day >= start]
    planned = protocol.frequency.sessions_in(days)
    done = sum(1 for r in window if r.done and r.day < today)
    skipped = sum(1 for r in window if not r.done and r.day < today)
    span = f"from {start.isoformat()} to {(today - dt.timedelta(days=1)).isoformat()}"
    if done < planned or skipped:
        message = (
            f"{done} of the {planned} sessions planned {span} were done"
            + (f" and {skipped} skipped" if skipped else "")
            + f", so the dose stays {at_step}; every planned session earns the "
            "next step"
        )
        return _step_reason(protocol, "step-not-earned", message)
    sessions = [r for r in window if r.done]
    above = [r for r in sessions if not pain_zone(max(_highest(r), 0)).may_grow]
    if above:
        worst = max(above, key=_highest)
        zone = pain_zone(_highest(worst))
        message = (
            f"pain of {_highest(worst)} (0-10) on {_day(worst)}"
            f"{_times(len(above))} is in the {zone.zone} zone, which does not "
            f"grow a dose ({zone.meaning})"
        )
        return _step_reason(
            protocol, "pain-holds-dose", message, source=zone.source, on=worst.day
        )
    unrated = [r for r in sessions if _highest(r) < 0]
    green = f"the green zone (pain 0-{PAIN_ZONES[0].high})"
    if unrated:
        message = (
            f"{len(unrated)} session(s) since {start.isoformat()} have no pain "
            f"rating; a step is earned only by sessions rated in {green}"
        )
        return _step_reason(protocol, "pain-not-rated", message)
    return (
        f"all {planned} sessions planned {span} were done ({done} logged), each "
        f"rated in {green}"
    )


def _adherence(
    protocol: Protocol, records: Sequence[SessionRecord], today: dt.date
) -> Adherence:
    if not records:
        return Adherence(0, 0)
    days = (today - records[0].day).days + 1
    return Adherence(
        sum(1 for r in records if r.done), protocol.frequency.sessions_in(days)
    )


def _day(record: SessionRecord) -> str:
    return record.day.isoformat()


def _times(count: int) -> str:
    return "" if count == 1 else f" (and {count - 1} more time{'s' * (count > 2)})"


# --------------------------------------------------------------------------------
# The advice as a person reads it

_NEEDS: Final = {
    Urgency.EMERGENCY: "emergency care now",
    Urgency.URGENT: "a doctor the same day",
}


def _explained(reason: Reason, headline: str) -> str:
    if reason.red_flag is not None:
        needs = _NEEDS[reason.red_flag.urgency]
        return f"{reason.message}. The protocol lists it as a sign that needs {needs}."
    if reason.rule in headline:  # quoted once is enough
        return f"{reason.message}."
    return f"{reason.message}. {_says(reason)}"


def _says(reason: Reason) -> str:
    if reason.code in _OWN_WORDS:
        return f"The protocol says: {reason.rule}"
    return reason.rule if reason.rule.endswith(".") else reason.rule + "."


# The reasons whose rule is the protocol's own text (the others are the
# library's, such as an unlisted sign or a record after today).
_OWN_WORDS: Final = frozenset(
    {
        "pain-increased",
        "pain-red-zone",
        "pain-rising",
        "stiffness-worse",
        "stiffness-unchanged-at-review",
        "step-not-due",
        "step-not-earned",
        "pain-holds-dose",
        "pain-not-rated",
        "at-ceiling",
        "step-unsafe",
        "step-earned",
    }
)


def _headline(advice: Advice) -> str:
    """The action in one line.

    A stop or a seek-care quotes the protocol's own rule, so that the
    professional named is the one the protocol names.
    """
    action = advice.action
    if action is Action.EMERGENCY:
        return (
            "EMERGENCY: call emergency services or go to an emergency department now."
        )
    if action is Action.SEE_DOCTOR_TODAY:
        return "SEE A DOCTOR TODAY."
    if action is Action.STOP:
        return f"STOP the exercises now. The protocol says: {advice.reasons[0].rule}"
    if action is Action.SEEK_CARE:
        return f"SEEK CARE. The protocol says: {advice.reasons[0].rule}"
    if action is Action.PROGRESS:
        return "PROGRESS: go on, with the larger dose below."
    return "CONTINUE with the same dose."


def advice_sections(
    protocol: Protocol, advice: Advice, limits: SafetyLimits | None = None
) -> tuple[Section, ...]:
    """The advice as a person reads it, the protocol's safety text included.

    The same sections :mod:`mobility.formats.text` writes as plain text or Markdown.

    Args:
        protocol: The protocol advised on.
        advice: What :func:`advise` said.
        limits: The limits the advice was given under; with the
            before-performance preset, what that means is said in plain words.
    """
    from ..formats.text import (  # noqa: PLC0415 - the text module is only for output
        Items,
        Paragraph,
        Part,
        Section,
        audience_notes,
        describe_dose,
        safety_section,
    )

    title = f"Advice for {protocol.name} ({protocol.id}), {advice.today.isoformat()}"
    headline = _headline(advice)
    blocks: list[Paragraph | Items] = [Paragraph(headline)]
    if advice.reasons:
        blocks.append(
            Items([_explained(reason, headline) for reason in advice.reasons], "Why")
        )
    elif advice.adherence.planned == 0:
        blocks.append(Paragraph("No session has been recorded yet.", "Why"))
    else:
        blocks.append(
            Paragraph(
                "Nothing in the records calls for a change: no red flag, no rise "
                "in pain during a session, no pain above "
                f"{PAIN_ZONES[1].high} of 10, and no stiffness reported worse.",
                "Why",
            )
        )
    if advice.next_dose is not None:
        blocks.append(
            Items(
                [
                    f"{exercise.name}: {describe_dose(dose)}"
                    for exercise, dose in zip(
                        protocol.exercises, advice.next_dose, strict=True
                    )
                ],
                f"The dose from now on (progression step {advice.step}; record "
                "your sessions at this step)",
            )
        )
    adherence = advice.adherence
    if adherence.ratio is not None:
        blocks.append(
            Paragraph(
                f"{adherence.done} of {adherence.planned} planned sessions done "
                f"({adherence.ratio:.0%}) from the first record to "
                f"{advice.today.isoformat()}.",
                "Sessions",
            )
        )
    blocks += audience_notes(protocol, limits)
    return (
        Section(Part.TITLE, title, ()),
        Section(Part.ADVICE, None, blocks),
        safety_section(protocol.disclaimer),
    )
