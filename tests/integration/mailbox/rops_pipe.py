#!/usr/bin/env python3
"""Runs a C test program against mbx_rops.py without HTTP: the program sends
ROP input buffers (RopSize + ROPs + handle table) over a FIFO and reads the
ROP output buffers back, as mbx_send_fn does over Execute.

Usage: rops_pipe.py DIR PROGRAM [ARGS...]
Makes DIR/to_server and DIR/to_client, runs PROGRAM with MBX_PIPE_OUT and
MBX_PIPE_IN naming them and MBX_PIPE_DIR=DIR, and serves its frames: u32 LE
length + bytes each way; an Execute that fails (ecRpcFormat) is answered
with length 0xFFFFFFFF. Frames start with a one-byte session number (0..9),
so one program can hold several sessions (a source and a target user):
session n logs on as the user of fixtures "sessions" below.

Before the program starts, DIR/big.json is written: a mailbox of 300
folders (for paging), reachable by its DN "/o=Big/cn=big" with Full Access
for user1."""
import json
import os
import struct
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mbx_rops  # noqa: E402

DN = "/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
SESSIONS = [{"user": "user1", "dn": DN + "user1", "mailbox": "mailbox-user1.json"},
            {"user": "user3", "dn": DN + "user3", "mailbox": "mailbox-user1.json"}]


def big_mailbox(path, n=300):
    kids = [{"id": 0x100 + i, "name": "Folder %03d" % i, "class": "IPF.Note"} for i in range(n)]
    roles = ["deferred_action", "spooler_queue", "outbox", "sent_items", "deleted_items",
             "common_views", "schedule", "finder", "views", "shortcuts"]
    root = {"id": 1, "role": "root", "name": "", "children": [
        {"id": 4, "role": "ipm_subtree", "name": "Top of Information Store", "children": [
            {"id": 5, "role": "inbox", "name": "Inbox", "children": kids}]}] +
        [{"id": 0x10 + i, "role": r, "name": r} for i, r in enumerate(roles)]}
    with open(path, "w") as f:
        json.dump({"dn": "/o=Big/cn=big", "full_access": ["user1"],
                   "mailbox_guid": "11111111-2222-3333-4444-555555555555",
                   "replguid": "66666666-7777-8888-9999-aaaaaaaaaaaa", "folders": [root]}, f)


def read_exact(f, n):
    b = b""
    while len(b) < n:
        x = f.read(n - len(b))
        if not x:
            return None
        b += x
    return b


def serve(dirname):
    with open(os.path.join(dirname, "to_server"), "rb") as rd, \
            open(os.path.join(dirname, "to_client"), "wb") as wr:
        sessions = [dict(s) for s in SESSIONS]
        while True:
            head = read_exact(rd, 5)
            if head is None:
                return
            sess, n = head[0], struct.unpack_from("<I", head, 1)[0]
            buf = read_exact(rd, n)
            size = struct.unpack_from("<H", buf)[0]
            handles = list(struct.unpack_from("<%dI" % ((n - size) // 4), buf, size))
            try:
                out, handles = mbx_rops.execute(sessions[sess], buf[2:size], handles)
                resp = struct.pack("<H", len(out) + 2) + out + \
                    struct.pack("<%dI" % len(handles), *handles)
                wr.write(struct.pack("<I", len(resp)) + resp)
            except mbx_rops.RopFormatError as e:
                sys.stderr.write("rops_pipe: %s\n" % e)
                wr.write(struct.pack("<I", 0xFFFFFFFF))
            wr.flush()


def main():
    d = sys.argv[1]
    for name in ("to_server", "to_client"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            os.unlink(p)
        os.mkfifo(p)
    big_mailbox(os.path.join(d, "big.json"))
    mbx_rops.MAILBOXES.clear()
    mbx_rops.mailbox_at(os.path.join(d, "big.json"))
    t = threading.Thread(target=serve, args=(d,), daemon=True)
    t.start()
    env = dict(os.environ, MBX_PIPE_OUT=os.path.join(d, "to_server"),
               MBX_PIPE_IN=os.path.join(d, "to_client"), MBX_PIPE_DIR=d)
    rc = subprocess.call(sys.argv[2:], env=env)
    t.join(5)
    sys.exit(rc)


if __name__ == "__main__":
    main()
