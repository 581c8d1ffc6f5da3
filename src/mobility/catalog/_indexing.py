"""Write ``_index.py``: what the catalogue holds, read from the built protocols.

``import mobility.catalog`` reads the index instead of building the twelve
protocols, so an app's start-up and ``mobility list`` pay for neither the
model's classes nor the catalogue's checks. Run ``make catalog-index`` (which
runs this module and formats its output) after changing a protocol;
``tests/test_catalog.py`` fails while the index and the protocols disagree.
"""

from __future__ import annotations

import importlib

from pathlib import Path
from typing import TYPE_CHECKING, Final

from ..model import Protocol


if TYPE_CHECKING:
    import enum

    from collections.abc import Iterable

    from ._summary import Summary


#: The modules that define the catalogue: every protocol at the top level of
#: one of them is in it.
MODULES: Final = ("back_routines", "lumbar", "thoracic", "upper_back")

_INDEX: Final = Path(__file__).with_name("_index.py")


def found() -> dict[str, tuple[str, str, Protocol]]:
    """Each protocol's id, with the module and the name that define it, by id."""
    protocols: dict[str, tuple[str, str, Protocol]] = {}
    for module in MODULES:
        namespace = vars(importlib.import_module(f".{module}", __package__))
        for name, value in namespace.items():
            if isinstance(value, Protocol):
                if value.id in protocols:
                    msg = f"two catalogue protocols have the id {value.id!r}"
                    raise ValueError(msg)
                protocols[value.id] = (module, name, value)
    return dict(sorted(protocols.items()))


def summary(protocol: Protocol) -> Summary:
    """What the index says of a protocol, worked out from the protocol."""
    from . import evidence, needs  # noqa: PLC0415 - the package imports the index
    from ._summary import Seconds, Summary  # noqa: PLC0415

    seconds = protocol.estimated_session_seconds
    return Summary(
        id=protocol.id,
        name=protocol.name,
        region=protocol.region,
        postures=frozenset(
            e.posture for e in protocol.exercises if e.posture is not None
        ),
        equipment=needs(protocol),
        session_seconds=Seconds(seconds.low, seconds.high),
        evidence=evidence(protocol),
    )


def source() -> str:
    """The text of ``_index.py`` for the protocols as they are now."""
    lines = [
        '"""What the catalogue holds; ``make catalog-index`` writes it: do not edit.',
        "",
        "See :mod:`mobility.catalog._indexing`.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Final",
        "",
        "from .._kinds import Posture, Region, SourceKind",
        "from ._summary import Seconds, Summary",
        "",
        "",
        "#: Where each protocol is defined: its module and its name there.",
        "DEFINED: Final = {",
    ]
    protocols = found()
    lines += [
        f"    {pid!r}: ({module!r}, {name!r}),"
        for pid, (module, name, _) in protocols.items()
    ]
    lines += [
        "}",
        "",
        "#: Every protocol's summary, sorted by id.",
        "SUMMARIES: Final = (",
    ]
    for _, _, protocol in protocols.values():
        lines.append(_literal(summary(protocol)))
    lines += [")", ""]
    return "\n".join(lines)


def _literal(entry: Summary) -> str:
    def members(values: Iterable[enum.Enum]) -> str:
        named = [f"{type(v).__name__}.{v.name}" for v in values]
        return "(" + "".join(f"{name}, " for name in named).rstrip() + ")"

    postures = sorted(entry.postures, key=lambda p: p.value)
    # Sorted, so that the file is the same whatever the hash seed.
    equipment = ", ".join(repr(item) for item in sorted(entry.equipment))
    equipment = f"{{{equipment}}}" if equipment else ""
    return (
        "    Summary(\n"
        f"        id={entry.id!r},\n"
        f"        name={entry.name!r},\n"
        f"        region=Region.{entry.region.name},\n"
        f"        postures=frozenset({members(postures)}),\n"
        f"        equipment=frozenset({equipment}),\n"
        f"        session_seconds=Seconds({entry.session_seconds.low!r}, "
        f"{entry.session_seconds.high!r}),\n"
        f"        evidence={members(entry.evidence)},\n"
        "    ),"
    )


def main() -> None:
    """Write ``_index.py`` beside this module."""
    _INDEX.write_text(source(), encoding="utf-8")


if __name__ == "__main__":
    main()
