"""The validator's rules, as data.

Each :class:`Rule` compares one quantity of a protocol with one
:class:`~mobility.Limit` of :class:`~mobility.SafetyLimits`. Rules are not a
table of their own: each is a field of :class:`~mobility.SafetyLimits`, declared
with :func:`~mobility.safety.limits.limit_field`, which gives the default limit
with its evidence, how to read the quantity, where it lives (a JSON path) and
what it means in words; the field's name gives the rule's code.
:func:`rules_of` lists them and :data:`RULES` holds the defaults'.
:func:`mobility.validate` loops over them; the rules tables in the documentation,
the axes of :mod:`mobility.research` and the budgets of
:func:`mobility.research.strategies.safe_protocols` are made from them too, so
adding a limit is one field and its test.

Rules on a dose or on a whole session (:attr:`Scope.DOSE`, :attr:`Scope.SESSION`)
are applied at every step of a protocol's progression, because growing the dose
can carry it past a bound that week one is within. The checks that are not a
comparison with a number (safety text present, no stretching into pain, a review
point, a ceiling for growth) are listed in :data:`POLICIES`.

Example:
    >>> from mobility.safety.rules import RULES
    >>> rule = RULES[0]
    >>> rule.code, rule.limit, rule.path.format(index=0)
    ('hold-seconds', 'hold_seconds', '$.exercises[0].dose.hold.seconds')
    >>> [r.code for r in RULES if r.scope is Scope.SESSION]
    ['session-minutes']
"""

from __future__ import annotations

import enum
import weakref

from typing import TYPE_CHECKING, Final

import attrs

from ..errors import InvalidModelError
from ..model import Source, evidence
from ._quantities import DOSE_PATH, EXERCISE_PATH, ROW, Amount, Axis, Rule, Scope
from .limits import SafetyLimits


if TYPE_CHECKING:
    from .limits import Limit


__all__ = [
    "POLICIES",
    "RULES",
    "Amount",
    "Axis",
    "Policy",
    "Rule",
    "Scope",
    "Severity",
    "markdown_table",
    "policy",
    "policy_table",
    "rules_of",
]


