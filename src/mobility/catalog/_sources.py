"""The published pages the catalogue's protocols are taken from.

Each source names the organisation and the page's title, and gives the page's
original address where one is known, never the address of a copy. Where a page
was only seen through a copy, the note says so. Dates are the ones the pages
showed; a page without a date has none here.
"""

from __future__ import annotations

from typing import Final

from ..model import Source, SourceKind
from ..model.evidence import NHS_BACK_EXERCISES


_PUBLIC: Final = SourceKind.PUBLIC_HEALTH
_LIBRARY: Final = SourceKind.PATIENT_LIBRARY

CSP: Final = Source(
    "Chartered Society of Physiotherapy, 'Exercise advice for back pain'",
    kind=SourceKind.PROFESSIONAL_BODY,
    url="https://www.csp.org.uk/public-patient/rehabilitation-exercises/back-pain",
)
VERSUS_ARTHRITIS: Final = Source(
    "Versus Arthritis, 'Exercises for the back'",
    kind=SourceKind.PATIENT_CHARITY,
    url="https://www.versusarthritis.org/about-arthritis/exercising-with-arthritis/"
    "exercises-for-healthy-joints/exercises-for-the-back/",
)
VERSUS_ARTHRITIS_SHEET: Final = Source(
    "Versus Arthritis, printable sheet of exercises for the back (title not recorded)",
    kind=SourceKind.PATIENT_CHARITY,
    note="seen only through a copy; no original address is known, so none is given",
)
NHS_LOWER_BACK: Final = NHS_BACK_EXERCISES
#: Mayo Clinic's pages are a hospital's patient library by kind; the project's
#: evidence brief grades them with the public and professional bodies, which
#: the note says, since the kinds are ordered by type of publication.
_MAYO_GRADE: Final = (
    "a hospital's patient library by kind; the project's evidence brief grades "
    "Mayo Clinic with the public and professional bodies (its tier A)"
)
MAYO_15_MINUTES: Final = Source(
    "Mayo Clinic, 'Back exercises in 15 minutes a day'",
    kind=_LIBRARY,
    note=_MAYO_GRADE,
    url="https://www.mayoclinic.org/healthy-lifestyle/adult-health/multimedia/"
    "back-pain/sls-20076265",
)
MAYO_BASIC_STRETCHES: Final = Source(
    "Mayo Clinic, 'Slide show: A guide to basic stretches' (7 February 2020)",
    kind=_LIBRARY,
    note=_MAYO_GRADE,
    url="https://www.mayoclinic.org/healthy-lifestyle/fitness/multimedia/"
    "stretching/sls-20076840",
)
HSE_SITTING: Final = Source(
    "HSE (Health Service Executive, Ireland), 'Sitting exercises'",
    kind=_PUBLIC,
    url="https://www2.hse.ie/living-well/exercise/indoor-exercises/sitting-exercises",
)
NHS_SITTING: Final = Source(
    "NHS, 'Exercises for older people: sitting exercises'",
    kind=_PUBLIC,
    url="https://www.nhs.uk/exercises-for-older-people",
    note="seen only as a copy of the NHS leaflet; the address is the one the copy "
    "names",
)
UCI_CAT_COW: Final = Source(
    "UCI Health, health library, 'Boost Your Back Flexibility with the Cat-Cow'",
    kind=_LIBRARY,
    url="https://www.ucihealth.org/health-library/content?contentTypeID=1&"
    "contentID=4464&language=en",
)
COMMONSPIRIT_CAT_COW: Final = Source(
    "CommonSpirit Health, 'Cat-Cow'",
    kind=_LIBRARY,
    url="https://commonspirit.org/conditions-treatments/cat-cow",
)
CUH_THORACIC: Final = Source(
    "Cambridge University Hospitals NHS Foundation Trust, 'Thoracic spine exercises'",
    kind=_LIBRARY,
    url="https://cuh.nhs.uk/patient-information/thoracic-spine-exercises",
)
UCHICAGO_SIDE_STRETCH: Final = Source(
    "UChicago Medicine, health library, 'Back Exercises: Side Stretch' (last "
    "reviewed 1 March 2018)",
    kind=_LIBRARY,
    url="http://healthlibrary.uchospitals.edu/Content/healthsheets-v1/"
    "back-exercises-side-stretch/",
)
SAINT_LUKES_SQUEEZE: Final = Source(
    "Saint Luke's Health System, health library, 'Shoulder Squeeze Exercise'",
    kind=_LIBRARY,
    url="https://www.saintlukeskc.org/health-library/shoulder-squeeze-exercise",
)
NATIONAL_JEWISH_SQUEEZE: Final = Source(
    "National Jewish Health, 'Shoulder Blade Squeeze' (May 2012)",
    kind=_LIBRARY,
    url="https://www.nationaljewish.org/conditions/health-information/"
    "exercise-and-weight/exercise-at-home/shoulder-blade-squeeze",
)
BENNELL_2010: Final = Source(
    "Bennell et al. (2010), a physiotherapy programme for thoracic hyperkyphosis, "
    "BMC Musculoskeletal Disorders 11:36, Table 1",
    kind=SourceKind.TRIAL_PROTOCOL,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC2830179/",
)
WWL_NECK_UPPER_BACK: Final = Source(
    "Wrightington, Wigan and Leigh NHS Foundation Trust, MSK advice on neck and "
    "upper back pain (page title not recorded)",
    kind=_LIBRARY,
    url="https://wwl.nhs.uk/msk-neck-and-upper-back-pain",
)
NHS_BACK_PAIN: Final = Source(
    "NHS, 'Back pain'",
    kind=_PUBLIC,
    url="https://www.nhs.uk/conditions/back-pain/",
    note="seen only through copies that reprint its lists of when to get help: "
    "call 999 or go to A&E for back pain and 'pain, tingling, weakness or "
    "numbness in both legs'; call 111 or ask for an urgent GP appointment for "
    "back pain and 'the pain is made worse when sneezing, coughing or pooing'",
)
CATALOGUE_NOTICE: Final = Source(
    "mobility catalogue: the general notice every catalogue protocol carries",
    note="our wording; the stop rules and the advice on care are the sources'",
)
