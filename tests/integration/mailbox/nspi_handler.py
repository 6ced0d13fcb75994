#!/usr/bin/env python3
"""NSPI address book of the loopback MAPI/HTTP test server (standard library only).

The server (mapi_server.py) calls, for every POST to /mapi/nspi/:

    body_out = nspi_handler.handle(session, request_type, body_in)

session is a dict the server keeps per session context (cookie). The address
book is session["addressbook"] (an AddressBook from nspi_handler.load(path),
or a path), else the file named by the environment variable MAPI_ADDRESSBOOK
(so one server process serves one organisation); fixtures are
tests/fixtures/mailbox/addressbook*.json, format in docs/mailbox.md
("The test server's address book").
The handler keeps its own state under session["nspi"]. It raises
ProtocolError(code, text) for what MS-OXCMAPIHTTP answers with a non-zero
X-ResponseCode (the server then sends that code and the text as the HTML
body): 5 unknown X-RequestType, 10 no session context (a call before Bind or
after Unbind), 12 a body that does not parse (cut, trailing bytes, bad
lengths). Everything NSPI itself refuses is a normal response with an
ErrorCode (MS-OXNSPI 2.2.2). Requests a real server would accept but that
break a MUST of the spec for clients (non-zero Reserved fields, ...) are
appended to session["nspi"].violations, which the tests assert empty.

Layouts: MS-OXCMAPIHTTP 2.2.5 and 2.2.1 (../shared/reference/
mapi-http-protocol.md section 5): HasValue 0xFF before string, binary and
multi-valued values and before every element of a multi-valued string or
binary (as gromox writes them), 4-byte counts, STAT of 36 bytes.
"""
import json
import os
import struct
import sys
import uuid

# Property types (MS-OXCDATA 2.11.1)
PT_UNSPECIFIED, PT_NULL, PT_SHORT, PT_LONG = 0x0000, 0x0001, 0x0002, 0x0003
PT_ERROR, PT_BOOLEAN, PT_I8 = 0x000A, 0x000B, 0x0014
PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_CLSID, PT_BINARY = 0x001E, 0x001F, 0x0040, 0x0048, 0x0102
MV_FLAG = 0x1000

# Tags (MS-OXPROPS)
PR_ENTRYID = 0x0FFF0102
PR_INSTANCE_KEY = 0x0FF60102
PR_OBJECT_TYPE = 0x0FFE0003
PR_DISPLAY_NAME = 0x3001001F
PR_ADDRTYPE = 0x3002001F
PR_EMAIL_ADDRESS = 0x3003001F
PR_DEPTH = 0x30050003
PR_CONTAINER_FLAGS = 0x36000003
PR_DISPLAY_TYPE = 0x39000003
PR_SMTP_ADDRESS = 0x39FE001F
PR_ACCOUNT = 0x3A00001F
PR_EMS_AB_PROXY_ADDRESSES = 0x800F101F
PR_EMS_AB_CONTAINERID = 0xFFFD0003

# ErrorCode (MS-OXNSPI 2.2.2)
SUCCESS = 0x00000000
UNBIND_SUCCESS = 0x00000001
ERRORS_RETURNED = 0x00040380
NOT_FOUND = 0x8004010F
TOO_COMPLEX = 0x80040117
TABLE_TOO_BIG = 0x80040403
INVALID_PARAMETER = 0x80070057

MID_BEGINNING_OF_TABLE, MID_CURRENT, MID_END_OF_TABLE = 0, 1, 2
MID_UNRESOLVED, MID_AMBIGUOUS, MID_RESOLVED = 0, 1, 2
CP_WINUNICODE = 0x04B0
FEPHID = 0x2
SPECIAL_TEMPLATES, SPECIAL_UNICODE = 0x2, 0x4
MAX_COUNT = 100000  # HTTP15 2.2.1.8, 2.2.5.12
TABLE_VERSION = 1
FIRST_MID = 0x10000
# MS-OXNSPI 2.3.8.3: ProviderUID of permanent entry IDs
GUID_NSPI = bytes.fromhex("dca740c8c042101ab4b908002b2fe182")

DEFAULT_COLUMNS = [PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_SMTP_ADDRESS, PR_DISPLAY_TYPE,
                   PR_OBJECT_TYPE, PR_ENTRYID]


