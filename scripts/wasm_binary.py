"""Reading a wasm module's binary format: what scripts/wasm-size.py and scripts/wasm-order.py
share (standard library only)."""


def leb(data, position, signed=False):
    """The LEB128 number at `position` (unsigned, or two's complement when `signed`) and the
    position after it."""
    result = 0
    shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            if signed and byte & 0x40:
                result -= 1 << shift
            return result, position


def encode_leb(value):
    """`value` (unsigned) as LEB128."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if not value:
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def sections(data):
    """(id, start, content start, end) of each section after the 8-byte header."""
    position = 8
    found = []
    while position < len(data):
        size, content = leb(data, position + 1)
        found.append((data[position], position, content, content + size))
        position = content + size
    return found


def custom_name(data, content):
    """The name of the custom section whose content starts at `content`, and where its payload
    starts."""
    length, start = leb(data, content)
    return data[start:start + length].decode("utf-8", "replace"), start + length


def imported_functions(data, position):
    """How many functions the import section at `position` imports (they come first in the
    function index space)."""
    count, position = leb(data, position)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            length, position = leb(data, position)
            position += length
        kind = data[position]
        position += 1
        if kind == 0:  # function: type index
            _, position = leb(data, position)
            functions += 1
        elif kind == 1:  # table: reference type, limits
            position = skip_limits(data, position + 1)
        elif kind == 2:  # memory: limits
            position = skip_limits(data, position)
        elif kind == 3:  # global: value type, mutability
            position += 2
        else:  # tag: attribute, type index
            _, position = leb(data, position + 1)
    return functions


def skip_limits(data, position):
    flags = data[position]
    _, position = leb(data, position + 1)
    if flags & 1:
        _, position = leb(data, position)
    return position


def function_bodies(data, position):
    """The bodies (locals and code) of the code section at `position`, in order."""
    count, position = leb(data, position)
    bodies = []
    for _ in range(count):
        size, position = leb(data, position)
        bodies.append(data[position:position + size])
        position += size
    return bodies
