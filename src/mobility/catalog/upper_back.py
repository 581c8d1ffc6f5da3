"""Upper-back protocols from public bodies, hospital libraries and a trial.

Public bodies give a dose for few upper-back exercises: the seated routine of the
HSE and the NHS is the only one here. The cat-cow, the seated side stretch and
the shoulder-blade squeeze come from hospital patient libraries, and the seated
programme from a trial's protocol; their ``Source.kind`` says so, and
``mobility show`` prints it. Where two sources give different doses, the dose's
source note says which one is followed and why.
"""

from __future__ import annotations

from typing import Final

import attrs

from ..model import (
    Audience,
    Caution,
    CautionKind,
    Disclaimer,
    Exercise,
    Frequency,
    Hold,
    Posture,
    Protocol,
    Range,
    Region,
    Side,
    Source,
    Step,
)
from ..model.evidence import NHS_INFORM
from ._drawings import figure
from ._shared import (
    NHS_INFORM_STOP,
    daily,
    disclaimer,
    quoting,
    review_after_two_weeks,
    stated_dose,
    taking_turns,
)
from ._sources import (
    BENNELL_2010,
    COMMONSPIRIT_CAT_COW,
    CUH_THORACIC,
    HSE_SITTING,
    NATIONAL_JEWISH_SQUEEZE,
    NHS_SITTING,
    SAINT_LUKES_SQUEEZE,
    UCHICAGO_SIDE_STRETCH,
    UCI_CAT_COW,
    WWL_NECK_UPPER_BACK,
)
from .back_safety import UPPER_BACK_RED_FLAG_SOURCE, UPPER_BACK_RED_FLAGS


__all__ = [
    "BENNELL_SITTING",
    "CAT_COW",
    "SEATED_SIDE_STRETCH",
    "SEATED_UPPER_BODY",
    "SHOULDER_BLADE_SQUEEZE",
]


_NO_IMPROVEMENT: Final = (
    "If your upper back has not improved after 2 weeks, or it is getting worse, "
    "contact your GP or a physical therapist."
)


def _disclaimer(
    source: Source,
    *,
    stop_rule: str = NHS_INFORM_STOP,
    cautions: tuple[Caution, ...] = (),
    note: str,
) -> Disclaimer:
    """The safety text of an upper-back protocol; ``note`` says whose it is."""
    return disclaimer(
        stop_rules=(stop_rule,),
        seek_care=(_NO_IMPROVEMENT,),
        red_flags=UPPER_BACK_RED_FLAGS,
        cautions=cautions,
        source=attrs.evolve(source, note=note),
    )


_RED_FLAG_SOURCES: Final = (WWL_NECK_UPPER_BACK, UPPER_BACK_RED_FLAG_SOURCE)
_ON_A_CHAIR: Final = (
    "Sit upright on a stable chair without wheels or arms, with your feet flat on "
    "the floor."
)


# --------------------------------------------------------------------------------
# HSE and NHS: the seated routine, written for older people


_HSE_SILENT: Final = "The HSE page"

