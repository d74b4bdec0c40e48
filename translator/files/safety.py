"""Checks every uploaded file passes before it is parsed: what it really is, archives, XML.

Archives are checked from their central directory before anything is unpacked:
member count, total unpacked size and compression ratio are capped (a zip bomb
is refused, not unpacked), paths may not escape, encrypted members and macros
are refused. XML goes through defusedxml first (no entity declarations, so no external
entities and no billion laughs), then lxml with entity resolution and network off.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from io import BytesIO

from defusedxml import ElementTree as DefusedTree
from defusedxml.common import DefusedXmlException
from lxml import etree

from translator.errors import InputError

MAX_MEMBERS = 5000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # unpacked/packed per member; office XML compresses ~10-20x
EXECUTABLE_SIGNATURES = {
    b"MZ": "a Windows program",
    b"\x7fELF": "a Linux program",
    b"\xcf\xfa\xed\xfe": "a macOS program",
    b"#!": "a script",
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, and encrypted OOXML wrappers
MACRO_FILES = ("vbaproject.bin",)  # OOXML macros (.docm, .pptm), wherever they sit
MACRO_FOLDERS = ("basic/", "scripts/")  # ODF macro libraries, at the archive's root


def refuse_executables(data: bytes, name: str) -> None:
    """A program renamed to .docx or .po is refused by what it is, not by its name."""
    for signature, what in EXECUTABLE_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{name} is {what}, not a document; it was not opened.")


def open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """The archive, after its directory says it is safe to unpack."""
    refuse_executables(data, name)
    if data.startswith(OLE_SIGNATURE):
        raise InputError(
            f"{name} is password-protected or in the old binary Office format; save it unencrypted as {kind}."
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise InputError(f"{name} is not a valid {kind} file (not a zip archive: {error}).") from None
    check_members(archive.infolist(), name)
    return archive


def check_members(members: Iterable[zipfile.ZipInfo], name: str) -> None:
    total = 0
    for count, member in enumerate(members, start=1):
        if count > MAX_MEMBERS:
            raise InputError(f"{name} holds more than {MAX_MEMBERS} files; it was not unpacked.")
        if member.flag_bits & 0x1:
            raise InputError(f"{name} is encrypted; remove the password and try again.")
        path = member.filename
        if path.startswith(("/", "\\")) or ".." in path.replace("\\", "/").split("/"):
            raise InputError(f"{name} contains a path outside the archive ({path!r}); it was not unpacked.")
        lower = path.lower()
        if lower.endswith(MACRO_FILES) or lower.startswith(MACRO_FOLDERS):
            raise InputError(f"{name} contains macros ({path}); save it without macros and try again.")
        total += member.file_size
        if total > MAX_UNPACKED_BYTES:
            raise InputError(f"{name} unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB; it was not unpacked.")
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise InputError(
                f"{name} looks like a zip bomb ({path} is compressed {member.file_size // max(member.compress_size, 1)}"
                f" to 1); it was not unpacked."
            )


def read_member(archive: zipfile.ZipFile, path: str) -> bytes:
    """A member's bytes, never more than its directory entry announced."""
    info = archive.getinfo(path)
    with archive.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise InputError(f"{path} is larger than its archive entry says; the file was refused.")
    return data


def parse_xml(data: bytes, name: str) -> etree._ElementTree:
    """Parse untrusted XML: refused if it declares entities, never fetching anything.

    A bare ``<!DOCTYPE html>`` (every EPUB 3 page has one) is allowed; an internal subset
    declaring entities (external entities, billion laughs) is not.
    """
    try:
        DefusedTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError(f"{name} declares a DTD or entities, which are refused for safety.") from None
    except DefusedTree.ParseError as error:
        raise InputError(f"{name} is not well-formed XML ({error}).") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.parse(BytesIO(data), parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"{name} is not well-formed XML ({error}).") from None
