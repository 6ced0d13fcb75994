#!/bin/sh
# AskCredentials=1: the account typed at a terminal (a pty here), the
# password without echo; the target prompt after a 401; no prompt without a
# terminal or with Silent=1. The prompts need a POSIX pty: the Windows build
# runs only the no-terminal part (SetConsoleMode is not reachable from here).
. "$RP_SOURCE_DIR/tests/integration/auth/common_auth.sh"
URL=$BASE/basic/autodiscover/autodiscover.xml

# 1. No terminal (standard input is /dev/null) and no account in the INI.
auth_ini exchange "AskCredentials=1" "AutodiscoverTargetURL=$URL"
run update </dev/null
expect_rc 16 "no terminal"
log_has "[Error] AskCredentials=1, but credentials cannot be asked for (no terminal) and none are configured (Admin/Password, AdminTrg/PasswordTrg)"
[ -s "$REQ" ] && die "requests made without credentials"
# ... with an account in the INI: a warning, and the INI's account is used.
auth_ini exchange "AskCredentials=1" "Admin=$CRED_USER" "Password=$(protect host "$CRED_PASS")" \
	"AutodiscoverTargetURL=$URL"
run update </dev/null
expect_rc 1 "no terminal, INI account"
log_has "[Warning] AskCredentials=1: not asking (no terminal); the accounts of the INI are used"

if [ "$RP_PLATFORM" != posix ]; then
	echo "ok: no-terminal scenarios passed (pty prompts are native only)"
	exit 0
fi
PTY() { python3 "$HERE/pty_run.py" "$RP_TMP/tty.txt" "$@"; }
runpty() {
	rm -f "$RP_TMP/run.log" "$RP_TMP/run.csv"
	# shellcheck disable=SC2086
	(cd "$RP_TMP" && PTY "$@" -- "$REPROFILE" update $RUNSTORE -INI reprofile.ini -Log run.log)
	RC=$?
}
no_echo() {
	grep -qF "$CRED_PASS" "$RP_TMP/tty.txt" && die "the password was echoed"
	grep -qF "$CRED_PASS" "$RP_TMP/run.log" && die "the password is in the log"
	return 0
}

# 2. Silent=1 on a terminal: still no prompt.
auth_ini exchange "AskCredentials=1" "Silent=1" "AutodiscoverTargetURL=$URL"
runpty
expect_rc 16 "Silent=1"
log_has "credentials cannot be asked for (Silent=1)"
grep -q "account (DOMAIN" "$RP_TMP/tty.txt" && die "prompted under Silent=1"

# 3. The source account typed in; the target uses it (no AdminTrg).
auth_ini exchange "AskCredentials=1" "AutodiscoverTargetURL=$URL"
runpty --expect "Source account (DOMAIN\\user or user@domain): " --send "$CRED_USER" \
	--expect "Password for $CRED_USER: " --send "$CRED_PASS"
expect_rc 1 "typed source account"
no_echo
grep -qF "$CRED_USER" "$RP_TMP/tty.txt" || die "the account name was not echoed"
log_has "[Info] Source account: $CRED_USER (prompt)"
[ "$(requests "r[-1]['auth']")" = "basic:$CRED_USER:$CRED_PASS" ] || die "typed account not sent"

# 4. The typed source account is refused by the target: the target account
#    is asked for once, and the lookup is retried with it.
auth_ini exchange "AskCredentials=1" "AutodiscoverTargetURL=$URL"
runpty --expect "Source account" --send 'SRC\someone' --expect "Password for" --send "wrong" \
	--expect "Target account (DOMAIN\\user or user@domain): " --send "$CRED_USER" \
	--expect "Password for $CRED_USER: " --send "$CRED_PASS"
expect_rc 1 "target prompt after 401"
no_echo
log_has "[Warning] The target Autodiscover refused the account 'SRC\\someone'; asking for a target account"
# (libcurl probes without credentials first when several schemes are allowed.)
[ "$(requests "[x['auth'] for x in r if x['auth']][0]")" = 'basic:SRC\someone:wrong' ] ||
	die "the typed source account was not tried first"
[ "$(requests "r[-1]['auth']")" = "basic:$CRED_USER:$CRED_PASS" ] || die "target account not sent"

# 5. AskSourceCredentialsOnly=1: no second prompt, the 401 stands.
auth_ini exchange "AskCredentials=1" "AskSourceCredentialsOnly=1" "AutodiscoverTargetURL=$URL"
runpty --expect "Source account" --send 'SRC\someone' --expect "Password for" --send "wrong"
expect_rc 4 "AskSourceCredentialsOnly"
grep -q "Target account" "$RP_TMP/tty.txt" && die "asked for a target account"
log_has "HTTP status code 401 (Unauthorized) received."

# 6. protect-password on a terminal: typed twice, no echo; a mismatch fails.
(cd "$RP_TMP" && PTY --expect "Password: " --send "$CRED_PASS" --expect "Password again: " \
	--send "$CRED_PASS" -- "$REPROFILE" protect-password --mode user) || die "protect on a tty"
no_echo
grep -q "^rp1:user:[0-9a-f]*" "$RP_TMP/tty.txt" || die "no value printed"
(cd "$RP_TMP" && PTY --expect "Password: " --send "one" --expect "Password again: " \
	--send "two" -- "$REPROFILE" protect-password) && die "mismatch accepted"
grep -qF "reprofile protect-password: the two passwords differ" "$RP_TMP/tty.txt" ||
	die "no mismatch message"
echo "ok: prompt scenarios passed"
