"""Server side of the ROPs ([MS-OXCROPS]) for the loopback MAPI/HTTP server,
over an in-memory mailbox loaded from a JSON fixture (README.md: the format).

    execute(session, rop_buffer, handles) -> (response ROPs, handles)

rop_buffer is the ROP input buffer without its RopSize, handles the server
object handle table that followed it; the answer is the ROP responses
(without RopSize) and the table with the new handles filled in.

Strict where Exchange is strict: a ROP this server does not know, an
InputHandleIndex beyond the handle table, a truncated or overlong request
cannot be parsed, so the whole Execute fails: RopFormatError (ErrorCode
ecRpcFormat 0x4B6, MS-OXCRPC 3.1.4.2; the caller answers with it). A slot
without an object gives that ROP ecNullObject 0x4B9 and the next ROPs run
(MS-OXCROPS 3.2.5.1). Nothing here is guessed: a request field out of its
documented range is refused with ecInvalidParam.

Standard library only. Encodings as mbx_prop.h describes them; the module's
self-test (test_mbx_rops.py) checks them against the spec vectors."""
import glob
import json
import os
import struct
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mbx_ropcodec import *  # noqa: E402,F401,F403  (the codec, re-exported)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "fixtures", "mailbox"))


# ---------------------------------------------------------------------------
# The mailbox
# ---------------------------------------------------------------------------

# RopLogon FolderIds order (MS-OXCSTOR 2.2.1.1.3).
LOGON_ROLES = ["root", "deferred_action", "spooler_queue", "ipm_subtree", "inbox", "outbox",
               "sent_items", "deleted_items", "common_views", "schedule", "finder", "views",
               "shortcuts"]
# Roles published as entry IDs on the root and the Inbox (MS-OXOSFLD 2.2).
ROLE_EID_TAGS = {"calendar": 0x36D00102, "contacts": 0x36D10102, "journal": 0x36D20102,
                 "notes": 0x36D30102, "tasks": 0x36D40102, "reminders": 0x36D50102,
                 "drafts": 0x36D70102}
# PidTagAdditionalRenEntryIds entries, in order (MS-OXOSFLD 2.2.4).
REN_ROLES = ["conflicts", "sync_issues", "local_failures", "server_failures", "junk"]

PID_FOLDER_ID, PID_PARENT_FOLDER_ID, PID_MID = 0x67480014, 0x67490014, 0x674A0014
PID_INST_ID, PID_INSTANCE_NUM, PID_ENTRY_ID = 0x674D0014, 0x674E0003, 0x0FFF0102
PID_PARENT_ENTRY_ID, PID_DISPLAY_NAME, PID_CONTAINER_CLASS = 0x0E090102, 0x3001001F, 0x3613001F
PID_CONTENT_COUNT, PID_ASSOC_COUNT, PID_SUBFOLDERS = 0x36020003, 0x36170003, 0x360A000B
PID_DEPTH, PID_FOLDER_TYPE, PID_MESSAGE_CLASS = 0x30050003, 0x36010003, 0x001A001F
PID_SUBJECT, PID_RECORD_KEY, PID_COMMENT = 0x0037001F, 0x0FF90102, 0x3004001F
PID_MESSAGE_FLAGS, PID_ASSOCIATED, PID_LONG_TERM_ENTRY_ID = 0x0E070003, 0x67AA000B, 0x66700102
PID_RULE_ID, PID_RULE_SEQUENCE, PID_RULE_STATE = 0x66740014, 0x66760003, 0x66770003
PID_MEMBER_ID, PID_MEMBER_NAME, PID_MEMBER_RIGHTS = 0x66710014, 0x6672001F, 0x66730003


def parse_guid(s):
    return uuid.UUID(s).bytes_le


def json_value(tag, v, named):
    """A fixture value -> the Python form of its type (README.md)."""
    t = tag & 0xFFFF
    if t & MV_FLAG:
        return [json_value(tag & ~MV_FLAG, e, named) for e in v]
    if t in (PT_BINARY, PT_SVREID, PT_SRESTRICT, PT_ACTIONS):
        return bytes.fromhex(v)
    if t == PT_CLSID:
        return parse_guid(v)
    if t == PT_BOOLEAN:
        return bool(v)
    if t in (PT_FLOAT, PT_DOUBLE, PT_APPTIME):
        return float(v)
    if t in (PT_UNICODE, PT_STRING8):
        return str(v)
    if t == PT_ERROR:
        return PErr(v)
    return int(v)


