"""The printable handout, printed by a real browser and read back from the PDF."""

import html
import html.parser
import re

from pathlib import Path
from xml.etree import ElementTree as ET

import attrs
import pytest

from mobility import Protocol, SourceKind, UnsafeProtocolError, catalog
from mobility.formats._figures import alternative
from mobility.formats.handout import MAX_GRID_WEEKS, to_html
from mobility.formats.text import describe_dose, provenance
from mobility.model import replace
from tests import browser
from tests.conftest import into_pain


SVG = "{http://www.w3.org/2000/svg}"
LUMBAR = catalog.get("lower-trunk-rotation")
THORACIC = catalog.get("thoracic-open-book")
SOURCE_PROTOCOLS = [LUMBAR, THORACIC]
STATIC = Path(__file__).parent.parent / "docs" / "_static"
MARGIN = 13 * 72 / 25.4  # the page's side margin, 13 mm, in points
#: The width between the side margins, in millimetres.
PRINTABLE = {"A4": 210 - 2 * 13, "letter": 215.9 - 2 * 13}


def safety_sentences(protocol: Protocol) -> list[str]:
    """Every sentence of a protocol's safety text."""
    disclaimer = protocol.disclaimer
    assert disclaimer is not None
    return [
        disclaimer.text,
        *disclaimer.stop_rules,
        *disclaimer.seek_care,
        *(flag.text for flag in disclaimer.red_flags),
        *(caution.text for caution in disclaimer.cautions or ()),
    ]


def outside_the_margins(pdf: Path) -> list[str]:
    """Words that reach past the printable width of their page."""
    return [
        f"{word!r} at {left:.0f}-{right:.0f} pt of {width:.0f}"
        for width, left, right, word in browser.words(pdf)
        if left < MARGIN - 1 or right > width - MARGIN + 1
    ]


