"""Low-back routines published by public and professional bodies.

Each protocol is one source's routine, with the exercises whose dose that source
states; the order is the catalogue's, not always the source's. An exercise
several sources describe (knee rolls, pelvic tilt, knee-to-chest) is written
once below and given each source's own dose; the dose's source note quotes the
figures, and a caution one source gives for it travels with it. What a source
leaves out is filled in by the helpers of ``_shared`` and marked as our
inference.
"""

from __future__ import annotations

from typing import Final

import attrs

from ..model import (
    Adaptation,
    AdaptationKind,
    Caution,
    CautionKind,
    Dose,
    Exercise,
    Frequency,
    Posture,
    Progression,
    Protocol,
    Range,
    Region,
    Review,
    Side,
    Source,
    Step,
)
from ..model.evidence import NHS_INFORM, NICE_NG59
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
from ._sources import CSP, MAYO_15_MINUTES, MAYO_BASIC_STRETCHES, NHS_LOWER_BACK
from ._sources import VERSUS_ARTHRITIS as VA
from ._sources import VERSUS_ARTHRITIS_SHEET as VA_SHEET
from .back_safety import BACK_RED_FLAGS


__all__ = [
    "CSP_BACK_PAIN",
    "MAYO_BACK_15_MINUTES",
    "NHS_INFORM_BACK",
    "NHS_LOWER_BACK_PAIN",
    "VERSUS_ARTHRITIS_BACK",
]


_ON_BACK: Final = (
    "Lie on your back with your knees bent and your feet flat on the floor."
)


#: An easier way to do knee rolls, wherever they appear.
_PILLOW: Final = Adaptation(
    "Put a pillow between your knees if that is more comfortable.",
    AdaptationKind.EASIER,
    source=attrs.evolve(
        NHS_LOWER_BACK,
        inferred=True,
        note="the project's evidence brief reports that the copies of the "
        "knee-roll pages say a pillow between the knees can help comfort, without "
        "recording which copy says it; citing this page is our reading",
    ),
)

#: A harder knee-to-chest: Mayo Clinic's next stretch, both knees together.
_BOTH_KNEES: Final = Adaptation(
    "When one knee at a time feels easy, bring both knees up to your chest "
    "together, after doing each leg on its own.",
    AdaptationKind.HARDER,
    source=attrs.evolve(
        MAYO_15_MINUTES,
        inferred=True,
        note="Mayo Clinic does one leg, then the other, then both together; "
        "offering both together as the harder way is our reading",
    ),
)

#: A harder pelvic tilt: Mayo Clinic's version also arches the back.
_ROCKING_TILT: Final = Adaptation(
    "Also arch the small of your back gently away from the floor, and rock "
    "slowly between the arch and the flattened back, holding each.",
    AdaptationKind.HARDER,
    source=attrs.evolve(
        MAYO_15_MINUTES,
        inferred=True,
        note="Mayo Clinic arches the back and holds 5 s, relaxes, then flattens "
        "it and holds 5 s; offering the arch as the harder way is our reading",
    ),
)


def _knee_rolls(
    dose: Dose, source: Source, *, hands: str = "", hold: str = "for {hold}"
) -> Exercise:
    return Exercise(
        id="knee-rolls",
        figure=figure("knee-rolls"),
        name="Knee rolls",
        position=(
            "Lie on your back with your knees bent and together, and your feet "
            "flat on the floor." + hands
        ),
        posture=Posture.LYING_ON_BACK,
        steps=(
            Step(
                "Let both knees drop slowly to one side.",
                cue="Keep both shoulders on the floor.",
            ),
            Step(f"Hold there {hold}."),
            Step(
                "Bring your knees back to the middle, then do the same to the "
                "other side."
            ),
            Step("Do this {times} {sides}."),
        ),
        dose=taking_turns(dose),
        source=source,
        adaptations=(_PILLOW,),
    )


def _pelvic_tilt(dose: Dose, source: Source) -> Exercise:
    return Exercise(
        id="pelvic-tilt",
        figure=figure("pelvic-tilt"),
        name="Pelvic tilt",
        position=_ON_BACK,
        posture=Posture.LYING_ON_BACK,
        steps=(
            Step(
                "Tighten your tummy muscles and flatten the small of your back "
                "into the floor."
            ),
            Step("Hold for {hold}, then relax."),
            Step("Do this {times}."),
        ),
        dose=dose,
        source=source,
        adaptations=(_ROCKING_TILT,),
    )


