/* cmd_switchmsg.c - `reprofile switch-message create ADDRESS --target-smtp SMTP
 *                    --target-dn DN [--o365] [--recreate] [where] [network options]`
 *                   `reprofile switch-message show ADDRESS [where] [network options]`
 *
 * Writes or shows the switch message (and the recreate message) in the
 * SOURCE mailbox ADDRESS (docs/switch-message.md), with the administrator's
 * Full Access account. Where the mailbox is and how to sign in are those of
 * `reprofile mailbox` (cmd_mailbox.c parses them and calls back here).
 * Exit 0 = written / shown, 1 = failed (show: also none, or malformed),
 * 2 = usage. */
#include "commands.h"

#include "base/rp_err.h"
#include "mailbox/mbx_emsmdb.h"
#include "mailbox/mbx_switchmsg.h"

#include <stdio.h>
#include <string.h>

int rp_switch_message(const struct mbx_http_opts *ho, const char *address, const char *dn,
		      const rp_swm_args *a)
{
	mbx_emsmdb *e = NULL;
	mbx_mailbox mb;
	mbx_swm m = {MBX_SWM_VERSION, (char *)a->target_dn, (char *)a->target_smtp,
		     a->o365};
	bool created = false, recreate = false;
	int rc;

	memset(&mb, 0, sizeof(mb));
	/* Check the arguments before connecting: nothing is written for bad ones. */
	if (a->create && ((rc = mbx_swm_check_dn(m.target_dn)) < 0 ||
			  (rc = mbx_swm_check_smtp(m.target_smtp)) < 0))
		return rc;
	/* Connect as the signed-in account (the server checks it is the
	 * authenticated user's), log on to the source mailbox. */
	rc = rp_mailbox_open(ho, a->user_dn ? a->user_dn : dn, dn, &e, &mb);
	if (!rc && a->create) {
		rc = mbx_swm_write(mbx_emsmdb_send, e, &mb, &m, &created);
		if (!rc)
			printf("%s: switch message %s\n", address,
			       created ? "created" : "updated");
		if (!rc && a->recreate) {
			rc = mbx_swm_write(mbx_emsmdb_send, e, &mb, NULL, &created);
			if (!rc)
				printf("%s: recreate message %s\n", address,
				       created ? "created" : "updated");
		}
	} else if (!rc) {
		mbx_swm got;
		rc = mbx_swm_read(mbx_emsmdb_send, e, &mb, &got, &recreate);
		if (!rc)
			printf("%s: version %d\ttarget DN %s\ttarget SMTP %s\tMicrosoft "
			       "365 %s\trecreate %s\n",
			       address, (int)got.version, got.target_dn, got.target_smtp,
			       got.o365 ? "yes" : "no", recreate ? "yes" : "no");
		else if (rc == RP_ENOTFOUND)
			rp_error_set(rc, "%s: no switch message%s", address,
				     recreate ? " (a recreate message is there)" : "");
		mbx_swm_free(&got);
	}
	mbx_mailbox_free(&mb);
	mbx_emsmdb_free(e); /* Disconnect */
	return rc;
}
