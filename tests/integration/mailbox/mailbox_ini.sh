#!/bin/sh
# Scenario: `reprofile mailbox ... --ini FILE` uses the run's settings as
# update does: the target account (AdminTrg/PasswordTrg, protected values),
# or with --source the source account (Admin/Password); CAFile; local
# Autodiscover files (UseLocalAutodiscoverXMLs). Checked against the accounts
# the loopback MAPI/HTTP server saw.
set -u
T="$RP_TMP"
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && sed 's/^/  stderr: /' "$T/err"; [ -f "$T/server.err" ] && sed 's/^/  server: /' "$T/server.err"; exit 1; }
. "$(dirname "$0")/mapi_env.sh"
FIX="$MAPI_DIR/fixtures"
protect() { printf '%s\n' "$1" | $RP_EMULATOR "$REPROFILE" protect-password --mode unrestricted | tr -d '\r'; }
CT="--connect-to mail.target.example:443:127.0.0.1:$MAPI_PORT --timeout 20"
auths() { python3 -c 'import json,sys; print(" ".join(sorted({json.loads(l).get("auth","") for l in open(sys.argv[1])})))' "$MAPI_LOG"; }
ini() { # ini TARGET_PASSWORD [LINE...]
	pw=$1; shift
	{
		printf '[Parameters]\nSilent=1\nUseLocalAutodiscoverXMLs=1\n'
		printf 'LocalAutodiscoverXMLPath=%s\nCAFile=%s\n' "$FIX/adx" "$MAPI_CA"
		printf 'Admin=user2\nPassword=%s\nAdminTrg=user1\nPasswordTrg=%s\n' \
			"$(protect other-pass)" "$(protect "$pw")"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$T/reprofile.ini"
}

# 1. The target account of the INI, its CA file and its local Autodiscover
#    files: no --user, --ca-file or --dir on the command line.
ini Pa55-word
: >"$MAPI_LOG"
RP mailbox user1@target.example folders --json --ini "$T/reprofile.ini" $CT \
	>"$T/out.json" 2>"$T/err" || fail "--ini rc"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["execute_requests"]==2 and any(f["role"]=="inbox" for f in d["folders"]), d' \
	"$T/out.json" || fail "--ini output"
grep -q '"auth": "Basic"' "$MAPI_LOG" || fail "no Basic request: $(auths)"
grep -q '"user": "user1"' "$MAPI_LOG" || fail "not signed in as user1: $(cat "$MAPI_LOG")"
grep -q 'Pa55-word' "$T/err" && fail "the password shows on stderr"

# 2. --target is the default; --source signs in with Admin/Password (user2),
#    whom the server refuses for user1's mailbox (Connect: access denied).
: >"$MAPI_LOG"
RP mailbox user1@target.example folders --ini "$T/reprofile.ini" --source $CT \
	>"$T/out" 2>"$T/err" && fail "--source opened user1's mailbox as user2"
grep -q '"user": "user2"' "$MAPI_LOG" || fail "--source did not sign in as user2: $(cat "$MAPI_LOG")"
grep -q '"user": "user1"' "$MAPI_LOG" && fail "--source used the target account"

# 3. A wrong PasswordTrg: one clear line, exit 1.
ini 'not the password'
RP mailbox user1@target.example folders --ini "$T/reprofile.ini" $CT >"$T/out" 2>"$T/err" &&
	fail "wrong PasswordTrg accepted"
grep -q '^reprofile mailbox: .*401' "$T/err" || fail "no 401 line"

# 4. A password value that is not protected: the INI key named, no request.
ini Pa55-word
sed -i 's/^PasswordTrg=.*/PasswordTrg=plain-text/' "$T/reprofile.ini"
: >"$MAPI_LOG"
RP mailbox user1@target.example folders --ini "$T/reprofile.ini" $CT >"$T/out" 2>"$T/err" &&
	fail "plain PasswordTrg accepted"
grep -q 'PasswordTrg' "$T/err" || fail "the bad key is not named"
[ -s "$MAPI_LOG" ] && fail "a request was sent after a configuration error"

# 5. --ini with --user or --ca-file, and --source without --ini: usage.
RP mailbox user1@target.example folders --ini "$T/reprofile.ini" --user x $CT >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "--ini --user: not a usage error"
RP mailbox user1@target.example folders --dir "$FIX/adx" --source $CT >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "--source without --ini: not a usage error"
echo "ok"
