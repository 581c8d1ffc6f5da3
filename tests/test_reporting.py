from typing import Any

import attrs
import pytest

from hypothesis import given, settings

from mobility import Progression, Protocol, SafetyLimits, catalog, validate
from mobility.research.reporting import (
    CERT,
    TIDIER,
    AnswerError,
    Origin,
    cert_items,
    cert_report,
    tidier_items,
    tidier_report,
)
from mobility.research.strategies import protocols


LUMBAR = catalog.get("lower-trunk-rotation")


class TestChecklists:
    def test_cert_has_19_items_in_seven_groups(self) -> None:
        """CERT: 16 items, 19 with their parts, in seven groups."""
        assert [key for key, *_ in CERT] == [
            "1", "2", "3", "4", "5", "6", "7a", "7b", "8", "9", "10", "11", "12",
            "13", "14a", "14b", "15", "16a", "16b",
        ]  # fmt: skip
        assert list(dict.fromkeys(group for _, group, *_ in CERT)) == [
            "Materials",
            "Provider",
            "Delivery",
            "Location",
            "Dosage",
            "Tailoring",
            "Compliance",
        ]

    def test_tidier_has_12_items(self) -> None:
        """TIDieR: 12 items."""
        assert [key for key, *_ in TIDIER] == [str(n) for n in range(1, 13)]


class TestCertItems:
    def test_what_the_protocol_answers(self) -> None:
        """Equipment, progression, each exercise, non-exercise parts and dosage."""
        items = cert_items(LUMBAR)
        answered = [item.key for item in items if item.origin is Origin.PROTOCOL]
        assert answered == ["1", "7a", "8", "10", "13"]
        missing = [item.key for item in items if item.origin is Origin.MISSING]
        assert missing == [
            "2", "3", "4", "5", "6", "7b", "9", "11", "12", "14a", "14b", "15",
            "16a", "16b",
        ]  # fmt: skip
        assert all(item.answer is None for item in items if item.key in missing)

    def test_answers_carry_the_protocol(self) -> None:
        """Each answer is built from the protocol's own data."""
        by_key = {item.key: item.answer or "" for item in cert_items(LUMBAR)}
        assert "none listed" in by_key["1"]
        assert by_key["7a"] == "The protocol defines no progression rule."
        for step in LUMBAR.exercises[0].instructions:
            assert step.text in by_key["8"]
        assert "hold 10-15 s; 10-15 times on each side" in by_key["13"]
        assert "15 red flag(s)" in by_key["10"]

    def test_an_illustrated_exercise_says_so(self) -> None:
        """CERT's item 8 asks for illustrations: said when the exercise has one."""
        drawn = {item.key: item.answer or "" for item in cert_items(LUMBAR)}["8"]
        assert "Illustrated: its start and end, drawn from beyond the feet" in drawn
        (exercise,) = LUMBAR.exercises
        undrawn = attrs.evolve(LUMBAR, exercises=(attrs.evolve(exercise, figure=None),))
        plain = {item.key: item.answer or "" for item in cert_items(undrawn)}["8"]
        assert "Illustrated" not in plain

    def test_inferred_figures_say_so(self) -> None:
        """Frequency and review, which the source does not give, are marked."""
        by_key = {item.key: item.answer or "" for item in cert_items(LUMBAR)}
        assert (
            "every day, once a day [our inference: the source protocol" in by_key["13"]
        )
        assert "review after 14 days [our inference:" in by_key["10"]

    def test_progression_rule(self) -> None:
        """A protocol with a progression rule reports it."""
        rule = Progression(
            every_days=3, reps_step=1, description="Only if comfortable."
        )
        items = cert_items(attrs.evolve(LUMBAR, progression=rule))
        (answer,) = [item.answer for item in items if item.key == "7a"]
        assert answer == "Every 3 days, add 1 repetition. Only if comfortable."

    def test_researcher_answers(self) -> None:
        """The researcher fills items in; their answers are marked as theirs."""
        items = {
            item.key: item
            for item in cert_items(
                LUMBAR, answers={"2": "Two physical therapists.", "13": "Per protocol."}
            )
        }
        assert items["2"].answer == "Two physical therapists."
        assert items["2"].origin is Origin.RESEARCHER
        assert items["13"].origin is Origin.PROTOCOL
        assert items["13"].answer is not None
        assert items["13"].answer.endswith("\n\nResearcher: Per protocol.")

    def test_unknown_answer(self) -> None:
        """An answer for an item that does not exist is refused."""
        with pytest.raises(AnswerError, match="no such item"):
            cert_items(LUMBAR, answers={"17": "x"})

    def test_without_safety_text(self) -> None:
        """No disclaimer: item 10 has nothing from the protocol."""
        items = cert_items(attrs.evolve(LUMBAR, disclaimer=None))
        (item,) = [item for item in items if item.key == "10"]
        assert item.origin is Origin.MISSING


