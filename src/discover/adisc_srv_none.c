/* adisc_srv_none.c - SRV lookup stub for builds without libresolv (Windows:
 * a DnsQuery_W version belongs in src/platform; until then the SRV candidate
 * is simply absent there). */
#include "discover/adisc.h"
#include "discover/adisc_int.h"

#include "base/rp_err.h"

int adisc_srv_pick(const unsigned char *answer, int len, char **host)
{
	(void)answer;
	(void)len;
	*host = NULL;
	return adisc_err(RP_EUNSUPPORTED, "SRV lookup is not built in");
}

int adisc_srv_lookup(const char *domain, char **host)
{
	*host = NULL;
	return adisc_err(RP_EUNSUPPORTED, "SRV lookup for %s is not built in", domain);
}