# Run inside mapi_server.py, a ProtocolError is also that server's Refuse
# (same code and text), so the server answers it with the X-ResponseCode.
_REFUSE = getattr(sys.modules.get("__main__"), "Refuse", None)
_BASE = _REFUSE if isinstance(_REFUSE, type) and issubclass(_REFUSE, Exception) else Exception


class ProtocolError(_BASE):
    """A request MS-OXCMAPIHTTP refuses with X-ResponseCode code."""

    def __init__(self, code, text):
        Exception.__init__(self, text)
        self.code = code
        self.text = text


class NspiFailure(Exception):
    """NSPI refuses the call with ErrorCode code (a normal response)."""

    def __init__(self, code):
        super().__init__("NSPI error 0x%08X" % code)
        self.code = code


# ---- the address book -------------------------------------------------------

class Entry:
    def __init__(self, d, mid):
        self.mid = mid
        self.dn = d["dn"]
        self.display_name = d["display_name"]
        self.account = d.get("account", "")
        self.smtp = d.get("smtp")
        self.display_type = int(d.get("display_type", 0))
        self.containers = list(d.get("containers", []))
        self.proxies = list(d.get("proxies", []))
        self.members = list(d.get("members", []))


class AddressBook:
    def __init__(self, d, name):
        self.name = name
        self.server_guid = uuid.UUID(d["server_guid"]).bytes_le
        self.containers = d.get("containers", [])
        self.entries = [Entry(e, FIRST_MID + i) for i, e in enumerate(d["entries"])]
        self.by_mid = {e.mid: e for e in self.entries}
        seen = set()
        for e in self.entries:
            if e.dn.lower() in seen:
                raise ValueError("%s: DN %s twice" % (name, e.dn))
            seen.add(e.dn.lower())

    def table(self, container_id):
        """The rows of a container, sorted by display name (STAT SortType 0)."""
        if container_id == 0:
            rows = list(self.entries)
        else:
            if not any(c["id"] == container_id for c in self.containers):
                raise NspiFailure(INVALID_PARAMETER)
            rows = [e for e in self.entries if container_id in e.containers]
        return sorted(rows, key=lambda e: e.display_name.lower())

    def by_dn(self, dn):
        """DNToMId: legacyExchangeDN first, then X500 proxies (how Exchange
        finds recipients whose DN changed, e.g. after a migration)."""
        low = dn.lower()
        for e in self.entries:
            if e.dn.lower() == low:
                return e
        for e in self.entries:
            for p in e.proxies:
                if p[:5].lower() == "x500:" and p[5:].lower() == low:
                    return e
        return None

    def anr(self, name):
        """Ambiguous name resolution (MS-OXNSPI 3.1.4.7; the algorithm is the
        server's choice). Exact matches on DN, SMTP address, any proxy address
        with or without its prefix, account and display name; if none, prefix
        matches on display name, account and the words of the display name."""
        low = name.strip().lower()
        if not low:
            return []
        if low.startswith("smtp:") or low.startswith("x500:") or low.startswith("ex:"):
            low = low.split(":", 1)[1]
        exact = []
        for e in self.entries:
            keys = {e.dn.lower(), e.account.lower(), e.display_name.lower()}
            if e.smtp:
                keys.add(e.smtp.lower())
            for p in e.proxies:
                keys.add(p.lower())
                keys.add(p.split(":", 1)[1].lower())
            if low in keys:
                exact.append(e)
        if exact:
            return exact
        out = []
        for e in self.entries:
            words = [e.display_name.lower(), e.account.lower()] + e.display_name.lower().split()
            if any(w.startswith(low) for w in words):
                out.append(e)
        return out


_LOADED = {}


def load(path):
    """The address book of a fixture file (loaded once per process)."""
    if path not in _LOADED:
        with open(path, encoding="utf-8") as f:
            _LOADED[path] = AddressBook(json.load(f), path)
    return _LOADED[path]


def _addressbook(session):
    ab = session.get("addressbook") or os.environ.get("MAPI_ADDRESSBOOK")
    if not ab:
        raise ProtocolError(16, "no address book configured (MAPI_ADDRESSBOOK)")
    return load(ab) if isinstance(ab, str) else ab


# ---- wire reading ------------------------------------------------------------

