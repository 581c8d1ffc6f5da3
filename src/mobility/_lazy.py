"""Names a package exports but loads only the first time they are used."""

from __future__ import annotations

import importlib
import sys

from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


def attach(
    package: str, modules: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` for names that load on first use.

    Args:
        package: The package's ``__name__``.
        modules: Each lazy name and the module, relative to the package, that
            defines it.

    Returns:
        The two functions to assign to the package's ``__getattr__`` and
        ``__dir__``. A loaded name is stored in the package, so the module is
        looked up once.
    """

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module hook's own name
        module = modules.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:  # noqa: N807 - the module hook's own name
        namespace = sys.modules[package].__dict__
        return sorted(set(namespace) | set(namespace.get("__all__", ())))

    return __getattr__, __dir__
