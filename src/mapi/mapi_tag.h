/* mapi_tag.h - MAPI property tags: types, names, registry value names.
 *
 * A profile section stores each property as a registry value whose name is the
 * tag's two 16-bit halves swapped and written as 8 lower-case hex digits:
 * tag 0x6641001F (PR_PROFILE_USER_SMTP_EMAIL_ADDRESS_W) is value "001f6641"
 * (grommunio/gromox wiki "Windows"; ../shared/reference/outlook-profile-registry.md 1.3).
 *
 * The name table covers every tag named in the reference notes; unknown tags
 * are still handled everywhere by number. */
#ifndef MAPI_TAG_H
#define MAPI_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROP_TYPE(tag) ((uint16_t)((tag)&0xFFFFu))
#define PROP_ID(tag) ((uint16_t)((tag) >> 16))
#define PROP_TAG(type, id) (((uint32_t)(id) << 16) | (uint32_t)(type))

/* Property types (MS-OXCDATA 2.11.1). */
enum {
	PT_UNSPECIFIED = 0x0000,
	PT_NULL = 0x0001,
	PT_SHORT = 0x0002,
	PT_LONG = 0x0003,
	PT_FLOAT = 0x0004,
	PT_DOUBLE = 0x0005,
	PT_CURRENCY = 0x0006,
	PT_APPTIME = 0x0007,
	PT_ERROR = 0x000A,
	PT_BOOLEAN = 0x000B,
	PT_OBJECT = 0x000D,
	PT_I8 = 0x0014,
	PT_STRING8 = 0x001E,
	PT_UNICODE = 0x001F,
	PT_SYSTIME = 0x0040,
	PT_CLSID = 0x0048,
	PT_SVREID = 0x00FB,
	PT_SRESTRICT = 0x00FD,
	PT_ACTIONS = 0x00FE,
	PT_BINARY = 0x0102,
	MV_FLAG = 0x1000,
	PT_MV_SHORT = 0x1002,
	PT_MV_LONG = 0x1003,
	PT_MV_FLOAT = 0x1004,
	PT_MV_DOUBLE = 0x1005,
	PT_MV_CURRENCY = 0x1006,
	PT_MV_APPTIME = 0x1007,
	PT_MV_I8 = 0x1014,
	PT_MV_STRING8 = 0x101E,
	PT_MV_UNICODE = 0x101F,
	PT_MV_SYSTIME = 0x1040,
	PT_MV_CLSID = 0x1048,
	PT_MV_BINARY = 0x1102
};

/* Name of a tag ("PR_PROFILE_USER"), or NULL if not in the table. Lookup by
 * full tag first, then by id with any string type (001E/001F twins). */
const char *mapi_tag_name(uint32_t tag);
/* Name of a type ("PT_UNICODE"), or NULL. */
const char *mapi_type_name(uint16_t type);
/* Tag by name (exact, case-sensitive); false if unknown. */
bool mapi_tag_by_name(const char *name, uint32_t *tag);
/* Registry value name -> tag: exactly 8 hex digits (either case); false if
 * the name is not of that form. */
bool mapi_tag_from_regname(const char *name, uint32_t *tag);
/* Tag -> registry value name, 8 lower-case hex digits + NUL. */
void mapi_tag_to_regname(uint32_t tag, char out[9]);
/* Parses a tag written by a user: a registry name ("001f6641"), a number
 * ("0x6641001F") or a table name ("PR_PROFILE_USER"). False if none fits. */
bool mapi_tag_parse(const char *s, uint32_t *tag);
/* The name table, for listing and tests: row i (false past the end). A tag
 * may appear under two names (e.g. 0x68420102); lookups return the first. */
size_t mapi_tag_count(void);
bool mapi_tag_at(size_t i, uint32_t *tag, const char **name);

