/* reg_live_stub.c - the live registry exists only in the Windows build. */
#include "reg_internal.h"

#include "base/rp_err.h"

int reg_open_live(reg_store **out, const char *root, unsigned flags)
{
	(void)flags;
	*out = NULL;
	return rp_error_set(RP_EUNSUPPORTED,
			    "live registry (%s) is only available in the Windows build",
			    root ? root : "HKEY_CURRENT_USER");
}
