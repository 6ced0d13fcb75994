#!/usr/bin/env python3
"""An independent reader of the nickname cache (autocomplete stream / .nk2),
written from the public description only (MicrosoftDocs "Autocomplete
Stream"; MS-OXCDATA 2.2.5.1 one-off and 2.2.5.2 EX address-book entry IDs),
not from the project's C code. Scenarios use it to re-read what reprofile
wrote.

  nick_reader.py FILE            one line per row: kind, DN/address, SMTP, weight
  nick_reader.py FILE --check    also verifies every row's companions agree
                                 (entry IDs, PR_EMAIL_ADDRESS, PR_SEARCH_KEY);
                                 exit 1 naming the row otherwise
Exit 2 when the file does not follow the layout.
"""
import struct
import sys

STATIC = {0x0002, 0x0003, 0x000A, 0x0004, 0x0005, 0x000B, 0x0040, 0x0014}
COUNTED = {0x001E, 0x001F, 0x0102}
MV = {0x1102, 0x101E, 0x101F}
UID_EMSAB = bytes.fromhex("DCA740C8C042101AB4B908002B2FE182")
UID_OOP = bytes.fromhex("812B1FA4BEA310199D6E00DD010F5402")
UID_CONTAB = bytes.fromhex("FE42AA0A18C71A10E8850B651C240000")


class Bad(Exception):
    pass


class Reader:
    def __init__(self, data):
        self.d, self.o = data, 0

    def take(self, n, what):
        if n > len(self.d) - self.o:
            raise Bad("%s: need %d bytes at %d" % (what, n, self.o))
        b = self.d[self.o:self.o + n]
        self.o += n
        return b

    def u32(self, what):
        return struct.unpack("<I", self.take(4, what))[0]


def parse(data):
    r = Reader(data)
    meta = r.take(4, "metadata")
    if meta != b"\x0d\xf0\xad\xba":
        raise Bad("metadata is not 0xBAADF00D")
    major, minor, nrows = r.u32("major"), r.u32("minor"), r.u32("rows")
    rows = []
    for i in range(nrows):
        props = {}
        for _ in range(r.u32("row %d count" % i)):
            tag = r.u32("tag")
            r.take(12, "reserved+union")
            union = r.d[r.o - 8:r.o]
            t = tag & 0xFFFF
            if t in STATIC:
                val = union
            elif t in COUNTED:
                val = r.take(r.u32("cb"), "value")
            elif t == 0x0048:
                val = r.take(16, "guid")
            elif t in MV:
                val = [r.take(r.u32("cb"), "item") for _ in range(r.u32("mv count"))]
            else:
                raise Bad("row %d: type 0x%04x has no layout" % (i, t))
            props[tag >> 16] = (t, val)
        rows.append(props)
    extra = r.take(r.u32("extra count"), "extra")
    r.take(8, "metadata 2")
    if r.o != len(data):
        raise Bad("%d bytes after the end" % (len(data) - r.o))
    return major, minor, rows, extra


def text(p):
    if p is None:
        return None
    t, v = p
    if t == 0x001F:
        return v.decode("utf-16-le").rstrip("\0")
    if t == 0x001E:
        return v.decode("cp1252").rstrip("\0")
    return None


def cstr(b, o, wide):
    if wide:
        i = o
        while b[i:i + 2] != b"\0\0":
            i += 2
        return b[o:i].decode("utf-16-le"), i + 2
    i = b.index(b"\0", o)
    return b[o:i].decode("cp1252"), i + 1


def eid_info(b):
    """('EX', dn) | ('SMTP'/'EX', address) for one-offs | ('CONTACT', None) | None"""
    if len(b) < 20:
        return None
    uid = b[4:20]
    if uid == UID_EMSAB and len(b) > 28:
        return ("EX", cstr(b, 28, False)[0])
    if uid == UID_OOP and len(b) > 24:
        wide = bool(struct.unpack("<H", b[22:24])[0] & 0x8000)
        _, o = cstr(b, 24, wide)
        atype, o = cstr(b, o, wide)
        addr, o = cstr(b, o, wide)
        if o != len(b):
            raise Bad("one-off with %d trailing bytes" % (len(b) - o))
        return (atype.upper(), addr)
    if uid == UID_CONTAB:
        return ("CONTACT", None)
    return None


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    try:
        major, minor, rows, extra = parse(open(args[0], "rb").read())
    except Bad as e:
        print("%s: %s" % (args[0], e))
        return 2
    print("major=%d minor=%d rows=%d extra=%d" % (major, minor, len(rows), len(extra)))
    bad = 0
    for i, p in enumerate(rows):
        ent = p.get(0x0FFF)
        info = eid_info(ent[1]) if ent and ent[0] == 0x0102 else None
        kind, addr = info if info else ("OTHER", None)
        smtp = text(p.get(0x39FE))
        weight = struct.unpack("<i", p[0x6004][1][:4])[0] if 0x6004 in p else 0
        print("%d %s %s smtp=%s weight=%d" % (i, kind, addr, smtp, weight))
        if not check or kind not in ("EX", "SMTP"):
            continue
        problems = []
        for pid, name in ((0x0FFF, "PR_ENTRYID"), (0x5FF7, "PR_RECIPIENT_ENTRYID"),
                          (0x0FF9, "PR_RECORD_KEY")):
            if pid in p and p[pid][0] == 0x0102:
                other = eid_info(p[pid][1])
                if other and other[0] == kind and other[1].lower() != addr.lower():
                    problems.append("%s names %s" % (name, other[1]))
        email = text(p.get(0x3003))
        if email is not None and email.lower() != addr.lower():
            problems.append("PR_EMAIL_ADDRESS is %s" % email)
        sk = p.get(0x300B)
        if sk:
            want = (kind + ":" + addr.upper()).encode("cp1252") + b"\0"
            if sk[1] != want:
                problems.append("PR_SEARCH_KEY is %r" % sk[1])
        for pr in problems:
            print("row %d (%s): %s" % (i, addr, pr))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
