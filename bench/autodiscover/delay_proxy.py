#!/usr/bin/env python3
"""delay_proxy.py STATE_DIR DELAY_MS UPSTREAM_PORT

Latency emulation for kernels without netem: a TCP proxy on 127.0.0.1 that
delivers every chunk DELAY_MS after it arrived, in each direction (so a
request/response exchange costs 2 x DELAY_MS, one round trip), and charges a
new connection one round trip before its first byte moves (the SYN/SYN-ACK a
real link costs). A second port stands for a host where nothing listens: it
accepts, waits one round trip and resets the connection (a refused connect
costs one round trip on a real link). Writes STATE_DIR/proxy.port and
STATE_DIR/refuse.port. Bandwidth is not limited."""
import asyncio
import os
import socket
import struct
import sys

STATE, DELAY, UP = sys.argv[1], int(sys.argv[2]) / 1000.0, int(sys.argv[3])


async def pump(reader, writer, loop):
    q = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await q.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                try:
                    writer.write_eof()
                except OSError:
                    pass
                return
            writer.write(data)
            await writer.drain()

    task = asyncio.ensure_future(deliver())
    try:
        while True:
            data = await reader.read(65536)
            await q.put((loop.time() + DELAY, data or None))
            if not data:
                break
        await task
    except (ConnectionError, OSError):
        task.cancel()


async def handle(cr, cw):
    loop = asyncio.get_event_loop()
    await asyncio.sleep(2 * DELAY)  # the TCP handshake's round trip
    try:
        ur, uw = await asyncio.open_connection("127.0.0.1", UP)
    except OSError:
        cw.close()
        return
    await asyncio.gather(pump(cr, uw, loop), pump(ur, cw, loop), return_exceptions=True)
    for w in (cw, uw):
        try:
            w.close()
        except OSError:
            pass


async def refuse(cr, cw):
    await asyncio.sleep(2 * DELAY)
    sock = cw.get_extra_info("socket")
    if sock is not None:  # RST, as a closed port answers a SYN
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    cw.close()


async def main():
    a = await asyncio.start_server(handle, "127.0.0.1", 0)
    b = await asyncio.start_server(refuse, "127.0.0.1", 0)
    for srv, name in ((a, "proxy.port"), (b, "refuse.port")):
        tmp = os.path.join(STATE, name + ".tmp")
        with open(tmp, "w") as f:
            f.write(str(srv.sockets[0].getsockname()[1]))
        os.rename(tmp, os.path.join(STATE, name))
    await asyncio.gather(a.serve_forever(), b.serve_forever())


asyncio.run(main())
