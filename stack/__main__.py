"""``python -m stack run`` starts everything; ``python -m stack train`` trains."""

from __future__ import annotations

import signal
import sys
import time
from typing import Annotated

import typer

from core.settings import UnsafeSettings, env, hash_salt
from stack.processes import action_server, backoffice_server, channel_process, rasa_server
from stack.settings import REPO_ROOT, StackSettings
from stack.training import ensure_trained

app = typer.Typer(
    add_completion=False, pretty_exceptions_show_locals=False, no_args_is_help=True, help="Run the assistant's servers."
)


@app.command()
def train(config: Annotated[str, typer.Option(help="Rasa config file.")] = "config.yml") -> None:
    """Train the Rasa model if the training data or config changed."""
    settings = StackSettings.from_env()
    typer.echo(str(ensure_trained(REPO_ROOT / config, settings.model_dir)))


@app.command()
def run() -> None:
    """Start the action server, the Rasa server and the back office; Ctrl-C stops them."""
    settings = StackSettings.from_env()
    ports = settings.endpoints
    try:
        hash_salt()  # generated into var/ on the first run; a published one is refused
    except UnsafeSettings as error:
        typer.echo(f"Could not start the assistant: {error}", err=True)
        raise typer.Exit(1) from error
    model = ensure_trained(REPO_ROOT / "config.yml", settings.model_dir)
    logs = REPO_ROOT / "var" / "log"
    server_env = {
        "ACTION_ENDPOINT_URL": ports.action_endpoint_url,
        "TRACKER_STORE_URL": settings.tracker_store_url,
        "LOG_LEVEL": settings.log_level,
    }
    (REPO_ROOT / "var").mkdir(exist_ok=True)
    actions = action_server(ports.action_port, server_env, logs / "actions.log", host=ports.host)
    rasa = rasa_server(model, ports.rasa_port, server_env, logs / "rasa.log", interface=ports.host)
    backoffice = backoffice_server(settings.backoffice_port, server_env, logs / "backoffice.log", host=ports.host)
    servers = [actions, rasa, backoffice]
    # Channels are optional: one that fails is reported and the others keep running.
    channels = []
    if env("TELEGRAM_BOT_TOKEN", ""):
        channels.append(channel_process("Telegram channel", "connectors.telegram", server_env, logs / "telegram.log"))
    if env("ZALO_ACCESS_TOKEN", ""):
        channels.append(channel_process("Zalo channel", "connectors.zalo", server_env, logs / "zalo.log"))
    # Ctrl-C must work even when started from a script that ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        typer.echo("Starting the action server, the Rasa server and the back office (logs in var/log/) …")
        for server in servers:
            server.start()
        for server in servers:
            server.wait_healthy()
        for channel in channels:
            channel.start()
        base = f"http://{ports.host}:{ports.rasa_port}"
        typer.echo(
            "\nThe assistant is ready:\n"
            f"  REST channel:    {base}/webhooks/rest/webhook\n"
            '                   (POST {"sender": "u1", "message": "xin chào"})\n'
            f"  socket.io:       {base}/socket.io\n"
            f"  Web chat demo:   {base}/webhooks/webchat/demo\n"
            f'  Web chat embed:  <script src="{base}/webhooks/webchat/widget.js" defer></script>\n'
            f"  Rasa server:     {base}/\n"
            f"  Action server:   http://{ports.host}:{ports.action_port}/health\n"
            f"  Feedback report: http://{ports.host}:{ports.action_port}/feedback/report (JSON)\n"
            f"  Back office:     http://{ports.host}:{settings.backoffice_port}/\n"
            "                   (first account: .venv/bin/python -m backoffice create-user NAME --role admin)\n"
            + "".join(f"  {channel.name}: started (log {channel.log_path})\n" for channel in channels)
            + "Press Ctrl-C to stop."
        )
        reported: set[str] = set()
        while all(server.is_running() for server in servers):
            for channel in channels:
                if not channel.is_running() and channel.name not in reported:
                    reported.add(channel.name)
                    typer.echo(f"{channel.name} stopped; the other channels keep running (see var/log/).", err=True)
            time.sleep(1)
        failed = [server.name for server in servers if not server.is_running()]
        typer.echo(f"Stopped because {', '.join(failed)} exited; see var/log/.", err=True)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo("\nStopping …")
    except (RuntimeError, TimeoutError) as exc:
        typer.echo(f"Could not start the assistant: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        for server in [*channels, *reversed(servers)]:
            server.stop()


if __name__ == "__main__":
    app()