def _knee_to_chest(
    dose: Dose,
    source: Source,
    *,
    hold_cue: str | None = None,
    both_knees_later: bool = True,
) -> Exercise:
    return Exercise(
        id="knee-to-chest",
        figure=figure("knee-to-chest"),
        name="Knee to chest",
        position=_ON_BACK,
        posture=Posture.LYING_ON_BACK,
        steps=(
            Step(
                "Lift one knee towards you, hold it with both hands and draw it "
                "gently towards your chest."
            ),
            Step("Hold for {hold}.", cue=hold_cue),
            Step("Lower the leg, then do the same with the other one."),
            Step("Do this {times} {sides}."),
        ),
        dose=taking_turns(dose),
        source=source,
        adaptations=(_BOTH_KNEES,) if both_knees_later else (),
    )


#: The exercises whose caution travels with them: Mayo Clinic's on osteoporosis.
_KNEE_TO_CHEST_IDS: Final = ("knee-to-chest", "double-knee-to-chest")


def carried(exercises: tuple[Exercise, ...]) -> tuple[Caution, ...]:
    """The cautions that come with the exercises, whichever protocol has them.

    One definition for each caution: a protocol lists these first, then its
    own.
    """
    ids = tuple(e.id for e in exercises if e.id in _KNEE_TO_CHEST_IDS)
    return (_osteoporosis(*ids),) if ids else ()


def _osteoporosis(*exercises: str) -> Caution:
    """Mayo Clinic's caution on knee-to-chest, wherever the exercise appears.

    Mayo states it for the one-knee stretch; given for both knees together
    too, it is marked as our reading.
    """
    both = "double-knee-to-chest" in exercises
    note = "stated for the knee-to-chest stretch"
    if both:
        note += "; that it holds for both knees together too is our reading"
    return Caution(
        "If you have osteoporosis, leave out knee-to-chest stretches: they may "
        "raise the risk of a compression fracture of the spine.",
        CautionKind.AVOID,
        exercises=exercises,
        source=attrs.evolve(MAYO_BASIC_STRETCHES, inferred=both, note=note),
    )


# --------------------------------------------------------------------------------
# NHS Inform: three exercises, 5 repetitions 3 times a day to start, then more


_NHS_INFORM_START: Final = "5 repetitions to start, 3 times a day"


def _nhs_inform_dose(side: Side, hold: float | None, held: str) -> Dose:
    return stated_dose(
        quoting(NHS_INFORM, f"{held}{_NHS_INFORM_START}"),
        side,
        Range(5),
        hold,
        silent="NHS Inform",
    )


_NHS_INFORM_EXERCISES: Final = (
    _knee_rolls(
        _nhs_inform_dose(
            Side.EACH,
            2,
            "hold 2 s on each side; one repetition is both sides; ",
        ),
        NHS_INFORM,
    ),
    _pelvic_tilt(_nhs_inform_dose(Side.BILATERAL, 2, "hold 2 s; "), NHS_INFORM),
    Exercise(
        id="back-bends",
        figure=figure("back-bends"),
        name="Back bends",
        position=(
            "Stand with your feet shoulder-width apart, your back and legs "
            "straight, and your hands supporting your lower back."
        ),
        posture=Posture.STANDING,
        steps=(
            Step("Lean slowly backwards, with your hands supporting you."),
            Step("Ease a little further into the stretch."),
            Step("Come back up to standing."),
            Step("Do this {times}."),
        ),
        dose=_nhs_inform_dose(
            Side.BILATERAL,
            None,
            "one repetition is bending back and returning; no hold stated; ",
        ),
        source=NHS_INFORM,
    ),
)