class Mailbox:
    """A mailbox fixture in memory. Changes made by ROPs stay for the life of
    the server (every session on the same file shares them)."""

    def __init__(self, path):
        with open(path) as f:
            j = json.load(f)
        self.path = path
        self.dn = j["dn"]
        self.full_access = [u.lower() for u in j.get("full_access", [])]
        # A mailbox the client must only read (the source mailbox of update):
        # every write ROP on it is refused and recorded (writes_refused).
        self.read_only = bool(j.get("read_only", False))
        self.mailbox_guid = parse_guid(j["mailbox_guid"])
        self.replid = j.get("replid", 1)
        self.replguid = parse_guid(j["replguid"])
        self.logon_time = bytes(j.get("logon_time", [0, 0, 12, 4, 3, 12, 0xEA, 0x07]))
        self.named = []  # index i -> (guid, lid|name); id = 0x8000 + i
        for n in j.get("named_properties", []):
            self.named.append((parse_guid(n["guid"]), n["lid"] if "lid" in n else n["name"]))
        self.counter = j.get("next_counter", 0x10000)
        self.folders = {}  # counter -> dict
        self.messages = {}  # counter -> dict(folder, assoc, props)
        self.roles = {}
        for f in j["folders"]:
            self._add_folder(f)
        if "root" not in self.roles:
            raise ValueError("%s: no folder with role root" % path)

    def props_of(self, jprops):
        out = {}
        for k, v in (jprops or {}).items():
            tag = self.tag_of(k)
            out[tag] = json_value(tag, v, self)
        return out

    def tag_of(self, key):
        """"0x3001001F", or "named:<guid>:<lid|name>:<type>"."""
        if key.startswith("named:"):
            _, g, n, t = key.split(":", 3)
            name = (parse_guid(g), int(n, 0) if n[:1].isdigit() else n)
            return (self.named_id(name, True) << 16) | int(t, 16)
        return int(key, 16)

    def named_id(self, name, create):
        if name in self.named:
            return 0x8000 + self.named.index(name)
        if not create:
            return 0
        self.named.append(name)
        return 0x8000 + len(self.named) - 1

    def _add_folder(self, f, parent=None):
        fid = f["id"]
        folder = {"id": fid, "name": f.get("name", ""), "parent": f.get("parent", parent),
                  "role": f.get("role"), "props": self.props_of(f.get("props")),
                  "class": f.get("class"), "rules": [], "perms": [],
                  "hidden": f.get("hidden", False)}
        self.folders[fid] = folder
        if folder["role"]:
            self.roles[folder["role"]] = fid
        for i, rule in enumerate(f.get("rules", [])):
            props = self.props_of(rule)
            props.setdefault(PID_RULE_ID, 0x10000 + len(folder["rules"]) + i)
            folder["rules"].append(props)
        for p in f.get("permissions", []):
            folder["perms"].append(self.props_of(p))
        for assoc, key in ((False, "messages"), (True, "associated")):
            for m in f.get(key, []):
                mid = m.get("id") or self.next_counter()
                self.messages[mid] = {"folder": fid, "assoc": assoc,
                                      "props": self.props_of(m.get("props"))}
        for c in f.get("children", []):
            self._add_folder(c, fid)

    def next_counter(self):
        self.counter += 1
        return self.counter

    def wire_id(self, counter):
        return struct.unpack("<Q", struct.pack("<H", self.replid) + counter.to_bytes(6, "big"))[0]

    def counter_of(self, wire):
        b = struct.pack("<Q", wire & 0xFFFFFFFFFFFFFFFF)
        if struct.unpack("<H", b[:2])[0] != self.replid:
            return None
        return int.from_bytes(b[2:], "big")

    def folder_eid(self, counter):
        """Folder entry ID, MS-OXCDATA 2.2.4.1 (46 bytes)."""
        return (b"\0\0\0\0" + self.mailbox_guid + b"\x01\x00" + self.replguid +
                counter.to_bytes(6, "big") + b"\0\0")

    def message_eid(self, fcounter, mcounter):
        return (b"\0\0\0\0" + self.mailbox_guid + b"\x07\x00" + self.replguid +
                fcounter.to_bytes(6, "big") + b"\0\0" + self.replguid +
                mcounter.to_bytes(6, "big") + b"\0\0")

    def ltid(self, counter):
        return self.replguid + counter.to_bytes(6, "big") + b"\0\0"

    def children(self, fid):
        return sorted((f for f in self.folders.values() if f["parent"] == fid),
                      key=lambda f: f["name"].lower())

    def folder_props(self, f, depth=0):
        p = dict(f["props"])
        fid = f["id"]
        msgs = [m for m in self.messages.values() if m["folder"] == fid]
        p.update({PID_FOLDER_ID: self.wire_id(fid), PID_DISPLAY_NAME: f["name"],
                  PID_ENTRY_ID: self.folder_eid(fid), PID_RECORD_KEY: self.folder_eid(fid),
                  PID_CONTENT_COUNT: sum(1 for m in msgs if not m["assoc"]),
                  PID_ASSOC_COUNT: sum(1 for m in msgs if m["assoc"]),
                  PID_SUBFOLDERS: bool(self.children(fid)), PID_DEPTH: depth,
                  PID_FOLDER_TYPE: 1, 0x10F4000B: f["hidden"],
                  PID_LONG_TERM_ENTRY_ID: self.ltid(fid)})
        if f["class"]:
            p[PID_CONTAINER_CLASS] = f["class"]
        if f["parent"] is not None:
            p[PID_PARENT_FOLDER_ID] = self.wire_id(f["parent"])
            p[PID_PARENT_ENTRY_ID] = self.folder_eid(f["parent"])
        if fid in (self.roles.get("root"), self.roles.get("inbox")):
            for role, tag in ROLE_EID_TAGS.items():
                if role in self.roles:
                    p[tag] = self.folder_eid(self.roles[role])
            ren = [self.folder_eid(self.roles[r]) if r in self.roles else b"" for r in REN_ROLES]
            if any(ren):
                p[0x36D81102] = ren
        return p

    def message_props(self, mid):
        m = self.messages[mid]
        p = dict(m["props"])
        p.update({PID_MID: self.wire_id(mid), PID_INST_ID: self.wire_id(mid),
                  PID_INSTANCE_NUM: 0, PID_FOLDER_ID: self.wire_id(m["folder"]),
                  PID_ENTRY_ID: self.message_eid(m["folder"], mid),
                  PID_ASSOCIATED: m["assoc"]})
        p.setdefault(PID_MESSAGE_FLAGS, 0x40 if m["assoc"] else 0)
        return p