class Severity(enum.StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    """The protocol is unsafe or incomplete as it stands."""
    WARNING = "warning"
    """The protocol is allowed, but something is outside the typical range."""


def rules_of(limits: type[SafetyLimits]) -> tuple[Rule, ...]:
    """The rules of a :class:`~mobility.SafetyLimits` class: one per limit field.

    Each field declared with :func:`~mobility.safety.limits.limit_field` is a
    rule, in the order the fields are declared; a subclass that adds a field
    adds a rule, which :func:`mobility.validate` applies to its instances.

    Raises:
        InvalidModelError: A field other than ``name`` was declared without
            :func:`~mobility.safety.limits.limit_field`, so no rule could read it.

    Example:
        >>> from mobility import SafetyLimits
        >>> rules_of(SafetyLimits)[0].code
        'hold-seconds'
    """
    known = _RULES_OF.get(limits)
    if known is not None:
        return known
    rules = []
    for field in attrs.fields(limits):
        if field.name == "name":
            continue
        row = field.metadata.get(ROW)
        if row is None:
            msg = (
                f"{limits.__name__}.{field.name}: declare a limit with "
                "limit_field(), which says what it bounds; no rule reads it otherwise"
            )
            raise InvalidModelError(msg, problem="declared without limit_field()")
        rules.append(Rule(limit=field.name, default=field.default, **row))
    known = _RULES_OF[limits] = tuple(rules)
    return known


#: The rules of each class asked about, kept while the class lives.
_RULES_OF: Final[weakref.WeakKeyDictionary[type[SafetyLimits], tuple[Rule, ...]]] = (
    weakref.WeakKeyDictionary()
)


#: Every rule of the default :class:`~mobility.SafetyLimits`, in the order
#: findings are reported: the dose rules for each exercise in turn, then the
#: others.
RULES: Final = rules_of(SafetyLimits)


# --------------------------------------------------------------------------------
# The checks that are not a comparison with a number


@attrs.frozen(kw_only=True)
class Policy:
    """A check that is not a comparison with a limit, as the docs list it.

    Args:
        code: The finding's code.
        severity: How serious its finding is; ``None`` where that depends on the
            case (``review-missing``).
        path: Where its finding points, as a JSON path.
        when: When it is reported, in words.
        source: Why, as evidence.
    """

    code: str
    severity: Severity | None
    path: str
    when: str
    source: Source


_INTENSITY: Final = Source(
    "ACSM 2021; NHS Inform",
    note="stretch to the point of tightness or slight discomfort, never into pain",
)

#: Every check that is not a comparison with a limit.
POLICIES: Final = (
    Policy(
        code="disclaimer-missing",
        severity=Severity.ERROR,
        path="$.disclaimer",
        when="the protocol has no disclaimer at all",
        source=evidence.POLICY,
    ),
    Policy(
        code="stop-rule-missing",
        severity=Severity.ERROR,
        path="$.disclaimer.stop_rules",
        when="the disclaimer says nowhere when to stop",
        source=evidence.POLICY,
    ),
    Policy(
        code="seek-care-missing",
        severity=Severity.ERROR,
        path="$.disclaimer.seek_care",
        when="the disclaimer says nowhere when to seek care",
        source=evidence.POLICY,
    ),
    Policy(
        code="red-flags-missing",
        severity=Severity.WARNING,
        path="$.disclaimer.red_flags",
        when="the disclaimer lists no red flags",
        source=evidence.NICE_NG59,
    ),
    Policy(
        code="cautions-not-considered",
        severity=Severity.ERROR,
        path="$.disclaimer.cautions",
        when="the disclaimer does not say who should not do the exercises or "
        "should ask first (an empty list says the sources give no caution)",
        source=evidence.POLICY,
    ),
    Policy(
        code="intensity-pain",
        severity=Severity.ERROR,
        path=f"{DOSE_PATH}.intensity",
        when="a dose asks for stretching into pain",
        source=_INTENSITY,
    ),
    Policy(
        code="review-missing",
        severity=None,
        path="$.review",
        when="no review point, and the programme would go unreviewed past the "
        "review limits: an error past the hard limit (any open-ended programme "
        "included), a warning past the typical one",
        source=evidence.POLICY,
    ),
    Policy(
        code="step-contradicts-dose",
        severity=Severity.ERROR,
        path=f"{EXERCISE_PATH}.steps",
        when="a step's text or cue states a hold, a number of repetitions or of "
        "sets that its dose does not prescribe, at the start or in a later week "
        "of the programme; write a placeholder such as {hold} instead",
        source=evidence.TEXT_POLICY,
    ),
    Policy(
        code="progression-ceiling-missing",
        severity=Severity.ERROR,
        path="$.progression",
        when="an open-ended programme's progression grows the repetitions or a "
        "hold with no ceiling, so the dose would grow without end",
        source=evidence.PROGRAMME_POLICY,
    ),
)


def policy(code: str) -> Policy:
    """The policy with the given code.

    Raises:
        KeyError: No policy has that code.
    """
    return _POLICIES_BY_CODE[code]


_POLICIES_BY_CODE: Final = {p.code: p for p in POLICIES}


# --------------------------------------------------------------------------------
# The rules as the documentation shows them


def _mark(source: Source) -> str:
    return "our inference" if source.inferred else "stated"


def _cell(limit: Limit, names: tuple[str, str]) -> str:
    """The bounds of a limit named in ``names``, in words, each with its mark."""
    bounds = [(name, getattr(limit, name)) for name in names]
    present = [(name, bound) for name, bound in bounds if bound is not None]
    marks = {_mark(bound.source) for _, bound in present}
    if (
        names[0] == "typical_low"
        and len(present) == 2
        and len(marks) == 1
        and all(bound.inclusive for _, bound in present)
    ):  # one range, one mark: "10-30 s (stated)"
        return f"{limit.typical} ({marks.pop()})"
    return "; ".join(
        f"{limit.words(name)} ({_mark(bound.source)})" for name, bound in present
    )


def _sources(limit: Limit) -> str:
    """Each citation once, followed by what its bounds take from it."""
    notes: dict[str, list[str]] = {}
    for _, bound in limit.bounds():
        source = bound.source
        note = source.note or ""
        if source.inferred:
            note = f"{note} [our inference]".strip()
        found = notes.setdefault(source.citation, [])
        if note and note not in found:
            found.append(note)
    return "; ".join(
        f"{citation} ({'; '.join(found)})" if found else citation
        for citation, found in notes.items()
    )


def markdown_table(limits: SafetyLimits) -> str:
    """The rules and the limits they apply, as a Markdown table with sources.

    One row per rule: its code, what it measures and whether it is checked at
    every progression step, the typical range and the hard bounds, each marked
    *stated* by its source or *our inference*, and the sources.

    Example:
        >>> from mobility import SafetyLimits
        >>> row = markdown_table(SafetyLimits()).splitlines()[2]
        >>> code, measures, typical, hard = row.split(" | ")[:4]
        >>> for cell in (code, typical, hard, *measures.split("; ")):
        ...     print(cell)
        | `hold-seconds`
        10-30 s (stated)
        at most 60 s (our inference)
        **static hold**: each hold, of a repetition or of one position
        checked at every progression step
    """
    lines = [
        "| code | what is checked | typical | hard limit | sources |",
        "|---|---|---|---|---|",
    ]
    for rule in rules_of(type(limits)):
        limit: Limit = getattr(limits, rule.limit)
        when = "at every progression step" if rule.grows else "once"
        row = [
            f"`{rule.code}`",
            f"**{limit.label}**: {rule.measures}; checked {when}",
            _cell(limit, ("typical_low", "typical_high")),
            _cell(limit, ("minimum", "maximum")),
            _sources(limit),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def policy_table() -> str:
    """The checks of :data:`POLICIES` as a Markdown table.

    Example:
        >>> print(policy_table().splitlines()[2])
        | `disclaimer-missing` | error | the protocol has no disclaimer at all |
    """
    lines = ["| code | severity | when |", "|---|---|---|"]
    for item in POLICIES:
        severity = "error or warning" if item.severity is None else item.severity
        lines.append(f"| `{item.code}` | {severity} | {item.when} |")
    return "\n".join(lines)
