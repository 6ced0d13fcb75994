"""LZ77+DIRECT2 compressor for the test server ([MS-OXCRPC] 3.1.4.1.1.2, the
[MS-XCA] plain LZ77 bitstream): greedy matches over a 3-byte hash, distance
at most 8192, lengths through the nibble/byte/word chain, length nibbles
shared by two matches. Written from the format description; the client's C
decoder is checked against its output, so two independent implementations
meet."""
import struct


def compress(data: bytes) -> bytes:
    out = bytearray()
    flags = 0
    nflags = 0
    flag_pos = 0
    half = None  # position of a nibble byte with its high half free
    out += b"\0\0\0\0"
    table = {}
    i = 0
    n = len(data)

    def push_flag(bit):
        nonlocal flags, nflags, flag_pos
        if nflags == 32:
            struct.pack_into("<I", out, flag_pos, flags)
            flag_pos = len(out)
            out.extend(b"\0\0\0\0")
            flags = 0
            nflags = 0
        flags = (flags << 1) | bit
        nflags += 1

    while i < n:
        best_len = 0
        best_dist = 0
        if i + 3 <= n:
            key = data[i:i + 3]
            j = table.get(key)
            if j is not None and i - j <= 8192:
                length = 0
                while i + length < n and data[j + length] == data[i + length] and length < 65535 + 3 - 1:
                    length += 1
                if length >= 3:
                    best_len, best_dist = length, i - j
            table[key] = i
        if best_len < 3:
            push_flag(0)
            out.append(data[i])
            i += 1
            continue
        push_flag(1)
        code = best_len - 3
        if code < 7:
            out += struct.pack("<H", ((best_dist - 1) << 3) | code)
        else:
            out += struct.pack("<H", ((best_dist - 1) << 3) | 7)
            rest = code - 7
            nib = 15 if rest >= 15 else rest
            if half is None:
                half = len(out)
                out.append(nib)
            else:
                out[half] |= nib << 4
                half = None
            if rest >= 15:
                rest -= 15
                if rest < 255:
                    out.append(rest)
                else:
                    out.append(255)
                    out += struct.pack("<H", best_len - 3)
        for k in range(i + 1, min(i + best_len, n - 2)):
            table[data[k:k + 3]] = k
        i += best_len
    # End: the unused flag bits are 1s (MS-XCA 2.3).
    flags = ((flags << (32 - nflags)) | ((1 << (32 - nflags)) - 1)) & 0xFFFFFFFF
    struct.pack_into("<I", out, flag_pos, flags)
    return bytes(out)