NHS_INFORM_BACK: Final = Protocol(
    id="nhs-inform-back-exercises",
    name="NHS Inform exercises for back pain",
    region=Region.LUMBAR,
    purpose=(
        "Gentle exercises that keep a painful or stiff lower back moving, "
        "started small and built up a little every few days."
    ),
    exercises=_NHS_INFORM_EXERCISES,
    frequency=Frequency(
        days_per_week=7,
        sessions_per_day=3,
        source=attrs.evolve(
            NHS_INFORM,
            inferred=True,
            note="3 times a day is stated; that it means every day is our reading",
        ),
    ),
    progression=Progression(
        every_days=3,
        reps_step=1,
        reps_ceiling=10,
        description=(
            "Add a repetition every few days while the exercises stay "
            "comfortable, up to 10."
        ),
        source=attrs.evolve(
            NHS_INFORM,
            inferred=True,
            note=(
                "NHS Inform adds 1-2 repetitions every few days if comfortable; "
                "we add the lower 1, read 'a few days' as 3, and stop at 10, the "
                "top of the typical 5-10 repetitions for knee rolls in NHS guidance"
            ),
        ),
    ),
    review=Review(
        after_days=14,
        action=(
            "If there is no improvement after 2 weeks, contact your GP, or the "
            "MSK helpline where your health board has one."
        ),
        source=attrs.evolve(NHS_INFORM, note="no improvement after 2 weeks"),
    ),
    disclaimer=disclaimer(
        stop_rules=(NHS_INFORM_STOP,),
        seek_care=(
            (
                "If there is no improvement after 2 weeks, contact your GP, or the "
                "MSK helpline where your health board has one."
            ),
        ),
        red_flags=BACK_RED_FLAGS,
        cautions=carried(_NHS_INFORM_EXERCISES),
        source=NHS_INFORM,
    ),
    sources=(NHS_INFORM, NICE_NG59),
)


# --------------------------------------------------------------------------------
# NHS, 'Lower back pain exercises': the two exercises whose dose was seen


_NHS_LOWER_BACK_EXERCISES: Final = (
    Exercise(
        id="bottom-to-heels",
        figure=figure("bottom-to-heels"),
        name="Bottom to heels stretch",
        position=(
            "Get on your hands and knees, with your knees under your hips and "
            "your hands under your shoulders. Keep your back and neck fairly "
            "straight and do not lock your elbows."
        ),
        posture=Posture.ALL_FOURS,
        steps=(
            Step(
                "Slowly take your bottom back towards your heels.",
                cue=(
                    "If you have a knee problem, do not go all the way back "
                    "onto your heels."
                ),
            ),
            Step("Hold the stretch for one deep breath."),
            Step("Return to your hands and knees."),
            Step("Do this {times}."),
        ),
        dose=stated_dose(
            quoting(NHS_LOWER_BACK, "hold for one deep breath; repeat 8-10 times"),
            Side.BILATERAL,
            Range(8, 10),
            None,
            silent="the NHS page",
        ),
        source=NHS_LOWER_BACK,
    ),
    _knee_rolls(
        stated_dose(
            quoting(
                NHS_LOWER_BACK,
                "hold for one deep breath; 8-10 times, alternating sides",
            ),
            Side.ALTERNATING,
            Range(8, 10),
            None,
            silent="the NHS page",
        ),
        NHS_LOWER_BACK,
        hold="for one deep breath",
    ),
)


NHS_LOWER_BACK_PAIN: Final = Protocol(
    id="nhs-lower-back-pain-exercises",
    name="NHS lower back pain exercises",
    region=Region.LUMBAR,
    purpose="Daily stretches for a painful or stiff lower back.",
    exercises=_NHS_LOWER_BACK_EXERCISES,
    frequency=Frequency(
        days_per_week=7,
        sessions_per_day=1,
        source=attrs.evolve(
            NHS_LOWER_BACK,
            inferred=True,
            note="every day is stated; once a day is our reading",
        ),
    ),
    review=review_after_two_weeks(
        "the NHS page ('a few weeks')",
        "If your back pain has not improved within a few weeks, see a GP.",
    ),
    disclaimer=disclaimer(
        stop_rules=(
            (
                "If you have severe pain while doing any of these exercises, stop and "
                "see a GP."
            ),
        ),
        seek_care=("If your back pain has not improved within a few weeks, see a GP.",),
        red_flags=BACK_RED_FLAGS,
        cautions=carried(_NHS_LOWER_BACK_EXERCISES),
        source=NHS_LOWER_BACK,
    ),
    sources=(NHS_LOWER_BACK, NHS_INFORM, NICE_NG59),
)


# --------------------------------------------------------------------------------
# Chartered Society of Physiotherapy: four exercises


