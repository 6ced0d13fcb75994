"""ROP buffer encodings for the test server (mbx_rops.py): a bounds-checked
reader, property values of every type, TaggedPropertyValue, PropertyRow,
PropertyName, restrictions (encode, decode, evaluate). The same layouts as
src/mailbox/mbx_prop.h and mbx_restrict.h, checked against the same spec
vectors by test_mbx_rops.py."""
import struct

EC_RPC_FORMAT = 0x000004B6
EC_NULL_OBJECT = 0x000004B9
EC_NOT_FOUND = 0x8004010F
EC_INVALID_PARAM = 0x80070057
EC_NOT_SUPPORTED = 0x80040102
EC_LOGIN_PERM = 0x000003F2
EC_ACCESS_DENIED = 0x80070005
EC_TOO_COMPLEX = 0x80040117
EC_DUPLICATE_NAME = 0x80040604
EC_WARN_WITH_ERRORS = 0x00040380
EC_NOT_IMPLEMENTED = 0x80040FFF
EC_STREAM_SIZE_ERROR = 0x80030070
EC_BUFFER_TOO_SMALL = 0x0000047D
# Bytes of rows one RopQueryRows answer carries: what is left of a 32 KiB
# response payload after the other ROPs of a typical chained buffer.
ROW_BUDGET = 0x7000

class RopFormatError(Exception):
    """The ROP buffer cannot be parsed: the Execute fails with ecRpcFormat."""
    ec = EC_RPC_FORMAT


class RopError(Exception):
    """One ROP fails with ReturnValue ec (the response stops there)."""

    def __init__(self, ec):
        super().__init__("ROP error 0x%08X" % ec)
        self.ec = ec



# ---------------------------------------------------------------------------
# Reading and writing ROP buffers
# ---------------------------------------------------------------------------

class Reader:
    def __init__(self, b, pos=0, end=None):
        self.b = b
        self.o = pos
        self.end = len(b) if end is None else end
        if self.end > len(b) or pos > self.end:
            raise RopFormatError("%d bytes needed at offset %d" % (self.end - pos, pos))

    def sub(self, n, what):
        """A reader over the next n bytes; this one moves past them."""
        if self.o + n > self.end:
            raise RopFormatError("%s: %d bytes needed at offset %d" % (what, n, self.o))
        r = Reader(self.b, self.o, self.o + n)
        self.o += n
        return r

    def take(self, n, what):
        if n < 0 or self.o + n > self.end:
            raise RopFormatError("%s: %d bytes needed at offset %d" % (what, n, self.o))
        v = self.b[self.o:self.o + n]
        self.o += n
        return v

    def u8(self, what):
        return self.take(1, what)[0]

    def u16(self, what):
        return struct.unpack("<H", self.take(2, what))[0]

    def u32(self, what):
        return struct.unpack("<I", self.take(4, what))[0]

    def u64(self, what):
        return struct.unpack("<Q", self.take(8, what))[0]

    def cstr(self, what):
        i = self.b.find(b"\0", self.o, self.end)
        if i < 0:
            raise RopFormatError("%s: no terminator" % what)
        s = self.b[self.o:i]
        self.o = i + 1
        return s

    def wstr(self, what):
        i = self.o
        while i + 1 < self.end:
            if self.b[i] == 0 and self.b[i + 1] == 0:
                s = self.b[self.o:i]
                self.o = i + 2
                return s.decode("utf-16-le", "surrogatepass")
            i += 2
        raise RopFormatError("%s: no terminator" % what)


PT_UNSPECIFIED, PT_NULL, PT_SHORT, PT_LONG, PT_FLOAT, PT_DOUBLE = 0, 1, 2, 3, 4, 5
PT_CURRENCY, PT_APPTIME, PT_ERROR, PT_BOOLEAN, PT_OBJECT, PT_I8 = 6, 7, 0xA, 0xB, 0xD, 0x14
PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_CLSID, PT_SVREID = 0x1E, 0x1F, 0x40, 0x48, 0xFB
PT_SRESTRICT, PT_ACTIONS, PT_BINARY, MV_FLAG, MV_INSTANCE = 0xFD, 0xFE, 0x102, 0x1000, 0x2000