class _Fetches(html.parser.HTMLParser):
    """Collects everything in a page that would make a browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {
            "script",
            "link",
            "img",
            "iframe",
            "object",
            "embed",
            "image",  # SVG's, as are the two below
            "use",
            "foreignobject",
        }:
            self.found.append(tag)
        for name, value in attrs:
            if name in {"src", "href", "srcset", "xlink:href"} and value:
                self.found.append(f"{name}={value}")

    def handle_data(self, data: str) -> None:
        if re.search(r"url\(|@import|@font-face", data):
            self.found.append(data[:40])


class TestPrinted:
    @pytest.mark.parametrize("protocol", SOURCE_PROTOCOLS, ids=lambda p: p.id)
    @pytest.mark.parametrize("paper", ["A4", "letter"])
    def test_two_pages_every_safety_sentence_nothing_cut(
        self, protocol: Protocol, paper: str, tmp_path: Path
    ) -> None:
        """Each source protocol prints on two pages with all its safety text."""
        pdf = browser.print_pdf(to_html(protocol), tmp_path, paper=paper)
        assert browser.pages(pdf) <= 2
        printed = browser.text(pdf)
        for sentence in safety_sentences(protocol):
            assert " ".join(sentence.split()) in printed
        assert outside_the_margins(pdf) == []
        page = to_html(protocol)
        assert browser.too_wide(page, tmp_path, millimetres=PRINTABLE[paper]) == []

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_every_entry_prints_whole(self, protocol_id: str, tmp_path: Path) -> None:
        """Every catalogue entry prints on A4 within its margins, safety included."""
        protocol = catalog.get(protocol_id)
        pdf = browser.print_pdf(to_html(protocol), tmp_path)
        assert browser.pages(pdf) <= 3
        printed = browser.text(pdf)
        for sentence in safety_sentences(protocol):
            assert " ".join(sentence.split()) in printed
        for exercise in protocol.exercises:
            assert " ".join(exercise.instructions[0].text.split()) in printed
        assert outside_the_margins(pdf) == []

    def test_the_width_check_can_fail(self, tmp_path: Path) -> None:
        """A line that cannot wrap is caught reaching past the printable width."""
        page = to_html(LUMBAR).replace(
            "<body>", '<body><p style="white-space: nowrap">' + "wide " * 60 + "</p>"
        )
        assert browser.too_wide(page, tmp_path, millimetres=PRINTABLE["A4"])

    def test_the_text_check_can_fail(self, tmp_path: Path) -> None:
        """A stop rule left out of the page is missed in the PDF's text."""
        disclaimer = LUMBAR.disclaimer
        assert disclaimer is not None
        page = to_html(LUMBAR).replace(disclaimer.stop_rules[0], "")
        printed = browser.text(browser.print_pdf(page, tmp_path))
        assert " ".join(disclaimer.stop_rules[0].split()) not in printed

    def test_png_of_the_first_page(self, tmp_path: Path) -> None:
        """The printed page renders to an image, as the docs show it."""
        pdf = browser.print_pdf(to_html(THORACIC), tmp_path)
        images = browser.png(pdf, tmp_path)
        assert len(images) == browser.pages(pdf)
        assert images[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


class TestPage:
    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_self_contained(self, protocol_id: str) -> None:
        """Nothing in the page, figures included, makes a browser fetch."""
        page = to_html(catalog.get(protocol_id))
        parser = _Fetches()
        parser.feed(page)
        assert parser.found == []
        assert "default-src 'none'" in page

    def test_the_fetch_check_can_fail(self) -> None:
        """The fetch finder sees a stylesheet link, a web font and an SVG image."""
        parser = _Fetches()
        parser.feed(
            '<link rel="stylesheet" href="https://x/y.css">'
            "<style>@font-face { src: url(https://x/f.woff) }</style>"
            '<svg><image xlink:href="https://x/p.png"/></svg>'
        )
        assert len(parser.found) == 5

    def test_texts_are_escaped(self) -> None:
        """Markup in a protocol's text is shown, never run."""
        hostile = attrs.evolve(
            LUMBAR, name="<script>alert(1)</script>", purpose='"><img src=x>'
        )
        page = to_html(hostile)
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<img" not in page

    def test_dose_in_large_type(self) -> None:
        """The dose has its own large line, capitalised."""
        page = to_html(LUMBAR)
        assert (
            '<p class="dose">Hold 10-15 s; 10-15 times on each side; stretch to '
            "the point of tightness.</p>"
        ) in page

    def test_safety_before_the_exercises(self) -> None:
        """The safety box is read before the first exercise."""
        page = to_html(LUMBAR)
        assert page.index('class="part safety"') < page.index('class="part exercise"')

    def test_tick_grid_follows_the_frequency_and_review(self) -> None:
        """A row per week up to the review, a column per day, a box per session."""
        page = to_html(LUMBAR)
        assert page.count('<th scope="row">') == 2
        assert "2 (review)" in page
        assert page.count('class="box"') == 2 * 7
        twice = replace(
            LUMBAR,
            frequency=attrs.evolve(
                LUMBAR.frequency, days_per_week=3, sessions_per_day=2
            ),
        )
        assert to_html(twice).count('class="box"') == 2 * 3 * 2

    def test_a_long_programme_grid_is_capped(self) -> None:
        """A year-long programme shows the first weeks and says how many follow."""
        long = attrs.evolve(LUMBAR, program_weeks=52)
        page = to_html(long)
        assert page.count('<th scope="row">') == MAX_GRID_WEEKS
        assert f"runs {52 - MAX_GRID_WEEKS} more weeks" in page

    def test_unsafe_protocol_is_not_written(self) -> None:
        """As for every other format, an unsafe protocol raises."""
        unsafe = into_pain(LUMBAR)
        with pytest.raises(UnsafeProtocolError):
            to_html(unsafe)


class TestForAPerson:
    """What a person holds: their words, in type they can read."""

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_no_slug_and_no_kind_of_source(self, protocol_id: str) -> None:
        """No id, and no "[practitioner's material]": that is for researchers."""
        protocol = catalog.get(protocol_id)
        page = html.unescape(to_html(protocol))
        assert protocol.id not in page
        for kind in SourceKind:
            assert f"[{kind.label}]" not in page
        assert "Where this comes from" in page
        assert page.index("Where this comes from") > page.index("Your sessions")

    def test_the_provenance_keeps_inference_and_addresses(self) -> None:
        """What is our inference still says so, and each source where to read it."""
        page = html.unescape(to_html(LUMBAR))
        tail = page[page.index("Where this comes from") :]
        assert "[our inference]" in tail
        for source in LUMBAR.sources:
            if source.url:
                assert source.url in tail

    def test_the_region_in_plain_words(self) -> None:
        """The subtitle says which part of the back, as a person says it."""
        assert '<p class="meta">For the lower back</p>' in to_html(LUMBAR)
        assert '<p class="meta">For the upper back</p>' in to_html(THORACIC)

    def test_body_text_is_12_points_and_there_is_one_main(self) -> None:
        """12 pt body text, a <main> landmark, and a caption on the tick grid."""
        page = to_html(LUMBAR)
        assert re.search(r"body \{[^}]*font: 12pt/", page)
        assert not re.search(
            r"font-size: (\d|1[01])(\.\d)?pt", page.split(".sources {")[0]
        )
        assert page.count("<main>") == page.count("</main>") == 1
        assert page.index("<main>") < page.index('class="part safety"')
        assert re.search(r'<table class="ticks">\s*<caption>Tick a box', page)

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_each_exercise_has_its_figure_with_its_steps(
        self, protocol_id: str
    ) -> None:
        """A figure per exercise, named and described, kept on the steps' page."""
        protocol = catalog.get(protocol_id)
        page = to_html(protocol)
        kept = page.split('<div class="keep">')[1:]
        assert len(kept) == len(protocol.exercises)
        for block, exercise in zip(kept, protocol.exercises, strict=True):
            block = block.split("</div>")[0]  # noqa: PLW2901 - the kept part
            found = re.search(r'<figure class="figure"[^>]*>(<svg.*?</svg>)', block)
            assert found, exercise.id
            assert block.index("<figure") < block.index('<ol class="steps">')
            svg = ET.fromstring(found.group(1))  # noqa: S314 - our own page
            assert svg.get("role") == "img"
            assert svg.findtext(f"{SVG}title") == exercise.name
            assert svg.findtext(f"{SVG}desc") == alternative(exercise)

    def test_an_exercise_without_a_figure_is_printed_without_one(self) -> None:
        """No figure, no drawing: the page prints the words alone."""
        (exercise,) = LUMBAR.exercises
        own = replace(LUMBAR, exercises=[replace(exercise, figure=None)])
        page = to_html(own)
        assert "<figure" not in page
        assert "<svg" not in page

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_each_source_is_named_once_and_every_claim_points_at_it(
        self, protocol_id: str
    ) -> None:
        """A numbered list of sources, each once; each claim names its number."""
        protocol = catalog.get(protocol_id)
        page = to_html(protocol)
        tail = page[page.index("Where this comes from") :]
        claims, sources = (
            [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", part)]
            for part in tail.split("<h3>Sources</h3>")
        )
        assert len(sources) == len(set(sources))
        for label, source in provenance(protocol):
            named = source.citation + (f": {source.url}" if source.url else "")
            number = sources.index(named) + 1
            said = (
                f": source {number}"
                + (f" ({source.note})" if source.note else "")
                + (" [our inference]" if source.inferred else "")
            )
            assert any(label in c and c.endswith(said) for c in claims), label

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_each_dose_prints_on_its_exercises_page(
        self, protocol_id: str, tmp_path: Path
    ) -> None:
        """An exercise's heading, steps and dose are never split across pages."""
        protocol = catalog.get(protocol_id)
        pdf = browser.print_pdf(to_html(protocol), tmp_path)
        pages = [
            browser.text_of_page(pdf, number)
            for number in range(1, browser.pages(pdf) + 1)
        ]
        assert split_doses(protocol, pages) == []

    def test_the_page_check_can_fail(self, tmp_path: Path) -> None:
        """A page break forced after the steps is caught."""
        page = to_html(LUMBAR).replace(
            "</style>",
            ".steps { break-after: page; } .keep { break-inside: auto; }</style>",
        )
        pdf = browser.print_pdf(page, tmp_path)
        pages = [browser.text_of_page(pdf, n) for n in range(1, browser.pages(pdf) + 1)]
        assert split_doses(LUMBAR, pages) == ["1. Lower trunk rotation"]


def split_doses(protocol: Protocol, pages: list[str]) -> list[str]:
    """The exercises whose dose is not on the page of their heading."""
    split = []
    for number, exercise in enumerate(protocol.exercises, start=1):
        heading = f"{number}. {exercise.name}"
        dose = describe_dose(exercise.dose)
        dose = (dose[:1].upper() + dose[1:])[:20]
        (page,) = (p for p in pages if heading in p)
        if dose not in page:
            split.append(heading)
    return split


class TestDocsImages:
    @pytest.mark.parametrize("protocol_id", catalog.ids())
    def test_each_entry_has_its_image(self, protocol_id: str) -> None:
        """docs/_static holds a printed first page of every catalogue entry."""
        image = STATIC / f"handout-{protocol_id}.png"
        assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), (
            f"{image} is missing: run `make handouts`"
        )
