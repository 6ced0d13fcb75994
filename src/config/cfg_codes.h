/* cfg_codes.h - the guide's exit bits and profile status codes, with their
 * names and descriptions as the guide spells them (typos included, e.g.
 * PROFILE_HAS_NO_SEREVER, so scripts grepping logs keep working).
 *
 * Source: "ClientProfileUpdatingUtility.exe Exit Codes", "CPUU Return Codes"
 * and "SwitchResMb Exit Codes" in the CPUU 5.9 administrator guide. */
#ifndef CFG_CODES_H
#define CFG_CODES_H

/* Process exit code of update/rollback/cleanup: an OR of these bits. */
enum cfg_exit_bit {
	CPUU_CANNOT_START = 0,
	CPUU_SUCCESS = 1,
	CPUU_NO_SWITCH_MSG = 2,
	CPUU_SWITCH_ERR = 4,
	CPUU_USER_ABORT = 8,
	CPUU_GLOBAL_ERR = 16,
	CPUU_CRASH = 32,
	CPUU_FAILED_TO_WRITE_LOG = 64,
	CPUU_FAILED_TO_CREATE_TMP_DIR = 128,
	CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE = 256,
	CPUU_INVALID_SWITCH_MSG = 512
};

/* Exit bit for a bad command line or a bad INI file: the guide lists
 * CPUU_GLOBAL_ERR as "Update failed" / "Cleanup failed" for the whole run,
 * and 0 (CPUU_CANNOT_START) would look like success to `if errorlevel 1`. */
#define CFG_EXIT_CONFIG_ERROR CPUU_GLOBAL_ERR

/* Profile status written to the CSV status file and the log. */
enum cfg_status {
	PROFILE_WAS_NOT_PROCESSED = 0,
	PROFILE_IS_BACKUP = 1,
	PROFILE_ALREADY_UPDATED = 2,
	PROFILE_BACKUP_NOT_FOUND = 3,
	PROFILE_NOT_RESOLVED = 4,
	PROFILE_NOT_EXCHANGE_SERVICE = 5,
	PROFILE_IS_OFFLINE = 6,
	PROFILE_HAS_NO_SEREVER = 7,
	PROFILE_UNEXPECTED_SERVICES = 8,
	PROFILE_FAILED_TO_CREATE_BACKUP = 9,
	PROFILE_MODIFYING_OK = 10,
	PROFILE_MODIFYING_FAILED = 11,
	PROFILE_RESTORE_OK = 12,
	PROFILE_RESTORE_FAILED = 13,
	PROFILE_CLEANUP_OK = 14,
	PROFILE_CLEANUP_FAILED = 15,
	PROFILE_CLEANUP_CANCELED = 16,
	PROFILE_IS_UNABLE_OPEN_DEFSTORE = 17,
	PROFILE_IS_UNABLE_OPEN_MAILBOX_STORE = 18,
	PROFILE_HAS_UNSUPPORTED_AUTHENTICATION = 19,
	PROFILE_HAS_CFG_UI_LOCK = 20,
	PROFILE_IS_OFFLINE_AND_RC = 21,
	PROFILE_NOT_FREESPACE_FOR_BACKUPOST = 22,
	PROFILE_MORE_THAN_ONE_ACCOUNT_IS_ALLOWED_TO_SWITCH = 23,
	PROFILE_NO_ACCOUNT_IS_ALLOWED_TO_SWITCH = 24,
	CFG_STATUS_COUNT = 25
};

/* Exit bits of the resource-mailbox mode (the guide's SwitchResMB.exe). */
enum cfg_resmb_exit_bit {
	RESMB_SUCCESS = 0,
	RESMB_FAILED = 1,
	RESMB_BAD_CMDLINE = 2,
	RESMB_BAD_INI = 4,
	RESMB_CANNOT_CREATE_ONE_PROFILE = 8,
	RESMB_CANNOT_CREATE_ALL_PROFILES = 16,
	RESMB_BAD_CPUU_CMDLINE = 32,
	RESMB_CANNOT_START_UPDATE = 64,
	RESMB_CANNOT_START_CLEANUP = 128
};

/* Name of one exit bit ("CPUU_GLOBAL_ERR"); NULL if v is not a single bit
 * of the table (0 is CPUU_CANNOT_START). Static strings. */
const char *cfg_exit_bit_name(int v);
const char *cfg_exit_bit_desc(int v);
/* Writes the names of the bits set in code, '|'-separated, into buf
 * ("CPUU_SUCCESS|CPUU_SWITCH_ERR"; "CPUU_CANNOT_START" for 0; unknown bits
 * as "0x400"). Always NUL-terminates; returns buf. */
char *cfg_exit_code_names(int code, char *buf, unsigned long size);

/* Name / description of a status code; NULL if out of range. */
const char *cfg_status_name(int status);
const char *cfg_status_desc(int status);
/* Status code from its name (case-insensitive); -1 if unknown. */
int cfg_status_from_name(const char *name);

/* SwitchResMB bit name ("RESMB_BAD_INI") and the guide's text. */
const char *cfg_resmb_exit_bit_name(int v);
const char *cfg_resmb_exit_bit_desc(int v);

#endif