FIXED = {PT_SHORT: "<h", PT_LONG: "<i", PT_FLOAT: "<f", PT_DOUBLE: "<d", PT_CURRENCY: "<q",
         PT_APPTIME: "<d", PT_ERROR: "<I", PT_I8: "<q", PT_SYSTIME: "<Q"}


class PErr(int):
    """A PtypErrorCode value in a row (flagged rows carry it as flag 0x0A)."""


def dec_value(r, ptype, depth=0):
    """One PropertyValue of ptype (MS-OXCDATA 2.11)."""
    if ptype == PT_BOOLEAN:
        return r.u8("boolean") != 0
    if ptype in FIXED:
        fmt = FIXED[ptype]
        return struct.unpack(fmt, r.take(struct.calcsize(fmt), "value"))[0]
    if ptype == PT_CLSID:
        return bytes(r.take(16, "GUID"))
    if ptype == PT_NULL:
        return None
    if ptype == PT_STRING8:
        return bytes(r.cstr("string8")).decode("cp1252", "replace")
    if ptype == PT_UNICODE:
        return r.wstr("string")
    if ptype in (PT_BINARY, PT_SVREID):
        return bytes(r.take(r.u16("binary count"), "binary"))
    if ptype == PT_SRESTRICT:
        start = r.o
        dec_restriction(r, depth + 1)
        return bytes(r.b[start:r.o])
    if ptype == PT_ACTIONS:
        start = r.o
        for _ in range(r.u16("NoOfActions")):
            n = r.u16("ActionLength")
            if n < 9:
                raise RopFormatError("ActionLength %d" % n)
            r.take(n, "ActionBlock")
        return bytes(r.b[start:r.o])
    if ptype & MV_FLAG and (ptype & ~MV_FLAG) not in (PT_BOOLEAN, PT_ERROR, PT_NULL, PT_OBJECT,
                                                      PT_SVREID, PT_SRESTRICT, PT_ACTIONS,
                                                      PT_UNSPECIFIED):
        n = r.u32("multi-value count")
        if n > r.end - r.o:
            raise RopFormatError("multi-value count %d" % n)
        return [dec_value(r, ptype & ~MV_FLAG, depth) for _ in range(n)]
    raise RopFormatError("type 0x%04X cannot appear in a ROP buffer" % ptype)


def enc_value(ptype, v):
    if ptype == PT_BOOLEAN:
        return bytes([1 if v else 0])
    if ptype in (PT_I8, PT_CURRENCY) and v >= 1 << 63:
        v -= 1 << 64  # folder and message IDs are unsigned 64-bit
    if ptype in FIXED:
        return struct.pack(FIXED[ptype], v)
    if ptype == PT_CLSID:
        return bytes(v)
    if ptype == PT_NULL:
        return b""
    if ptype == PT_STRING8:
        return v.encode("cp1252", "replace") + b"\0"
    if ptype == PT_UNICODE:
        return v.encode("utf-16-le", "surrogatepass") + b"\0\0"
    if ptype in (PT_BINARY, PT_SVREID):
        return struct.pack("<H", len(v)) + bytes(v)
    if ptype in (PT_SRESTRICT, PT_ACTIONS):
        return bytes(v)
    if ptype & MV_FLAG:
        return struct.pack("<I", len(v)) + b"".join(enc_value(ptype & ~MV_FLAG, x) for x in v)
    raise ValueError("type 0x%04X" % ptype)


def dec_tagged(r, depth=0):
    tag = r.u32("property tag")
    if tag & 0xFFFF == PT_UNSPECIFIED:
        raise RopFormatError("PtypUnspecified in a tagged value")
    return tag, dec_value(r, tag & 0xFFFF, depth)


def enc_tagged(tag, v):
    return struct.pack("<I", tag) + enc_value(tag & 0xFFFF, v)


def col_value_tag(col):
    """An MV_INSTANCE column carries one element of the multi-value."""
    if col & MV_INSTANCE:
        return col & ~(MV_INSTANCE | MV_FLAG)
    return col


