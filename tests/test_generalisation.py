"""Generalisation: replies and reports written for these tests in our own words, and the
replies providers publish, scored against the answer an expert would give
(tests/generalisation/README.md). Run ``python tests/generalisation/report.py --misses``
to see what misses; fix the model (a phrase family, the code model, extraction), never a
rule for one sentence."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "generalisation"))

from suite import Outcome, load, score, suite_names

#: accuracy floors per group of suites (fractions); raised as the model improves
FLOORS = {"everyday": 0.95, "everyday2": 0.93, "everyday3": 0.90, "everyday3b": 0.85,
          "everyday4": 0.93, "everyday4b": 0.90, "everyday5": 0.90, "everyday6": 0.90,
          "everyday7": 0.93, "everyday8": 0.90, "everyday9": 0.90, "everyday10": 0.90,
          "everyday11": 0.90, "everyday12": 0.80, "everyday13": 0.85,
          "everyday14": 0.85,
          "everyday15": 0.85, "everyday16": 0.90, "everyday17": 0.85,
          "everyday20": 0.90, "everyday21": 0.90, "everyday22": 0.90, "everyday23": 0.90,
          "everyday24": 0.90, "everyday25": 0.85, "everyday26": 0.90,
          "everyday27": 0.90, "everyday28": 0.90,
          "everyday29": 0.85, "everyday30": 0.90,
          "everyday31": 0.90, "everyday32": 0.90,
          "everyday33": 0.90, "everyday34": 0.90, "everyday35": 0.90,
          "everyday36": 0.90, "everyday37": 0.90, "everyday38": 0.90, "everyday39": 0.90,
          "everyday40": 0.90, "everyday41": 0.90, "everyday42": 0.90, "everyday43": 0.90,
          "everyday44": 0.90, "everyday45": 0.90, "everyday46": 0.90,
          "everyday47": 0.80, "everyday48": 0.90, "everyday49": 0.90,
          "everyday50": 0.90, "everyday51": 0.90, "everyday52": 0.90,
          "everyday53": 0.80, "everyday54": 0.90, "everyday55": 0.90,
          "everyday56": 0.90, "everyday57": 0.90,
          "everyday58": 0.90, "everyday59": 0.90, "everyday60": 0.90,
          "everyday61": 0.85, "everyday62": 0.85, "everyday63": 0.90,
          "everyday64": 0.90, "everyday65": 0.90, "everyday66": 0.90,
          "everyday67": 0.90, "everyday68": 0.90, "everyday69": 0.90,
          "everyday70": 0.90, "everyday71": 0.90, "everyday72": 0.90,
          "everyday73": 0.90, "everyday74": 0.92, "everyday75": 0.92,
          "everyday76": 0.92, "everyday77": 0.92, "everyday78": 0.92,
          "everyday79": 0.92, "everyday80": 0.92, "everyday81": 0.85,
          "everyday82": 0.92, "everyday83": 0.92, "everyday84": 0.92,
          "everyday85": 0.92, "everyday86": 0.92, "everyday87": 0.75,
          "everyday88": 0.92, "everyday89": 0.92, "everyday90": 0.92,
          "everyday91": 0.92, "everyday92": 0.92, "everyday93": 0.92,
          "everyday94": 0.92, "everyday95": 0.92, "everyday96": 0.92,
          "everyday97": 0.92, "everyday98": 0.92, "everyday99": 0.92,
          "everyday100": 0.89, "everyday101": 0.92, "everyday102": 0.92,
          "everyday103": 0.92, "everyday104": 0.96, "everyday105": 0.96,
          "everyday106": 0.96, "everyday107": 0.96, "everyday108": 0.96, "everyday109": 0.96,
          "everyday110": 0.96, "everyday111": 0.96, "everyday112": 0.96, "everyday113": 0.96,
          "everyday114": 0.96, "everyday115": 0.96, "everyday116": 0.96, "everyday117": 0.96,
          "everyday118": 0.96, "everyday119": 0.96, "everyday120": 0.96, "everyday121": 0.92,
          "everyday122": 0.96, "everyday123": 0.92, "everyday124": 0.96, "everyday125": 0.96,
          "everyday126": 0.96, "everyday127": 0.96,
          "everyday128": 0.92, "everyday129": 0.96,
          "everyday130": 0.96, "everyday131": 0.96,
          "everyday132": 0.96, "everyday133": 0.96,
          "everyday134": 0.96, "everyday135": 0.96,
          "everyday136": 0.96, "everyday137": 0.92,
          "everyday138": 0.92, "everyday139": 0.92,
          "everyday140": 0.96, "everyday141": 0.96,
          "everyday142": 0.92, "everyday143": 0.92,
          "everyday144": 0.96, "everyday145": 0.96,
          "everyday146": 0.96, "everyday147": 0.92,
          "everyday148": 0.96, "everyday149": 0.96,
          "everyday150": 0.96, "everyday151": 0.96,
          "everyday152": 0.96, "everyday153": 0.82,
          "everyday154": 0.96, "everyday155": 0.96,
          "everyday156": 0.82, "everyday157": 0.96,
          "everyday158": 0.96, "everyday159": 0.96,
          "everyday160": 0.96, "everyday161": 0.92,
          "everyday162": 0.96, "everyday163": 0.96,
          "everyday164": 0.96, "everyday165": 0.96,
          "everyday166": 0.96, "everyday167": 0.96,
          "everyday168": 0.96, "everyday169": 0.96,
          "everyday170": 0.96, "everyday171": 0.96,
          "everyday172": 0.96, "everyday173": 0.96,
          "everyday174": 0.96, "everyday175": 0.96,
          "everyday176": 0.96, "everyday177": 0.96,
          "everyday178": 0.96, "everyday179": 0.96,
          "everyday180": 0.96, "everyday181": 0.96,
          "everyday182": 0.96, "everyday183": 0.96, "everyday184": 0.96,
          "everyday185": 0.96, "everyday186": 0.96,
          "everyday187": 0.96, "everyday188": 0.96,
          "everyday189": 0.96,
          "everyday190": 0.96,
          "everyday191": 0.96,
          "everyday192": 0.96,
          "everyday193": 0.96,
          "everyday194": 0.96,
          "everyday195": 0.96,
          "everyday197": 0.96,
          "everyday196": 0.96,
          "everyday198": 0.96,
          "everyday199": 0.96,
          "everyday200": 0.96,
          "everyday202": 0.96,
          "everyday201": 0.96,
          "everyday203": 0.96,
          "everyday204": 0.96,
          "everyday205": 0.96,
          "everyday206": 0.96,
          "everyday208": 0.96,
          "everyday207": 0.96,
          "everyday211": 0.92,
          "everyday209": 0.96,
          "everyday210": 0.96,
          "everyday213": 0.96,
          "everyday212": 0.96,
          "everyday214": 0.96,
          "everyday215": 0.96,
          "everyday216": 0.96,
          "everyday217": 0.96,
          "everyday218": 0.92,
          "everyday219": 0.96,
          "everyday220": 0.96,
          "everyday221": 0.92,
          "everyday222": 0.92,
          "everyday223": 0.96,
          "everyday224": 0.96,
          "everyday225": 0.96,
          "everyday226": 0.96,
          "everyday227": 0.96,
          "everyday228": 0.96,
          "everyday229": 0.96,
          "everyday230": 0.96,
          "everyday231": 0.96,
          "everyday232": 0.96,
          "everyday233": 0.92,
          "everyday234": 0.96,
          "everyday235": 0.96,
          "everyday236": 0.88,
          "everyday237": 0.96,
          "everyday238": 0.96,
          "everyday239": 0.96,
          "everyday240": 0.96,
          "everyday241": 0.96,
          "everyday242": 0.96,
          "everyday243": 0.96,
          "everyday244": 0.92,
          "everyday245": 0.96,
          "everyday246": 0.96,
          "everyday247": 0.88,
          "everyday248": 0.96,
          "everyday249": 0.96,
          "everyday250": 0.96,
          "everyday251": 0.96,
          "everyday252": 0.96,
          "everyday253": 0.96,
          "everyday254": 0.96,
          "everyday256": 0.96,
          "everyday255": 0.96,
          "everyday257": 0.96,
          "everyday258": 0.96,
          "everyday259": 0.96,
          "everyday261": 0.96,
          "everyday260": 0.96,
          "everyday262": 0.96,
          "everyday264": 0.96,
          "everyday263": 0.96,
          "everyday265": 0.96,
          "everyday266": 0.96,
          "everyday267": 0.96,
          "everyday268": 0.96,
          "everyday269": 0.96,
          "everyday270": 0.90,
          "everyday271": 0.85,
          "everyday272": 0.80,
          "everyday273": 0.96,
          "everyday274": 0.90,
          "everyday275": 0.85,
          "everyday276": 0.96,
          "everyday277": 0.90,
          "everyday278": 0.96,
          "everyday279": 0.90,
          "everyday280": 0.96,
          "everyday282": 0.9,
          "everyday283": 0.96,
          "everyday281": 0.96,
          "everyday284": 0.96,
          "everyday285": 0.85,
          "everyday286": 0.96,
          "everyday289": 0.96,
          "everyday287": 0.96,
          "everyday288": 0.85,
          "everyday290": 0.96,
          "everyday292": 0.96,
          "everyday291": 0.9,
          "everyday293": 0.96,
          "everyday295": 0.85,
          "everyday294": 0.9,
          "everyday296": 0.96,
          "everyday297": 0.96,
          "everyday298": 0.75,
          "everyday299": 0.96,
          "paraphrases": 0.96, "providers": 0.93, "bounces": 0.93}
#: at most this share of cases may be told to suppress an address an expert would keep
HARMFUL = 0.01


@pytest.fixture(scope="module")
def results() -> dict[str, list[Outcome]]:
    return score()


def test_every_case_is_well_formed() -> None:
    from bouncefix.model import Kind, Reason

    for name in suite_names():
        for case in load(name):
            assert Reason(case.reason) and all(Reason(r) for r in case.also), case
            assert case.kind is None or Kind(case.kind), case
            assert case.text.strip(), case


@pytest.mark.parametrize("group", sorted(FLOORS))
def test_group_accuracy(results: dict[str, list[Outcome]], group: str) -> None:
    outcomes = [o for name, found in results.items() if name.split("/")[0] == group
                for o in found]
    assert outcomes
    right = sum(o.right for o in outcomes) / len(outcomes)
    misses = [f"{o.case.reason} -> {o.reason}: {' '.join(o.case.text.split())[:100]}"
              for o in outcomes if not o.right][:15]
    assert right >= FLOORS[group], f"{right:.3f} < {FLOORS[group]}; misses:\n" + "\n".join(misses)


def test_almost_never_harmful(results: dict[str, list[Outcome]]) -> None:
    outcomes = [o for found in results.values() for o in found]
    harmful = [o for o in outcomes if o.harmful]
    assert len(harmful) <= HARMFUL * len(outcomes), [
        f"{o.case.reason}: {' '.join(o.case.text.split())[:100]}" for o in harmful]


def test_low_confidence_is_never_hard(results: dict[str, list[Outcome]]) -> None:
    for found in results.values():
        for o in found:
            if o.confidence is not None and o.confidence.value == "low":
                assert not o.hard, o.case.text
