/* adisc_srv_win32.c - _autodiscover._tcp SRV lookup through the Windows DNS
 * client (DnsQuery_UTF8, dnsapi.dll), which returns parsed records; the
 * record choice is adisc_srv_choose (adisc_net.c). The native build compiles
 * adisc_srv_posix.c instead (CMake picks the file). */
#include "discover/adisc.h"
#include "discover/adisc_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <windows.h>
#include <windns.h>

#include <stdlib.h>

/* Most SRV records read from one answer. */
#define MAX_SRV 64

int adisc_srv_pick(const unsigned char *answer, int len, char **host)
{
	(void)answer;
	(void)len;
	*host = NULL;
	return adisc_err(RP_EUNSUPPORTED,
			 "no DNS wire parser in the Windows build (DnsQuery parses)");
}

int adisc_srv_lookup(const char *domain, char **host)
{
	PDNS_RECORDA list = NULL, r;
	adisc_srv_rec recs[MAX_SRV];
	char *q = rp_asprintf("_autodiscover._tcp.%s", domain);
	DNS_STATUS st;
	size_t k = 0;
	int rc;

	*host = NULL;
	if (!q)
		return adisc_err(RP_ENOMEM, "out of memory");
	st = DnsQuery_UTF8(q, DNS_TYPE_SRV, DNS_QUERY_STANDARD, NULL, &list, NULL);
	if (st != 0) {
		rc = adisc_err(RP_ENOTFOUND, "no SRV record %s (DNS status %ld)", q,
			       (long)st);
	} else {
		for (r = list; r && k < MAX_SRV; r = r->pNext) {
			if (r->wType != DNS_TYPE_SRV ||
			    r->Flags.S.Section != DnsSectionAnswer)
				continue;
			recs[k].priority = r->Data.SRV.wPriority;
			recs[k].weight = r->Data.SRV.wWeight;
			recs[k].port = r->Data.SRV.wPort;
			recs[k].target = r->Data.SRV.pNameTarget;
			k++;
		}
		rc = adisc_srv_choose(recs, k, host);
		if (rc)
			rc = rp_error_wrap(rc, "%s", q);
	}
	if (list)
		DnsRecordListFree((PDNS_RECORD)list, DnsFreeRecordList);
	free(q);
	return rc;
}
