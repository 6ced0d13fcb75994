"""STUB of the ROP server side (the mbrop branch writes the real module with
the same interface): answers RopLogon for a private mailbox and refuses every
other ROP with ecNotSupported, so the transport can be tested before the
merge. execute(session, rop_buffer, handles) -> (response ROPs, handles)."""
import struct

EC_NOT_SUPPORTED = 0x80040102


def execute(session, rop_buffer: bytes, handles: list):
    out = bytearray()
    handles = list(handles)
    i = 0
    while i < len(rop_buffer):
        rop = rop_buffer[i]
        if rop == 0xFE:
            logon_id, out_idx, logon_flags, open_flags, state, ess = struct.unpack_from(
                "<BBBIIH", rop_buffer, i + 1)
            i += 1 + 2 + 1 + 4 + 4 + 2 + ess
            if out_idx >= len(handles):
                raise ValueError("RopLogon OutputHandleIndex %d beyond the table" % out_idx)
            handles[out_idx] = 0x1000 + out_idx
            fids = b"".join(struct.pack("<H", 1) + (k + 1).to_bytes(6, "big") for k in range(13))
            out += struct.pack("<BBIB", 0xFE, out_idx, 0, logon_flags) + fids
            out += bytes([0x01])  # ResponseFlags Reserved
            out += bytes(range(16))  # MailboxGuid
            out += struct.pack("<H", 1) + bytes(range(16, 32))  # ReplId, ReplGuid
            out += bytes([0, 0, 12, 4, 3, 12]) + struct.pack("<H", 2026)  # LogonTime
            out += struct.pack("<Q", 0) + struct.pack("<I", 0)  # GwartTime, StoreState
            continue
        # Unknown to the stub: cannot know its length, so stop here.
        out += struct.pack("<BBI", rop, rop_buffer[i + 2] if i + 2 < len(rop_buffer) else 0,
                           EC_NOT_SUPPORTED)
        break
    return bytes(out), handles
