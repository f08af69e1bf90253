"""Residents in their own words: a paragraph or a CV becomes a draft profile they confirm.

``read_document`` reads a PDF, Word (.docx) or text file in memory (never written to disk) with
limits against oversize files and decompression bombs; :class:`ProfileExtractor` turns text into
a :class:`Draft`: the DESIGN.md resident profile plus, for every item, the words it came from and
a confidence. Nothing here stores anything. ``matcher`` stays pure; this package sits beside
``vacancies`` (api -> profiles -> matcher).
"""

from __future__ import annotations

from .documents import Document, read_document
from .draft import ITEM_KINDS, Draft, Item, Span
from .errors import DocumentError
from .extractor import ProfileExtractor
from .settings import ExtractSettings

__all__ = [
    "ITEM_KINDS",
    "Document",
    "DocumentError",
    "Draft",
    "ExtractSettings",
    "Item",
    "ProfileExtractor",
    "Span",
    "read_document",
]