MAILBOXES = {}  # path -> Mailbox


def mailbox_at(path):
    if not os.path.isabs(path) and not os.path.exists(path):
        path = os.path.join(FIXTURES, path)
    path = os.path.abspath(path)
    if path not in MAILBOXES:
        MAILBOXES[path] = Mailbox(path)
    return MAILBOXES[path]


def mailbox_by_dn(dn):
    for mb in list(MAILBOXES.values()):
        if mb.dn.lower() == dn.lower():
            return mb
    for p in sorted(glob.glob(os.path.join(FIXTURES, "*.json"))):
        try:
            mb = mailbox_at(p)
        except (KeyError, ValueError, json.JSONDecodeError):
            continue
        if mb.dn.lower() == dn.lower():
            return mb
    return None


# ---------------------------------------------------------------------------
# Server objects and the ROPs
# ---------------------------------------------------------------------------

class Obj:
    def __init__(self, kind, mb, **kw):
        self.kind = kind  # logon folder message table stream
        self.mb = mb
        self.__dict__.update(kw)


class Table:
    def __init__(self, mb, rows, kind):
        self.kind = "table"
        self.table = kind
        self.mb = mb
        self.all = rows  # list of property dicts
        self.cols = None
        self.restriction = None
        self.sort = []
        self.pos = 0

    def rows(self):
        r = [p for p in self.all if self.restriction is None or matches(self.restriction, p)]
        for tag, order in reversed(self.sort):
            r.sort(key=lambda p: _sort_key(p, tag), reverse=bool(order & 1))
        return r


def _sort_key(p, tag):
    v = lookup(p, tag)
    if v is None or isinstance(v[1], PErr):
        return (0, "")
    x = v[1]
    return (1, x.lower() if isinstance(x, str) else x)


def new_handle(session, obj):
    st = session["rop"]
    st["next"] += 1
    st["objects"][st["next"]] = obj
    return st["next"]


def state(session):
    if "rop" not in session:
        session["rop"] = {"next": 0x1000, "objects": {}}
    return session["rop"]


def read_tags(r, what="PropertyTagCount"):
    return [r.u32("PropertyTag") for _ in range(r.u16(what))]


def read_proplist(r):
    return [dec_tagged(r) for _ in range(r.u16("PropertyValueCount"))]


ROPS = {}


def rop(rid, creates=False):
    def deco(fn):
        ROPS[rid] = (fn, creates)
        return fn
    return deco


def need(obj, *kinds):
    if obj is None or obj.kind == "none":
        raise RopError(EC_NULL_OBJECT)
    if obj.kind not in kinds:
        raise RopError(EC_NOT_SUPPORTED)
    return obj


@rop(0xFE, creates=True)
def rop_logon(ctx, r, _obj):
    flags = r.u8("LogonFlags")
    open_flags = r.u32("OpenFlags")
    r.u32("StoreState")
    size = r.u16("EssdnSize")
    ess = bytes(r.take(size, "Essdn"))
    if size and ess[-1:] != b"\0":
        raise RopFormatError("Essdn without terminator")
    dn = ess[:-1].decode("ascii", "replace") if size else ""
    if not flags & 0x01 or open_flags & 0x2:
        raise RopError(EC_NOT_SUPPORTED)  # no public folders here
    if open_flags & 0x1 or not open_flags & 0x01000000:
        # Admin privilege is not granted; a private logon without
        # USE_PER_MDB_REPLID_MAPPING is refused (gromox, reference 4.6).
        raise RopError(EC_LOGIN_PERM if open_flags & 0x1 else EC_INVALID_PARAM)
    s = ctx["session"]
    own = dn.lower() == s.get("dn", "").lower()
    mb = mailbox_at(s["mailbox"]) if own else mailbox_by_dn(dn)
    if mb is None:
        raise RopError(EC_LOGIN_PERM)
    rflags = 0x01
    if own:
        rflags |= 0x06  # OwnerRight | SendAsRight
    elif s.get("user", "").lower() not in mb.full_access:
        raise RopError(EC_LOGIN_PERM)
    else:
        rflags |= 0x02
    ctx["logon"] = mb
    fids = b"".join(struct.pack("<Q", mb.wire_id(mb.roles[x]) if x in mb.roles else 0)
                    for x in LOGON_ROLES)
    body = (bytes([flags]) + fids + bytes([rflags]) + mb.mailbox_guid +
            struct.pack("<H", mb.replid) + mb.replguid + mb.logon_time + struct.pack("<QI", 0, 0))
    return Obj("logon", mb), body


def folder_of(obj, wire):
    mb = obj.mb
    c = mb.counter_of(wire)
    if c is None or c not in mb.folders:
        raise RopError(EC_NOT_FOUND)
    return c


@rop(0x27)
def rop_get_receive_folder(ctx, r, obj):
    cls = bytes(r.cstr("MessageClass"))
    need(obj, "logon")
    mb = obj.mb
    if "inbox" not in mb.roles:
        raise RopError(EC_NOT_FOUND)
    # Only the default receive folder is configured: every class maps to it,
    # and the explicit class that matched is "" (MS-OXCSTOR 3.2.5.2).
    del cls
    return None, struct.pack("<Q", mb.wire_id(mb.roles["inbox"])) + b"\0"


