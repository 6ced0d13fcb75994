#!/usr/bin/env python3
"""Server side of NTLM over HTTP for the authentication scenarios: a Type 2
(CHALLENGE_MESSAGE) with a random server challenge and target info, and a
check of the client's Type 3 (AUTHENTICATE_MESSAGE) NTLMv2 response for one
known account. Layouts and formulas: [MS-NLMP] 2.2.1.1-2.2.1.3 (messages),
2.2.2.1 (AV_PAIR), 2.2.2.7 (NTLMv2_CLIENT_CHALLENGE), 3.3.2 (NTLMv2:
NTOWFv2, NTProofStr). MD4 is not in Python's hashlib under OpenSSL 3, so it
is written here after RFC 1320.

Run directly, it checks itself against RFC 1320 A.5 and [MS-NLMP] 4.2.4.
"""
import hashlib
import hmac
import os
import struct
import sys

SIG = b"NTLMSSP\0"
# [MS-NLMP] 2.2.2.5 NEGOTIATE flags
UNICODE = 0x00000001
REQUEST_TARGET = 0x00000004
NTLM = 0x00000200
ALWAYS_SIGN = 0x00008000
TARGET_TYPE_DOMAIN = 0x00010000
EXTENDED_SESSIONSECURITY = 0x00080000
TARGET_INFO = 0x00800000


def md4(data):
    """RFC 1320 section 3: 3 rounds of 16 operations on 64-byte blocks."""
    mask = 0xFFFFFFFF

    def rol(x, n):
        return ((x << n) | (x >> (32 - n))) & mask

    msg = bytearray(data)
    bits = (8 * len(data)) & 0xFFFFFFFFFFFFFFFF
    msg.append(0x80)
    while len(msg) % 64 != 56:
        msg.append(0)
    msg += struct.pack("<Q", bits)
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]
    for off in range(0, len(msg), 64):
        x = struct.unpack("<16I", msg[off:off + 64])
        a, b, c, d = h

        def f(x_, y, z):
            return (x_ & y) | (~x_ & z)

        def g(x_, y, z):
            return (x_ & y) | (x_ & z) | (y & z)

        for i in range(16):  # round 1: F, shifts 3 7 11 19
            k = i
            s = (3, 7, 11, 19)[i % 4]
            a, b, c, d = d, rol((a + f(b, c, d) + x[k]) & mask, s), b, c
        for i in range(16):  # round 2: G + 0x5A827999, columns of x
            k = (i % 4) * 4 + i // 4
            s = (3, 5, 9, 13)[i % 4]
            a, b, c, d = d, rol((a + g(b, c, d) + x[k] + 0x5A827999) & mask, s), b, c
        for i in range(16):  # round 3: H + 0x6ED9EBA1, bit-reversed order
            k = (0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15)[i]
            s = (3, 9, 11, 15)[i % 4]
            a, b, c, d = d, rol((a + (b ^ c ^ d) + x[k] + 0x6ED9EBA1) & mask, s), b, c
        h = [(v + w) & mask for v, w in zip(h, (a, b, c, d))]
    return struct.pack("<4I", *h)


def ntowfv2(password, user, domain):
    """[MS-NLMP] 3.3.2: HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(Uppercase(User) + UserDom))."""
    key = md4(password.encode("utf-16-le"))
    return hmac.new(key, (user.upper() + domain).encode("utf-16-le"), hashlib.md5).digest()


def nt_proof(key, server_challenge, blob):
    """[MS-NLMP] 3.3.2: NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge + temp)."""
    return hmac.new(key, server_challenge + blob, hashlib.md5).digest()


def av_pairs(domain, computer):
    """[MS-NLMP] 2.2.2.1: MsvAvNbDomainName (2), MsvAvNbComputerName (1), MsvAvEOL."""
    out = b""
    for av_id, text in ((2, domain), (1, computer)):
        v = text.encode("utf-16-le")
        out += struct.pack("<HH", av_id, len(v)) + v
    return out + b"\0\0\0\0"


