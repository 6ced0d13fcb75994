"""STUB of the ROP server side until the mbrop branch's module (same
interface) is merged: RopLogon (private), RopRelease, RopOpenFolder,
RopGetPropertiesSpecific (folders), RopGetHierarchyTable, RopGetContentsTable,
RopSetColumns and RopQueryRows over a small folder fixture (fixtures/README: "stub mailbox").
execute(session, rop_buffer, handles) -> (response ROPs, handles).
Strict: a ROP it cannot parse raises ValueError (the server answers
ecRpcFormat); an unknown ROP id ends the buffer with ecNotSupported."""
import json
import os
import struct

EC_NOT_SUPPORTED = 0x80040102
EC_NOT_FOUND = 0x8004010F
EC_NULL_OBJECT = 0x000004B9
ROLES = ["root", "deferred_action", "spooler_queue", "ipm_subtree", "inbox", "outbox",
         "sent_items", "deleted_items", "common_views", "schedule", "finder", "views",
         "shortcuts"]
ROOT_EID_TAGS = {0x36D00102: "calendar", 0x36D10102: "contacts", 0x36D20102: "journal",
                 0x36D30102: "notes", 0x36D40102: "tasks", 0x36D50102: "reminders",
                 0x36D70102: "drafts"}
REN_ROLES = ["conflicts", "sync_issues", "local_failures", "server_failures", "junk_email"]
HERE = os.path.dirname(os.path.abspath(__file__))
PAYLOAD_BUDGET = 0x7F00  # keep one response payload under 32 KB


def fid_bytes(counter):
    return struct.pack("<H", 1) + counter.to_bytes(6, "big")


def load(session):
    if "mbx" in session:
        return session["mbx"]
    path = session.get("mailbox") or "mailbox-user1.json"
    if not os.path.isabs(path):
        path = os.path.join(os.environ.get("MAPI_FIXTURES", os.path.join(HERE, "fixtures")), path)
    with open(path) as f:
        m = json.load(f)
    m["guid"] = bytes.fromhex(m["mailbox_guid"])
    m["db"] = bytes.fromhex(m.get("database_guid", "00" * 16))
    m["by_id"] = {x["id"]: x for x in m["folders"]}
    session["mbx"] = m
    session["objects"] = {}
    session["next"] = 0x100
    return m


def entry_id(m, counter):
    return b"\0\0\0\0" + m["guid"] + struct.pack("<H", 1) + m["db"] + \
        counter.to_bytes(6, "big") + b"\0\0"


def role_id(m, role):
    for x in m["folders"]:
        if x.get("role") == role:
            return x["id"]
    return 0


def descendants(m, fid, depth=1):
    out = []
    for x in m["folders"]:
        if x.get("parent") == fid and x["id"] != fid:
            out.append((x, depth))
            out += descendants(m, x["id"], depth + 1)
    return out


def folder_prop(m, x, depth, tag):
    """(present, value bytes) of a folder column."""
    t = tag & 0xFFFF
    pid = tag >> 16
    val = {0x6748: fid_bytes(x["id"]), 0x6749: fid_bytes(x.get("parent", 0)),
           0x3001: x["name"], 0x0FFF: entry_id(m, x["id"]),
           0x3602: x.get("items", 0), 0x3617: x.get("assoc", 0), 0x3005: depth,
           0x3613: x.get("class")}.get(pid)
    if pid == 0x6748 or pid == 0x6749:
        return (t == 0x0014, val)
    if val is None:
        return (False, None)
    if t == 0x001F and isinstance(val, str):
        return (True, val.encode("utf-16-le") + b"\0\0")
    if t == 0x0003 and isinstance(val, int):
        return (True, struct.pack("<i", val))
    if t == 0x0102 and isinstance(val, bytes):
        return (True, struct.pack("<H", len(val)) + val)
    return (False, None)


