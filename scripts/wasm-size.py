#!/usr/bin/env python3
"""Where the bytes of a wasm module go: code per crate and the largest functions.

    scripts/wasm-size.py MODULE.wasm [TOP]

Reads the module's sections, the size of each function body in the code section and the
function names of the `name` custom section (wasm-bindgen keeps them, demangled, unless the
module went through `wasm-opt` without `-g`), and prints: bytes per section, code bytes per
crate (the first path segment of each name, `<T as Trait>` attributed to T's crate), the TOP
largest functions (default 25) and the data section's least compressible regions (runs of 1 KB
windows that zlib -9 cannot shrink below 3/4: tables of random-looking numbers; the address,
size, compressed size and first bytes of each, to find them in the sources). Used for the
lean-wasm table of BENCHMARKS.md (`make wasm-size`); needs only Python's standard library.
"""

import collections
import re
import subprocess
import sys
import zlib

import wasm_binary
from wasm_binary import leb

WINDOW = 1024
REGIONS = 8

SECTION_NAMES = {
    0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
    6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data",
    12: "datacount",
}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    data = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    if data[:4] != b"\0asm":
        sys.exit(f"{sys.argv[1]}: not a wasm module")
    sections, bodies, names, imported, segments = read_module(data)
    names = demangle_v0(names)
    print(f"{sys.argv[1]}: {len(data)} bytes")
    for name, size in sections:
        print(f"  section {name:<24} {size:>9}")
    by_crate = collections.Counter()
    named = []
    for index, size in enumerate(bodies):
        name = names.get(index + imported, f"function[{index + imported}]")
        by_crate[crate_of(name)] += size
        named.append((size, demangle(name)))
    print("code bytes per crate:")
    for crate, size in by_crate.most_common(40):
        print(f"  {size:>9}  {crate}")
    print(f"largest {top} functions:")
    for size, name in sorted(named, reverse=True)[:top]:
        print(f"  {size:>9}  {name[:150]}")
    print_data(segments)


def print_data(segments):
    placed = [(address, content) for address, content in segments if address >= 0]
    total = sum(len(content) for _, content in segments)
    print(f"data section: {len(segments)} segments, {total} bytes")
    if not placed:
        return
    # The memory image the active segments make: wasm-opt splits segments at runs of zeros,
    # so a table is judged by how well its non-zero bytes compress.
    low = min(address for address, _ in placed)
    image = bytearray(max(address + len(content) for address, content in placed) - low)
    for address, content in placed:
        image[address - low:address - low + len(content)] = content
    regions = []
    start = None
    for offset in range(0, len(image) + WINDOW, WINDOW):
        window = bytes(image[offset:offset + WINDOW])
        filled = len(window) - window.count(0)
        dense = filled >= WINDOW // 8 and len(zlib.compress(window, 9)) * 4 >= filled * 3
        if dense and start is None:
            start = offset
        elif not dense and start is not None:
            regions.append((start, bytes(image[start:offset])))
            start = None
    print(f"least compressible data, {REGIONS} largest regions (1 KB windows whose non-zero bytes "
          "zlib -9 keeps above 3/4):")
    for offset, region in sorted(regions, key=lambda item: -len(item[1]))[:REGIONS]:
        filled = len(region) - region.count(0)
        print(f"  at {low + offset:#09x}: {len(region):>7} bytes ({filled} non-zero), "
              f"{len(zlib.compress(region, 9)):>6} after zlib -9, starting {region[:24].hex()}")


def read_module(data):
    sections = []
    bodies = []
    names = {}
    imported = 0
    segments = []
    for kind, start, content, end in wasm_binary.sections(data):
        label = SECTION_NAMES.get(kind, str(kind))
        if kind == 0:
            custom, payload = wasm_binary.custom_name(data, content)
            label = f"custom:{custom}"
            if custom == "name":
                names = function_names(data, payload, end)
        elif kind == 2:
            imported = wasm_binary.imported_functions(data, content)
        elif kind == 10:
            bodies = [len(body) for body in wasm_binary.function_bodies(data, content)]
        elif kind == 11:
            segments = data_segments(data, content)
        sections.append((label, end - content))
    return sections, bodies, names, imported, segments


def data_segments(data, position):
    """(address, bytes) of each data segment; passive segments get address -1."""
    count, position = leb(data, position)
    segments = []
    for _ in range(count):
        flags, position = leb(data, position)
        address = -1
        if flags in (0, 2):
            if flags == 2:
                _, position = leb(data, position)
            address = 0
            if data[position] == 0x41:  # i32.const
                address, position = leb(data, position + 1, signed=True)
            while data[position] != 0x0B:  # skip the rest of the expression to `end`
                position += 1
            position += 1
        size, position = leb(data, position)
        segments.append((address, data[position:position + size]))
        position += size
    return segments


def function_names(data, position, end):
    names = {}
    while position < end:
        kind = data[position]
        size, position = leb(data, position + 1)
        if kind == 1:
            count, inner = leb(data, position)
            for _ in range(count):
                index, inner = leb(data, inner)
                length, inner = leb(data, inner)
                names[index] = data[inner:inner + length].decode("utf-8", "replace")
                inner += length
        position += size
    return names


def demangle_v0(names):
    """Rust's v0 mangling (`_R...`, nightly's default; the wasm modules are built on nightly)
    through binutils' `c++filt`, which knows it, without the crates' `[hash]` disambiguators;
    names stay as they are when `c++filt` is missing."""
    mangled = sorted({name for name in names.values() if name.startswith("_R")})
    if not mangled:
        return names
    try:
        result = subprocess.run(["c++filt"], input="\n".join(mangled) + "\n", text=True,
                                capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return names
    lines = result.stdout.split("\n")
    readable = {name: re.sub(r"\[[0-9a-f]{16}\]", "", line)
                for name, line in zip(mangled, lines)}
    return {index: readable.get(name, name) for index, name in names.items()}


def demangle(name):
    """Rust's legacy mangling (`_ZN3der4asn1...17h<hash>E`) as a path; other names unchanged."""
    if not name.startswith("_ZN"):
        return name
    position = 3
    segments = []
    while position < len(name) and name[position].isdigit():
        digits = re.match(r"\d+", name[position:]).group(0)
        position += len(digits)
        segments.append(name[position:position + int(digits)])
        position += int(digits)
    if segments and re.fullmatch(r"h[0-9a-f]{16}", segments[-1]):
        segments.pop()
    path = "::".join(segment.removeprefix("_") if segment.startswith("_$") else segment
                     for segment in segments)
    for escape, text in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$C$", ","),
                         ("$RF$", "&"), ("$BP$", "*"), ("$u7b$", "{"), ("$u7d$", "}"),
                         ("$u27$", "'"), ("$u5b$", "["), ("$u5d$", "]"), ("$u3b$", ";"),
                         ("$LP$", "("), ("$RP$", ")"), ("..", "::")):
        path = path.replace(escape, text)
    return path


def crate_of(name):
    name = demangle(name)
    implementation = re.match(r"^<impl [^<>]*?(?:<[^<>]*>)?[^<>]*? for ([^<>]+)", name)
    if implementation:
        name = implementation.group(1)
    name = re.sub(r"^(_<|<)+", "", name)
    name = re.sub(r"^(impl |&mut |&|dyn |\[)+", "", name)
    match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", name)
    return match.group(0) if match else name[:30]


if __name__ == "__main__":
    main()
