#!/bin/sh
# Negotiate (SPNEGO/Kerberos) against real Debian components on loopback: an
# MIT KDC (krb5-kdc) and Apache with mod_auth_gssapi serving the Autodiscover
# answer through a CGI, both started in RP_TMP and stopped at exit. Nothing
# system-wide is read or written: KRB5_CONFIG, KRB5_KDC_PROFILE, KRB5CCNAME
# and KRB5_KTNAME point into RP_TMP.
if [ "$RP_PLATFORM" = windows ]; then
	echo "note: the Windows build negotiates through SSPI, which Wine cannot exercise: skipped"
	exit 77
fi
. "$RP_SOURCE_DIR/scripts/tools.sh"
MODS=/usr/lib/apache2/modules
rp_need krb5kdc kdb5_util kadmin.local kinit kdestroy klist apache2 setsid curl-config \
	$MODS/mod_auth_gssapi.so $MODS/mod_ssl.so $MODS/mod_cgi.so $MODS/mod_mpm_prefork.so
PATH=$PATH:/usr/sbin
curl-config --features | grep -qx SPNEGO || {
	echo "note: this libcurl has no SPNEGO, skipped"
	exit 77
}
# Run as root, Apache serves as nobody, who must reach the test's files: when
# the build tree lies under a private folder (e.g. /root), work in /tmp.
if [ "$(id -u)" = 0 ] && rp_need runuser &&
	! runuser -u nobody -- test -x "${RP_BUILD_DIR:-$RP_TMP}" 2>/dev/null; then
	RP_TMP=$(mktemp -d /tmp/rp-negotiate.XXXXXX) || exit 1
	RELOCATED=$RP_TMP
	export RP_TMP
	echo "note: the build tree is private; working in $RP_TMP"
fi
. "$RP_SOURCE_DIR/tests/integration/auth/common_auth.sh"

K=$RP_TMP/krb
W=$RP_TMP/www
mkdir -p "$K" "$W/logs"
REALM=REPROFILE.TEST
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
KPORT=$(free_port)
APORT=$(free_port)
export KRB5_CONFIG="$K/krb5.conf" KRB5_KDC_PROFILE="$K/kdc.conf"
export KRB5CCNAME="FILE:$K/ccache" KRB5_KTNAME="FILE:$K/http.keytab"
cat >"$K/krb5.conf" <<EOF
[libdefaults]
	default_realm = $REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1
[realms]
	$REALM = {
		kdc = 127.0.0.1:$KPORT
	}
[domain_realm]
	localhost = $REALM
EOF
cat >"$K/kdc.conf" <<EOF
[kdcdefaults]
	kdc_ports = $KPORT
	kdc_tcp_ports = $KPORT
[realms]
	$REALM = {
		database_name = $K/principal
		key_stash_file = $K/stash
		acl_file = $K/kadm5.acl
		kdc_ports = $KPORT
		kdc_tcp_ports = $KPORT
	}
[logging]
	kdc = FILE:$K/kdc.log
EOF
: >"$K/kadm5.acl"
KUSER=bob
KPASS='T1cket pa55!'
# A throw-away master password: the database lives and dies with RP_TMP.
kdb5_util create -s -r $REALM -P 'throw-away master' >"$K/setup.log" 2>&1 || die "kdb5_util: $(cat "$K/setup.log")"
kadmin.local -r $REALM -q "addprinc -pw \"$KPASS\" $KUSER" >>"$K/setup.log" 2>&1 || die "addprinc"
kadmin.local -r $REALM -q "addprinc -randkey HTTP/localhost" >>"$K/setup.log" 2>&1 || die "addprinc HTTP"
kadmin.local -r $REALM -q "ktadd -k $K/http.keytab HTTP/localhost" >>"$K/setup.log" 2>&1 || die "ktadd"
krb5kdc -n -P "$K/kdc.pid" >"$K/kdc.out" 2>&1 </dev/null &
KDC=$!
HTTPD=
trap 'kill $SERVER $HTTPD $KDC 2>/dev/null' EXIT INT TERM

# Apache: its own ServerRoot and config; run as root it drops to nobody, who
# must read the keytab and the CGI (RP_TMP is private to this test).
if [ "$(id -u)" = 0 ]; then
	USERLINE="User nobody
Group nogroup"
	chmod 0755 "$RP_TMP" "$K" "$W" "$RP_TMP/adx"
	chmod 0644 "$K/http.keytab" "$K/krb5.conf"
	chmod -R a+rX "$RP_TMP/adx"
else
	USERLINE=""
fi
cat >"$W/ad.cgi" <<'EOF'
#!/usr/bin/env python3
# The Autodiscover answer for the POSTed address (from adx/), as a CGI.
import os, re, sys
body = sys.stdin.buffer.read(int(os.environ.get("CONTENT_LENGTH") or 0))
m = re.search(rb"<EMailAddress>([^<]*)</EMailAddress>", body)
p = os.path.join(os.environ["RP_ADX"], (m.group(1).decode() if m else "") + ".xml")
sys.stdout.write("Content-Type: text/xml; charset=utf-8\r\n\r\n")
sys.stdout.flush()
with open(p, "rb") as f:
    sys.stdout.buffer.write(f.read())
