"""PDFs written by hand for the CV tests: real text (Helvetica, WinAnsi) that pypdf extracts."""

import io


def _escape(line: str) -> bytes:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")


def text_pdf(lines: list[str], *, pages: int = 1) -> bytes:
    """A valid PDF whose every page shows ``lines`` as text; the xref offsets are computed."""
    stream = b"BT /F1 11 Tf 50 780 Td 14 TL " + b" ".join(b"(" + _escape(line) + b") '" for line in lines) + b" ET"
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written once the pages' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    kids = []
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 4 0 R >>"
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def encrypted_pdf(lines: list[str], password: str = "geheim") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(lines))))
    writer.encrypt(user_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


WELDER_CV = [
    "Curriculum vitae - Jan de Smet",
    "Ervaring als lasser bij Scheepswerf Vlissingen (2015-2024):",
    "TIG-lassen, MIG/MAG-lassen, heftruck rijden, technische tekeningen lezen.",
    "Rijbewijs B, VCA-certificaat.",
]


# --- hostile PDFs, for the worker's check (core.pdf.pdf_inspect) ----------------------------------


def _with_pikepdf(change) -> bytes:
    """A one-page text PDF changed by ``change(pdf)`` and saved again by pikepdf."""
    import pikepdf

    with pikepdf.open(io.BytesIO(text_pdf(WELDER_CV))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def javascript_pdf() -> bytes:
    """Runs JavaScript when opened (/OpenAction with a /JavaScript action)."""
    import pikepdf

    def change(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))

    return _with_pikepdf(change)


def launch_pdf() -> bytes:
    """Starts a program from a page's additional action (/AA with /Launch)."""
    import pikepdf

    def change(pdf):
        pdf.pages[0].obj.AA = pikepdf.Dictionary(
            O=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        )

    return _with_pikepdf(change)


def embedded_file_pdf() -> bytes:
    """Carries an attached file (/EmbeddedFiles in the name tree)."""
    import pikepdf

    def change(pdf):
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not really a program")

    return _with_pikepdf(change)


def zip_appended_pdf() -> bytes:
    """A valid PDF with a ZIP archive appended after its %%EOF (a polyglot)."""
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.txt", "hidden " * 100)
    return text_pdf(WELDER_CV) + archive.getvalue()


def bomb_pdf(inflated_bytes: int = 64 * 1024 * 1024) -> bytes:
    """A page whose content stream is small on disk and inflates to ``inflated_bytes`` of zeros."""
    import zlib

    import pikepdf

    deflater = zlib.compressobj(9)
    chunk = b"\x00" * (1024 * 1024)
    compressed = b"".join(deflater.compress(chunk) for _ in range(inflated_bytes // len(chunk))) + deflater.flush()

    def change(pdf):
        stream = pikepdf.Stream(pdf, b"")
        stream.write(compressed, filter=pikepdf.Name.FlateDecode)
        pdf.pages[0].obj.Contents = pdf.make_indirect(stream)

    return _with_pikepdf(change)


def many_pages_pdf(pages: int = 20_000) -> bytes:
    """``pages`` pages, all one shared page object (written raw: about 6 bytes a page)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" 3 0 R" * pages + b"] /Count %d >>" % pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