class Reader:
    def __init__(self, data, what):
        self.data = data
        self.off = 0
        self.what = what

    def need(self, n, field):
        if n > len(self.data) - self.off:
            raise ProtocolError(12, "%s: %s cut at offset %d (%d bytes needed, %d left)"
                                % (self.what, field, self.off, n, len(self.data) - self.off))

    def take(self, n, field):
        self.need(n, field)
        b = self.data[self.off:self.off + n]
        self.off += n
        return b

    def u8(self, field):
        return self.take(1, field)[0]

    def u16(self, field):
        return struct.unpack("<H", self.take(2, field))[0]

    def u32(self, field):
        return struct.unpack("<I", self.take(4, field))[0]

    def has(self, field):
        return self.u8(field) != 0

    def cstr(self, field):
        end = self.data.find(b"\0", self.off)
        if end < 0:
            raise ProtocolError(12, "%s: %s at offset %d has no NUL" % (self.what, field, self.off))
        s = self.data[self.off:end]
        self.off = end + 1
        return s.decode("cp1252", errors="replace")

    def wstr(self, field):
        i = self.off
        while True:
            self.need(i + 2 - self.off, field)
            if self.data[i] == 0 and self.data[i + 1] == 0:
                break
            i += 2
        s = self.data[self.off:i]
        self.off = i + 2
        return s.decode("utf-16-le", errors="surrogatepass")

    def count(self, field, cap=MAX_COUNT, size=1):
        n = self.u32(field)
        if n > cap:
            raise ProtocolError(12, "%s: %s %d over %d" % (self.what, field, n, cap))
        self.need(n * size, field)
        return n

    def u32s(self, field):
        n = self.count(field, size=4)
        return [self.u32(field) for _ in range(n)]

    def stat(self, field="State"):
        raw = self.take(36, field)
        return list(struct.unpack("<IIIiIIIII", raw))

    def aux_and_end(self):
        n = self.u32("AuxiliaryBufferSize")
        self.take(n, "AuxiliaryBuffer")
        if self.off != len(self.data):
            raise ProtocolError(12, "%s: %d bytes after the auxiliary buffer"
                                % (self.what, len(self.data) - self.off))

    def value(self, ptype, field):
        """An address-book property value (HTTP15 2.2.1.1)."""
        if ptype in (PT_STRING8, PT_UNICODE, PT_BINARY) or ptype & MV_FLAG:
            hv = self.u8(field + " HasValue")
            if hv not in (0, 0xFF):
                raise ProtocolError(12, "%s: %s HasValue 0x%02X" % (self.what, field, hv))
            if hv == 0:
                return None
        if ptype & MV_FLAG:
            base = ptype & ~MV_FLAG
            n = self.count(field)
            out = []
            for _ in range(n):
                if base in (PT_STRING8, PT_UNICODE, PT_BINARY):
                    if self.u8(field + " element HasValue") == 0:
                        out.append(None)
                        continue
                out.append(self._var(base, field) if base in (PT_STRING8, PT_UNICODE, PT_BINARY)
                           else self.value(base, field))
            return out
        if ptype in (PT_STRING8, PT_UNICODE, PT_BINARY):
            return self._var(ptype, field)
        if ptype == PT_SHORT:
            return self.u16(field)
        if ptype in (PT_LONG, PT_ERROR):
            return self.u32(field)
        if ptype == PT_BOOLEAN:
            return self.u8(field)
        if ptype in (PT_I8, PT_SYSTIME):
            return struct.unpack("<Q", self.take(8, field))[0]
        if ptype == PT_CLSID:
            return self.take(16, field)
        raise NspiFailure(TOO_COMPLEX)

    def _var(self, ptype, field):
        if ptype == PT_STRING8:
            return self.cstr(field)
        if ptype == PT_UNICODE:
            return self.wstr(field)
        n = self.count(field)
        return self.take(n, field)

    def restriction(self, depth=0):
        """NSPI restriction (MS-OXCDATA 2.12, address-book form)."""
        if depth > 32:
            raise NspiFailure(TOO_COMPLEX)
        rt = self.u8("RestrictType")
        if rt in (0, 1):
            n = self.count("restriction count", size=1)
            return ("and" if rt == 0 else "or", [self.restriction(depth + 1) for _ in range(n)])
        if rt == 2:
            return ("not", self.restriction(depth + 1))
        if rt == 3:
            fuzzy = self.u32("FuzzyLevel")
            tag = self.u32("PropertyTag")
            vtag = self.u32("TaggedValue tag")
            return ("content", fuzzy, tag, self.value(vtag & 0xFFFF, "restriction value"))
        if rt == 4:
            relop = self.u8("RelOp")
            tag = self.u32("PropertyTag")
            vtag = self.u32("TaggedValue tag")
            return ("property", relop, tag, self.value(vtag & 0xFFFF, "restriction value"))
        if rt == 8:
            return ("exist", self.u32("PropertyTag"))
        raise NspiFailure(TOO_COMPLEX)


