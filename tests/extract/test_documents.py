"""CV files: read in memory, and every bad file refused with a message a resident can act on."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from profiles import DocumentError, ExtractSettings, read_document
from profiles.documents import NO_TEXT

from .conftest import DATA

CV = DATA / "cvs" / "c01_nurse_pakistan"


def _refused(data: bytes, code: str, **kwargs: object) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read_document(data, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code, caught.value.message
    return caught.value


def _pdf_with_shapes_only() -> bytes:
    """What a scanner gives: a page with marks on it and no text layer."""
    pdf = FPDF()
    pdf.add_page()
    for row in range(30):
        pdf.rect(20, 20 + row * 8, 150, 3, style="F")
    return bytes(pdf.output())


def test_a_scanned_pdf_says_to_type_it_or_ask_an_adviser() -> None:
    error = _refused(_pdf_with_shapes_only(), "no_text_layer")
    assert error.message == NO_TEXT == "we could not read text in this file; type it or ask an adviser"


def test_an_encrypted_pdf_is_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(CV.with_suffix(".pdf").read_bytes())))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert "password" in _refused(out.getvalue(), "encrypted").message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".docx or PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 600, "type it or ask an adviser"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 600, "type it or ask an adviser"),
        (b"\x00\x01\x02\x03" * 200, "send a PDF, a Word file"),
    ],
    ids=["old-word", "png", "jpeg", "binary"],
)
def test_wrong_types_are_named(data: bytes, words: str) -> None:
    assert words in _refused(data, "wrong_type").message


def test_a_zip_that_is_not_a_word_file() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    _refused(out.getvalue(), "wrong_type")


def test_an_oversize_file_is_refused_before_reading() -> None:
    assert "2 MB" in _refused(b"%PDF-1.4\n" + b" " * (2 * 1024 * 1024 + 1), "too_large").message


def test_an_empty_file() -> None:
    _refused(b"", "empty")


def test_a_docx_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 30_000_000 + b"</w:document>")
    data = out.getvalue()
    assert len(data) < 2 * 1024 * 1024  # small on the wire
    assert "safely" in _refused(data, "unreadable").message


def test_a_pdf_with_a_huge_stream_is_refused() -> None:
    stream = zlib.compress(b"BT /F1 12 Tf (x) Tj ET\n" + b" " * 30_000_000, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    body = io.BytesIO()
    body.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(body.tell())
        body.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = body.tell()
    body.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        body.write(b"%010d 00000 n \n" % offset)
    body.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    _refused(body.getvalue(), "unreadable")


def test_a_damaged_pdf() -> None:
    _refused(CV.with_suffix(".pdf").read_bytes()[:3000], "unreadable")


def test_text_files_in_windows_encodings_are_read() -> None:
    text = "Staff Nurse – Lahore General Hospital, 2016–2021. Café work."
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("utf-16"), text.encode("cp1252")):
        assert read_document(data).text == text


def test_the_type_comes_from_the_bytes_not_the_name() -> None:
    document = read_document(CV.with_suffix(".docx").read_bytes(), filename="cv.pdf")
    assert document.kind == "docx"
    assert "Lahore General Hospital" in document.text


def test_a_smaller_limit_is_honoured() -> None:
    settings = ExtractSettings(max_file_bytes=10_000)
    _refused(CV.with_suffix(".pdf").read_bytes(), "too_large", settings=settings)