@rop(0x43)
def rop_ltid_from_id(ctx, r, obj):
    wire = r.u64("ObjectId")
    need(obj, "logon")
    c = obj.mb.counter_of(wire)
    if c is None:
        raise RopError(EC_NOT_FOUND)
    return None, obj.mb.ltid(c)


@rop(0x44)
def rop_id_from_ltid(ctx, r, obj):
    lt = bytes(r.take(24, "LongTermId"))
    need(obj, "logon")
    if lt[:16] != obj.mb.replguid or lt[22:] != b"\0\0":
        raise RopError(EC_NOT_FOUND)
    return None, struct.pack("<Q", obj.mb.wire_id(int.from_bytes(lt[16:22], "big")))


@rop(0x02, creates=True)
def rop_open_folder(ctx, r, obj):
    wire = r.u64("FolderId")
    mode = r.u8("OpenModeFlags")
    if mode & ~0x04:
        raise RopError(EC_INVALID_PARAM)
    need(obj, "logon", "folder")
    c = folder_of(obj, wire)
    has_rules = bool(obj.mb.folders[c]["rules"])
    return Obj("folder", obj.mb, fid=c), bytes([1 if has_rules else 0, 0])


@rop(0x1C, creates=True)
def rop_create_folder(ctx, r, obj):
    ftype = r.u8("FolderType")
    unicode = r.u8("UseUnicodeStrings")
    existing = r.u8("OpenExisting")
    r.u8("Reserved")
    if unicode:
        name, comment = r.wstr("DisplayName"), r.wstr("Comment")
    else:
        name = bytes(r.cstr("DisplayName")).decode("cp1252")
        comment = bytes(r.cstr("Comment")).decode("cp1252")
    if ftype not in (1, 2) or unicode > 1 or existing > 1:
        raise RopError(EC_INVALID_PARAM)
    folder = need(obj, "folder")
    mb = obj.mb
    for f in mb.children(folder.fid):
        if f["name"].lower() == name.lower():
            if not existing:
                raise RopError(EC_DUPLICATE_NAME)
            tail = b"\x01" + bytes([1 if f["rules"] else 0, 0])
            return Obj("folder", mb, fid=f["id"]), struct.pack("<Q", mb.wire_id(f["id"])) + tail
    c = mb.next_counter()
    mb.folders[c] = {"id": c, "name": name, "parent": folder.fid, "role": None,
                     "props": {PID_COMMENT: comment} if comment else {}, "class": None,
                     "rules": [], "perms": [], "hidden": False}
    return Obj("folder", mb, fid=c), struct.pack("<Q", mb.wire_id(c)) + b"\x00"


@rop(0x1D)
def rop_delete_folder(ctx, r, obj):
    flags = r.u8("DeleteFolderFlags")
    wire = r.u64("FolderId")
    if flags & ~0x15:
        raise RopError(EC_INVALID_PARAM)
    folder = need(obj, "folder")
    mb = obj.mb
    c = folder_of(obj, wire)
    if mb.folders[c]["parent"] != folder.fid or mb.folders[c]["role"]:
        raise RopError(EC_ACCESS_DENIED)
    if (mb.children(c) and not flags & 0x04) or \
            (any(m["folder"] == c for m in mb.messages.values()) and not flags & 0x01):
        return None, b"\x01"  # PartialCompletion
    todo = [c]
    while todo:
        x = todo.pop()
        todo += [f["id"] for f in mb.children(x)]
        for mid in [k for k, m in mb.messages.items() if m["folder"] == x]:
            del mb.messages[mid]
        del mb.folders[x]
    return None, b"\x00"


def subtree(mb, fid, depth):
    for f in mb.children(fid):
        yield f, depth
        yield from subtree(mb, f["id"], depth + 1)


@rop(0x04, creates=True)
def rop_get_hierarchy_table(ctx, r, obj):
    flags = r.u8("TableFlags")
    if flags & ~0x7C:
        raise RopError(EC_INVALID_PARAM)
    folder = need(obj, "folder")
    mb = obj.mb
    if flags & 0x04:
        rows = [mb.folder_props(f, d) for f, d in subtree(mb, folder.fid, 1)]
    else:
        rows = [mb.folder_props(f, 1) for f in mb.children(folder.fid)]
    t = Table(mb, rows, "hierarchy")
    return t, struct.pack("<I", len(rows))


@rop(0x05, creates=True)
def rop_get_contents_table(ctx, r, obj):
    flags = r.u8("TableFlags")
    if flags & ~0xFE:
        raise RopError(EC_INVALID_PARAM)
    folder = need(obj, "folder")
    mb = obj.mb
    assoc = bool(flags & 0x02)
    rows = [mb.message_props(k) for k, m in sorted(mb.messages.items())
            if m["folder"] == folder.fid and m["assoc"] == assoc]
    return Table(mb, rows, "contents"), struct.pack("<I", len(rows))


@rop(0x1E)
def rop_delete_messages(ctx, r, obj):
    r.u8("WantAsynchronous")
    r.u8("NotifyNonRead")
    mids = [r.u64("MessageId") for _ in range(r.u16("MessageIdCount"))]
    folder = need(obj, "folder")
    mb = obj.mb
    partial = 0
    for w in mids:
        c = mb.counter_of(w)
        if c in mb.messages and mb.messages[c]["folder"] == folder.fid:
            del mb.messages[c]
        else:
            partial = 1
    return None, bytes([partial])


