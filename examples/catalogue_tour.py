"""Print every protocol in the built-in catalogue, with its validation result.

Run it with ``make demo`` or ``python examples/catalogue_tour.py``.
"""

from mobility import catalog, validate
from mobility.formats.text import render


def main() -> None:
    """Show each catalogue protocol as a person would read it."""
    for index, protocol in enumerate(catalog.protocols()):
        if index:
            print("\n" + "-" * 78 + "\n")
        print(render(protocol, validate(protocol)), end="")


if __name__ == "__main__":
    main()
