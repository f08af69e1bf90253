"""Everyday phrasings care and hospital staff use for their work land on the right concept.

Written for this test from how healthcare assistants, carers, domestics and porters describe their
shifts on CVs, in interviews and on the ward (none is copied from an evaluation set); each names the
concept a recruiter would read it as. A phrase fixed here was fixed in the curated taxonomy
(fixtures/taxonomy), never in code.
"""

from __future__ import annotations

import pytest

from matcher import Normaliser

EVERYDAY = [
    ("skill", "did the drug round", "skill-medication-administration"),
    ("skill", "doing obs every 4 hours", "skill-patient-observations"),
    ("skill", "hoisting residents", "skill-hoist-use"),
    ("skill", "peg feeds", "skill-enteral-feeding"),
    ("skill", "bank shifts", "skill-shift-work"),
    ("skill", "team player", "skill-teamwork"),
    ("skill", "2 hourly turns", "skill-pressure-area-care"),
    ("skill", "blood sugars", "skill-blood-glucose-monitoring"),
    ("skill", "dipping urine", "skill-urinalysis"),
    ("skill", "doing the teas", "skill-beverage-service"),
    ("skill", "giving bed baths", "skill-personal-care"),
    ("skill", "toileting residents", "skill-continence-care"),
    ("skill", "helping residents eat at mealtimes", "skill-feeding-assistance"),
    ("skill", "filling in fluid charts", "skill-fluid-balance-monitoring"),
    ("skill", "emptying cath bags", "skill-catheter-care"),
    ("skill", "stoma bag changes", "skill-stoma-care"),
    ("skill", "doing 1 to 1s", "skill-enhanced-care-observation"),
    ("skill", "taking patients down to x-ray", "skill-portering-patients"),
    ("skill", "laying out the deceased", "skill-last-offices"),
    ("skill", "handing over to the next shift", "skill-sbar-handover"),
    ("skill", "writing up notes", "skill-record-keeping"),
    ("skill", "putting in a datix", "skill-incident-reporting"),
    ("skill", "looking after dementia residents", "skill-dementia-care"),
    ("skill", "end of life care for residents", "skill-end-of-life-care"),
    ("skill", "MRSA swabbing", "skill-specimen-collection"),
    ("skill", "putting on PPE", "skill-ppe"),
    ("skill", "deep cleaning side rooms", "skill-terminal-cleaning"),
    ("skill", "using the scrubber dryer", "skill-floor-cleaning-machines"),
    ("skill", "getting patients up and walking", "skill-mobility-assistance"),
    ("skill", "pushing patients in wheelchairs", "skill-wheelchair-handling"),
    ("skill", "sitting and chatting with residents", "skill-companionship"),
    ("skill", "restocking the ward", "skill-ward-stock-top-up"),
    ("skill", "doing NEWS scores", "skill-news2"),
    ("skill", "stripping and making beds", "skill-bed-making"),
    ("skill", "did my manual handling training", "skill-moving-and-handling"),
    ("skill", "washing and dressing residents", "skill-personal-care"),
    ("skill", "mouth care for residents", "skill-oral-care"),
    ("skill", "doing the dressings", "skill-wound-dressings"),
    ("skill", "checking sats", "skill-pulse-oximetry"),
    ("skill", "meds prompting", "skill-medication-prompting"),
    ("skill", "night shifts", "skill-shift-work"),
    ("skill", "doing the obs round", "skill-patient-observations"),
    ("occupation", "bank HCA", "occ-healthcare-assistant"),
    ("occupation", "carer in a nursing home", "occ-care-worker"),
    ("occupation", "night carer", "occ-care-worker"),
    ("occupation", "domestic on the wards", "occ-domestic-assistant"),
    ("occupation", "portering", "occ-porter"),
    ("occupation", "kitchen assistant in a hospital", "occ-catering-assistant"),
    ("occupation", "GP receptionist", "occ-medical-receptionist"),
    ("occupation", "home care worker", "occ-home-carer"),
    ("occupation", "senior carer", "occ-senior-care-worker"),
    ("occupation", "housekeeper on a ward", "occ-ward-housekeeper"),
    ("occupation", "HCA on nights", "occ-healthcare-assistant"),
    ("occupation", "agency nurse", "occ-registered-nurse-adult"),
]


@pytest.mark.parametrize(("kind", "text", "concept_id"), EVERYDAY, ids=[text for _, text, _ in EVERYDAY])
def test_everyday_phrasing_lands_on_its_concept(normaliser: Normaliser, kind: str, text: str, concept_id: str) -> None:
    result = normaliser.normalise(text, kind=kind)
    assert result.best is not None, f"{text!r} found nothing"
    assert result.best.concept_id == concept_id, [(m.concept_id, round(m.score, 3)) for m in result.matches]


def test_there_are_at_least_forty_distinct_phrasings() -> None:
    assert len({text for _, text, _ in EVERYDAY}) >= 40
