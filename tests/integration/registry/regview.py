#!/usr/bin/env python3
"""regview.py - one canonical, sorted text view of a registry tree, from three
independent readers, so scenario tests can diff them:

  regview.py reg FILE.reg        this script's own .reg parser (not reprofile's)
  regview.py reglookup HIVE      reglookup -H CSV output (libregfi)
  regview.py regfexport HIVE     regfexport text output (libregf)

Output lines:  K <tab> key path           (relative to HKEY_CURRENT_USER / hive root)
               V <tab> key <tab> value name <tab> type <tab> canonical data
Canonical data: s:<text up to the first NUL> for REG_SZ/EXPAND_SZ, m:<a|b|...> for
MULTI_SZ, d:<int> for a 4-byte DWORD, q:<int> for an 8-byte QWORD, x:<hex> else.
--inline-quirk: data of 1-3 bytes becomes "inline:<len>" (libregf 20201007's
regfexport shows such resident data from the wrong end of the 4-byte field,
while hivex and reglookup agree with the format: data in the first bytes)."""
import re
import subprocess
import sys

TYPES = {"NONE": 0, "SZ": 1, "EXPAND_SZ": 2, "BINARY": 3, "DWORD": 4, "DWORD_BE": 5,
         "LINK": 6, "MULTI_SZ": 7, "RSRC_LIST": 8, "RSRC_DESC": 9, "RSRC_REQ_LIST": 10,
         "QWORD": 11}
REGF_TYPES = {"REG_NONE": 0, "REG_SZ": 1, "REG_EXPAND_SZ": 2, "REG_BINARY": 3,
              "REG_DWORD_LITTLE_ENDIAN": 4, "REG_DWORD_BIG_ENDIAN": 5, "REG_LINK": 6,
              "REG_MULTI_SZ": 7, "REG_RESOURCE_LIST": 8,
              "REG_FULL_RESOURCE_DESCRIPTOR": 9,
              "REG_RESOURCE_REQUIREMENTS_LIST": 10, "REG_QWORD_LITTLE_ENDIAN": 11}


def u16(b):
    s = b.decode("utf-16-le", "surrogatepass")
    return s.split("\0", 1)[0]


def canon_bytes(t, b, quirk):
    if quirk and 0 < len(b) < 4:
        return "inline:%d" % len(b)
    if t in (1, 2) and len(b) % 2 == 0:
        return "s:" + u16(b)
    if t == 7 and len(b) % 2 == 0:
        parts = b.decode("utf-16-le", "surrogatepass").split("\0")
        while parts and parts[-1] == "":
            parts.pop()
        return "m:" + "|".join(parts)
    if t == 4 and len(b) == 4:
        return "d:%d" % int.from_bytes(b, "little")
    if t == 11 and len(b) == 8:
        return "q:%d" % int.from_bytes(b, "little")
    return "x:" + b.hex()


class View:
    def __init__(self):
        self.keys = set()
        self.vals = {}

    def key(self, path):
        parts = path.split("\\") if path else []
        for i in range(1, len(parts) + 1):
            self.keys.add("\\".join(parts[:i]))

    def dump(self):
        out = ["K\t" + k for k in self.keys]
        for (k, n), (t, d) in self.vals.items():
            out.append("V\t%s\t%s\t%d\t%s" % (k, n, t, d))
        return "\n".join(sorted(out)) + "\n"


# ---------------------------------------------------------------- .reg text
def parse_reg(path, quirk):
    raw = open(path, "rb").read()
    if raw[:2] == b"\xff\xfe":
        text = raw[2:].decode("utf-16-le")
    elif raw[:3] == b"\xef\xbb\xbf":
        text = raw[3:].decode("utf-8")
    elif raw.startswith(b"REGEDIT4"):
        text = raw.decode("cp1252")
    else:
        text = raw.decode("utf-8")
    lines = text.replace("\r\n", "\n").split("\n")
    ansi = lines[0].strip() == "REGEDIT4"
    v = View()
    cur = None
    i = 1
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line or line.startswith(";"):
            continue
        if line.startswith("["):
            name = line[1:line.rindex("]")]
            dele = name.startswith("-")
            name = name.lstrip("-").rstrip("\\")
            root, _, rest = name.partition("\\")
            if root.upper() not in ("HKEY_CURRENT_USER", "HKCU"):
                cur = None
                continue
            if dele:
                v.keys = {k for k in v.keys if k != rest and not k.startswith(rest + "\\")}
                v.vals = {kn: d for kn, d in v.vals.items()
                          if kn[0] != rest and not kn[0].startswith(rest + "\\")}
                cur = None
                continue
            cur = rest
            if rest:
                v.key(rest)
            continue
        # value line
        if line.startswith("@"):
            name, pos = "", 1
        else:
            m = re.match(r'"((?:[^"\\]|\\.)*)"', line)
            name = re.sub(r"\\(.)", r"\1", m.group(1))
            pos = m.end()
        data = line[pos:].lstrip()[1:].lstrip()
        while data.endswith("\\"):
            data = data[:-1] + lines[i].strip()
            i += 1
        if cur is None:
            continue
        if data == "-":
            v.vals.pop((cur, name), None)
            continue
        if data.startswith('"'):
            s = re.sub(r"\\(.)", r"\1", data[1:data.rindex('"')])
            t, b = 1, (s + "\0").encode("utf-16-le", "surrogatepass")
        elif data.lower().startswith("dword:"):
            t, b = 4, int(data[6:], 16).to_bytes(4, "little")
        else:
            m = re.match(r"hex(?:\(([0-9a-fA-F]+)\))?:(.*)$", data)
            t = int(m.group(1), 16) if m.group(1) else 3
            hx = m.group(2).replace(",", "").replace(" ", "")
            b = bytes.fromhex(hx)
            if ansi and t in (1, 2, 7):
                b = b.decode("cp1252").encode("utf-16-le")
        v.vals[(cur, name)] = (t, canon_bytes(t, b, quirk))
    return v


