"""Check calendar files with libical, as Evolution does, and print what it says.

Run by Debian's Python (``/usr/bin/python3``), which has libical's GObject
bindings (packages ``python3-gi`` and ``gir1.2-ical-3.0``)::

    /usr/bin/python3 libical_check.py FILE...

For each file it prints one JSON line: the file, and the X-LIC-ERROR texts
libical adds after parsing and ``check_restrictions``. An empty list means
libical found nothing wrong.
"""

import json
import sys

from pathlib import Path

import gi


gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def errors(text: str) -> list[str]:
    """The X-LIC-ERROR lines libical adds to a calendar after its checks."""
    component = ICalGLib.Component.new_from_string(text)
    if component is None:
        return ["libical could not parse the file"]
    component.check_restrictions()
    lines = component.as_ical_string().splitlines()
    return [line for line in lines if line.startswith("X-LIC-ERROR")]


for name in sys.argv[1:]:
    found = errors(Path(name).read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps({"file": name, "errors": found}) + "\n")
