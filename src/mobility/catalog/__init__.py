"""The built-in catalogue of protocols.

Importing this module is cheap: it reads a generated index of what the catalogue
holds (:func:`summaries`) and builds a protocol, with every check of the model,
the first time it is asked for (:func:`get`, :func:`protocols`, :func:`find`).
Neither the model's classes nor anything for export load until then.

Example:
    >>> from mobility import catalog
    >>> len(catalog.ids()), catalog.ids()[:2]
    (12, ('cat-cow', 'csp-back-pain-exercises'))
    >>> [p.id for p in catalog.find(region="thoracic", position="lying-on-side")]
    ['thoracic-open-book']
    >>> catalog.get("lower-trunk-rotation").exercises[0].dose.hold
    Hold(seconds=Range(low=10, high=15))
"""

from __future__ import annotations

import importlib
import math

from typing import TYPE_CHECKING, Final, TypeVar

from .._kinds import Posture, Region, SourceKind
from ..errors import QueryError, UnknownProtocolError, UnknownRegionError
from ._index import DEFINED, SUMMARIES
from ._summary import Seconds, Summary


if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model import Protocol


__all__ = [
    "Seconds",
    "Summary",
    "evidence",
    "find",
    "get",
    "ids",
    "needs",
    "protocols",
    "summaries",
]

_IDS: Final = tuple(summary.id for summary in SUMMARIES)
# Each protocol once built; the modules that build them hold them too.
_built: dict[str, Protocol] = {}


def ids() -> tuple[str, ...]:
    """Every protocol id in the catalogue, sorted."""
    return _IDS


def protocols() -> tuple[Protocol, ...]:
    """Every protocol in the catalogue, sorted by id."""
    return tuple(get(protocol_id) for protocol_id in _IDS)


def get(protocol_id: str) -> Protocol:
    """Return the protocol with the given id.

    Raises:
        UnknownProtocolError: No protocol has that id. It is both a
            :class:`~mobility.MobilityError` and a :class:`KeyError`, and its
            message suggests close ids.

    Example:
        >>> try:
        ...     get("lower-trunk-rotaton")
        ... except KeyError as error:
        ...     print(error)
        no protocol with id 'lower-trunk-rotaton' in the catalogue; did you mean ...
        >>> get("lower-trunk-rotaton")
        Traceback (most recent call last):
        mobility.errors.UnknownProtocolError: ...
    """
    try:
        return _built[protocol_id]
    except (KeyError, TypeError):
        pass
    try:
        module, name = DEFINED[protocol_id]
    except (KeyError, TypeError):
        import difflib  # noqa: PLC0415 - only needed on the error path

        text = str(protocol_id)
        close = difflib.get_close_matches(text, _IDS, n=3, cutoff=0.6)
        raise UnknownProtocolError(text, tuple(close)) from None
    protocol: Protocol = getattr(importlib.import_module(f".{module}", __name__), name)
    _built[protocol_id] = protocol
    return protocol


def find(
    *,
    region: Region | str | None = None,
    position: Posture | str | None = None,
    equipment: Iterable[str] | None = None,
    max_minutes: float | None = None,
) -> tuple[Protocol, ...]:
    """Return the protocols that match every criterion given, sorted by id.

    Args:
        region: A body region, as a :class:`~mobility.Region`, its value
            (``"lumbar"``, ``"thoracic"``...) or the name a person uses
            (``"lower back"``, ``"upper back"``...; see
            :meth:`~mobility.Region.parse`). ``None`` matches all.
        position: A start position, as a :class:`~mobility.Posture` or its
            value (``"sitting"``, ``"lying-on-back"``, ...): protocols with at
            least one exercise that starts in it.
        equipment: What the person has, such as ``["chair"]``: protocols that
            need nothing else (compared without regard to case). ``[]`` finds
            the protocols that need no equipment; ``None`` matches all.
        max_minutes: Protocols whose estimated session, at its longest, takes
            at most this many minutes as the programme starts (see
            :attr:`~mobility.Protocol.estimated_session_seconds`).

    Raises:
        UnknownRegionError: ``region`` is not a known region.
        QueryError: ``position`` is not a known position, or ``max_minutes``
            is not a number. Both errors are a
            :class:`~mobility.MobilityError` and a ``ValueError``.

    Example:
        >>> [p.id for p in find(position="sitting", max_minutes=2)]
        ['shoulder-blade-squeeze', 'thoracic-trial-sitting']
        >>> [p.id for p in find(region="lumbar", equipment=[], max_minutes=2)]
        ['nhs-lower-back-pain-exercises']
        >>> [p.id for p in find(region="upper back", position="sitting")][:2]
        ['seated-side-stretch', 'seated-upper-back-routine']
    """
    return tuple(
        get(summary.id)
        for summary in summaries(
            region=region,
            position=position,
            equipment=equipment,
            max_minutes=max_minutes,
        )
    )


