#!/usr/bin/env python3
"""gen_profiles.py FIXTURE.reg N DOMAINS OUT.reg ADDRS.txt

Copies the one Exchange profile of FIXTURE.reg (tests/fixtures/profiles/
outlook2016-online.reg, user bob.nguyen@source.example) N times into one .reg
file, as profiles P000..P<N-1> of users u000.bench..u<N-1>.bench spread over
DOMAINS source domains sour1e.example, sour2e.example, ...  Names keep their
length (10 and 14 characters), so the binary values (entry IDs, UTF-16
strings) stay well-formed byte for byte. ADDRS.txt gets one "address DN" line
per profile."""
import re
import sys

fix, n, ndom, out, addrs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
text = open(fix, encoding="ascii").read().replace("\r\n", "\n")
header, _, body = text.partition("\n\n")
blocks = body.split("\n\n")
root = [b for b in blocks if b.startswith("[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook]")]
profile = [b for b in blocks if "\\Profiles\\Outlook" in b.split("\n", 1)[0]]
assert root and profile, "fixture layout changed"
USER, DOM = "bob.nguyen", "source.example"


def swap_bytes(data, user, dom):
    for a, b in ((USER, user), (DOM, dom)):
        data = data.replace(a.encode(), b.encode())
        data = data.replace(a.encode("utf-16-le"), b.encode("utf-16-le"))
    return data


def rewrite(block, i, user, dom):
    lines = block.replace("\\\n  ", "").split("\n")
    res = []
    for line in lines:
        if line.startswith("["):
            line = line.replace("\\Profiles\\Outlook", "\\Profiles\\P%03d" % i)
        else:
            m = re.match(r'^(".*?"=)(hex(?:\([0-9a-f]+\))?:)(.*)$', line)
            if m:
                data = bytes.fromhex(m.group(3).replace(",", "")) if m.group(3) else b""
                data = swap_bytes(data, user, dom)
                line = m.group(1) + m.group(2) + ",".join("%02x" % c for c in data)
            else:
                line = line.replace(USER, user).replace(DOM, dom)
        res.append(line)
    return "\n".join(res)


with open(out, "w", encoding="ascii", newline="\r\n") as f, open(addrs, "w") as a:
    f.write(header + "\n\n" + root[0].replace('"Outlook"', '"P000"') + "\n\n")
    for i in range(n):
        user, dom = "u%03d.bench" % i, "sour%de.example" % (i % ndom + 1)
        assert len(user) == len(USER) and len(dom) == len(DOM)
        for b in profile:
            f.write(rewrite(b, i, user, dom) + "\n\n")
        a.write("%s@%s\n" % (user, dom))
