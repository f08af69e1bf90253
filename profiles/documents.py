"""Read a CV file in memory: PDF (pypdf), Word .docx (python-docx) or plain text.

Nothing is written to disk. The type is decided by the file's bytes, not its name. Every refusal
is a :class:`DocumentError` with a stable ``code`` and a message a resident can act on:

``too_large``      over ``max_file_bytes`` (2 MB);
``empty``          no bytes, or no text;
``no_text_layer``  a scanned PDF or a photo: "we could not read text in this file; type it or ask an adviser";
``encrypted``      a PDF locked with a password;
``wrong_type``     not a PDF, DOCX or text file (an old .doc, an image, a spreadsheet, ...);
``unreadable``     damaged, or built to exhaust the reader (a decompression bomb, thousands of pages).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from .errors import DocumentError
from .settings import ExtractSettings

NO_TEXT = "we could not read text in this file; type it or ask an adviser"
KINDS = ("pdf", "docx", "txt")


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    kind: str  # "pdf", "docx", "txt"
    pages: int | None = None

    def source(self, filename: str | None = None) -> dict[str, object]:
        """What the draft says about where its text came from (no file name: it may be a name)."""
        return {"kind": self.kind, "pages": self.pages, "characters": len(self.text)}


def read_document(data: bytes, *, filename: str | None = None, settings: ExtractSettings | None = None) -> Document:
    """The text of a PDF, DOCX or TXT file given as bytes."""
    settings = settings or ExtractSettings()
    if not isinstance(data, bytes | bytearray):
        raise DocumentError("empty", "no file was sent")
    if len(data) == 0:
        raise DocumentError("empty", "the file is empty")
    if len(data) > settings.max_file_bytes:
        raise DocumentError(
            "too_large",
            f"the file is {len(data) / 1_048_576:.1f} MB; the limit is {settings.max_file_bytes / 1_048_576:.0f} MB: "
            "save it as a smaller PDF, or paste the text",
        )
    kind = sniff(bytes(data[:8192]))
    if kind == "pdf":
        document = _read_pdf(bytes(data), settings)
    elif kind == "docx":
        document = _read_docx(bytes(data), settings)
    elif kind == "txt":
        document = Document(_decode_text(bytes(data)), "txt")
    else:
        raise DocumentError("wrong_type", _wrong_type_message(kind, filename))
    text = _tidy(document.text)
    if len(text) > settings.max_text_chars:
        raise DocumentError(
            "too_long",
            f"the file holds {len(text):,} characters of text; the limit is {settings.max_text_chars:,} "
            "(about 15 pages): send the CV alone",
        )
    if sum(ch.isalpha() for ch in text) < settings.min_letters_per_document:
        if document.kind == "txt":
            raise DocumentError("empty", "the file has no text to read")
        raise DocumentError("no_text_layer", NO_TEXT)
    return Document(text, document.kind, document.pages)


def sniff(head: bytes) -> str:
    """ "pdf", "docx", "txt", or what else it looks like ("doc", "image", "zip", "binary")."""
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in head or b"[Content_Types].xml" in head else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"RIFF")) or head[4:12] in (
        b"ftypheic",
        b"ftypmif1",
    ):
        return "image"
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return "txt"
    if b"\x00" in head:
        return "binary"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "txt" if _mostly_text(head) else "binary"
    return "txt"


def _mostly_text(head: bytes) -> bool:
    printable = sum(32 <= b < 127 or b in (9, 10, 13) or b >= 160 for b in head)
    return printable >= 0.95 * len(head)


def _wrong_type_message(kind: str, filename: str | None) -> str:
    if kind == "doc":
        return "this is an old Word file (.doc): save it as .docx or PDF, or paste the text"
    if kind == "image":
        return f"this is a picture, not a document: {NO_TEXT}"
    return "send a PDF, a Word file (.docx) or a text file (.txt), or paste the text"


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Word and Notepad on Windows save "ANSI": Windows-1252 reads any byte.
    return data.decode("cp1252", errors="replace")


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[\u200b\u00ad\ufeff]", "", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# -- PDF ---------------------------------------------------------------------------------------
def _read_pdf(data: bytes, settings: ExtractSettings) -> Document:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError, PdfStreamError

    # pypdf's own limits are 75 MB per stream; a CV's streams are tens of kilobytes. The
    # limits hold for this read only (a context variable), not for the rest of the process.
    limit = settings.max_inflated_bytes
    with apply_configuration(
        maximum_declared_stream_length=limit,
        array_based_stream_maximum_output_length=limit,
        jbig2_maximum_output_length=limit,
        lzw_maximum_output_length=limit,
        run_length_maximum_output_length=limit,
        zlib_maximum_output_length=limit,
        brotli_maximum_output_length=limit,
        image_maximum_buffer_size=limit,
        stream_decoding_work_maximum_length=4 * limit,
    ):
        return _read_pdf_limited(
            data,
            settings,
            PdfReader,
            (DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError, PdfStreamError),
        )


def _read_pdf_limited(
    data: bytes, settings: ExtractSettings, reader_class: Any, errors: tuple[type[Exception], ...]
) -> Document:
    PdfReader = reader_class
    DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError, PdfStreamError = errors
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                unlocked = 0
            if not unlocked:
                raise DocumentError(
                    "encrypted", "this PDF is locked with a password: save it without one, or paste the text"
                )
        count = len(reader.pages)
        if count > settings.max_pdf_pages:
            raise DocumentError("unreadable", f"the PDF has {count} pages; a CV has at most {settings.max_pdf_pages}")
        texts = []
        total = 0
        for page in reader.pages:
            contents = page.get_contents()
            size = len(contents.get_data()) if contents is not None else 0
            total += size
            if size > settings.max_inflated_bytes or total > settings.max_inflated_bytes:
                raise DocumentError(
                    "unreadable", "the PDF is built in a way we cannot read safely: paste the text instead"
                )
            texts.append(page.extract_text() or "")
    except DocumentError:
        raise
    except FileNotDecryptedError as exc:
        raise DocumentError(
            "encrypted", "this PDF is locked with a password: save it without one, or paste the text"
        ) from exc
    except LimitReachedError as exc:
        raise DocumentError(
            "unreadable", "the PDF is built in a way we cannot read safely: paste the text instead"
        ) from exc
    except (
        PdfReadError,
        PdfStreamError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        MemoryError,
    ) as exc:
        raise DocumentError(
            "unreadable", "the PDF is damaged and cannot be read: save it again, or paste the text"
        ) from exc
    return Document("\n\n".join(texts), "pdf", count)


# -- DOCX --------------------------------------------------------------------------------------
def _read_docx(data: bytes, settings: ExtractSettings) -> Document:
    damaged = "the Word file is damaged and cannot be read: save it again, or paste the text"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > settings.max_zip_entries:
                raise DocumentError(
                    "unreadable", "the Word file is built in a way we cannot read safely: paste the text instead"
                )
            # zipfile never inflates a member past its declared size (the CRC check fails
            # first), so the declared sizes bound what python-docx can be made to read.
            if sum(m.file_size for m in members) > settings.max_inflated_bytes:
                raise DocumentError(
                    "unreadable", "the Word file is built in a way we cannot read safely: paste the text instead"
                )
            if "word/document.xml" not in archive.namelist():
                raise DocumentError(
                    "wrong_type", "send a PDF, a Word file (.docx) or a text file (.txt), or paste the text"
                )
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError("unreadable", damaged) from exc

    from docx import Document as WordDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = WordDocument(io.BytesIO(data))
        lines: list[str] = []
        # Body order: paragraphs and tables as they appear (CV templates put jobs in tables).
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = []
                    for cell in row.cells:
                        text = "\n".join(p.text for p in cell.paragraphs).strip()
                        if text and text not in cells:
                            cells.append(text)
                    if cells:
                        first, *rest = cells
                        lines.append(first + ("   " + rest[0] if rest else ""))
                        for more in rest[1:]:
                            lines.append("   " + more)
    except DocumentError:
        raise
    except Exception as exc:  # python-docx raises many types for damaged parts; none may escape as a 500
        raise DocumentError("unreadable", damaged) from exc
    return Document("\n".join(lines), "docx", None)
