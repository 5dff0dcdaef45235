"""`conduit sim`, run as a user runs it: help, serving until Ctrl-C, a busy port, and a light import."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request

CONDUIT = [sys.executable, "-m", "conduit"]
TIMEOUT_S = 20


def test_help_lists_the_options() -> None:
    result = subprocess.run([*CONDUIT, "sim", "--help"], capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    for option in ("--host", "--port", "--latency-ms", "--chunk-delay-ms", "--output-tokens", "--error-rate"):
        assert option in result.stdout


def test_command_module_does_not_import_aiohttp() -> None:
    code = "import sys, conduit.cli.sim_cmd; print('aiohttp' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.stdout.strip() == "False", result.stderr


def test_serves_until_interrupted() -> None:
    with subprocess.Popen(
        [*CONDUIT, "sim", "--port", "0", "--output-tokens", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            assert line.startswith("conduit sim listening on http://127.0.0.1:"), line
            url = line.rsplit(" ", 1)[1]
            request = urllib.request.Request(
                url + "/v1/chat/completions",
                data=b'{"model":"gpt-5","messages":[{"role":"user","content":"hi"}]}',
                headers={"authorization": "Bearer sk-sim-test", "content-type": "application/json"},
            )
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(request, timeout=TIMEOUT_S) as response:
                assert json.loads(response.read())["usage"]["completion_tokens"] == 5
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=TIMEOUT_S) == 0
        finally:
            if process.poll() is None:
                process.kill()


def test_busy_port_is_a_short_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*CONDUIT, "sim", "--port", str(port)], capture_output=True, text=True, timeout=TIMEOUT_S
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
