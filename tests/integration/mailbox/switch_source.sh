#!/bin/sh
# Scenario: SwitchSources=message (docs/switch.md, docs/switch-message.md).
# update reads the switch message from the SOURCE mailbox over MAPI/HTTP
# (loopback mapi_server.py) with the run's source account (Admin/Password),
# at the MailStore URL of the source's Autodiscover answer (loopback
# Autodiscover server; no AutodiscoverTargetURL: its one folder of answers
# would also answer for the source address). The source mailbox fixtures
# are "read_only": the server refuses and records any write ROP, and every
# step asserts none came.
#   1. none in the mailbox: bit 2 (CPUU_NO_SWITCH_MSG), status 0, no write
#   2. a malformed one (a PT_STRING8 target DN): bit 512, status 4, no write
#   3. the mailbox cannot be opened (wrong password): status 4, bit 4, no write
#   4. a switch message without the recreate message: switched to its target;
#      KeepOST=1 is ignored (the OST path goes)
#   5. with the recreate message: switched, KeepOST=1 keeps the OST path
. "$RP_SOURCE_DIR/tests/integration/switch/common.sh"
load "$FIX/outlook2016-cached.reg"
SRC=$(field "x['smtp']")
SRCDN=$(field "x['mailbox_dn']")
OST=$(field "x['ost_path']")
NAME=$(field "p['name']")
DST=user1@target.example
DSTDN='/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1'
. "$RP_SOURCE_DIR/tests/integration/switch/adisc_server.sh"
adisc_server_start
ADX_CA=$CA
T=$RP_TMP/mapi-t
mkdir -p "$T"
fail() { die "$@"; }
MAPI_DIR=$RP_SOURCE_DIR/tests/integration/mailbox

# The source mailbox in five states, one server account each (all with the
# profile's DN: the Connect names the authenticated user's own mailbox).
python3 - "$RP_SOURCE_DIR/tests/fixtures/mailbox" "$T" "$SRCDN" "$DSTDN" "$DST" <<'PY' || die "fixtures"
import json, sys
fx, out, srcdn, dstdn, dst = sys.argv[1:6]
base = json.load(open(fx + "/mailbox-source.json"))
PS = "374A47F5-1E92-44DF-8162-E8A1BCDCB5D3"
def swm(dn_type="001F"):
    return {"props": {"0x001A001F": "IPM.Note.Reprofile.SwitchMessage",
                      "0x0037001F": "reprofile switch message",
                      "named:%s:1:0003" % PS: 1,
                      "named:%s:2:%s" % (PS, dn_type): dstdn,
                      "named:%s:3:001F" % PS: dst,
                      "named:%s:4:000B" % PS: False}}
rec = {"props": {"0x001A001F": "IPM.Note.Reprofile.RecreateMessage",
                 "named:%s:1:0003" % PS: 1}}
def inbox(folders):
    for f in folders:
        if f.get("role") == "inbox":
            return f
        r = inbox(f.get("children", []))
        if r:
            return r
states = {"none": [], "bad": [swm("001E")], "msg": [swm()], "rec": [swm(), rec]}
users = [{"name": "user1", "password": "Pa55-word", "dn": dstdn,
          "display_name": "User One", "mailbox": "mailbox-user1.json"}]
for k, assoc in states.items():
    m = json.loads(json.dumps(base))
    m["dn"], m["full_access"], m["read_only"] = srcdn, [], True
    inbox(m["folders"]).setdefault("associated", []).extend(assoc)
    json.dump(m, open("%s/carol-%s.json" % (out, k), "w"))
    users.append({"name": "carol-" + k, "password": "src-pass", "dn": srcdn,
                  "display_name": "Carol", "mailbox": "%s/carol-%s.json" % (out, k)})
json.dump({"dn_prefix": "/o=SourceOrg", "users": users}, open(out + "/server.json", "w"))
PY
MAPI_CONFIG=$T/server.json
. "$MAPI_DIR/mapi_env.sh"
trap 'kill $MAPI_PID 2>/dev/null; adisc_server_stop' EXIT INT TERM
cat "$ADX_CA" "$MAPI_CA" >"$RP_TMP/cas.pem"
CT="mail.target.example:443:127.0.0.1:$MAPI_PORT mail.source.example:443:127.0.0.1:$MAPI_PORT"
for h in target.example autodiscover.target.example source.example autodiscover.source.example; do
	CT="$CT $h:443:127.0.0.1:$P"
done
export REPROFILE_CONNECT_TO="$CT"
cp "$MAPI_DIR/fixtures/adx/target.example.xml" "$RP_TMP/adx/$DST.xml"
# The source's own answer: its DN and its MailStore URL.
sed -e "s#<LegacyDN>[^<]*</LegacyDN>#<LegacyDN>$SRCDN</LegacyDN>#" \
	-e "s#<AutoDiscoverSMTPAddress>[^<]*<#<AutoDiscoverSMTPAddress>$SRC<#" \
	-e 's#mail.target.example/mapi/\([a-z]*\)/?MailboxId=[^<]*<#mail.source.example/mapi/\1/?MailboxId=0c9a8b7d-6e5f-4a3b-9c2d-1e0f2a3b4c5d@source.example<#g' \
	"$MAPI_DIR/fixtures/adx/target.example.xml" >"$RP_TMP/adx/$SRC.xml"
