"""Fixtures for the simulated provider's tests: the sim as a real server on a free port, and clients for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import aiohttp
import anthropic
import openai
import pytest
from pytest_aiohttp import AiohttpServer

from conduit.sim.app import SIM_STATE, SimDefaults, SimState, build_sim_app

API_KEY = "sk-sim-test-key"


@dataclass
class RunningSim:
    """A simulated provider listening on loopback."""

    url: str
    state: SimState


StartSim = Callable[..., Awaitable[RunningSim]]


@pytest.fixture
def start_sim(aiohttp_server: AiohttpServer) -> StartSim:
    """Start a sim on demand: `await start_sim(SimDefaults(...))`."""

    async def start(defaults: SimDefaults | None = None) -> RunningSim:
        app = build_sim_app(defaults)
        server = await aiohttp_server(app)
        return RunningSim(str(server.make_url("")).rstrip("/"), app[SIM_STATE])

    return start


@pytest.fixture
async def sim_server(start_sim: StartSim) -> RunningSim:
    return await start_sim()


@pytest.fixture
def sim_url(sim_server: RunningSim) -> str:
    return sim_server.url


@pytest.fixture
def sim_state(sim_server: RunningSim) -> SimState:
    return sim_server.state


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def anthropic_client(sim_server: RunningSim) -> AsyncIterator[anthropic.AsyncAnthropic]:
    client = anthropic.AsyncAnthropic(api_key=API_KEY, base_url=sim_server.url, max_retries=0)
    yield client
    await client.close()


@pytest.fixture
async def openai_client(sim_server: RunningSim) -> AsyncIterator[openai.AsyncOpenAI]:
    client = openai.AsyncOpenAI(api_key=API_KEY, base_url=sim_server.url + "/v1", max_retries=0)
    yield client
    await client.close()


def sse_frames(raw: bytes) -> list[tuple[str | None, bytes]]:
    """Split an SSE body into (event name, data) frames."""
    frames = []
    for block in raw.split(b"\n\n"):
        if not block:
            continue
        name = None
        data = b""
        for line in block.split(b"\n"):
            if line.startswith(b"event: "):
                name = line[7:].decode()
            elif line.startswith(b"data: "):
                data = line[6:]
        frames.append((name, data))
    return frames


@pytest.fixture
def frames() -> Callable[[bytes], list[tuple[str | None, bytes]]]:
    """The SSE frame splitter, for tests that read raw streams."""
    return sse_frames
