"""Reading WordprocessingML (.docx). Raw XML is handled in :mod:`.ooxml`, :mod:`.styles` and
:mod:`.numbering`; :mod:`.spec` builds a :class:`~spectrace.model.Document` from what they give."""
