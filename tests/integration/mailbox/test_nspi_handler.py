#!/usr/bin/env python3
"""Self-test of nspi_handler.py (ctest: mailbox.nspi_handler).

Requests are packed here field by field from the MS-OXCMAPIHTTP 2.2.5 tables
(not with the handler's writers); responses are read with the small reader
below. Checks the resolutions the recipient map relies on (source DN found in
the target through its X500 proxy, SMTP and proxy ANR, ambiguity), paging,
restrictions, the special table, and that the handler refuses what it must:
calls before Bind, unknown request types, cut bodies and trailing bytes.
"""
import os
import struct
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import nspi_handler as nh  # noqa: E402

FIX = os.path.join(HERE, "..", "..", "fixtures", "mailbox")
SRC_DN = "/o=Src/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
STAT_VECTOR = os.path.join(os.environ.get("RP_SHARED_DIR", os.path.join(HERE, "..", "..", "..", "..", "shared")),
                           "vectors", "mapihttp", "ms-oxnspi", "4-bind-stat.bin")


def p32(v):
    return struct.pack("<I", v)


def stat(cur=0, container=0, delta=0, codepage=0x4E4):
    return struct.pack("<IIIiIIIII", 0, container, cur, delta, 0, 0, codepage, 0x409, 0x409)


def tags(*t):
    return b"\xff" + p32(len(t)) + b"".join(p32(x) for x in t)


