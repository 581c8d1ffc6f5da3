"""Check that the built documentation reads at a laptop's width, in a real browser.

Each page of ``docs/_build/html`` is opened in headless Chromium at 1280 pixels
wide. A script measures every table in the page's article: a table must fit its
column without scrolling sideways, and no cell may reach past the edge of the page.
The page named in ``REQUIRED`` must hold its tables, so that a generated table that
went missing fails rather than passing unmeasured.

Before the real pages, the check runs on a page made to fail (one cell far wider
than the screen) and stops if that page passes: a check that cannot fail checks
nothing. Without Chromium it fails, saying how to install it (``make browser``).

Run it with ``make docs-layout``; it exits 1 when any page fails.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from pathlib import Path
from typing import Any


BUILD = Path(__file__).parent / "_build" / "html"
WIDTH = 1280  # a common laptop screen, and narrower than most
#: Pages and the least number of tables each must show.
REQUIRED = {"safety.html": 4}

_MEASURE = """
<script>
window.addEventListener("load", () => {
  const page = document.documentElement.clientWidth;
  const problems = [];
  const tables = document.querySelectorAll("article table");
  for (const table of tables) {
    const column = table.parentElement.clientWidth;
    if (table.scrollWidth > column + 1) {
      problems.push(`a table is ${table.scrollWidth}px wide in a ${column}px column`);
    }
    for (const cell of table.querySelectorAll("th, td")) {
      const box = cell.getBoundingClientRect();
      if (box.right > page + 1) {
        const text = cell.textContent.trim().slice(0, 40);
        const right = Math.round(box.right);
        problems.push(`a cell reaches ${right}px of ${page}px: ${text}`);
      }
    }
  }
  const out = document.createElement("pre");
  out.id = "layout-result";
  out.textContent = JSON.stringify({page, tables: tables.length, problems});
  document.body.appendChild(out);
});
</script>
"""

_RESULT = re.compile(r'<pre id="layout-result">(.*?)</pre>', re.DOTALL)

_FAILING_PAGE = """<!doctype html><html><body><article>
<table><tr><td>{}</td></tr></table>
</article></body></html>""".format("x" * 600)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit(
        "check_layout: no Chromium found; install Debian's package with "
        "`make browser` (or `apt-get install chromium`)"
    )


def measure(browser: str, page: Path) -> dict[str, Any]:
    """Open a copy of ``page`` with the measuring script and read its result."""
    text = page.read_text(encoding="utf-8")
    probe = page.with_name(f".layout-{page.name}")  # same folder: same CSS links
    probe.write_text(text.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory() as profile:
            done = subprocess.run(  # noqa: S603 - our own file, a fixed browser
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--hide-scrollbars",
                    f"--user-data-dir={profile}",
                    f"--window-size={WIDTH},900",
                    "--virtual-time-budget=5000",
                    "--dump-dom",
                    probe.resolve().as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                env={**os.environ, "LANG": "C.UTF-8"},
            )
    finally:
        probe.unlink(missing_ok=True)
    found = _RESULT.search(done.stdout)
    if found is None:
        sys.exit(
            f"check_layout: Chromium gave no measurement for {page.name} "
            f"(exit {done.returncode}): {done.stderr.strip()[-300:]}"
        )
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


def main() -> int:
    """Check every page; print one line per problem; return the exit code."""
    browser = _chromium()
    with tempfile.TemporaryDirectory() as folder:
        failing = Path(folder) / "failing.html"
        failing.write_text(_FAILING_PAGE, encoding="utf-8")
        if not measure(browser, failing)["problems"]:
            print("check_layout: the page made to fail passed; the check is broken")
            return 1
    pages = sorted(BUILD.glob("*.html"))
    if not pages:
        print(f"check_layout: no pages in {BUILD}; run `make docs` first")
        return 1
    failed = False
    for page in pages:
        result = measure(browser, page)
        problems = list(result["problems"])
        least = REQUIRED.get(page.name, 0)
        if result["tables"] < least:
            problems.append(f"{result['tables']} tables, expected at least {least}")
        for problem in problems:
            print(f"{page.name}: {problem}")
        failed = failed or bool(problems)
    verdict = "FAILED" if failed else "ok"
    print(f"check_layout: {len(pages)} pages at {WIDTH}px, {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
