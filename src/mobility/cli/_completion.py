"""Shell completion for bash and zsh: scripts generated from the parser by shtab.

The scripts are static: they complete the commands, their options and the
options' choices, catalogue ids and protocol files, without running Python at
each press of Tab. They are made from the same parser that reads the arguments,
so they cannot fall behind it.
"""

from __future__ import annotations

from typing import Final


__all__ = ["SHELLS", "script"]

#: The shells a script is made for.
SHELLS: Final = ("bash", "zsh")


def script(shell: str) -> str:
    """The completion script for ``shell``, one of :data:`SHELLS`."""
    import shtab  # noqa: PLC0415 - only this command needs it

    from .. import catalog  # noqa: PLC0415
    from ..model import Region  # noqa: PLC0415
    from ._parser import _parser  # noqa: PLC0415

    ids = " ".join(catalog.ids())  # slugs: nothing in them needs quoting
    # Each region by its value and its plain name, hyphenated to be one word
    # (Region.parse reads "upper-back" as "upper back").
    regions = " ".join(
        dict.fromkeys(
            name.replace(" ", "-")
            for region in Region
            for name in (region.value, region.plain)
        )
    )
    preamble = {
        # A catalogue id, a JSON file, or a folder on the way to one.
        "bash": (
            "_mobility_sources() {\n"
            f'  compgen -W "{ids}" -- "$1"\n'
            "  compgen -f -X '!*.json' -- \"$1\"\n"
            '  compgen -d -- "$1"\n'
            "}\n"
            f'_mobility_regions() {{\n  compgen -W "{regions}" -- "$1"\n}}\n'
        ),
        "zsh": (
            "_mobility_sources() {\n"
            f"  _alternative 'ids:catalogue id:({ids})' "
            "'files:protocol file:_files -g \"*.json\"'\n"
            "}\n"
            f"_mobility_regions() {{\n  _values region {regions}\n}}\n"
        ),
    }
    # shtab takes a preamble per shell, though its annotation says str.
    return shtab.complete(_parser(), shell, preamble=preamble)  # type: ignore[arg-type]