class Rd:
    def __init__(self, b):
        self.b, self.o = b, 0

    def take(self, n):
        assert self.o + n <= len(self.b), "response cut"
        v = self.b[self.o:self.o + n]
        self.o += n
        return v

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack("<H", self.take(2))[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def wstr(self):
        i = self.o
        while self.b[i:i + 2] != b"\0\0":
            i += 2
        s = self.b[self.o:i].decode("utf-16-le")
        self.o = i + 2
        return s

    def cstr(self):
        i = self.b.index(b"\0", self.o)
        s = self.b[self.o:i].decode("cp1252")
        self.o = i + 1
        return s

    def value(self, t):
        if t in (0x1E, 0x1F, 0x102) or t & 0x1000:
            hv = self.u8()
            assert hv in (0, 0xFF)
            if hv == 0:
                return None
        if t & 0x1000:
            out = []
            for _ in range(self.u32()):
                base = t & ~0x1000
                if base in (0x1E, 0x1F, 0x102):
                    assert self.u8() == 0xFF
                out.append(self.var(base))
            return out
        if t in (0x1E, 0x1F, 0x102):
            return self.var(t)
        if t in (3, 0xA):
            return self.u32()
        raise AssertionError("type %x" % t)

    def var(self, t):
        if t == 0x1F:
            return self.wstr()
        if t == 0x1E:
            return self.cstr()
        return self.take(self.u32())

    def rows(self):
        cols = [self.u32() for _ in range(self.u32())]
        out = []
        for _ in range(self.u32()):
            flag = self.u8()
            row = {}
            for c in cols:
                t = c & 0xFFFF
                if t == 0:
                    t = self.u16()
                if flag == 1:
                    f = self.u8()
                    if f == 0x0A:
                        row[c] = ("error", self.u32())
                        continue
                    assert f == 0
                row[c] = self.value(t)
            out.append(row)
        return out

    def end(self):
        n = self.u32()
        self.take(n)
        assert self.o == len(self.b), "trailing bytes in response"


class HandlerTest(unittest.TestCase):
    def session(self, which):
        s = {"addressbook": nh.load(os.path.join(FIX, "addressbook-%s.json" % which))}
        rsp = nh.handle(s, "Bind", p32(0) + b"\xff" + stat() + p32(0))
        r = Rd(rsp)
        self.assertEqual((r.u32(), r.u32()), (0, 0))
        self.assertEqual(r.take(16), s["addressbook"].server_guid)
        r.end()
        return s

    def tearDown(self):
        for s in getattr(self, "_sessions", []):
            self.assertEqual(s["nspi"].violations, [])

    def call(self, s, kind, body):
        self.__dict__.setdefault("_sessions", []).append(s)
        return Rd(nh.handle(s, kind, body))

    def dntomid(self, s, names):
        body = p32(0) + b"\xff" + p32(len(names)) + b"".join(n.encode() + b"\0" for n in names) + p32(0)
        r = self.call(s, "DNToMId", body)
        self.assertEqual((r.u32(), r.u32()), (0, 0))
        self.assertEqual(r.u8(), 0xFF)
        mids = [r.u32() for _ in range(r.u32())]
        r.end()
        return mids

    def resolve(self, s, names, cols=(nh.PR_EMAIL_ADDRESS, nh.PR_SMTP_ADDRESS, nh.PR_DISPLAY_NAME)):
        body = (p32(0) + b"\xff" + stat() + tags(*cols) + b"\xff" + p32(len(names))
                + b"".join(n.encode("utf-16-le") + b"\0\0" for n in names) + p32(0))
        r = self.call(s, "ResolveNames", body)
        self.assertEqual((r.u32(), r.u32(), r.u32()), (0, 0, 0x4E4))
        self.assertEqual(r.u8(), 0xFF)
        mids = [r.u32() for _ in range(r.u32())]
        self.assertEqual(r.u8(), 0xFF)
        rows = r.rows()
        r.end()
        return mids, rows

    def test_stat_vector_is_the_bind_stat(self):
        if not os.path.exists(STAT_VECTOR):
            self.skipTest("note: %s absent" % STAT_VECTOR)
        with open(STAT_VECTOR, "rb") as f:
            self.assertEqual(f.read(), stat())

    def test_dntomid_source_dn_in_target_via_x500(self):
        src, tgt = self.session("source"), self.session("target")
        [alice_src] = self.dntomid(src, [SRC_DN + "alice"])
        self.assertGreaterEqual(alice_src, 0x10)
        # the target knows the source DN only as alice's X500 proxy
        mids = self.dntomid(tgt, [SRC_DN + "ALICE", SRC_DN + "bob", "/o=Legacy/ou=First Administrative Group/cn=Recipients/cn=carol"])
        self.assertNotEqual(mids[0], 0)
        self.assertEqual(mids[1], 0)  # bob was not migrated
        self.assertNotEqual(mids[2], 0)
        # GetProps on it: the target's own DN and SMTP
        body = p32(0) + b"\xff" + stat(cur=mids[0]) + tags(nh.PR_EMAIL_ADDRESS, nh.PR_SMTP_ADDRESS, 0x3A40001F) + p32(0)
        r = self.call(tgt, "GetProps", body)
        self.assertEqual((r.u32(), r.u32(), r.u32()), (0, nh.ERRORS_RETURNED, 0x4E4))
        self.assertEqual(r.u8(), 0xFF)
        vals = {}
        for _ in range(r.u32()):
            t = r.u32()
            vals[t] = r.value(t & 0xFFFF)
        r.end()
        self.assertTrue(vals[nh.PR_EMAIL_ADDRESS].startswith("/o=ExchangeLabs/"))
        self.assertEqual(vals[nh.PR_SMTP_ADDRESS], "alice@tgt.example")
        self.assertEqual(vals[0x3A40000A], nh.NOT_FOUND)

    def test_resolvenames(self):
        tgt = self.session("target")
        mids, rows = self.resolve(tgt, ["alice@src.example", "Carol", "nobody", "", "X500:" + SRC_DN + "sales"])
        self.assertEqual(mids, [nh.MID_RESOLVED, nh.MID_RESOLVED, nh.MID_UNRESOLVED, nh.MID_UNRESOLVED, nh.MID_RESOLVED])
        self.assertEqual(len(rows), 3)  # rows for resolved names only, in order
        self.assertEqual(rows[0][nh.PR_SMTP_ADDRESS], "alice@tgt.example")
        self.assertEqual(rows[1][nh.PR_DISPLAY_NAME], "Carol J\u00f6rgensen")
        self.assertEqual(rows[2][nh.PR_SMTP_ADDRESS], "sales@tgt.example")
        src = self.session("source")
        mids, rows = self.resolve(src, ["Alex", "alex.green"])
        self.assertEqual(mids, [nh.MID_AMBIGUOUS, nh.MID_RESOLVED])
        self.assertEqual(len(rows), 1)

    def test_resolvenames_flagged_and_typed(self):
        tgt = self.session("target")
        # an unspecified-type column and a property dave lacks
        mids, rows = self.resolve(tgt, ["dave"], cols=(0x39FE0000, 0x3A40001F, nh.PR_EMS_AB_PROXY_ADDRESSES))
        self.assertEqual(mids, [nh.MID_RESOLVED])
        self.assertEqual(rows[0][0x39FE0000], "dave@tgt.example")
        self.assertEqual(rows[0][0x3A40001F], ("error", nh.NOT_FOUND))
        self.assertEqual(rows[0][nh.PR_EMS_AB_PROXY_ADDRESSES], ["SMTP:dave@tgt.example"])

    def test_queryrows_pages_through_the_gal(self):
        src = self.session("source")
        seen, cur = [], 0
        while True:
            body = p32(0) + b"\xff" + stat(cur=cur) + p32(0) + p32(4) + tags(nh.PR_DISPLAY_NAME) + p32(0)
            r = self.call(src, "QueryRows", body)
            self.assertEqual((r.u32(), r.u32()), (0, 0))
            self.assertEqual(r.u8(), 0xFF)
            st = struct.unpack("<IIIiIIIII", r.take(36))
            self.assertEqual(r.u8(), 0xFF)
            rows = r.rows()
            r.end()
            seen += [x[nh.PR_DISPLAY_NAME] for x in rows]
            cur = st[2]
            if cur == nh.MID_END_OF_TABLE:
                break
        self.assertEqual(seen, sorted(seen, key=str.lower))
        self.assertEqual(len(seen), 6)
        self.assertEqual(st[5], 6)

    def test_getmatches(self):
        tgt = self.session("target")
        # RES_PROPERTY EQ on the proxies with the source DN as X500
        want = ("X500:" + SRC_DN + "carol").encode("utf-16-le") + b"\0\0"
        flt = b"\x04\x04" + p32(nh.PR_EMS_AB_PROXY_ADDRESSES) + p32(nh.PR_EMS_AB_PROXY_ADDRESSES & 0xFFFF0FFF) + b"\xff" + want
        body = p32(0) + b"\xff" + stat() + b"\0" + p32(0) + b"\xff" + flt + b"\0" + p32(10) + tags(nh.PR_SMTP_ADDRESS) + p32(0)
        r = self.call(tgt, "GetMatches", body)
        self.assertEqual((r.u32(), r.u32()), (0, 0))
        self.assertEqual(r.u8(), 0xFF)
        r.take(36)
        self.assertEqual(r.u8(), 0xFF)
        mids = [r.u32() for _ in range(r.u32())]
        self.assertEqual(len(mids), 1)
        self.assertEqual(r.u8(), 0xFF)
        self.assertEqual(r.rows()[0][nh.PR_SMTP_ADDRESS], "carol.jorgensen@tgt.example")
        r.end()
        # more matches than asked for: ecTableTooBig
        flt = b"\x03" + p32(0x00010001) + p32(nh.PR_SMTP_ADDRESS) + p32(nh.PR_SMTP_ADDRESS) + b"\xff" + "a".encode("utf-16-le") + b"\0\0"
        body = p32(0) + b"\xff" + stat() + b"\0" + p32(0) + b"\xff" + flt + b"\0" + p32(1) + b"\0" + p32(0)
        r = self.call(tgt, "GetMatches", body)
        self.assertEqual((r.u32(), r.u32()), (0, nh.TABLE_TOO_BIG))
        self.assertEqual(r.take(3), b"\0\0\0")
        r.end()

    def test_getspecialtable(self):
        src = self.session("source")
        body = p32(nh.SPECIAL_UNICODE) + b"\xff" + stat() + b"\0" + p32(0)
        r = self.call(src, "GetSpecialTable", body)
        self.assertEqual((r.u32(), r.u32(), r.u32()), (0, 0, 0x4E4))
        self.assertEqual(r.u8(), 0xFF)
        version = r.u32()
        self.assertEqual(r.u8(), 0xFF)
        names = []
        for _ in range(r.u32()):
            row = {}
            for _ in range(r.u32()):
                t = r.u32()
                row[t] = r.value(t & 0xFFFF)
            names.append((row[nh.PR_DISPLAY_NAME], row[nh.PR_EMS_AB_CONTAINERID]))
        r.end()
        self.assertEqual(names[1], ("All Users", 16385))
        # the same version again: no rows
        body = p32(nh.SPECIAL_UNICODE) + b"\xff" + stat() + b"\xff" + p32(version) + p32(0)
        r = self.call(src, "GetSpecialTable", body)
        self.assertEqual((r.u32(), r.u32(), r.u32()), (0, 0, 0x4E4))
        self.assertEqual((r.u8(), r.u32(), r.u8()), (0xFF, version, 0))
        r.end()

    def test_refusals(self):
        s = {"addressbook": nh.load(os.path.join(FIX, "addressbook-source.json"))}
        with self.assertRaises(nh.ProtocolError) as e:
            nh.handle(s, "GetProps", b"")
        self.assertEqual(e.exception.code, 10)
        with self.assertRaises(nh.ProtocolError) as e:
            nh.handle(s, "ModProps", b"")
        self.assertEqual(e.exception.code, 5)
        bind = p32(0) + b"\xff" + stat() + p32(0)
        for cut in range(len(bind)):
            with self.assertRaises(nh.ProtocolError) as e:
                nh.handle(s, "Bind", bind[:cut])
            self.assertEqual(e.exception.code, 12)
        with self.assertRaises(nh.ProtocolError) as e:
            nh.handle(s, "Bind", bind + b"\0")
        self.assertEqual(e.exception.code, 12)
        self.assertIn("after the auxiliary buffer", e.exception.text)
        nh.handle(s, "bind", bind)  # case-insensitive, like gromox
        # a name count larger than the body
        with self.assertRaises(nh.ProtocolError) as e:
            nh.handle(s, "DNToMId", p32(0) + b"\xff" + p32(1000) + b"x\0" + p32(0))
        self.assertEqual(e.exception.code, 12)
        # Unbind ends the context
        r = Rd(nh.handle(s, "Unbind", p32(0) + p32(0)))
        self.assertEqual((r.u32(), r.u32()), (0, nh.UNBIND_SUCCESS))
        with self.assertRaises(nh.ProtocolError):
            nh.handle(s, "DNToMId", p32(0) + b"\0" + p32(0))
        # a non-zero Reserved is recorded as a client violation
        nh.handle(s, "Bind", bind)
        nh.handle(s, "Unbind", p32(7) + p32(0))
        self.assertEqual(len(s["nspi"].violations), 1)


if __name__ == "__main__":
    unittest.main()
