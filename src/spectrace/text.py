"""Small text helpers shared by readers, transforms and writers."""

from __future__ import annotations


def squash(text: str) -> str:
    """Return ``text`` trimmed, each run of whitespace (tab, no-break space…) one space."""
    return " ".join(text.split())


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