# ---- wire writing --------------------------------------------------------------

def u32(v):
    return struct.pack("<I", v)


def stat_bytes(st):
    return struct.pack("<IIIiIIIII", *st)


def _str8(s, codepage):
    enc = "cp1252" if codepage != CP_WINUNICODE else "utf-8"
    return s.encode(enc, errors="replace") + b"\0"


def value_bytes(ptype, v, codepage):
    """Encodes a present value of ptype (HasValue included where it applies)."""
    if ptype & MV_FLAG:
        base = ptype & ~MV_FLAG
        out = b"\xff" + u32(len(v))
        for x in v:
            # string and binary elements carry their own HasValue (as gromox
            # writes them)
            out += value_bytes(base, x, codepage)
        return out
    if ptype == PT_UNICODE:
        return b"\xff" + v.encode("utf-16-le") + b"\0\0"
    if ptype == PT_STRING8:
        return b"\xff" + _str8(v, codepage)
    if ptype == PT_BINARY:
        return b"\xff" + u32(len(v)) + v
    if ptype in (PT_LONG, PT_ERROR):
        return u32(v)
    if ptype == PT_SHORT:
        return struct.pack("<H", v)
    if ptype == PT_BOOLEAN:
        return bytes([1 if v else 0])
    if ptype in (PT_I8, PT_SYSTIME):
        return struct.pack("<Q", v)
    raise ValueError("type 0x%04X" % ptype)


def permanent_entryid(dn, display_type):
    return b"\0\0\0\0" + GUID_NSPI + u32(1) + u32(display_type) + dn.encode("ascii") + b"\0"


def ephemeral_entryid(server_guid, display_type, mid):
    return b"\x87\0\0\0" + server_guid + u32(1) + u32(display_type) + u32(mid)


# ---- properties ------------------------------------------------------------------

def entry_props(ab, e, flags):
    """Natural-typed values of an entry: {tag with its natural type: value}."""
    p = {
        PR_DISPLAY_NAME: e.display_name,
        PR_ADDRTYPE: "EX",
        PR_EMAIL_ADDRESS: e.dn,
        PR_DISPLAY_TYPE: e.display_type,
        PR_OBJECT_TYPE: 8 if e.display_type == 1 else 6,  # MAPI_DISTLIST / MAPI_MAILUSER
        PR_INSTANCE_KEY: u32(e.mid),
        PR_ENTRYID: (ephemeral_entryid(ab.server_guid, e.display_type, e.mid) if flags & FEPHID
                     else permanent_entryid(e.dn, e.display_type)),
    }
    if e.account:
        p[PR_ACCOUNT] = e.account
    if e.smtp:
        p[PR_SMTP_ADDRESS] = e.smtp
    if e.proxies:
        p[PR_EMS_AB_PROXY_ADDRESSES] = list(e.proxies)
    return p


def lookup(props, tag):
    """(type, value) for a requested tag, converting string widths; None if
    the object has no such property."""
    pid, ptype = tag >> 16, tag & 0xFFFF
    for t, v in props.items():
        if t >> 16 != pid:
            continue
        nt = t & 0xFFFF
        if ptype == PT_UNSPECIFIED or ptype == nt:
            return nt, v
        if (ptype & ~MV_FLAG) in (PT_STRING8, PT_UNICODE) and (nt & ~MV_FLAG) in (PT_STRING8, PT_UNICODE) \
                and (ptype & MV_FLAG) == (nt & MV_FLAG):
            return ptype, v
        return None
    return None


