#!/usr/bin/env python3
"""Loopback HTTPS server for the authentication scenarios: an Autodiscover
endpoint that demands credentials, and a mock OAuth 2.0 authority answering
the device-code flow (RFC 8628) the way the Microsoft identity platform does
(field and error names from MicrosoftDocs/entra-docs
v2-oauth2-device-code.md). Never a real Microsoft host.

Usage: auth_server.py CERT KEY ADX_DIR STATE_DIR USER:PASSWORD
  POST /basic/autodiscover/autodiscover.xml   401 unless HTTP Basic USER:PASSWORD
  POST /bearer/autodiscover/autodiscover.xml  401 unless "Bearer mock-token-ok"
  POST /ntlm/autodiscover/autodiscover.xml    401 unless an NTLMv2 handshake
      proves USER (DOMAIN\\user) and PASSWORD (ntlm.py, [MS-NLMP] 3.3.2)
  POST /upn/autodiscover/autodiscover.xml     401 unless HTTP Basic
      admin@target.example:PASSWORD (a UPN login on premises)
  POST /open/autodiscover/autodiscover.xml    no authentication
      then ADX_DIR/<address>.xml, or an Autodiscover error 500
  POST /<tenant>/oauth2/v2.0/devicecode, /<tenant>/oauth2/v2.0/token
      tenant ok        pending, slow_down, then the token mock-token-ok
      tenant expired   pending, then expired_token
      tenant short     expires_in 2, always pending (the client gives up)
      tenant declined  authorization_declined
      tenant badclient devicecode refused: invalid_client (HTTP 400)
      tenant wrongtoken the token mock-token-bad (Autodiscover refuses it)
Writes STATE_DIR/https.port, and one JSON line per request to
STATE_DIR/requests.log (path, auth, form fields, time, the client's port:
one per connection).
"""
import base64
import json
import os
import re
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import ntlm

CERT, KEY, ADX, STATE, CRED = sys.argv[1:6]
NTLM_DOMAIN = CRED.partition("\\")[0] or "CORP"
LOCK = threading.Lock()
POLLS = {}
NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"


def ad_error(code, msg):
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s">'
            '<Response><Error Time="12:00:00" Id="1"><ErrorCode>%d</ErrorCode>'
            '<Message>%s</Message><DebugData /></Error></Response></Autodiscover>'
            % (NS, code, msg)).encode()


def oauth_error(err, desc, status=400):
    return status, {"error": err, "error_description": desc,
                    "error_codes": [70016], "trace_id": "t", "correlation_id": "c"}


def devicecode(tenant, form):
    if tenant == "badclient":
        return oauth_error("invalid_client", "AADSTS700016: Application not found in the directory.")
    expires = 2 if tenant == "short" else 60
    return 200, {"device_code": "dc-%s" % tenant, "user_code": "MOCK-%s" % tenant.upper(),
                 "verification_uri": "https://microsoft.example/devicelogin",
                 "expires_in": expires, "interval": 1,
                 "message": "To sign in, use a web browser (mock)."}


