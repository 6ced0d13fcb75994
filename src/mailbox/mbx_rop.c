/* mbx_rop.c - ROP names and IDs (the builder and walker follow). */
#include "mailbox/mbx_rop.h"

const char *mbx_rop_name(uint8_t rop)
{
	switch (rop) {
	case MBX_ROP_RELEASE:
		return "RopRelease";
	case MBX_ROP_OPEN_FOLDER:
		return "RopOpenFolder";
	case MBX_ROP_OPEN_MESSAGE:
		return "RopOpenMessage";
	case MBX_ROP_GET_HIERARCHY_TABLE:
		return "RopGetHierarchyTable";
	case MBX_ROP_GET_CONTENTS_TABLE:
		return "RopGetContentsTable";
	case MBX_ROP_CREATE_MESSAGE:
		return "RopCreateMessage";
	case MBX_ROP_GET_PROPS_SPECIFIC:
		return "RopGetPropertiesSpecific";
	case MBX_ROP_GET_PROPS_ALL:
		return "RopGetPropertiesAll";
	case MBX_ROP_GET_PROPS_LIST:
		return "RopGetPropertiesList";
	case MBX_ROP_SET_PROPS:
		return "RopSetProperties";
	case MBX_ROP_DELETE_PROPS:
		return "RopDeleteProperties";
	case MBX_ROP_SAVE_CHANGES_MESSAGE:
		return "RopSaveChangesMessage";
	case MBX_ROP_SET_COLUMNS:
		return "RopSetColumns";
	case MBX_ROP_SORT_TABLE:
		return "RopSortTable";
	case MBX_ROP_RESTRICT:
		return "RopRestrict";
	case MBX_ROP_QUERY_ROWS:
		return "RopQueryRows";
	case MBX_ROP_CREATE_FOLDER:
		return "RopCreateFolder";
	case MBX_ROP_DELETE_FOLDER:
		return "RopDeleteFolder";
	case MBX_ROP_DELETE_MESSAGES:
		return "RopDeleteMessages";
	case MBX_ROP_GET_RECEIVE_FOLDER:
		return "RopGetReceiveFolder";
	case MBX_ROP_OPEN_STREAM:
		return "RopOpenStream";
	case MBX_ROP_READ_STREAM:
		return "RopReadStream";
	case MBX_ROP_WRITE_STREAM:
		return "RopWriteStream";
	case MBX_ROP_SET_STREAM_SIZE:
		return "RopSetStreamSize";
	case MBX_ROP_GET_PERMISSIONS_TABLE:
		return "RopGetPermissionsTable";
	case MBX_ROP_GET_RULES_TABLE:
		return "RopGetRulesTable";
	case MBX_ROP_MODIFY_PERMISSIONS:
		return "RopModifyPermissions";
	case MBX_ROP_MODIFY_RULES:
		return "RopModifyRules";
	case MBX_ROP_LTID_FROM_ID:
		return "RopLongTermIdFromId";
	case MBX_ROP_ID_FROM_LTID:
		return "RopIdFromLongTermId";
	case MBX_ROP_FIND_ROW:
		return "RopFindRow";
	case MBX_ROP_GET_NAMES_FROM_IDS:
		return "RopGetNamesFromPropertyIds";
	case MBX_ROP_GET_IDS_FROM_NAMES:
		return "RopGetPropertyIdsFromNames";
	case MBX_ROP_COMMIT_STREAM:
		return "RopCommitStream";
	case MBX_ROP_PENDING:
		return "RopPending";
	case MBX_ROP_BACKOFF:
		return "RopBackoff";
	case MBX_ROP_LOGON:
		return "RopLogon";
	case MBX_ROP_BUFFER_TOO_SMALL:
		return "RopBufferTooSmall";
	default:
		return NULL;
	}
}

/* GlobalCounter is 6 bytes big-endian after the 2-byte ReplicaId. */
uint64_t mbx_id_counter(uint64_t id)
{
	uint64_t c = 0;
	for (int i = 2; i < 8; i++)
		c = (c << 8) | ((id >> (8 * i)) & 0xFF);
	return c;
}

uint64_t mbx_id_make(uint16_t replica, uint64_t counter)
{
	uint64_t id = replica;
	for (int i = 0; i < 6; i++)
		id |= ((counter >> (8 * (5 - i))) & 0xFF) << (8 * (i + 2));
	return id;
}