def enc_row(cols, values):
    """PropertyRow (MS-OXCDATA 2.8.1): standard when every column has a value,
    else flagged (0x01 no value, 0x0A error). values: tag -> value, where a
    missing column is absent and an error is a PErr."""
    vals = []
    flagged = False
    for c in cols:
        v = lookup(values, col_value_tag(c))
        if v is None or isinstance(v[1], PErr):
            flagged = True
        vals.append(v)
    out = bytearray([1 if flagged else 0])
    for c, v in zip(cols, vals):
        ct = col_value_tag(c)
        typed = ct & 0xFFFF == PT_UNSPECIFIED
        if v is None:
            if typed:
                out += struct.pack("<H", PT_ERROR)
            out += b"\x0a" + struct.pack("<I", EC_NOT_FOUND)
            continue
        tag, val = v
        if isinstance(val, PErr):
            if typed:
                out += struct.pack("<H", PT_ERROR)
            out += b"\x0a" + struct.pack("<I", int(val))
            continue
        if typed:
            out += struct.pack("<H", tag & 0xFFFF)
        if flagged:
            out += b"\x00"
        out += enc_value(tag & 0xFFFF, val)
    return bytes(out)


def lookup(values, tag):
    """(tag, value) for a column tag: exact, else by id when the column is
    PtypUnspecified or a string column asks for the other string type."""
    if tag in values:
        return tag, values[tag]
    want = tag & 0xFFFF
    for t, v in values.items():
        if t >> 16 != tag >> 16:
            continue
        if want == PT_UNSPECIFIED:
            return t, v
        if {want, t & 0xFFFF} == {PT_UNICODE, PT_STRING8}:
            return tag, v
        if t & 0xFFFF == PT_ERROR:
            return t, PErr(v)
    return None


def dec_propname(r):
    kind = r.u8("property name kind")
    guid = bytes(r.take(16, "GUID"))
    if kind == 0:
        return (guid, r.u32("LID"))
    if kind == 1:
        size = r.u8("NameSize")
        start = r.o
        name = r.wstr("Name")
        if r.o - start != size:
            raise RopFormatError("NameSize %d for %d bytes" % (size, r.o - start))
        return (guid, name)
    if kind == 0xFF:
        return (guid, None)
    raise RopFormatError("property name kind 0x%02X" % kind)


def enc_propname(name):
    guid, key = name
    if key is None:
        return b"\xff" + guid
    if isinstance(key, int):
        return b"\x00" + guid + struct.pack("<I", key)
    w = key.encode("utf-16-le") + b"\0\0"
    return b"\x01" + guid + bytes([len(w)]) + w


# Restrictions (MS-OXCDATA 2.12), ROP widths: a tuple tree.
#   ("and"|"or", [children]) ("not", child) ("content", fuzzy, tag, (tag, v))
#   ("property", relop, tag, (tag, v)) ("compare", relop, tag1, tag2)
#   ("bitmask", bmr, tag, mask) ("size", relop, tag, size) ("exist", tag)
#   ("subobject", tag, child) ("comment", [(tag, v)], child|None)
#   ("count", n, child)
def dec_restriction(r, depth=0):
    if depth > 64:
        raise RopFormatError("restriction nested too deeply")
    t = r.u8("RestrictType")
    if t in (0, 1):
        n = r.u16("restriction count")
        return ("and" if t == 0 else "or", [dec_restriction(r, depth + 1) for _ in range(n)])
    if t == 2:
        return ("not", dec_restriction(r, depth + 1))
    if t == 3:
        fuzzy, tag = r.u32("FuzzyLevel"), r.u32("PropTag")
        return ("content", fuzzy, tag, dec_tagged(r, depth + 1))
    if t == 4:
        relop, tag = r.u8("RelOp"), r.u32("PropTag")
        return ("property", relop, tag, dec_tagged(r, depth + 1))
    if t == 5:
        return ("compare", r.u8("RelOp"), r.u32("PropTag1"), r.u32("PropTag2"))
    if t == 6:
        return ("bitmask", r.u8("BitmapRelOp"), r.u32("PropTag"), r.u32("Mask"))
    if t == 7:
        return ("size", r.u8("RelOp"), r.u32("PropTag"), r.u32("Size"))
    if t == 8:
        return ("exist", r.u32("PropTag"))
    if t == 9:
        return ("subobject", r.u32("Subobject"), dec_restriction(r, depth + 1))
    if t == 0xA:
        n = r.u8("TaggedValuesCount")
        vals = [dec_tagged(r, depth + 1) for _ in range(n)]
        present = r.u8("RestrictionPresent")
        if present > 1:
            raise RopFormatError("RestrictionPresent %d" % present)
        return ("comment", vals, dec_restriction(r, depth + 1) if present else None)
    if t == 0xB:
        return ("count", r.u32("Count"), dec_restriction(r, depth + 1))
    raise RopFormatError("restriction type 0x%02X" % t)


