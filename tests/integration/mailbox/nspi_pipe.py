#!/usr/bin/env python3
"""nspi_pipe.py FIXTURE TYPE REQUEST RESPONSE: answers one NSPI request body
(file REQUEST) with nspi_handler in a fresh, bound session over the address
book FIXTURE and writes the response body to RESPONSE. Exit 3 with the text
on stderr when the handler refuses the request with an X-ResponseCode, 4 when
the client broke a MUST of the spec. Used by unit.test_mbx_nspi_server to
check the C codec against the Python handler."""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nspi_handler as nh  # noqa: E402

fixture, kind, req, rsp = sys.argv[1:5]
session = {"addressbook": nh.load(fixture)}
if kind.lower() != "bind":
    nh.handle(session, "Bind", b"\0\0\0\0\0\0\0\0\0")
with open(req, "rb") as f:
    body = f.read()
try:
    out = nh.handle(session, kind, body)
except nh.ProtocolError as e:
    sys.stderr.write("X-ResponseCode %d: %s\n" % (e.code, e.text))
    sys.exit(3)
with open(rsp, "wb") as f:
    f.write(out)
if session["nspi"].violations:
    sys.stderr.write("; ".join(session["nspi"].violations) + "\n")
    sys.exit(4)
