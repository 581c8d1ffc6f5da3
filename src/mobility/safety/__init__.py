"""Whether a protocol is safe to give: the limits, the rules and the validator.

:mod:`mobility.safety.limits` holds the numbers, each with the evidence it comes
from; :mod:`mobility.safety.rules` says which quantity of a protocol each limit
bounds; :mod:`mobility.safety.validator` applies them (:func:`mobility.validate`).
The package builds only on :mod:`mobility.model`.
"""