SEATED_UPPER_BODY: Final = Protocol(
    id="seated-upper-back-routine",
    name="Seated upper-back exercises (HSE and NHS)",
    region=Region.THORACIC,
    audience=Audience.OLDER_ADULTS,
    purpose=(
        "Build and keep flexibility in the upper back and good posture, sitting on "
        "a chair; written for older people."
    ),
    exercises=(
        Exercise(
            id="upper-body-twist",
            figure=figure("upper-body-twist"),
            name="Upper-body twist",
            position=_ON_A_CHAIR + " Cross your arms and put your hands on your "
            "shoulders.",
            posture=Posture.SITTING,
            equipment=("chair",),
            steps=(
                Step(
                    "Keep your hips still and turn your upper body to the left as "
                    "far as is comfortable."
                ),
                Step("Hold for {hold}, then come back to the middle."),
                Step("Do the same to the right."),
                Step("Do this {times} {sides}."),
            ),
            dose=taking_turns(
                stated_dose(
                    quoting(
                        HSE_SITTING,
                        "hold 5 s; 5 times each side; the NHS leaflet gives the same",
                    ),
                    Side.EACH,
                    Range(5),
                    5,
                    silent=_HSE_SILENT,
                )
            ),
            source=HSE_SITTING,
        ),
        Exercise(
            id="chest-stretch",
            figure=figure("chest-stretch"),
            name="Chest stretch",
            position="Sit upright on the chair, away from its back.",
            posture=Posture.SITTING,
            equipment=("chair",),
            purpose="Good for posture.",
            steps=(
                Step(
                    "Draw your shoulders back and down, and take your arms out "
                    "to the sides."
                ),
                Step(
                    "Push your chest gently forwards and up until you feel a "
                    "stretch across the front."
                ),
                Step("Hold for {hold}, then relax."),
                Step("Do this {times}."),
            ),
            dose=stated_dose(
                quoting(
                    HSE_SITTING,
                    "hold 5-10 s; repeat 5 times; the NHS leaflet gives the same",
                ),
                Side.BILATERAL,
                Range(5),
                (5, 10),
                silent=_HSE_SILENT,
            ),
            source=HSE_SITTING,
        ),
    ),
    frequency=Frequency(
        days_per_week=2,
        sessions_per_day=1,
        source=attrs.evolve(
            HSE_SITTING,
            inferred=True,
            note="at least twice a week is stated; we plan the least, 2 days, "
            "once a day",
        ),
    ),
    review=review_after_two_weeks(_HSE_SILENT, _NO_IMPROVEMENT),
    disclaimer=_disclaimer(
        HSE_SITTING,
        cautions=(
            Caution(
                "If you have not been active for a while, you may want to ask "
                "your GP whether these exercises suit you before you start.",
                CautionKind.ASK_FIRST,
                source=HSE_SITTING,
            ),
        ),
        note="the caution is the HSE's; the pages give no stop rule or time for "
        "review, so those are NHS Inform's",
    ),
    sources=(HSE_SITTING, NHS_SITTING, NHS_INFORM, *_RED_FLAG_SOURCES),
)


# --------------------------------------------------------------------------------
# Cat-cow, from two US hospital libraries that give different doses


CAT_COW: Final = Protocol(
    id="cat-cow",
    name="Cat-cow",
    region=Region.THORACIC,
    purpose=(
        "Move the whole spine, the upper back included, between rounding and "
        "arching, on hands and knees."
    ),
    rationale=(
        "It works the lower back as well; the catalogue files it under the upper "
        "back, as Cambridge University Hospitals' thoracic spine leaflet does."
    ),
    exercises=(
        Exercise(
            id="cat-cow",
            figure=figure("cat-cow"),
            name="Cat-cow",
            position=(
                "Get on your hands and knees, with your wrists under your "
                "shoulders, your knees under your hips and your back flat."
            ),
            posture=Posture.ALL_FOURS,
            steps=(
                Step("Round your back up towards the ceiling and let your head drop."),
                Step("Hold for {hold}."),
                Step(
                    "Let your back sag gently towards the floor, lifting your "
                    "head only as far as your neck allows.",
                    cue=(
                        "If you have a neck problem, keep your head in line with "
                        "your body instead."
                    ),
                ),
                Step("Hold for {hold}."),
                Step("Do this {times}."),
            ),
            dose=stated_dose(
                quoting(
                    UCI_CAT_COW,
                    "hold each position 10-15 s; repeat 5 times, so each "
                    "repetition holds two positions. CommonSpirit Health gives "
                    "15-30 s, 2-4 times; we follow UCI Health, whose holds are "
                    "shorter and whose count is fixed",
                ),
                Side.BILATERAL,
                Range(5),
                Hold((10, 15), positions=2),
                silent="UCI Health",
            ),
            source=UCI_CAT_COW,
        ),
    ),
    frequency=daily("UCI Health"),
    review=review_after_two_weeks("UCI Health", _NO_IMPROVEMENT),
    disclaimer=_disclaimer(
        UCI_CAT_COW,
        note="the neck cue is CommonSpirit Health's; the pages give no stop rule "
        "or time for review, so those are NHS Inform's",
    ),
    sources=(
        UCI_CAT_COW,
        COMMONSPIRIT_CAT_COW,
        CUH_THORACIC,
        NHS_INFORM,
        *_RED_FLAG_SOURCES,
    ),
)