@rop(0x12)
def rop_set_columns(ctx, r, obj):
    flags = r.u8("SetColumnsFlags")
    tags = read_tags(r)
    if flags > 1 or not tags:
        raise RopError(EC_INVALID_PARAM)
    t = need(obj, "table")
    t.cols = tags
    return None, b"\x00"  # TBLSTAT_COMPLETE


@rop(0x13)
def rop_sort_table(ctx, r, obj):
    r.u8("SortTableFlags")
    n, cat, exp = r.u16("SortOrderCount"), r.u16("CategoryCount"), r.u16("ExpandedCount")
    sorts = []
    for _ in range(n):
        ptype, pid, order = struct.unpack("<HHB", r.take(5, "SortOrder"))
        sorts.append(((pid << 16) | ptype, order))
    t = need(obj, "table")
    if cat or exp > cat or any(o not in (0, 1) for _, o in sorts):
        raise RopError(EC_TOO_COMPLEX)  # categorised views are not served here
    t.sort = sorts
    t.pos = 0
    return None, b"\x00"


@rop(0x14)
def rop_restrict(ctx, r, obj):
    r.u8("RestrictFlags")
    size = r.u16("RestrictionDataSize")
    sub = r.sub(size, "RestrictionData")
    res = dec_restriction(sub) if size else None
    if sub.o != sub.end:
        raise RopFormatError("RestrictionDataSize %d, restriction shorter" % size)
    t = need(obj, "table")
    t.restriction = res
    t.pos = 0
    return None, b"\x00"


@rop(0x15)
def rop_query_rows(ctx, r, obj):
    flags = r.u8("QueryRowsFlags")
    forward = r.u8("ForwardRead")
    count = r.u16("RowCount")
    if flags & ~0x03 or (flags & 3) == 3 or forward > 1:
        raise RopError(EC_INVALID_PARAM)
    t = need(obj, "table")
    if t.cols is None:
        raise RopError(EC_NULL_OBJECT)
    rows = t.rows()
    if forward:
        chunk = rows[t.pos:t.pos + count]
        newpos = t.pos + len(chunk)
        origin = 2 if newpos >= len(rows) else 1
    else:
        start = max(0, t.pos - count)
        chunk = rows[start:t.pos][::-1]
        newpos = start
        origin = 0 if newpos == 0 else 1
    # Whole rows while they fit one response payload (MS-OXCTABL 3.2.5.5);
    # at least one, or ecBufferTooSmall.
    data, sent = b"", 0
    for p in chunk:
        row = enc_row(t.cols, p)
        if len(data) + len(row) > ROW_BUDGET:
            break
        data += row
        sent += 1
    if chunk and not sent:
        raise RopError(EC_BUFFER_TOO_SMALL)
    if sent < len(chunk):
        if forward:
            newpos, origin = t.pos + sent, 1
        else:
            newpos, origin = t.pos - sent, 1
    if not flags & 0x01:
        t.pos = newpos
    return None, bytes([origin]) + struct.pack("<H", sent) + data


@rop(0x4F)
def rop_find_row(ctx, r, obj):
    flags = r.u8("FindRowFlags")
    size = r.u16("RestrictionDataSize")
    sub = r.sub(size, "RestrictionData")
    res = dec_restriction(sub) if size else None
    if sub.o != sub.end:
        raise RopFormatError("RestrictionDataSize %d, restriction shorter" % size)
    origin = r.u8("Origin")
    r.take(r.u16("BookmarkSize"), "Bookmark")
    if flags > 1 or origin > 2:
        raise RopError(EC_INVALID_PARAM)
    t = need(obj, "table")
    if t.cols is None or res is None:
        raise RopError(EC_INVALID_PARAM)
    rows = t.rows()
    start = {0: 0, 1: t.pos, 2: len(rows)}[origin]
    order = range(start, len(rows)) if flags == 0 else range(min(start, len(rows)) - 1, -1, -1)
    for i in order:
        if matches(res, rows[i]):
            t.pos = i
            return None, b"\x00\x01" + enc_row(t.cols, rows[i])
    raise RopError(EC_NOT_FOUND)


@rop(0x03, creates=True)
def rop_open_message(ctx, r, obj):
    r.u16("CodePageId")
    fwire = r.u64("FolderId")
    mode = r.u8("OpenModeFlags")
    mwire = r.u64("MessageId")
    if mode not in (0, 1, 3):
        raise RopError(EC_INVALID_PARAM)
    need(obj, "logon", "folder")
    mb = obj.mb
    fc, mc = mb.counter_of(fwire), mb.counter_of(mwire)
    if mc not in mb.messages or mb.messages[mc]["folder"] != fc:
        raise RopError(EC_NOT_FOUND)
    p = mb.messages[mc]["props"]
    subject = p.get(PID_SUBJECT)
    has_named = any(t >> 16 >= 0x8000 for t in p)
    typed = (b"\x04" + subject.encode("utf-16-le") + b"\0\0") if subject else b"\x00"
    body = bytes([1 if has_named else 0]) + b"\x00" + typed + struct.pack("<HH", 0, 0) + b"\x00"
    return Obj("message", mb, mid=mc, fid=fc, new=False, props=dict(p)), body


