"""What the catalogue holds; ``make catalog-index`` writes it: do not edit.

See :mod:`mobility.catalog._indexing`.
"""

from __future__ import annotations

from typing import Final

from .._kinds import Posture, Region, SourceKind
from ._summary import Seconds, Summary


#: Where each protocol is defined: its module and its name there.
DEFINED: Final = {
    "cat-cow": ("upper_back", "CAT_COW"),
    "csp-back-pain-exercises": ("back_routines", "CSP_BACK_PAIN"),
    "lower-trunk-rotation": ("lumbar", "LOWER_TRUNK_ROTATION"),
    "mayo-back-exercises": ("back_routines", "MAYO_BACK_15_MINUTES"),
    "nhs-inform-back-exercises": ("back_routines", "NHS_INFORM_BACK"),
    "nhs-lower-back-pain-exercises": ("back_routines", "NHS_LOWER_BACK_PAIN"),
    "seated-side-stretch": ("upper_back", "SEATED_SIDE_STRETCH"),
    "seated-upper-back-routine": ("upper_back", "SEATED_UPPER_BODY"),
    "shoulder-blade-squeeze": ("upper_back", "SHOULDER_BLADE_SQUEEZE"),
    "thoracic-open-book": ("thoracic", "OPEN_BOOK"),
    "thoracic-trial-sitting": ("upper_back", "BENNELL_SITTING"),
    "versus-arthritis-back-exercises": ("back_routines", "VERSUS_ARTHRITIS_BACK"),
}

#: Every protocol's summary, sorted by id.
SUMMARIES: Final = (
    Summary(
        id="cat-cow",
        name="Cat-cow",
        region=Region.THORACIC,
        postures=frozenset((Posture.ALL_FOURS,)),
        equipment=frozenset(),
        session_seconds=Seconds(150, 200),
        evidence=(SourceKind.PATIENT_LIBRARY,),
    ),
    Summary(
        id="csp-back-pain-exercises",
        name="CSP exercises for back pain",
        region=Region.LUMBAR,
        postures=frozenset(
            (
                Posture.KNEELING,
                Posture.LYING_ON_BACK,
            )
        ),
        equipment=frozenset(),
        session_seconds=Seconds(220, 300),
        evidence=(SourceKind.PROFESSIONAL_BODY,),
    ),
    Summary(
        id="lower-trunk-rotation",
        name="Lower trunk rotation",
        region=Region.LUMBAR,
        postures=frozenset((Posture.LYING_ON_BACK,)),
        equipment=frozenset(),
        session_seconds=Seconds(300, 600),
        evidence=(SourceKind.PRACTITIONER,),
    ),
    Summary(
        id="mayo-back-exercises",
        name="Mayo Clinic back exercises in 15 minutes a day",
        region=Region.LUMBAR,
        postures=frozenset((Posture.LYING_ON_BACK,)),
        equipment=frozenset(),
        session_seconds=Seconds(100, 180),
        evidence=(SourceKind.PATIENT_LIBRARY,),
    ),
    Summary(
        id="nhs-inform-back-exercises",
        name="NHS Inform exercises for back pain",
        region=Region.LUMBAR,
        postures=frozenset(
            (
                Posture.LYING_ON_BACK,
                Posture.STANDING,
            )
        ),
        equipment=frozenset(),
        session_seconds=Seconds(130, 130),
        evidence=(SourceKind.PUBLIC_HEALTH,),
    ),
    Summary(
        id="nhs-lower-back-pain-exercises",
        name="NHS lower back pain exercises",
        region=Region.LUMBAR,
        postures=frozenset(
            (
                Posture.ALL_FOURS,
                Posture.LYING_ON_BACK,
            )
        ),
        equipment=frozenset(),
        session_seconds=Seconds(80, 100),
        evidence=(SourceKind.PUBLIC_HEALTH,),
    ),
    Summary(
        id="seated-side-stretch",
        name="Seated side stretch",
        region=Region.THORACIC,
        postures=frozenset((Posture.SITTING,)),
        equipment=frozenset({"chair"}),
        session_seconds=Seconds(100, 250),
        evidence=(SourceKind.PATIENT_LIBRARY,),
    ),
    Summary(
        id="seated-upper-back-routine",
        name="Seated upper-back exercises (HSE and NHS)",
        region=Region.THORACIC,
        postures=frozenset((Posture.SITTING,)),
        equipment=frozenset({"chair"}),
        session_seconds=Seconds(150, 175),
        evidence=(SourceKind.PUBLIC_HEALTH,),
    ),
    Summary(
        id="shoulder-blade-squeeze",
        name="Shoulder-blade squeeze",
        region=Region.THORACIC,
        postures=frozenset((Posture.SITTING,)),
        equipment=frozenset({"chair"}),
        session_seconds=Seconds(75, 75),
        evidence=(SourceKind.PATIENT_LIBRARY,),
    ),
    Summary(
        id="thoracic-open-book",
        name="Open book thoracic rotation",
        region=Region.THORACIC,
        postures=frozenset((Posture.LYING_ON_SIDE,)),
        equipment=frozenset(),
        session_seconds=Seconds(210, 210),
        evidence=(SourceKind.PRACTITIONER,),
    ),
    Summary(
        id="thoracic-trial-sitting",
        name="Seated upper-back exercises from a kyphosis trial",
        region=Region.THORACIC,
        postures=frozenset((Posture.SITTING,)),
        equipment=frozenset({"chair"}),
        session_seconds=Seconds(100, 100),
        evidence=(SourceKind.TRIAL_PROTOCOL,),
    ),
    Summary(
        id="versus-arthritis-back-exercises",
        name="Versus Arthritis exercises for the back",
        region=Region.LUMBAR,
        postures=frozenset((Posture.LYING_ON_BACK,)),
        equipment=frozenset(),
        session_seconds=Seconds(240, 240),
        evidence=(SourceKind.PATIENT_CHARITY,),
    ),
)
