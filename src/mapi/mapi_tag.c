/* mapi_tag.c - the tag-name table and registry value-name conversion.
 *
 * Sources, abbreviated in the row comments:
 *   OPR3.1/3.2/3.3/3.4  ../shared/reference/outlook-profile-registry.md section 3
 *                       (EdkMdb.h / MAPITags.h / mfcmapi extraPropTags.h values)
 *   OPR1.1/1.4/2/2.3    the same note, sections 1.1, 1.4, 2 and 2.3 (actMgmt.h)
 *   MBF<n>              ../shared/reference/mapi-binary-formats.md section n
 *   OXPROPS             MS-OXPROPS (type of a tag the notes name without one)
 * Names are the ones the source uses (PR_..., PROP_ACCT_..., PidTag...). */
#include "mapi_tag.h"

#include "base/rp_str.h"

#include <stdio.h>
#include <string.h>

struct tag_row {
	uint32_t tag;
	const char *name;
};

static const struct tag_row tags[] = {
    /* Profile/service plumbing, MAPITags.h 0x3Dxx (OPR3.1, OPR1.4) */
    {0x3D000102u, "PR_STORE_PROVIDERS"},     /* OPR3.1 */
    {0x3D010102u, "PR_AB_PROVIDERS"},        /* OPR3.1 */
    {0x3D020102u, "PR_TRANSPORT_PROVIDERS"}, /* OPR3.1 */
    {0x3D04000Bu, "PR_DEFAULT_PROFILE"},     /* OPR1.1 */
    {0x3D051102u, "PR_AB_SEARCH_PATH"},      /* OPR3.1 */
    {0x3D060102u, "PR_AB_DEFAULT_DIR"},      /* OPR3.1 */
    {0x3D070102u, "PR_AB_DEFAULT_PAB"},      /* OPR3.1 */
    {0x3D09001Fu, "PR_SERVICE_NAME_W"},      /* OPR3.1 */
    {0x3D09001Eu, "PR_SERVICE_NAME_A"},      /* OPR3.1 */
    {0x3D0A001Fu, "PR_SERVICE_DLL_NAME_W"},  /* OPR3.1, reg 001f3d0a */
    {0x3D0B001Eu, "PR_SERVICE_ENTRY_NAME"},  /* OPR3.1, reg 001f3d0b */
    {0x3D0C0102u, "PR_SERVICE_UID"},         /* OPR3.1 */
    {0x3D0D0102u, "PR_SERVICE_EXTRA_UIDS"},  /* OPR3.1 */
    {0x3D0E0102u, "PR_SERVICES"},            /* OPR3.1 */
    {0x3D0F101Eu,
     "PR_SERVICE_SUPPORT_FILES"},       /* MAPITags.h; 101e3d0f in the OPR4 fixture */
    {0x3D12001Fu, "PR_PROFILE_NAME_W"}, /* OPR3.1 */
    {0x3D13001Fu, "PR_SERVICE_INSTALL_ID_W"}, /* OPR3.1, reg 001f3d13 */
    {0x3D150102u, "PR_EMSMDB_SECTION_UID"},   /* OPR3.1, mfcmapi extraPropTags.h */
    {0x3D16001Fu,
     "PR_PROFILE_USER_HINT_W"},          /* OPR3.2 "user_hint" (obs., no header name) */
    {0x3D1A0102u, "PR_EMSABP_USER_UID"}, /* OPR3.1, MS doc */
    {0x300C0102u, "PR_PROVIDER_UID"},    /* OPR3.1 */
    {0x34140102u, "PR_MDB_PROVIDER"},    /* OPR3.1 */
    {0x30090003u, "PR_RESOURCE_FLAGS"},  /* OPR3.1 */
    {0x3E030003u, "PR_RESOURCE_TYPE"},   /* OPR3.1 */
    {0x0FFB0102u, "PR_STORE_ENTRYID"},   /* OPR3.1 */
    {0x3001001Fu, "PR_DISPLAY_NAME_W"},  /* OPR3.1, OPR1.3 */
    {0x3001001Eu, "PR_DISPLAY_NAME_A"},  /* twin of the above, MAPITags.h */
    {0x3006001Fu, "PR_PROVIDER_DISPLAY_W"},  /* OPR1.4, reg 001f3006 */
    {0x300A001Fu, "PR_PROVIDER_DLL_NAME_W"}, /* OPR1.4, reg 001f300a */
    {0x300B0102u, "PR_SEARCH_KEY"},          /* OPR2 (0102300b), MBF3 */
    /* Exchange connection properties, EdkMdb.h pidProfileMin 0x6600 (OPR3.2) */
    {0x66000003u, "PR_PROFILE_VERSION"},              /* OPR3.2 */
    {0x66010003u, "PR_PROFILE_CONFIG_FLAGS"},         /* OPR3.2 */
    {0x6602001Eu, "PR_PROFILE_HOME_SERVER"},          /* OPR3.2 */
    {0x6603001Eu, "PR_PROFILE_USER"},                 /* OPR3.2 */
    {0x66040003u, "PR_PROFILE_CONNECT_FLAGS"},        /* OPR3.2 */
    {0x66050003u, "PR_PROFILE_TRANSPORT_FLAGS"},      /* OPR3.2 */
    {0x66060003u, "PR_PROFILE_UI_STATE"},             /* OPR3.2 */
    {0x6607001Eu, "PR_PROFILE_UNRESOLVED_NAME"},      /* OPR3.2 */
    {0x6607001Fu, "PR_PROFILE_UNRESOLVED_NAME_W"},    /* OPR3.2 */
    {0x6608001Eu, "PR_PROFILE_UNRESOLVED_SERVER"},    /* OPR3.2 */
    {0x66090003u, "PR_PROFILE_OPEN_FLAGS"},           /* OPR3.2 */
    {0x660A0003u, "PR_PROFILE_TYPE"},                 /* OPR3.2 */
    {0x660B001Eu, "PR_PROFILE_MAILBOX"},              /* OPR3.2 */
    {0x660C001Eu, "PR_PROFILE_SERVER"},               /* OPR3.2 */
    {0x660E001Eu, "PR_PROFILE_AB_FILES_PATH"},        /* OPR3.2 */
    {0x660E001Fu, "PR_PROFILE_AB_FILES_PATH_W"},      /* OPR3.2 */
    {0x6610001Eu, "PR_PROFILE_OFFLINE_STORE_PATH_A"}, /* OPR3.2 */
    {0x6610001Fu, "PR_PROFILE_OFFLINE_STORE_PATH_W"}, /* OPR3.2 */
    {0x66110102u, "PR_PROFILE_OFFLINE_INFO"},         /* OPR3.2 */
    {0x6612001Eu, "PR_PROFILE_HOME_SERVER_DN"},       /* OPR3.2 */
    {0x6613101Eu, "PR_PROFILE_HOME_SERVER_ADDRS"},    /* OPR3.2 */
    {0x6614001Eu, "PR_PROFILE_SERVER_DN"},            /* OPR3.2 */
    {0x66190003u, "PR_PROFILE_AUTH_PACKAGE"},         /* OPR3.2 */
    {0x661B0003u, "PR_PROFILE_SERVER_VERSION"},       /* OPR3.2 */
    {0x6620001Eu, "PR_PROFILE_ACCT_NAME"},            /* OPR3.2 (toolkit) */
    {0x6620001Fu, "PR_PROFILE_ACCT_NAME_W"},          /* OPR3.2 (toolkit) */
    {0x6622001Fu,
     "PR_ROH_PROXY_SERVER_W"},     /* OPR3.2, alias PR_PROFILE_RPC_PROXY_SERVER_W */
    {0x66230003u, "PR_ROH_FLAGS"}, /* OPR3.2 */
    {0x6625001Fu, "PR_ROH_PROXY_PRINCIPAL_NAME_W"}, /* OPR3.2 */
    {0x66270003u, "PR_ROH_PROXY_AUTH_SCHEME"},      /* OPR3.2 */
    {0x66290003u,
     "PR_PROFILE_CACHED_EXCHANGE_CONFIG_FLAGS"}, /* OPR3.2 (PRF CachedExchangeConfigFlags)
						  */
    {0x662A001Fu, "PR_PROFILE_HOME_SERVER_FQDN_W"},        /* OPR3.2 */
    {0x662B001Fu, "PR_PROFILE_SERVER_FQDN_W"},             /* OPR3.2 (toolkit) */
    {0x663B0102u, "PR_PROFILE_SERVER_FULL_VERSION"},       /* OPR3.2 */
    {0x663D001Fu, "PR_PROFILE_USER_EMAIL_W"},              /* OPR3.2 (toolkit) */
    {0x6641001Fu, "PR_PROFILE_USER_SMTP_EMAIL_ADDRESS_W"}, /* OPR3.2 */
    {0x66490003u,
     "PR_PROFILE_SYNC_MONTHS"}, /* OPR3.2 (obs.; id of PR_RULE_ACTION_TYPE) */
    {0x664A001Fu, "PR_PROFILE_LKG_AUTODISCOVER_URL_W"},            /* OPR3.2 (toolkit) */
    {0x6652001Fu, "PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL_W"}, /* OPR3.2 */
    {0x6653001Fu, "PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL_W"}, /* OPR3.2 */
    {0x6654001Fu, "PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL_W"}, /* OPR3.2 */
    {0x6655001Fu, "PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL_W"}, /* OPR3.2 */
    {0x665A0003u, "PR_PROFILE_SYNC_DAYS"},              /* OPR3.2 (obs., 0003665a) */
    {0x667B001Eu, "PR_PROFILE_MOAB"},                   /* OPR3.2 */
    {0x667C001Eu, "PR_PROFILE_MOAB_GUID"},              /* OPR3.2 */
    {0x667D0003u, "PR_PROFILE_MOAB_SEQ"},               /* OPR3.2 */
    {0x66870102u, "PR_PROFILE_ADDR_INFO"},              /* OPR3.2 */
    {0x66880003u, "PR_PROFILE_DISPLAYNAME_SET"},        /* OPR3.2 */
    {0x65D0001Fu, "PR_PROFILE_ALTERNATE_STORE_TYPE_W"}, /* OPR3.2 */
    {0x67F00102u, "PR_PROFILE_SECURE_MAILBOX"},         /* OPR3.2 */
    {0x6750001Eu, "PR_PROFILE_0x6750"},       /* OPR3.2 (obs., no header name) */
    {0x041F0003u, "PR_CACHED_EXCHANGE_MODE"}, /* OPR2 (PRF CachedExchangeMode) */
    {0x0420000Bu,
     "PR_CACHED_EXCHANGE_SLOW_DETECT"}, /* OPR2 (PRF CachedExchangeSlowDetect) */
    /* Account manager (OPR2.3, actMgmt.h) */
    {0x00010003u, "PROP_ACCT_ID"},                /* OPR2.3 */
    {0x0002001Fu, "PROP_ACCT_NAME"},              /* OPR2.3 */
    {0x00030003u, "PROP_ACCT_MINI_UID"},          /* OPR2.3 */
    {0x000B001Fu, "PROP_ACCT_USER_DISPLAY_NAME"}, /* OPR2.3 */
    {0x000C001Fu, "PROP_ACCT_USER_EMAIL_ADDR"},   /* OPR2.3 */
    {0x00140003u, "PROP_ACCT_IS_EXCH"},           /* OPR2.3 */
    {0x00180102u, "PROP_ACCT_DELIVERY_STORE"},    /* OPR2.3 */
    {0x00190102u, "PROP_ACCT_DELIVERY_FOLDER"},   /* OPR2.3 */
    {0x00200102u, "PROP_ACCT_SENTITEMS_EID"},     /* OPR2.3 */
    {0x00220102u, "PROP_ACCT_PREFERENCES_UID"},   /* OPR2.3 */
    {0x20020102u, "PROP_MAPI_IDENTITY_ENTRYID"},  /* OPR2.3 */
    {0x20090102u, "PROP_MAPI_EMSMDB_UID"},        /* OPR2.3 */
    /* PST and CONTAB (OPR3.4) */
    {0x6700001Fu, "PR_PST_PATH_W"},                 /* OPR3.4 */
    {0x6700001Eu, "PR_PST_PATH_A"},                 /* OPR3.4 */
    {0x6701000Bu, "PR_PST_REMEMBER_PW"},            /* OPR3.4 (type OXPROPS) */
    {0x67020003u, "PR_PST_ENCRYPTION"},             /* OPR3.4 (type OXPROPS) */
    {0x67700003u, "PR_PST_CONFIG_FLAGS"},           /* OPR3.4 */
    {0x6771001Fu, "PR_PST_PATH_HINT_W"},            /* OPR3.4 */
    {0x66010102u, "PR_CONTAB_UID"},                 /* OPR3.4 */
    {0x66201102u, "PR_CONTAB_FOLDER_ENTRYIDS"},     /* OPR3.4 */
    {0x66211003u, "PR_CONTAB_STORE_SUPPORT_MASKS"}, /* OPR3.4 */
    {0x6622101Eu, "PR_CONTAB_STORE_NAMES_A"},       /* OPR3.4 */
    {0x6623101Eu, "PR_CONTAB_FOLDER_NAMES_A"},      /* OPR3.4 */
    {0x6624101Eu, "PR_CONTAB_DISPLAY_NAMES_A"},     /* OPR3.4 */
    {0x66251003u, "PR_CONTAB_MULTI_ADDR_FLAGS"},    /* OPR3.4 */
    {0x66261102u, "PR_CONTAB_STORE_ENTRYIDS"},      /* OPR3.4 */
    {0x6627101Fu, "PR_CONTAB_STORE_NAMES_W"},       /* OPR3.4 */
    {0x6628101Fu, "PR_CONTAB_FOLDER_NAMES_W"},      /* OPR3.4 */
    {0x6629101Fu, "PR_CONTAB_DISPLAY_NAMES_W"},     /* OPR3.4 */
    /* Entry-ID carrying properties (MBF1.7, MBF1.9) */
    {0x0FFF0102u, "PR_ENTRYID"},                    /* MBF3 */
    {0x66310102u, "PR_IPM_PUBLIC_FOLDERS_ENTRYID"}, /* MBF1.7 */
    {0x66200102u, "PR_NON_IPM_SUBTREE_ENTRYID"},    /* MBF1.7 */
    {0x36D90102u, "PR_ADDITIONAL_REN_ENTRYIDS_EX"}, /* MBF1.9 */
    {0x36E41102u, "PR_FREEBUSY_ENTRYIDS"},          /* MBF1.9 */
    {0x35E60102u, "PR_COMMON_VIEWS_ENTRYID"},       /* MBF4.1 */
    /* Nickname cache rows (MBF3) */
    {0x6001001Fu, "PR_NICK_NAME_W"},              /* MBF3 */
    {0x5FF70102u, "PR_RECIPIENT_ENTRYID"},        /* MBF3 */
    {0x0FF90102u, "PR_RECORD_KEY"},               /* MBF3 */
    {0x0FF60102u, "PR_INSTANCE_KEY"},             /* MBF3 */
    {0x3003001Fu, "PR_EMAIL_ADDRESS_W"},          /* MBF3 */
    {0x3002001Fu, "PR_ADDRTYPE_W"},               /* MBF3 */
    {0x39FE001Fu, "PR_SMTP_ADDRESS_W"},           /* MBF3 */
    {0x5FF6001Fu, "PR_RECIPIENT_DISPLAY_NAME_W"}, /* MBF3 */
    {0x6003001Fu, "PR_DROPDOWN_DISPLAY_NAME_W"},  /* MBF3 */
    {0x60040003u, "PR_NICK_NAME_WEIGHT"},         /* MBF3 */
    {0x6002000Bu, "PR_NEW_NICK_NAME"},            /* MBF3 */
    {0x7C090102u, "PR_ROAMING_BINARYSTREAM"},     /* MBF3 */
    /* Navigation-pane shortcuts (MBF4.1, MS-OXOCFG 2.2.9) */
    {0x684C0102u, "PidTagWlinkEntryId"},             /* MBF4.1 */
    {0x684D0102u, "PidTagWlinkRecordKey"},           /* MBF4.1 */
    {0x684E0102u, "PidTagWlinkStoreEntryId"},        /* MBF4.1 */
    {0x68540102u, "PidTagWlinkAddressBookEID"},      /* MBF4.1 */
    {0x68910102u, "PidTagWlinkAddressBookStoreEID"}, /* MBF4.1 */
    {0x68420102u,
     "PidTagWlinkGroupHeaderID"},           /* MBF4.1; same tag as PidTagSearchFolderId */
    {0x68500102u, "PidTagWlinkGroupClsid"}, /* MBF4.1 (type OXPROPS) */
    {0x68900102u, "PidTagWlinkClientID"},   /* MBF4.1 */
    {0x68490003u, "PidTagWlinkType"},       /* MBF4.1 (type OXPROPS) */
    {0x684A0003u, "PidTagWlinkFlags"},      /* MBF4.1 (type OXPROPS) */
    {0x68520003u, "PidTagWlinkSection"},    /* MBF4.1 (type OXPROPS) */
    {0x684F0102u, "PidTagWlinkFolderType"}, /* MBF4.1 (type OXPROPS) */
    {0x684B0102u, "PidTagWlinkOrdinal"},    /* MBF4.1 (type OXPROPS) */
    /* Search folders (MBF4.2) */
    {0x68420102u, "PidTagSearchFolderId"},         /* MBF4.2 */
    {0x68470003u, "PidTagSearchFolderTag"},        /* MBF4.2 (type OXPROPS) */
    {0x68450102u, "PidTagSearchFolderDefinition"}, /* MBF4.2 */
    /* Delegates (MBF4.3, MS-OXODLGT) */
    {0x68451102u, "PidTagScheduleInfoDelegateEntryIds"}, /* MBF4.3 */
    {0x6844101Eu, "PidTagScheduleInfoDelegateNames"},    /* MBF4.3 (type OXPROPS) */
    {0x684A101Fu, "PidTagScheduleInfoDelegateNamesW"},   /* MBF4.3 */
    {0x686B1003u, "PidTagDelegateFlags"}, /* MBF4.3 (id and type OXPROPS) */
    {0x6842000Bu, "PidTagScheduleInfoDelegatorWantsCopy"}, /* MBF4.3 */
    /* Rules (MBF4.4) */
    {0x3FE1000Du, "PR_RULES_TABLE"},                     /* MBF4.4 */
    {0x668000FEu, "PR_RULE_ACTIONS"},                    /* MBF4.4 */
    {0x667900FDu, "PR_RULE_CONDITION"},                  /* MBF4.4 */
    {0x0E990102u, "PidTagExtendedRuleMessageActions"},   /* MBF4.4 */
    {0x0E9A0102u, "PidTagExtendedRuleMessageCondition"}, /* MBF4.4 */
    {0x68020102u, "PR_RW_RULES_STREAM"},                 /* MBF4.4 */
};

