"""The plots: a grid's safe region, and a person's log over time."""

import datetime as dt
import sys

from pathlib import Path
from typing import Any

import attrs
import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.image import imread

from mobility import AxisError, validate
from mobility.progress import PAIN_ZONES, SessionRecord
from mobility.progress.plots import ZONE_COLOURS, log_figure
from mobility.research import grid
from mobility.research.plots import Verdict, safe_region
from tests.test_progress import GROWING, LUMBAR, record, sessions, today


def verdicts_by_validate(result: Any, x: str, y: str) -> list[list[int]]:
    """Each cell's verdict, worked out again from validate, rows by ``y``."""
    xs = list(dict.fromkeys(dict(v.settings)[x] for v in result.variants))
    ys = list(dict.fromkeys(dict(v.settings)[y] for v in result.variants))
    cells = [[-1] * len(xs) for _ in ys]
    for variant in result.variants:
        report = validate(variant.protocol)
        found = 2 if report.errors else 1 if report.warnings else 0
        where = dict(variant.settings)
        cells[ys.index(where[y])][xs.index(where[x])] = found
    return cells


def size_of(figure: Any, tmp_path: Path) -> tuple[int, int]:
    """The saved PNG's height and width, in pixels."""
    target = tmp_path / "figure.png"
    figure.savefig(target)
    height, width, _ = imread(target).shape
    return height, width


