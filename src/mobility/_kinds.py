"""The closed sets that finding a protocol needs: regions, postures, source kinds.

They live apart from the classes so that :mod:`mobility.catalog` can answer what
is in it (ids, regions, start positions, evidence) and ``mobility list`` can
print it without building the model's classes, which is most of what importing
the model costs. :mod:`mobility.model` and :mod:`mobility` export them; import
them from there.
"""

from __future__ import annotations

import enum

from typing import Final


class SourceKind(enum.StrEnum):
    """What kind of publication a source is, and so how much weight it carries.

    The members are listed from the most to the least authoritative for a
    dose a person follows at home; :attr:`label` is how a reader sees each.
    """

    PUBLIC_HEALTH = "public-health"
    """Guidance from a national or public health body (NHS, NHS Inform, HSE,
    NICE)."""
    PROFESSIONAL_BODY = "professional-body"
    """Guidance or a position stand from a professional body (the Chartered
    Society of Physiotherapy, ACSM)."""
    PATIENT_CHARITY = "patient-charity"
    """Advice from a national patient charity (Versus Arthritis)."""
    PATIENT_LIBRARY = "patient-library"
    """A hospital's or health system's patient library or leaflet (Mayo Clinic,
    NHS trusts, US health systems)."""
    TRIAL_PROTOCOL = "trial-protocol"
    """The intervention of a published trial; reputable, but not written for
    patients."""
    RESEARCH = "research"
    """A peer-reviewed study or review."""
    PRACTITIONER = "practitioner"
    """A practitioner's or a clinic's own material."""

    @property
    def label(self) -> str:
        """The kind in words, such as ``"public-health guidance"``."""
        return _SOURCE_KIND_LABELS[self]


_SOURCE_KIND_LABELS: Final = {
    SourceKind.PUBLIC_HEALTH: "public-health guidance",
    SourceKind.PROFESSIONAL_BODY: "professional body",
    SourceKind.PATIENT_CHARITY: "patient charity",
    SourceKind.PATIENT_LIBRARY: "hospital patient library",
    SourceKind.TRIAL_PROTOCOL: "trial protocol",
    SourceKind.RESEARCH: "peer-reviewed research",
    SourceKind.PRACTITIONER: "practitioner's material",
}


class Region(enum.StrEnum):
    """The body region a protocol is for.

    Its value is the anatomical name; :attr:`plain` is what a person calls it,
    and :meth:`parse` accepts either.
    """

    CERVICAL = "cervical"
    THORACIC = "thoracic"
    LUMBAR = "lumbar"
    HIP = "hip"

    @property
    def plain(self) -> str:
        """The region in a person's words, such as ``"lower back"`` for lumbar."""
        return _PLAIN_REGIONS[self]

    @classmethod
    def parse(cls, text: str) -> Region:
        """The region a name means: its value, its plain name, or an alias.

        Case, hyphens and underscores do not matter: ``"upper-back"``,
        ``"Upper back"`` and ``"thoracic"`` are all :attr:`THORACIC`.

        Raises:
            ValueError: No region has that name; the message lists them all.

        Example:
            >>> Region.parse("Lower back"), Region.parse("upper-back")
            (<Region.LUMBAR: 'lumbar'>, <Region.THORACIC: 'thoracic'>)
        """
        key = " ".join(str(text).casefold().replace("-", " ").replace("_", " ").split())
        found = _REGION_NAMES.get(key)
        if found is None:
            msg = f"unknown region {text!r}; expected one of {region_names()}"
            raise ValueError(msg)
        return found


_PLAIN_REGIONS: Final = {
    Region.CERVICAL: "neck",
    Region.THORACIC: "upper back",
    Region.LUMBAR: "lower back",
    Region.HIP: "hip",
}
# Every name a region is known by: its value, its plain name, the spine's part
# by its full name, and a plural.
_REGION_NAMES: Final = {
    **{region.value: region for region in Region},
    **{plain: region for region, plain in _PLAIN_REGIONS.items()},
    "cervical spine": Region.CERVICAL,
    "thoracic spine": Region.THORACIC,
    "lumbar spine": Region.LUMBAR,
    "low back": Region.LUMBAR,
    "hips": Region.HIP,
}


def region_names() -> str:
    """Each region's value and plain name, for messages and help texts."""
    return ", ".join(
        f"{region.value} ({region.plain})" if region.plain != region.value else region
        for region in Region
    )


class Posture(enum.StrEnum):
    """The body's position at the start of an exercise, for finding exercises.

    ``Exercise.position`` says the start position in words; this says which
    of a few positions it is, so that an app can offer, say, only exercises done
    sitting.
    """

    LYING_ON_BACK = "lying-on-back"
    LYING_ON_SIDE = "lying-on-side"
    LYING_ON_FRONT = "lying-on-front"
    ALL_FOURS = "all-fours"
    """On hands and knees."""
    KNEELING = "kneeling"
    SITTING = "sitting"
    STANDING = "standing"
