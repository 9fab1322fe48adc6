"""Writes the PDF fixtures of these tests: minimal hand-built PDF 1.4 files with one page of Helvetica text.

hello.pdf     a text page (with a Date: header line) and an Info dictionary (title, author)
encrypted.pdf the same page behind a Standard security handler (/Encrypt) whose password is unknown
notext.pdf    a page without any text

pdf-oxide-panic.pdf is not written here: it is a copy of hello.pdf damaged by the fuzzer (fuzz/,
target read_pdf) on which pdf_oxide panics; tests/regressions.rs keeps it.
Run it from this directory: python3 make_pdfs.py
"""
import sys
def pdf(lines, encrypt=False, info=None):
    content = "BT /F1 12 Tf 14 TL 72 720 Td\n" + "".join("(%s) Tj T*\n" % l.replace("\\","\\\\").replace("(","\\(").replace(")","\\)") for l in lines) + "ET\n"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length %d >>\nstream\n%sendstream" % (len(content.encode('latin-1')), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if info: objs.append(info)
    if encrypt: objs.append("<< /Filter /Standard /V 1 /R 2 /O <00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF> /U <00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF> /P -44 >>")
    out = b"%PDF-1.4\n"
    offs = []
    for i,o in enumerate(objs):
        offs.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i+1, o)).encode('latin-1')
    x = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objs)+1)).encode()
    for o in offs: out += ("%010d 00000 n \n" % o).encode()
    tr = "/Size %d /Root 1 0 R" % (len(objs)+1)
    if info: tr += " /Info 6 0 R"
    if encrypt: tr += " /Encrypt %d 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]" % len(objs)
    out += ("trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (tr, x)).encode()
    return out
lines = [
    "Date: 2024-03-12",
    "",
    "Ministers from the two invented republics met in a lakeside town on Monday",
    "and agreed to continue the talks about the border in the spring of next year,",
    "officials of both delegations said after the meeting had ended late at night.",
    "The mediators said that a joint commission would begin to survey the border",
    "line in April and report to both governments before the end of the summer.",
    "",
    "A second meeting is planned.",
]
open("hello.pdf","wb").write(pdf(lines, info="<< /Title (A Test Report) /Author (Jane Roe) >>"))
open("encrypted.pdf","wb").write(pdf(lines, encrypt=True))
open("notext.pdf","wb").write(pdf([]))
