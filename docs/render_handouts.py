"""Print every catalogue entry's handout and keep its first page as a PNG.

The images in ``docs/_static/handout-<id>.png`` are what the docs show of the
handouts; for the two source protocols the second page, with the exercise and its
figure, is kept too, as ``handout-<id>-2.png``. They are printed on A4 by
headless Chromium and rendered by poppler's ``pdftoppm``, the same way the tests
print them (``tests/browser.py``). Run it
with ``make handouts`` after changing the handout's template or the catalogue;
a test checks that every entry has its image.
"""

from __future__ import annotations

import shutil
import sys
import tempfile

from pathlib import Path


ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from tests import browser  # noqa: E402

from mobility import catalog  # noqa: E402 - after the path is set
from mobility.formats.handout import to_html  # noqa: E402


STATIC = ROOT / "docs" / "_static"
DPI = 64  # readable on a screen, small in the repository
#: The entries whose second page the docs show as well.
SHOWN_WHOLE = ("lower-trunk-rotation", "thoracic-open-book")


def main() -> int:
    """Render each entry; print one line per image."""
    STATIC.mkdir(exist_ok=True)
    for protocol in catalog.protocols():
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            pdf = browser.print_pdf(to_html(protocol), folder)
            printed = browser.png(pdf, folder, dpi=DPI)
            target = STATIC / f"handout-{protocol.id}.png"
            shutil.copyfile(printed[0], target)
            if protocol.id in SHOWN_WHOLE:
                shutil.copyfile(printed[1], STATIC / f"handout-{protocol.id}-2.png")
            print(f"{target.relative_to(ROOT)}: {browser.pages(pdf)} page(s) on A4")
    return 0


if __name__ == "__main__":
    sys.exit(main())
