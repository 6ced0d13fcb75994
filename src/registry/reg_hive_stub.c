/* reg_hive_stub.c - the Windows build has no libhivex: hive files are
 * handled by the native (offline) build; reg_hive_create_empty still works. */
#include "reg_internal.h"

#include "base/rp_err.h"

int reg_open_hive(reg_store **out, const char *path, unsigned flags)
{
	(void)flags;
	*out = NULL;
	return rp_error_set(RP_EUNSUPPORTED,
			    "%s: hive files are only handled by the native build", path);
}