# ---------------------------------------------------------------- reglookup
def unesc(s):
    """reglookup's %XX escapes -> bytes."""
    out = bytearray()
    i = 0
    raw = s.encode("utf-8", "surrogateescape")
    while i < len(raw):
        if raw[i:i + 1] == b"%" and re.match(rb"[0-9A-Fa-f]{2}", raw[i + 1:i + 3]):
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def rl_name(s):
    """A name as reglookup prints it: 8-bit names are Latin-1, UTF-16 names
    that did not convert come out as their raw bytes, which then contain
    bytes below 0x20 (the high bytes of Greek, Cyrillic, Latin Extended...)."""
    b = unesc(s)
    if len(b) % 2 == 0 and any(c < 0x20 for c in b):
        return b.decode("utf-16-le", "surrogatepass")
    return b.decode("latin-1")


def rl_path(p):
    return "\\".join(rl_name(c) for c in p.strip("/").split("/")) if p.strip("/") else ""


def rl_data(t, s, quirk):
    if t in (1, 2, 7):
        b = unesc(s)
        if b"\0" in b:  # conversion failed: raw UTF-16LE buffer
            return canon_bytes(t, b, quirk)
        txt = b.decode("latin-1")
        if quirk and t in (1, 2) and 0 < (len(txt) + 1) * 2 < 4:
            pass
        return ("m:" if t == 7 else "s:") + txt
    if t == 4 and s.startswith("0x"):
        return "d:%d" % int(s, 16)
    if t == 11 and s.startswith("0x"):
        return "q:%d" % int(s, 16)
    if s == "(null)":
        return "x:"
    return canon_bytes(t, unesc(s), quirk)


def parse_reglookup(hive, quirk):
    out = subprocess.run(["reglookup", "-H", hive], capture_output=True, check=True)
    v = View()
    for line in out.stdout.decode("utf-8", "surrogateescape").splitlines():
        f = line.split(",")
        if len(f) < 4:
            raise SystemExit("regview: odd reglookup line: " + line)
        path, typ, val = f[0], f[1], ",".join(f[2:-1])
        if typ == "KEY":
            k = rl_path(path)
            if k:
                v.key(k)
            continue
        kpath, _, vname = path.rpartition("/")
        t = TYPES.get(typ)
        if t is None:
            t = int(typ, 16)
        v.vals[(rl_path(kpath), rl_name(vname))] = (t, rl_data(t, val, quirk))
    return v


# ---------------------------------------------------------------- regfexport
def parse_regfexport(hive, quirk):
    out = subprocess.run(["regfexport", hive], capture_output=True, check=True)
    lines = out.stdout.decode("utf-8").split("\n")
    v = View()
    key = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("Key path: "):
            p = line[len("Key path: "):]
            key = p.split("\\", 1)[1] if "\\" in p else ""
            if key:
                v.key(key)
        elif line.startswith("Value: "):
            name = line.split(" ", 2)[2] if line.count(" ") >= 2 else ""
            if name == "(default)":
                name = ""
            typ = lines[i]
            i += 1
            m = re.search(r"\((REG_[A-Z_]+)\)$", typ)
            t = REGF_TYPES[m.group(1)] if m else int(typ.rsplit(" ", 1)[1], 16)
            size = int(lines[i].split(": ")[1])
            i += 1
            b = None
            txt = None
            if i < len(lines) and lines[i].startswith("Data:"):
                rest = lines[i][len("Data:"):]
                i += 1
                if rest == "":
                    b = bytearray()
                    while i < len(lines) and re.match(r"[0-9a-f]{8}: ", lines[i]):
                        b += bytes.fromhex(lines[i][10:58].replace(" ", ""))
                        i += 1
                    b = bytes(b)
                else:
                    txt = rest[1:]
            if quirk and 0 < size < 4:
                d = "inline:%d" % size
            elif b is not None or txt is None and size == 0:
                d = canon_bytes(t, b or b"", quirk)
            elif t in (1, 2):
                d = "s:" + txt
            elif t == 4:
                d = "d:%d" % (int(txt) & 0xFFFFFFFF)
            elif t == 11:
                d = "q:%d" % (int(txt) & 0xFFFFFFFFFFFFFFFF)
            else:
                d = "?:" + txt
            v.vals[(key, name)] = (t, d)
    return v


def main():
    args = sys.argv[1:]
    quirk = "--inline-quirk" in args
    args = [a for a in args if a != "--inline-quirk"]
    if len(args) != 2:
        raise SystemExit(__doc__)
    fn = {"reg": parse_reg, "reglookup": parse_reglookup,
          "regfexport": parse_regfexport}[args[0]]
    view = fn(args[1], quirk)
    if not view.keys:
        raise SystemExit("regview: %s: no keys at all (wrong file?)" % args[1])
    sys.stdout.write(view.dump())


if __name__ == "__main__":
    main()