def row(cells):
    """PropertyRow: standard when every column has a value, else flagged."""
    if all(ok for ok, _ in cells):
        return b"\0" + b"".join(v for _, v in cells)
    out = b"\1"
    for ok, v in cells:
        out += (b"\0" + v) if ok else (b"\x0A" + struct.pack("<I", EC_NOT_FOUND))
    return out


def message_prop(m, x, tag):
    """(present, value bytes) of a message column: PidTagMid, class, subject,
    entry ID (MS-OXCDATA 2.2.4.2: the folder's and the message's IDs), size."""
    pid, t = tag >> 16, tag & 0xFFFF
    if pid == 0x674A and t == 0x0014:
        return (True, fid_bytes(x["id"]))
    if pid == 0x0FFF and t == 0x0102:
        e = b"\0\0\0\0" + m["guid"] + struct.pack("<H", 7) + m["db"] + \
            x["_folder"].to_bytes(6, "big") + b"\0\0" + m["db"] + x["id"].to_bytes(6, "big") + b"\0\0"
        return (True, struct.pack("<H", len(e)) + e)
    if pid == 0x0E08 and t == 0x0003 and "size" in x:
        return (True, struct.pack("<i", x["size"]))
    val = {0x001A: x.get("class"), 0x0037: x.get("subject")}.get(pid)
    if isinstance(val, str) and t == 0x001F:
        return (True, val.encode("utf-16-le") + b"\0\0")
    return (False, None)


def root_prop(m, tag):
    if tag in ROOT_EID_TAGS:
        fid = role_id(m, ROOT_EID_TAGS[tag])
        if fid:
            e = entry_id(m, fid)
            return (True, struct.pack("<H", len(e)) + e)
    if tag == 0x36D81102:
        ids = [role_id(m, r) for r in REN_ROLES]
        if any(ids):
            items = [entry_id(m, i) if i else b"" for i in ids]
            return (True, struct.pack("<I", len(items)) +
                    b"".join(struct.pack("<H", len(e)) + e for e in items))
    return (False, None)


class Rd:
    def __init__(self, b, o):
        self.b, self.o = b, o

    def take(self, fmt):
        v = struct.unpack_from("<" + fmt, self.b, self.o)
        self.o += struct.calcsize("<" + fmt)
        return v if len(v) > 1 else v[0]


