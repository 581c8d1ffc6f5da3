"""Every form a protocol takes outside Python, each in its own public module.

:mod:`mobility.formats.text` (the words a person reads, shared by every other
form), :mod:`mobility.formats.json` and :mod:`mobility.formats.schema`,
:mod:`mobility.formats.ical`, :mod:`mobility.formats.fhir` and
:mod:`mobility.formats.handout`. The package builds on :mod:`mobility.model` and
:mod:`mobility.safety`, and on nothing above them.
"""