def summaries(
    *,
    region: Region | str | None = None,
    position: Posture | str | None = None,
    equipment: Iterable[str] | None = None,
    max_minutes: float | None = None,
) -> tuple[Summary, ...]:
    """What :func:`find` finds, as summaries, without building any protocol.

    The criteria, their meaning and the errors are :func:`find`'s. A list of
    the catalogue (``mobility list``, an app's first screen) needs no more, and
    costs a fraction of building the protocols: build the one a person opens
    with :func:`get`.

    Example:
        >>> [(s.id, s.session_seconds.high) for s in summaries(max_minutes=1.5)]
        [('shoulder-blade-squeeze', 75)]
        >>> [kind.label for kind in summaries(region="lower back")[0].evidence]
        ['professional body']
    """
    wanted_region = None if region is None else _region(region)
    wanted_posture = (
        None if position is None else _member(Posture, position, "position")
    )
    available = None
    if equipment is not None:
        if isinstance(equipment, str):
            equipment = (equipment,)
        available = {str(item).casefold() for item in equipment}
    longest = None
    if max_minutes is not None:
        minutes: object = max_minutes  # untyped callers pass anything
        if (
            not isinstance(minutes, int | float)
            or isinstance(minutes, bool)
            or math.isnan(minutes)
        ):
            msg = f"max_minutes must be a number, got {max_minutes!r}"
            raise QueryError(msg)
        longest = max_minutes * 60
    return tuple(
        summary
        for summary in SUMMARIES
        if (wanted_region is None or summary.region is wanted_region)
        and (wanted_posture is None or wanted_posture in summary.postures)
        and (available is None or summary.equipment <= available)
        and (longest is None or summary.session_seconds.high <= longest)
    )


def evidence(protocol: Protocol) -> tuple[SourceKind, ...]:
    """The kinds of the sources its doses come from, strongest first.

    Example:
        >>> [kind.label for kind in evidence(get("cat-cow"))]
        ['hospital patient library']
    """
    kinds = {
        exercise.dose.source.kind
        for exercise in protocol.exercises
        if exercise.dose.source is not None and exercise.dose.source.kind is not None
    }
    return tuple(kind for kind in SourceKind if kind in kinds)


def needs(protocol: Protocol) -> frozenset[str]:
    """The equipment a protocol needs, in lower case; empty when it needs none.

    Example:
        >>> sorted(needs(get("seated-side-stretch")))
        ['chair']
    """
    return frozenset(
        item.casefold()
        for exercise in protocol.exercises
        for item in exercise.equipment
    )


def _region(value: Region | str) -> Region:
    if isinstance(value, Region):
        return value
    try:
        return Region.parse(value)
    except ValueError as error:
        raise UnknownRegionError(str(error)) from None


_E = TypeVar("_E", Region, Posture)


def _member(kind: type[_E], value: str, label: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(repr(member.value) for member in kind)
        error: type[QueryError] = QueryError
        if kind is Region:
            error = UnknownRegionError
        raise error(f"unknown {label} {value!r}; expected one of {known}") from None