EOF
chmod 0755 "$W/ad.cgi"
cat >"$W/httpd.conf" <<EOF
ServerRoot "$W"
ServerName localhost
PidFile "$W/httpd.pid"
Mutex file:$W
DefaultRuntimeDir "$W"
ErrorLog "$W/logs/error.log"
LogLevel info auth_gssapi:debug
LoadModule mpm_prefork_module $MODS/mod_mpm_prefork.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule authn_core_module $MODS/mod_authn_core.so
LoadModule authz_user_module $MODS/mod_authz_user.so
LoadModule alias_module $MODS/mod_alias.so
LoadModule cgi_module $MODS/mod_cgi.so
LoadModule env_module $MODS/mod_env.so
LoadModule ssl_module $MODS/mod_ssl.so
LoadModule auth_gssapi_module $MODS/mod_auth_gssapi.so
$USERLINE
StartServers 1
MinSpareServers 1
MaxSpareServers 2
Listen 127.0.0.1:$APORT
LogFormat "%u %m %U %>s" who
CustomLog "$W/logs/access.log" who
SSLEngine on
SSLCertificateFile "$RP_TMP/srv.pem"
SSLCertificateKeyFile "$RP_TMP/srv.key"
SSLSessionCache none
SetEnv RP_ADX "$RP_TMP/adx"
ScriptAlias /autodiscover/autodiscover.xml "$W/ad.cgi"
<Location /autodiscover>
	AuthType GSSAPI
	AuthName "autodiscover"
	GssapiCredStore keytab:$K/http.keytab
	GssapiAllowedMech krb5
	Require valid-user
</Location>
EOF
chmod 0644 "$RP_TMP/srv.key"
apache2 -t -f "$W/httpd.conf" >"$W/configtest.log" 2>&1 || die "apache config: $(cat "$W/configtest.log")"
# Its own session: on shutdown Apache signals its whole process group, which
# would otherwise be this script and ctest.
setsid apache2 -f "$W/httpd.conf" -DFOREGROUND >"$W/apache.out" 2>&1 </dev/null &
HTTPD=$!
# Wait for both: the KDC answers kinit, Apache accepts a TLS connection.
i=0
until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$APORT),1)" 2>/dev/null &&
	python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$KPORT),1)" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && die "KDC/Apache did not start: $(cat "$K/kdc.out" "$W/apache.out" "$W/logs/error.log" 2>/dev/null)"
	sleep 0.1
done
URL=https://localhost:$APORT/autodiscover/autodiscover.xml
ADIR=$RP_TMP/adx

# 1. A ticket for bob in the test's ccache, no account in the INI: libcurl's
#    Negotiate with the ticket, Apache's mod_auth_gssapi accepts it.
printf '%s\n' "$KPASS" | kinit $KUSER@$REALM >"$K/kinit.log" 2>&1 || die "kinit: $(cat "$K/kinit.log")"
auth_ini exchange "AutodiscoverTargetURL=$URL"
run update
expect_rc 1 "Negotiate with a ticket"
expect_csv 'Outlook\t10\t0'
grep -q "^$KUSER@$REALM POST /autodiscover/autodiscover.xml 200\$" "$W/logs/access.log" ||
	die "Apache did not see $KUSER@$REALM: $(cat "$W/logs/access.log")"
klist >"$K/klist.log" 2>&1
grep -q "HTTP/localhost@$REALM" "$K/klist.log" || die "no service ticket for HTTP/localhost: $(cat "$K/klist.log")"

# 2. The discover command with the same ticket.
rp discover "$DST" --url "$URL" --ca-file "$RP_TMP/ca.pem" --json >"$RP_TMP/disc.json" 2>"$RP_TMP/err.txt" ||
	die "discover with a ticket"
python3 - "$RP_TMP/disc.json" "$ADIR/$DST.xml" <<'PY' || die "discover answer"
import json, re, sys
j = json.load(open(sys.argv[1]))
want = re.search(r"<LegacyDN>([^<]*)</LegacyDN>", open(sys.argv[2]).read()).group(1)
assert want in json.dumps(j), (want, j)
PY

# 3. With an account in the INI the ticket still decides (libcurl prefers
#    Negotiate when the server offers it; natively it uses the GSS-API
#    default credentials, not the password).
auth_ini exchange "Admin=$KUSER@$REALM" "Password=$(protect host 'unused')" "AutodiscoverTargetURL=$URL"
run update
expect_rc 1 "Negotiate with an INI account"

# 4. No ticket: the server's 401 with the guide's wording.
kdestroy >/dev/null 2>&1
: >"$W/logs/access.log"
auth_ini exchange "AutodiscoverTargetURL=$URL"
run update
expect_rc 4 "no ticket"
log_has "[TraceW] Failed to get Autodiscover response for email '$DST'. Autodiscover URL: '$URL'."
log_has "[TraceW] Custom result: 0xc01000cf, Description: HTTP status code 401 (Unauthorized) received. This response indicates that authorization has been refused for the account used to access destination, or specified credentials are invalid."
log_has "[Error] Cannot get an Autodiscover response on target. See logged errors to resolve the issue. Profile will not be processed."
grep -q ' 200$' "$W/logs/access.log" && die "Apache answered without a ticket"
rp discover "$DST" --url "$URL" --ca-file "$RP_TMP/ca.pem" >"$RP_TMP/disc.txt" 2>"$RP_TMP/err.txt" &&
	die "discover succeeded without a ticket"
grep -q "401" "$RP_TMP/err.txt" "$RP_TMP/disc.txt" || die "discover: no 401 reported: $(cat "$RP_TMP/err.txt")"
echo "ok: Negotiate (MIT KDC + Apache mod_auth_gssapi) scenarios passed"
# A pass leaves nothing behind in /tmp (a failure keeps it for diagnosis).
[ -n "${RELOCATED:-}" ] && rm -rf "$RELOCATED"
exit 0
