"""Generate synthetic smart-metering specification Word files (.docx) for benchmarking.

The files imitate the SMETS / CHTS excerpts in ``tests/fixtures`` (see the fixtures README):
Heading 1-4 paragraphs numbered only through one multilevel list in ``numbering.xml`` (the
number is never in the text), normative body sentences about ESME, GSME, CHF, ... with
capitalised defined terms, cross-references as plain text ("as set out in Section 5.6.1",
"Sections 4.6.1, 4.6.4 and 4.6.5") and as ``REF _Ref… \\r \\h`` complex fields whose bookmarks
sit on the target headings, runs split mid-word with ``w:rsidR``, ``w:proofErr`` marks, one
``_GoBack`` bookmark, restarting lower-roman lists, 3-column data-item tables, a table of
contents inside a ``w:sdt`` and a closing Glossary table.

Every cross-reference points at a clause number that exists in the generated document: the
heading tree is planned first, then ``word/document.xml`` is streamed into the zip, so
50,000 clauses take a few seconds and little memory. The same (clauses, seed) gives
byte-identical files.

Usage::

    python benchmarks/make_spec.py OUT.docx --clauses N [--seed S]
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
ROOT_NS = (
    f'xmlns:mc="{NS_MC}" xmlns:r="{NS_R}" xmlns:w="{NS_W}" xmlns:w14="{NS_W14}" mc:Ignorable="w14"'
)
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFDOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

DOC_TITLE = "Smart Metering Equipment Technical Specifications (synthetic)"
DISCLAIMER = "Synthetic specification generated for benchmarking; not an official text"
BOLD = "<w:rPr><w:b/><w:bCs/></w:rPr>"
FLUSH_CHARS = 1 << 18

# ---------------------------------------------------------------------------------------------
# Content model: actors, defined terms, heading titles
# ---------------------------------------------------------------------------------------------

ACTORS = {
    "ESME": "Electricity Smart Metering Equipment meeting the requirements of this document.",
    "GSME": "Gas Smart Metering Equipment meeting the requirements of this document.",
    "CHF": "The Communications Hub Function of a Communications Hub.",
    "GPF": "The Gas Proxy Function of a Communications Hub.",
    "IHD": "An In-Home Display: a Type 2 Device that shows information to the consumer.",
    "PPMID": "A Prepayment Meter Interface Device.",
    "CAD": "A Consumer Access Device.",
    "Type 1 Devices": "Devices that hold Security Credentials and can receive commands.",
    "Type 2 Devices": "Devices that do not hold Security Credentials and only receive "
    "information over the HAN Interface, such as an IHD.",
}
SUBJECTS = ("ESME", "ESME", "ESME", "GSME", "GSME", "GSME", "CHF", "GPF", "IHD", "PPMID", "CAD")
RECIPIENTS = (
    ("", "Type 1 Devices"),
    ("", "Type 2 Devices"),
    ("the ", "CHF"),
    ("the ", "GPF"),
    ("an ", "IHD"),
    ("a ", "PPMID"),
    ("a ", "CAD"),
)
PLURALS = {"PPMID": "PPMIDs", "IHD": "IHDs", "CAD": "CADs"}

TERMS = {
    "Communications Link": "A connection between two devices over the HAN Interface.",
    "HAN Interface": "The interface through which a device communicates over the home area "
    "network.",
    "Secure Perimeter": "The physical enclosure of a device protecting its internal components.",
    "User Interface": "The display and buttons through which a consumer interacts with a device.",
    "Non-Volatile Memory": "Memory that retains its contents on loss of power.",
    "Auxiliary Load Control Switch": "A switch controlling a load connected to ESME.",
    "Security Log": "A log of each Sensitive Event, held in Non-Volatile Memory.",
    "Event Log": "A log of events other than a Sensitive Event.",
    "Billing Data Log": "A log of billing data captured at each billing calculation.",
    "Daily Read Log": "A log of register values captured at midnight local time.",
    "Profile Data Log": "A log of consumption in each half-hour period.",
    "Sensitive Event": "An event that is recorded in the Security Log.",
    "Supply Interruption": "A period during which the supply is interrupted.",
    "Supply Isolation": "The disablement of the supply by a device.",
    "Meter Balance": "The amount of credit held by a device operating in Prepayment Mode.",
    "Debt Recovery Rates": "The rates at which debt is recovered in Prepayment Mode.",
    "Currency Units": "The units in which monetary values are presented.",
    "UTC Date-Time": "The current date and time in coordinated universal time.",
    "Tariff Register": "A register accumulating consumption under a tariff.",
    "Randomised Offset": "A random delay applied before a scheduled action.",
    "Load Limit Period": "The period over which a load limit is assessed.",
    "Emergency Credit": "Credit made available when the Meter Balance is low.",
    "Privacy PIN": "A personal identification number restricting access to the User Interface.",
    "Security Credentials": "The keys and certificates a device uses to authenticate commands.",
    "Prepayment Mode": "A payment mode in which the Meter Balance is reduced by consumption.",
    "Credit Mode": "A payment mode in which consumption is billed in arrears.",
}
DATA = (
    "Meter Balance",
    "Debt Recovery Rates",
    "Currency Units",
    "UTC Date-Time",
    "Tariff Register",
    "Randomised Offset",
    "Load Limit Period",
    "Emergency Credit",
    "Privacy PIN",
    "Security Credentials",
)
LOGS = ("Security Log", "Event Log", "Billing Data Log", "Daily Read Log", "Profile Data Log")
EVENTS = ("Sensitive Event", "Supply Interruption", "Supply Isolation")
MODES = ("Prepayment Mode", "Credit Mode")
RECORDS = DATA + LOGS

H1_TITLES = (
    "Introduction",
    "Overview",
    "Gas Smart Metering Equipment Technical Specifications (GSME)",
    "Electricity Smart Metering Equipment Technical Specifications (ESME)",
    "Communications Hub Technical Specifications (CHTS)",
    "In-Home Display Technical Specifications",
    "Prepayment Meter Interface Device Technical Specifications",
    "HAN Connected Auxiliary Load Control Switch Technical Specifications",
)
H2_TITLES = (
    "Overview",
    "SMETS Testing and Certification Requirements",
    "Physical requirements",
    "Functional requirements",
    "Interface requirements",
    "Data requirements",
    "Security requirements",
)
H3_TITLES = (
    "Clock",
    "Communications",
    "Data storage",
    "Privacy PIN Protection",
    "Display of information",
    "General",
    "Security",
    "Supply interruption",
    "Load limiting",
    "Payment modes",
)
H4_TITLES = ("General", "Constant data", "Internal data", "Operational data")
GERUNDS = (
    "displaying",
    "recording",
    "providing",
    "storing",
    "retaining",
    "updating",
    "protecting",
    "sending",
    "logging",
    "executing",
)
LEAD_INS = ("displaying", "displaying", "providing", "recording")
VERBS = ("display", "record", "provide", "store", "retain", "update", "send", "log", "reset")
ITEM_SUFFIXES = ("entry", "capacity", "identifier", "status", "threshold", "period", "value")
ANNOTATIONS = ("[INFO]", "[INFO]", "[CONFIG]", "[INFO] [CONFIG]", "[SEND]", "")

# ---------------------------------------------------------------------------------------------
# Planning: the heading tree and every number, title and bookmark known before writing
# ---------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """The heading tree laid out before any XML is written."""

    levels: list[int]
    numbers: list[str]
    titles: dict[int, str] = field(default_factory=dict)
    toc: dict[int, str] = field(default_factory=dict)
    refs: dict[int, str] = field(default_factory=dict)
    ref_idx: list[int] = field(default_factory=list)
    goback: int = 0


def _split_budget(rng: random.Random, total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` positive sizes of roughly equal length."""
    base, rest = divmod(total, parts)
    sizes = [base + (1 if i < rest else 0) for i in range(parts)]
    for i in range(parts - 1):
        room = min(sizes[i], sizes[i + 1]) // 5
        if room:
            delta = rng.randint(-room, room)
            sizes[i] -= delta
            sizes[i + 1] += delta
    return sizes


