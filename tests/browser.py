"""Print pages with headless Chromium and read the PDFs with poppler's tools.

Chromium comes from Debian's ``chromium`` package and the PDF tools from
``poppler-utils``; ``make browser`` installs both. A missing one fails the test
that needs it, saying so: a check that cannot run must not pass.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile

from typing import TYPE_CHECKING

import pytest


if TYPE_CHECKING:
    from pathlib import Path


#: Paper sizes in points, as pdfinfo reports them.
PAPER = {"A4": (595.28, 841.89), "letter": (612.0, 792.0)}


def tool(name: str) -> str:
    """The path of a program the browser checks need, or a failed test."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is not installed, so the browser checks cannot run; "
            "`make browser` installs Debian's chromium and poppler-utils"
        )
    return found


def _chromium(profile: str) -> list[str]:
    """Headless Chromium, offline, with a fresh profile."""
    return [
        tool("chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--proxy-server=127.0.0.1:9",  # any fetch fails
        f"--user-data-dir={profile}",
    ]


def print_pdf(page: str, folder: Path, *, paper: str = "A4") -> Path:
    """Print an HTML page on ``paper`` with headless Chromium; return the PDF.

    The page is printed offline: Chromium gets no proxy and no network, so a
    page that needed a fetch would show it.
    """
    source = folder / f"page-{paper}.html"
    # The paper is the printer's choice; the page leaves it open, so pick it here.
    source.write_text(
        page.replace("@page {", f"@page {{ size: {paper};", 1), encoding="utf-8"
    )
    target = folder / f"page-{paper}.pdf"
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                *_chromium(profile),
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                source.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            env={**os.environ, "LANG": "C.UTF-8"},
        )
    if not target.exists():
        pytest.fail(f"Chromium printed nothing (exit {done.returncode}): {done.stderr}")
    return target


_MEASURE = """<script>
window.addEventListener("load", () => {
  const page = document.documentElement.clientWidth;
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right > page + 1 || box.left < -1) {
      const where = `${Math.round(box.left)}-${Math.round(box.right)}px`;
      const text = element.textContent.trim().slice(0, 30);
      wide.push(`${element.tagName.toLowerCase()} at ${where}: ${text}`);
    }
  }
  if (document.documentElement.scrollWidth > page + 1) {
    wide.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  }
  const out = document.createElement("pre");
  out.id = "width-result";
  out.textContent = JSON.stringify(wide);
  document.body.appendChild(out);
});
</script>"""
_RESULT = re.compile(r'<pre id="width-result">(.*?)</pre>', re.DOTALL)


def too_wide(page: str, folder: Path, *, millimetres: float) -> list[str]:
    """Elements of a page that reach past a printable width, measured by Chromium.

    The page is opened at the width the paper leaves between its margins (96
    CSS pixels to the inch), with a script that lists every element reaching
    past it. Chromium shrinks a page that is too wide to fit the paper when it
    prints, so the PDF alone cannot show this.
    """
    probe = folder / "width.html"
    # The page's policy forbids scripts; the probe copy lets the measuring one run.
    without_policy = re.sub(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page
    )
    probe.write_text(
        without_policy.replace("</body>", _MEASURE + "</body>"), encoding="utf-8"
    )
    pixels = round(millimetres / 25.4 * 96)
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                *_chromium(profile),
                f"--window-size={pixels},1000",
                "--hide-scrollbars",
                "--virtual-time-budget=5000",
                "--dump-dom",
                probe.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            env={**os.environ, "LANG": "C.UTF-8"},
        )
    found = _RESULT.search(done.stdout)
    if found is None:
        pytest.fail(
            f"Chromium measured nothing (exit {done.returncode}): {done.stderr}"
        )
    result: list[str] = json.loads(html.unescape(found.group(1)))
    return result


def pages(pdf: Path) -> int:
    """How many pages a PDF has."""
    info = _run("pdfinfo", str(pdf))
    found = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert found is not None, info
    return int(found.group(1))


def text(pdf: Path) -> str:
    """The PDF's text in reading order, with every run of space made one space.

    A line that ends in a hyphen joins the next without a space, so a word broken
    at its own hyphen ("primary-care") reads whole.
    """
    raw = _run("pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-")
    raw = re.sub(r"-\n", "-", raw)
    return re.sub(r"\s+", " ", raw)


def text_of_page(pdf: Path, number: int) -> str:
    """One page's text, as :func:`text` gives a whole PDF's."""
    raw = _run(
        "pdftotext",
        "-raw",
        "-enc",
        "UTF-8",
        "-f",
        str(number),
        "-l",
        str(number),
        str(pdf),
        "-",
    )
    raw = re.sub(r"-\n", "-", raw)
    return re.sub(r"\s+", " ", raw)


def words(pdf: Path) -> list[tuple[float, float, float, str]]:
    """Every word with its page's width and its left and right edges, in points."""
    box = _run("pdftotext", "-bbox", str(pdf), "-")
    found = []
    width = 0.0
    for line in box.splitlines():
        page = re.search(r'<page width="([\d.]+)"', line)
        if page:
            width = float(page.group(1))
        word = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', line)
        if word:
            content = line[line.index(">") + 1 : line.rindex("<")]
            found.append((width, float(word.group(1)), float(word.group(2)), content))
    return found


def png(pdf: Path, folder: Path, *, dpi: int = 60) -> list[Path]:
    """Each page of a PDF as a greyscale PNG, at ``dpi``."""
    prefix = folder / "page"
    _run("pdftoppm", "-png", "-gray", "-r", str(dpi), str(pdf), str(prefix))
    return sorted(folder.glob("page-*.png"))


def _run(name: str, *args: str) -> str:
    done = subprocess.run(
        [tool(name), *args], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout
