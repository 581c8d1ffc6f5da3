"""The benchmarks stay runnable: their rival model reads what the format writes.

``make bench`` is not part of ``make test`` (it times, and timing belongs to no
test), so a format change could break a benchmark unseen, as version 5 once did
to ``benchmarks/json_roundtrip.py``. Its pydantic model of the document must
accept every catalogue protocol as ``to_json`` writes it today.
"""

from __future__ import annotations

import importlib.util
import sys

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mobility import catalog, to_json
from mobility.formats.json import SCHEMA_VERSION


if TYPE_CHECKING:
    from types import ModuleType


BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def rival() -> ModuleType:
    """``benchmarks/pydantic_model.py``, loaded as the benchmark loads it."""
    spec = importlib.util.spec_from_file_location(
        "pydantic_model", BENCHMARKS / "pydantic_model.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pydantic_model", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("protocol", catalog.protocols(), ids=catalog.ids())
def test_the_rival_model_reads_every_catalogue_document(protocol: object) -> None:
    """The same document, read by pydantic, written back equal."""
    model = rival().Protocol
    text = to_json(protocol)  # type: ignore[arg-type]
    read = model.model_validate_json(text)
    assert read.schema_version == SCHEMA_VERSION
    assert model.model_validate_json(read.model_dump_json()) == read


def test_the_rival_refuses_an_unknown_key() -> None:
    """Strict, as the benchmark says: an unknown key is refused, not dropped."""
    model = rival().Protocol
    text = to_json(catalog.get("cat-cow")).replace(
        '"in_turn":false', '"in_turn":false,"tempo":3', 1
    )
    with pytest.raises(ValueError, match="tempo"):
        model.model_validate_json(text)
