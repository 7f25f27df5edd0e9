"""styles.xml for the Word writer: Normal, Title, Subtitle, Heading 1-9 (numbered through the
heading list), List Paragraph, Notice, Table Grid and the table text styles."""

from __future__ import annotations

from spectrace.writers.docx.numbering import HEADING_NUM
from spectrace.writers.docx.xmltext import ROOT_NS, XML_DECL

FONT = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
_HEADING_SIZES = (32, 28, 24, 22, 22, 20, 20, 20, 20)
_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="auto"'


def _paragraph_style(
    style_id: str, name: str, ppr: str = "", rpr: str = "", extra: str = "", based: str = "Normal"
) -> str:
    """Return one paragraph style; the one with no ``based`` is the default."""
    flag = "" if based else ' w:default="1"'
    based = f'<w:basedOn w:val="{based}"/>' if based else ""
    return (
        f'<w:style w:type="paragraph"{flag} w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{based}{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _heading(level: int) -> str:
    """Heading N: bold, kept with the next paragraph, numbered at level N-1 of the heading list."""
    ilvl = level - 1
    number = f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{HEADING_NUM}"/></w:numPr>'
    size = _HEADING_SIZES[ilvl]
    return _paragraph_style(
        f"Heading{level}",
        f"heading {level}",
        f'<w:keepNext/><w:keepLines/>{number}<w:spacing w:before="240" w:after="120"/>'
        f'<w:outlineLvl w:val="{ilvl}"/>',
        f'<w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
        '<w:next w:val="Normal"/><w:uiPriority w:val="9"/>',
    )


def _box() -> str:
    sides = "".join(f"<w:{side} {_BORDER}/>" for side in ("top", "left", "bottom", "right"))
    return f"<w:pBdr>{sides}</w:pBdr>"


def _table_grid() -> str:
    sides = "".join(
        f"<w:{side} {_BORDER}/>"
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"<w:tblPr><w:tblBorders>{sides}</w:tblBorders></w:tblPr></w:style>"
    )


def styles_xml() -> str:
    """Return the styles part."""
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{FONT}"
        '<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="259" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles = [
        _paragraph_style("Normal", "Normal", based=""),
        _paragraph_style(
            "Title", "Title", '<w:spacing w:after="240"/>', '<w:b/><w:sz w:val="40"/>'
        ),
        _paragraph_style("Subtitle", "Subtitle", "", '<w:sz w:val="28"/>'),
        *(_heading(level) for level in range(1, 10)),
        _paragraph_style("ListParagraph", "List Paragraph", '<w:ind w:left="720"/>'),
        _paragraph_style("Notice", "Notice", f'{_box()}<w:spacing w:before="120"/>', "<w:i/>"),
        _paragraph_style("TableText", "Table Text", '<w:spacing w:before="40" w:after="40"/>'),
        _paragraph_style("TableHeading", "Table Heading", "", "<w:b/><w:bCs/>", based="TableText"),
        _paragraph_style("Header", "header", '<w:spacing w:after="0"/>'),
        _paragraph_style("Footer", "footer", '<w:spacing w:after="0"/><w:jc w:val="center"/>'),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal '
        'Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" '
        'w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        _table_grid(),
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        "</w:style>",
    ]
    return f"{XML_DECL}<w:styles {ROOT_NS}>{defaults}{''.join(styles)}</w:styles>"
