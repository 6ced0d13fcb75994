/* POSIX: no Outlook, no live registry (plat_proc.h). */
#include "plat_proc.h"

#include "base/rp_err.h"

int plat_stop_processes(const char *const *names, size_t n, unsigned long grace_ms,
			plat_proc_log log, void *ud, size_t *stopped)
{
	(void)names;
	(void)n;
	(void)grace_ms;
	(void)log;
	(void)ud;
	*stopped = 0;
	return rp_error_set(RP_EUNSUPPORTED, "no Windows processes to stop here");
}
