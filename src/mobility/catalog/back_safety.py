"""Safety text shared by the catalogue's back protocols.

The general notice, the stop rule and the advice on seeking care of the two
source protocols come from their author, who wrote both the lumbar exercise and
the thoracic bonus. The low-back red flags take the kinds of serious cause NICE
guideline NG59 names, in the words of the NHS pages on back pain; two signs that
neither copy seen shows are kept, and marked as our choice, and two that the
NHS's back-pain page adds (pain or tingling in both legs; pain worse on
sneezing, coughing or pooing) cite that page, as copies of it show them. The NHS
pages frame their signs as "you have back pain and ...", which each flag's
``context`` keeps. Upper-back protocols carry the signs an NHS trust's advice on
neck and upper-back pain sends people to A&E for, and then the low-back list,
which NG59 writes for *low* back pain; using it as a general back-pain list is
our inference, and its source says so. That list leaves out pain between the
shoulder blades, which is what the upper-back protocols are for.
"""

from __future__ import annotations

from typing import Final

import attrs

from ..model import Disclaimer, RedFlag, Source, Urgency
from ..model.evidence import NICE_NG59, SOURCE_PROTOCOL
from ._sources import NHS_BACK_PAIN, WWL_NECK_UPPER_BACK


__all__ = [
    "BACK_DISCLAIMER",
    "BACK_RED_FLAGS",
    "NECK_AND_UPPER_BACK_RED_FLAGS",
    "UPPER_BACK_DISCLAIMER",
    "UPPER_BACK_RED_FLAGS",
    "UPPER_BACK_RED_FLAG_SOURCE",
]


#: NG59 names the kinds of serious cause to rule out; the signs, in a person's
#: words, are those of the NHS pages on back pain.
_SIGNS: Final = attrs.evolve(
    NICE_NG59,
    note="the kinds of cause are NG59's; the signs are worded as the NHS pages "
    "on back pain give them",
)
#: Two signs of the project's evidence brief that neither copy seen shows.
_NOT_SEEN: Final = attrs.evolve(
    NICE_NG59,
    inferred=True,
    note="listed in the project's evidence brief; neither the copy of NG59 nor "
    "the NHS pages seen give it, so keeping it is our choice",
)


#: The low-back sign that names the upper back's own complaint.
_SHOULDER_BLADES: Final = "Pain between your shoulder blades"

#: How the NHS pages frame their signs: "you have back pain and ...".
_WITH_BACK_PAIN: Final = "back pain"


def _flag(text: str, urgency: Urgency, source: Source = _SIGNS) -> RedFlag:
    return RedFlag(text, urgency, source=source, context=_WITH_BACK_PAIN)


BACK_RED_FLAGS: Final = (
    _flag(
        "Numbness around your genitals, buttocks or inner thighs",
        Urgency.EMERGENCY,
    ),
    _flag(
        "New trouble passing urine, or losing control of your bladder or bowels",
        Urgency.EMERGENCY,
    ),
    _flag("New problems with sexual function", Urgency.EMERGENCY),
    _flag(
        "Weakness or numbness in both legs, or weakness in a leg that is severe "
        "or getting worse",
        Urgency.EMERGENCY,
    ),
    _flag("It began after a major injury or trauma", Urgency.EMERGENCY),
    _flag("Chest pain", Urgency.EMERGENCY),
    _flag("Pain or tingling in both legs", Urgency.EMERGENCY, NHS_BACK_PAIN),
    _flag("A fever of 38 °C or higher", Urgency.URGENT),
    _flag("Weight loss you cannot explain", Urgency.URGENT),
    _flag("A lump, swelling or change of shape in your back", Urgency.URGENT),
    _flag("Pain that rest does not ease, or that is worse at night", Urgency.URGENT),
    _flag(
        "Pain that gets worse when you sneeze, cough or poo",
        Urgency.URGENT,
        NHS_BACK_PAIN,
    ),
    _flag(_SHOULDER_BLADES, Urgency.URGENT),
    _flag("You have had cancer", Urgency.URGENT, _NOT_SEEN),
    _flag(
        "A minor injury to your back when you have osteoporosis or take steroids "
        "long term",
        Urgency.URGENT,
        _NOT_SEEN,
    ),
)

BACK_DISCLAIMER: Final = Disclaimer(
    text=(
        "These are general exercises, not advice for your particular back. They "
        "may not suit every kind of pain. Most stiffness has an underlying cause "
        "that a qualified physical therapist can assess and address."
    ),
    stop_rules=(
        (
            "Stop at once if your pain increases while you exercise, and contact "
            "your physical therapist."
        ),
    ),
    seek_care=(
        (
            "If your stiffness does not ease with stretching and mobility work, or "
            "it keeps increasing or stays the same, have it assessed by a physical "
            "therapist, or by your primary-care physician, who can refer you to one."
        ),
        "If anything gets worse or does not change, contact a physical therapist.",
        (
            "Ask a physical therapist about any question on your back or neck, or "
            "on whether this exercise suits you."
        ),
    ),
    red_flags=BACK_RED_FLAGS,
    source=SOURCE_PROTOCOL,
    cautions=(),  # the source names nobody who should not do its exercises
)

UPPER_BACK_RED_FLAG_SOURCE: Final = attrs.evolve(
    NICE_NG59,
    inferred=True,
    note=(
        "NG59 covers low back pain; using its red flags, and the NHS's for back "
        "pain, as a general back-pain list for the upper back is our inference. "
        "Pain between the shoulder blades is left out: it is what the upper-back "
        "protocols are for, and their stop rule and advice on care cover it"
    ),
)


def _upper(text: str) -> RedFlag:
    return RedFlag(text, Urgency.EMERGENCY, source=WWL_NECK_UPPER_BACK)


#: The signs the trust's neck and upper-back advice sends people to A&E for.
NECK_AND_UPPER_BACK_RED_FLAGS: Final = (
    _upper("New difficulty swallowing"),
    _upper("A weaker grip, or dropping things, with both hands"),
    _upper("Tingling or numbness down both arms at the same time"),
    _upper("Stumbling, or dragging your feet"),
)

UPPER_BACK_RED_FLAGS: Final = NECK_AND_UPPER_BACK_RED_FLAGS + tuple(
    attrs.evolve(flag, source=UPPER_BACK_RED_FLAG_SOURCE)
    for flag in BACK_RED_FLAGS
    if flag.text != _SHOULDER_BLADES
)

#: The author's safety text, as the catalogue applies it to the upper back.
UPPER_BACK_DISCLAIMER: Final = attrs.evolve(
    BACK_DISCLAIMER,
    red_flags=UPPER_BACK_RED_FLAGS,
    source=attrs.evolve(
        SOURCE_PROTOCOL,
        inferred=True,
        note=(
            "the author gives the stop rule and the advice on care with the "
            "lower-back exercise; applying them to the upper-back bonus is the "
            "catalogue's reading"
        ),
    ),
)
