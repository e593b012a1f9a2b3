#!/usr/bin/env python3
"""Where the bytes of a wasm module go: code per crate and the largest functions.

    scripts/wasm-size.py MODULE.wasm [TOP]

Reads the module's sections, the size of each function body in the code section and the
function names of the `name` custom section (wasm-bindgen keeps them, demangled, unless the
module went through `wasm-opt` without `-g`), and prints: bytes per section, code bytes per
crate (the first path segment of each name, `<T as Trait>` attributed to T's crate) and the TOP
largest functions (default 25). Used for the lean-wasm table of BENCHMARKS.md (`make
wasm-size`); needs only Python's standard library.
"""

import collections
import re
import subprocess
import sys

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
    sections, bodies, names, imported = read_module(data)
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


def read_module(data):
    position = 8
    sections = []
    bodies = []
    names = {}
    imported = 0
    while position < len(data):
        kind = data[position]
        size, position = leb(data, position + 1)
        end = position + size
        label = SECTION_NAMES.get(kind, str(kind))
        if kind == 0:
            length, start = leb(data, position)
            custom = data[start:start + length].decode("utf-8", "replace")
            label = f"custom:{custom}"
            if custom == "name":
                names = function_names(data, start + length, end)
        elif kind == 2:
            imported = imported_functions(data, position)
        elif kind == 10:
            bodies = body_sizes(data, position)
        sections.append((label, size))
        position = end
    return sections, bodies, names, imported


def imported_functions(data, position):
    count, position = leb(data, position)
    functions = 0
    for _ in range(count):
        for _ in range(2):
            length, position = leb(data, position)
            position += length
        kind = data[position]
        position += 1
        if kind == 0:
            _, position = leb(data, position)
            functions += 1
        elif kind == 1:
            position += 1
            position = skip_limits(data, position)
        elif kind == 2:
            position = skip_limits(data, position)
        elif kind == 3:
            position += 2
        else:
            _, position = leb(data, position + 1)
    return functions


def skip_limits(data, position):
    flags = data[position]
    _, position = leb(data, position + 1)
    if flags & 1:
        _, position = leb(data, position)
    return position


def body_sizes(data, position):
    count, position = leb(data, position)
    sizes = []
    for _ in range(count):
        size, position = leb(data, position)
        sizes.append(size)
        position += size
    return sizes


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


def leb(data, position):
    result = 0
    shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, position
        shift += 7


if __name__ == "__main__":
    main()
