/* mbx_int.h - internals shared by the mailbox module's own files only. */
#ifndef MBX_INT_H
#define MBX_INT_H

#include "mailbox/mbx_prop.h"
#include "mailbox/mbx_restrict.h"

/* Decoders that carry the nesting depth: a restriction holds values, a
 * PT_SRESTRICT value holds a restriction, so one depth covers both. wide
 * selects the extended-rule widths (mbx_prop.h). */
int mbx_value_decode_d(rp_cur *c, uint32_t tag, mapi_value *out, int depth, bool wide);
int mbx_tagged_decode_d(rp_cur *c, mapi_value *out, int depth, bool wide);
int mbx_res_decode_d(rp_cur *c, mbx_res *out, int depth, bool wide);
int mbx_value_encode_w(rp_buf *b, const mapi_value *v, bool wide);

/* RuleAction block of a PT_ACTIONS value in ROP widths (MS-OXORULE 2.2.5):
 * NoOfActions(2) + ActionBlocks, each ActionLength(2) + that many bytes.
 * Moves the cursor past it and reports its bytes. */
int mbx_actions_skip(rp_cur *c, const uint8_t **p, size_t *n);

/* One Execute of r through send (counted in mb->executes); *rs parsed from
 * its answer, freed by the caller (also after an error). */
#include "mailbox/mbx_folders.h"
#include "mailbox/mbx_rop.h"
int mbx_round_trip(mbx_send_fn send, void *ctx, mbx_mailbox *mb, mbx_rop_req *r,
		   rp_buf *out, mbx_rop_resp *rs);

#endif
