/* fuzz_switchmsg.c - libFuzzer target for the switch message reader
 * (src/mailbox/mbx_switchmsg).
 *
 * Input: a PropertyRow (MS-OXCDATA 2.8.1) over mbx_swm_columns with the ids
 * below, as RopGetPropertiesSpecific returns it for the message.
 *
 * Property: never crashes; a row that parses as a switch message rebuilds
 * through mbx_swm_build (what the reader accepts the writer writes); every
 * refusal has a one-line message. */
#include "base/rp_err.h"
#include "mailbox/mbx_prop.h"
#include "mailbox/mbx_switchmsg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t ids[MBX_SWM_NPROPS] = {0x8101, 0x8102, 0x8103, 0x8104};

static void check_msg(void)
{
	const char *m = rp_error_msg();
	if (m[0] == '\0' || strchr(m, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t cols[MBX_SWM_NCOLS];
	rp_cur c;
	mbx_row row;
	mbx_swm m;

	mbx_swm_columns(ids, cols);
	rp_cur_init(&c, data, size);
	if (mbx_row_decode(&c, cols, MBX_SWM_NCOLS, &row) == RP_OK) {
		int rc = mbx_swm_parse(&row, ids, &m);
		if (rc == RP_OK) {
			mapi_value *list;
			size_t n;
			if (mbx_swm_build(&m, ids, &list, &n) != RP_OK)
				abort();
			mbx_props_free(list, n);
		} else {
			check_msg();
		}
		mbx_swm_free(&m);
		rp_error_clear();
		if (mbx_swm_parse_recreate(&row, ids) != RP_OK)
			check_msg();
	}
	mbx_row_free(&row);
	rp_error_clear();
	return 0;
}