def challenge_message(server_challenge, domain, computer):
    """[MS-NLMP] 2.2.1.2 CHALLENGE_MESSAGE (no Version field)."""
    target = domain.encode("utf-16-le")
    info = av_pairs(domain, computer)
    flags = (UNICODE | REQUEST_TARGET | NTLM | ALWAYS_SIGN | TARGET_TYPE_DOMAIN
             | EXTENDED_SESSIONSECURITY | TARGET_INFO)
    head = 48
    return (SIG + struct.pack("<I", 2)
            + struct.pack("<HHI", len(target), len(target), head)
            + struct.pack("<I", flags) + server_challenge + b"\0" * 8
            + struct.pack("<HHI", len(info), len(info), head + len(target))
            + target + info)


def _field(msg, at):
    ln, _, off = struct.unpack_from("<HHI", msg, at)
    if off + ln > len(msg):
        raise ValueError("field out of the message")
    return msg[off:off + ln]


def message_type(msg):
    if len(msg) < 12 or msg[:8] != SIG:
        raise ValueError("not an NTLMSSP message")
    return struct.unpack_from("<I", msg, 8)[0]


def parse_authenticate(msg):
    """[MS-NLMP] 2.2.1.3 AUTHENTICATE_MESSAGE: (domain, user, NtChallengeResponse)."""
    if message_type(msg) != 3 or len(msg) < 64:
        raise ValueError("not an AUTHENTICATE_MESSAGE")
    flags = struct.unpack_from("<I", msg, 60)[0]
    enc = "utf-16-le" if flags & UNICODE else "latin-1"
    nt = _field(msg, 20)
    domain = _field(msg, 28).decode(enc)
    user = _field(msg, 36).decode(enc)
    return domain, user, nt


def verify(msg, server_challenge, account, password):
    """True when the Type 3 is an NTLMv2 response of account (DOMAIN\\user,
    domain compared case-insensitively) with password to server_challenge."""
    domain, user, nt = parse_authenticate(msg)
    want_domain, _, want_user = account.rpartition("\\")
    if user.lower() != want_user.lower() or domain.upper() != want_domain.upper():
        return False, "%s\\%s" % (domain, user)
    # NTLMv2 response: NTProofStr (16) then NTLMv2_CLIENT_CHALLENGE (2.2.2.7),
    # which starts with RespType 1, HiRespType 1.
    if len(nt) < 16 + 28 or nt[16:18] != b"\x01\x01":
        return False, "%s\\%s (not NTLMv2)" % (domain, user)
    key = ntowfv2(password, user, domain)
    ok = hmac.compare_digest(nt_proof(key, server_challenge, nt[16:]), nt[:16])
    return ok, "%s\\%s" % (domain, user)


def new_challenge():
    return os.urandom(8)


def selftest():
    # RFC 1320 A.5 test suite.
    assert md4(b"").hex() == "31d6cfe0d16ae931b73c59d7e0c089c0"
    assert md4(b"abc").hex() == "a448017aaf21d8525fc10ae87aa6729d"
    assert md4(b"message digest").hex() == "d9130a8164549fe818874806e1c7014b"
    assert md4(b"1234567890" * 8).hex() == "e33b4ddc9c38f2199c3e7b164fcc0536"
    # [MS-NLMP] 4.2.4: User "User", UserDom "Domain", Passwd "Password",
    # ServerChallenge 0123456789abcdef, ClientChallenge aa*8, Time 0,
    # AV pairs NbDomainName "Domain", NbComputerName "Server".
    key = ntowfv2("Password", "User", "Domain")
    assert key.hex() == "0c868a403bfd7a93a3001ef22ef02e3f", key.hex()
    temp = (b"\x01\x01" + b"\0" * 6 + b"\0" * 8 + b"\xaa" * 8 + b"\0" * 4
            + av_pairs("Domain", "Server") + b"\0" * 4)
    proof = nt_proof(key, bytes.fromhex("0123456789abcdef"), temp)
    assert proof.hex() == "68cd0ab851e51c96aabc927bebef6a1c", proof.hex()
    print("ok: MD4 (RFC 1320 A.5) and NTLMv2 ([MS-NLMP] 4.2.4) self-test")


if __name__ == "__main__":
    selftest() if sys.argv[1:] == ["--selftest"] else sys.exit("usage: ntlm.py --selftest")
