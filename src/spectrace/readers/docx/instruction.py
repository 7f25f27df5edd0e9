"""Read the instruction that heads each change of a Word IRP ("At SMETS 4.4.5 amend …").

One grammar for what an instruction says: its target, its action, the glossary term, and for a
structural change the clause a new or moved clause follows and the number a renumbered clause
takes. The words are matched generously (any case, "Section", "Clause" or "paragraph" before a
number or not, the document named or left to context) but an instruction that could be read two
ways is an error, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from spectrace.errors import ReadError
from spectrace.model import Action, Target
from spectrace.model.refs import CLAUSE_NUMBER_PATTERN, DOCUMENT_NAME_PATTERN
from spectrace.text import squash

#: A paragraph that starts with "At" or "In" and a document name (after a typed "1." or not).
AT_INSTRUCTION = re.compile(rf"^(?:\d+[.)]\s*)?(?:At|In)\s+{DOCUMENT_NAME_PATTERN}\b")


class Instruction(NamedTuple):
    """What an instruction says: its target, action and glossary term, and for a structural
    change the clause a new or moved clause follows and the number a renumbered one takes."""

    target: Target
    action: Action
    term: str | None = None
    after: str = ""
    new_number: str = ""


def parse_instruction(text: str, *, file: str, number: int) -> Instruction:
    """Return what an instruction says.

    "At SMETS 4.4.5 amend the text …" amends SMETS 4.4.5; "At CHTS Section 5, Glossary, add
    the new definition for ‘GSME Security Log’ …" adds that term to the CHTS glossary; the
    structural forms ("Insert new Section 4.6.4.10 after Section 4.6.4.9", "Delete SMETS
    Section 5.7.4.3 in its entirety", "Withdraw SMETS Section 4.6.4.9", "Renumber SMETS
    Section 4.6.4.9 as 4.6.4.11", …) are read by :func:`_structural`.
    """
    match = _AT_CLAUSE.search(text)
    if match is not None and re.search(r"\bglossary\b", text, re.I):
        return _glossary_instruction(text, match["doc"])
    structural = _structural(text, match, _Where(text, file, number))
    if structural is not None:
        return structural
    if match is None:
        raise ReadError(
            f'change {number}: cannot read the target of "{text}" (expected "At SMETS 4.4.5 …")',
            file=file,
        )
    document = match["doc"]
    if not match["number"]:
        raise ReadError(f'change {number}: "{text}" names no clause of {document}', file=file)
    return Instruction(Target(document, match["number"]), Action.AMEND)


def _glossary_instruction(text: str, document: str) -> Instruction:
    lowered = text.lower()
    if re.search(r"\b(?:delete|remove)\b", lowered):
        action = Action.DELETE_TERM
    elif re.search(r"\badd\b|\bnew definition\b|\binsert\b", lowered):
        action = Action.ADD_TERM
    else:
        action = Action.AMEND_TERM
    return Instruction(Target(document, None), action, _quoted(text))


#: "At SMETS 4.4.5", "In CHTS Section 4.4.6.1", "In SMETS," (the number is optional).
_AT_CLAUSE = re.compile(
    rf"\b(?:At|In)\s+(?P<doc>{DOCUMENT_NAME_PATTERN})\s*,?\s*(?:(?:[Ss]ection|[Cc]lause)\s+)?"
    rf"(?P<number>{CLAUSE_NUMBER_PATTERN})?"
)
#: The word an instruction may put before a clause number; "paragraph" only before a dotted
#: one ("paragraph 2" is a paragraph of a clause, not a clause).
_CLAUSE_WORD = r"(?i:(?:sub-?)?(?:sections?|clauses?)\s+|paragraphs?\s+(?=\w+\.\w))"
#: The words of the structural grammar, which never name a document ("INSERT NEW SECTION …").
_GRAMMAR_WORDS = (
    r"insert|add|delete|remove|withdraw|mark|renumber|move|new|after|following|follow|the|an?"
    r"|as|to|it|of|and|in|at|whole|entire|existing|immediately|this"
)
#: A document named in a structural instruction: capitals and digits (SMETS, CHTS, GBCS), so
#: that the capitalised verb of "Withdraw 4.6.4.9" is not taken for one.
_DOC_CAPITALS = (
    rf"(?!{_CLAUSE_WORD})(?!(?i:{_GRAMMAR_WORDS})\b)(?={DOCUMENT_NAME_PATTERN}\b)[A-Z][A-Z0-9]+"
)
#: A clause reference: "SMETS Section 4.6.4.9", "clause 4.6.4.9A", "CHTS 4.4.6", "4.6.4.11".
_REF = (
    rf"(?:\b(?P<doc>{_DOC_CAPITALS})\s*,?\s+)?(?P<word>{_CLAUSE_WORD})?"
    rf"(?P<number>(?<![\w.]){CLAUSE_NUMBER_PATTERN})(?!\.?\w)"
)
_ANY_REF = re.compile(_REF)
#: Words between a verb and the clause it acts on ("insert the following new Section …").
_FILLER_WORDS = r"the|a|an|whole|entire|following|existing|of|it|this|as|to"
_FILLER = rf"(?:(?i:{_FILLER_WORDS}|new)\s+)*"
_VERBS = {
    Action.INSERT_CLAUSE: r"insert|add",
    Action.DELETE_CLAUSE: r"delete|remove",
    Action.WITHDRAW_CLAUSE: r"withdraw|mark",
    Action.RENUMBER_CLAUSE: r"renumber|move",
}
_VERB_REF = {
    action: re.compile(rf"\b(?i:{verbs})\s+{_FILLER}{_REF}") for action, verbs in _VERBS.items()
}
_VERB_FIRST = re.compile(rf"^(?:\d+[.)]\s*)?(?i:{'|'.join(_VERBS.values())})\s+{_FILLER}{_REF}")
#: "insert (a / the following) new Section N": "new" once, so that no word is tried twice.
_NEW_CLAUSE = re.compile(
    rf"\b(?i:insert|add)\s+(?:(?i:{_FILLER_WORDS})\s+)*(?i:new)\s+(?:(?i:{_FILLER_WORDS})\s+)*{_REF}"
)
_AFTER_REF = re.compile(
    rf"\b(?i:(?:immediately\s+)?(?:after|following|to\s+follow))\s+(?:(?i:the|existing)\s+)*{_REF}"
)
#: What an instruction that withdraws a clause puts in its place.
_NOT_USED = re.compile(
    r"(?i:(?:\b(?:with|as|to|by|read|reads)\s+|[‘'“\"])\s*"
    r"(?:not\s+used|intentionally\s+(?:left\s+)?blank)\b)"
)
_ENTIRETY = re.compile(
    r"(?i:\bin\s+(?:its|their)\s+entirety\b|\b(?:whole|entire)\s+(?:section|clause)\b)"
)
#: "renumber the clause …" under "At SMETS 4.6.4.9" (not "renumber the list items").
_RENUMBER = re.compile(
    r"(?i:\brenumber\w*\s+(?:(?:the|this)\s+)?(?:(?:sub-?)?clause|section|it)\b)"
)
#: Words that name a part of a clause: "replace item iii with 'Not used'", "delete the table in
#: its entirety" change a clause, they do not withdraw or delete it.
_PART = re.compile(
    r"(?i:\b(?:items?|rows?|entry|entries|sentences?|bullets?|tables?|cells?|columns?|lists?"
    r"|definitions?|words?|notes?|figures?|paragraphs?)\b)"
)


@dataclass(frozen=True)
class _Where:
    """The instruction being read, for its error messages."""

    text: str
    file: str
    number: int

    def error(self, message: str) -> ReadError:
        return ReadError(f'change {self.number}: "{self.text}" {message}', file=self.file)


def _structural(text: str, at: re.Match | None, where: _Where) -> Instruction | None:
    """Return the structural change ``text`` makes, or None when it makes none (an amendment).

    The verb and the clause right after it say what happens to which clause; "insert new
    Section N" names an inserted clause, "after / following / to follow N" where it goes; a clause
    withdrawn is replaced "with 'Not used'" (or "Intentionally blank"). Anything that could be
    read two ways is an error, never a guess.
    """
    verb_refs = {action: _verb_ref(pattern, text, at) for action, pattern in _VERB_REF.items()}
    new_ref, after_ref = _NEW_CLAUSE.search(text), _AFTER_REF.search(text)
    whole = not _PART.search(_ANY_REF.sub(" ", text))  # no item, row, table … of a clause
    found: list[Action] = []
    if _NOT_USED.search(text) and whole:
        found.append(Action.WITHDRAW_CLAUSE)
    else:
        if verb_refs[Action.RENUMBER_CLAUSE] or (_RENUMBER.search(text) and at and at["number"]):
            found.append(Action.RENUMBER_CLAUSE)
        if new_ref or (verb_refs[Action.INSERT_CLAUSE] and after_ref):
            found.append(Action.INSERT_CLAUSE)
        entirety = _ENTIRETY.search(text) and whole and at and at["number"]
        if verb_refs[Action.DELETE_CLAUSE] or entirety:
            found.append(Action.DELETE_CLAUSE)
        if verb_refs[Action.WITHDRAW_CLAUSE] and re.search(r"(?i:\bwithdraw)", text):
            found.append(Action.WITHDRAW_CLAUSE)
    if not found:
        return None
    if len(found) > 1:
        names = " and ".join(action.value for action in found)
        raise where.error(f"asks for more than one change ({names}); give each its own")
    action = found[0]
    refs = list(_ANY_REF.finditer(text))
    document = _document(refs, at, where)
    if action is Action.INSERT_CLAUSE:
        new = new_ref or verb_refs[action]
        assert new is not None, "an insertion is found by its new clause"
        after = _after_number(after_ref, at, new["number"], where)
        return Instruction(Target(document, new["number"]), action, after=after)
    target = _target_number(verb_refs[action], at, refs, action, where)
    if action is not Action.RENUMBER_CLAUSE:
        return Instruction(Target(document, target), action)
    after = after_ref["number"] if after_ref else ""
    new_number = _new_number(refs, {target, after}, where)
    return Instruction(Target(document, target), action, after=after, new_number=new_number)


def _verb_ref(pattern: re.Pattern, text: str, at: re.Match | None) -> re.Match | None:
    """Return the clause right after a verb. Under "At SMETS 4.4.5" a bare number there
    ("remove 4.6.5.17 from the list") is a cross-reference in the text unless it is a
    sub-clause of 4.4.5: the clause needs its document or the word Section or Clause."""
    found = pattern.search(text)
    if found is None or at is None or not at["number"] or found["doc"] or found["word"]:
        return found
    return found if found["number"].startswith(at["number"] + ".") else None


def _document(refs: list[re.Match], at: re.Match | None, where: _Where) -> str:
    """Return the one document a structural instruction names, or "" when it names none."""
    named = {ref["doc"] for ref in refs if ref["doc"]} | ({at["doc"]} if at else set())
    if len(named) > 1:
        raise where.error(f"names more than one document ({', '.join(sorted(named))})")
    return named.pop() if named else ""


def _after_number(after: re.Match | None, at: re.Match | None, new: str, where: _Where) -> str:
    """Return the clause an inserted clause ``new`` follows: "after N", else the clause of
    "At SMETS N" unless that is ``new`` or its parent (where in it would be a guess)."""
    if after is not None:
        return after["number"]
    if at is not None and at["number"] and not (new + ".").startswith(at["number"] + "."):
        return at["number"]
    raise where.error(
        f'inserts clause {new} without saying which clause it follows (write "… after Section N")'
    )


def _target_number(
    verb: re.Match | None, at: re.Match | None, refs: list[re.Match], action: Action, where: _Where
) -> str:
    """Return the clause a deletion, withdrawal or renumbering acts on: the one after its verb,
    else that of "At SMETS N", else the only clause the instruction names."""
    if verb is not None:
        return verb["number"]
    if at is not None and at["number"]:
        return at["number"]
    if len({ref["number"] for ref in refs}) == 1:
        return refs[0]["number"]
    raise where.error(f"names no one clause to {action.value.split('_')[0]}")


def _new_number(refs: list[re.Match], used: set[str], where: _Where) -> str:
    """Return the number a renumbered clause takes: the one clause number the instruction
    names besides the clause and the one it follows."""
    left = list(dict.fromkeys(ref["number"] for ref in refs if ref["number"] not in used))
    if len(left) == 1:
        return left[0]
    if not left:
        raise where.error('renumbers a clause without giving its new number (write "… as N")')
    raise where.error(f"gives more than one new number ({', '.join(left)}); say which")


_OPENING_QUOTE = re.compile(r"[‘'“\"]")
_CLOSING_QUOTE = re.compile(r"[’'”\"]")


def _quoted(text: str) -> str | None:
    """Return the first non-empty quoted text in ``text``, or None.

    Each opening quote is tried once against the next closing quote after it, so that a
    paragraph of opening quotes costs linear time (the single regex it replaces tried every
    opening quote against the rest of the text: quadratic).
    """
    for opening in _OPENING_QUOTE.finditer(text):
        closing = _CLOSING_QUOTE.search(text, opening.end())
        if closing is None:
            return None
        if closing.start() > opening.end():
            return squash(text[opening.end() : closing.start()])
    return None


def starts_structural(text: str) -> bool:
    """Return whether ``text`` starts with a structural verb and the clause it acts on
    ("Delete SMETS Section 5.7.4.3 …", "Insert new Section 4.6.4.10 …"), the clause named with
    its document, the word Section or Clause, or a dotted number, so that "Add 1 to the count"
    is not an instruction."""
    found = _VERB_FIRST.match(text)
    return found is not None and bool(found["doc"] or found["word"] or "." in found["number"])
