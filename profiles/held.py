"""UK credentials a resident holds now ("PLAB 1 passed 2025", "NMC PIN", "enhanced DBS"), and
what the text suggests about the right to work, immigration status, postcode and hours.

A credential only counts when the clause says it is held: "preparing for PLAB 2", "CBT booked",
"GMC registration in progress" and "want to do OSPAP" do not. The right to work is never decided
here: a hint is returned, with the words it came from, for the resident to confirm.
"""

from __future__ import annotations

import re

from .draft import Item, Span
from .layout import Piece
from .lexicon import Lexicon

_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b")
_DISTRICT = re.compile(r"(?<![\w-])([A-Z]{1,2}\d{1,2}[A-Z]?)(?![\w-])")
_LIVE = re.compile(r"\b(?:live|living|lives|address|postcode|based)\b", re.IGNORECASE)
_PART_TIME = re.compile(r"\bpart[- ]?time\b", re.IGNORECASE)
_FULL_TIME = re.compile(r"\bfull[- ]?time\b", re.IGNORECASE)
_ONLY = {"plab-1-and-2": ("plab-1", "plab-2")}


def _negated(clause: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """An intent or negation cue in the clause, outside the credential's own words."""
    rest = clause[:start] + " " + clause[end:]
    return bool(lexicon.intent.search(rest))


def find_credentials(clauses: list[Piece], lexicon: Lexicon) -> list[Item]:
    """Credentials held, one item per credential (the strongest statement wins)."""
    best: dict[str, Item] = {}
    for clause in clauses:
        text = clause.text
        for rule in lexicon.credentials:
            if rule.context is not None and not rule.context.search(text):
                continue
            if rule.not_context is not None and rule.not_context.search(text):
                continue
            for pattern in rule.patterns:
                match = pattern.search(text)
                if match is None:
                    continue
                # "PLAB 1 and PLAB 2 passed", "PLAB 1: passed (March 2025)", "I pass PLAB 1".
                if rule.needs_pass and not lexicon.passed.search(text):
                    continue
                if _negated(text, match.start(), match.end(), lexicon):
                    continue
                confidence = 0.9
                note = None
                if rule.weak_unless is not None and not rule.weak_unless.search(text):
                    confidence = 0.6
                    note = "Check this is an enhanced DBS check (the kind care and hospital work needs)."
                start = clause.start + match.start()
                item = Item(
                    kind="credential",
                    value={"id": rule.id},
                    span=Span(clause.start, clause.end, clause.text),
                    confidence=confidence,
                    note=note,
                    method="phrase",
                )
                del start
                if rule.id not in best or best[rule.id].confidence < confidence:
                    best[rule.id] = item
                break
    # "PLAB 1 and PLAB 2 passed", "PLAB 1 and 2 both passed": both parts are in the same words.
    for clause in clauses:
        both = re.search(r"\bPLAB\s*(?:part\s*)?1\s*(?:and|&)\s*(?:PLAB\s*)?(?:part\s*)?2\b", clause.text, re.I)
        if (
            not both
            or not lexicon.passed.search(clause.text)
            or _negated(clause.text, both.start(), both.end(), lexicon)
        ):
            continue
        for part in ("plab-1", "plab-2"):
            if part not in best:
                span = Span(clause.start, clause.end, clause.text)
                best[part] = Item("credential", {"id": part}, span, 0.9, method="phrase")
    return sorted(best.values(), key=lambda item: item.span.start)


def find_status(clauses: list[Piece], lexicon: Lexicon) -> list[Item]:
    """Right-to-work and immigration-status hints (never decisions)."""
    items: list[Item] = []
    seen: set[tuple[str, str]] = set()
    for clause in clauses:
        for rule in lexicon.right_to_work:
            match = rule.pattern.search(clause.text)
            if match is None:
                continue
            key = ("right_to_work", rule.hint)
            if key not in seen:
                seen.add(key)
                items.append(
                    Item(
                        kind="right_to_work",
                        value={"hint": rule.hint},
                        span=Span(clause.start, clause.end, clause.text),
                        confidence=0.7 if rule.hint == "yes" else 0.6,
                        note=rule.note + " Please answer the question yourself: we never decide it for you.",
                        method="phrase",
                    )
                )
            if rule.immigration_status and ("immigration_status", rule.immigration_status) not in seen:
                seen.add(("immigration_status", rule.immigration_status))
                items.append(
                    Item(
                        kind="immigration_status",
                        value={"hint": rule.immigration_status},
                        span=Span(clause.start, clause.end, clause.text),
                        confidence=0.7,
                        note="Refugees can get help with some fees (PLAB 1, HCPC scrutiny): please confirm it.",
                        method="phrase",
                    )
                )
    return items


def find_postcode(pieces: list[Piece]) -> Item | None:
    """A full postcode anywhere, or a district ("B66") on a contact line or after "I live in"."""
    for piece in pieces:
        match = _POSTCODE.search(piece.text)
        if match and not re.search(r"\b(?:band|level|grade)\s*$", piece.text[: match.start()], re.IGNORECASE):
            value = f"{match.group(1)} {match.group(2)}"
            start = piece.start + match.start()
            return Item(
                "postcode",
                {"postcode": value},
                Span(start, piece.start + match.end(), match.group(0)),
                0.8,
                method="pattern",
            )
    for piece in pieces:
        contact_line = piece.section is None and re.search(r"[|,·\-]|address", piece.text, re.IGNORECASE)
        if not (contact_line or _LIVE.search(piece.text)):
            continue
        for match in _DISTRICT.finditer(piece.text):
            if re.search(
                r"\b(?:band|level|grade|vitamin|part|plab|ore)\s*$", piece.text[: match.start()], re.IGNORECASE
            ):
                continue
            if match.group(1)[0] not in "BCDEGHKLMNOPRSTWY" or len(match.group(1)) < 2:
                continue
            start = piece.start + match.start()
            return Item(
                "postcode",
                {"postcode": match.group(1)},
                Span(start, piece.start + match.end(), match.group(1)),
                0.7,
                method="pattern",
            )
    return None


def find_hours(pieces: list[Piece]) -> Item | None:
    """Part time or full time, when the resident says which they want (not in job history)."""
    found: dict[str, Piece] = {}
    for piece in pieces:
        if piece.section == "experience":
            continue
        if _PART_TIME.search(piece.text):
            found.setdefault("part_time", piece)
        if _FULL_TIME.search(piece.text):
            found.setdefault("full_time", piece)
    if len(found) != 1:
        return None
    ((hours, piece),) = found.items()
    return Item("hours", {"hours": hours}, Span(piece.start, piece.end, piece.text), 0.7, method="phrase")