static const struct {
	uint16_t type;
	const char *name;
} types[] = {
    {PT_UNSPECIFIED, "PT_UNSPECIFIED"},
    {PT_NULL, "PT_NULL"},
    {PT_SHORT, "PT_SHORT"},
    {PT_LONG, "PT_LONG"},
    {PT_FLOAT, "PT_FLOAT"},
    {PT_DOUBLE, "PT_DOUBLE"},
    {PT_CURRENCY, "PT_CURRENCY"},
    {PT_APPTIME, "PT_APPTIME"},
    {PT_ERROR, "PT_ERROR"},
    {PT_BOOLEAN, "PT_BOOLEAN"},
    {PT_OBJECT, "PT_OBJECT"},
    {PT_I8, "PT_I8"},
    {PT_STRING8, "PT_STRING8"},
    {PT_UNICODE, "PT_UNICODE"},
    {PT_SYSTIME, "PT_SYSTIME"},
    {PT_CLSID, "PT_CLSID"},
    {PT_SVREID, "PT_SVREID"},
    {PT_SRESTRICT, "PT_SRESTRICT"},
    {PT_ACTIONS, "PT_ACTIONS"},
    {PT_BINARY, "PT_BINARY"},
    {PT_MV_SHORT, "PT_MV_SHORT"},
    {PT_MV_LONG, "PT_MV_LONG"},
    {PT_MV_FLOAT, "PT_MV_FLOAT"},
    {PT_MV_DOUBLE, "PT_MV_DOUBLE"},
    {PT_MV_CURRENCY, "PT_MV_CURRENCY"},
    {PT_MV_APPTIME, "PT_MV_APPTIME"},
    {PT_MV_I8, "PT_MV_I8"},
    {PT_MV_STRING8, "PT_MV_STRING8"},
    {PT_MV_UNICODE, "PT_MV_UNICODE"},
    {PT_MV_SYSTIME, "PT_MV_SYSTIME"},
    {PT_MV_CLSID, "PT_MV_CLSID"},
    {PT_MV_BINARY, "PT_MV_BINARY"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *find_tag(uint32_t tag)
{
	size_t i;
	for (i = 0; i < COUNT(tags); i++)
		if (tags[i].tag == tag)
			return tags[i].name;
	return NULL;
}

const char *mapi_tag_name(uint32_t tag)
{
	const char *n = find_tag(tag);
	uint16_t t = PROP_TYPE(tag);

	/* A string tag is often stored in the other width (001e <-> 001f). */
	if (!n && (t == PT_STRING8 || t == PT_UNICODE))
		n = find_tag(
		    PROP_TAG(t == PT_STRING8 ? PT_UNICODE : PT_STRING8, PROP_ID(tag)));
	if (!n && (t == PT_MV_STRING8 || t == PT_MV_UNICODE))
		n = find_tag(PROP_TAG(t == PT_MV_STRING8 ? PT_MV_UNICODE : PT_MV_STRING8,
				      PROP_ID(tag)));
	return n;
}

const char *mapi_type_name(uint16_t type)
{
	size_t i;
	for (i = 0; i < COUNT(types); i++)
		if (types[i].type == type)
			return types[i].name;
	return NULL;
}

bool mapi_tag_by_name(const char *name, uint32_t *tag)
{
	size_t i;
	if (!name)
		return false;
	for (i = 0; i < COUNT(tags); i++)
		if (strcmp(tags[i].name, name) == 0) {
			*tag = tags[i].tag;
			return true;
		}
	return false;
}

bool mapi_tag_from_regname(const char *name, uint32_t *tag)
{
	uint32_t v = 0;
	int i;
	if (!name)
		return false;
	for (i = 0; i < 8; i++) {
		int h = rp_hexval((unsigned char)name[i]);
		if (h < 0)
			return false;
		v = (v << 4) | (uint32_t)h;
	}
	if (name[8] != '\0')
		return false;
	/* The name is type first, id second: swap the halves back. */
	*tag = (v << 16) | (v >> 16);
	return true;
}

void mapi_tag_to_regname(uint32_t tag, char out[9])
{
	snprintf(out, 9, "%04x%04x", (unsigned)PROP_TYPE(tag), (unsigned)PROP_ID(tag));
}

size_t mapi_tag_count(void)
{
	return COUNT(tags);
}

bool mapi_tag_at(size_t i, uint32_t *tag, const char **name)
{
	if (i >= COUNT(tags))
		return false;
	*tag = tags[i].tag;
	*name = tags[i].name;
	return true;
}

bool mapi_tag_parse(const char *s, uint32_t *tag)
{
	uint32_t v = 0;
	size_t i, n;

	if (!s)
		return false;
	if (mapi_tag_from_regname(s, tag))
		return true;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		n = strlen(s + 2);
		if (n == 0 || n > 8)
			return false;
		for (i = 0; i < n; i++) {
			int h = rp_hexval((unsigned char)s[2 + i]);
			if (h < 0)
				return false;
			v = (v << 4) | (uint32_t)h;
		}
		*tag = v;
		return true;
	}
	return mapi_tag_by_name(s, tag);
}
