#!/usr/bin/env python3
"""Loopback Autodiscover test server (HTTPS POX + plain HTTP redirect).

Usage: adisc_server.py CERT KEY FIXTURE_DIR STATE_DIR [files]
Writes STATE_DIR/https.port and STATE_DIR/http.port once listening, and one
JSON line per request to STATE_DIR/requests.log. Behaviour is chosen by the
local part of the EMailAddress in the POX request (see BEHAVIOUR below);
settings responses are the project's own fixtures.

With "files" (the update scenarios) every POST is answered from FIXTURE_DIR:
<address>.xml, else <domain>.xml, else ErrorCode 500; a path containing
"auth401" answers 401 instead, one containing "movedorg" redirectAddr to
<local part>@target.example for every address. The test writes the answers it needs there.
ADISC_BIND (environment) sets the address to listen on (default 127.0.0.1);
ADISC_BASIC=user:password (files mode) demands HTTP Basic with that account.
Each request's log line has the Authorization scheme sent ("auth") and the
client's port ("peer": one per connection).
"""
import base64
import json
import os
import re
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CERT, KEY, FIX, STATE = sys.argv[1:5]
FILES = len(sys.argv) > 5 and sys.argv[5] == "files"
NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
NS_A = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
LOG_LOCK = threading.Lock()


def fixture(name):
    with open(os.path.join(FIX, name), "rb") as f:
        return f.read()


def redirect_addr(to):
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s">'
            '<Response xmlns="%s"><Account><Action>redirectAddr</Action>'
            '<RedirectAddr>%s</RedirectAddr></Account></Response></Autodiscover>'
            % (NS, NS_A, to)).encode()


def redirect_url(to):
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s">'
            '<Response xmlns="%s"><Account><Action>redirectUrl</Action>'
            '<RedirectUrl>%s</RedirectUrl></Account></Response></Autodiscover>'
            % (NS, NS_A, to)).encode()


def error(code, msg):
    # Error directly under Response in the base namespace, as real servers do.
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s">'
            '<Response><Error Time="12:00:00.0000000" Id="77"><ErrorCode>%d</ErrorCode>'
            '<Message>%s</Message><DebugData /></Error></Response></Autodiscover>'
            % (NS, code, msg)).encode()


def behaviour_files(addr, path):
    if "auth401" in path.lower():
        return 401, {"WWW-Authenticate": 'Basic realm="autodiscover"'}, b""
    if "movedorg" in path.lower():
        # a source organisation whose every mailbox moved to target.example,
        # answered the way gromox does: one redirect for every address asked
        # (the target's own addresses included)
        return 200, {}, redirect_addr(addr.partition("@")[0] + "@target.example")
    _, _, domain = addr.partition("@")
    for name in (addr, domain):
        p = os.path.join(FIX, name.lower() + ".xml")
        if name and os.path.isfile(p):
            with open(p, "rb") as f:
                return 200, {}, f.read()
    return 200, {}, error(500, "The email address can't be found.")


def behaviour(addr, path):
    """(status, headers, body) for a POST about addr at path."""
    if FILES:
        return behaviour_files(addr, path)
    local, _, domain = addr.partition("@")
    if path.lower().startswith("/moved/"):
        return 200, {}, fixture("onprem-source.xml")
    if path.lower().startswith("/redir/"):
        return 200, {}, fixture("o365-target.xml")
    if local == "ada" and domain == "source.example":
        return 200, {}, redirect_addr("ada@target.example")
    if domain == "target.example":
        return 200, {}, fixture("o365-target.xml")
    if local in ("carl", "dave"):
        return 200, {}, fixture("onprem-source.xml")
    if local == "url":
        return 200, {}, redirect_url("https://autodiscover.target.example/redir/autodiscover.xml")
    m = re.fullmatch(r"err(\d+)", local)
    if m:
        return 200, {}, error(int(m.group(1)), "Test error %s" % m.group(1))
    if local == "auth":
        return 401, {"WWW-Authenticate": 'Basic realm="autodiscover"'}, b""
    if local == "loop":
        return 302, {"Location": path}, b""
    if local == "post302":
        return 302, {"Location": "/moved/autodiscover.xml"}, b""
    m = re.fullmatch(r"chain(\d+)", local)
    if m:
        n = int(m.group(1))
        if n >= 11:
            return 200, {}, fixture("onprem-source.xml")
        return 200, {}, redirect_addr("chain%d@%s" % (n + 1, domain))
    if local == "aloop":
        return 200, {}, redirect_addr("bloop@" + domain)
    if local == "bloop":
        return 200, {}, redirect_addr("aloop@" + domain)
    if local == "html":
        return 200, {}, b"<html><body>not autodiscover</body></html>"
    return 200, {}, error(500, "The email address can't be found.")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, body, addr):
        entry = {
            "scheme": "https" if isinstance(self.connection, ssl.SSLSocket) else "http",
            "method": self.command, "path": self.path,
            "host": self.headers.get("Host", ""),
            "content_type": self.headers.get("Content-Type", ""),
            "mapihttp": self.headers.get("X-MapiHttpCapability", ""),
            "anchor": self.headers.get("X-AnchorMailbox", ""),
            "address": addr, "body_len": len(body),
            "auth": self.headers.get("Authorization", "").split(" ")[0].lower(),
            "peer": self.client_address[1],
        }
        with LOG_LOCK, open(os.path.join(STATE, "requests.log"), "a") as f:
            f.write(json.dumps(entry) + "\n")

    def reply(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if body:
            self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        m = re.search(rb"<EMailAddress>([^<]*)</EMailAddress>", body)
        addr = m.group(1).decode() if m else ""
        self.record(body, addr)
        want = os.environ.get("ADISC_BASIC")
        if FILES and want and self.headers.get("Authorization", "") != \
                "Basic " + base64.b64encode(want.encode()).decode():
            self.reply(401, {"WWW-Authenticate": 'Basic realm="autodiscover"'}, b"")
            return
        self.reply(*behaviour(addr, self.path))

    def do_GET(self):
        self.record(b"", "")
        if isinstance(self.connection, ssl.SSLSocket):
            self.reply(405, {}, b"")
        else:
            # MS-OXDISCO 3.1.5.3: the HTTP endpoint redirects to the real one.
            self.reply(302, {"Location":
                             "https://autodiscover.target.example/autodiscover/autodiscover.xml"}, b"")


def main():
    bind = os.environ.get("ADISC_BIND", "127.0.0.1")
    https = ThreadingHTTPServer((bind, 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(CERT, KEY)
    https.socket = ctx.wrap_socket(https.socket, server_side=True)
    http = ThreadingHTTPServer((bind, 0), Handler)
    for srv, name in ((https, "https.port"), (http, "http.port")):
        tmp = os.path.join(STATE, name + ".tmp")
        with open(tmp, "w") as f:
            f.write(str(srv.server_address[1]))
        os.rename(tmp, os.path.join(STATE, name))
    threading.Thread(target=http.serve_forever, daemon=True).start()
    https.serve_forever()


if __name__ == "__main__":
    main()
