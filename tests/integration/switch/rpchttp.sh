#!/bin/sh
# Outlook Anywhere (RPC over HTTP) settings of the target (issue 7, 2.2): the
# EXPR section's CertPrincipalName decides the proxy principal name value
# (001f6625, PR_ROH_PROXY_PRINCIPAL_NAME) and the MUTUAL_AUTH bit (0x4) of
# the RPC/HTTP flags (00036623, PR_ROH_FLAGS) together, as Outlook would:
#   "None"   no principal-name check: the bit off, no principal value;
#   absent   msstd:<EXPR Server> (the POX reference's default), the bit on;
#   a name   that name, the bit on.
# The fixture's source account has flags 0x2F and msstd:outlook.source.example.
. "$(dirname "$0")/common.sh"
SRC=alice.martin@source.example
DST=alice.martin@target.example

# values: the primary account's section of the switched profile, as
# "<flags hex> <principal or ->".
values() {
	export_key "$(field "d['root_path']")" "$RP_TMP/after.reg"
	u8 "$RP_TMP/after.reg" | python3 -c '
import re, sys
text = sys.stdin.read().replace("\\\n  ", "")
for sec in text.split("\n\n"):
    if "\"001f6622\"" not in sec:
        continue
    f = re.search(r"\"00036623\"=hex:([0-9a-f,]+)", sec)
    p = re.search(r"\"001f6625\"=hex:([0-9a-f,]+)", sec)
    flags = int.from_bytes(bytes.fromhex(f.group(1).replace(",", "")), "little") if f else -1
    name = bytes.fromhex(p.group(1).replace(",", "")).decode("utf-16-le").rstrip("\0") if p else "-"
    print("%#x %s" % (flags, name))
    break
else:
    print("no RPC/HTTP section")'
}

# answer PRINCIPAL-LINE: the target answer with this EXPR CertPrincipalName
# line ("" = none at all).
answer() {
	target "$DST"
	python3 - "$RP_TMP/adx/$DST.xml" "$1" <<'PY'
import re, sys
path, line = sys.argv[1], sys.argv[2]
x = open(path).read()
i = x.index("<Type>EXPR</Type>")
j = x.index("</Protocol>", i)
sec = re.sub(r"\s*<CertPrincipalName>[^<]*</CertPrincipalName>", "", x[i:j])
sec = sec.replace("<SSL>On</SSL>", "<SSL>On</SSL>" + line)
open(path, "w").write(x[:i] + sec + x[j:])
PY
}

check() { # PRINCIPAL-LINE WANT STEP
	load "$FIX/outlook2013-rpchttp.reg"
	[ "$(values)" = "0x2f msstd:outlook.source.example" ] || die "fixture: $(values)"
	switches "$SRC=$DST"
	answer "$1"
	ini "ProcessOfflineProfiles=1" "AllowAdditionalServices=All"
	run update
	expect_rc 1 "$3"
	got=$(values)
	[ "$got" = "$2" ] || die "$3: RPC/HTTP flags and principal '$got', want '$2'"
	echo "ok: $3: $got"
}
check "<CertPrincipalName>None</CertPrincipalName>" "0x2b -" "CertPrincipalName None"
check "" "0x2f msstd:outlook.office365.com" "CertPrincipalName absent"
check "<CertPrincipalName>msstd:outlook.com</CertPrincipalName>" "0x2f msstd:outlook.com" \
	"CertPrincipalName given"
echo "ok: RPC/HTTP principal name and flags"
