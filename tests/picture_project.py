"""A copy of the bundled project with a second proposal, IRP700, whose mark-ups were read from
pictures: the outputs' tests check how each labels those changes.

IRP603 stays as bundled (typed mark-ups). IRP700, listed after it for SMETS, has:

1. SMETS 4.4.4, read from a picture (confidence 0.93) and checked: applied, with corrections;
2. SMETS 4.4.3, read from a picture (confidence 0.41) that did not reconcile: refused as
   ``unverified``; its reason holds characters that must stay text in HTML;
3. a SMETS glossary term added, read from a picture whose confidence is not known: applied;
4. SMETS 4.4.1, typed: applied.
"""

from __future__ import annotations

from pathlib import Path

IRP700 = """\
.. spec:proposal:: IRP700
   :title: Data storage <and> PIN display
   :date: 2020-02-03
   :references: SMETS v4.2

Required Changes to Documentation
=================================

.. spec:change:: 1
   :target: SMETS 4.4.4
   :instruction: At SMETS 4.4.4 amend the text as shown in the following mark-up:
   :source: picture
   :confidence: 0.93
   :corrections: 'lnterface' -> 'Interface'; 'PlN' -> 'PIN'

   GSME shall be capable of restricting access to information on its User Interface by \
means of a :ins:`personal` Privacy PIN.

.. spec:change:: 2
   :target: SMETS 4.4.3
   :instruction: At SMETS 4.4.3 amend the text as shown in the following mark-up:
   :source: picture
   :confidence: 0.41
   :unverified: the picture lacks 'Memory' <b>bold</b> & more

   GSME shall be capable of retaining all data held in its Non-Volatile Mernory on loss of \
:ins:`mains` power.

.. spec:change:: 3
   :target: SMETS Glossary
   :instruction: In the SMETS Glossary add the new definition as shown in the mark-up below:
   :action: add_term
   :term: Privacy PIN
   :source: picture

   .. list-table::

      * - :ins:`Privacy PIN`
        - :ins:`A number that restricts access to the User Interface.`

.. spec:change:: 4
   :target: SMETS 4.4.1
   :instruction: At SMETS 4.4.1 amend the text as shown in the following mark-up:

   GSME shall be capable of keeping time within :del:`ten` :ins:`five` seconds of UTC.
"""

#: The changes of IRP700 read from a picture and applied, and their labels.
APPLIED = {1: "read from a picture, confidence 0.93", 3: "read from a picture"}
UNVERIFIED_REASON = "the picture lacks 'Memory' <b>bold</b> & more"


def picture_project(root: Path) -> Path:
    """Add IRP700 to the copy of the bundled project at ``root`` and list it for SMETS after
    IRP603; return ``root``."""
    (root / "specs/irps/IRP700.rst").write_text(IRP700, encoding="utf-8")
    toml = root / "spectrace.toml"
    listed = toml.read_text(encoding="utf-8").replace(
        'proposals = ["IRP603"]            # applied',
        'proposals = ["IRP603", "IRP700"]  # applied',
        1,
    )
    assert "IRP700" in listed
    toml.write_text(listed, encoding="utf-8")
    return root