def _h2_levels(rng: random.Random, budget: int, out: list[int]) -> None:
    """Append a Heading 2 with Heading 3 children, most of them holding Heading 4 leaves."""
    out.append(2)
    left = budget - 1
    while left > 0:
        kids = 0 if left < 3 or rng.random() < 0.45 else min(left - 1, rng.randint(2, 6))
        out.append(3)
        out.extend([4] * kids)
        left -= 1 + kids


def _h1_levels(rng: random.Random, budget: int, out: list[int]) -> None:
    """Append a Heading 1 and its Heading 2 sub-trees, ``budget`` headings in all."""
    out.append(1)
    left = budget - 1
    while left > 0:
        size = min(left, rng.randint(8, 40))
        if left - size < 4:
            size = left
        _h2_levels(rng, size, out)
        left -= size


def plan_levels(rng: random.Random, clauses: int) -> list[int]:
    """Return the heading level of every clause; the last one is the Glossary Heading 1."""
    body = clauses - 1
    levels: list[int] = []
    if body > 0:
        n_h1 = max(1, min(3, body // 15), round(body / 200))
        for size in _split_budget(rng, body, n_h1):
            _h1_levels(rng, size, levels)
    levels.append(1)
    return levels


def clause_numbers(levels: list[int]) -> list[str]:
    """Compute the auto-numbers Word shows for a sequence of heading levels."""
    counters = [0, 0, 0, 0]
    numbers = []
    for level in levels:
        counters[level - 1] += 1
        for deeper in range(level, 4):
            counters[deeper] = 0
        numbers.append(".".join(str(c) for c in counters[:level]))
    return numbers


def _bookmark_names(rng: random.Random, prefix: str, count: int, taken: set[str]) -> list[str]:
    """Draw ``count`` unique Word-style hidden bookmark names (``_Toc123456789``)."""
    names = []
    while len(names) < count:
        name = f"{prefix}{rng.randrange(10**8, 10**9)}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def make_plan(rng: random.Random, clauses: int) -> Plan:
    """Lay out the tree, its numbers, H1/H2 titles, TOC and REF bookmarks and the _GoBack spot."""
    levels = plan_levels(rng, clauses)
    plan = Plan(levels=levels, numbers=clause_numbers(levels))
    body = len(levels) - 1
    top = [i for i, lvl in enumerate(levels) if lvl <= 2]
    for i in top:
        titles = H1_TITLES if levels[i] == 1 else H2_TITLES
        plan.titles[i] = rng.choice(titles)
    plan.titles[body] = "Glossary"
    taken: set[str] = set()
    plan.toc = dict(zip(top, _bookmark_names(rng, "_Toc", len(top), taken), strict=True))
    targets = [i for i in range(body) if levels[i] >= 3 and rng.random() < 0.1]
    if not targets and body:
        targets = [body - 1]
    plan.refs = dict(zip(targets, _bookmark_names(rng, "_Ref", len(targets), taken), strict=True))
    plan.ref_idx = targets
    plan.goback = rng.randrange(body) if body else 0
    return plan


# ---------------------------------------------------------------------------------------------
# Streaming writer for word/document.xml
# ---------------------------------------------------------------------------------------------


class _Sink:
    """Buffer XML strings and write them UTF-8 encoded to a zip member in large chunks."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.buf: list[str] = []
        self.size = 0

    def __call__(self, text: str) -> None:
        self.buf.append(text)
        self.size += len(text)
        if self.size >= FLUSH_CHARS:
            self.flush()

    def flush(self) -> None:
        """Write out what is buffered."""
        self.stream.write("".join(self.buf).encode("utf-8"))
        self.buf.clear()
        self.size = 0


class SpecWriter:
    """Writes the body of one synthetic specification and counts what it wrote."""

    def __init__(self, rng: random.Random, plan: Plan, rsids: list[str]) -> None:
        self.rng = rng
        self.plan = plan
        self.rsids = rsids
        self.body = len(plan.levels) - 1
        self.para_id = rng.randrange(1, 0x7FFFFFFF)
        self.bookmark_id = 0
        self.lists = 0
        self.paragraphs = 0
        self.tables = 0
        self.list_items = 0
        self.goback_done = False
        self.used_terms: set[str] = set()
        self.emit = lambda text: None

    # --- low-level pieces ---------------------------------------------------------------------

    def _rsid(self) -> str:
        """A revision-session id from the document's rsid table."""
        return self.rsids[self.rng.randrange(len(self.rsids))]

    def _next_para_id(self) -> str:
        """A unique w14:paraId below 0x80000000."""
        self.para_id = (self.para_id + 0x2F1B3C5) % 0x7FFFFFFF or 1
        return f"{self.para_id:08X}"

    def _bookmark(self, name: str) -> tuple[str, str]:
        """Start and end tags of a bookmark with a fresh id."""
        bid = self.bookmark_id
        self.bookmark_id += 1
        return f'<w:bookmarkStart w:id="{bid}" w:name="{name}"/>', f'<w:bookmarkEnd w:id="{bid}"/>'

    def _run(self, text: str, rpr: str = "") -> str:
        """One run with its own rsid; spaces at the ends are preserved."""
        space = ' xml:space="preserve"' if text[:1] == " " or text[-1:] == " " else ""
        return f'<w:r w:rsidR="{self._rsid()}">{rpr}<w:t{space}>{escape(text)}</w:t></w:r>'

    def _text_runs(self, text: str, rpr: str = "") -> str:
        """Split ``text`` at random places (often mid-word) into several runs."""
        n = len(text)
        if n < 12:
            return self._run(text, rpr)
        rng = self.rng
        cuts = sorted({rng.randrange(1, n) for _ in range(rng.randint(1, 3))})
        pieces, prev = [], 0
        for cut in [*cuts, n]:
            pieces.append(self._run(text[prev:cut], rpr))
            prev = cut
        return "".join(pieces)

    def _ref_field(self, name: str, number: str) -> str:
        """A REF complex field to bookmark ``name`` with cached result ``number``."""
        r = self._rsid()
        return (
            f'<w:r w:rsidR="{r}"><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r w:rsidR="{r}"><w:instrText xml:space="preserve"> REF {name} \\r \\h '
            f"</w:instrText></w:r>"
            f'<w:r w:rsidR="{r}"><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r w:rsidR="{self._rsid()}"><w:t>{number}</w:t></w:r>'
            f'<w:r w:rsidR="{r}"><w:fldChar w:fldCharType="end"/></w:r>'
        )

    def _render(self, segments: list, rpr: str = "") -> str:
        """Render text, ("ref", name, number) and ("proof", text, kind) segments as runs."""
        out = []
        for seg in segments:
            if isinstance(seg, str):
                out.append(self._text_runs(seg, rpr))
            elif seg[0] == "ref":
                out.append(self._ref_field(seg[1], seg[2]))
            else:
                kind = seg[2]
                out.append(f'<w:proofErr w:type="{kind}Start"/>')
                out.append(self._text_runs(seg[1], rpr))
                out.append(f'<w:proofErr w:type="{kind}End"/>')
        return "".join(out)

    def _para(self, inner: str, ppr: str = "") -> str:
        """A w:p with Word's paraId / rsid attributes."""
        self.paragraphs += 1
        r = self._rsid()
        return (
            f'<w:p w14:paraId="{self._next_para_id()}" w14:textId="77777777" w:rsidR="{r}" '
            f'w:rsidRDefault="{self._rsid()}" w:rsidP="{r}">{ppr}{inner}</w:p>'
        )

    @staticmethod
    def _style(style: str, extra: str = "") -> str:
        """A w:pPr naming a paragraph style."""
        return f'<w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>'

    # --- vocabulary ---------------------------------------------------------------------------

    def _use(self, pool: tuple[str, ...]) -> str:
        """A defined term or actor drawn from ``pool``, remembered for the Glossary."""
        term = pool[self.rng.randrange(len(pool))]
        self.used_terms.add(term)
        return term

    def _fixed(self, term: str) -> str:
        """Record a fixed defined term for the Glossary and return it."""
        self.used_terms.add(term)
        return term

    def _subject(self) -> str:
        """The actor a normative sentence is about."""
        return self._use(SUBJECTS)

    def _recipient(self, subject: str) -> list:
        """Another actor receiving information, sometimes plural with a spelling mark."""
        article, name = RECIPIENTS[self.rng.randrange(len(RECIPIENTS))]
        while name == subject:
            article, name = RECIPIENTS[self.rng.randrange(len(RECIPIENTS))]
        self._fixed(name)
        if name in PLURALS and self.rng.random() < 0.5:
            return [("proof", PLURALS[name], "spell")]
        return [f"{article}{name}"]

    def _near(self, cur: int, spread: int = 30) -> int:
        """Index of another existing body clause near clause ``cur`` (Heading 2 or deeper)."""
        lo, hi = max(0, cur - spread), min(self.body, cur + spread + 1)
        idx = self.rng.randrange(lo, hi)
        if idx == cur:
            idx = cur + 1 if cur + 1 < self.body else max(0, cur - 1)
        if self.plan.levels[idx] == 1 and idx + 1 < self.body:
            idx += 1
        return idx

    def _ref(self, cur: int) -> list:
        """Maybe a cross-reference: REF field, "(as set out in Section X)" or "(X)"."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.5 or not self.body:
            return []
        if roll < 0.7 and self.plan.ref_idx:
            idx = self.plan.ref_idx
            pos = min(len(idx) - 1, max(0, bisect.bisect(idx, cur) + rng.randint(-3, 2)))
            target = idx[pos]
            return [" (", ("ref", self.plan.refs[target], self.plan.numbers[target]), ")"]
        number = self.plan.numbers[self._near(cur)]
        if roll < 0.88:
            return [f" (as set out in Section {number})"]
        return [f" ({number})"]

    def _sections(self, cur: int) -> str:
        """ "Sections A, B and C" with three existing clause numbers near ``cur``."""
        lo, hi = max(0, cur - 40), min(self.body, cur + 40)
        if hi - lo < 3:
            return f"Section {self.plan.numbers[self._near(cur)]}"
        a, b, c = sorted(self.rng.sample(range(lo, hi), 3))
        nums = self.plan.numbers
        return f"Sections {nums[a]}, {nums[b]} and {nums[c]}"

    def _sentence(self, cur: int) -> list:
        """One normative sentence (shall / shall not / should / may) as segments."""
        rng = self.rng
        a, data = self._subject(), self._use(DATA)
        pick = rng.randrange(10)
        if pick == 0:
            where = rng.choice(("on its User Interface", "over its HAN Interface"))
            self._fixed(where.split(" its ")[1])
            return [
                f"{a} shall be capable of {rng.choice(GERUNDS)} the {data} {where}",
                *self._ref(cur),
                ".",
            ]
        if pick == 1:
            return [
                f"{a} shall not {rng.choice(VERBS)} any information from the {self._use(LOGS)}",
                *self._ref(cur),
                " to ",
                *self._recipient(a),
                ".",
            ]
        if pick == 2:
            return [
                f"{a} should {rng.choice(VERBS)} the {data} within {rng.randint(2, 60)} "
                f"seconds of a {self._use(EVENTS)}",
                *self._ref(cur),
                ".",
            ]
        if pick == 3:
            return [
                f"{a} may {rng.choice(VERBS)} the {self._use(RECORDS)} on its "
                f"{self._fixed('User Interface')} following physical access through the "
                f"{self._fixed('Secure Perimeter')} of {a}",
                *self._ref(cur),
                ".",
            ]
        if pick == 4:
            return [
                f"{a} shall be capable of providing the data annotated [INFO] set out in "
                f"{self._sections(cur)} to ",
                *self._recipient(a),
                ".",
            ]
        if pick == 5:
            return [
                f"Where a {self._use(EVENTS)} occurs, {a} shall be capable of recording it "
                f"in the {self._use(LOGS)}",
                *self._ref(cur),
                ".",
            ]
        if pick == 6:
            return [
                "The ",
                ("proof", f"{a}’s", "spell"),
                f" {data} shall not be altered while operating in {self._use(MODES)}",
                *self._ref(cur),
                ".",
            ]
        if pick == 7:
            return [
                f"{a} shall be capable of retaining the {self._use(RECORDS)} in its "
                f"{self._fixed('Non-Volatile Memory')} on loss of power",
                *self._ref(cur),
                ".",
            ]
        if pick == 8:
            return [
                f"{a} may operate the {self._fixed('Auxiliary Load Control Switch')} at the "
                f"end of the {self._fixed('Randomised Offset')}",
                *self._ref(cur),
                ".",
            ]
        return [
            f"{a} shall be capable, immediately upon establishment of a "
            f"{self._fixed('Communications Link')} with ",
            *self._recipient(a),
            f", of {rng.choice(GERUNDS)} the {data}",
            *self._ref(cur),
            ".",
        ]

    # --- blocks -------------------------------------------------------------------------------

    def body_paragraph(self, cur: int) -> None:
        """A Normal paragraph of one or two normative sentences (the _GoBack one included)."""
        segs = self._sentence(cur)
        if self.rng.random() < 0.35:
            segs += [" ", *self._sentence(cur)]
        start = ""
        if not self.goback_done and cur >= self.plan.goback:
            start, end = self._bookmark("_GoBack")
            start += end
            self.goback_done = True
        self.emit(self._para(start + self._render(segs)))

    def heading(self, idx: int, title: list) -> None:
        """A numbered heading with its _Toc / _Ref bookmarks around the title runs."""
        level = self.plan.levels[idx]
        starts, ends = "", ""
        for name in (self.plan.toc.get(idx), self.plan.refs.get(idx)):
            if name:
                start, end = self._bookmark(name)
                starts, ends = starts + start, end + ends
        runs = self._render(title)
        if idx == 0:
            runs = runs.replace("<w:t", "<w:lastRenderedPageBreak/><w:t", 1)
        self.emit(self._para(starts + runs + ends, self._style(f"Heading{level}")))

    def _title_segments(self, idx: int) -> list:
        """Title of clause ``idx`` (planned for H1/H2, drawn here for H3/H4)."""
        if idx in self.plan.titles:
            return [self.plan.titles[idx]]
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return [self._use(RECORDS)]
        if roll < 0.45:
            return [
                f"{self._fixed('Type 1 Devices')} and ",
                ("proof", "Type 2 Device information provision", "gram"),
            ]
        pool = H3_TITLES if self.plan.levels[idx] == 3 else H4_TITLES
        return [rng.choice(pool)]

    def _list_ppr(self, num_id: int, ilvl: int) -> str:
        """Paragraph properties of a ListParagraph item."""
        return self._style(
            "ListParagraph",
            f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
            '<w:spacing w:after="60"/>',
        )

    def _item(self, num_id: int, ilvl: int, text: str) -> None:
        """One list item paragraph."""
        self.list_items += 1
        self.emit(self._para(self._text_runs(text), self._list_ppr(num_id, ilvl)))

    def list_block(self, cur: int) -> None:
        """A lead-in sentence ending with ":" and a lower-roman list with its own w:num."""
        rng = self.rng
        self.lists += 1
        num_id = 1 + self.lists
        self.emit(
            self._para(
                self._text_runs(
                    f"{self._subject()} shall be capable of {rng.choice(LEAD_INS)} the following "
                    f"information on its {self._fixed('User Interface')}:"
                )
            )
        )
        n = rng.randint(2, 5)
        nested = rng.randrange(n - 1) if rng.random() < 0.3 else -1
        for i in range(n):
            if i == nested:
                self._item(num_id, 0, f"the following values of the {self._use(LOGS)}:")
                for _ in range(rng.randint(2, 3)):
                    self._item(num_id, 1, f"the {self._use(DATA)} for {self._subject()};")
                continue
            tail = "." if i == n - 1 else "; and" if i == n - 2 else ";"
            number = self.plan.numbers[self._near(cur, 60)]
            self._item(num_id, 0, f"the {self._use(RECORDS)} ({number}){tail}")

    def _cell(self, width: int, segments: list, rpr: str = "", shade: bool = False) -> str:
        """A table cell holding one TableText paragraph (empty when ``segments`` is empty)."""
        shd = '<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>' if shade else ""
        para = self._para(self._render(segments, rpr), self._style("TableText"))
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}</w:tcPr>{para}</w:tc>'

    def _row(self, cells: str, header: bool = False) -> str:
        """A table row; the header row repeats on each page (w:tblHeader)."""
        trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
        return f'<w:tr w:rsidR="{self._rsid()}" w:rsidTr="{self._rsid()}">{trpr}{cells}</w:tr>'

    def _table(self, widths: tuple[int, ...], header: tuple[str, ...], rows: list) -> None:
        """A TableGrid table: bold shaded header row, then rows of (segments, rPr) cells."""
        self.tables += 1
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        self.emit(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="9016" w:type="dxa"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        )
        head = "".join(
            self._cell(w, [h], BOLD, shade=True) for w, h in zip(widths, header, strict=True)
        )
        self.emit(self._row(head, header=True))
        for row in rows:
            cells = "".join(
                self._cell(w, segs, rpr) for w, (segs, rpr) in zip(widths, row, strict=True)
            )
            self.emit(self._row(cells))
        self.emit("</w:tbl>")

    def data_table(self) -> None:
        """A "Data item | Annotation | Description" table."""
        rng = self.rng
        rows = []
        for _ in range(rng.randint(2, 5)):
            item = f"{self._use(RECORDS)} {rng.choice(ITEM_SUFFIXES)}"
            note = rng.choice(ANNOTATIONS)
            what = rng.choice(ITEM_SUFFIXES)
            desc = f"The {what} of the {self._use(DATA)} held by {self._subject()}"
            rows.append((([item], ""), ([note] if note else [], ""), ([desc], "")))
        self._table((2600, 1500, 4916), ("Data item", "Annotation", "Description"), rows)

    def _intro(self, idx: int) -> None:
        """The opening paragraph of a Heading 1 section."""
        text = (
            f"This Section {self.plan.numbers[idx]} sets out the requirements that "
            f"{self._subject()} shall meet. Capitalised terms used in it are defined in "
            f"the Glossary (Section {self.plan.numbers[-1]})."
        )
        self.emit(self._para(self._text_runs(text)))

    def clause_body(self, idx: int) -> None:
        """Body of clause ``idx``: 1-3 paragraphs for leaves, sometimes a list and a table."""
        rng = self.rng
        levels = self.plan.levels
        level = levels[idx]
        if idx + 1 < self.body and levels[idx + 1] > level:
            if level == 1 and rng.random() < 0.8:
                self._intro(idx)
            elif level > 1 and rng.random() < 0.3:
                self.body_paragraph(idx)
            return
        for _ in range(rng.randint(1, 3)):
            self.body_paragraph(idx)
        if rng.random() < 0.12:
            self.list_block(idx)
        if rng.random() < 0.08:
            self.data_table()

    def glossary(self) -> None:
        """The final Glossary Heading 1 with a "Term | Definition" table of every term used."""
        self.heading(self.body, ["Glossary"])
        defs = {**TERMS, **ACTORS}
        rows = [
            (([term], BOLD), ([defs[term]], "")) for term in sorted(self.used_terms, key=str.lower)
        ]
        self._table((2800, 6216), ("Term", "Definition"), rows)

    # --- front matter -------------------------------------------------------------------------

    def _toc_entry(self, idx: int, field_start: str) -> str:
        """One TOC1/TOC2 paragraph: literal number, title and a PAGEREF field."""
        plan = self.plan
        name = plan.toc[idx]
        page = 3 + idx // 6
        hl = '<w:rPr><w:rStyle w:val="Hyperlink"/><w:noProof/></w:rPr>'
        hidden = "<w:rPr><w:noProof/><w:webHidden/></w:rPr>"
        r = self._rsid()
        link = (
            f'<w:hyperlink w:anchor="{name}" w:history="1">'
            f"<w:r>{hl}<w:t>{plan.numbers[idx]}</w:t></w:r>"
            "<w:r><w:rPr><w:noProof/></w:rPr><w:tab/></w:r>"
            f"<w:r>{hl}<w:t>{escape(plan.titles[idx])}</w:t></w:r>"
            f"<w:r>{hidden}<w:tab/></w:r>"
            f'<w:r w:rsidR="{r}">{hidden}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r w:rsidR="{r}">{hidden}<w:instrText xml:space="preserve"> PAGEREF {name} \\h '
            "</w:instrText></w:r>"
            f'<w:r w:rsidR="{r}">{hidden}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r w:rsidR="{self._rsid()}">{hidden}<w:t>{page}</w:t></w:r>'
            f'<w:r w:rsidR="{r}">{hidden}<w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>'
        )
        style = f"TOC{self.plan.levels[idx]}"
        return self._para(field_start + link, self._style(style, "<w:rPr><w:noProof/></w:rPr>"))

    def toc(self) -> None:
        """The table of contents (Heading 1-2 entries) inside a w:sdt content control."""
        self.emit(
            f'<w:sdt><w:sdtPr><w:id w:val="{self.rng.randrange(10**9, 2 * 10**9)}"/>'
            '<w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
            "</w:docPartObj></w:sdtPr><w:sdtEndPr><w:rPr><w:b/><w:bCs/><w:noProof/></w:rPr>"
            "</w:sdtEndPr><w:sdtContent>"
        )
        self.emit(self._para(self._run("Contents"), self._style("TOCHeading")))
        start = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
            ' TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        for idx in self.plan.toc:
            self.emit(self._toc_entry(idx, start))
            start = ""
        end = '<w:r><w:rPr><w:b/><w:bCs/><w:noProof/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>'
        self.emit(self._para(end))
        self.emit("</w:sdtContent></w:sdt>")

    def front_matter(self, clauses: int, seed: int) -> None:
        """Title, subtitle, disclaimer note, table of contents and a page break."""
        self.emit(self._para(self._text_runs(DOC_TITLE), self._style("Title")))
        sub = f"Version 1.0 ({clauses} clauses, seed {seed})"
        self.emit(self._para(self._text_runs(sub), self._style("Subtitle")))
        self.emit(self._para(self._run(DISCLAIMER), self._style("DisclaimerNote")))
        self.toc()
        self.emit(self._para('<w:r><w:br w:type="page"/></w:r>'))

    def write(self, emit, clauses: int, seed: int) -> None:
        """Stream the whole word/document.xml through ``emit``."""
        self.emit = emit
        emit(f"{XML_DECL}<w:document {ROOT_NS}><w:body>")
        self.front_matter(clauses, seed)
        for idx in range(self.body):
            self.heading(idx, self._title_segments(idx))
            self.clause_body(idx)
        self.glossary()
        tail = ""
        if not self.goback_done:
            start, end = self._bookmark("_GoBack")
            tail = start + end
            self.goback_done = True
        emit(self._para(tail))
        emit(
            f'<w:sectPr w:rsidR="{self._rsid()}"><w:headerReference w:type="default" r:id="rId4"/>'
            '<w:footerReference w:type="default" r:id="rId5"/><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" '
            'w:footer="708" w:gutter="0"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/>'
            "</w:sectPr></w:body></w:document>"
        )


# ---------------------------------------------------------------------------------------------
# The other package parts (self-contained; modelled on the SMETS fixture)
# ---------------------------------------------------------------------------------------------


def content_types_xml() -> str:
    """[Content_Types].xml."""
    overrides = [
        ("/word/document.xml", f"{CT_WML}.document.main+xml"),
        ("/word/styles.xml", f"{CT_WML}.styles+xml"),
        ("/word/numbering.xml", f"{CT_WML}.numbering+xml"),
        ("/word/settings.xml", f"{CT_WML}.settings+xml"),
        ("/word/header1.xml", f"{CT_WML}.header+xml"),
        ("/word/footer1.xml", f"{CT_WML}.footer+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
    ]
    body = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{body}</Types>'
    )


def _rels(rels: list[tuple[str, str, str]]) -> str:
    """A relationships part from (id, type URI, target) triples."""
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
    return f'{XML_DECL}<Relationships xmlns="{REL_NS}">{body}</Relationships>'


def package_rels_xml() -> str:
    """_rels/.rels."""
    return _rels(
        [
            ("rId3", f"{OFFDOC_REL}/extended-properties", "docProps/app.xml"),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                "core-properties",
                "docProps/core.xml",
            ),
            ("rId1", f"{OFFDOC_REL}/officeDocument", "word/document.xml"),
        ]
    )


def document_rels_xml() -> str:
    """word/_rels/document.xml.rels (the sectPr uses rId4 / rId5)."""
    return _rels(
        [
            ("rId1", f"{OFFDOC_REL}/styles", "styles.xml"),
            ("rId2", f"{OFFDOC_REL}/numbering", "numbering.xml"),
            ("rId3", f"{OFFDOC_REL}/settings", "settings.xml"),
            ("rId4", f"{OFFDOC_REL}/header", "header1.xml"),
            ("rId5", f"{OFFDOC_REL}/footer", "footer1.xml"),
        ]
    )


def core_xml(clauses: int, seed: int) -> str:
    """docProps/core.xml with fixed dates (the output must be reproducible)."""
    stamp = '<dcterms:{0} xsi:type="dcterms:W3CDTF">2019-03-28T16:05:00Z</dcterms:{0}>'
    return (
        f"{XML_DECL}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(DOC_TITLE)}</dc:title>"
        f"<dc:subject>Benchmark input: {clauses} clauses, seed {seed}</dc:subject>"
        "<dc:creator>spectrace</dc:creator><cp:keywords>OFFICIAL</cp:keywords>"
        f"<dc:description>{DISCLAIMER}</dc:description>"
        "<cp:lastModifiedBy>spectrace</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f"{stamp.format('created')}{stamp.format('modified')}</cp:coreProperties>"
    )


def app_xml(paragraphs: int, pages: int) -> str:
    """docProps/app.xml naming this generator."""
    return (
        f"{XML_DECL}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Template>Normal.dotm</Template><TotalTime>0</TotalTime><Pages>{pages}</Pages>"
        "<Application>spectrace benchmarks/make_spec.py (WordprocessingML written directly)"
        f"</Application><DocSecurity>0</DocSecurity><Paragraphs>{paragraphs}</Paragraphs>"
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>16.0000</AppVersion></Properties>"
    )


def _pstyle(style_id: str, name: str, ppr: str = "", rpr: str = "", extra: str = "") -> str:
    """A paragraph style based on Normal."""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="Normal"/>{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr>'
        f"<w:rPr>{rpr}</w:rPr></w:style>"
    )


def _heading_style(level: int) -> str:
    """Heading 1-4: numbered through list 1 at ilvl level-1, with an outline level."""
    size = {1: 28, 2: 24, 3: 22, 4: 22}[level]
    before = {1: 360, 2: 240, 3: 240, 4: 200}[level]
    italic = "<w:i/><w:iCs/>" if level == 4 else ""
    ppr = (
        f'<w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="1"/>'
        f'</w:numPr><w:spacing w:before="{before}" w:after="120"/><w:jc w:val="left"/>'
        f'<w:outlineLvl w:val="{level - 1}"/>'
    )
    rpr = f'<w:b/><w:bCs/>{italic}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    return _pstyle(
        f"Heading{level}",
        f"heading {level}",
        ppr,
        rpr,
        '<w:next w:val="Normal"/><w:uiPriority w:val="9"/>',
    )


def _toc_style(level: int) -> str:
    """TOC 1 / TOC 2 with a dotted right tab."""
    ind = '<w:ind w:left="220"/>' if level == 2 else ""
    ppr = (
        f'<w:tabs><w:tab w:val="left" w:pos="{440 * level}"/>'
        '<w:tab w:val="right" w:leader="dot" w:pos="9016"/></w:tabs>'
        f'<w:spacing w:after="100"/>{ind}'
    )
    return _pstyle(
        f"TOC{level}",
        f"toc {level}",
        ppr,
        "<w:b/>" if level == 1 else "",
        '<w:next w:val="Normal"/><w:uiPriority w:val="39"/>',
    )


def styles_xml() -> str:
    """A minimal word/styles.xml with the styles the generated document uses."""
    arial = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>'
    border = '<w:{0} w:val="single" w:sz="{1}" w:space="{2}" w:color="{3}"/>'
    grid = "".join(
        border.format(s, 4, 0, "auto")
        for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    box = "".join(border.format(s, 8, 4, "C00000") for s in ("top", "left", "bottom", "right"))
    tight = '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    tabs = (
        '<w:tabs><w:tab w:val="center" w:pos="4513"/><w:tab w:val="right" w:pos="9026"/>'
        f"</w:tabs>{tight}"
    )
    cell_mar = (
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
    )
    parts = [
        f"{XML_DECL}<w:styles {ROOT_NS}><w:docDefaults><w:rPrDefault><w:rPr>{arial}"
        '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB" w:eastAsia="en-US" '
        'w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" '
        'w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>',
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
        f'<w:jc w:val="both"/></w:pPr><w:rPr>{arial}</w:rPr></w:style>',
        *(_heading_style(level) for level in range(1, 5)),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        f'<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{cell_mar}</w:tblPr>'
        "</w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        _pstyle(
            "Title",
            "Title",
            '<w:spacing w:after="240" w:line="240" w:lineRule="auto"/><w:contextualSpacing/>'
            '<w:jc w:val="left"/>',
            '<w:b/><w:bCs/><w:kern w:val="28"/><w:sz w:val="36"/><w:szCs w:val="36"/>',
            '<w:next w:val="Normal"/><w:uiPriority w:val="10"/>',
        ),
        _pstyle(
            "Subtitle",
            "Subtitle",
            '<w:spacing w:after="240"/><w:jc w:val="left"/>',
            '<w:color w:val="595959"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
            '<w:next w:val="Normal"/><w:uiPriority w:val="11"/>',
        ),
        _pstyle(
            "ListParagraph",
            "List Paragraph",
            '<w:ind w:left="720"/><w:contextualSpacing/>',
            extra='<w:uiPriority w:val="34"/>',
        ),
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        f'<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:pPr>{tight}</w:pPr>'
        f"<w:tblPr><w:tblBorders>{grid}</w:tblBorders></w:tblPr></w:style>",
        _pstyle(
            "TableText",
            "Table Text",
            '<w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/>'
            '<w:jc w:val="left"/>',
            '<w:sz w:val="20"/><w:szCs w:val="20"/>',
        ),
        _pstyle(
            "DisclaimerNote",
            "Disclaimer Note",
            f'<w:pBdr>{box}</w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="FBE4D5"/>'
            '<w:spacing w:before="120" w:after="240"/><w:jc w:val="center"/>',
            '<w:b/><w:bCs/><w:color w:val="C00000"/>',
        ),
        _pstyle("Header", "header", tabs, extra='<w:uiPriority w:val="99"/>'),
        _pstyle("Footer", "footer", tabs, extra='<w:uiPriority w:val="99"/>'),
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>',
        '<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/>'
        '<w:basedOn w:val="Heading1"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        '<w:qFormat/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
        '<w:outlineLvl w:val="9"/></w:pPr></w:style>',
        _toc_style(1),
        _toc_style(2),
        "</w:styles>",
    ]
    return "".join(parts)


def _lvl(ilvl: int, fmt: str, text: str, indent: str, pstyle: str = "", tplc: str = "") -> str:
    """One w:lvl of an abstract numbering definition."""
    style = f'<w:pStyle w:val="{pstyle}"/>' if pstyle else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"{tplc}><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{style}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr>{indent}</w:pPr></w:lvl>'
    )


def numbering_xml(lists: int) -> str:
    """Heading list (abstractNum 0, numId 1) and one restarting w:num per lower-roman list."""
    heads = "".join(
        _lvl(
            i,
            "decimal",
            "%1" + "".join(f".%{k}" for k in range(2, i + 2)),
            f'<w:ind w:left="{w}" w:hanging="{w}"/>',
            f"Heading{i + 1}",
        )
        for i, w in enumerate((851, 851, 1134, 1134))
    )
    items = _lvl(
        0, "lowerRoman", "%1.", '<w:ind w:left="1134" w:hanging="567"/>', tplc=' w:tplc="0809000F"'
    ) + _lvl(
        1, "lowerLetter", "%2.", '<w:ind w:left="1854" w:hanging="360"/>', tplc=' w:tplc="08090010"'
    )
    nums = "".join(
        f'<w:num w:numId="{n}"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">'
        '<w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        for n in range(2, lists + 2)
    )
    return (
        f"{XML_DECL}<w:numbering {ROOT_NS}>"
        '<w:abstractNum w:abstractNumId="0"><w:nsid w:val="1A2B3350"/>'
        f'<w:multiLevelType w:val="multilevel"/><w:tmpl w:val="0809001F"/>{heads}</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:nsid w:val="1A2B448E"/>'
        '<w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="E844B2A1"/>'
        f'{items}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>{nums}'
        "</w:numbering>"
    )


def settings_xml(rsids: list[str]) -> str:
    """word/settings.xml listing the revision-session ids the runs use."""
    listed = "".join(f'<w:rsid w:val="{r}"/>' for r in sorted(rsids))
    return (
        f'{XML_DECL}<w:settings {ROOT_NS}><w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:rsids><w:rsidRoot w:val="{rsids[0]}"/>{listed}</w:rsids>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def header_xml() -> str:
    """word/header1.xml: "OFFICIAL" and the document name."""
    return (
        f'{XML_DECL}<w:hdr {ROOT_NS}><w:p><w:pPr><w:pStyle w:val="Header"/>'
        f'<w:jc w:val="center"/></w:pPr><w:r>{BOLD}<w:t>OFFICIAL</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="right"/></w:pPr><w:r><w:rPr>'
        '<w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>'
        "<w:t>Synthetic SMETS – benchmark</w:t></w:r></w:p></w:hdr>"
    )


def footer_xml() -> str:
    """word/footer1.xml: "OFFICIAL" and "Page X of Y" (PAGE / NUMPAGES fields)."""
    rpr = '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'

    def fld(instr: str, shown: str) -> str:
        return (
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{rpr}'
            f'<w:instrText xml:space="preserve"> {instr}   \\* MERGEFORMAT </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>{shown}</w:t>'
            f'</w:r><w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        )

    return (
        f'{XML_DECL}<w:ftr {ROOT_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/>'
        f"</w:pPr><w:r>{BOLD}<w:t>OFFICIAL</w:t></w:r></w:p>"
        '<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr>'
        f'<w:r>{rpr}<w:t xml:space="preserve">Page </w:t></w:r>{fld("PAGE", "1")}'
        f'<w:r>{rpr}<w:t xml:space="preserve"> of </w:t></w:r>{fld("NUMPAGES", "2")}</w:p></w:ftr>'
    )


# ---------------------------------------------------------------------------------------------
# Package writing and CLI
# ---------------------------------------------------------------------------------------------


def _member(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed timestamp and attributes, so output is byte-reproducible."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


def make_spec(path: str | Path, clauses: int, seed: int = 0) -> dict:
    """Write a synthetic specification with exactly ``clauses`` numbered headings to ``path``.

    Returns {"clauses", "paragraphs", "tables", "list_items"}; "paragraphs" counts every
    w:p in word/document.xml (TOC and table cells included), "list_items" the ListParagraph
    items, "tables" every w:tbl (the Glossary table included).
    """
    if clauses < 1:
        raise ValueError("clauses must be at least 1 (the Glossary heading)")
    rng = random.Random(seed)
    plan = make_plan(rng, clauses)
    rsids = sorted({f"00{rng.randrange(1 << 24):06X}" for _ in range(16)})
    writer = SpecWriter(rng, plan, rsids)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(_member("[Content_Types].xml"), content_types_xml())
        zf.writestr(_member("_rels/.rels"), package_rels_xml())
        zf.writestr(_member("docProps/core.xml"), core_xml(clauses, seed))
        with zf.open(_member("word/document.xml"), "w", force_zip64=clauses > 200_000) as out:
            sink = _Sink(out)
            writer.write(sink, clauses, seed)
            sink.flush()
        zf.writestr(_member("word/_rels/document.xml.rels"), document_rels_xml())
        zf.writestr(_member("word/styles.xml"), styles_xml())
        zf.writestr(_member("word/numbering.xml"), numbering_xml(writer.lists))
        zf.writestr(_member("word/settings.xml"), settings_xml(rsids))
        zf.writestr(_member("word/header1.xml"), header_xml())
        zf.writestr(_member("word/footer1.xml"), footer_xml())
        zf.writestr(_member("docProps/app.xml"), app_xml(writer.paragraphs, 3 + clauses // 6))
    return {
        "clauses": len(plan.levels),
        "paragraphs": writer.paragraphs,
        "tables": writer.tables,
        "list_items": writer.list_items,
    }


def cached_spec(out: Path, clauses: int, seed: int = 0) -> Path:
    """Return ``OUT/spec-CLAUSES-sSEED.docx``, generating it first if it is missing (the
    benchmarks share these files; generating is not timed)."""
    path = Path(out) / f"spec-{clauses}-s{seed}.docx"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".docx.{os.getpid()}.part")
    started = time.perf_counter()
    make_spec(partial, clauses, seed)
    os.replace(partial, path)
    print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    """CLI: write OUT.docx and print the summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="path of the .docx to write")
    parser.add_argument("--clauses", type=int, required=True, help="numbered headings to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.clauses < 1:
        parser.error("--clauses must be at least 1")
    print(json.dumps(make_spec(args.out, args.clauses, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