def execute(session, rop_buffer: bytes, handles: list):
    m = load(session)
    objs = session["objects"]
    out = bytearray()
    handles = list(handles)
    r = Rd(rop_buffer, 0)

    def new_obj(idx, obj):
        if idx >= len(handles):
            raise ValueError("output handle index %d beyond the table" % idx)
        h = session["next"]
        session["next"] += 1
        objs[h] = obj
        handles[idx] = h

    def obj_at(idx):
        if idx >= len(handles):
            raise ValueError("input handle index %d beyond the table" % idx)
        return objs.get(handles[idx])

    while r.o < len(rop_buffer):
        rop = rop_buffer[r.o]
        if rop == 0xFE:
            _, _, out_idx, lflags, oflags, state, ess = r.take("BBBBIIH")
            r.o += ess
            new_obj(out_idx, {"kind": "logon"})
            out += struct.pack("<BBIB", 0xFE, out_idx, 0, lflags)
            out += b"".join(fid_bytes(role_id(m, role)) for role in ROLES)
            out += b"\x01" + m["guid"] + struct.pack("<H", 1) + m["db"]
            out += bytes([0, 0, 12, 4, 3, 12]) + struct.pack("<H", 2026)
            out += struct.pack("<QI", 0, 0)
        elif rop == 0x01:
            _, _, in_idx = r.take("BBB")
            objs.pop(handles[in_idx] if in_idx < len(handles) else None, None)
        elif rop == 0x02:
            _, _, in_idx, out_idx, fid, mode = r.take("BBBBQB")
            counter = int.from_bytes(struct.pack("<Q", fid)[2:], "big")
            if obj_at(in_idx) is None:
                out += struct.pack("<BBI", rop, out_idx, EC_NULL_OBJECT)
            elif counter not in m["by_id"]:
                out += struct.pack("<BBI", rop, out_idx, EC_NOT_FOUND)
            else:
                new_obj(out_idx, {"kind": "folder", "id": counter})
                out += struct.pack("<BBIBB", rop, out_idx, 0, 0, 0)
        elif rop == 0x07:
            _, _, in_idx, limit, unicode, n = r.take("BBBHHH")
            tags = [r.take("I") for _ in range(n)]
            o = obj_at(in_idx)
            if not o or o["kind"] != "folder":
                out += struct.pack("<BBI", rop, in_idx, EC_NULL_OBJECT)
                continue
            x = m["by_id"][o["id"]]
            cells = [root_prop(m, t) if x.get("role") == "root" and
                     (t in ROOT_EID_TAGS or t == 0x36D81102) else folder_prop(m, x, 0, t)
                     for t in tags]
            out += struct.pack("<BBI", rop, in_idx, 0) + row(cells)
        elif rop == 0x04:
            _, _, in_idx, out_idx, tflags = r.take("BBBBB")
            o = obj_at(in_idx)
            if not o or o["kind"] != "folder":
                out += struct.pack("<BBI", rop, out_idx, EC_NULL_OBJECT)
                continue
            rows = descendants(m, o["id"]) if tflags & 0x04 else \
                [(x, 1) for x in m["folders"] if x.get("parent") == o["id"] and x["id"] != o["id"]]
            new_obj(out_idx, {"kind": "table", "rows": rows, "pos": 0, "cols": None})
            out += struct.pack("<BBII", rop, out_idx, 0, len(rows))
        elif rop == 0x05:
            _, _, in_idx, out_idx, tflags = r.take("BBBBB")
            o = obj_at(in_idx)
            if not o or o["kind"] != "folder":
                out += struct.pack("<BBI", rop, out_idx, EC_NULL_OBJECT)
                continue
            x = m["by_id"][o["id"]]
            msgs = x.get("fai" if tflags & 0x02 else "messages", [])
            msgs = [dict(mm, _folder=x["id"]) for mm in msgs]
            new_obj(out_idx, {"kind": "table", "rows": [(mm, 0) for mm in msgs], "pos": 0,
                              "cols": None, "messages": True})
            out += struct.pack("<BBII", rop, out_idx, 0, len(msgs))
        elif rop == 0x12:
            _, _, in_idx, sflags, n = r.take("BBBBH")
            tags = [r.take("I") for _ in range(n)]
            o = obj_at(in_idx)
            if not o or o["kind"] != "table":
                out += struct.pack("<BBI", rop, in_idx, EC_NULL_OBJECT)
                continue
            o["cols"] = tags
            out += struct.pack("<BBIB", rop, in_idx, 0, 0)
        elif rop == 0x15:
            _, _, in_idx, qflags, forward, count = r.take("BBBBBH")
            o = obj_at(in_idx)
            if not o or o["kind"] != "table" or o["cols"] is None:
                out += struct.pack("<BBI", rop, in_idx, EC_NULL_OBJECT)
                continue
            if session.get("page_rows"):
                count = min(count, session["page_rows"])
            data = b""
            n = 0
            pos = o["pos"]
            while n < count and pos + n < len(o["rows"]):
                x, depth = o["rows"][pos + n]
                one = row([message_prop(m, x, t) if o.get("messages") else
                           folder_prop(m, x, depth, t) for t in o["cols"]])
                if len(out) + 10 + len(data) + len(one) + 4 * len(handles) > PAYLOAD_BUDGET:
                    break
                data += one
                n += 1
            if not qflags & 0x01:
                o["pos"] = pos + n
            origin = 2 if o["pos"] >= len(o["rows"]) else 1
            out += struct.pack("<BBIBH", rop, in_idx, 0, origin, n) + data
        else:
            out += struct.pack("<BBI", rop, rop_buffer[r.o + 2] if r.o + 2 < len(rop_buffer)
                               else 0, EC_NOT_SUPPORTED)
            break
    return bytes(out), handles