class TestSafeRegion:
    RESULT = grid(LUMBAR, {"hold": [5, 10, 30, 60, 90], "reps": [3, 10, 20, 40]})

    def test_the_shading_is_validates_verdict(self) -> None:
        """Each cell is shaded pass, warn or fail exactly as validate says."""
        figure = safe_region(self.RESULT, "hold", "reps")
        (mesh,) = figure.axes[0].collections
        shaded = mesh.get_array().reshape(4, 5).tolist()
        assert shaded == verdicts_by_validate(self.RESULT, "hold", "reps")
        assert {cell for row in shaded for cell in row} == {0, 1, 2}

    @settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(st.integers(1, 150), min_size=1, max_size=5, unique=True),
        st.lists(st.integers(1, 60), min_size=1, max_size=5, unique=True),
    )
    def test_any_grid_is_shaded_as_validate_says(
        self, holds: list[int], reps: list[int]
    ) -> None:
        """Whatever the values, boundaries included, with the axes either way."""
        result = grid(LUMBAR, {"reps": reps, "hold": holds})
        figure = safe_region(result, "hold", "reps")
        shaded = figure.axes[0].collections[0].get_array()
        expected = verdicts_by_validate(result, "hold", "reps")
        assert shaded.reshape(len(reps), len(holds)).tolist() == expected

    def test_labels_marks_and_the_sources_in_the_legend(self) -> None:
        """Axes in their units, a mark per cell, each crossed limit with its source."""
        figure = safe_region(self.RESULT, "hold", "reps")
        axes = figure.axes[0]
        assert axes.get_xlabel() == "hold (seconds)"
        assert axes.get_ylabel() == "reps (repetitions per set)"
        assert [t.get_text() for t in axes.get_xticklabels()] == [
            "5", "10", "30", "60", "90"
        ]  # fmt: skip
        marks = [t.get_text() for t in axes.texts]
        assert len(marks) == 20
        assert set(marks) == {"✓", "!", "✗"}
        (legend,) = figure.legends
        labels = [t.get_text() for t in legend.get_texts()]
        crossed = {
            finding.code: finding.source
            for variant in self.RESULT.variants
            for finding in variant.report.findings
        }
        for code, source in crossed.items():
            (line,) = (label for label in labels if label.startswith(f"{code}: "))
            assert line.removeprefix(f"{code}: ")[:30] == source.citation[:30]
            assert line.endswith("[our inference]") is source.inferred

    def test_the_picture_has_its_size(self, tmp_path: Path) -> None:
        """9 inches wide at 100 dots an inch, and taller with more limits."""
        height, width = size_of(safe_region(self.RESULT, "hold", "reps"), tmp_path)
        assert width == 900
        assert 500 <= height <= 1000

    def test_a_range_value_is_labelled_as_written(self) -> None:
        """A hold of 10-15 s is one column, labelled 10-15."""
        result = grid(LUMBAR, {"hold": [(10, 15), 30], "reps": [5]})
        axes = safe_region(result, "hold", "reps").axes[0]
        assert [t.get_text() for t in axes.get_xticklabels()] == ["10-15", "30"]

    @pytest.mark.parametrize(
        "axes",
        [
            {"hold": [10]},
            {"hold": [10], "reps": [5], "sets": [1]},
            {"sets": [1], "reps": [5]},
        ],
    )
    def test_a_grid_of_other_axes_is_refused(self, axes: dict[str, list[int]]) -> None:
        """The two axes drawn must be the grid's two axes."""
        with pytest.raises(AxisError, match="safe_region draws a grid of the two axes"):
            safe_region(grid(LUMBAR, axes), "hold", "reps")

    def test_without_matplotlib_the_error_says_what_to_install(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A missing optional extra is named, with the command."""
        monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
        with pytest.raises(ModuleNotFoundError, match=r"mobility-protocols\[plots\]"):
            safe_region(self.RESULT, "hold", "reps")

    def test_verdicts_are_ordered_by_how_bad(self) -> None:
        """Pass, warn, fail: the shading's scale."""
        assert [v.value for v in Verdict] == [0, 1, 2]


class TestLog:
    RECORDS = (
        *sessions(GROWING, range(4), 2, step=0),
        record(5, GROWING, done=False),
        record(6, GROWING, pain_before=4, pain_after=7, step=1),
        record(6, LUMBAR, pain_before=9),  # another protocol's: not drawn
    )

    def figure(self) -> Any:
        """The figure of the records, up to day 8."""
        return log_figure(GROWING, self.RECORDS, today=today(8))

    def test_axes_and_their_labels(self) -> None:
        """Pain, sessions, and the step on the sessions' days."""
        pain, sessions_axes, step = self.figure().axes
        assert pain.get_ylabel() == "pain (0-10)"
        assert sessions_axes.get_ylabel() == "sessions"
        assert step.get_ylabel() == "step of the dose"
        assert pain.get_title().startswith("NHS Inform")

    def test_the_zones_are_the_pain_zones(self) -> None:
        """One band per zone, from its low to its high rating, in its shade."""
        pain = self.figure().axes[0]
        bands = [p for p in pain.patches if p.get_label().endswith(")")]
        assert len(bands) == len(PAIN_ZONES)
        for band, zone in zip(bands, PAIN_ZONES, strict=True):
            box = band.get_transform().transform_bbox(band.get_path().get_extents())
            data = pain.transData.inverted().transform_bbox(box)
            assert (round(data.y0, 6), round(data.y1, 6)) == (
                zone.low - 0.5,
                zone.high + 0.5,
            )
            assert band.get_facecolor()[:3] == pytest.approx(
                tuple(
                    int(ZONE_COLOURS[zone.zone][i : i + 2], 16) / 255 for i in (1, 3, 5)
                )
            )

    def test_the_points_are_the_records_of_the_protocol(self) -> None:
        """Every rating drawn where it was given; none of another protocol."""
        pain = self.figure().axes[0]
        lines = {line.get_gid(): line for line in pain.get_lines()}
        own = [r for r in self.RECORDS if r.protocol_id == GROWING.id]
        before = [r.pain_before for r in own if r.pain_before is not None]
        after = [r.pain_after for r in own if r.pain_after is not None]
        assert list(lines["pain-before"].get_ydata()) == before
        assert list(lines["pain-after"].get_ydata()) == after
        assert 9 not in before

    def test_done_against_planned(self) -> None:
        """Planned as the frequency plans; done counts the sessions done."""
        sessions_axes = self.figure().axes[1]
        lines = {line.get_gid(): line for line in sessions_axes.get_lines()}
        days = (today(8) - today(0)).days + 1
        planned = [GROWING.frequency.sessions_in(n) for n in range(1, days + 1)]
        assert list(lines["planned"].get_ydata()) == planned
        done = list(lines["done"].get_ydata())
        own_done = sum(
            1 for r in self.RECORDS if r.protocol_id == GROWING.id and r.done
        )
        assert done[-1] == own_done
        assert done == sorted(done)

    def test_the_stop_rule_is_under_the_chart(self) -> None:
        """A person's chart carries the protocol's stop rule."""
        figure = self.figure()
        assert GROWING.disclaimer is not None
        shown = " ".join(figure.get_supxlabel().split())
        assert f"Stop rule: {GROWING.disclaimer.stop_rules[0]}" in shown

    def test_a_protocol_without_a_stop_rule_says_so(self) -> None:
        """The chart does not stay silent."""
        bare = attrs.evolve(GROWING, disclaimer=None)
        figure = log_figure(bare, self.RECORDS)
        assert "has no stop rule" in figure.get_supxlabel()

    def test_the_picture_has_its_size(self, tmp_path: Path) -> None:
        """9 by 7 inches at 100 dots an inch."""
        assert size_of(self.figure(), tmp_path) == (700, 900)

    def test_no_record_of_the_protocol_is_a_clear_error(self) -> None:
        """Nothing to draw is said, not drawn empty."""
        with pytest.raises(ValueError, match="no record of lower-trunk-rotation"):
            log_figure(LUMBAR, [r for r in self.RECORDS if r.protocol_id != LUMBAR.id])

    def test_a_day_before_the_last_record_still_shows_it(self) -> None:
        """``today`` earlier than the last record draws up to the record."""
        figure = log_figure(GROWING, self.RECORDS, today=today(1))
        assert "to 2026-03-08" in figure.axes[0].get_title()


def test_a_single_day_is_drawn() -> None:
    """Two records on one day, both drawn, the day's width on the axis."""
    zone = dt.timezone(dt.timedelta(hours=1))
    two = [
        SessionRecord(
            protocol_id=LUMBAR.id,
            at=dt.datetime(2026, 3, 2, hour, tzinfo=zone),
            pain_before=hour % 10,
        )
        for hour in (7, 19)
    ]
    pain = log_figure(LUMBAR, two).axes[0]
    (line,) = (item for item in pain.get_lines() if item.get_gid() == "pain-before")
    assert list(line.get_ydata()) == [7, 9]
    low, high = pain.get_xlim()
    assert high - low == pytest.approx(1)  # matplotlib counts in days
