#include "cfg_codes.h"

#include "base/rp_str.h"

#include <stdio.h>
#include <string.h>

struct code_text {
	int v;
	const char *name;
	const char *desc;
};

/* Texts from the guide's tables (see cfg_codes.h). */
static const struct code_text exit_bits[] = {
    {CPUU_CANNOT_START, "CPUU_CANNOT_START", "Nothing to update, undo or clean up"},
    {CPUU_SUCCESS, "CPUU_SUCCESS", "One or more profiles were processed"},
    {CPUU_NO_SWITCH_MSG, "CPUU_NO_SWITCH_MSG",
     "No Switch Message was found for one or more profiles"},
    {CPUU_SWITCH_ERR, "CPUU_SWITCH_ERR", "Processing failed for one or more profiles"},
    {CPUU_USER_ABORT, "CPUU_USER_ABORT", "Aborted by the user"},
    {CPUU_GLOBAL_ERR, "CPUU_GLOBAL_ERR", "The run failed"},
    {CPUU_CRASH, "CPUU_CRASH", "The application crashed"},
    {CPUU_FAILED_TO_WRITE_LOG, "CPUU_FAILED_TO_WRITE_LOG", "Failed to write the log"},
    {CPUU_FAILED_TO_CREATE_TMP_DIR, "CPUU_FAILED_TO_CREATE_TMP_DIR",
     "Failed to create the temporary folder"},
    {CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE,
     "CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE",
     "Failed to copy the local log to the remote share"},
    {CPUU_INVALID_SWITCH_MSG, "CPUU_INVALID_SWITCH_MSG", "Invalid switch message"},
};

static const struct code_text statuses[CFG_STATUS_COUNT] = {
    {0, "PROFILE_WAS_NOT_PROCESSED", "Profile is not processed."},
    {1, "PROFILE_IS_BACKUP", "Profile is a backup copy of the original profile."},
    {2, "PROFILE_ALREADY_UPDATED", "Profile is already updated."},
    {3, "PROFILE_BACKUP_NOT_FOUND",
     "Backup profile was not found. Cannot restore and update profile."},
    {4, "PROFILE_NOT_RESOLVED", "Profile cannot be resolved and is being skipped."},
    {5, "PROFILE_NOT_EXCHANGE_SERVICE",
     "Server name and/or mailbox DN is not specified for the Exchange service. Profile "
     "is being skipped."},
    {6, "PROFILE_IS_OFFLINE",
     "Profile is being skipped, because offline profiles cannot be processed unless the "
     "'-ProcessOfflineProfiles' parameter is specified with the 'On' value."},
    {7, "PROFILE_HAS_NO_SEREVER",
     "No 'Microsoft Exchange Server' service is specified in this profile."},
    {8, "PROFILE_UNEXPECTED_SERVICES",
     "Profile contains unexpected service(s) and is being skipped."},
    {9, "PROFILE_FAILED_TO_CREATE_BACKUP",
     "Cannot create a backup copy for this profile."},
    {10, "PROFILE_MODIFYING_OK", "Profile was successfully updated."},
    {11, "PROFILE_MODIFYING_FAILED", "Cannot update profile."},
    {12, "PROFILE_RESTORE_OK", "Profile was successfully rolled back."},
    {13, "PROFILE_RESTORE_FAILED", "Cannot roll back profile."},
    {14, "PROFILE_CLEANUP_OK", "Profile was successfully cleaned."},
    {15, "PROFILE_CLEANUP_FAILED", "Cannot clean up profile."},
    {16, "PROFILE_CLEANUP_CANCELED", "Cleanup operation was canceled by the user."},
    {17, "PROFILE_IS_UNABLE_OPEN_DEFSTORE", "Cannot open default message store."},
    {18, "PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE", "Cannot open mailbox message store."},
    {19, "PROFILE_HAS_UNSUPPORTED_AUTHENTICATION",
     "Profile authentication type is not supported."},
    {20, "PROFILE_HAS_CFG_UI_LOCK",
     "Profile is locked due to open properties dialog box."},
    {21, "PROFILE_IS_OFFLINE_AND_RC", "Unexpected error occurred."},
    {22, "PROFILE_NOT_FREESPACE_FOR_BACKUPOST",
     "Not enough disk space for the OST file backup."},
    {23, "PROFILE_MORE_THAN_ONE_ACCOUNT_IS_ALLOWED_TO_SWITCH",
     "CPUU requires that you specify the 'ProcessedDomainsFQDNs' parameter to determine "
     "if the primary account is allowed to switch."},
    {24, "PROFILE_NO_ACCOUNT_IS_ALLOWED_TO_SWITCH",
     "Primary Exchange account of profile is not valid for switching according to the "
     "'ProcessedDomainsFQDNs' parameter."},
};