protect() { printf '%s\n' "$1" | rp protect-password --mode unrestricted | tr -d '\r'; }
PTRG=$(protect Pa55-word)
PSRC=$(protect src-pass)
netini() { # SOURCE-ACCOUNT [PASSWORD]
	{
		echo "[Parameters]"
		echo "SwitchSources=message"
		echo "ProcessOfflineProfiles=1"
		echo "KeepOST=1"
		echo "AutodiscoverExclude=srv httpredirect"
		echo "AutodiscoverSourceURL=https://source.example/autodiscover/autodiscover.xml"
		echo "CAFile=$RP_TMP/cas.pem"
		echo "Admin=$1"
		echo "Password=${2:-$PSRC}"
		echo "AdminTrg=user1"
		echo "PasswordTrg=$PTRG"
	} >"$RP_TMP/reprofile.ini"
}
snap() {
	if [ $MODE = hive ]; then cp "$RP_TMP/ntuser.dat" "$1"; else export_key "$PROFILES" "$1"; fi
}
same_store() {
	snap "$RP_TMP/now.dat"
	cmp -s "$RP_TMP/before.dat" "$RP_TMP/now.dat"
}
# No write ROP reached the read-only source mailbox, and it was read.
source_read_only() {
	grep -q '"user": "carol-' "$MAPI_LOG" || die "the source mailbox was not opened ($1)"
	! grep -q writes_refused "$MAPI_LOG" || die "a write was sent to the source mailbox ($1): $(grep writes_refused "$MAPI_LOG")"
}
snap "$RP_TMP/before.dat"

# 1. No switch message: bit 2, status 0, the store as it was.
netini carol-none
: >"$MAPI_LOG"
run update
expect_rc 2 "no switch message"
expect_csv "$NAME\t0\t0"
grep -q "\[Info\] No switch message in the source mailbox '$SRC'" "$RP_TMP/run.log" || die "no 'no switch message' line"
same_store || die "the store changed without a switch message"
source_read_only "none"

# 2. A malformed one: bit 512 alone, status 4, nothing written.
netini carol-bad
: >"$MAPI_LOG"
run update
expect_rc 512 "malformed switch message"
expect_csv "$NAME\t4\t0"
grep -q "\[Error\] Invalid switch message in the source mailbox '$SRC': .*ReprofileTargetDN" "$RP_TMP/run.log" ||
	die "no line naming the malformed property"
same_store || die "the store changed with a malformed switch message"
source_read_only "malformed"

# 3. The source mailbox cannot be opened (401): not processed, as for a
#    source Autodiscover that does not answer.
netini carol-msg "$(protect 'not the password')"
: >"$MAPI_LOG"
run update
expect_rc 4 "source mailbox refused"
expect_csv "$NAME\t4\t0"
grep -q "\[Error\] Cannot open the source mailbox '$SRC' to read its switch message .*401.*Profile will not be processed" "$RP_TMP/run.log" ||
	die "no refusal line"
same_store || die "the store changed when the source mailbox did not open"

# 4. A switch message without the recreate message: switched to its target;
#    KeepOST=1 is ignored (the guide: only for prepared mailboxes).
netini carol-msg
: >"$MAPI_LOG"
run update
expect_rc 1 "switched by the message"
expect_csv "$NAME\t10\t0"
grep -q "\[Info\] The source mailbox '$SRC' holds a switch message to '$DST'" "$RP_TMP/run.log" || die "no message line"
grep -q "KeepOST/BackupOST are ignored: the source mailbox holds no recreate message" "$RP_TMP/run.log" ||
	die "no KeepOST line"
[ "$(field "x['smtp']")" = "$DST" ] || die "not switched to $DST"
[ "$(field "x['mailbox_dn']")" = "$DSTDN" ] || die "target DN not the message's"
[ "$(field "x.get('ost_path')")" = "None" ] || die "OST path kept without a recreate message"
source_read_only "message"

# 5. With the recreate message: KeepOST=1 keeps the OST.
load "$FIX/outlook2016-cached.reg"
netini carol-rec
: >"$MAPI_LOG"
run update
expect_rc 1 "switched with the recreate message"
expect_csv "$NAME\t10\t0"
grep -q "holds a switch message to '$DST'.*; a recreate message too" "$RP_TMP/run.log" || die "no recreate line"
[ "$(field "x['smtp']")" = "$DST" ] || die "not switched (recreate)"
[ "$(field "x['ost_path']")" = "$OST" ] || die "KeepOST: the OST path became '$(field "x.get('ost_path')")'"
source_read_only "recreate"
echo ok
