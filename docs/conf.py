"""Sphinx configuration for the mobility documentation."""

from __future__ import annotations

import subprocess
import sys

from pathlib import Path
from typing import Any

from mobility import SafetyLimits, __version__, catalog, model, to_json
from mobility.catalog._page import page
from mobility.safety.rules import markdown_table, policy_table


project = "mobility"
author = "The mobility developers"
copyright = "2026, The mobility developers"
release = __version__
version = ".".join(__version__.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "_generated"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Show defaults as written, not as their repr: a repr such as that of an enum
# member ("<SourceKind...>") would not parse as a signature.
autodoc_preserve_defaults = True
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Every cross-reference must resolve (`-n`, and `-W` makes a miss fail the build).
# The build runs offline, so intersphinx cannot fetch the inventories of Python
# and of the libraries we use; their names, listed here, render as code instead
# of links. Everything of mobility's own must resolve.
nitpicky = True
# The type variable of mobility.model.replace() has no page of its own.
nitpick_ignore = [
    ("py:class", "mobility.model._T"),
    ("py:class", "mobility.formats.json._A"),
    ("py:class", "AttrsInstance"),  # attrs' protocol, named for the type checker
]
nitpick_ignore_regex = [
    (
        "py:.*",
        r"(attrs|collections|datetime|dt|enum|hypothesis|np|os|pathlib|st|zoneinfo)\..*",
    ),
    ("py:mod", "platformdirs"),
]

html_theme = "furo"
html_title = f"mobility {release}"


def _write_generated() -> None:
    """Generate the pages that must not drift from the code.

    The rules tables come from `mobility.safety.rules` and `SafetyLimits`
    themselves, and the example document from `to_json`, so the documentation
    always shows what the code does.
    """
    out = Path(__file__).parent / "_generated"
    out.mkdir(exist_ok=True)
    for name, limits in (
        ("limits-adults.md", SafetyLimits()),
        ("limits-older-adults.md", SafetyLimits.older_adults()),
        ("limits-before-performance.md", SafetyLimits.before_performance()),
    ):
        (out / name).write_text(markdown_table(limits) + "\n", encoding="utf-8")
    (out / "policies.md").write_text(policy_table() + "\n", encoding="utf-8")
    (out / "catalog.md").write_text(page(level=3), encoding="utf-8")
    (out / "fields.md").write_text(_fields_tables(), encoding="utf-8")
    example = to_json(catalog.get("thoracic-open-book"), indent=2)
    (out / "thoracic-open-book.json").write_text(example + "\n", encoding="utf-8")
    (out / "figures.md").write_text(_figures(out / "figures"), encoding="utf-8")
    # The plots, drawn by the examples the pages print, as a reader would run them.
    examples = Path(__file__).parent.parent / "examples"
    for script, picture in (
        ("plot_safe_region.py", "safe-region.png"),
        ("plot_log.py", "log.png"),
    ):
        subprocess.run(  # noqa: S603 - the project's own example scripts
            [sys.executable, str(examples / script), str(out / picture)],
            check=True,
            capture_output=True,
        )


#: The classes of a protocol document, in the order a reader meets them.
_DOCUMENT_CLASSES = (
    model.Protocol,
    model.Exercise,
    model.Step,
    model.Dose,
    model.Hold,
    model.Frequency,
    model.Progression,
    model.Review,
    model.Disclaimer,
    model.RedFlag,
    model.Caution,
    model.Adaptation,
    model.Source,
    model.Figure,
    model.Pose,
    model.Turn,
)


def _figures(folder: Path) -> str:
    """The gallery: every catalogue exercise's figure, drawn as the handout draws it.

    Each figure is written as an SVG file beside the page, with the exercise's
    own words as its text alternative, and the protocols that use it named.
    """
    from mobility.formats._figures import (  # noqa: PLC0415 - docs only
        alternative,
        aspect,
        exercise_drawing,
    )

    folder.mkdir(exist_ok=True)
    used: dict[str, list[str]] = {}
    exercises = {}
    for protocol in catalog.protocols():
        for exercise in protocol.exercises:
            exercises.setdefault(exercise.id, exercise)
            used.setdefault(exercise.id, []).append(protocol.name)
    parts = []
    for exercise_id, exercise in exercises.items():
        drawn = exercise.figure
        assert drawn is not None, exercise_id  # noqa: S101 - a test checks it too
        svg = exercise_drawing(exercise)
        (folder / f"{exercise_id}.svg").write_text(svg, encoding="utf-8")
        # As tall as a figure in the handout, or the page's width if that is less.
        size = (
            ":width: 100%"
            if aspect(svg) * _GALLERY_HEIGHT > _GALLERY_WIDTH
            else f":height: {_GALLERY_HEIGHT}px"
        )
        parts.append(
            f"### {exercise.name}\n\n"
            f"```{{image}} _generated/figures/{exercise_id}.svg\n"
            f":alt: {' '.join(alternative(exercise).split())}\n{size}\n```\n\n"
            f"Seen from {_VIEWS[drawn.view]}. In: {'; '.join(used[exercise_id])}.\n"
        )
    return "\n".join(parts)


_GALLERY_HEIGHT = 220  # pixels
_GALLERY_WIDTH = 680  # the content's width in the theme, near enough
_VIEWS = {
    "side": "the side",
    "front": "the front",
    "top": "above",
    "feet": "beyond the feet, and above",
}


def _fields_tables() -> str:
    """One table per class: each field and what it accepts, from its checks."""
    parts = []
    for cls in _DOCUMENT_CLASSES:
        rows = [f"### {cls.__name__}\n", "| field | accepts |", "|---|---|"]
        rows += [
            f"| `{name}` | {words.replace('{', '`{').replace('}', '}`')} |"
            for name, words in model.constraints(cls).items()
        ]
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


_write_generated()


def _public_bases(
    _app: object, _name: str, _obj: object, _options: object, bases: list[type]
) -> None:
    """Show a private base class as the public classes it stands for."""
    public: list[type] = []
    for base in bases:
        public += base.__bases__ if base.__name__.startswith("_") else [base]
    bases[:] = public


def _lazy_data_docs(  # noqa: PLR0913, PLR0917 - the signature Sphinx calls
    app: Any,  # noqa: ARG001 - the signature Sphinx calls
    what: str,
    name: str,
    obj: Any,
    options: Any,  # noqa: ARG001
    lines: list[str],
) -> None:
    """A lazily exported constant's ``#:`` comment, where the name is exported.

    autodoc looks for the comment in the package that exports the name and,
    not finding it, shows the docstring of the value's type (a tuple's, say)
    or nothing.
    """
    if what != "data":
        return
    import importlib  # noqa: PLC0415 - only this hook needs it

    from sphinx.pycode import ModuleAnalyzer  # noqa: PLC0415
    from sphinx.util.docstrings import prepare_docstring  # noqa: PLC0415

    package, _, attribute = name.rpartition(".")
    lazy = getattr(importlib.import_module(package), "_LAZY", {})
    if attribute not in lazy:
        return
    analyzer = ModuleAnalyzer.for_module(f"{package}.{lazy[attribute]}")
    comment = analyzer.find_attr_docs().get(("", attribute))
    typed = prepare_docstring(type(obj).__doc__ or "")
    shown = [line for line in lines if line]
    if comment is not None and shown in ([], [line for line in typed if line]):
        lines[:] = list(comment)


def setup(app: Any) -> None:
    """Register the hooks above."""
    app.connect("autodoc-process-bases", _public_bases)
    app.connect("autodoc-process-docstring", _lazy_data_docs)
