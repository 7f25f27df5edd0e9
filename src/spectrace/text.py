"""Small text helpers shared by readers, transforms and writers."""

from __future__ import annotations


def squash(text: str) -> str:
    """Return ``text`` trimmed, each run of whitespace (tab, no-break space…) one space."""
    return " ".join(text.split())


#: Typographic variants that do not change what a text says, each folded to its plain form:
#: curly and low quotes and primes to ``'`` and ``"``, en and em dashes, hyphens and the minus
#: sign to ``-``. With :func:`squash` (every whitespace, no-break spaces included, one space)
#: this is the one definition of "typographic noise": the amend engine locates mark-up by it
#: and a re-import compares editions by it.
TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "″": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
    }
)


def plain(text: str) -> str:
    """Return ``text`` without typographic noise: quotes and dashes folded (:data:`TYPOGRAPHY`),
    trimmed, each run of whitespace one space. Two texts that differ only in noise give the
    same result."""
    return squash(text.translate(TYPOGRAPHY))


_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def format_number(value: int, fmt: str) -> str:
    """Return ``value`` written in the OOXML number format ``fmt`` (decimal, lowerRoman, …)."""
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = [], max(value, 1)
        for amount, letters in _ROMAN:  # each numeral repeated at once: linear in the output
            count, rest = divmod(rest, amount)
            out.append(letters * count)
        return "".join(out) if fmt == "lowerRoman" else "".join(out).upper()
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (max(value, 1) - 1) % 26) * ((max(value, 1) - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)
