"""Start the Rasa and action servers as child processes and stop them cleanly.

Each server runs in its own process group so that stopping it also stops
anything it spawned; tests and ``make run`` share this code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

from stack.settings import APP_VENV, RASA_VENV, REPO_ROOT


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        return sock.connect_ex((host, port)) == 0


@dataclass
class ServerProcess:
    name: str
    port: int
    command: list[str]
    health_url: str
    env: dict[str, str]
    log_path: Path | None = None
    process: subprocess.Popen | None = field(default=None, init=False)
    _log: IO[bytes] | None = field(default=None, init=False)

    def start(self) -> ServerProcess:
        if self.port and port_in_use(self.port):
            raise RuntimeError(
                f"port {self.port} for the {self.name} is already in use (is the stack already running?)"
            )
        if self.log_path:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=REPO_ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT if self._log else None,
            start_new_session=True,
        )
        return self

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_healthy(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.is_running():
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}; see {self.log_path}")
            try:
                if requests.get(self.health_url, timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{self.name} did not become healthy within {timeout:.0f}s; see {self.log_path}")

    def rss_mb(self) -> float:
        """Resident memory of the server and every process it started."""
        pids, total_kb = [self.process.pid], 0
        while pids:
            pid = pids.pop()
            proc = Path(f"/proc/{pid}")
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                status = (proc / "status").read_text()
                total_kb += int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
                for task in (proc / "task").iterdir():
                    pids.extend(int(child) for child in (task / "children").read_text().split())
        return round(total_kb / 1024, 1)

    def stop(self, grace: float = 15.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        else:
            with contextlib.suppress(ProcessLookupError):  # children it may have left
                os.killpg(self.process.pid, signal.SIGKILL)
        if self._log:
            self._log.close()
            self._log = None


@contextlib.contextmanager
def serving(*servers: ServerProcess) -> Iterator[None]:
    """Start the servers, wait until each is healthy, and stop them all (last first) at the end."""
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_healthy()
        yield
    finally:
        for server in reversed(servers):
            server.stop()


def base_env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")  # no network here, and no tracking by default
    env.update(extra)
    return env


def action_server(
    port: int, env: dict[str, str], log_path: Path | None = None, host: str = "127.0.0.1"
) -> ServerProcess:
    return ServerProcess(
        name="action server",
        port=port,
        command=[str(APP_VENV / "bin" / "python"), "-m", "actions.server", "--host", host, "--port", str(port)],
        health_url=f"http://127.0.0.1:{port}/health",
        env=base_env(env),
        log_path=log_path,
    )


def rasa_server(
    model: Path, port: int, env: dict[str, str], log_path: Path | None = None, interface: str = "127.0.0.1"
) -> ServerProcess:
    return ServerProcess(
        name="Rasa server",
        port=port,
        command=[
            str(RASA_VENV / "bin" / "rasa"),
            "run",
            "--model",
            str(model),
            "--endpoints",
            "bot/endpoints.yml",
            "--credentials",
            "bot/credentials.yml",
            "--interface",
            interface,
            "--port",
            str(port),
            "--cors",
            "*",
        ],
        health_url=f"http://127.0.0.1:{port}/",
        env=base_env(env),
        log_path=log_path,
    )


def backoffice_server(
    port: int, env: dict[str, str], log_path: Path | None = None, host: str = "127.0.0.1"
) -> ServerProcess:
    """The admin back office (python -m backoffice serve)."""
    return ServerProcess(
        name="back office",
        port=port,
        command=[str(APP_VENV / "bin" / "python"), "-m", "backoffice", "serve", "--host", host, "--port", str(port)],
        health_url=f"http://127.0.0.1:{port}/health",
        env=base_env(env),
        log_path=log_path,
    )


def channel_process(name: str, module: str, env: dict[str, str], log_path: Path | None = None) -> ServerProcess:
    """An optional channel bridge (Telegram, Zalo): started after the servers, no health URL."""
    return ServerProcess(
        name=name,
        port=0,
        command=[str(APP_VENV / "bin" / "python"), "-m", module],
        health_url="",
        env=base_env(env),
        log_path=log_path,
    )