def row_bytes(props, columns, codepage):
    """AddressBookPropertyRow: standard when every column has a value, else
    flagged (HTTP15 2.2.1.7)."""
    vals = [lookup(props, c) if props is not None else None for c in columns]
    out = bytearray()
    if all(v is not None for v in vals):
        out.append(0)
        for c, (t, v) in zip(columns, vals):
            if c & 0xFFFF == PT_UNSPECIFIED:
                out += struct.pack("<H", t)
            out += value_bytes(t, v, codepage)
        return bytes(out)
    out.append(1)
    for c, tv in zip(columns, vals):
        unspec = c & 0xFFFF == PT_UNSPECIFIED
        if tv is None:
            if unspec:
                out += struct.pack("<H", PT_ERROR)
            out += b"\x0a" + u32(NOT_FOUND)
        else:
            t, v = tv
            if unspec:
                out += struct.pack("<H", t)
            out += b"\x00" + value_bytes(t, v, codepage)
    return bytes(out)


def value_list_bytes(props, tags, codepage):
    """AddressBookPropertyValueList; missing properties as PT_ERROR values.
    Returns (bytes, all_found)."""
    out = bytearray(u32(len(tags)))
    ok = True
    for tag in tags:
        tv = lookup(props, tag)
        if tv is None:
            ok = False
            out += u32((tag & 0xFFFF0000) | PT_ERROR) + u32(NOT_FOUND)
        else:
            t, v = tv
            out += u32((tag & 0xFFFF0000) | t) + value_bytes(t, v, codepage)
    return bytes(out), ok


# ---- restrictions -------------------------------------------------------------------

def matches(res, props):
    kind = res[0]
    if kind == "and":
        return all(matches(r, props) for r in res[1])
    if kind == "or":
        return any(matches(r, props) for r in res[1])
    if kind == "not":
        return not matches(res[1], props)
    if kind == "exist":
        return lookup(props, res[1]) is not None
    _, op, tag, want = res
    tv = lookup(props, tag)
    if tv is None or want is None:
        return False
    have = tv[1]
    haves = have if isinstance(have, list) else [have]
    if not all(isinstance(h, str) for h in haves) or not isinstance(want, str):
        if kind == "property" and op == 4:
            return want in haves
        raise NspiFailure(TOO_COMPLEX)
    if kind == "property":
        if op == 4:
            return any(h.lower() == want.lower() for h in haves)  # RELOP_EQ
        if op == 5:
            return all(h.lower() != want.lower() for h in haves)  # RELOP_NE
        raise NspiFailure(TOO_COMPLEX)
    level, fl = op & 0xFFFF, op >> 16
    for h in haves:
        a, b = (h.lower(), want.lower()) if fl & 1 else (h, want)
        if (level == 0 and a == b) or (level == 1 and b in a) or (level == 2 and a.startswith(b)):
            return True
    return False


# ---- request types --------------------------------------------------------------------

class State:
    def __init__(self):
        self.bound = False
        self.violations = []
        self.calls = []


def _reserved(r, st, field):
    if r.u32(field) != 0:
        st.violations.append("%s: %s not 0" % (r.what, field))


def _opt_stat(r, field="HasState"):
    return r.stat() if r.has(field) else None


def _opt_tags(r, field):
    return r.u32s("PropertyTags") if r.has(field) else None


def _cols_rows(ab, columns, entries, codepage):
    if columns is None:
        columns = DEFAULT_COLUMNS
    out = b"\xff" + u32(len(columns)) + b"".join(u32(c) for c in columns)
    out += u32(len(entries))
    for e in entries:
        out += row_bytes(None if e is None else entry_props(ab, e, 0), columns, codepage)
    return out


def do_bind(ab, st, r):
    flags = r.u32("Flags")
    stat = _opt_stat(r)
    r.aux_and_end()
    if flags & ~0x20:
        st.violations.append("Bind: Flags 0x%08X" % flags)
    if flags & 0x20:
        return u32(SUCCESS) + u32(0x80040111) + b"\0" * 16 + u32(0)  # ecLogonFailed
    if stat is not None and stat[6] == CP_WINUNICODE:
        st.violations.append("Bind: STAT CodePage CP_WINUNICODE")
    st.bound = True
    return u32(SUCCESS) + u32(SUCCESS) + ab.server_guid + u32(0)


def do_unbind(ab, st, r):
    _reserved(r, st, "Reserved")
    r.aux_and_end()
    st.bound = False
    return u32(SUCCESS) + u32(UNBIND_SUCCESS) + u32(0)


