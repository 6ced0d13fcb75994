#!/bin/sh
# Every fixture with an Exchange account is switched and rolled back: the
# primary account ends up naming only the target (SMTP, DN, home server, store
# entry ID), other mailboxes in the profile (delegates, archive, public
# folders, other accounts) are left as they were, and rollback gives back the
# original profile byte for byte.
. "$(dirname "$0")/common.sh"
total=0
for fx in outlook2013-rpchttp outlook2016-online outlook2016-cached outlook2016-delegates \
	outlook2016-mv-x86 outlook2016-mv-x64 outlook2016-two-exchange outlook2016-pst-contab \
	nonascii-name wms-legacy side-by-side dangling-refs; do
	load "$FIX/$fx.reg"
	root=$(field "d['root_path']")
	key=$(field "p['key']")
	src=$(field "x['smtp']")
	[ -n "$src" ] && [ "$src" != None ] || die "$fx: no primary SMTP"
	dst=${src%@*}@target.example
	switches "$src=$dst"
	ini "ProcessOfflineProfiles=1" "ProcessedDomainsFQDNs=${src#*@}" \
		"AllowAdditionalServices=All"
	json >"$RP_TMP/before.json"
	export_key "$root\\$key" "$RP_TMP/orig.reg"
	run update
	expect_rc 1 "$fx: update"
	json >"$RP_TMP/after.json"
	python3 - "$RP_TMP/before.json" "$RP_TMP/after.json" "$src" "$dst" "$fx" <<'PY' || die "$fx: switch check"
import json, sys
b, a = (json.load(open(f))['profiles'][0] for f in sys.argv[1:3])
src, dst, fx = sys.argv[3:6]
bad = []
px = a['exchange_accounts'][a['primary_exchange']['index']]
if px['smtp'] != dst:
    bad.append('primary SMTP %r' % px['smtp'])
if not (px['mailbox_dn'] or '').endswith('-' + dst.split('@')[0]):
    bad.append('primary DN %r' % px['mailbox_dn'])
for k, v in px.items():
    if 'source.example' in json.dumps(v).lower() or 'sourceorg' in json.dumps(v).lower():
        bad.append('primary account %s still names the source: %s' % (k, json.dumps(v)[:160]))
ps = px.get('primary_store')
if ps is not None:
    st = a['stores'][ps]
    if 'source' in json.dumps(st['store_entryid']).lower():
        bad.append('store entry ID still names the source')
# Everything that is not the primary account's stays as it was.
pi = a['primary_exchange']['index']
for i, (eb, ea) in enumerate(zip(b['exchange_accounts'], a['exchange_accounts'])):
    if i != pi and eb != ea:
        bad.append('other Exchange account %d changed' % i)
own = set(b['exchange_accounts'][pi].get('stores') or [])
for i, (sb, sa) in enumerate(zip(b['stores'], a['stores'])):
    if sb['kind'] != 'mailbox' and sb != sa and sb.get('exchange') != pi:
        bad.append('store %d (%s) changed' % (i, sb['kind']))
    if sb['kind'] in ('delegate', 'public') and sb != sa:
        bad.append('%s store %d changed' % (sb['kind'], i))
if a['problems'] != b['problems']:
    bad.append('the switch changed the dangling-reference problems: %r -> %r' % (b['problems'], a['problems']))
if len(a['services']) != len(b['services']) or len(a['accounts']) != len(b['accounts']):
    bad.append('services or accounts added or lost')
for m in bad:
    print('%s: %s' % (fx, m))
sys.exit(1 if bad else 0)
PY
	run rollback -UndoAll
	expect_rc 1 "$fx: rollback"
	export_key "$root\\$key" "$RP_TMP/back.reg"
	cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "$fx: rollback is not byte for byte"
	total=$((total + 1))
	echo "ok: $fx"
done
echo "ok: $total fixtures switched and rolled back ($MODE)"