@rop(0x06, creates=True)
def rop_create_message(ctx, r, obj):
    r.u16("CodePageId")
    fwire = r.u64("FolderId")
    assoc = r.u8("AssociatedFlag")
    if assoc > 1:
        raise RopError(EC_INVALID_PARAM)
    need(obj, "logon", "folder")
    fc = folder_of(obj, fwire)
    return Obj("message", obj.mb, mid=None, fid=fc, new=True, assoc=bool(assoc), props={}), b"\x00"


def rop_save_changes(ctx, r, resp_idx, handles):
    """RopSaveChangesMessage: RopId LogonId ResponseHandleIndex InputHandleIndex
    SaveFlags; the response echoes ResponseHandleIndex then InputHandleIndex."""
    in_idx = r.u8("InputHandleIndex")
    flags = r.u8("SaveFlags")
    if in_idx >= len(handles):
        raise RopFormatError("InputHandleIndex %d beyond the handle table" % in_idx)
    obj = ctx["objects"].get(handles[in_idx])
    if flags not in (0x09, 0x0A, 0x0C):
        raise RopError(EC_INVALID_PARAM)
    msg = need(obj, "message")
    mb = msg.mb
    if msg.new:
        msg.mid = mb.next_counter()
        msg.new = False
        mb.messages[msg.mid] = {"folder": msg.fid, "assoc": msg.assoc, "props": {}}
    mb.messages[msg.mid]["props"] = dict(msg.props)
    return bytes([in_idx]) + struct.pack("<Q", mb.wire_id(msg.mid))


def object_props(obj):
    mb = obj.mb
    if obj.kind == "folder":
        return mb.folder_props(mb.folders[obj.fid])
    if obj.kind == "message":
        p = dict(obj.props)
        if obj.mid is not None:
            p.update({k: v for k, v in mb.message_props(obj.mid).items() if k not in obj.props})
        return p
    if obj.kind == "logon":
        p = {0x3001001F: mb.dn.rsplit("=", 1)[-1]}
        for role, tag in (("ipm_subtree", 0x35E00102), ("outbox", 0x35E20102),
                          ("deleted_items", 0x35E30102), ("sent_items", 0x35E40102),
                          ("views", 0x35E50102), ("common_views", 0x35E60102),
                          ("finder", 0x35E70102)):
            if role in mb.roles:
                p[tag] = mb.folder_eid(mb.roles[role])
        return p
    raise RopError(EC_NOT_SUPPORTED)


@rop(0x07)
def rop_get_props_specific(ctx, r, obj):
    r.u16("PropertySizeLimit")
    r.u16("WantUnicode")
    tags = read_tags(r)
    need(obj, "logon", "folder", "message")
    return None, enc_row(tags, object_props(obj))


@rop(0x08)
def rop_get_props_all(ctx, r, obj):
    r.u16("PropertySizeLimit")
    r.u16("WantUnicode")
    need(obj, "logon", "folder", "message")
    p = object_props(obj)
    items = [(t, v) for t, v in sorted(p.items()) if not isinstance(v, PErr)]
    return None, struct.pack("<H", len(items)) + b"".join(enc_tagged(t, v) for t, v in items)


@rop(0x09)
def rop_get_props_list(ctx, r, obj):
    need(obj, "logon", "folder", "message")
    tags = sorted(object_props(obj))
    return None, struct.pack("<H", len(tags)) + b"".join(struct.pack("<I", t) for t in tags)


def set_props(obj, values):
    if obj.kind == "message":
        obj.props.update(dict(values))
    elif obj.kind == "folder":
        f = obj.mb.folders[obj.fid]
        for t, v in values:
            if t == PID_DISPLAY_NAME:
                f["name"] = v
            elif t == PID_CONTAINER_CLASS:
                f["class"] = v
            else:
                f["props"][t] = v
    else:
        raise RopError(EC_NOT_SUPPORTED)


@rop(0x0A)
def rop_set_props(ctx, r, obj):
    size = r.u16("PropertyValueSize")
    sub = r.sub(size, "PropertyValues")
    values = read_proplist(sub)
    if sub.o != sub.end:
        raise RopFormatError("PropertyValueSize %d, values shorter" % size)
    set_props(need(obj, "folder", "message"), values)
    return None, b"\x00\x00"  # PropertyProblemCount 0


@rop(0x0B)
def rop_delete_props(ctx, r, obj):
    tags = read_tags(r)
    o = need(obj, "folder", "message")
    target = o.props if o.kind == "message" else o.mb.folders[o.fid]["props"]
    for t in tags:
        target.pop(t, None)
    return None, b"\x00\x00"


@rop(0x56)
def rop_get_ids_from_names(ctx, r, obj):
    flags = r.u8("Flags")
    names = [dec_propname(r) for _ in range(r.u16("PropertyNameCount"))]
    if flags & ~0x02:
        raise RopError(EC_INVALID_PARAM)
    need(obj, "logon", "folder", "message")
    ids = [obj.mb.named_id(n, bool(flags & 0x02)) for n in names]
    ctx["rv"] = EC_WARN_WITH_ERRORS if 0 in ids else 0
    return None, struct.pack("<H", len(ids)) + b"".join(struct.pack("<H", i) for i in ids)


@rop(0x55)
def rop_get_names_from_ids(ctx, r, obj):
    ids = [r.u16("PropertyId") for _ in range(r.u16("PropertyIdCount"))]
    need(obj, "logon", "folder", "message")
    out = b""
    for i in ids:
        k = i - 0x8000
        name = obj.mb.named[k] if 0 <= k < len(obj.mb.named) else (bytes(16), None)
        out += enc_propname(name)
    return None, struct.pack("<H", len(ids)) + out