_CSP_SILENT: Final = "The CSP"

_CSP_EXERCISES: Final = (
    _knee_rolls(
        stated_dose(
            quoting(CSP, "hold 10 s; 3 times each side"),
            Side.EACH,
            Range(3),
            10,
            silent=_CSP_SILENT,
        ),
        CSP,
        hands=" Put your hands above your head.",
    ),
    _knee_to_chest(
        stated_dose(
            quoting(CSP, "hold 5 s; up to 5 times each side"),
            Side.EACH,
            Range(1, 5),
            5,
            silent=_CSP_SILENT,
        ),
        CSP,
    ),
    _pelvic_tilt(
        stated_dose(
            quoting(CSP, "hold 5 s; repeat 5 times"),
            Side.BILATERAL,
            Range(5),
            5,
            silent=_CSP_SILENT,
        ),
        CSP,
    ),
    Exercise(
        id="deep-lunge",
        figure=figure("deep-lunge"),
        name="Deep lunge",
        position=(
            "Kneel on one knee, with the other foot flat on the floor in front of you."
        ),
        posture=Posture.KNEELING,
        steps=(
            Step("Look forwards and lift the back knee off the floor."),
            Step("Hold for {hold}, then lower the knee."),
            Step("Swap sides."),
            Step("Do this {times} {sides}."),
        ),
        dose=taking_turns(
            stated_dose(
                quoting(CSP, "hold 5 s; 3 times each side"),
                Side.EACH,
                Range(3),
                5,
                silent=_CSP_SILENT,
            )
        ),
        source=CSP,
    ),
)


CSP_BACK_PAIN: Final = Protocol(
    id="csp-back-pain-exercises",
    name="CSP exercises for back pain",
    region=Region.LUMBAR,
    purpose=(
        "Exercises a professional body of physiotherapists gives for back pain, "
        "to keep up for at least 6-8 weeks to help stop it coming back."
    ),
    exercises=_CSP_EXERCISES,
    frequency=daily(_CSP_SILENT),
    review=Review(
        after_days=7,
        action=(
            "If the pain is severe, or it is not improving after a week or so, "
            "contact your doctor."
        ),
        source=attrs.evolve(
            CSP,
            inferred=True,
            note="'not improving after a week or so' is the CSP's; reading it as "
            "7 days is ours",
        ),
    ),
    disclaimer=disclaimer(
        stop_rules=(NHS_INFORM_STOP,),
        seek_care=(
            (
                "If the pain is severe, or it is not improving after a week or so, "
                "contact your doctor."
            ),
        ),
        red_flags=BACK_RED_FLAGS,
        cautions=carried(_CSP_EXERCISES),
        source=attrs.evolve(
            CSP,
            note="the advice on care is the CSP's; the page gives no stop rule, so "
            "the stop rule is NHS Inform's",
        ),
    ),
    sources=(CSP, NHS_INFORM, MAYO_BASIC_STRETCHES, NICE_NG59),
)


# --------------------------------------------------------------------------------
# Versus Arthritis: three exercises


_VA_SILENT: Final = "Versus Arthritis"

_VA_EXERCISES: Final = (
    _knee_to_chest(
        stated_dose(
            quoting(VA, "hold 5 s; 5 times each side"),
            Side.EACH,
            Range(5),
            5,
            silent=_VA_SILENT,
        ),
        VA,
    ),
    _pelvic_tilt(
        stated_dose(
            quoting(VA, "hold 5 s; repeat 5 times"),
            Side.BILATERAL,
            Range(5),
            5,
            silent=_VA_SILENT,
        ),
        VA,
    ),
    _knee_rolls(
        stated_dose(
            quoting(VA, "hold 10 s; 3 times each side"),
            Side.EACH,
            Range(3),
            10,
            silent=_VA_SILENT,
        ),
        VA,
    ),
)


