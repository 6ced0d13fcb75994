#!/usr/bin/env python3
"""Loopback MAPI over HTTP test server ([MS-OXCMAPIHTTP]), strict where
Exchange is strict: a malformed request is refused with the spec's
X-ResponseCode, never guessed at.

Usage: mapi_server.py CERT KEY CONFIG STATE_DIR
CONFIG (JSON): {"users": [{"name", "password", "token", "dn", "display_name",
                            "mailbox": fixture path for mbx_rops}],
                "dn_prefix": "/o=..."}
Writes STATE_DIR/https.port once listening and one JSON line per request to
STATE_DIR/requests.log (endpoint, type, headers, cookies, response code).

Endpoints (POST only, Content-Type application/mapi-http, ?MailboxId= needed):
  /mapi/emsmdb/  Connect, Execute, Disconnect, PING  (mbx_rops.execute)
  /mapi/nspi/    Bind, Unbind, PING, and the rest   (nspi_handler.handle)
Authentication: HTTP Basic (name:password) or "Bearer <token>"; else 401
with both challenges. A session context is bound to its user (HTTP15 3.2.5.1).

The test steers the server with files in STATE_DIR (each read per request):
  expire     drop every session context once (then the file is removed):
             the next request with a context cookie gets X-ResponseCode 10
  compress   Execute responses compressed (LZ77) unless the request's Flags
             say NoCompression (0x1)
  xor        Execute responses obfuscated (XOR 0xA5) unless NoXorMagic (0x2)
  pending    N: send N PENDING keep-alives (without CRLF, as gromox does,
             when the file says "bare")
  busy       Connect answers ecServerBusy N times (N in the file) first
"""
import base64
import json
import os
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lz77  # noqa: E402
import mbx_rops  # noqa: E402

try:
    import nspi_handler  # noqa: E402  (the mbnspi branch writes it)
except ImportError:
    nspi_handler = None

CERT, KEY, CONFIG, STATE = sys.argv[1:5]
with open(CONFIG) as f:
    CFG = json.load(f)
LOCK = threading.Lock()
CONTEXTS = {}  # context id -> dict(user, endpoint, sequence, session)
SERVER_APP = "Exchange/15.02.1544.004"

EMSMDB_TYPES = {"connect", "execute", "disconnect", "notificationwait", "ping"}
NSPI_TYPES = {"bind", "unbind", "comparemids", "dntomid", "getmatches", "getproplist",
              "getprops", "getspecialtable", "gettemplateinfo", "modlinkatt", "modprops",
              "querycolumns", "queryrows", "resolvenames", "resortrestriction",
              "seekentries", "updatestat", "getmailboxurl", "getaddressbookurl", "ping"}
EC_SERVER_BUSY = 0x480
EC_ACCESS_DENIED = 0x80070005
EC_RPC_FORMAT = 0x4B6


class Refuse(Exception):
    """X-ResponseCode failure with a diagnostic line."""

    def __init__(self, code, text):
        super().__init__(text)
        self.code = code


def state_file(name):
    p = os.path.join(STATE, name)
    try:
        with open(p) as f:
            return f.read().strip() or "1"
    except OSError:
        return None


def take_expire():
    p = os.path.join(STATE, "expire")
    try:
        os.unlink(p)
        return True
    except OSError:
        return False


class Body:
    """Bounds-checked reader; any shortfall is an invalid request body (12)."""

    def __init__(self, b):
        self.b, self.o = b, 0

    def take(self, n, what):
        if n < 0 or self.o + n > len(self.b):
            raise Refuse(12, "request body too short for %s" % what)
        v = self.b[self.o:self.o + n]
        self.o += n
        return v

    def u32(self, what):
        return struct.unpack("<I", self.take(4, what))[0]

    def u16(self, what):
        return struct.unpack("<H", self.take(2, what))[0]

    def cstr(self, what):
        end = self.b.find(b"\0", self.o)
        if end < 0:
            raise Refuse(12, "%s has no terminating NUL" % what)
        v = self.b[self.o:end]
        self.o = end + 1
        return v

    def aux(self):
        n = self.u32("AuxiliaryBufferSize")
        if n > 0x1008:
            raise Refuse(12, "AuxiliaryBufferSize %d over 0x1008" % n)
        self.take(n, "AuxiliaryBuffer")

    def end(self):
        if self.o != len(self.b):
            raise Refuse(12, "%d bytes after the request body" % (len(self.b) - self.o))


