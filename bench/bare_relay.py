"""A bare aiohttp relay with no routing checks, metering or storage: the framework's own cost for one extra
HTTP hop, measured beside Conduit by bench/overhead.py so the two can be told apart.

    python bench/bare_relay.py PORT UPSTREAM_URL
"""

from __future__ import annotations

import asyncio
import sys

import aiohttp
import uvloop
from aiohttp import web

DROP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive"}
SESSION: web.AppKey[aiohttp.ClientSession] = web.AppKey("session", aiohttp.ClientSession)


async def relay(request: web.Request) -> web.StreamResponse:
    body = await request.read()
    upstream_url = request.app["upstream"] + "/" + request.raw_path.split("/", 2)[2]
    headers = {k: v for k, v in request.headers.items() if k.lower() not in DROP}
    async with request.app[SESSION].request(request.method, upstream_url, headers=headers, data=body) as upstream:
        response = web.StreamResponse(
            status=upstream.status, headers={k: v for k, v in upstream.headers.items() if k.lower() not in DROP}
        )
        await response.prepare(request)
        while chunk := await upstream.content.readany():
            await response.write(chunk)
        await response.write_eof()
        return response


async def main(port: int, upstream: str) -> None:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app["upstream"] = upstream
    app[SESSION] = aiohttp.ClientSession(auto_decompress=False)
    app.router.add_route("*", "/{tail:.*}", relay)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1]), sys.argv[2]))