def enc_restriction(x):
    k = x[0]
    if k in ("and", "or"):
        return bytes([0 if k == "and" else 1]) + struct.pack("<H", len(x[1])) + \
            b"".join(enc_restriction(c) for c in x[1])
    if k == "not":
        return b"\x02" + enc_restriction(x[1])
    if k == "content":
        return b"\x03" + struct.pack("<II", x[1], x[2]) + enc_tagged(*x[3])
    if k == "property":
        return b"\x04" + struct.pack("<BI", x[1], x[2]) + enc_tagged(*x[3])
    if k in ("compare", "bitmask", "size"):
        code = {"compare": 5, "bitmask": 6, "size": 7}[k]
        return struct.pack("<BBII", code, x[1], x[2], x[3])
    if k == "exist":
        return struct.pack("<BI", 8, x[1])
    if k == "subobject":
        return struct.pack("<BI", 9, x[1]) + enc_restriction(x[2])
    if k == "comment":
        return bytes([0xA, len(x[1])]) + b"".join(enc_tagged(*v) for v in x[1]) + \
            (b"\x01" + enc_restriction(x[2]) if x[2] else b"\x00")
    if k == "count":
        return struct.pack("<BI", 0xB, x[1]) + enc_restriction(x[2])
    raise ValueError(k)


def _cmp(a, b, relop):
    try:
        return {0: a < b, 1: a <= b, 2: a > b, 3: a >= b, 4: a == b, 5: a != b}[relop]
    except (KeyError, TypeError):
        raise RopError(EC_TOO_COMPLEX)


def matches(x, props):
    """Evaluates a restriction on a row's properties (MS-OXCDATA 2.12).
    SubObject, Comment and Count restrictions and the regex/DL relops are not
    evaluated here: ecTooComplex, as a server may answer."""
    k = x[0]
    if k == "and":
        return all(matches(c, props) for c in x[1])
    if k == "or":
        return any(matches(c, props) for c in x[1])
    if k == "not":
        return not matches(x[1], props)
    if k == "exist":
        return lookup(props, x[1] & ~0xFFFF) is not None
    if k in ("content", "property", "bitmask", "size"):
        have = lookup(props, x[2])
        if have is None or isinstance(have[1], PErr):
            return False
        v = have[1]
        if k == "content":
            want = x[3][1]
            if not isinstance(v, (str, bytes)) or not isinstance(want, type(v)):
                return False
            if x[1] & 0x10000 and isinstance(v, str):
                v, want = v.lower(), want.lower()
            level = x[1] & 0xFFFF
            return {0: v == want, 1: want in v, 2: v.startswith(want)}.get(level, False)
        if k == "property":
            if isinstance(v, list):
                return any(_cmp(e, x[3][1], x[1]) for e in v)
            return _cmp(v, x[3][1], x[1])
        if k == "bitmask":
            return ((v & x[3]) != 0) == (x[1] == 1)
        size = len(enc_value(have[0] & 0xFFFF, v))
        return _cmp(size, x[3], x[1])
    if k == "compare":
        a, b = lookup(props, x[2]), lookup(props, x[3])
        return a is not None and b is not None and _cmp(a[1], b[1], x[1])
    raise RopError(EC_TOO_COMPLEX)


