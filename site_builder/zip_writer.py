"""A zip archive of deflated entries written in one go, the bytes :mod:`zipfile` writes for
the same entries (``ZipFile.writestr`` of ``ZipInfo`` entries, Unix attributes, no zip64)
without its per-entry file objects: the build writes a workbook of about 20 parts per unit.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

LOCAL_HEADER = struct.Struct("<4sBBHHHHLLLHH")
"""Local file header: signature, version needed (number, system), flags, method, time,
date, CRC-32, compressed size, size, name length, extra length (zipfile's layout)."""
CENTRAL_HEADER = struct.Struct("<4sBBBBHHHHLLLHHHHHLL")
"""Central directory entry: signature, made by (version, system), needed (version, system),
flags, method, time, date, CRC-32, sizes, lengths of name, extra and comment, disk, internal
and external attributes, offset of the local header."""
END_RECORD = struct.Struct("<4s4H2LH")
"""End of central directory: signature, disks, entry counts, directory size and offset,
comment length."""
VERSION = 20
"""Zip version 2.0 (deflate), made by and needed to extract."""
UNIX = 3
"""The system the entries are made by, as :mod:`zipfile` records on Linux."""
DEFLATED = 8
FILE_MODE = 0o600 << 16
"""External attributes: a file readable and writable by its owner."""


def dos_time(stamp: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    """(time, date) of a (year, month, day, hour, minute, second) in the zip format."""
    year, month, day, hour, minute, second = stamp
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def deflated_zip(entries: Iterable[tuple[str, bytes]],
                 stamp: tuple[int, int, int, int, int, int], level: int) -> bytes:
    """A zip of ``entries`` (ASCII name, content) in order, deflated at zlib ``level``,
    every entry dated ``stamp``."""
    time, date = dos_time(stamp)
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, body in entries:
        packed = zlib.compress(body, level, -15)
        crc = zlib.crc32(body)
        encoded = name.encode("ascii")
        header = LOCAL_HEADER.pack(b"PK\x03\x04", VERSION, 0, 0, DEFLATED, time, date, crc,
                                   len(packed), len(body), len(encoded), 0)
        directory.append(CENTRAL_HEADER.pack(
            b"PK\x01\x02", VERSION, UNIX, VERSION, 0, 0, DEFLATED, time, date, crc,
            len(packed), len(body), len(encoded), 0, 0, 0, 0, FILE_MODE, offset) + encoded)
        chunks += (header, encoded, packed)
        offset += len(header) + len(encoded) + len(packed)
    listing = b"".join(directory)
    chunks += (listing, END_RECORD.pack(b"PK\x05\x06", 0, 0, len(directory), len(directory),
                                        len(listing), offset, 0))
    return b"".join(chunks)
