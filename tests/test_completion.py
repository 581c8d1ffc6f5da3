"""Shell completion: the bash script, asked what it completes, as bash asks it.

Typing Tab in a real bash and zsh is tried in ``tests/interop/test_terminal.py``;
here bash runs the completion function with the words a person typed and prints
what it offers.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess

from typing import TYPE_CHECKING

import pytest

from mobility import catalog
from mobility.cli import main
from mobility.cli._completion import script
from mobility.cli._parser import _parser


if TYPE_CHECKING:
    from pathlib import Path


def offered(words: str, folder: Path) -> list[str]:
    """What bash's completion of ``mobility`` offers after ``words``, in ``folder``.

    A trailing space in ``words`` means a new, empty word is being completed.
    """
    bash = shutil.which("bash")
    if bash is None:
        pytest.fail("bash is not available, so completion cannot be checked")
    (folder / "complete.bash").write_text(script("bash"), encoding="utf-8")
    parts = words.split(" ")
    program = (
        "source complete.bash\n"
        f"COMP_WORDS=({' '.join(repr(p) for p in parts)})\n"
        f"COMP_CWORD={len(parts) - 1}\n"
        f"COMP_LINE={words!r}\n"
        "COMP_POINT=${#COMP_LINE}\n"
        "_shtab_mobility\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", program],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line]


class TestBash:
    def test_every_command(self, tmp_path: Path) -> None:
        """The commands, as the parser has them: nothing to keep in step by hand."""
        commands = next(
            action
            for action in _parser()._actions
            if isinstance(action, argparse._SubParsersAction)
        )
        names = list(commands.choices)
        assert offered("mobility ", tmp_path) == names
        assert "run" in names
        assert "completion" in names

    def test_ids_and_json_files_where_a_protocol_goes(self, tmp_path: Path) -> None:
        """A catalogue id, a JSON file or a folder; not any other file."""
        (tmp_path / "mine.json").write_text("{}", encoding="utf-8")
        (tmp_path / "notes.txt").write_text("", encoding="utf-8")
        (tmp_path / "plans").mkdir()
        found = offered("mobility run ", tmp_path)
        assert found[: len(catalog.ids())] == list(catalog.ids())
        assert {"mine.json", "plans"} <= set(found)
        assert "notes.txt" not in found
        assert offered("mobility show thor", tmp_path) == [
            "thoracic-open-book",
            "thoracic-trial-sitting",
        ]

    def test_options_and_their_choices(self, tmp_path: Path) -> None:
        """An option by its start, and a choice after it."""
        assert offered("mobility run cat-cow --sp", tmp_path) == ["--speed"]
        assert offered("mobility run cat-cow --end ", tmp_path) == ["low", "high"]
        assert offered("mobility export cat-cow --format ", tmp_path) == [
            "json",
            "ics",
            "fhir",
            "html",
        ]
        assert offered("mobility schema --kind t", tmp_path) == ["timeline"]

    def test_regions_by_either_name(self, tmp_path: Path) -> None:
        """Anatomical or plain, hyphenated into one word as --region accepts it."""
        found = offered("mobility list --region ", tmp_path)
        assert {"lumbar", "lower-back", "thoracic", "upper-back", "neck"} <= set(found)
        assert offered("mobility list --region upp", tmp_path) == ["upper-back"]


class TestTheCommand:
    @pytest.mark.parametrize("shell", ["bash", "zsh"])
    def test_prints_the_script(
        self, shell: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The script, with the catalogue's ids in it."""
        assert main(["completion", shell]) == 0
        out = capsys.readouterr().out
        assert "_mobility_sources" in out
        assert "lower-trunk-rotation" in out
        if shell == "zsh":
            assert out.startswith("#compdef mobility")

    def test_an_unknown_shell(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Only the shells it can write for."""
        assert main(["completion", "fish"]) == 2
        assert "invalid choice: 'fish'" in capsys.readouterr().err
