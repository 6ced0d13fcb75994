#!/usr/bin/env python3
"""Per-user .reg files, switch-list rows and local Autodiscover answers for
the bulk switch benchmark (bench/switch/run.sh).

    gen_users.py SOURCE_DIR OUT_DIR N

User i gets outlook2016-online.reg (even i) or outlook2016-cached.reg (odd i)
with the mailbox's local part replaced everywhere (text values, and ASCII or
UTF-16LE inside binary values such as the store entry ID) by one of the SAME
length, so binary structures keep their sizes: bob.nguyen -> u0007guyen.
Writes OUT_DIR/regs/uNNNN.reg, appends "source,target,,o365" rows to
OUT_DIR/switch.csv (which must already hold the header) and writes
OUT_DIR/adx/<target>.xml from tests/fixtures/autodiscover/o365-target.xml
readdressed (as tests/integration/switch/common.sh does).
"""
import os
import re
import sys

FIXTURES = (("outlook2016-online.reg", "bob.nguyen"), ("outlook2016-cached.reg", "carol.smith"))
HEX_RE = re.compile(r'^("(?:[^"\\]|\\.)*"|@)=hex(\([0-9a-fA-F]+\))?:(.*)$')


def logical_lines(text):
    """.reg lines with the backslash continuations of hex values joined."""
    out, cur = [], ""
    for line in text.splitlines():
        if cur:
            line = line.lstrip()
        if line.endswith("\\") and "=hex" in (cur + line):
            cur += line[:-1]
            continue
        out.append(cur + line)
        cur = ""
    if cur:
        out.append(cur)
    return out


def readdress(text, old, new):
    pairs = [(old.encode("ascii"), new.encode("ascii")),
             (old.encode("utf-16-le"), new.encode("utf-16-le"))]
    out, hits = [], 0
    for line in logical_lines(text):
        m = HEX_RE.match(line)
        if m:
            data = bytes(int(b, 16) for b in m.group(3).split(",") if b.strip())
            for a, b in pairs:
                hits += data.count(a)
                data = data.replace(a, b)
            line = "%s=hex%s:%s" % (m.group(1), m.group(2) or "",
                                    ",".join("%02x" % b for b in data))
        else:
            hits += line.count(old)
            line = line.replace(old, new)
        out.append(line)
    return "\r\n".join(out) + "\r\n", hits


def main():
    src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fx = os.path.join(src, "tests", "fixtures", "profiles")
    xml = open(os.path.join(src, "tests", "fixtures", "autodiscover", "o365-target.xml"),
               encoding="utf-8").read()
    texts = [(open(os.path.join(fx, f), encoding="ascii").read(), lp) for f, lp in FIXTURES]
    os.makedirs(os.path.join(out, "regs"), exist_ok=True)
    os.makedirs(os.path.join(out, "adx"), exist_ok=True)
    with open(os.path.join(out, "switch.csv"), "a", encoding="ascii") as sl:
        for i in range(n):
            text, old = texts[i % 2]
            new = ("u%04d" % i) + old[5:]
            assert len(new) == len(old)
            reg, hits = readdress(text, old, new)
            if hits < 2:
                sys.exit("gen_users: %s not found in the fixture" % old)
            with open(os.path.join(out, "regs", "u%04d.reg" % i), "w", encoding="ascii",
                      newline="") as f:
                f.write(reg)
            dst = new + "@target.example"
            sl.write("%s@source.example,%s,,o365\n" % (new, dst))
            with open(os.path.join(out, "adx", dst + ".xml"), "w", encoding="utf-8") as f:
                f.write(xml.replace("ada@target.example", dst)
                        .replace("Ada Target", new + " (target)")
                        .replace("-ada<", "-" + new + "<"))


if __name__ == "__main__":
    main()
