"""A protocol as a printable handout: one self-contained HTML page.

:func:`~mobility.to_html` writes the page a physical therapist would hand over: the
purpose, the safety box (stop rule, when to seek care, red flags) before the
exercises, each exercise with its start position, numbered steps and its dose in
large type, how often and when to review, a grid to tick each session, and the
sources. The words are the same :func:`mobility.formats.text.sections` the terminal
shows; a Jinja2 template with autoescaping lays them out.

The page fetches nothing: its CSS is inline, it names only fonts a system has,
it has no scripts, and its Content-Security-Policy forbids anything else. Its
print styles fit A4 and US Letter and read in black and white; the two source
protocols print on two A4 pages or fewer.

Example:
    >>> from mobility import catalog
    >>> page = to_html(catalog.get("thoracic-open-book"))
    >>> page.startswith("<!doctype html>")
    True
    >>> "Hold 30 s; 3 times on each side" in page
    True
"""

from __future__ import annotations

import functools
import math

from typing import TYPE_CHECKING, Final

import attrs

from ..model import Region
from ..safety.validator import validate
from .text import Items, Part, Section, provenance, sections


if TYPE_CHECKING:
    import jinja2

    from markupsafe import Markup

    from ..model import Protocol
    from ..safety.limits import SafetyLimits


__all__ = ["DEFAULT_WEEKS", "MAX_GRID_WEEKS", "PLAIN_REGIONS", "to_html"]

#: Each region in the words a person uses, for the handout's subtitle.
PLAIN_REGIONS: Final = {
    Region.LUMBAR: "the lower back",
    Region.THORACIC: "the upper back",
    Region.CERVICAL: "the neck",
    Region.HIP: "the hips",
}

#: Weeks of the tick grid for a protocol whose programme has no set length and
#: no review point. Our choice: four weeks fits the page.
DEFAULT_WEEKS: Final = 4
#: The most weeks the grid shows; a longer programme's grid says to print the
#: page again. Our choice, to keep the grid on its page.
MAX_GRID_WEEKS: Final = 12

# The handout's reading order: the safety box comes before the exercises, so it
# is read before anyone starts.
_ORDER: Final = {
    Part.TITLE: 0,
    Part.PURPOSE: 1,
    Part.SAFETY: 2,
    Part.EXERCISE: 3,
    Part.SCHEDULE: 4,
    Part.SOURCES: 5,
    Part.REFERENCES: 6,
}


@attrs.frozen
class _Grid:
    """The tick grid: a row per week, a column per session day."""

    weeks: int
    days: int
    sessions: int
    review_week: int | None
    more_weeks: int


def to_html(protocol: Protocol, *, limits: SafetyLimits | None = None) -> str:
    """Write a protocol as a printable, self-contained HTML handout.

    Args:
        protocol: The protocol.
        limits: The safety limits it must meet; its audience's defaults unless
            given.

    Returns:
        The page, as text; write it as UTF-8.

    Raises:
        UnsafeProtocolError: The protocol fails validation; nothing is written.
    """
    validate(protocol, limits).raise_if_unsafe()
    content = sorted(
        (
            section
            for section in sections(protocol, limits=limits)
            if section.part not in {Part.SOURCES, Part.REFERENCES}
        ),
        key=lambda section: _ORDER[section.part],
    )
    content.append(_where_it_comes_from(protocol))
    return _template().render(
        protocol=protocol,
        sections=content,
        grid=_grid(protocol),
        region=PLAIN_REGIONS[protocol.region],
        figures=_figures(protocol, content),
    )


# Our choices, to read well and still fit the pages the handout promises: a
# figure sits beside the steps, as tall as this at most, and as wide as this
# share of the page at most (a body lying down is a low, wide picture).
_FIGURE_MM: Final = 38.0
_FIGURE_SHARE: Final = 0.45
_PAGE_MM: Final = 184.0  # the body's width, as the page's CSS sets it


def _figures(
    protocol: Protocol, content: list[Section]
) -> dict[str, tuple[Markup, float]]:
    """Each illustrated exercise's drawing and its width in mm, by its heading.

    An exercise without a figure has none. The SVG is ElementTree's, its
    texts escaped, so it goes into the page as it is.
    """
    from markupsafe import Markup  # noqa: PLC0415 - with Jinja2, loaded late

    from ._figures import aspect, exercise_drawing  # noqa: PLC0415 - when drawn

    headings = [s.heading for s in content if s.part is Part.EXERCISE]
    drawings = {}
    for heading, exercise in zip(headings, protocol.exercises, strict=True):
        if heading is None or exercise.figure is None:
            continue
        svg = exercise_drawing(exercise)
        width = min(_PAGE_MM * _FIGURE_SHARE, aspect(svg) * _FIGURE_MM)
        # ElementTree escaped every text in the SVG.
        drawings[heading] = (Markup(svg), round(width, 1))  # noqa: S704
    return drawings


def _where_it_comes_from(protocol: Protocol) -> Section:
    """The provenance in a person's words.

    What each source stands behind, with what was taken from it and whether it
    is our inference, then each publication once, numbered, with where to read
    it; without the kind of source that researchers weigh. A protocol that
    leans on one page for many things names that page once, and what several
    exercises take from a source alike is said once, for all of them.
    """
    numbers: dict[tuple[str, str | None], int] = {}
    labels: dict[tuple[int, str | None, bool], list[str]] = {}
    for label, source in provenance(protocol):
        number = numbers.setdefault((source.citation, source.url), len(numbers) + 1)
        labels.setdefault((number, source.note, source.inferred), []).append(label)
    claims = [
        "; ".join(named)
        + f": source {number}"
        + (f" ({note})" if note else "")
        + (" [our inference]" if inferred else "")
        for (number, note, inferred), named in labels.items()
    ]
    publications = [citation + (f": {url}" if url else "") for citation, url in numbers]
    return Section(
        Part.SOURCES,
        "Where this comes from",
        [Items(claims), Items(publications, "Sources", numbered=True)],
    )


def _grid(protocol: Protocol) -> _Grid:
    review = protocol.review
    review_week = None if review is None else math.ceil(review.after_days / 7)
    weeks = protocol.program_weeks or review_week or DEFAULT_WEEKS
    shown = min(weeks, MAX_GRID_WEEKS)
    if review_week is not None and review_week > shown:
        review_week = None
    return _Grid(
        weeks=shown,
        days=protocol.frequency.days_per_week,
        sessions=protocol.frequency.sessions_per_day,
        review_week=review_week,
        more_weeks=weeks - shown,
    )


@functools.cache
def _template() -> jinja2.Template:
    """The page's template, compiled once."""
    import jinja2  # noqa: PLC0415 - loaded with the first handout, not the package

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("mobility.formats", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("handout.html.jinja")
