import os

from hypothesis import HealthCheck, settings

from mobility import Intensity, Protocol
from mobility.model import replace


# No deadline: CI machines are small and shared, and a slow example is not a bug.
# `make test` draws the same examples on every run and every fresh clone, so that
# it passes or fails the same way each time; no example database is read or kept.
settings.register_profile(
    "default", deadline=None, max_examples=200, derandomize=True, database=None
)
# `make fuzz` explores with random seeds and the example database, and prints
# how to reproduce any failure it finds, to be pinned in the suite as an example.
settings.register_profile(
    "explore", deadline=None, max_examples=200, derandomize=False, print_blob=True
)
# `make mutate` runs each test many times in one process (mutmut's forks of one
# collection), which the differing-executors health check reads as a mistake;
# the examples are drawn as by the default profile, 20 of them, so that the run
# fits in an hour on two cores (the example-based tests do most of the killing).
settings.register_profile(
    "mutate",
    deadline=None,
    max_examples=20,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.differing_executors],
)
settings.load_profile(os.environ.get("MOBILITY_HYPOTHESIS_PROFILE", "default"))


def into_pain(protocol: Protocol) -> Protocol:
    """The protocol with its first exercise stretched into pain: always unsafe."""
    exercise = protocol.exercises[0]
    dose = replace(exercise.dose, intensity=Intensity.PAIN)
    return replace(protocol, exercises=[replace(exercise, dose=dose)])
