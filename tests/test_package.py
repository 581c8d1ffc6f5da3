import subprocess
import sys
import tarfile

from importlib.metadata import version
from pathlib import Path

import pytest

import mobility

from mobility import (
    AnswerError,
    AxisError,
    FormatError,
    InvalidModelError,
    MobilityError,
    UnknownExerciseError,
    UnknownProtocolError,
    UnknownRegionError,
    UnsafeProtocolError,
    errors,
    progress,
)
from mobility.errors import RecordError


FIXED_NAMES = [
    "Exercise",
    "FormatError",
    "Hold",
    "MobilityError",
    "Protocol",
    "SafetyLimits",
    "Side",
    "Step",
    "UnsafeProtocolError",
    "__version__",
    "catalog",
    "from_dict",
    "from_json",
    "json_schema",
    "to_dict",
    "to_ical",
    "to_json",
    "validate",
]


class TestPublicNames:
    def test_all_is_sorted(self) -> None:
        """__all__ is kept sorted, so additions are easy to review."""
        assert mobility.__all__ == sorted(mobility.__all__)

    @pytest.mark.parametrize("name", mobility.__all__)
    def test_every_name_resolves(self, name: str) -> None:
        """Every name in __all__ is importable from the package."""
        assert getattr(mobility, name) is not None

    @pytest.mark.parametrize("name", FIXED_NAMES)
    def test_fixed_names(self, name: str) -> None:
        """The names apps and docs rely on are public."""
        assert name in mobility.__all__

    def test_dir_lists_lazy_names(self) -> None:
        """dir() shows names that load on first use."""
        assert {"validate", "SafetyLimits"} <= set(dir(mobility))

    def test_unknown_attribute(self) -> None:
        """A missing name is an AttributeError, as for any module."""
        with pytest.raises(AttributeError, match="has no attribute 'nope'"):
            mobility.nope  # noqa: B018

    def test_no_public_name_is_shadowed_by_a_module(self) -> None:
        """Importing every submodule leaves each public name what it was.

        A submodule named like a public function would replace the function on
        the package once anything imported it.
        """
        code = (
            "import importlib, pkgutil, types, mobility\n"
            "for info in pkgutil.walk_packages(mobility.__path__, 'mobility.'):\n"
            "    if not info.name.endswith('__main__'):\n"
            "        importlib.import_module(info.name)\n"
            "bad = [n for n in mobility.__all__ if n != 'catalog'\n"
            "       and isinstance(getattr(mobility, n), types.ModuleType)]\n"
            "print(bad)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout == "[]\n"

    def test_version_comes_from_the_metadata(self) -> None:
        """__version__ is the installed distribution's version."""
        assert mobility.__version__ == version("mobility-protocols")


class TestErrors:
    @pytest.mark.parametrize(
        ("error", "builtin"),
        [
            (FormatError, ValueError),
            (InvalidModelError, ValueError),
            (UnsafeProtocolError, ValueError),
            (UnknownProtocolError, KeyError),
            (UnknownExerciseError, KeyError),
            (UnknownRegionError, ValueError),
            (AxisError, ValueError),
            (AnswerError, ValueError),
            (RecordError, ValueError),
        ],
    )
    def test_library_error_and_builtin(
        self, error: type[Exception], builtin: type[Exception]
    ) -> None:
        """Each error can be caught as the library's root or as the builtin."""
        assert issubclass(error, MobilityError)
        assert issubclass(error, builtin)

    def test_every_public_error_lives_in_one_module(self) -> None:
        """Each exception class a public package exports lives in mobility.errors."""
        exported = {
            name: getattr(package, name)
            for package in (mobility, progress)
            for name in package.__all__
            if isinstance(getattr(package, name), type)
            and issubclass(getattr(package, name), BaseException)
        }
        assert set(exported) == set(errors.__all__) - {"Problem"}
        for error in exported.values():
            assert error.__module__ == "mobility.errors", error
            assert issubclass(error, MobilityError)

    def test_an_unknown_exercise_says_what_the_protocol_has(self) -> None:
        """Protocol.exercise raises a KeyError that names the known ids."""
        protocol = mobility.catalog.get("lower-trunk-rotation")
        with pytest.raises(KeyError) as info:
            protocol.exercise("open-book")
        error = info.value
        assert isinstance(error, UnknownExerciseError)
        assert (error.protocol_id, error.exercise_id) == (protocol.id, "open-book")
        assert error.known == ("lower-trunk-rotation",)
        assert str(error) == (
            "protocol 'lower-trunk-rotation' has no exercise 'open-book'; "
            "it has: lower-trunk-rotation"
        )

    def test_an_unknown_region_is_a_library_error(self) -> None:
        """catalog.find refuses an unknown region with the public error."""
        with pytest.raises(UnknownRegionError, match="unknown region 'knee'"):
            mobility.catalog.find(region="knee")


class TestSourceDistribution:
    def test_its_tests_run_from_the_unpacked_sdist(self, tmp_path: Path) -> None:
        """The sdist ships what its tests need: pytest collects all of them there."""
        from hatchling.builders.sdist import SdistBuilder  # noqa: PLC0415

        root = Path(__file__).parent.parent
        (archive,) = SdistBuilder(str(root)).build(directory=str(tmp_path))
        with tarfile.open(archive) as tar:
            tar.extractall(tmp_path / "unpacked", filter="data")
        (unpacked,) = (tmp_path / "unpacked").iterdir()
        names = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*")}
        assert {
            "conftest.py",
            "tests/conftest.py",
            "tests/data/v1",
            "tests/data/v2",
            "tests/data/v3",
            "tests/data/v4",
            "tests/data/v5",
        } <= names
        assert not any(name.startswith("docs/_build") for name in names)
        assert "tests/interop/package-lock.json" in names
        assert not any("node_modules" in name for name in names)

        def collected(where: Path) -> str:
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "--collect-only", "-q"],
                cwd=where,
                capture_output=True,
                text=True,
                check=False,
            )  # fmt: skip
            assert result.returncode == 0, result.stdout + result.stderr
            return result.stdout.strip().splitlines()[-1].split(" in ")[0]

        assert collected(unpacked) == collected(root)