static const struct code_text resmb_bits[] = {
    {RESMB_SUCCESS, "RESMB_SUCCESS", "Processing successfully completed"},
    {RESMB_FAILED, "RESMB_FAILED", "Processing failed with errors"},
    {RESMB_BAD_CMDLINE, "RESMB_BAD_CMDLINE", "Incorrect command line parameters"},
    {RESMB_BAD_INI, "RESMB_BAD_INI",
     "Incorrect parameters in the INI configuration file"},
    {RESMB_CANNOT_CREATE_ONE_PROFILE, "RESMB_CANNOT_CREATE_ONE_PROFILE",
     "Unable to create one profile"},
    {RESMB_CANNOT_CREATE_ALL_PROFILES, "RESMB_CANNOT_CREATE_ALL_PROFILES",
     "Unable to create all profiles"},
    {RESMB_BAD_CPUU_CMDLINE, "RESMB_BAD_CPUU_CMDLINE", "Incorrect CPUU command line"},
    {RESMB_CANNOT_START_UPDATE, "RESMB_CANNOT_START_UPDATE",
     "Unable to start CPUU for updating profiles"},
    {RESMB_CANNOT_START_CLEANUP, "RESMB_CANNOT_START_CLEANUP",
     "Unable to start CPUU for cleanup"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct code_text *find(const struct code_text *t, size_t n, int v)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return &t[i];
	return NULL;
}

const char *cfg_exit_bit_name(int v)
{
	const struct code_text *c = find(exit_bits, COUNT(exit_bits), v);
	return c ? c->name : NULL;
}

const char *cfg_exit_bit_desc(int v)
{
	const struct code_text *c = find(exit_bits, COUNT(exit_bits), v);
	return c ? c->desc : NULL;
}

char *cfg_exit_code_names(int code, char *buf, unsigned long size)
{
	size_t pos = 0;
	unsigned bit;

	if (!size)
		return buf;
	buf[0] = '\0';
	if (code == 0) {
		snprintf(buf, size, "%s", "CPUU_CANNOT_START");
		return buf;
	}
	for (bit = 1; bit; bit <<= 1) {
		char tmp[32];
		const char *name;
		int n;
		if (!((unsigned)code & bit))
			continue;
		name = cfg_exit_bit_name((int)bit);
		if (!name) {
			snprintf(tmp, sizeof(tmp), "0x%x", bit);
			name = tmp;
		}
		n = snprintf(buf + pos, size - pos, "%s%s", pos ? "|" : "", name);
		if (n < 0 || (size_t)n >= size - pos) {
			buf[pos] = '\0'; /* drop a half-written name */
			break;
		}
		pos += (size_t)n;
	}
	return buf;
}

const char *cfg_status_name(int status)
{
	return status >= 0 && status < CFG_STATUS_COUNT ? statuses[status].name : NULL;
}

const char *cfg_status_desc(int status)
{
	return status >= 0 && status < CFG_STATUS_COUNT ? statuses[status].desc : NULL;
}

int cfg_status_from_name(const char *name)
{
	int i;
	for (i = 0; i < CFG_STATUS_COUNT; i++)
		if (rp_ascii_casecmp(statuses[i].name, name) == 0)
			return i;
	return -1;
}

const char *cfg_resmb_exit_bit_name(int v)
{
	const struct code_text *c = find(resmb_bits, COUNT(resmb_bits), v);
	return c ? c->name : NULL;
}

const char *cfg_resmb_exit_bit_desc(int v)
{
	const struct code_text *c = find(resmb_bits, COUNT(resmb_bits), v);
	return c ? c->desc : NULL;
}