def find_user(auth):
    if not auth:
        return None
    scheme, _, cred = auth.partition(" ")
    for u in CFG["users"]:
        if scheme.lower() == "basic":
            try:
                name, _, pw = base64.b64decode(cred).decode().partition(":")
            except Exception:
                return None
            if name == u["name"] and pw == u["password"]:
                return u
        elif scheme.lower() == "bearer" and u.get("token") and cred == u["token"]:
            return u
    return None


def wstr(s):
    return s.encode("utf-16-le") + b"\0\0"


def rpc_ext(payload, flags_in):
    """One Last payload, compressed/obfuscated as the test asked and the
    request's Flags allow (RPC15 3.1.4.2)."""
    flags = 0x0004
    actual = len(payload)
    data = payload
    if state_file("compress") and not flags_in & 0x1:
        c = lz77.compress(payload)
        if len(c) < len(payload):
            data, flags = c, flags | 0x0001
    if state_file("xor") and not flags_in & 0x2:
        data = bytes(b ^ 0xA5 for b in data)
        flags |= 0x0002
    return struct.pack("<HHHH", 0, flags, len(data), actual) + data


def do_connect(ctx, user, body):
    r = Body(body)
    dn = r.cstr("UserDn")
    r.u32("Flags")
    r.u32("DefaultCodePage")
    r.u32("LcidSort")
    r.u32("LcidString")
    r.aux()
    r.end()
    busy = state_file("busy")
    if busy and busy.isdigit() and int(busy) > 0:
        with open(os.path.join(STATE, "busy"), "w") as f:
            f.write(str(int(busy) - 1))
        return struct.pack("<IIIII", 0, EC_SERVER_BUSY, 60000, 3, 50) + b"\0" + wstr("") + \
            struct.pack("<I", 0)
    if dn.decode("ascii", "replace").lower() != user["dn"].lower():
        # gromox: UserDn must be the authenticated user's.
        return struct.pack("<IIIII", 0, EC_ACCESS_DENIED, 0, 0, 0) + b"\0" + wstr("") + \
            struct.pack("<I", 0)
    ctx["session"] = {"user": user["name"], "mailbox": user.get("mailbox"),
                      "dn": user["dn"]}
    return (struct.pack("<IIIII", 0, 0, 60000, 6, 10000) +
            CFG.get("dn_prefix", "/o=First Organization").encode() + b"\0" +
            wstr(user.get("display_name", user["name"])) + struct.pack("<I", 0))


