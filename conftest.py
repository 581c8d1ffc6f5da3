"""Run every code example in the Markdown docs and in the package's docstrings."""

from doctest import ELLIPSIS

from sybil import Sybil
from sybil.parsers import myst, rest


markdown_examples = Sybil(
    parsers=[
        myst.DocTestDirectiveParser(optionflags=ELLIPSIS),
        myst.PythonCodeBlockParser(doctest_optionflags=ELLIPSIS),
        myst.SkipParser(),
    ],
    patterns=["*.md"],
    excludes=["CHANGELOG.md"],
)

docstring_examples = Sybil(
    parsers=[rest.DocTestParser(optionflags=ELLIPSIS)],
    path="src",
    patterns=["*.py"],
)

pytest_collect_file = (markdown_examples + docstring_examples).pytest()
