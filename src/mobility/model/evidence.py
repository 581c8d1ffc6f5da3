"""The references behind the safety limits and the catalogue.

Each constant is a :class:`~mobility.model.Source` for one published reference (or
for the lack of one). The limits in :mod:`mobility.safety.limits` and the protocols in
:mod:`mobility.catalog` cite these, and mark a figure ``inferred=True`` where it is
our reading rather than the reference's own statement.
"""

from __future__ import annotations

from typing import Final

from . import Source, SourceKind


__all__ = [
    "ACSM_2021",
    "BANDY_1997",
    "BEHM_2016",
    "FARRAR_2001",
    "FELAND_2001",
    "GARBER_2011",
    "MICHELI_1995",
    "NHS_BACK_EXERCISES",
    "NHS_INFORM",
    "NICE_NG59",
    "NO_PUBLISHED_SOURCE",
    "PEAK_PHYSIO",
    "POLICY",
    "PROGRAMME_POLICY",
    "SEO_2022",
    "SILBERNAGEL_2007",
    "SOURCE_PROTOCOL",
    "TEXT_POLICY",
]

_PUBLIC: Final = SourceKind.PUBLIC_HEALTH
_BODY: Final = SourceKind.PROFESSIONAL_BODY
_RESEARCH: Final = SourceKind.RESEARCH

SOURCE_PROTOCOL: Final = Source(
    "'Exercise for Lower Back Stiffness', by a physical therapist, written for "
    "gymnasts, with a bonus exercise for the upper back",
    kind=SourceKind.PRACTITIONER,
)
ACSM_2021: Final = Source(
    "American College of Sports Medicine, ACSM's Guidelines for Exercise Testing "
    "and Prescription, 11th ed. (2021), Table 5.6",
    kind=_BODY,
)
FELAND_2001: Final = Source(
    "Feland et al. (2001), Phys Ther 81(5):1110-7", kind=_RESEARCH
)
BANDY_1997: Final = Source(
    "Bandy, Irion & Briggler (1997), Phys Ther 77(10):1090-6", kind=_RESEARCH
)
GARBER_2011: Final = Source(
    "Garber et al. (2011), ACSM position stand, Med Sci Sports Exerc 43(7):1334-59",
    kind=_BODY,
)
BEHM_2016: Final = Source(
    "Behm et al. (2016), Appl Physiol Nutr Metab 41(1):1-11", kind=_RESEARCH
)
NHS_INFORM: Final = Source(
    "NHS Inform, 'Exercises for back pain'",
    kind=_PUBLIC,
    url="https://www.nhsinform.scot/illnesses-and-conditions/muscle-bone-and-joints/"
    "exercises/exercises-for-back-pain",
    note="seen only as an archived copy (its address names 22 July 2020); the "
    "address is the page's own",
)
NHS_BACK_EXERCISES: Final = Source(
    "NHS, 'Lower back pain exercises' (the page as printed on 1 July 2019)",
    kind=_PUBLIC,
    url="https://www.nhs.uk/live-well/exercise/lower-back-pain-exercises/",
    note="seen only as a printed copy; the address is the one the copy names",
)
PEAK_PHYSIO: Final = Source(
    "Peak Physio, a physiotherapist's home exercise programme with 'Book Opening "
    "[Short Lever]' (updated 15 July 2025)",
    kind=SourceKind.PRACTITIONER,
    url="https://www.peak-physio.com.au/program/7ea7ecaad6d0/",
)
SEO_2022: Final = Source(
    "Seo, Song & Shin (2022), Med Sci Monit (title and volume not seen: cited as "
    "the project's evidence brief gives it)",
    kind=_RESEARCH,
)
NICE_NG59: Final = Source(
    "NICE guideline NG59, low back pain and sciatica in over 16s; "
    "NHS guidance on back pain",
    kind=_PUBLIC,
    url="https://www.nice.org.uk/guidance/ng59",
)
SILBERNAGEL_2007: Final = Source(
    "Silbernagel et al. (2007), Am J Sports Med 35(6):897-906: the pain-monitoring "
    "model, taught in clinics as a traffic light",
    kind=_RESEARCH,
)
FARRAR_2001: Final = Source(
    "Farrar et al. (2001), Pain 94(2):149-58; for low back pain Ostelo et al. "
    "(2008), Spine 33(1):90-4",
    kind=_RESEARCH,
)
MICHELI_1995: Final = Source(
    "Micheli & Wood (1995), Arch Pediatr Adolesc Med 149(1):15-8", kind=_RESEARCH
)
NO_PUBLISHED_SOURCE: Final = Source(
    "No published source found", inferred=True, note="the figure is ours"
)
POLICY: Final = Source(
    "mobility safety policy: a protocol is never used without its disclaimer, "
    "a rule for when to stop, advice on when to seek care, and a statement of "
    "who should not do it or should ask first"
)
PROGRAMME_POLICY: Final = Source(
    "mobility safety policy: every limit applies to the dose of every week of a "
    "programme, not only to its first; a dose that grows must stop growing"
)
TEXT_POLICY: Final = Source(
    "mobility reporting policy: what a step says agrees with its dose, so that a "
    "protocol never describes one exercise in two ways (CERT items 8 and 13, "
    "Slade et al. 2016, ask for both)"
)