# --------------------------------------------------------------------------------
# Seated side stretch


SEATED_SIDE_STRETCH: Final = Protocol(
    id="seated-side-stretch",
    name="Seated side stretch",
    region=Region.THORACIC,
    purpose="Stretch the sides of the trunk, bending sideways while sitting.",
    rationale=(
        "Side bending is shared between the upper and the lower back; filing it "
        "under the upper back is the catalogue's choice."
    ),
    exercises=(
        Exercise(
            id="side-stretch",
            figure=figure("side-stretch"),
            name="Side stretch",
            position=(
                "Sit with your feet flat on the floor and your weight shifted "
                "slightly forward so your back does not round, with your ears, "
                "shoulders and hips in a line."
            ),
            posture=Posture.SITTING,
            equipment=("chair",),
            steps=(
                Step("Reach one arm over your head."),
                Step("Bend slowly to the opposite side, without twisting."),
                Step("Hold for {hold}, then come back to upright."),
                Step("Do this {times}, then change sides and do the same there."),
            ),
            dose=stated_dose(
                quoting(
                    UCHICAGO_SIDE_STRETCH,
                    "hold 20 s; repeat 2-5 times, then the other side",
                ),
                Side.EACH,
                Range(2, 5),
                20,
                silent="UChicago Medicine",
            ),
            source=UCHICAGO_SIDE_STRETCH,
        ),
    ),
    frequency=daily("UChicago Medicine"),
    review=review_after_two_weeks("UChicago Medicine", _NO_IMPROVEMENT),
    disclaimer=_disclaimer(
        UCHICAGO_SIDE_STRETCH,
        stop_rule="Stay within your pain limits: stop if the stretch becomes painful.",
        note="'stay within your pain limits' is the page's; 'stop if the stretch "
        "becomes painful' is our reading of it; the page gives no time for "
        "review, so that is NHS Inform's",
    ),
    sources=(UCHICAGO_SIDE_STRETCH, NHS_INFORM, *_RED_FLAG_SOURCES),
)


# --------------------------------------------------------------------------------
# Shoulder-blade squeeze


SHOULDER_BLADE_SQUEEZE: Final = Protocol(
    id="shoulder-blade-squeeze",
    name="Shoulder-blade squeeze",
    region=Region.THORACIC,
    purpose=(
        "Work the muscles between the shoulder blades, for posture; more a "
        "posture exercise than a stretch."
    ),
    exercises=(
        Exercise(
            id="shoulder-squeeze",
            figure=figure("shoulder-squeeze"),
            name="Shoulder-blade squeeze",
            position=(
                "Sit with your feet flat on the floor, your weight slightly "
                "forward and your ears, shoulders and hips in a line. Raise your "
                "arms to shoulder height, elbows bent and palms facing forward."
            ),
            posture=Posture.SITTING,
            equipment=("chair",),
            steps=(
                Step("Draw your arms back, squeezing your shoulder blades together."),
                Step("Hold for {hold}, then relax back to the start."),
                Step("Do this {times}."),
            ),
            dose=stated_dose(
                quoting(
                    SAINT_LUKES_SQUEEZE,
                    "hold 10 s; repeat 5 times. National Jewish Health has a standing "
                    "version, 10 times without a hold; we follow Saint Luke's, which "
                    "is seated and gives a hold",
                ),
                Side.BILATERAL,
                Range(5),
                10,
                silent="Saint Luke's",
            ),
            source=SAINT_LUKES_SQUEEZE,
        ),
    ),
    frequency=daily("Saint Luke's"),
    review=review_after_two_weeks("Saint Luke's", _NO_IMPROVEMENT),
    disclaimer=_disclaimer(
        SAINT_LUKES_SQUEEZE,
        cautions=(
            Caution(
                "Check with your healthcare provider before you start this exercise.",
                CautionKind.ASK_FIRST,
                source=SAINT_LUKES_SQUEEZE,
            ),
        ),
        note="the caution is Saint Luke's; the page gives no stop rule or time "
        "for review, so those are NHS Inform's",
    ),
    sources=(
        SAINT_LUKES_SQUEEZE,
        NATIONAL_JEWISH_SQUEEZE,
        NHS_INFORM,
        *_RED_FLAG_SOURCES,
    ),
)


