import subprocess
import sys

from pathlib import Path

from mobility import catalog


EXAMPLES = Path(__file__).parent.parent / "examples"


def test_catalogue_tour() -> None:
    """The demo prints each protocol with its safety text and verdict."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "catalogue_tour.py")],
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stderr == ""
    out = result.stdout
    for protocol in catalog.protocols():
        assert protocol.name in out
    assert out.count("Stop at once if your pain increases") == len(catalog.ids())
    assert out.count("Validation against the limits for adults: passes") == len(
        catalog.ids()
    )