VERSUS_ARTHRITIS_BACK: Final = Protocol(
    id="versus-arthritis-back-exercises",
    name="Versus Arthritis exercises for the back",
    region=Region.LUMBAR,
    purpose=(
        "Exercises a patient charity gives for a healthy back: start with a few "
        "and build up slowly."
    ),
    exercises=_VA_EXERCISES,
    frequency=daily(_VA_SILENT),
    review=review_after_two_weeks(
        "Versus Arthritis ('a few weeks')",
        "If things are not better in a few weeks, see a GP or a physiotherapist.",
    ),
    disclaimer=disclaimer(
        stop_rules=(
            (
                "If the exercises cause severe pain, stop and see a GP or a "
                "physiotherapist."
            ),
        ),
        seek_care=(
            "If things are not better in a few weeks, see a GP or a physiotherapist.",
        ),
        red_flags=BACK_RED_FLAGS,
        cautions=(
            *carried(_VA_EXERCISES),
            Caution(
                "If you have bladder or bowel problems or pins and needles, or "
                "you feel generally unwell, get professional advice.",
                CautionKind.ASK_FIRST,
                source=VA_SHEET,
            ),
        ),
        source=attrs.evolve(
            VA_SHEET,
            note="the stop rule, the advice on care and the caution are the "
            "printable sheet's",
        ),
    ),
    sources=(VA, VA_SHEET, NHS_INFORM, MAYO_BASIC_STRETCHES, NICE_NG59),
)


# --------------------------------------------------------------------------------
# Mayo Clinic: knee-to-chest (one leg, then both) and the rotation, morning and
# evening


_MAYO_SILENT: Final = "Mayo Clinic"


def _mayo_dose(side: Side, hold: float | tuple[float, float], figures: str) -> Dose:
    return stated_dose(
        quoting(MAYO_15_MINUTES, figures), side, Range(2, 3), hold, silent=_MAYO_SILENT
    )


_MAYO_EXERCISES: Final = (
    _knee_to_chest(
        _mayo_dose(Side.EACH, 5, "hold 5 s; repeat each stretch 2-3 times"),
        MAYO_15_MINUTES,
        hold_cue="Tighten your tummy muscles and press your spine into the floor.",
        both_knees_later=False,  # the routine's next exercise does it
    ),
    Exercise(
        id="double-knee-to-chest",
        figure=figure("double-knee-to-chest"),
        name="Both knees to chest",
        position=_ON_BACK,
        posture=Posture.LYING_ON_BACK,
        steps=(
            Step("Bring both knees up towards your chest together."),
            Step("Hold for {hold}, then lower your legs."),
            Step("Do this {times}."),
        ),
        dose=_mayo_dose(Side.BILATERAL, 5, "hold 5 s; repeat each stretch 2-3 times"),
        source=MAYO_15_MINUTES,
    ),
    _knee_rolls(
        _mayo_dose(Side.EACH, (5, 10), "hold 5-10 s; 2-3 times each side"),
        MAYO_15_MINUTES,
    ),
)


MAYO_BACK_15_MINUTES: Final = Protocol(
    id="mayo-back-exercises",
    name="Mayo Clinic back exercises in 15 minutes a day",
    region=Region.LUMBAR,
    purpose="Stretches for the lower back, done morning and evening if possible.",
    exercises=_MAYO_EXERCISES,
    frequency=Frequency(
        days_per_week=7,
        sessions_per_day=2,
        source=attrs.evolve(
            MAYO_15_MINUTES,
            inferred=True,
            note="morning and evening if possible is stated; every day is our reading",
        ),
    ),
    review=review_after_two_weeks(
        _MAYO_SILENT,
        "If your back has not improved after 2 weeks, contact your GP or a "
        "physical therapist.",
    ),
    disclaimer=disclaimer(
        stop_rules=(NHS_INFORM_STOP,),
        seek_care=(
            (
                "If your back has not improved after 2 weeks, contact your GP or a "
                "physical therapist."
            ),
        ),
        red_flags=BACK_RED_FLAGS,
        cautions=(
            *carried(_MAYO_EXERCISES),
            Caution(
                "If you are starting because of ongoing back pain or after a back "
                "injury, speak to a physical therapist or your care team first.",
                CautionKind.ASK_FIRST,
                source=MAYO_15_MINUTES,
            ),
        ),
        source=attrs.evolve(
            MAYO_15_MINUTES,
            note="the cautions are Mayo Clinic's; its pages give no stop rule or "
            "time for review, so those are NHS Inform's",
        ),
    ),
    sources=(MAYO_15_MINUTES, MAYO_BASIC_STRETCHES, NHS_INFORM, NICE_NG59),
)
