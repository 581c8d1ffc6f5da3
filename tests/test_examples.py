import csv
import re
import subprocess
import sys

from pathlib import Path

from mobility import catalog


EXAMPLES = Path(__file__).parent.parent / "examples"


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run an example script as a person would, failing on a non-zero exit."""
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        check=True,
        capture_output=True,
        text=True,
    )


def test_catalogue_tour() -> None:
    """The demo prints each protocol with its safety text and verdict."""
    result = run_example("catalogue_tour.py")
    assert result.stderr == ""
    out = result.stdout
    flat = " ".join(out.split())
    for protocol in catalog.protocols():
        assert protocol.name in out
        assert protocol.disclaimer is not None
        for rule in protocol.disclaimer.stop_rules:
            assert " ".join(rule.split()) in flat
    verdict = r"Checked against the safety limits for ([^:]+): passes"
    verdicts = re.findall(verdict, flat)
    assert len(verdicts) == len(catalog.ids())
    assert verdicts.count("adults 65+") == 1


def test_lumbar_calendar(tmp_path: Path) -> None:
    """The calendar example writes an .ics file with the session and the review."""
    target = tmp_path / "lumbar.ics"
    result = run_example("lumbar_calendar.py", str(target))
    assert result.stdout.startswith(f"wrote {target}: Lower trunk rotation, 4 weeks")
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "RRULE:FREQ=WEEKLY;UNTIL=" in text
    assert "SUMMARY:Review: Lower trunk rotation" in text
    assert "TRIGGER:-PT10M" in text


def test_variant_grid(tmp_path: Path) -> None:
    """The research example prints the verdicts and writes one row per variant."""
    target = tmp_path / "variants.csv"
    result = run_example("variant_grid.py", str(target))
    lines = result.stdout.splitlines()
    assert lines[0].startswith("56 variants: ")
    assert any("rejected for hold-seconds-above-maximum" in line for line in lines)
    with target.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 56
    accepted = int(lines[0].split(": ")[1].split()[0])
    assert sum(row["ok"] == "True" for row in rows) == accepted
    # The safety text once beside the table, not in each of its rows.
    assert "disclaimer" not in rows[0]
    with (tmp_path / "variants.safety.csv").open(encoding="utf-8") as file:
        (safety,) = list(csv.DictReader(file))
    protocol = catalog.get("lower-trunk-rotation")
    assert protocol.disclaimer is not None
    assert safety["stop_rules"] == " ".join(protocol.disclaimer.stop_rules)
    # And a bar on standard error that reaches the end.
    assert result.stderr.rstrip().endswith("[" + "#" * 30 + "] 56/56")


def test_plot_safe_region(tmp_path: Path) -> None:
    """The research plot is written, as large as drawn."""
    from matplotlib.image import imread  # noqa: PLC0415 - the plots extra

    target = tmp_path / "safe.png"
    result = run_example("plot_safe_region.py", str(target))
    assert result.stdout.splitlines() == [
        "16 of 42 variants accepted",
        f"wrote {target}",
    ]
    height, width, _ = imread(target).shape
    assert width == 900
    assert height > 600


def test_plot_log(tmp_path: Path) -> None:
    """The log plot is written, and the flare it shows is advised on as a stop."""
    from matplotlib.image import imread  # noqa: PLC0415 - the plots extra

    target = tmp_path / "log.png"
    result = run_example("plot_log.py", str(target))
    assert result.stdout.splitlines() == [
        "42 records; advice for 2026-03-16: stop",
        f"wrote {target}",
    ]
    assert imread(target).shape[:2] == (700, 900)