def do_dntomid(ab, st, r):
    _reserved(r, st, "Reserved")
    names = None
    if r.has("HasNames"):
        n = r.count("NameCount")
        names = [r.cstr("Names") for _ in range(n)]
    r.aux_and_end()
    if names is None:
        return u32(SUCCESS) + u32(SUCCESS) + b"\0" + u32(0)
    mids = []
    for dn in names:
        e = ab.by_dn(dn)
        mids.append(e.mid if e else 0)
    return u32(SUCCESS) + u32(SUCCESS) + b"\xff" + u32(len(mids)) + b"".join(u32(m) for m in mids) + u32(0)


def do_getprops(ab, st, r):
    flags = r.u32("Flags")
    stat = _opt_stat(r)
    tags = _opt_tags(r, "HasPropertyTags")
    r.aux_and_end()
    if stat is None:
        raise NspiFailure(INVALID_PARAMETER)
    codepage = stat[6]
    e = ab.by_mid.get(stat[2])
    if e is None:
        return u32(SUCCESS) + u32(NOT_FOUND) + u32(codepage) + b"\0" + u32(0)
    props = entry_props(ab, e, flags)
    if tags is None:
        tags = sorted(props)
    body, ok = value_list_bytes(props, tags, codepage)
    return (u32(SUCCESS) + u32(SUCCESS if ok else ERRORS_RETURNED) + u32(codepage) + b"\xff"
            + body + u32(0))


def do_queryrows(ab, st, r):
    flags = r.u32("Flags")
    stat = _opt_stat(r)
    explicit = r.u32s("ExplicitTable")
    count = r.u32("RowCount")
    columns = _opt_tags(r, "HasColumns")
    r.aux_and_end()
    if stat is None:
        raise NspiFailure(INVALID_PARAMETER)
    if flags & ~0x3:
        st.violations.append("QueryRows: Flags 0x%08X" % flags)
    codepage = stat[6]
    if explicit:
        entries = [ab.by_mid.get(m) for m in explicit][:count]
        return (u32(SUCCESS) + u32(SUCCESS) + b"\xff" + stat_bytes(stat)
                + _cols_rows(ab, columns, entries, codepage) + u32(0))
    table = ab.table(stat[1])
    cur = stat[2]
    if cur == MID_BEGINNING_OF_TABLE:
        pos = 0
    elif cur == MID_END_OF_TABLE:
        pos = len(table)
    else:
        pos = next((i for i, e in enumerate(table) if e.mid == cur), None)
        if pos is None:
            raise NspiFailure(NOT_FOUND)
    pos = max(0, min(len(table), pos + stat[3]))
    rows = table[pos:pos + count]
    nxt = pos + len(rows)
    stat = list(stat)
    stat[2] = table[nxt].mid if nxt < len(table) else MID_END_OF_TABLE
    stat[3] = 0
    stat[4] = nxt
    stat[5] = len(table)
    return (u32(SUCCESS) + u32(SUCCESS) + b"\xff" + stat_bytes(stat)
            + _cols_rows(ab, columns, rows, codepage) + u32(0))


def do_resolvenames(ab, st, r):
    _reserved(r, st, "Reserved")
    stat = _opt_stat(r)
    tags = _opt_tags(r, "HasPropertyTags")
    names = None
    if r.has("HasNames"):
        n = r.count("NameCount")
        names = [r.wstr("Names") for _ in range(n)]
    r.aux_and_end()
    if stat is None:
        raise NspiFailure(INVALID_PARAMETER)
    codepage = stat[6]
    if names is None:
        return u32(SUCCESS) + u32(SUCCESS) + u32(codepage) + b"\0" + b"\0" + u32(0)
    mids, rows = [], []
    for name in names:
        found = ab.anr(name)
        if len(found) == 1:
            mids.append(MID_RESOLVED)
            rows.append(found[0])
        else:
            mids.append(MID_AMBIGUOUS if found else MID_UNRESOLVED)
    out = u32(SUCCESS) + u32(SUCCESS) + u32(codepage)
    out += b"\xff" + u32(len(mids)) + b"".join(u32(m) for m in mids)
    out += _cols_rows(ab, tags, rows, codepage)
    return out + u32(0)


