#!/usr/bin/env python3
"""Points a PE32+ exe's Load Configuration data directory at teamsfix's `_load_config_used`.

Why: Windows resolves the DLLs in an exe's import table before `main` runs, searching the exe's
own folder first. `DependentLoadFlags = LOAD_LIBRARY_SEARCH_SYSTEM32` (0x800) in the load
configuration makes the loader take them from System32 only (Windows 10 1607 and later;
Microsoft: "/DEPENDENTLOADFLAG (Set default dependent load flags)"). MSVC's and lld's linkers
set the data directory from the `_load_config_used` symbol; GNU ld 2.40 (Debian 12's mingw-w64)
does not, so this script does it after the link.

The structure itself is defined in Rust (src/platform/dll_hardening.rs, `_load_config_used`);
its TimeDateStamp field (informational, ignored by the loader) carries MAGIC so it can be found
in a stripped exe.

Usage:
  pe_load_config.py set EXE      point the directory at the structure (idempotent)
  pe_load_config.py show EXE     print the directory and the DependentLoadFlags it holds
Exit 0 on success, 1 when the exe has no such structure or something does not add up.
"""

import struct
import sys

MAGIC = 0x7EA3F1F0  # keep in sync with LOAD_CONFIG_MAGIC in src/platform/dll_hardening.rs
LOAD_CONFIG_SIZE = 0x60  # up to and including SecurityCookie (IMAGE_LOAD_CONFIG_DIRECTORY64)
DEPENDENT_LOAD_FLAGS_OFFSET = 0x4E
DIRECTORY_LOAD_CONFIG = 10


class PeError(Exception):
    pass


def parse(data):
    if data[:2] != b"MZ":
        raise PeError("not an MZ/PE file")
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        raise PeError("no PE signature")
    n_sections = struct.unpack_from("<H", data, pe + 6)[0]
    opt_size = struct.unpack_from("<H", data, pe + 20)[0]
    opt = pe + 24
    if struct.unpack_from("<H", data, opt)[0] != 0x20B:
        raise PeError("not a PE32+ (64-bit) image")
    n_dirs = struct.unpack_from("<I", data, opt + 108)[0]
    if n_dirs <= DIRECTORY_LOAD_CONFIG:
        raise PeError(f"only {n_dirs} data directories")
    dir_off = opt + 112 + 8 * DIRECTORY_LOAD_CONFIG
    sections = []
    sec = opt + opt_size
    for i in range(n_sections):
        name = data[sec + 40 * i: sec + 40 * i + 8].rstrip(b"\0").decode("ascii", "replace")
        vsize, va, raw_size, raw_ptr = struct.unpack_from("<IIII", data, sec + 40 * i + 8)
        sections.append((name, va, vsize, raw_ptr, raw_size))
    return dir_off, sections


def offset_to_rva(sections, off):
    for name, va, vsize, raw_ptr, raw_size in sections:
        if raw_ptr <= off < raw_ptr + raw_size and off - raw_ptr < max(vsize, raw_size):
            return va + (off - raw_ptr), name
    raise PeError(f"file offset {off:#x} is in no section")


def rva_to_offset(sections, rva):
    for name, va, vsize, raw_ptr, raw_size in sections:
        if va <= rva < va + max(vsize, raw_size) and rva - va < raw_size:
            return raw_ptr + (rva - va)
    raise PeError(f"RVA {rva:#x} is in no section")


def find_structure(data):
    sig = struct.pack("<II", LOAD_CONFIG_SIZE, MAGIC)
    hits = []
    start = 0
    while True:
        i = data.find(sig, start)
        if i < 0:
            break
        hits.append(i)
        start = i + 1
    if len(hits) != 1:
        raise PeError(f"expected exactly one teamsfix load configuration, found {len(hits)}")
    return hits[0]


def show(path):
    with open(path, "rb") as f:
        data = f.read()
    dir_off, sections = parse(data)
    rva, size = struct.unpack_from("<II", data, dir_off)
    if rva == 0:
        print(f"{path}: no load configuration directory")
        return 1
    off = rva_to_offset(sections, rva)
    struct_size = struct.unpack_from("<I", data, off)[0]
    if struct_size < DEPENDENT_LOAD_FLAGS_OFFSET + 2:
        print(f"{path}: load configuration at RVA {rva:#x} ({struct_size} bytes) has no DependentLoadFlags")
        return 1
    flags = struct.unpack_from("<H", data, off + DEPENDENT_LOAD_FLAGS_OFFSET)[0]
    print(f"{path}: load configuration at RVA {rva:#x}, directory size {size:#x}, "
          f"structure size {struct_size:#x}, DependentLoadFlags {flags:#x}")
    return 0 if flags == 0x800 else 1


def set_directory(path):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    dir_off, sections = parse(data)
    off = find_structure(data)
    flags = struct.unpack_from("<H", data, off + DEPENDENT_LOAD_FLAGS_OFFSET)[0]
    if flags != 0x800:
        raise PeError(f"the structure's DependentLoadFlags is {flags:#x}, want 0x800")
    rva, section = offset_to_rva(sections, off)
    old_rva, old_size = struct.unpack_from("<II", data, dir_off)
    if old_rva not in (0, rva):
        raise PeError(f"the linker already set a load configuration at RVA {old_rva:#x}; not overriding it")
    struct.pack_into("<II", data, dir_off, rva, LOAD_CONFIG_SIZE)
    with open(path, "r+b") as f:
        f.seek(dir_off)
        f.write(data[dir_off:dir_off + 8])
    print(f"{path}: load configuration directory -> RVA {rva:#x} in {section} "
          f"({LOAD_CONFIG_SIZE:#x} bytes), DependentLoadFlags 0x800")
    return 0


def main(argv):
    if len(argv) != 3 or argv[1] not in ("set", "show"):
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    try:
        return set_directory(argv[2]) if argv[1] == "set" else show(argv[2])
    except (OSError, PeError, struct.error) as e:
        print(f"pe_load_config.py: {argv[2]}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