def do_execute(ctx, body, log):
    r = Body(body)
    flags = r.u32("Flags")
    size = r.u32("RopBufferSize")
    rb = Body(r.take(size, "RopBuffer"))
    max_out = r.u32("MaxRopOut")
    r.aux()
    r.end()
    log["exec_flags"] = flags
    if flags & ~0x7:
        raise Refuse(12, "Execute Flags 0x%X has unknown bits" % flags)
    if not 8 <= max_out <= 0x40000:
        raise Refuse(12, "MaxRopOut %d out of range" % max_out)
    version = rb.u16("RPC_HEADER_EXT Version")
    hflags = rb.u16("RPC_HEADER_EXT Flags")
    hsize = rb.u16("RPC_HEADER_EXT Size")
    hactual = rb.u16("RPC_HEADER_EXT SizeActual")
    payload = rb.take(hsize, "ROP payload")
    # gromox rop_ext_pull: Last set, Size > 0, nothing after it.
    if version != 0 or not hflags & 0x4 or hflags & ~0x7 or hsize == 0 or \
            rb.o != len(rb.b) or (not hflags & 0x1 and hsize != hactual):
        return struct.pack("<IIIII", 0, EC_RPC_FORMAT, 0, 0, 0)
    if hflags & 0x3:
        raise Refuse(12, "compressed or obfuscated requests are not expected from this client")
    rop_size = struct.unpack_from("<H", payload)[0] if len(payload) >= 2 else 0
    if rop_size < 2 or rop_size > len(payload) or (len(payload) - rop_size) % 4:
        return struct.pack("<IIIII", 0, EC_RPC_FORMAT, 0, 0, 0)
    rops = payload[2:rop_size]
    handles = list(struct.unpack_from("<%dI" % ((len(payload) - rop_size) // 4), payload, rop_size))
    try:
        out, handles = mbx_rops.execute(ctx["session"], rops, handles)
    except (ValueError, struct.error, IndexError) as e:
        # A ROP buffer the server cannot parse fails the whole Execute.
        log["rop_error"] = str(e)
        return struct.pack("<IIIII", 0, EC_RPC_FORMAT, 0, 0, 0)
    log["rops_in"] = len(rops)
    # Writes refused on a read-only fixture ("read_only": true): the test
    # proves the client never tried one.
    refused = ctx["session"].pop("writes_refused", None)
    if refused:
        log["writes_refused"] = refused
    resp = struct.pack("<H", 2 + len(out)) + out + struct.pack("<%dI" % len(handles), *handles)
    ext = rpc_ext(resp, flags)
    log["rpc_flags"] = struct.unpack_from("<H", ext, 2)[0]
    return struct.pack("<IIII", 0, 0, 0, len(ext)) + ext + struct.pack("<I", 0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, entry):
        with LOCK, open(os.path.join(STATE, "requests.log"), "a") as f:
            f.write(json.dumps(entry) + "\n")

    def cookies(self):
        jar = {}
        for part in self.headers.get("Cookie", "").split(";"):
            k, _, v = part.strip().partition("=")
            if k:
                jar[k] = v
        return jar

    def send_fail(self, code, text, extra=None):
        body = ("<html><head><title>%d</title></head><body>%s</body></html>"
                % (code, text)).encode()
        self.send_response(200)
        self.common_headers(code)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def common_headers(self, code):
        self.send_header("X-RequestType", self.headers.get("X-RequestType", ""))
        self.send_header("X-ResponseCode", str(code))
        self.send_header("X-RequestId", self.headers.get("X-RequestId", ""))
        self.send_header("X-ClientInfo", self.headers.get("X-ClientInfo", ""))
        self.send_header("X-ServerApplication", SERVER_APP)
        self.send_header("X-ExpirationInfo", "900000")
        self.send_header("X-PendingPeriod", "30000")

    def chunk(self, data):
        self.wfile.write(b"%X\r\n" % len(data) + data + b"\r\n")

    def send_ok(self, body, cookies):
        self.send_response(200)
        self.common_headers(0)
        for k, v in cookies.items():
            self.send_header("Set-Cookie", "%s=%s; path=/mapi/; secure; HttpOnly" % (k, v))
        self.send_header("Content-Type", "application/mapi-http")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.chunk(b"PROCESSING\r\n")
        pend = state_file("pending")
        if pend:
            bare = pend == "bare"
            for _ in range(2 if bare else int(pend)):
                self.wfile.flush()
                time.sleep(0.05)
                self.chunk(b"PENDING" if bare else b"PENDING\r\n")
        self.chunk(b"DONE\r\nX-ResponseCode: 0\r\nX-ElapsedTime: 1\r\n"
                   b"X-StartTime: " + self.date_time_string().encode() + b"\r\n\r\n" + body)
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self):
        self.send_fail(2, "invalid verb %s" % self.command)

    do_PUT = do_GET

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(n)
        url = urllib.parse.urlsplit(self.path)
        rtype = self.headers.get("X-RequestType", "")
        log = {"path": url.path, "query": url.query, "type": rtype, "len": len(body),
               "request_id": self.headers.get("X-RequestId", ""),
               "client_info": self.headers.get("X-ClientInfo", ""),
               "client_app": self.headers.get("X-ClientApplication", ""),
               "content_type": self.headers.get("Content-Type", ""),
               "expect": self.headers.get("Expect", ""),
               "cookies": self.cookies(),
               "auth": self.headers.get("Authorization", "").partition(" ")[0]}
        try:
            code, cookies, out = self.handle_mapi(url, rtype, body, log)
            log["code"] = code
        except Refuse as e:
            log["code"] = e.code
            self.record(log)
            self.send_fail(e.code, str(e))
            return
        self.record(log)
        if code == 401:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="mapi"')
            self.send_header("WWW-Authenticate", "Bearer")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_ok(out, cookies)

    def handle_mapi(self, url, rtype, body, log):
        user = find_user(self.headers.get("Authorization"))
        if not user:
            return 401, {}, b""
        log["user"] = user["name"]
        path = url.path.lower()
        if path in ("/mapi/emsmdb/", "/mapi/emsmdb"):
            endpoint, types = "emsmdb", EMSMDB_TYPES
        elif path in ("/mapi/nspi/", "/mapi/nspi"):
            endpoint, types = "nspi", NSPI_TYPES
        else:
            raise Refuse(3, "invalid path %s" % url.path)
        if "mailboxid=" not in url.query.lower():
            raise Refuse(3, "no MailboxId in the URL")
        for h in ("X-RequestType", "X-RequestId", "X-ClientInfo", "X-ClientApplication"):
            if not self.headers.get(h):
                raise Refuse(7, "missing header %s" % h)
        if self.headers.get("Content-Type", "").lower() != "application/mapi-http":
            raise Refuse(4, "Content-Type is not application/mapi-http")
        t = rtype.lower()
        if t not in types:
            raise Refuse(5, "invalid X-RequestType %s" % rtype)
        jar = self.cookies()
        if take_expire():
            with LOCK:
                CONTEXTS.clear()
        creating = t in ("connect", "bind")
        ctx_id = jar.get("MapiContext")
        ctx = None
        if ctx_id:
            with LOCK:
                ctx = CONTEXTS.get(ctx_id)
            if ctx is None and not creating:
                raise Refuse(10, "session context not found")
            if ctx is not None and ctx["user"] != user["name"]:
                raise Refuse(11, "the context belongs to another user")
            if ctx is not None and ctx["endpoint"] != endpoint:
                raise Refuse(6, "the context cookie is of another endpoint")
        elif not creating:
            raise Refuse(13, "missing session context cookie")
        if ctx is not None and not creating and t != "ping" and \
                jar.get("MapiSequence") != ctx["sequence"]:
            raise Refuse(15, "stale MapiSequence cookie")
        if creating:
            # Reconnect = new context; the old one is dropped (HTTP15 3.2.5.6).
            with LOCK:
                if ctx_id:
                    CONTEXTS.pop(ctx_id, None)
            ctx_id = uuid.uuid4().hex
            ctx = {"user": user["name"], "endpoint": endpoint, "sequence": "",
                   "session": {"user": user["name"], "dn": user["dn"],
                               "mailbox": user.get("mailbox")}}
        cookies = {}
        if t == "ping":
            if body:
                raise Refuse(12, "PING has a body")
            return 0, cookies, b""
        if endpoint == "emsmdb":
            if t == "connect":
                out = do_connect(ctx, user, body)
                if struct.unpack_from("<I", out, 4)[0] != 0:
                    return 0, {}, out  # failed Connect: no context
            elif t == "execute":
                out = do_execute(ctx, body, log)
            elif t == "disconnect":
                r = Body(body)
                r.aux()
                r.end()
                with LOCK:
                    CONTEXTS.pop(ctx_id, None)
                return 0, {"MapiContext": "", "MapiSequence": ""}, struct.pack("<III", 0, 0, 0)
            else:
                raise Refuse(5, "%s is not served here" % rtype)
        else:
            if nspi_handler is None:
                raise Refuse(16, "address book endpoint disabled in this build of the server")
            out = nspi_handler.handle(ctx["session"], rtype, body)
            if t == "unbind":
                with LOCK:
                    CONTEXTS.pop(ctx_id, None)
                return 0, {"MapiContext": "", "MapiSequence": ""}, out
        ctx["sequence"] = uuid.uuid4().hex[:12]
        with LOCK:
            CONTEXTS[ctx_id] = ctx
        cookies = {"MapiContext": ctx_id, "MapiSequence": ctx["sequence"]}
        return 0, cookies, out


def main():
    srv = ThreadingHTTPServer((os.environ.get("MAPI_BIND", "127.0.0.1"), 0), Handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(CERT, KEY)
    srv.socket = tls.wrap_socket(srv.socket, server_side=True)
    tmp = os.path.join(STATE, "https.port.tmp")
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, os.path.join(STATE, "https.port"))
    srv.serve_forever()


if __name__ == "__main__":
    main()