def do_getmatches(ab, st, r):
    _reserved(r, st, "Reserved1")
    stat = _opt_stat(r)
    inmids = r.u32s("MinimalIds") if r.has("HasMinimalIds") else None
    _reserved(r, st, "InterfaceOptionFlags")
    flt = r.restriction() if r.has("HasFilter") else None
    propname = None
    if r.has("HasPropertyName"):
        propname = (r.take(16, "PropertyName GUID"), r.u32("PropertyName id"))
    count = r.u32("RowCount")
    columns = _opt_tags(r, "HasColumns")
    r.aux_and_end()
    if stat is None or (flt is None and propname is None):
        raise NspiFailure(INVALID_PARAMETER)
    if propname is not None:
        raise NspiFailure(TOO_COMPLEX)  # link tables are not modelled
    codepage = stat[6]
    pool = [ab.by_mid[m] for m in inmids if m in ab.by_mid] if inmids else ab.table(stat[1])
    found = [e for e in pool if matches(flt, entry_props(ab, e, 0))]
    if len(found) > count:
        raise NspiFailure(TABLE_TOO_BIG)
    out = u32(SUCCESS) + u32(SUCCESS) + b"\xff" + stat_bytes(stat)
    out += b"\xff" + u32(len(found)) + b"".join(u32(e.mid) for e in found)
    if columns is None:
        out += b"\0"
    else:
        out += _cols_rows(ab, columns, found, codepage)
    return out + u32(0)


def do_getspecialtable(ab, st, r):
    flags = r.u32("Flags")
    stat = _opt_stat(r)
    version = r.u32("Version") if r.has("HasVersion") else None
    r.aux_and_end()
    if flags & ~(SPECIAL_TEMPLATES | SPECIAL_UNICODE):
        raise NspiFailure(INVALID_PARAMETER)
    codepage = stat[6] if stat else 0x04E4
    out = u32(SUCCESS) + u32(SUCCESS) + u32(codepage) + b"\xff" + u32(TABLE_VERSION)
    if flags & SPECIAL_TEMPLATES or version == TABLE_VERSION:
        return out + b"\0" + u32(0)  # no templates here; the client's copy is current
    name_type = PT_UNICODE if flags & SPECIAL_UNICODE else PT_STRING8
    out += b"\xff" + u32(len(ab.containers))
    for c in ab.containers:
        props = {
            (PR_DISPLAY_NAME & 0xFFFF0000) | name_type: c["name"],
            PR_EMS_AB_CONTAINERID: c["id"],
            PR_DEPTH: c.get("depth", 0),
            PR_CONTAINER_FLAGS: c.get("flags", 0),
            PR_ENTRYID: permanent_entryid("/guid=%032X" % c["id"], 0x100),
        }
        body, _ = value_list_bytes(props, list(props), codepage)
        out += body
    return out + u32(0)


HANDLERS = {
    "bind": do_bind,
    "unbind": do_unbind,
    "dntomid": do_dntomid,
    "getprops": do_getprops,
    "queryrows": do_queryrows,
    "resolvenames": do_resolvenames,
    "getmatches": do_getmatches,
    "getspecialtable": do_getspecialtable,
}

# The error form of each response: StatusCode 0, ErrorCode, then every
# optional part absent (HTTP15 2.2.5.x.2).
ERROR_TAIL = {
    "bind": b"\0" * 16,
    "unbind": b"",
    "dntomid": b"\0",
    "getprops": u32(0) + b"\0",
    "queryrows": b"\0\0",
    "resolvenames": u32(0) + b"\0\0",
    "getmatches": b"\0\0\0",
    "getspecialtable": u32(0) + b"\0\0",
}


def handle(session, request_type, body):
    """Answers one NSPI request; see the module docstring."""
    kind = request_type.lower()  # gromox compares case-insensitively
    if kind not in HANDLERS:
        raise ProtocolError(5, "X-RequestType %s is not an NSPI request this server knows"
                            % request_type)
    st = session.setdefault("nspi", State())
    ab = _addressbook(session)
    st.calls.append(request_type)
    if kind != "bind" and not st.bound:
        raise ProtocolError(10, "%s without a bound session context" % request_type)
    r = Reader(bytes(body), "NSPI %s request" % request_type)
    try:
        return HANDLERS[kind](ab, st, r)
    except NspiFailure as f:
        return u32(SUCCESS) + u32(f.code) + ERROR_TAIL[kind] + u32(0)