# --------------------------------------------------------------------------------
# Bennell et al. 2010: the seated part of a trial's programme


_BENNELL_STEPS: Final = attrs.evolve(
    BENNELL_2010,
    inferred=True,
    note="the trial's table names the exercises and their doses; the steps are "
    "our wording of those names",
)

BENNELL_SITTING: Final = Protocol(
    id="thoracic-trial-sitting",
    name="Seated upper-back exercises from a kyphosis trial",
    region=Region.THORACIC,
    purpose=(
        "Two seated exercises from the physiotherapy programme of a trial for an "
        "increased upper-back curve (thoracic hyperkyphosis)."
    ),
    rationale=(
        "This is a trial's protocol, not guidance written for patients. The "
        "trial's programme also has lying over a rolled towel for 5-10 minutes, "
        "which is left out: a hold that long is outside the stretching limits "
        "this library applies."
    ),
    exercises=(
        Exercise(
            id="elbows-back",
            figure=figure("elbows-back"),
            name="Elbows back in sitting",
            position="Sit upright on a chair.",
            posture=Posture.SITTING,
            equipment=("chair",),
            steps=(
                Step("Draw both elbows back."),
                Step("Hold for {hold}, then relax."),
                Step("Do this {times}."),
            ),
            dose=stated_dose(
                quoting(BENNELL_2010, "hold 5 s, 5 times, daily"),
                Side.BILATERAL,
                Range(5),
                5,
                silent="The trial",
            ),
            source=_BENNELL_STEPS,
        ),
        Exercise(
            id="trunk-mobility",
            figure=figure("trunk-mobility"),
            name="Trunk mobility in sitting",
            position="Sit upright on a chair with your hands on your shoulders.",
            posture=Posture.SITTING,
            equipment=("chair",),
            steps=(
                Step("Turn your upper body to one side, then back to the middle."),
                Step("Bend your upper body sideways, then come back upright."),
                Step("Do each movement {times} {sides}."),
            ),
            dose=stated_dose(
                quoting(
                    BENNELL_2010,
                    "rotate and side-bend, 5 repetitions in each direction, daily",
                ),
                Side.EACH,
                Range(5),
                None,
                silent="The trial",
            ),
            source=_BENNELL_STEPS,
        ),
    ),
    frequency=Frequency(
        days_per_week=7,
        sessions_per_day=1,
        source=attrs.evolve(
            BENNELL_2010,
            inferred=True,
            note="daily is stated; once a day is our reading",
        ),
    ),
    review=review_after_two_weeks("The trial", _NO_IMPROVEMENT),
    disclaimer=_disclaimer(
        BENNELL_2010,
        note="the trial's table gives no safety text for these exercises; the stop "
        "rule and the time for review are NHS Inform's",
    ),
    sources=(BENNELL_2010, NHS_INFORM, *_RED_FLAG_SOURCES),
)
