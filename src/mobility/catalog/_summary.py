"""What a listing shows of a protocol, known without building the protocol."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple


if TYPE_CHECKING:
    from .._kinds import Posture, Region, SourceKind


class Seconds(NamedTuple):
    """A session's estimated length in seconds, at its shortest and its longest."""

    low: float
    high: float


class Summary(NamedTuple):
    """One catalogue protocol as a list of protocols shows it.

    :func:`mobility.catalog.summaries` gives these without building any
    protocol, so an app can offer the catalogue at start-up and build only
    the protocol a person opens (:func:`mobility.catalog.get`). Every field
    equals what the built protocol says; a test holds them equal.
    """

    id: str
    """The protocol's id, for :func:`~mobility.catalog.get`."""
    name: str
    """Its name, as the protocol gives it."""
    region: Region
    """Its body region."""
    postures: frozenset[Posture]
    """The start positions of its exercises (those that state one)."""
    equipment: frozenset[str]
    """What it needs, in lower case, as :func:`~mobility.catalog.needs` says."""
    session_seconds: Seconds
    """Its estimated session as the programme starts, as
    :attr:`mobility.Protocol.estimated_session_seconds`."""
    evidence: tuple[SourceKind, ...]
    """The kinds of its doses' sources, strongest first, as
    :func:`~mobility.catalog.evidence` says."""
