"""Shared test fixtures: paths to the bundled Word files and documents read from them."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SMETS_DOCX = FIXTURES / "SMETS-v4.2-excerpt.docx"
CHTS_DOCX = FIXTURES / "CHTS-v1.3-excerpt.docx"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
