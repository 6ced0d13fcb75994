/* adisc_srv_posix.c - _autodiscover._tcp SRV lookup through the system
 * resolver (res_query + ns_parse from libresolv). The Windows build compiles
 * adisc_srv_win32.c instead (CMake picks the file). The record choice is
 * adisc_srv_choose (adisc_net.c). */
#include "discover/adisc.h"
#include "discover/adisc_int.h"

#include "base/rp_err.h"
#include "base/rp_str.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

/* Most SRV records read from one answer. */
#define MAX_SRV 64

int adisc_srv_pick(const unsigned char *answer, int len, char **host)
{
	ns_msg msg;
	ns_rr rr;
	adisc_srv_rec recs[MAX_SRV];
	char names[MAX_SRV][NS_MAXDNAME];
	int i, n;
	size_t k = 0;

	*host = NULL;
	if (len <= 0 || ns_initparse(answer, len, &msg) < 0)
		return adisc_err(RP_EFORMAT, "SRV answer is not a DNS message");
	n = ns_msg_count(msg, ns_s_an);
	for (i = 0; i < n && k < MAX_SRV; i++) {
		const unsigned char *rd;
		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			return adisc_err(RP_EFORMAT, "SRV answer record %d is malformed",
					 i);
		if (ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7)
			continue;
		rd = ns_rr_rdata(rr);
		if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, names[k],
			      sizeof(names[k])) < 0)
			return adisc_err(RP_EFORMAT,
					 "SRV answer record %d has a bad target", i);
		recs[k].priority = (rd[0] << 8) | rd[1];
		recs[k].weight = (rd[2] << 8) | rd[3];
		recs[k].port = (rd[4] << 8) | rd[5];
		recs[k].target = names[k];
		k++;
	}
	return adisc_srv_choose(recs, k, host);
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