@rop(0x2B, creates=True)
def rop_open_stream(ctx, r, obj):
    tag = r.u32("PropertyTag")
    mode = r.u8("OpenModeFlags")
    if mode > 3:
        raise RopError(EC_INVALID_PARAM)
    o = need(obj, "folder", "message")
    t = tag & 0xFFFF
    if t not in (PT_BINARY, PT_UNICODE, PT_STRING8):
        raise RopError(EC_NOT_SUPPORTED)
    v = object_props(o).get(tag)
    if v is None and mode != 2:
        raise RopError(EC_NOT_FOUND)
    data = b"" if mode == 2 or v is None else (
        v if isinstance(v, bytes) else v.encode("utf-16-le" if t == PT_UNICODE else "cp1252"))
    s = Obj("stream", o.mb, owner=o, tag=tag, data=bytearray(data), pos=0, mode=mode)
    return s, struct.pack("<I", len(data))


@rop(0x2C)
def rop_read_stream(ctx, r, obj):
    n = r.u16("ByteCount")
    if n == 0xBABE:
        n = r.u32("MaximumByteCount")
    s = need(obj, "stream")
    chunk = bytes(s.data[s.pos:s.pos + min(n, 0x7000)])
    s.pos += len(chunk)
    return None, struct.pack("<H", len(chunk)) + chunk


@rop(0x2D)
def rop_write_stream(ctx, r, obj):
    data = bytes(r.take(r.u16("DataSize"), "Data"))
    s = need(obj, "stream")
    if s.mode == 0:
        raise RopError(EC_ACCESS_DENIED)
    s.data[s.pos:s.pos + len(data)] = data
    s.pos += len(data)
    return None, struct.pack("<H", len(data))


@rop(0x5D)
def rop_commit_stream(ctx, r, obj):
    s = need(obj, "stream")
    t = s.tag & 0xFFFF
    d = bytes(s.data)
    v = d if t == PT_BINARY else d.decode("utf-16-le" if t == PT_UNICODE else "cp1252")
    set_props(s.owner, [(s.tag, v)])
    return None, b""


@rop(0x2F)
def rop_set_stream_size(ctx, r, obj):
    n = r.u64("StreamSize")
    s = need(obj, "stream")
    if n > 0x7FFFFFFF:
        raise RopError(EC_STREAM_SIZE_ERROR)
    del s.data[n:]
    s.data += bytes(n - len(s.data))
    return None, b""


@rop(0x3F, creates=True)
def rop_get_rules_table(ctx, r, obj):
    flags = r.u8("TableFlags")
    if flags & ~0x40:
        raise RopError(EC_INVALID_PARAM)
    f = need(obj, "folder")
    return Table(f.mb, [dict(x) for x in f.mb.folders[f.fid]["rules"]], "rules"), b""


def read_rowmods(r, what):
    flags = r.u8(what + "Flags")
    rows = [(r.u8(what + "DataFlags"), read_proplist(r)) for _ in range(r.u16(what + "Count"))]
    return flags, rows


@rop(0x41)
def rop_modify_rules(ctx, r, obj):
    flags, rows = read_rowmods(r, "ModifyRules")
    f = need(obj, "folder")
    rules = f.mb.folders[f.fid]["rules"]
    if flags & ~0x01 or any(fl not in (1, 2, 4) for fl, _ in rows):
        raise RopError(EC_INVALID_PARAM)
    if flags & 0x01:
        rules.clear()
    for fl, props in rows:
        p = dict(props)
        if fl == 1:
            p[PID_RULE_ID] = f.mb.next_counter()
            rules.append(p)
            continue
        rid = p.get(PID_RULE_ID)
        hit = [x for x in rules if x.get(PID_RULE_ID) == rid]
        if not hit:
            raise RopError(EC_NOT_FOUND)
        if fl == 2:
            hit[0].update(p)
        else:
            rules.remove(hit[0])
    return None, b""


def perm_rows(mb, f):
    rows = [{PID_MEMBER_ID: 0, PID_MEMBER_NAME: "", PID_MEMBER_RIGHTS: 0x800, PID_ENTRY_ID: b""},
            {PID_MEMBER_ID: -1, PID_MEMBER_NAME: "Anonymous", PID_MEMBER_RIGHTS: 0,
             PID_ENTRY_ID: b""}]
    for p in f["perms"]:
        mid = p.get(PID_MEMBER_ID)
        if mid in (0, -1):
            rows[0 if mid == 0 else 1].update(p)
        else:
            rows.insert(len(rows) - 1, dict(p))
    return rows


@rop(0x3E, creates=True)
def rop_get_permissions_table(ctx, r, obj):
    flags = r.u8("TableFlags")
    if flags & ~0x02:
        raise RopError(EC_INVALID_PARAM)
    f = need(obj, "folder")
    return Table(f.mb, perm_rows(f.mb, f.mb.folders[f.fid]), "permissions"), b""


