#!/usr/bin/env python3
"""Self-test of mbx_rops.py, the server side of the ROPs (run by ctest as
mailbox.rops_server).

1. Its encodings against the same spec vectors as the C side
   ($RP_SHARED_DIR/vectors/mapihttp, by path; skipped with a note if absent):
   every request vector of a served ROP parses to its exact length, the rows
   and values it writes equal the response vectors, restrictions, names and
   tagged values round-trip byte for byte.
2. The ROPs over tests/fixtures/mailbox/mailbox-user1.json: logons (own,
   Full Access, refused), the folder hierarchy chained in one buffer, the
   Common Views associated messages, rules, permissions, streams, named
   properties, messages, restrictions.
3. Strictness: an unknown ROP, a handle index beyond the table, a truncated
   request fail the whole Execute (RopFormatError, ecRpcFormat); an empty
   slot gives ecNullObject and the following ROPs still run."""
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mbx_rops as M  # noqa: E402

SHARED = os.environ.get("RP_SHARED_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "shared")
VEC = os.path.join(SHARED, "vectors", "mapihttp")
NONE = 0xFFFFFFFF
DN1 = "/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1"
DN2 = "/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user2"


def vec(name):
    with open(os.path.join(VEC, name + ".bin"), "rb") as f:
        return f.read()


def have_vectors():
    ok = os.path.exists(os.path.join(VEC, "INDEX.md"))
    if not ok:
        sys.stderr.write("note: %s absent, vector tests skipped\n" % VEC)
    return ok


def w(s):
    return s.encode("utf-16-le") + b"\0\0"


def session(user="user1", dn=DN1):
    return {"user": user, "dn": dn, "mailbox": "mailbox-user1.json"}


# Request builders (MS-OXCROPS layouts), for the behaviour tests.
def logon(out=0, dn=DN1, flags=0x01, open_flags=0x0100040C):
    e = dn.encode() + b"\0"
    return struct.pack("<BBBBIIH", 0xFE, 0, out, flags, open_flags, 0, len(e)) + e


def open_folder(i, o, fid):
    return struct.pack("<BBBBQB", 0x02, 0, i, o, fid, 0)


def table(rop, i, o, flags):
    return struct.pack("<BBBBB", rop, 0, i, o, flags)


def set_columns(i, tags):
    return struct.pack("<BBBBH", 0x12, 0, i, 0, len(tags)) + b"".join(
        struct.pack("<I", t) for t in tags)


def query_rows(i, n=100):
    return struct.pack("<BBBBBH", 0x15, 0, i, 0, 1, n)


def props_specific(i, tags):
    return struct.pack("<BBBHHH", 0x07, 0, i, 0, 1, len(tags)) + b"".join(
        struct.pack("<I", t) for t in tags)


class Resp:
    """Splits a response by the requests sent (same layouts as mbx_rop_resp)."""

    def __init__(self, data):
        self.r = M.Reader(data)

    def head(self, rop):
        rid, idx, rv = struct.unpack("<BBI", self.r.take(6, "head"))
        assert rid == rop, "response 0x%02X, expected 0x%02X" % (rid, rop)
        return idx, rv

    def rows(self, cols):
        origin = self.r.u8("origin")
        out = []
        for _ in range(self.r.u16("count")):
            out.append(self.row(cols))
        return origin, out

    def row(self, cols):
        flagged = self.r.u8("row flag")
        vals = {}
        for c in cols:
            t = c & 0xFFFF
            if t == 0:
                t = self.r.u16("type")
            flag = self.r.u8("flag") if flagged else 0
            if flag == 0x0A:
                vals[c] = M.PErr(self.r.u32("err"))
            elif flag == 0:
                vals[c] = M.dec_value(self.r, t)
        return vals

    def done(self):
        assert self.r.o == self.r.end, "%d bytes left" % (self.r.end - self.r.o)


class Vectors(unittest.TestCase):
    def setUp(self):
        if not have_vectors():
            self.skipTest("vectors absent")

    def test_request_vectors_parse_exactly(self):
        # Every request vector of a ROP this server serves is consumed to its
        # last byte (no object behind the handles: ecNullObject answers).
        names = ["ms-oxctabl/4.1.1-GetContentsTable-req", "ms-oxctabl/4.2.1-SetColumns-req",
                 "ms-oxctabl/4.3.1-SortTable-req", "ms-oxctabl/4.4.1-QueryRows-req",
                 "ms-oxctabl/4.5.1.1-SortTable-req", "ms-oxctabl/4.5.3.1-QueryRows-req",
                 "ms-oxcprpt/4.1.1-GetPropertyIdsFromNames-req",
                 "ms-oxcprpt/4.2.1-SetProperties-req",
                 "ms-oxcprpt/4.3.1-GetPropertiesSpecific-req",
                 "ms-oxcprpt/4.4.1.1-OpenStream-req", "ms-oxcprpt/4.4.3.1-CommitStream-req",
                 "ms-oxcfold/4.1.1-CreateFolder-req", "ms-oxcfold/4.2.1-DeleteFolder-req",
                 "ms-oxcfold/4.3.1-DeleteMessages-req", "ms-oxcfold/4.7.1-GetHierarchyTable-req",
                 "ms-oxcmsg/4.1.1-CreateMessage-req", "ms-oxcmsg/4.8.1-SaveChangesMessage-req",
                 "ms-oxorule/4.1.1-ModifyRules-req", "ms-oxorule/4.2.1-GetRulesTable-req",
                 "ms-oxorule/4.2.1-SetColumns-req", "ms-oxorule/4.2.1-QueryRows-req",
                 "ms-oxorule/4.3.1-ModifyRules-req", "ms-oxcperm/4.1-OpenStream-req",
                 "ms-oxcperm/4.1-GetPermissionsTable-req", "ms-oxcperm/4.1-SetColumns-req",
                 "ms-oxcperm/4.1-QueryRows-req", "ms-oxcperm/4.1-ModifyPermissions-req",
                 "ms-oxcperm/4.2-ModifyPermissions-req", "ms-oxcperm/4.3-ModifyPermissions-req"]
        for n in names:
            b = vec(n)
            out, handles = M.execute(session(), b, [NONE] * 4)
            self.assertEqual(out[0], b[0], n)
            self.assertEqual(struct.unpack_from("<I", out, 2)[0], M.EC_NULL_OBJECT, n)
            self.assertEqual(len(out), 6, n)
            # One byte short: the Execute fails.
            with self.assertRaises(M.RopFormatError, msg=n):
                M.execute(session(), b[:-1], [NONE] * 4)

    def test_rows_equal_response_vectors(self):
        # PERM 4.1 QueryRows: Default (0, "", 0x800, no entry ID) and Anonymous.
        cols = [0x66710014, 0x6672001F, 0x66730003, 0x0FFF0102]
        rows = [{cols[0]: 0, cols[1]: "", cols[2]: 0x800, cols[3]: b""},
                {cols[0]: -1, cols[1]: "Anonymous", cols[2]: 0, cols[3]: b""}]
        v = vec("ms-oxcperm/4.1-QueryRows-rsp")
        self.assertEqual(v[9:], b"".join(M.enc_row(cols, r) for r in rows))
        # RULE 4.2.2: rule 0x56F83F0100000001, provider data, "Project X".
        cols = [0x66740014, 0x66840102, 0x6682001F]
        pd = bytes.fromhex("01000000010000005555555" "5d144e340")
        row = {cols[0]: 0x56F83F0100000001, cols[1]: pd, cols[2]: "Project X"}
        self.assertEqual(vec("ms-oxorule/4.2.2-QueryRows-rsp")[9:], M.enc_row(cols, row))
        # PRPT 4.3.2: flagged row, FALSE, 0x62, the third property missing.
        tags = [0x863E000B, 0x863F0003, 0x65E20102]
        self.assertEqual(vec("ms-oxcprpt/4.3.2-GetPropertiesSpecific-rsp")[6:],
                         M.enc_row(tags, {tags[0]: False, tags[1]: 0x62}))

    def test_restrictions_names_values_roundtrip(self):
        v = vec("ms-oxcfold/4.9.2-GetSearchCriteria-rsp")
        n = struct.unpack_from("<H", v, 6)[0]
        r = M.Reader(v, 8, 8 + n)
        x = M.dec_restriction(r)
        self.assertEqual(r.o, 8 + n)
        self.assertEqual(M.enc_restriction(x), v[8:8 + n])
        self.assertEqual(x[0], "and")
        self.assertEqual(x[1][0][1][0], ("not", ("content", 0x00010002, 0x001A001F,
                                                 (0x001A001F, "IPM.Appointment"))))
        v = vec("ms-oxcfold/4.8.1-SetSearchCriteria-req")
        n = struct.unpack_from("<H", v, 3)[0]
        self.assertEqual(M.enc_restriction(M.dec_restriction(M.Reader(v, 5, 5 + n))),
                         v[5:5 + n])
        # PRPT 4.1.1: two string names in PSETID_Appointment.
        v = vec("ms-oxcprpt/4.1.1-GetPropertyIdsFromNames-req")
        r = M.Reader(v, 6)
        names = [M.dec_propname(r), M.dec_propname(r)]
        self.assertEqual([n[1] for n in names], ["TestProp1", "TestProp2"])
        self.assertEqual(b"".join(M.enc_propname(n) for n in names), v[6:])
        # RULE 4.1.1: the eight tagged values of the new rule, incl. the
        # condition (PtypRestriction) and the actions (PtypRuleAction).
        v = vec("ms-oxorule/4.1.1-ModifyRules-req")
        r = M.Reader(v, 7)
        vals = M.read_proplist(r)
        self.assertEqual(r.o, len(v))
        self.assertEqual(len(vals), 8)
        self.assertEqual(dict(vals)[0x6682001F], "Project X")
        self.assertEqual(dict(vals)[0x66760003], 10)
        cond = M.dec_restriction(M.Reader(dict(vals)[0x667900FD]))
        self.assertEqual(cond[:3], ("content", 0x00010001, 0x0037001F))
        self.assertEqual(struct.pack("<H", len(vals)) +
                         b"".join(M.enc_tagged(t, x) for t, x in vals), v[7:])


class Behaviour(unittest.TestCase):
    def run_rops(self, s, buf, nhandles, handles=None):
        return M.execute(s, buf, handles or [NONE] * nhandles)

    def logged_on(self, s=None):
        s = s or session()
        out, h = self.run_rops(s, logon(), 1)
        self.assertEqual(struct.unpack_from("<I", out, 2)[0], 0)
        return s, h[0], out

    def test_logon_own_other_refused(self):
        s, h, out = self.logged_on()
        self.assertEqual(len(out), 6 + 160)
        mb = M.mailbox_at("mailbox-user1.json")
        fids = struct.unpack_from("<13Q", out, 7)
        self.assertEqual(fids[4], mb.wire_id(mb.roles["inbox"]))
        self.assertEqual(out[6 + 105], 0x07)  # ResponseFlags: owner, send-as
        # Full Access: user2 opens user1's mailbox, without OwnerRight's SendAs.
        out, _ = self.run_rops(session("user2", DN2), logon(dn=DN1), 1)
        self.assertEqual(struct.unpack_from("<I", out, 2)[0], 0)
        self.assertEqual(out[6 + 105], 0x03)
        # No rights, admin privilege, missing per-MDB flag, public logon.
        for s2, req, ec in ((session("user3", "/o=x/cn=user3"), logon(dn=DN1), M.EC_LOGIN_PERM),
                            (session(), logon(open_flags=0x0100040D), M.EC_LOGIN_PERM),
                            (session(), logon(open_flags=0x0000040C), M.EC_INVALID_PARAM),
                            (session(), logon(flags=0, open_flags=0x01000402),
                             M.EC_NOT_SUPPORTED)):
            out, hh = self.run_rops(s2, req, 1)
            self.assertEqual(struct.unpack_from("<I", out, 2)[0], ec)
            self.assertEqual(len(out), 6)
            self.assertEqual(hh[0], NONE)

    def test_hierarchy_in_one_buffer(self):
        s, h, out = self.logged_on()
        root = struct.unpack_from("<Q", out, 7)[0]
        cols = [0x67480014, 0x67490014, 0x3001001F, 0x3613001F, 0x36020003, 0x36170003,
                0x0FFF0102]
        buf = open_folder(0, 1, root) + table(0x04, 1, 2, 0x04 | 0x40) + set_columns(2, cols) + \
            query_rows(2, 1000) + struct.pack("<BBB", 0x01, 0, 2)
        out, hh = self.run_rops(s, buf, 3, [h, NONE, NONE])
        self.assertNotEqual(hh[1], NONE)
        self.assertNotEqual(hh[2], NONE)
        r = Resp(out)
        self.assertEqual(r.head(0x02), (1, 0))
        r.r.take(2, "HasRules IsGhosted")
        self.assertEqual(r.head(0x04), (2, 0))
        count = r.r.u32("RowCount")
        self.assertEqual(r.head(0x12), (2, 0))
        r.r.u8("status")
        self.assertEqual(r.head(0x15), (2, 0))
        origin, rows = r.rows(cols)
        r.done()
        self.assertEqual(origin, 2)
        self.assertEqual(len(rows), count)
        names = [x[0x3001001F] for x in rows]
        self.assertIn("Archive 2025", names)
        self.assertLess(names.index("Projects"), names.index("Archive 2025"))
        inbox = rows[names.index("Inbox")]
        self.assertEqual(inbox[0x36020003], 2)
        self.assertEqual(inbox[0x36170003], 1)
        self.assertEqual(len(inbox[0x0FFF0102]), 46)

    def test_common_views_associated(self):
        s, h, out = self.logged_on()
        cv = struct.unpack_from("<Q", out, 7 + 8 * 8)[0]
        # The fixture's first named property (PSETID_Common, LID 0x8501) has
        # ID 0x8000 (test_streams_props_named_messages checks the mapping).
        cols = [0x001A001F, 0x0037001F, 0x684C0102, 0x68520003, 0x80000003]
        buf = open_folder(0, 1, cv) + table(0x05, 1, 2, 0x02 | 0x40) + set_columns(2, cols) + \
            query_rows(2)
        out, _ = self.run_rops(s, buf, 3, [h, NONE, NONE])
        r = Resp(out)
        r.head(0x02)
        r.r.take(2, "folder")
        r.head(0x05)
        self.assertEqual(r.r.u32("RowCount"), 3)
        r.head(0x12)
        r.r.u8("status")
        r.head(0x15)
        _, rows = r.rows(cols)
        r.done()
        self.assertEqual({x[0x001A001F] for x in rows}, {"IPM.Microsoft.WunderBar.Link"})
        self.assertEqual(sorted(x[0x0037001F] for x in rows), ["Calendar", "Inbox", "Projects"])
        self.assertTrue(all(x[0x80000003] == 15 for x in rows))

    def inbox(self):
        s, h, out = self.logged_on()
        return s, h, struct.unpack_from("<Q", out, 7 + 4 * 8)[0]

    def test_rules_and_permissions(self):
        s, h, inbox = self.inbox()
        cols = [0x66740014, 0x6682001F, 0x667900FD, 0x668000FE]
        buf = open_folder(0, 1, inbox) + table(0x3F, 1, 2, 0x40) + set_columns(2, cols) + \
            query_rows(2)
        out, hh = self.run_rops(s, buf, 3, [h, NONE, NONE])
        r = Resp(out)
        r.head(0x02)
        r.r.take(2, "folder")
        r.head(0x3F)
        r.head(0x12)
        r.r.u8("status")
        r.head(0x15)
        _, rows = r.rows(cols)
        r.done()
        self.assertEqual(rows[0][0x6682001F], "Project X")
        cond = M.dec_restriction(M.Reader(rows[0][0x667900FD]))
        self.assertEqual(cond[0], "content")
        # Remove it (RuleDataFlags 0x04 with its PidTagRuleId), then the table is empty.
        rid = rows[0][0x66740014]
        mod = struct.pack("<BBBBHBH", 0x41, 0, 1, 0, 1, 0x04, 1) + M.enc_tagged(0x66740014, rid)
        out, _ = self.run_rops(s, mod + table(0x3F, 1, 2, 0x40) + set_columns(2, cols) +
                               query_rows(2), 3, [h, hh[1], NONE])
        r = Resp(out)
        self.assertEqual(r.head(0x41), (1, 0))
        r.head(0x3F)
        r.head(0x12)
        r.r.u8("status")
        r.head(0x15)
        self.assertEqual(r.rows(cols)[1], [])
        # Permissions: Default, the delegate, Anonymous.
        pcols = [0x66710014, 0x6672001F, 0x66730003, 0x0FFF0102]
        out, _ = self.run_rops(s, table(0x3E, 1, 2, 0) + set_columns(2, pcols) + query_rows(2),
                               3, [h, hh[1], NONE])
        r = Resp(out)
        r.head(0x3E)
        r.head(0x12)
        r.r.u8("status")
        r.head(0x15)
        _, rows = r.rows(pcols)
        self.assertEqual([x[0x6672001F] for x in rows], ["", "Delegate One", "Anonymous"])
        self.assertEqual(rows[1][0x66730003], 0x1FB)
        M.MAILBOXES.clear()  # undo the changes for the other tests

    def test_streams_props_named_messages(self):
        s, h, inbox = self.inbox()
        mb = M.mailbox_at("mailbox-user1.json")
        # CreateMessage (FAI) + SetProperties + SaveChangesMessage, one buffer.
        vals = [(0x001A001F, "IPM.Configuration.Test"), (0x0037001F, "cfg")]
        body = struct.pack("<H", len(vals)) + b"".join(M.enc_tagged(*v) for v in vals)
        buf = struct.pack("<BBBBHQB", 0x06, 0, 0, 1, 0x0FFF, inbox, 1) + \
            struct.pack("<BBBH", 0x0A, 0, 1, len(body)) + body + \
            struct.pack("<BBBBB", 0x0C, 0, 1, 1, 0x0A)
        out, hh = self.run_rops(s, buf, 2, [h, NONE])
        r = Resp(out)
        r.head(0x06)
        self.assertEqual(r.r.u8("HasMessageId"), 0)
        r.head(0x0A)
        self.assertEqual(r.r.u16("problems"), 0)
        self.assertEqual(r.head(0x0C), (1, 0))
        self.assertEqual(r.r.u8("in"), 1)
        mid = r.r.u64("mid")
        r.done()
        c = mb.counter_of(mid)
        self.assertTrue(mb.messages[c]["assoc"])
        self.assertEqual(mb.messages[c]["props"][0x0037001F], "cfg")
        # A stream on the message's body: write, commit, read back.
        data = b"hello stream"
        buf = struct.pack("<BBBBIB", 0x2B, 0, 1, 2, 0x10000102, 2) + \
            struct.pack("<BBBH", 0x2D, 0, 2, len(data)) + data + \
            struct.pack("<BBB", 0x5D, 0, 2) + \
            struct.pack("<BBBBIB", 0x2B, 0, 1, 3, 0x10000102, 0) + \
            struct.pack("<BBBH", 0x2C, 0, 3, 100)
        out, _ = self.run_rops(s, buf, 4, [h, hh[1], NONE, NONE])
        r = Resp(out)
        r.head(0x2B)
        self.assertEqual(r.r.u32("size"), 0)
        r.head(0x2D)
        self.assertEqual(r.r.u16("written"), len(data))
        r.head(0x5D)
        r.head(0x2B)
        self.assertEqual(r.r.u32("size"), len(data))
        r.head(0x2C)
        self.assertEqual(bytes(r.r.take(r.r.u16("n"), "data")), data)
        r.done()
        # Named properties: a known LID, a new string name created, names back.
        guid = M.parse_guid("00062008-0000-0000-C000-000000000046")
        names = [(guid, 0x8501), (guid, "reprofile-test")]
        req = struct.pack("<BBBBH", 0x56, 0, 0, 0x02, 2) + b"".join(M.enc_propname(n) for n in names)
        out, _ = self.run_rops(s, req + struct.pack("<BBBHH", 0x55, 0, 0, 1, 0x8000), 1, [h])
        r = Resp(out)
        r.head(0x56)
        self.assertEqual(r.r.u16("PropertyIdCount"), 2)
        ids = [r.r.u16("id"), r.r.u16("id")]
        self.assertEqual(ids[0], 0x8000)
        self.assertGreater(ids[1], 0x8000)
        r.head(0x55)
        self.assertEqual(r.r.u16("n"), 1)
        self.assertEqual(M.dec_propname(r.r), names[0])
        r.done()
        M.MAILBOXES.clear()

    def test_restrict_sort_find_ltid(self):
        s, h, inbox = self.inbox()
        cols = [0x0037001F, 0x0E080003]
        res = M.enc_restriction(("content", 0x00010001, 0x0037001F, (0x0037001F, "project")))
        buf = open_folder(0, 1, inbox) + table(0x05, 1, 2, 0x40) + set_columns(2, cols) + \
            struct.pack("<BBBBH", 0x14, 0, 2, 0, len(res)) + res + query_rows(2)
        out, hh = self.run_rops(s, buf, 3, [h, NONE, NONE])
        r = Resp(out)
        for rop in (0x02, 0x05, 0x12, 0x14):
            r.head(rop)
            r.r.take({0x02: 2, 0x05: 4, 0x12: 1, 0x14: 1}[rop], "body")
        r.head(0x15)
        self.assertEqual([x[0x0037001F] for x in r.rows(cols)[1]], ["Project X kickoff"])
        # Clear it, sort by size descending, FindRow for "Welcome".
        find = M.enc_restriction(("property", 4, 0x0037001F, (0x0037001F, "Welcome")))
        buf = struct.pack("<BBBBH", 0x14, 0, 2, 0, 0) + \
            struct.pack("<BBBBHHH", 0x13, 0, 2, 0, 1, 0, 0) + struct.pack("<HHB", 3, 0x0E08, 1) + \
            query_rows(2) + struct.pack("<BBBBH", 0x4F, 0, 2, 0, len(find)) + find + \
            struct.pack("<BH", 0, 0)
        out, _ = self.run_rops(s, buf, 3, hh)
        r = Resp(out)
        r.head(0x14)
        r.r.u8("s")
        r.head(0x13)
        r.r.u8("s")
        r.head(0x15)
        self.assertEqual([x[0x0E080003] for x in r.rows(cols)[1]], [2048, 1024])
        r.head(0x4F)
        self.assertEqual(r.r.take(2, "flags"), b"\x00\x01")
        self.assertEqual(r.row(cols)[0x0037001F], "Welcome")
        r.done()
        # LongTermIdFromId and back; GetReceiveFolder gives the Inbox.
        buf = struct.pack("<BBBQ", 0x43, 0, 0, inbox) + struct.pack("<BBB", 0x27, 0, 0) + b"\0"
        out, _ = self.run_rops(s, buf, 1, [h])
        r = Resp(out)
        r.head(0x43)
        ltid = bytes(r.r.take(24, "ltid"))
        r.head(0x27)
        self.assertEqual(r.r.u64("fid"), inbox)
        out, _ = self.run_rops(s, struct.pack("<BBB", 0x44, 0, 0) + ltid, 1, [h])
        self.assertEqual(struct.unpack_from("<Q", out, 6)[0], inbox)

    def test_folders_create_delete_props(self):
        s, h, inbox = self.inbox()
        buf = open_folder(0, 1, inbox) + struct.pack("<BBBBBBBB", 0x1C, 0, 1, 2, 1, 1, 0, 0) + \
            w("New One") + w("") + props_specific(2, [0x3001001F, 0x36020003, 0x12340003])
        out, hh = self.run_rops(s, buf, 3, [h, NONE, NONE])
        r = Resp(out)
        r.head(0x02)
        r.r.take(2, "f")
        r.head(0x1C)
        fid = r.r.u64("fid")
        self.assertEqual(r.r.u8("existing"), 0)
        r.head(0x07)
        row = r.row([0x3001001F, 0x36020003, 0x12340003])
        self.assertEqual(row[0x3001001F], "New One")
        self.assertEqual(row[0x12340003], M.PErr(M.EC_NOT_FOUND))
        r.done()
        # The same name again without OpenExisting: ecDuplicateName.
        out, _ = self.run_rops(s, struct.pack("<BBBBBBBB", 0x1C, 0, 1, 2, 1, 1, 0, 0) +
                               w("new one") + w(""), 3, hh)
        self.assertEqual(struct.unpack_from("<I", out, 2)[0], M.EC_DUPLICATE_NAME)
        out, _ = self.run_rops(s, struct.pack("<BBBBQ", 0x1D, 0, 1, 0x15, fid), 3, hh)
        self.assertEqual(out, struct.pack("<BBIB", 0x1D, 1, 0, 0))
        M.MAILBOXES.clear()


class Strictness(unittest.TestCase):
    def test_format_errors_fail_the_execute(self):
        for buf, nh in ((b"\x77\x00\x00", 1),  # unknown ROP
                        (struct.pack("<BBBB", 0x09, 0, 5, 0), 1),  # index beyond the table
                        (logon()[:-3], 1),  # truncated
                        (struct.pack("<BBBBQ", 0x02, 0, 0, 1, 5), 2),  # OpenFolder cut short
                        (b"\x01\x00", 1)):  # RopRelease without its index
            with self.assertRaises(M.RopFormatError):
                M.execute(session(), buf, [NONE] * nh)
        self.assertEqual(M.RopFormatError.ec, 0x4B6)
        # mapi_server.py turns a ValueError from execute() into ecRpcFormat.
        self.assertTrue(issubclass(M.RopFormatError, ValueError))

    def test_read_only_mailbox_refuses_and_records_writes(self):
        # A fixture with "read_only": every write ROP gets ecAccessDenied and
        # is recorded in the session (mapi_server logs it); reads still work.
        import json
        import tempfile
        with open(os.path.join(M.FIXTURES, "mailbox-user1.json")) as f:
            j = json.load(f)
        j["read_only"] = True
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(j, f)
        try:
            s = {"user": "user1", "dn": DN1, "mailbox": f.name}
            out, h = M.execute(s, logon(), [NONE])
            inbox = struct.unpack_from("<Q", out, 7 + 4 * 8)[0]
            vals = [(0x001A001F, "IPM.Configuration.Test")]
            body = struct.pack("<H", 1) + M.enc_tagged(*vals[0])
            guid = M.parse_guid("00062008-0000-0000-C000-000000000046")
            buf = struct.pack("<BBBBHQB", 0x06, 0, 0, 1, 0x0FFF, inbox, 1) + \
                struct.pack("<BBBH", 0x0A, 0, 0, len(body)) + body + \
                struct.pack("<BBBBH", 0x56, 0, 0, 0x02, 1) + M.enc_propname((guid, "x")) + \
                struct.pack("<BBBBH", 0x56, 0, 0, 0x00, 1) + M.enc_propname((guid, 0x8501))
            out, _ = M.execute(s, buf, [h[0], NONE])
            r = Resp(out)
            self.assertEqual(r.head(0x06), (1, M.EC_ACCESS_DENIED))
            self.assertEqual(r.head(0x0A), (0, M.EC_ACCESS_DENIED))
            self.assertEqual(r.head(0x56), (0, M.EC_ACCESS_DENIED))
            self.assertEqual(r.head(0x56), (0, 0))
            self.assertEqual(r.r.u16("n"), 1)
            self.assertGreaterEqual(r.r.u16("id"), 0x8000)
            r.done()
            self.assertEqual(s["writes_refused"], ["0x06", "0x0A", "0x56"])
        finally:
            os.unlink(f.name)
            M.MAILBOXES.clear()

    def test_null_object_then_next_rop_runs(self):
        buf = struct.pack("<BBB", 0x09, 0, 0) + logon(out=1)
        out, h = M.execute(session(), buf, [NONE, NONE])
        self.assertEqual(out[:6], struct.pack("<BBI", 0x09, 0, M.EC_NULL_OBJECT))
        self.assertEqual(struct.unpack_from("<I", out, 8)[0], 0)
        self.assertNotEqual(h[1], NONE)

    def test_invalid_fields_refused(self):
        s = session()
        out, h = M.execute(s, logon(), [NONE])
        for req in (struct.pack("<BBBBB", 0x04, 0, 0, 1, 0x01),  # unknown TableFlags bit
                    struct.pack("<BBBBBH", 0x15, 0, 0, 3, 1, 1)):  # Advance|NoAdvance
            out, _ = M.execute(s, req, [h[0], NONE])
            self.assertIn(struct.unpack_from("<I", out, 2)[0],
                          (M.EC_INVALID_PARAM, M.EC_NOT_SUPPORTED))


if __name__ == "__main__":
    unittest.main(verbosity=1)
