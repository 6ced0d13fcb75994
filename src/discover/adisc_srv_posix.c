/* adisc_srv_posix.c - _autodiscover._tcp SRV lookup through the system
 * resolver (res_query + ns_parse from libresolv). The Windows build compiles
 * adisc_srv_none.c instead (CMake picks the file).
 *
 * Record choice: only port 443 targets, lowest priority, then highest weight
 * (MSDocs-EX autodiscover-for-exchange.md, phase 3; RFC 2782 for the fields). */
#include "discover/adisc.h"
#include "discover/adisc_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

int adisc_srv_pick(const unsigned char *answer, int len, char **host)
{
	ns_msg msg;
	ns_rr rr;
	int i, n, best_prio = 0x10000, best_weight = -1;
	char name[NS_MAXDNAME];

	*host = NULL;
	if (len <= 0 || ns_initparse(answer, len, &msg) < 0)
		return adisc_err(RP_EFORMAT, "SRV answer is not a DNS message");
	n = ns_msg_count(msg, ns_s_an);
	for (i = 0; i < n; i++) {
		const unsigned char *rd;
		int prio, weight, port;
		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			return adisc_err(RP_EFORMAT, "SRV answer record %d is malformed",
					 i);
		if (ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7)
			continue;
		rd = ns_rr_rdata(rr);
		prio = (rd[0] << 8) | rd[1];
		weight = (rd[2] << 8) | rd[3];
		port = (rd[4] << 8) | rd[5];
		if (port != 443)
			continue;
		if (prio > best_prio || (prio == best_prio && weight <= best_weight))
			continue;
		if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, name,
			      sizeof(name)) < 0)
			return adisc_err(RP_EFORMAT,
					 "SRV answer record %d has a bad target", i);
		if (!name[0] || strcmp(name, ".") == 0)
			continue; /* "." = service not available (RFC 2782) */
		free(*host);
		if (!(*host = rp_strdup(name)))
			return adisc_err(RP_ENOMEM, "out of memory");
		best_prio = prio;
		best_weight = weight;
	}
	if (!*host)
		return adisc_err(RP_ENOTFOUND, "no port-443 SRV record");
	return RP_OK;
}

int adisc_srv_lookup(const char *domain, char **host)
{
	unsigned char answer[4096];
	char *q = rp_asprintf("_autodiscover._tcp.%s", domain);
	int len, rc;

	*host = NULL;
	if (!q)
		return adisc_err(RP_ENOMEM, "out of memory");
	len = res_query(q, ns_c_in, ns_t_srv, answer, sizeof(answer));
	if (len < 0) {
		rc = adisc_err(RP_ENOTFOUND, "no SRV record %s", q);
	} else {
		rc = adisc_srv_pick(
		    answer, len < (int)sizeof(answer) ? len : (int)sizeof(answer), host);
		if (rc)
			rc = rp_error_wrap(rc, "%s", q);
	}
	free(q);
	return rc;
}
