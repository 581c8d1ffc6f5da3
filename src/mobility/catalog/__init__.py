"""The built-in catalogue of protocols.

Importing this module is cheap: it builds a handful of frozen objects and loads
nothing for export (no JSON or calendar code).

Example:
    >>> from mobility import catalog
    >>> catalog.ids()
    ('lower-trunk-rotation', 'thoracic-open-book')
    >>> [p.id for p in catalog.find(region="thoracic")]
    ['thoracic-open-book']
    >>> catalog.get("lower-trunk-rotation").exercises[0].dose.hold
    Hold(seconds=Range(low=10, high=15))
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from ..errors import UnknownProtocolError, UnknownRegionError
from ..model import Protocol, Region
from .lumbar import LOWER_TRUNK_ROTATION
from .thoracic import OPEN_BOOK


__all__ = ["find", "get", "ids", "protocols"]

_PROTOCOLS: Final = MappingProxyType(
    {p.id: p for p in sorted((LOWER_TRUNK_ROTATION, OPEN_BOOK), key=lambda p: p.id)}
)


def ids() -> tuple[str, ...]:
    """Every protocol id in the catalogue, sorted."""
    return tuple(_PROTOCOLS)


def protocols() -> tuple[Protocol, ...]:
    """Every protocol in the catalogue, sorted by id."""
    return tuple(_PROTOCOLS.values())


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
        return _PROTOCOLS[protocol_id]
    except (KeyError, TypeError):
        pass
    import difflib  # noqa: PLC0415 - only needed on the error path

    text = str(protocol_id)
    close = difflib.get_close_matches(text, _PROTOCOLS, n=3, cutoff=0.6)
    raise UnknownProtocolError(text, tuple(close)) from None


def find(*, region: Region | str | None = None) -> tuple[Protocol, ...]:
    """Return the protocols that match every criterion given, sorted by id.

    Args:
        region: A body region, as a :class:`~mobility.Region` or its value
            (``"lumbar"``, ``"thoracic"``, ...). ``None`` matches all.

    Raises:
        UnknownRegionError: ``region`` is not a known region (a
            :class:`~mobility.MobilityError` and a ``ValueError``).
    """
    if region is not None:
        try:
            region = Region(region)
        except ValueError:
            known = ", ".join(repr(r.value) for r in Region)
            raise UnknownRegionError(
                f"unknown region {region!r}; expected one of {known}"
            ) from None
    return tuple(p for p in _PROTOCOLS.values() if region is None or p.region is region)