@rop(0x40)
def rop_modify_permissions(ctx, r, obj):
    flags, rows = read_rowmods(r, "Modify")
    f = need(obj, "folder")
    folder = f.mb.folders[f.fid]
    perms = folder["perms"]
    if flags & ~0x03 or any(fl not in (1, 2, 4) for fl, _ in rows):
        raise RopError(EC_INVALID_PARAM)
    if flags & 0x01:
        perms.clear()
    for fl, props in rows:
        p = dict(props)
        if fl == 1:
            eid = p.get(PID_ENTRY_ID, b"")
            p.setdefault(PID_MEMBER_ID, 0x100 + len(perms))
            p.setdefault(PID_MEMBER_NAME, eid.split(b"/cn=")[-1].rstrip(b"\0").decode(
                "ascii", "replace") if eid else "")
            perms.append(p)
            continue
        mid = p.get(PID_MEMBER_ID)
        if mid in (0, -1) and fl == 2:
            perms[:] = [x for x in perms if x.get(PID_MEMBER_ID) != mid] + [p]
            continue
        hit = [x for x in perms if x.get(PID_MEMBER_ID) == mid]
        if not hit:
            raise RopError(EC_NOT_FOUND)
        if fl == 2:
            hit[0].update(p)
        else:
            perms.remove(hit[0])
    return None, b""


# ---------------------------------------------------------------------------
# The ROP loop
# ---------------------------------------------------------------------------

# ROPs that change a mailbox: CreateFolder, DeleteFolder, CreateMessage,
# SetProperties, DeleteProperties, DeleteMessages, WriteStream, SetStreamSize,
# CommitStream, ModifyPermissions, ModifyRules (SaveChangesMessage is handled
# on its own in execute).
WRITE_ROPS = {0x1C, 0x1D, 0x06, 0x0A, 0x0B, 0x1E, 0x2D, 0x2F, 0x5D, 0x40, 0x41}


def is_write(rid, r):
    """Whether the ROP at r (after its handle indexes) asks to change the
    mailbox: a write ROP, GetPropertyIdsFromNames with create, OpenMessage
    or OpenStream for writing."""
    b, o = r.b, r.o
    if rid in WRITE_ROPS:
        return True
    if rid == 0x56:
        return o < r.end and b[o] & 0x02 != 0
    if rid == 0x03:
        return o + 10 < r.end and b[o + 10] in (1, 3)
    if rid == 0x2B:
        return o + 4 < r.end and b[o + 4] in (1, 2, 3)
    return False


def refused_write(session, obj, rid, r):
    """Refuses (and records) a write on a read-only mailbox."""
    mb = getattr(obj, "mb", None) if obj is not None else None
    if mb is None or not mb.read_only or not is_write(rid, r):
        return False
    session.setdefault("writes_refused", []).append("0x%02X" % rid)
    return True


def skip_request(fn, ctx, r):
    """Reads a refused ROP's request so the next one is found: runs its
    handler on an empty object (it reads its request, then fails)."""
    try:
        fn(ctx, r, Obj("none", None))
    except RopError:
        pass


def execute(session, rop_buffer, handles):
    """Runs every ROP of rop_buffer in order (MS-OXCROPS 3.2.5.1)."""
    st = state(session)
    handles = list(handles)
    out = bytearray()
    r = Reader(bytes(rop_buffer))
    ctx = {"session": session, "objects": st["objects"]}
    while r.o < r.end:
        rid = r.u8("RopId")
        r.u8("LogonId")  # objects carry their mailbox; the id is not needed
        if rid == 0x01:  # RopRelease: no response
            idx = r.u8("InputHandleIndex")
            if idx >= len(handles):
                raise RopFormatError("RopRelease InputHandleIndex %d" % idx)
            st["objects"].pop(handles[idx], None)
            continue
        if rid == 0x0C:
            resp_idx = r.u8("ResponseHandleIndex")
            if r.o < r.end and r.b[r.o] < len(handles):
                target = st["objects"].get(handles[r.b[r.o]])
                if getattr(target, "mb", None) is not None and target.mb.read_only:
                    session.setdefault("writes_refused", []).append("0x0C")
                    r.u8("InputHandleIndex")
                    r.u8("SaveFlags")
                    out += struct.pack("<BBI", rid, resp_idx, EC_ACCESS_DENIED)
                    continue
            try:
                body = rop_save_changes(ctx, r, resp_idx, handles)
                out += struct.pack("<BBI", rid, resp_idx, 0) + body
            except RopError as e:
                out += struct.pack("<BBI", rid, resp_idx, e.ec)
            continue
        if rid not in ROPS:
            raise RopFormatError("ROP 0x%02X is not served here" % rid)
        fn, creates = ROPS[rid]
        if rid == 0xFE:
            in_idx, out_idx = None, r.u8("OutputHandleIndex")
        else:
            in_idx = r.u8("InputHandleIndex")
            out_idx = r.u8("OutputHandleIndex") if creates else None
        for idx in (in_idx, out_idx):
            if idx is not None and idx >= len(handles):
                raise RopFormatError("handle index %d beyond the %d-slot table" %
                                     (idx, len(handles)))
        obj = st["objects"].get(handles[in_idx]) if in_idx is not None else None
        ctx["rv"] = 0
        echoed = out_idx if creates else in_idx
        if refused_write(session, obj, rid, r):
            skip_request(fn, ctx, r)
            out += struct.pack("<BBI", rid, echoed, EC_ACCESS_DENIED)
            continue
        try:
            if rid != 0xFE and obj is None:
                # The handlers read their whole request before they look at
                # the object, so the next ROP is still found.
                obj = Obj("none", None)
            created, body = fn(ctx, r, obj)
            if creates and created is not None:
                handles[out_idx] = new_handle(session, created)
            out += struct.pack("<BBI", rid, echoed, ctx["rv"]) + body
        except RopError as e:
            out += struct.pack("<BBI", rid, echoed, e.ec)
    return bytes(out), handles
