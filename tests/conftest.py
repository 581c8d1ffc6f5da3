from hypothesis import settings

from mobility import Intensity, Protocol
from mobility.model import replace


# No deadline: CI machines are small and shared, and a slow example is not a bug.
settings.register_profile("default", deadline=None, max_examples=200)
settings.load_profile("default")


def into_pain(protocol: Protocol) -> Protocol:
    """The protocol with its first exercise stretched into pain: always unsafe."""
    exercise = protocol.exercises[0]
    dose = replace(exercise.dose, intensity=Intensity.PAIN)
    return replace(protocol, exercises=[replace(exercise, dose=dose)])
