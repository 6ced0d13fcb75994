#!/bin/sh
# bench/dir_roundtrips/run.sh BUILD_DIR [N]
# Loads N (default 500) migrated users into a private slapd (source and
# target suffixes, as in tests/fixtures/directory) and runs dir_roundtrips
# over keys that mix SMTP addresses and legacyExchangeDNs.
set -eu
BUILD=${1:?usage: run.sh BUILD_DIR [N]}
N=${2:-500}
RP_SOURCE_DIR=$(cd "$(dirname "$0")/../.." && pwd)
RP_TMP=${RP_TMP:-$BUILD/tmp/bench-dir}
rm -rf "$RP_TMP"
mkdir -p "$RP_TMP"
export RP_SOURCE_DIR RP_TMP
S='/o=Source/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn='
T='/o=Target/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn='

# Half the source users name their target by SMTP, half by legacyExchangeDN.
awk -v n="$N" -v s="$S" -v t="$T" 'BEGIN {
	for (i = 0; i < n; i++) {
		printf "dn: cn=bench%d,ou=Users,dc=source,dc=example\n", i
		printf "objectClass: inetOrgPerson\nobjectClass: reprofileExchRecipient\n"
		printf "cn: bench%d\nsn: Bench\ndisplayName: Bench User %d\n", i, i
		printf "mail: bench%d@source.example\nlegacyExchangeDN: %sbench%d\n", i, s, i
		printf "proxyAddresses: SMTP:bench%d@source.example\n", i
		if (i % 2) printf "extensionAttribute1: %sbench%d.t\n\n", t, i
		else printf "extensionAttribute1: bench%d@target.example\n\n", i
	}
}' >"$RP_TMP/bench-source.ldif"
awk -v n="$N" -v t="$T" 'BEGIN {
	for (i = 0; i < n; i++) {
		printf "dn: cn=bench%d,ou=Users,dc=target,dc=example\n", i
		printf "objectClass: inetOrgPerson\nobjectClass: reprofileExchRecipient\n"
		printf "cn: bench%d\nsn: Bench\ndisplayName: Bench User %d\n", i, i
		printf "mail: bench%d@target.example\nlegacyExchangeDN: %sbench%d.t\n", i, t, i
		printf "proxyAddresses: SMTP:bench%d@target.example\nmsExchRecipientTypeDetails: 1\n\n", i
	}
}' >"$RP_TMP/bench-target.ldif"
# keys as a profile would hold them: alternately the address and the DN
awk -v n="$N" -v s="$S" 'BEGIN {
	for (i = 0; i < n; i++)
		if (i % 2) printf "%sbench%d\n", s, i; else printf "bench%d@source.example\n", i
}' >"$RP_TMP/keys.txt"

RP_SLAPD_EXTRA_TARGET=$RP_TMP/bench-target.ldif
. "$RP_SOURCE_DIR/tests/integration/directory/slapd.sh"
rp_slapd_start "$RP_TMP/bench-source.ldif"
"$BUILD/bench/dir_roundtrips/dir_roundtrips" "$RP_TMP/keys.txt" \
	DirectorySourceURI="$RP_LDAP_URI" DirectorySourceBase=ou=Users,dc=source,dc=example \
	DirectorySourceBindDN=cn=admin,dc=source,dc=example DirectorySourcePassword=source-secret \
	DirectoryTargetBase=dc=target,dc=example DirectoryAttribute=extensionAttribute1
