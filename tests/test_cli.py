import doctest
import errno
import html
import json
import os
import pty
import re
import shlex
import signal
import stat
import subprocess
import sys
import tempfile

from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest

import mobility

from mobility import (
    Frequency,
    Hold,
    MobilityError,
    Progression,
    SafetyLimits,
    catalog,
    from_dict,
    from_json,
    json_schema,
    to_fhir,
    to_json,
    validate,
)
from mobility.cli import main
from mobility.cli._files import _write_atomic
from mobility.formats.json import SCHEMA_VERSION, report_to_dict
from mobility.progress import Advice


LUMBAR = catalog.get("lower-trunk-rotation")
TITLE = "Open book thoracic rotation (thoracic-open-book, thoracic region: upper back)"
DOCS = Path(__file__).parent.parent / "docs" / "cli.md"


def run(
    *args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m mobility ARGS` as a person would, capturing its output."""
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    environment.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "mobility", *args],
        cwd=cwd,
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def assert_user_error(result: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit 2, one line on stderr containing the message, no traceback."""
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


def write(path: Path, protocol: Any) -> Path:
    """Write a protocol document and return its path."""
    path.write_text(to_json(protocol), encoding="utf-8")
    return path


def unsafe() -> Any:
    """The lumbar protocol with a 90 s hold."""
    exercise = LUMBAR.exercises[0]
    dose = attrs.evolve(exercise.dose, hold=Hold(90))
    return attrs.evolve(LUMBAR, exercises=[attrs.evolve(exercise, dose=dose)])


class TestBasics:
    def test_version(self, tmp_path: Path) -> None:
        """--version prints the installed version."""
        result = run("--version", cwd=tmp_path)
        assert result.stdout == f"mobility {mobility.__version__}\n"
        assert result.returncode == 0

    def test_other_commands_do_not_look_up_the_version(self) -> None:
        """Only --version loads importlib.metadata, which is slow to import."""
        code = (
            "import sys, contextlib, io\n"
            "from mobility.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['list'])\n"
            "print('importlib.metadata' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out == "False\n"

    @pytest.mark.parametrize("options", [[], ["--format", "json", "--region", "hip"]])
    def test_list_builds_no_protocol(self, options: list[str]) -> None:
        """`mobility list` answers from the catalogue's index: no model, no paths."""
        code = (
            "import sys, contextlib, io\n"
            "from mobility.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['list', *{options!r}])\n"
            "print(sorted({'attrs', 'mobility.model', 'pathlib', 'datetime'}"
            " & set(sys.modules)))"
        )
        # Not under coverage: measuring the child would load pathlib itself.
        env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        assert out == "[]\n"

    @pytest.mark.parametrize(
        "command", ["list", "show", "validate", "export", "schema"]
    )
    def test_help_everywhere(self, command: str, tmp_path: Path) -> None:
        """Every subcommand has --help."""
        result = run(command, "--help", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout.startswith(f"usage: mobility {command}")

    def test_console_script_is_installed(self) -> None:
        """The `mobility` command is on the environment's path."""
        script = Path(sys.executable).parent / "mobility"
        result = subprocess.run(
            [str(script), "--version"], capture_output=True, text=True, check=True
        )
        assert result.stdout.startswith("mobility ")

    def test_main_returns_the_exit_code(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Called from Python, main() returns its code instead of exiting."""
        assert main(["--version"]) == 0
        assert main(["lst"]) == 2
        assert main(["show", "nope"]) == 2
        assert main(["list"]) == 0
        captured = capsys.readouterr()
        assert "invalid choice: 'lst'" in captured.err
        assert "lower-trunk-rotation" in captured.out

    def test_no_command(self, tmp_path: Path) -> None:
        """Without a command, one line says what is missing."""
        assert_user_error(run(cwd=tmp_path), "required: COMMAND")

    def test_unknown_command(self, tmp_path: Path) -> None:
        """A misspelt command is a mistake, said in one line."""
        assert_user_error(run("lst", cwd=tmp_path), "invalid choice: 'lst'")


def listed(*args: str, cwd: Path) -> list[str]:
    """The ids `mobility list` prints for these arguments."""
    lines = run("list", *args, cwd=cwd).stdout.split("\n\n")[0].splitlines()
    assert lines[0].split() == ["ID", "REGION", "MIN", "EVIDENCE", "NAME"]
    return [line.split()[0] for line in lines[1:] if not line.startswith("(")]


class TestList:
    def test_table(self, tmp_path: Path) -> None:
        """Each protocol is a row: id, region, minutes, evidence kind and name."""
        out = run("list", cwd=tmp_path).stdout
        lines = out.splitlines()
        assert listed(cwd=tmp_path) == list(catalog.ids())
        (lumbar,) = [line for line in lines if line.startswith("lower-trunk-rotation")]
        assert lumbar.split()[1:4] == ["lumbar", "(lower", "back)"]
        assert lumbar.split()[4] == "5-10"
        assert "practitioner's material" in lumbar
        assert lumbar.endswith("Lower trunk rotation")
        (inform,) = [line for line in lines if line.startswith("nhs-inform")]
        assert "public-health guidance" in inform
        assert "Stop at once if pain increases." in out

    def test_region(self, tmp_path: Path) -> None:
        """--region filters by any of a region's names; an unknown one is refused."""
        lumbar = listed("--region", "lumbar", cwd=tmp_path)
        assert lumbar == [p.id for p in catalog.find(region="lumbar")]
        assert "lower-trunk-rotation" in lumbar
        assert listed("--region", "lower back", cwd=tmp_path) == lumbar
        upper = listed("--region", "Upper-back", cwd=tmp_path)
        assert upper == [p.id for p in catalog.find(region="thoracic")]
        assert listed("--region", "neck", cwd=tmp_path) == []
        refused = run("list", "--region", "knee", cwd=tmp_path)
        assert_user_error(refused, "unknown region 'knee'")
        assert "thoracic (upper back)" in refused.stderr

    def test_filters_match_find(self, tmp_path: Path) -> None:
        """--position, --equipment and --max-minutes filter as catalog.find does."""
        assert listed("--position", "sitting", cwd=tmp_path) == [
            p.id for p in catalog.find(position="sitting")
        ]
        assert listed("--equipment", "none", cwd=tmp_path) == [
            p.id for p in catalog.find(equipment=[])
        ]
        assert listed("--equipment", "chair, mat", cwd=tmp_path) == [
            p.id for p in catalog.find(equipment=["chair", "mat"])
        ]
        assert listed("--region", "thoracic", "--max-minutes", "2", cwd=tmp_path) == [
            p.id for p in catalog.find(region="thoracic", max_minutes=2)
        ]

    def test_nothing_found_says_so(self, tmp_path: Path) -> None:
        """An empty result is a line that says so, still with the safety notice."""
        result = run("list", "--max-minutes", "0", cwd=tmp_path)
        assert result.returncode == 0
        assert "(no protocol matches)" in result.stdout
        assert "Stop at once if pain increases." in result.stdout

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("--position", "upside-down"), "'upside-down'"),
            (("--max-minutes", "ten"), "expected a number of minutes"),
            (("--max-minutes", "-1"), "expected a number of minutes"),
            (("--max-minutes", "nan"), "expected a number of minutes"),
        ],
    )
    def test_bad_filters_are_user_errors(
        self, tmp_path: Path, args: tuple[str, ...], message: str
    ) -> None:
        """A filter it cannot use is one line and exit code 2."""
        assert_user_error(run("list", *args, cwd=tmp_path), message)


class TestShowFigures:
    """`mobility show ID --figures FOLDER`: each exercise's figure as a file."""

    def test_each_exercise_figure_is_written_and_listed(self, tmp_path: Path) -> None:
        """One SVG per exercise, titled with its name, each path listed."""
        (tmp_path / "figs").mkdir()
        protocol = catalog.get("mayo-back-exercises")
        result = run("show", protocol.id, "--figures", "figs", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        listed = result.stdout.split("\nFigures:\n")[1].splitlines()
        for number, exercise in enumerate(protocol.exercises, start=1):
            path = tmp_path / "figs" / f"{exercise.id}.svg"
            assert f"{number}. {exercise.name}: figs/{exercise.id}.svg" in listed
            svg = path.read_text(encoding="utf-8")
            assert f"<title>{exercise.name}</title>" in svg
        assert protocol.disclaimer is not None
        assert protocol.disclaimer.stop_rules[0] in " ".join(result.stdout.split())

    def test_a_file_in_the_way_stops_it_with_nothing_written(
        self, tmp_path: Path
    ) -> None:
        """Without --force an existing figure is kept, and no other file appears."""
        (tmp_path / "figs").mkdir()
        kept = tmp_path / "figs" / "knee-rolls.svg"
        kept.write_text("mine", encoding="utf-8")
        result = run("show", "mayo-back-exercises", "--figures", "figs", cwd=tmp_path)
        assert result.returncode == 2
        assert "knee-rolls.svg exists; use --force" in result.stderr
        assert result.stdout == ""
        assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == [
            "knee-rolls.svg"
        ]
        assert kept.read_text(encoding="utf-8") == "mine"
        forced = run(
            "show", "mayo-back-exercises", "--figures", "figs", "--force", cwd=tmp_path
        )
        assert forced.returncode == 0
        assert kept.read_text(encoding="utf-8").startswith("<svg")

    def test_no_folder_is_a_clear_error(self, tmp_path: Path) -> None:
        """A missing folder is named, with no traceback and nothing shown."""
        result = run("show", "cat-cow", "--figures", "nowhere", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == "mobility: --figures: nowhere: no such folder\n"
        assert result.stdout == ""

    def test_an_exercise_without_a_figure_is_listed_without_one(
        self, tmp_path: Path
    ) -> None:
        """A protocol from a file whose exercise has no figure: said, none written."""
        (exercise,) = LUMBAR.exercises
        own = attrs.evolve(LUMBAR, exercises=(attrs.evolve(exercise, figure=None),))
        (tmp_path / "mine.json").write_text(to_json(own), encoding="utf-8")
        (tmp_path / "figs").mkdir()
        result = run("show", "mine.json", "--figures", "figs", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "1. Lower trunk rotation: none" in result.stdout
        assert list((tmp_path / "figs").iterdir()) == []

    def test_a_failed_write_takes_back_what_it_wrote(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
    ) -> None:
        """If the second file cannot be written, the first is removed again."""
        calls: list[Path] = []

        def failing(target: Path, data: bytes, *, force: bool) -> None:
            calls.append(target)
            if len(calls) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            _write_atomic(target, data, force=force)

        monkeypatch.setattr("mobility.cli._commands._write_atomic", failing)
        folder = tmp_path / "figs"
        folder.mkdir()
        code = main(["show", "mayo-back-exercises", "--figures", str(folder)])
        assert code != 0
        assert len(calls) == 2
        assert list(folder.iterdir()) == []
        shown = capsys.readouterr()
        assert shown.out == ""
        assert "No space left on device" in shown.err


class TestShow:
    def test_what_a_person_needs(self, tmp_path: Path) -> None:
        """Purpose, position, steps, dose per side, time and all of the safety text."""
        out = run("show", "lower-trunk-rotation", cwd=tmp_path).stdout
        text = " ".join(out.split())
        assert LUMBAR.disclaimer is not None
        for part in (
            LUMBAR.purpose,
            LUMBAR.exercises[0].position,
            *(step.text for step in LUMBAR.exercises[0].instructions),
            "hold 10-15 s; 10-15 times on each side",
            "One session takes about 5-10 min",
            LUMBAR.disclaimer.text,
            *LUMBAR.disclaimer.stop_rules,
            *LUMBAR.disclaimer.seek_care,
            *(flag.text for flag in LUMBAR.disclaimer.red_flags),
            "Checked against the safety limits for adults: passes",
        ):
            assert part in text

    def test_marks_what_the_source_does_not_say(self, tmp_path: Path) -> None:
        """Each figure the seed does not give is labelled as our inference."""
        out = run("show", "thoracic-open-book", cwd=tmp_path).stdout
        section = out.split("Where the figures come from")[1].split("References")[0]
        provenance = " ".join(section.split())
        for label in ("Dose, filled in:", "How often:", "Review:", "Red flags:"):
            part = provenance.split(label)[1].split(" - ")[0]
            assert part.rstrip().endswith("[our inference]"), (label, part)
        seed = provenance.split("Dose:")[1].split(" - ")[0]
        assert "3 times on each side, each stretch held 30 s" in seed
        assert "[our inference]" not in seed

    def test_plain_when_piped(self, tmp_path: Path) -> None:
        """Piped output has no escape codes and fits 78 columns.

        Only a web address is never broken, so that it can be copied whole.
        """
        for protocol_id in catalog.ids():
            out = run("show", protocol_id, cwd=tmp_path).stdout
            assert "\x1b" not in out
            for line in out.splitlines():
                assert len(line) <= 78 or re.fullmatch(r" +https?://\S+", line), line

    def test_bold_headings_in_a_terminal(self) -> None:
        """In a terminal, headings are bold; NO_COLOR turns that off."""
        shown = self.in_terminal({})
        bold = re.findall(r"\x1b\[1m(.*?)\x1b\[0m", shown)
        assert bold[:3] == [
            TITLE,
            "=" * len(TITLE),
            "1. Open book (side-lying thoracic rotation)",
        ]
        assert bold[3:] == ["Safety", "Where the figures come from", "References",
                            "Validation"]  # fmt: skip
        assert "\x1b" not in self.in_terminal({"NO_COLOR": "1"})

    def in_terminal(self, env: dict[str, str]) -> str:
        """Run `mobility show` with a pseudo-terminal as its stdout."""
        leader, follower = pty.openpty()
        environment = {**os.environ, "COLUMNS": "90", **env}
        if "NO_COLOR" not in env:
            environment.pop("NO_COLOR", None)
        with subprocess.Popen(
            [sys.executable, "-m", "mobility", "show", "thoracic-open-book"],
            stdout=follower,
            stderr=subprocess.DEVNULL,
            env=environment,
        ) as process:
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            process.wait()
        os.close(leader)
        return b"".join(chunks).decode()

    def test_from_a_file(self, tmp_path: Path) -> None:
        """A JSON file is shown like a catalogue id."""
        write(tmp_path / "mine.json", LUMBAR)
        result = run("show", "mine.json", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout == run("show", LUMBAR.id, cwd=tmp_path).stdout

    def test_unknown_id(self, tmp_path: Path) -> None:
        """An unknown id suggests the closest ones."""
        result = run("show", "lower-trunk", cwd=tmp_path)
        assert_user_error(result, "did you mean 'lower-trunk-rotation'?")

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "missing.json: No such file or directory"),
            (b'{"kind": "protocol",', "bad.json: $: not valid JSON"),
            (b'{"id": "\xff"}', "bad.json: $: the document is not UTF-8 text"),
        ],
    )
    def test_unreadable_file(
        self, tmp_path: Path, content: bytes | None, message: str
    ) -> None:
        """A file that cannot be read or parsed is one line, not a traceback."""
        name = "missing.json" if content is None else "bad.json"
        if content is not None:
            (tmp_path / name).write_bytes(content)
        assert_user_error(run("show", name, cwd=tmp_path), message)


class TestValidate:
    def test_valid(self, tmp_path: Path) -> None:
        """A valid file: its warnings, its verdict, exit 0."""
        write(tmp_path / "ltr.json", LUMBAR)
        result = run("validate", "ltr.json", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout.splitlines() == [
            (
                "ltr.json: $.exercises[0].dose.reps: repetitions per set, per side of "
                "10-15 reps is above the typical range (up to 10 reps) "
                "[reps-above-typical]"
            ),
            "ltr.json: valid (0 error(s), 1 warning(s))",
            "1 file(s): 1 valid",
        ]

    def test_unsafe_is_exit_1(self, tmp_path: Path) -> None:
        """A file with an error exits 1 and says where."""
        write(tmp_path / "ltr.json", LUMBAR)
        write(tmp_path / "unsafe.json", unsafe())
        result = run("validate", "ltr.json", "unsafe.json", cwd=tmp_path)
        assert result.returncode == 1
        assert (
            "unsafe.json: $.exercises[0].dose.hold.seconds: static hold of 90 s is "
            "above the maximum of 60 s [hold-seconds-above-maximum]"
        ) in result.stdout.splitlines()
        assert "unsafe.json: INVALID (4 error(s), 1 warning(s))" in result.stdout

    def test_a_fhir_bundle_is_read_as_its_protocol(self, tmp_path: Path) -> None:
        """`validate` and `show` take a bundle (by resourceType) as they take JSON."""
        write(tmp_path / "ltr.json", LUMBAR)
        bundle = tmp_path / "ltr.fhir.json"
        bundle.write_text(json.dumps(to_fhir(LUMBAR)), encoding="utf-8")
        from_json = run("validate", "ltr.json", cwd=tmp_path)
        from_fhir = run("validate", "ltr.fhir.json", cwd=tmp_path)
        assert from_fhir.returncode == from_json.returncode == 0
        assert "[reps-above-typical]" in from_fhir.stdout
        assert from_fhir.stdout == from_json.stdout.replace("ltr.json", "ltr.fhir.json")
        shown = run("show", "ltr.fhir.json", cwd=tmp_path)
        assert shown.returncode == 0
        assert shown.stdout == run("show", "ltr.json", cwd=tmp_path).stdout

    def test_a_damaged_bundle_is_located_in_fhir_terms(self, tmp_path: Path) -> None:
        """A bundle's problem names its FHIR path, not a missing `kind`."""
        document = to_fhir(LUMBAR)
        document["entry"][0]["resource"]["url"] = []
        (tmp_path / "bad.json").write_text(json.dumps(document), encoding="utf-8")
        result = run("validate", "bad.json", cwd=tmp_path)
        assert result.returncode == 2
        assert "bad.json: Bundle.entry[0].resource.url: expected" in result.stdout
        assert "$.kind" not in result.stdout
        shown = run("show", "-", cwd=tmp_path, stdin=b'{"resourceType": "Patient"}')
        assert_user_error(shown, "Bundle.resourceType: expected 'Bundle'")

    def test_unreadable_is_exit_2(self, tmp_path: Path) -> None:
        """A file that cannot be read or parsed makes the exit 2."""
        write(tmp_path / "unsafe.json", unsafe())
        (tmp_path / "broken.json").write_text('{"kind": "protocol", "id": 3', "utf-8")
        result = run(
            "validate", "unsafe.json", "broken.json", "missing.json", cwd=tmp_path
        )
        assert result.returncode == 2
        lines = result.stdout.splitlines()
        assert any(line.startswith("broken.json: $: not valid JSON") for line in lines)
        assert "missing.json: $: No such file or directory [unreadable]" in lines
        assert lines[-1] == "3 file(s): 1 invalid, 2 unreadable"

    def test_json_report(self, tmp_path: Path) -> None:
        """--format json gives scripts every finding with its source."""
        write(tmp_path / "unsafe.json", unsafe())
        (tmp_path / "bad.json").write_text("[]", "utf-8")
        result = run(
            "validate", "--format", "json", "unsafe.json", "bad.json", cwd=tmp_path
        )
        report = json.loads(result.stdout)
        assert result.returncode == 2
        assert report["limits"] == "each protocol's audience"
        first, second = report["files"]
        assert first["status"] == "invalid"
        assert first["errors"] == 4
        finding = first["findings"][0]
        assert finding["code"] == "hold-seconds-above-maximum"
        assert finding["severity"] == "error"
        assert finding["source"]["inferred"] is True
        assert second == {
            "file": "bad.json",
            "status": "unreadable",
            "problems": [
                {"path": "$", "message": "expected a JSON object, got an array"}
            ],
            "more_problems": 0,
        }

    def test_a_flood_of_problems_is_cut_short(self, tmp_path: Path) -> None:
        """A file with thousands of wrong values prints 100 lines and a count."""
        document = json.loads(to_json(LUMBAR))
        document["disclaimer"]["stop_rules"] = [1] * 900
        (tmp_path / "flood.json").write_text(json.dumps(document), "utf-8")
        shown = run("show", "flood.json", cwd=tmp_path)
        assert shown.returncode == 2
        lines = shown.stderr.splitlines()
        assert len(lines) == 101
        assert lines[-1] == "mobility: flood.json: ... and 800 more problems"
        checked = run("validate", "flood.json", cwd=tmp_path)
        assert checked.stdout.splitlines()[-2] == (
            "flood.json: ... and 800 more problems [unreadable]"
        )

    def test_json_report_is_the_library_report(self, tmp_path: Path) -> None:
        """Each file's entry is report_to_dict of the report the library gives."""
        write(tmp_path / "unsafe.json", unsafe())
        write(tmp_path / "fine.json", LUMBAR)
        files = ["unsafe.json", "fine.json"]
        result = run(
            "validate", "--format", "json", "--limits", "older-adults", *files,
            cwd=tmp_path,
        )  # fmt: skip
        entries = json.loads(result.stdout)["files"]
        for name, entry in zip(files, entries, strict=True):
            protocol = from_json((tmp_path / name).read_bytes())
            report = validate(protocol, SafetyLimits.older_adults())
            assert entry.pop("file") == name
            assert entry.pop("status") == ("valid" if report.ok else "invalid")
            assert entry == report_to_dict(report)

    def test_json_report_says_the_week(self, tmp_path: Path) -> None:
        """A bound that only a progression crosses comes with its week."""
        protocol = attrs.evolve(
            catalog.get("thoracic-open-book"),
            program_weeks=52,
            progression=Progression(every_days=7, hold_step_seconds=10),
        )
        write(tmp_path / "grows.json", protocol)
        result = run("validate", "--format", "json", "grows.json", cwd=tmp_path)
        assert result.returncode == 1
        (found,) = json.loads(result.stdout)["files"]
        weeks = {f["code"]: f["week"] for f in found["findings"]}
        assert weeks["hold-seconds-above-maximum"] == 5
        assert weeks["progression-hold-step-seconds-above-typical"] is None

    def test_before_performance_limits(self, tmp_path: Path) -> None:
        """--limits before-performance warns at 60 s of stretching per side."""
        exercise = LUMBAR.exercises[0]
        dose = attrs.evolve(exercise.dose, reps=3, hold=Hold(20))  # 60 s a side
        variant = attrs.evolve(LUMBAR, exercises=[attrs.evolve(exercise, dose=dose)])
        write(tmp_path / "warm-up.json", variant)
        plain = run("validate", "warm-up.json", cwd=tmp_path)
        assert "stretch-seconds-per-side" not in plain.stdout
        result = run(
            "validate", "--limits", "before-performance", "warm-up.json", cwd=tmp_path
        )
        assert result.returncode == 0  # a warning: the protocol is still allowed
        assert (
            "warm-up.json: $.exercises[0].dose: total stretch time per side in a "
            "session of 60 s is above the typical range (under 60 s) "
            "[stretch-seconds-per-side-above-typical]"
        ) in result.stdout.splitlines()

    def test_every_preset_is_a_choice(self) -> None:
        """The command offers exactly the presets the library has."""
        from mobility.cli._parser import _PRESETS  # noqa: PLC0415
        from mobility.safety.limits import PRESETS  # noqa: PLC0415

        assert set(_PRESETS) == set(PRESETS)

    def test_stdin(self, tmp_path: Path) -> None:
        """- reads the document from standard input."""
        result = run("validate", "-", cwd=tmp_path, stdin=to_json(LUMBAR).encode())
        assert result.returncode == 0
        assert result.stdout.splitlines()[-1] == "1 file(s): 1 valid"

    def test_older_adult_limits(self, tmp_path: Path) -> None:
        """--limits older-adults applies ACSM's 30-60 s holds."""
        write(tmp_path / "ltr.json", LUMBAR)
        result = run("validate", "--limits", "older-adults", "ltr.json", cwd=tmp_path)
        assert "[hold-seconds-below-typical]" in result.stdout
        assert result.returncode == 0

    def test_default_limits_follow_the_audience(self, tmp_path: Path) -> None:
        """Without --limits, each file gets the limits for whom it is written."""
        seated = catalog.get("seated-upper-back-routine")
        write(tmp_path / "seated.json", seated)
        write(tmp_path / "ltr.json", LUMBAR)
        result = run(
            "validate", "--format", "json", "seated.json", "ltr.json", cwd=tmp_path
        )
        report = json.loads(result.stdout)
        assert report["limits"] == "each protocol's audience"
        assert [f["limits"] for f in report["files"]] == ["adults 65+", "adults"]
        chosen = run("validate", "--format", "json", "--limits", "adults",
                     "seated.json", cwd=tmp_path).stdout  # fmt: skip
        assert json.loads(chosen)["files"][0]["limits"] == "adults"
        shown = run("show", seated.id, cwd=tmp_path).stdout
        assert "safety limits for adults 65+: passes" in " ".join(shown.split())


class TestExport:
    def test_json_to_stdout(self, tmp_path: Path) -> None:
        """Without -o, the document goes to standard output."""
        result = run("export", LUMBAR.id, "--format", "json", cwd=tmp_path)
        assert result.returncode == 0
        assert result.stdout == to_json(LUMBAR, indent=2) + "\n"
        assert from_json(result.stdout) == LUMBAR

    def test_ics_to_a_file(self, tmp_path: Path) -> None:
        """A calendar file with the schedule's options."""
        result = run(
            "export",
            LUMBAR.id,
            "--format",
            "ics",
            "--start",
            "2026-03-23",
            "--time",
            "07:30",
            "--tz",
            "Europe/Berlin",
            "--weeks",
            "2",
            "--alarm",
            "30",
            "-o",
            "ltr.ics",
            cwd=tmp_path,
        )
        assert result.returncode == 0
        assert result.stderr == "wrote ltr.ics\n"
        calendar = icalendar.Calendar.from_ical((tmp_path / "ltr.ics").read_bytes())
        session = calendar.events[0]
        assert session["DTSTART"].to_ical() == b"20260323T073000"
        assert session["RRULE"]["UNTIL"][0].date().isoformat() == "2026-04-05"
        assert session.subcomponents[0]["TRIGGER"].to_ical() == b"-PT30M"
        assert (tmp_path / "ltr.ics").stat().st_mode & 0o777 == 0o666 & ~_umask()

    def test_fhir_to_stdout(self, tmp_path: Path) -> None:
        """--format fhir writes the protocol's bundle, which reads back equal."""
        from mobility.formats.fhir import from_fhir  # noqa: PLC0415 - the test's subject

        result = run("export", LUMBAR.id, "--format", "fhir", cwd=tmp_path)
        assert result.returncode == 0
        bundle = json.loads(result.stdout)
        assert [e["resource"]["resourceType"] for e in bundle["entry"]] == [
            "PlanDefinition",
            "ActivityDefinition",
        ]
        assert from_fhir(bundle) == LUMBAR

    def test_fhir_with_start_adds_a_care_plan(self, tmp_path: Path) -> None:
        """With --start, the bundle carries the schedule as a CarePlan."""
        result = run(
            "export",
            LUMBAR.id,
            "--format",
            "fhir",
            "--start",
            "2026-03-23",
            "--tz",
            "Europe/Berlin",
            "-o",
            "ltr.fhir.json",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        bundle = json.loads((tmp_path / "ltr.fhir.json").read_text(encoding="utf-8"))
        care = bundle["entry"][-1]["resource"]
        assert care["resourceType"] == "CarePlan"
        assert care["period"]["start"] == "2026-03-23"

    def test_fhir_transaction_for_a_server(self, tmp_path: Path) -> None:
        """--bundle, --base and --subject: a transaction a server can run."""
        from mobility.formats.fhir import from_fhir  # noqa: PLC0415 - the test's subject

        result = run(
            "export",
            LUMBAR.id,
            "--format",
            "fhir",
            "--bundle",
            "transaction",
            "--base",
            "https://ehr.example.org/fhir",
            "--subject",
            "Patient/42",
            "--start",
            "2026-03-23",
            "--tz",
            "UTC",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        bundle = json.loads(result.stdout)
        assert bundle["type"] == "transaction"
        plan, _, care = (entry["resource"] for entry in bundle["entry"])
        assert plan["url"] == f"https://ehr.example.org/fhir/PlanDefinition/{LUMBAR.id}"
        assert care["subject"] == {"reference": "Patient/42"}
        assert all(entry["request"]["method"] == "POST" for entry in bundle["entry"])
        assert from_fhir(bundle) == LUMBAR

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (
                ["--base", "ftp://x"],
                "mobility: --base: expected an absolute http or https URL",
            ),
            (
                ["--subject", "Patient/1"],
                "mobility: --subject names the patient of a CarePlan: give --start",
            ),
            (
                ["--subject", "Patient 1", "--start", "2026-03-23", "--tz", "UTC"],
                (
                    "mobility: --subject: expected a reference such as Patient/123, "
                    "or an absolute URL to one, got 'Patient 1'"
                ),
            ),
            (["--bundle", "batch"], "invalid choice: 'batch'"),
        ],
    )
    def test_fhir_options_a_server_cannot_use(
        self, tmp_path: Path, options: list[str], message: str
    ) -> None:
        """Each is a usage error that says what it got; nothing is written."""
        result = run(
            "export",
            LUMBAR.id,
            "--format",
            "fhir",
            "-o",
            "x.json",
            *options,
            cwd=tmp_path,
        )
        assert result.returncode == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "x.json").exists()

    def test_the_parsers_fhir_base_is_the_mappings(self) -> None:
        """The help's default is written out so the parser loads no FHIR code."""
        from mobility.cli._parser import _FHIR_BASE  # noqa: PLC0415
        from mobility.formats.fhir import BASE  # noqa: PLC0415

        assert _FHIR_BASE == BASE

    def test_html_handout_to_a_file(self, tmp_path: Path) -> None:
        """--format html writes the handout with its safety text."""
        result = run(
            "export", LUMBAR.id, "--format", "html", "-o", "ltr.html", cwd=tmp_path
        )
        assert result.returncode == 0
        page = (tmp_path / "ltr.html").read_text(encoding="utf-8")
        assert page.startswith("<!doctype html>")
        assert LUMBAR.disclaimer is not None
        assert LUMBAR.disclaimer.stop_rules[0] in page

    @pytest.mark.parametrize("form", ["fhir", "html"])
    def test_unsafe_is_not_written(self, form: str, tmp_path: Path) -> None:
        """An unsafe protocol exits 1 and leaves no file, in the new forms too."""
        write(tmp_path / "unsafe.json", unsafe())
        result = run(
            "export", "unsafe.json", "--format", form, "-o", "out", cwd=tmp_path
        )
        assert result.returncode == 1
        assert "unsafe: not exported" in result.stderr
        assert not (tmp_path / "out").exists()

    def test_no_alarm_and_days(self, tmp_path: Path) -> None:
        """--days chooses the weekdays; --no-alarm leaves out reminders."""
        three_days = attrs.evolve(LUMBAR, frequency=Frequency(days_per_week=3))
        write(tmp_path / "three.json", three_days)
        result = run(
            "export", "three.json", "--format", "ics", "--tz", "UTC",
            "--days", "tu,th,sa", "--no-alarm", cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0
        assert "BYDAY=TU,TH,SA" in result.stdout
        assert "BEGIN:VALARM" not in result.stdout

    def test_zone_from_the_environment(self, tmp_path: Path) -> None:
        """Without --tz, the TZ variable gives the zone."""
        result = run(
            "export", LUMBAR.id, "--format", "ics", cwd=tmp_path,
            env={"TZ": "America/New_York"},
        )  # fmt: skip
        assert "DTSTART;TZID=America/New_York:" in result.stdout

    def test_existing_file_is_kept(self, tmp_path: Path) -> None:
        """An existing file is replaced only with --force."""
        target = tmp_path / "ltr.json"
        target.write_text("precious", "utf-8")
        result = run(
            "export", LUMBAR.id, "--format", "json", "-o", "ltr.json", cwd=tmp_path
        )
        assert_user_error(result, "ltr.json exists; use --force to replace it")
        assert target.read_text("utf-8") == "precious"
        forced = run(
            "export", LUMBAR.id, "--format", "json", "-o", "ltr.json", "--force",
            cwd=tmp_path,
        )  # fmt: skip
        assert forced.returncode == 0
        assert from_json(target.read_bytes()) == LUMBAR

    def test_unsafe_is_not_exported(self, tmp_path: Path) -> None:
        """An unsafe protocol: its errors on stderr, exit 1, nothing written."""
        write(tmp_path / "unsafe.json", unsafe())
        target = tmp_path / "out.json"
        target.write_text("previous", "utf-8")
        for fmt in ("json", "ics"):
            result = run(
                "export", "unsafe.json", "--format", fmt, "--tz", "UTC",
                "-o", "out.json", "--force", cwd=tmp_path,
            )  # fmt: skip
            assert result.returncode == 1
            assert (
                "[hold-seconds-above-maximum] (unsafe: not exported)" in result.stderr
            )
            assert "Traceback" not in result.stderr
            assert target.read_text("utf-8") == "previous"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "unsafe.json"]

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (
                ["--start", "2026-02-30"],
                "argument --start: expected a date as YYYY-MM-DD",
            ),
            (["--time", "7.30"], "argument --time: expected times as HH:MM"),
            (["--tz", "Mars/Olympus"], "--tz: unknown time zone 'Mars/Olympus'"),
            (["--tz", "UTC", "--weeks", "0"], "--weeks: must be between 1 and 520"),
            (
                ["--tz", "UTC", "--days", "MO"],
                "--days: 1 day(s) given, but the protocol",
            ),
            (["--tz", "UTC", "--days", "XX"], "--days: expected one of MO, TU"),
            (["--tz", "UTC", "--time", "08:00,09:00"], "--time: 2 time(s) given"),
            (["--tz", "UTC", "--alarm", "-5"], "--alarm takes minutes of 0 or more"),
            (["--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
        ],
    )
    def test_mistakes(self, tmp_path: Path, options: list[str], message: str) -> None:
        """Each mistake in the options is one line naming the option."""
        arguments = ["export", LUMBAR.id, *options]
        if "--format" not in options:
            arguments += ["--format", "ics"]
        assert_user_error(run(*arguments, cwd=tmp_path), message)

    def test_missing_folder(self, tmp_path: Path) -> None:
        """Writing into a folder that does not exist is a mistake, said plainly."""
        result = run(
            "export",
            LUMBAR.id,
            "--format",
            "json",
            "-o",
            "nowhere/x.json",
            cwd=tmp_path,
        )
        assert_user_error(result, "nowhere: no such folder")

    def test_two_sessions_default_to_morning_and_evening(self, tmp_path: Path) -> None:
        """Twice a day without --time: 08:00 and 20:00; --time still chooses."""
        twice = attrs.evolve(
            LUMBAR, frequency=Frequency(days_per_week=7, sessions_per_day=2)
        )
        write(tmp_path / "twice.json", twice)
        result = run(
            "export", "twice.json", "--format", "ics", "--tz", "UTC", cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        calendar = icalendar.Calendar.from_ical(result.stdout)
        starts = sorted(
            event.decoded("DTSTART").time().isoformat("minutes")
            for event in calendar.walk("VEVENT")
            if "RRULE" in event
        )
        assert starts == ["08:00", "20:00"]
        ok = run(
            "export", "twice.json", "--format", "ics", "--tz", "UTC",
            "--time", "07:00,18:00", cwd=tmp_path,
        )  # fmt: skip
        assert ok.stdout.count("BEGIN:VEVENT") == 3  # two series and the review


class TestAtomicWrite:
    def test_failure_midway_leaves_nothing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If writing fails, the old file stays and no temporary file is left."""
        target = tmp_path / "out.json"
        target.write_text("previous", "utf-8")

        def broken_fsync(_fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", broken_fsync)
        with pytest.raises(OSError, match="No space left") as info:
            _write_atomic(target, b"new content", force=True)
        assert info.value.filename == str(target)  # the file asked for, not the .tmp
        assert target.read_text("utf-8") == "previous"
        assert [p.name for p in tmp_path.iterdir()] == ["out.json"]

    def test_no_window_between_check_and_write(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file another writer creates meanwhile is never replaced without --force."""
        target = tmp_path / "out.json"
        real_mkstemp = tempfile.mkstemp

        def racing_mkstemp(**kwargs: Any) -> tuple[int, str]:
            target.write_text("the other writer's", "utf-8")  # after the check
            return real_mkstemp(**kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", racing_mkstemp)
        with pytest.raises(MobilityError, match="exists; use --force"):
            _write_atomic(target, b"mine", force=False)
        assert target.read_text("utf-8") == "the other writer's"
        assert [p.name for p in tmp_path.iterdir()] == ["out.json"]

    def test_without_hard_links_the_name_is_still_taken_exclusively(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """On a file system without links, the file is created only if it is new."""

        def no_links(_self: Path, _target: Path) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(Path, "hardlink_to", no_links)
        target = tmp_path / "out.json"
        _write_atomic(target, b"mine", force=False)
        assert target.read_bytes() == b"mine"
        with pytest.raises(MobilityError, match="exists; use --force"):
            _write_atomic(target, b"again", force=False)
        assert target.read_bytes() == b"mine"
        assert [p.name for p in tmp_path.iterdir()] == ["out.json"]

    def test_force_replaces_only_regular_files(self, tmp_path: Path) -> None:
        """--force onto a FIFO refuses, and the FIFO stays a FIFO."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        result = run(
            "export", "lower-trunk-rotation", "--format", "json", "--force",
            "-o", "pipe", cwd=tmp_path,
        )  # fmt: skip
        assert_user_error(result, "pipe is not a regular file; --force replaces only")
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]

    def test_a_signal_midway_leaves_nothing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SIGTERM while writing ends the command after removing its temporary file."""
        target = tmp_path / "out.json"

        def terminated(_fd: int) -> None:
            os.kill(os.getpid(), signal.SIGTERM)

        monkeypatch.setattr(os, "fsync", terminated)
        before = signal.getsignal(signal.SIGTERM)
        with pytest.raises(SystemExit) as info:
            main(["export", "lower-trunk-rotation", "--format", "json",
                  "-o", str(target)])  # fmt: skip
        assert info.value.code == 128 + signal.SIGTERM
        assert list(tmp_path.iterdir()) == []
        assert signal.getsignal(signal.SIGTERM) is before

    def test_keeps_the_mode_of_a_replaced_file(self, tmp_path: Path) -> None:
        """Replacing a file keeps its permissions."""
        target = tmp_path / "out.json"
        target.write_text("previous", "utf-8")
        target.chmod(0o640)
        _write_atomic(target, b"new", force=True)
        assert target.read_bytes() == b"new"
        assert target.stat().st_mode & 0o777 == 0o640


class TestSchema:
    @pytest.mark.parametrize(
        ("options", "kind"),
        [([], mobility.Protocol), (["--kind", "exercise"], mobility.Exercise)],
    )
    def test_prints_the_schema(
        self, tmp_path: Path, options: list[str], kind: type
    ) -> None:
        """The printed schema is json_schema()."""
        result = run("schema", *options, cwd=tmp_path)
        assert json.loads(result.stdout) == json_schema(kind)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def console_examples() -> list[tuple[int, list[tuple[str, str]]]]:
    """Each console block of docs/cli.md: (line, [(command, expected output)])."""
    blocks = []
    text = DOCS.read_text("utf-8")
    for match in re.finditer(r"```console\n(.*?)```", text, re.DOTALL):
        line = text.count("\n", 0, match.start()) + 1
        steps: list[tuple[str, str]] = []
        for row in match.group(1).splitlines(keepends=True):
            if row.startswith("$ "):
                steps.append((row[2:].strip(), ""))
            else:
                command, expected = steps[-1]
                steps[-1] = (command, expected + row)
        blocks.append((line, steps))
    return blocks


class TestDocumentation:
    def test_examples_run_as_printed(self, tmp_path: Path) -> None:
        """Every `$ mobility ...` example in docs/cli.md prints what it shows."""
        checker = doctest.OutputChecker()
        flags = doctest.ELLIPSIS
        blocks = console_examples()
        assert len(blocks) >= 6
        for line, steps in blocks:
            for command, expected in steps:
                words = shlex.split(command)
                assert words[0] == "mobility", f"docs/cli.md:{line}: {command}"
                result = subprocess.run(
                    [sys.executable, "-m", "mobility", *words[1:]],
                    cwd=tmp_path,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                    check=False,
                )
                assert "Traceback" not in result.stdout
                if not checker.check_output(expected, result.stdout, flags):
                    report = checker.output_difference(
                        doctest.Example(command, expected), result.stdout, flags
                    )
                    pytest.fail(f"docs/cli.md:{line}: $ {command}\n{report}")


class TestHostileInput:
    @pytest.mark.parametrize("start", ["9999-12-25", "9990-01-01"])
    def test_a_start_too_late_for_the_calendar(
        self, tmp_path: Path, start: str
    ) -> None:
        """A start whose schedule would run past 9999 is one line, not a traceback."""
        result = run(
            "export", "lower-trunk-rotation", "--format", "ics", "--tz", "UTC",
            "--start", start, cwd=tmp_path,
        )  # fmt: skip
        assert_user_error(result, f"--start: {start} is too late")
        assert result.stdout == ""

    @pytest.mark.parametrize(
        "command", [("show", "cat-cow"), ("run", "cat-cow", "--speed", "0")]
    )
    def test_an_output_that_cannot_take_a_character(
        self, tmp_path: Path, command: tuple[str, ...]
    ) -> None:
        """An ASCII terminal gets the degree sign escaped, not a traceback."""
        result = run(*command, cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout.isascii()
        if command[0] == "show":
            assert "38 \\xb0C" in result.stdout
        assert "Stop" in result.stdout

    def test_hostile_values_reach_no_terminal_raw(self, tmp_path: Path) -> None:
        """Escape sequences in a file's values, keys and name are printed escaped."""
        document = json.loads(to_json(LUMBAR))
        document["region"] = "\x1b]0;owned\x07"
        document["\x1b[2J"] = 1
        name = "evil\x1b[31m.json"
        (tmp_path / name).write_text(json.dumps(document), "utf-8")
        for command in ("show", "validate"):
            result = run(command, name, cwd=tmp_path)
            assert result.returncode == 2
            for stream in (result.stdout, result.stderr):
                assert "\x1b" not in stream
                assert "\x07" not in stream
            assert "evil\\u001b[31m.json" in result.stdout + result.stderr

    def test_a_control_character_in_text_is_refused(self, tmp_path: Path) -> None:
        """A stop rule that would clear the screen does not load, so it is not shown."""
        document = json.loads(to_json(LUMBAR))
        document["disclaimer"]["stop_rules"] = ["Stop.\x1b[2J"]
        (tmp_path / "clear.json").write_text(json.dumps(document), "utf-8")
        result = run("show", "clear.json", cwd=tmp_path)
        assert_user_error(result, "control character or lone surrogate U+001B")
        assert "\x1b" not in result.stderr

    def test_only_regular_files_and_stdin_are_read(self, tmp_path: Path) -> None:
        """A device, a FIFO or a folder is refused by name, without reading it."""
        os.mkfifo(tmp_path / "pipe")
        (tmp_path / "folder").mkdir()
        names = ["/dev/zero", "pipe", "folder"]
        result = subprocess.run(
            [sys.executable, "-m", "mobility", "validate", *names],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,  # a FIFO that is opened for reading would hang here
            check=False,
        )
        assert result.returncode == 2
        for name in names:
            assert (
                f"{name}: $: not a regular file; give a file, or - for stdin "
                "[unreadable]"
            ) in result.stdout.splitlines()
        shown = run("show", "/dev/zero", cwd=tmp_path)
        assert_user_error(shown, "/dev/zero: not a regular file")

    def test_stdin_is_read_only_to_the_cap(self, tmp_path: Path) -> None:
        """An endless stream on stdin is cut at the size cap and refused."""
        result = run("validate", "-", cwd=tmp_path, stdin=b" " * 3_000_000)
        assert result.returncode == 2
        assert "the document is too large (2097153 bytes)" in result.stdout


class TestProgressCommands:
    def test_log_list_and_advise(self, tmp_path: Path) -> None:
        """A session logged, listed, and advised on, through $MOBILITY_DB."""
        env = {"MOBILITY_DB": str(tmp_path / "log.sqlite3")}
        logged = run(
            "log", LUMBAR.id, "--pain-before", "3", "--pain-after", "2",
            "--at", "2026-03-02T08:00+01:00", cwd=tmp_path, env=env,
        )  # fmt: skip
        assert logged.returncode == 0, logged.stderr
        assert logged.stdout == (
            "recorded in row 1: 2026-03-02T08:00+01:00; done; pain 3 -> 2\n"
        )
        listed = run("log", LUMBAR.id, "--list", cwd=tmp_path, env=env)
        assert "2026-03-02T08:00+01:00; done; pain 3 -> 2" in listed.stdout
        assert "row 1: 2026-03-02T08:00+01:00" in listed.stdout
        assert "1 record(s) of lower-trunk-rotation count" in listed.stdout
        advice = run(
            "advise", LUMBAR.id, "--today", "2026-03-03", cwd=tmp_path, env=env
        )
        assert advice.returncode == 0
        assert "CONTINUE with the same dose." in advice.stdout
        assert "1 of 2 planned sessions done (50%)" in advice.stdout
        assert LUMBAR.disclaimer.stop_rules[0][:40] in advice.stdout  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("options", "code", "headline"),
        [
            (["--pain-before", "2", "--pain-after", "5"], 3, "STOP"),
            (["--stiffness", "worse"], 3, "SEEK CARE"),
            (["--red-flag", "chest pain"], 4, "EMERGENCY"),
            (["--red-flag", "8"], 4, "SEE A DOCTOR TODAY"),
        ],
    )
    def test_exit_codes(
        self, tmp_path: Path, options: list[str], code: int, headline: str
    ) -> None:
        """3 for stop and seek-care, 4 for emergency and a doctor today."""
        db = str(tmp_path / "log.sqlite3")
        at = ["--at", "2026-03-02T08:00+01:00"]
        logged = run("log", LUMBAR.id, "--db", db, *at, *options, cwd=tmp_path)
        assert logged.returncode == 0
        assert "needs attention now" in logged.stdout
        advice = run(
            "advise", LUMBAR.id, "--db", db, "--today", "2026-03-02", cwd=tmp_path
        )
        assert advice.returncode == code
        assert advice.stdout.splitlines()[3].startswith(headline)

    def test_since_reads_only_later_records(self, tmp_path: Path) -> None:
        """After a clinician's all-clear, --since leaves the old signs behind."""
        db = str(tmp_path / "log.sqlite3")
        run("log", LUMBAR.id, "--db", db, "--stiffness", "worse",
            "--at", "2026-03-02T08:00+01:00", cwd=tmp_path)  # fmt: skip
        run("log", LUMBAR.id, "--db", db, "--at", "2026-03-09T08:00+01:00",
            cwd=tmp_path)  # fmt: skip
        common = ["advise", LUMBAR.id, "--db", db, "--today", "2026-03-09"]
        assert run(*common, cwd=tmp_path).returncode == 3
        assert run(*common, "--since", "2026-03-05", cwd=tmp_path).returncode == 0

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (["--pain-after", "11"], "from 0 (no pain) to 10, got '11'"),
            (["--pain-after", "x"], "from 0 (no pain) to 10, got 'x'"),
            (["--at", "2026-03-02T08:00"], "with its UTC offset"),
            (
                ["--at", "2999-03-02T08:00+01:00"],
                "--at: 2999-03-02T08:00:00+01:00 is in",
            ),
            (["--step", "-1"], "expected a step from 0 to 1000"),
            (["--pain-before", "1_0"], "from 0 (no pain) to 10, got '1_0'"),
            (["--pain-before", "\u0663"], "from 0 (no pain) to 10, got"),
            (["--pain-before", "\uff13"], "from 0 (no pain) to 10, got"),
            (["--at", "0001-01-01T00:00+14:00"], "is out of range in UTC"),
            (["--reason", "typo"], "--reason goes with --correct or --void"),
            (["--skipped", "--pain-after", "2"], "skipped session has no pain"),
            (["--note", "\x1b[2J"], "SessionRecord.note"),
        ],
    )
    def test_mistakes_are_one_line(
        self, tmp_path: Path, options: list[str], message: str
    ) -> None:
        """Exit 2, one line naming the mistake, and nothing recorded."""
        db = tmp_path / "log.sqlite3"
        result = run("log", LUMBAR.id, "--db", str(db), *options, cwd=tmp_path)
        assert result.returncode == 2
        assert message in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert "\x1b" not in result.stderr
        if db.exists():
            listed = run("log", LUMBAR.id, "--db", str(db), "--list", cwd=tmp_path)
            assert "0 record(s)" in listed.stdout

    def test_a_file_that_is_not_a_database(self, tmp_path: Path) -> None:
        """Refused in one line, and the file is left as it was."""
        notes = tmp_path / "notes.txt"
        notes.write_bytes(b"not sqlite\n" * 50)
        result = run("log", LUMBAR.id, "--db", str(notes), cwd=tmp_path)
        assert result.returncode == 2
        assert "not a database" in result.stderr
        assert notes.read_bytes() == b"not sqlite\n" * 50

    def log(self, tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
        """`mobility log OPTIONS` on the test's database."""
        db = str(tmp_path / "log.sqlite3")
        return run("log", *options, "--db", db, cwd=tmp_path)

    def advise(
        self, tmp_path: Path, protocol: str = LUMBAR.id, *options: str
    ) -> subprocess.CompletedProcess[str]:
        """`mobility advise PROTOCOL OPTIONS` on the test's database."""
        db = str(tmp_path / "log.sqlite3")
        return run("advise", protocol, "--db", db, *options, cwd=tmp_path)

    def test_a_sign_in_plain_words_is_recorded_and_advised(
        self, tmp_path: Path
    ) -> None:
        """'loss of bladder control' is kept as typed and means an emergency."""
        at = ("--at", "2026-03-02T08:00+01:00")
        logged = self.log(
            tmp_path, LUMBAR.id, *at, "--red-flag", "loss of bladder control"
        )
        assert logged.returncode == 0, logged.stderr
        assert "sign reported: loss of bladder control" in logged.stdout
        assert "needs attention now" in logged.stdout
        advice = self.advise(tmp_path, LUMBAR.id, "--today", "2026-03-02")
        assert advice.returncode == 4
        assert advice.stdout.splitlines()[3].startswith("EMERGENCY")
        other = self.log(tmp_path, LUMBAR.id, *at, "--red-flag", "my toes went blue")
        assert other.returncode == 0

    def test_one_sign_given_many_times_is_one_sign(self, tmp_path: Path) -> None:
        """--red-flag 1 given 1,001 times: one sign, and advise still reads it."""
        at = ("--at", "2026-03-02T08:00+01:00")
        flags = [item for _ in range(1001) for item in ("--red-flag", "1")]
        logged = self.log(tmp_path, LUMBAR.id, *at, *flags)
        assert logged.returncode == 0, logged.stderr
        assert self.advise(tmp_path, LUMBAR.id, "--today", "2026-03-02").returncode == 4
        listed = self.log(tmp_path, LUMBAR.id, "--list")
        assert listed.returncode == 0
        assert listed.stdout.count("sign reported") == 1

    def test_a_record_too_large_to_read_back_is_refused(self, tmp_path: Path) -> None:
        """1,001 different signs: exit 2 and nothing kept, so nothing hides a STOP."""
        at = ("--at", "2026-03-02T08:00+01:00")
        self.log(tmp_path, LUMBAR.id, *at, "--pain-before", "2", "--pain-after", "5")
        flags = [item for n in range(1001) for item in ("--red-flag", f"sign {n}")]
        refused = self.log(tmp_path, LUMBAR.id, *at, *flags)
        assert_user_error(refused, "cannot be kept, nothing was written")
        advice = self.advise(tmp_path, LUMBAR.id, "--today", "2026-03-02")
        assert advice.returncode == 3
        assert "STOP" in advice.stdout

    def test_advise_on_a_missing_database_creates_nothing(self, tmp_path: Path) -> None:
        """A mistyped --db is exit 2, not an empty log's CONTINUE."""
        typo = tmp_path / "typo.db"
        advice = run("advise", LUMBAR.id, "--db", str(typo), cwd=tmp_path)
        assert_user_error(advice, "no such database")
        listed = run("log", LUMBAR.id, "--list", "--db", str(typo), cwd=tmp_path)
        assert_user_error(listed, "no such database")
        assert not typo.exists()

    def test_reading_commands_convert_nothing(self, tmp_path: Path) -> None:
        """`advise` and `log --list` read a first-layout file, leaving it as it was."""
        import sqlite3  # noqa: PLC0415 - only this test builds a database by hand

        from mobility.progress import _store  # noqa: PLC0415

        db = tmp_path / "old.sqlite3"
        connection = sqlite3.connect(db)
        _store._create(connection)
        connection.execute("PRAGMA user_version = 1")
        connection.commit()
        connection.close()
        before = db.read_bytes()
        advice = run("advise", LUMBAR.id, "--db", str(db), cwd=tmp_path)
        assert advice.returncode == 0, advice.stderr
        listed = run("log", LUMBAR.id, "--list", "--db", str(db), cwd=tmp_path)
        assert "0 record(s)" in listed.stdout
        assert db.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["old.sqlite3"]

    @pytest.mark.parametrize("command", ["log", "advise"])
    def test_a_device_is_not_a_database(self, tmp_path: Path, command: str) -> None:
        """--db /dev/zero: one line, and no journal appears beside the device."""
        result = run(command, LUMBAR.id, "--db", "/dev/zero", cwd=tmp_path)
        assert_user_error(result, "/dev/zero: not a regular file")
        assert not Path("/dev/zero-journal").exists()

    def test_six_of_ten_sessions_mean_stop(self, tmp_path: Path) -> None:
        """Pain 6/10 before and after the NHS routine's sessions: exit 3."""
        routine = "nhs-inform-back-exercises"
        for day in range(3):
            for hour in ("08", "13", "19"):
                when = f"2026-03-0{day + 2}T{hour}:00+01:00"
                logged = self.log(
                    tmp_path, routine, "--at", when, "--pain-before", "6",
                    "--pain-after", "6",
                )  # fmt: skip
                assert "needs attention now" in logged.stdout
        advice = self.advise(tmp_path, routine, "--today", "2026-03-05")
        assert advice.returncode == 3
        assert "PROGRESS" not in advice.stdout
        assert "\nSTOP the exercises now. The protocol says: Stop if" in advice.stdout

    def test_correct_and_void(self, tmp_path: Path) -> None:
        """A mistaken record is corrected, another voided; history keeps both."""
        at = ("--at", "2026-03-02T08:00+01:00")
        self.log(tmp_path, LUMBAR.id, *at, "--pain-before", "8")
        assert self.advise(tmp_path, LUMBAR.id, "--today", "2026-03-02").returncode == 3
        corrected = self.log(
            tmp_path, LUMBAR.id, *at, "--pain-before", "3", "--correct", "1",
            "--reason", "typed 8 for 3",
        )  # fmt: skip
        assert corrected.returncode == 0, corrected.stderr
        assert corrected.stdout.startswith("corrected: row 1 by row 2")
        assert self.advise(tmp_path, LUMBAR.id, "--today", "2026-03-02").returncode == 0
        self.log(tmp_path, LUMBAR.id, *at, "--red-flag", "chest pain")
        voided = self.log(tmp_path, LUMBAR.id, "--void", "3", "--reason", "mistake")
        assert voided.returncode == 0, voided.stderr
        assert self.advise(tmp_path, LUMBAR.id, "--today", "2026-03-02").returncode == 0
        listed = self.log(tmp_path, LUMBAR.id, "--list").stdout
        assert "[corrected by row 2: typed 8 for 3]" in listed
        assert "[void: mistake]" in listed
        assert "1 record(s) of lower-trunk-rotation count; 3 row(s) in all" in listed
        again = self.log(tmp_path, LUMBAR.id, "--void", "1")
        assert_user_error(again, "row 1 was corrected by row 2")

    def test_advice_and_history_as_json(self, tmp_path: Path) -> None:
        """--format json prints documents a program reads back."""
        at = ("--at", "2026-03-02T08:00+01:00")
        self.log(tmp_path, LUMBAR.id, *at, "--stiffness", "worse", "--step", "0")
        advice = self.advise(
            tmp_path, LUMBAR.id, "--today", "2026-03-02", "--format", "json"
        )
        assert advice.returncode == 3
        document = json.loads(advice.stdout)
        assert document["kind"] == "advice"
        assert document["action"] == "seek-care"
        assert document["disclaimer"]["stop_rules"] == list(
            LUMBAR.disclaimer.stop_rules  # type: ignore[union-attr]
        )
        assert from_dict(document, Advice).action == "seek-care"
        listed = json.loads(
            self.log(tmp_path, LUMBAR.id, "--list", "--format", "json").stdout
        )
        assert listed["kind"] == "session-history"
        (entry,) = listed["entries"]
        assert entry["id"] == 1
        assert entry["record"]["step"] == 0

    def test_the_session_log_schema(self, tmp_path: Path) -> None:
        """`mobility schema --kind session-log` prints the shipped schema."""
        result = run("schema", "--kind", "session-log", cwd=tmp_path)
        schema_id = f"urn:mobility:schema:session-log:{SCHEMA_VERSION}"
        assert json.loads(result.stdout)["$id"] == schema_id


class TestEveryEntryExports:
    """Every catalogue entry exports to every format with no options (issue 29)."""

    @pytest.mark.parametrize("protocol_id", catalog.ids())
    @pytest.mark.parametrize("kind", ["ics", "json", "fhir", "html"])
    def test_with_no_options(self, protocol_id: str, kind: str, tmp_path: Path) -> None:
        """No --time, --tz or --start needed: each writes its format, safety and all."""
        result = run(
            "export", protocol_id, "--format", kind, cwd=tmp_path, env={"TZ": "UTC"}
        )
        assert result.returncode == 0, result.stderr
        protocol = catalog.get(protocol_id)
        assert protocol.disclaimer is not None
        stop = protocol.disclaimer.stop_rules[0]
        if kind == "ics":
            calendar = icalendar.Calendar.from_ical(result.stdout)
            series = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
            assert len(series) == protocol.frequency.sessions_per_day
            assert all(stop in str(e.get("DESCRIPTION")) for e in series)
        elif kind == "html":
            assert stop in html.unescape(result.stdout)
        else:
            text = json.dumps(json.loads(result.stdout), ensure_ascii=False)
            assert stop in text


class TestJsonEverywhere:
    """`list` and `show` speak JSON too, for scripts (issue 29)."""

    def test_list_as_json_matches_the_table(self, tmp_path: Path) -> None:
        """The same protocols, filtered the same way, with the notice."""
        result = run("list", "--region", "upper back", "--format", "json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        found = catalog.find(region="thoracic")
        assert [p["id"] for p in document["protocols"]] == [p.id for p in found]
        first = document["protocols"][0]
        assert first["region"] == "thoracic"
        assert first["region_plain"] == "upper back"
        seconds = found[0].estimated_session_seconds
        assert first["session_seconds"] == {"low": seconds.low, "high": seconds.high}
        assert first["evidence"] == [k.value for k in catalog.evidence(found[0])]
        assert "Stop at once if pain increases." in document["notice"]

    def test_show_as_json_is_the_document_and_its_checks(self, tmp_path: Path) -> None:
        """The protocol's own JSON document, safety text included, and the report."""
        result = run("show", "cat-cow", "--format", "json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        assert from_dict(document["protocol"]) == catalog.get("cat-cow")
        assert document["validation"]["ok"] is True
        assert document["validation"]["limits"] == "adults"
        assert "figures" not in document

    def test_show_as_json_lists_the_figures_written(self, tmp_path: Path) -> None:
        """With --figures, each exercise's file, by the exercise's id."""
        (tmp_path / "figs").mkdir()
        result = run(
            "show", "cat-cow", "--format", "json", "--figures", "figs", cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["figures"] == {"cat-cow": "figs/cat-cow.svg"}
        assert (tmp_path / "figs" / "cat-cow.svg").is_file()