def token(tenant, form):
    if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:device_code":
        return oauth_error("unsupported_grant_type", "bad grant_type")
    if form.get("device_code") != "dc-%s" % tenant:
        return oauth_error("bad_verification_code", "unknown device_code")
    with LOCK:
        n = POLLS[tenant] = POLLS.get(tenant, 0) + 1
    if tenant == "ok":
        if n == 1:
            return oauth_error("authorization_pending", "AADSTS70016: pending")
        if n == 2:
            return oauth_error("slow_down", "slow down")
        return 200, {"token_type": "Bearer", "scope": form.get("scope", ""),
                     "expires_in": 3599, "access_token": "mock-token-ok",
                     "refresh_token": "mock-refresh"}
    if tenant == "wrongtoken":
        return 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": "mock-token-bad"}
    if tenant == "expired":
        if n == 1:
            return oauth_error("authorization_pending", "AADSTS70016: pending")
        return oauth_error("expired_token", "AADSTS70020: The provided value for the input "
                           "parameter 'device_code' is not valid. This device code has expired.")
    if tenant == "declined":
        return oauth_error("authorization_declined", "AADSTS70000: The user declined.")
    return oauth_error("authorization_pending", "AADSTS70016: pending")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def auth(self):
        h = self.headers.get("Authorization", "")
        if h.startswith("Basic "):
            try:
                return "basic:" + base64.b64decode(h[6:]).decode("utf-8", "replace")
            except ValueError:
                return "basic:?"
        if h.startswith("Bearer "):
            return "bearer:" + h[7:]
        return h.split(" ")[0].lower() + ":" if h else ""

    def ntlm(self):
        """(accepted, WWW-Authenticate value, what the Type 3 proved). The
        challenge lives on this connection: NTLM authenticates connections."""
        h = self.headers.get("Authorization", "")
        if not h.startswith("NTLM "):
            return False, "NTLM", ""
        try:
            msg = base64.b64decode(h[5:], validate=True)
            kind = ntlm.message_type(msg)
            if kind == 1:
                self.ntlm_challenge = ntlm.new_challenge()
                t2 = ntlm.challenge_message(self.ntlm_challenge, NTLM_DOMAIN, "ADSRV")
                return False, "NTLM " + base64.b64encode(t2).decode(), "type1"
            chal, self.ntlm_challenge = getattr(self, "ntlm_challenge", None), None
            if kind != 3 or chal is None:
                return False, "NTLM", "unexpected type %d" % kind
            user, _, password = CRED.partition(":")
            ok, who = ntlm.verify(msg, chal, user, password)
            return ok, "NTLM", ("ok:" if ok else "bad:") + who
        except ValueError as e:
            return False, "NTLM", "malformed: %s" % e

    def record(self, **kw):
        kw.update({"path": self.path, "auth": self.auth(), "time": time.time(),
                   "peer": self.client_address[1]})
        with LOCK, open(os.path.join(STATE, "requests.log"), "a") as f:
            f.write(json.dumps(kw) + "\n")

    def reply(self, status, headers, body, ctype):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        m = re.fullmatch(r"/([a-z]+)/oauth2/v2\.0/(devicecode|token)", self.path)
        if m:
            form = dict(urllib.parse.parse_qsl(body.decode()))
            self.record(form=form)
            status, js = (devicecode if m.group(2) == "devicecode" else token)(m.group(1), form)
            self.reply(status, {}, json.dumps(js).encode(), "application/json; charset=utf-8")
            return
        am = re.search(rb"<EMailAddress>([^<]*)</EMailAddress>", body)
        addr = am.group(1).decode() if am else ""
        auth = self.auth()
        if self.path.startswith("/ntlm/"):
            ok, challenge, who = self.ntlm()
            self.record(address=addr, ntlm=who)
        else:
            self.record(address=addr)
        if self.path.startswith("/ntlm/"):
            pass
        elif self.path.startswith("/basic/"):
            ok = auth == "basic:" + CRED
            challenge = 'Basic realm="autodiscover"'
        elif self.path.startswith("/upn/"):
            # an on-premises server taking a UPN login with Basic
            ok = auth == "basic:admin@target.example:" + CRED.partition(":")[2]
            challenge = 'Basic realm="autodiscover"'
        elif self.path.startswith("/open/"):
            ok, challenge = True, ""
        elif self.path.startswith("/bearer/"):
            ok = auth == "bearer:mock-token-ok"
            challenge = 'Bearer authorization_uri="https://login.example/common"'
        else:
            ok, challenge = False, "Basic"
        if not ok:
            self.reply(401, {"WWW-Authenticate": challenge}, b"", "text/plain")
            return
        path = os.path.join(ADX, addr + ".xml")
        if addr and os.path.isfile(path):
            with open(path, "rb") as f:
                data = f.read()
        else:
            data = ad_error(500, "The email address can't be found.")
        self.reply(200, {}, data, "text/xml; charset=utf-8")


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(CERT, KEY)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = os.path.join(STATE, "https.port.tmp")
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, os.path.join(STATE, "https.port"))
    srv.serve_forever()


if __name__ == "__main__":
    main()