/* Well-known tags used across modules (values from the reference notes). */
#define PR_DISPLAY_NAME_W 0x3001001Fu
#define PR_PROVIDER_DISPLAY_W 0x3006001Fu
#define PR_PROVIDER_DLL_NAME_W 0x300A001Fu
#define PR_RESOURCE_FLAGS 0x30090003u
#define PR_PROVIDER_UID 0x300C0102u
#define PR_STORE_ENTRYID 0x0FFB0102u
#define PR_RECORD_KEY 0x0FF90102u
#define PR_SEARCH_KEY 0x300B0102u
#define PR_MDB_PROVIDER 0x34140102u
#define PR_STORE_PROVIDERS 0x3D000102u
#define PR_AB_PROVIDERS 0x3D010102u
#define PR_TRANSPORT_PROVIDERS 0x3D020102u
#define PR_AB_SEARCH_PATH 0x3D051102u
#define PR_AB_DEFAULT_DIR 0x3D060102u
#define PR_AB_DEFAULT_PAB 0x3D070102u
#define PR_SERVICE_NAME_W 0x3D09001Fu
#define PR_SERVICE_NAME_A 0x3D09001Eu
#define PR_SERVICE_DLL_NAME_W 0x3D0A001Fu
#define PR_SERVICE_ENTRY_NAME 0x3D0B001Eu
#define PR_SERVICE_UID 0x3D0C0102u
#define PR_SERVICE_EXTRA_UIDS 0x3D0D0102u
#define PR_SERVICES 0x3D0E0102u
#define PR_SERVICE_INSTALL_ID_W 0x3D13001Fu
#define PR_EMSMDB_SECTION_UID 0x3D150102u
#define PR_EMSABP_USER_UID 0x3D1A0102u
#define PR_RESOURCE_TYPE 0x3E030003u
#define PR_PROFILE_VERSION 0x66000003u
#define PR_PROFILE_CONFIG_FLAGS 0x66010003u
#define PR_PROFILE_HOME_SERVER 0x6602001Eu
#define PR_PROFILE_USER 0x6603001Eu
#define PR_PROFILE_CONNECT_FLAGS 0x66040003u
#define PR_PROFILE_UNRESOLVED_NAME 0x6607001Eu
#define PR_PROFILE_UNRESOLVED_NAME_W 0x6607001Fu
#define PR_PROFILE_UNRESOLVED_SERVER 0x6608001Eu
#define PR_PROFILE_OPEN_FLAGS 0x66090003u
#define PR_PROFILE_TYPE 0x660A0003u
#define PR_PROFILE_MAILBOX 0x660B001Eu
#define PR_PROFILE_SERVER 0x660C001Eu
#define PR_PROFILE_SERVER_DN 0x6614001Eu
#define PR_PROFILE_AB_FILES_PATH_W 0x660E001Fu
#define PR_PROFILE_OFFLINE_STORE_PATH_W 0x6610001Fu
#define PR_PROFILE_OFFLINE_STORE_PATH_A 0x6610001Eu
#define PR_PROFILE_HOME_SERVER_DN 0x6612001Eu
#define PR_PROFILE_HOME_SERVER_ADDRS 0x6613101Eu
#define PR_PROFILE_AUTH_PACKAGE 0x66190003u
#define PR_PROFILE_ACCT_NAME_W 0x6620001Fu
#define PR_ROH_PROXY_SERVER_W 0x6622001Fu
#define PR_ROH_FLAGS 0x66230003u
#define PR_ROH_PROXY_PRINCIPAL_NAME_W 0x6625001Fu
#define PR_ROH_PROXY_AUTH_SCHEME 0x66270003u
#define PR_PROFILE_HOME_SERVER_FQDN_W 0x662A001Fu
#define PR_PROFILE_SERVER_FQDN_W 0x662B001Fu
#define PR_PROFILE_USER_EMAIL_W 0x663D001Fu
#define PR_PROFILE_USER_SMTP_EMAIL_ADDRESS_W 0x6641001Fu
#define PR_PROFILE_LKG_AUTODISCOVER_URL_W 0x664A001Fu
#define PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL_W 0x6652001Fu
#define PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL_W 0x6653001Fu
#define PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL_W 0x6654001Fu
#define PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL_W 0x6655001Fu
#define PR_PROFILE_ALTERNATE_STORE_TYPE_W 0x65D0001Fu
#define PR_PST_PATH_W 0x6700001Fu
#define PR_PST_PATH_A 0x6700001Eu
#define PR_CONTAB_UID 0x66010102u
#define PR_CONTAB_FOLDER_ENTRYIDS 0x66201102u
#define PR_CONTAB_STORE_SUPPORT_MASKS 0x66211003u
#define PR_CONTAB_STORE_NAMES_A 0x6622101Eu
#define PR_CONTAB_FOLDER_NAMES_A 0x6623101Eu
#define PR_CONTAB_DISPLAY_NAMES_A 0x6624101Eu
#define PR_CONTAB_MULTI_ADDR_FLAGS 0x66251003u
#define PR_CONTAB_STORE_ENTRYIDS 0x66261102u
#define PR_CONTAB_STORE_NAMES_W 0x6627101Fu
#define PR_CONTAB_FOLDER_NAMES_W 0x6628101Fu
#define PR_CONTAB_DISPLAY_NAMES_W 0x6629101Fu

/* PR_PROFILE_TYPE values (EdkMdb.h). */
#define PROFILE_PRIMARY_USER 1
#define PROFILE_DELEGATE 2
#define PROFILE_PUBLIC_STORE 3
#define PROFILE_SUBSCRIPTION 4

/* PR_PROFILE_CONFIG_FLAGS bits (EdkMdb.h; mfcmapi extraPropTags.h). */
#define CONFIG_OST_CACHE_ONLY 0x20u
#define CONFIG_OST_CACHE_PRIVATE 0x180u
#define CONFIG_OST_CACHE_PUBLIC 0x400u

/* PR_ROH_FLAGS bits. */
#define ROHFLAGS_USE_ROH 0x1u
#define ROHFLAGS_SSL_ONLY 0x2u
#define ROHFLAGS_MUTUAL_AUTH 0x4u
#define ROHFLAGS_HTTP_FIRST_ON_FAST 0x8u
#define ROHFLAGS_HTTP_FIRST_ON_SLOW 0x20u

/* PR_RESOURCE_TYPE values. */
#define MAPI_STORE_PROVIDER 0x21
#define MAPI_AB_PROVIDER 0x23
#define MAPI_TRANSPORT_PROVIDER 0x24

#endif