class TestReports:
    def test_cert_report(self) -> None:
        """Markdown with every item, the gaps named, safety text and sources."""
        text = cert_report(LUMBAR)
        assert text.startswith("# CERT report: Lower trunk rotation\n")
        assert "5 of 19 items are answered from the protocol's data, 0 by" in text
        assert "**Needs the researcher's input (14 items):** 2, 3, 4" in text
        assert text.count("_Needs the researcher's input._") == 14
        for key, _, title, _ in CERT:
            assert f"### {key}. {title}" in text
        assert LUMBAR.disclaimer is not None
        for part in (
            LUMBAR.disclaimer.text,
            *LUMBAR.disclaimer.stop_rules,
            *LUMBAR.disclaimer.seek_care,
            *(flag.text for flag in LUMBAR.disclaimer.red_flags),
        ):
            assert part in text
        assert "## Where the figures come from" in text
        assert "against the safety limits for adults: passes" in text

    def test_report_names_the_researchers_answers(self) -> None:
        """Researcher answers appear with a mark and leave the gap count smaller."""
        text = cert_report(LUMBAR, answers={"12": "A university gym."})
        assert "A university gym.\n\n_(Provided by the researcher.)_" in text
        assert "13 items" in text

    def test_unsafe_protocol_is_reported_as_such(self) -> None:
        """A failing protocol says so, and a missing disclaimer is flagged."""
        text = cert_report(attrs.evolve(LUMBAR, disclaimer=None))
        assert "FAILS (1 error, 1 warning)" in text
        assert "THIS PROTOCOL HAS NO SAFETY TEXT" in text

    def test_limits(self) -> None:
        """The report applies the limits it is given."""
        text = cert_report(LUMBAR, limits=SafetyLimits.older_adults())
        assert "limits for adults 65+" in text
        assert "hold-seconds-below-typical" in text

    def test_tidier_report(self) -> None:
        """TIDieR answers name, why, materials, procedures and dose."""
        items = tidier_items(LUMBAR)
        assert [i.key for i in items if i.answered] == ["1", "2", "3", "4", "8"]
        text = tidier_report(LUMBAR)
        assert text.startswith("# TIDieR report: Lower trunk rotation\n")
        assert LUMBAR.purpose in text
        assert "Stop at once if your pain increases" in text

    @settings(max_examples=50)
    @given(protocols())
    def test_any_protocol(self, protocol: Protocol) -> None:
        """Any protocol gets a report that lists exactly its unanswered items."""
        items = cert_items(protocol)
        text = cert_report(protocol)
        missing = [item.key for item in items if not item.answered]
        assert text.count("_Needs the researcher's input._") == len(missing)
        report = validate(protocol)
        verdict = "passes" if report.ok else "FAILS"
        assert f"against the safety limits for {report.limits.name}: {verdict}" in text


# Text a hostile protocol or researcher could hold, and what it must not become.
HOSTILE = {
    "name": "<script>alert(1)</script>",
    "purpose": "![tracker](https://evil.example/t.png), <img src=x onerror=alert(1)>",
    "rationale": "[click](javascript:alert(1))\n# heading\n- item\n1. item",
}


def _hostile() -> Protocol:
    exercise = attrs.evolve(
        LUMBAR.exercises[0],
        name="<b>bold</b> **strong**",
        position="`code` <iframe src=https://evil.example>",
    )
    protocol = attrs.evolve(LUMBAR, exercises=(exercise,), **HOSTILE)
    disclaimer = attrs.evolve(
        protocol.disclaimer, stop_rules=("Stop <a href=https://evil.example>now</a>",)
    )
    return attrs.evolve(protocol, disclaimer=disclaimer)


class TestMarkdownStaysText:
    @pytest.mark.parametrize("report", [cert_report, tidier_report])
    def test_a_commonmark_renderer_makes_no_markup_of_protocol_text(
        self, report: Any
    ) -> None:
        """Script, images, links and HTML in a protocol render as their text."""
        from markdown_it import MarkdownIt  # noqa: PLC0415

        text = report(_hostile(), answers={"2": "<script>x</script> [a](https://e.x)"})
        html = MarkdownIt("commonmark").render(text)
        for markup in ("<script", "<img", "<iframe", "<a ", "<b>", "<strong>bold"):
            assert markup not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, not run
        if report is tidier_report:  # CERT has no item for the purpose
            assert "![tracker](https://evil.example/t.png)" in html

    def test_the_report_still_has_its_own_structure(self) -> None:
        """Headings, the id in code and the safety list are still Markdown."""
        from markdown_it import MarkdownIt  # noqa: PLC0415

        html = MarkdownIt("commonmark").render(cert_report(LUMBAR))
        assert "<h1>CERT report: Lower trunk rotation</h1>" in html
        assert "<code>lower-trunk-rotation</code>" in html
        assert "<li>Stop at once if your pain increases" in html
