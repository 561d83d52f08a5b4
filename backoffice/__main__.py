"""``python -m backoffice create-user NAME --role editor`` and ``… serve``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from backoffice.accounts import AccountError, create_user, list_users, set_password, unlock
from backoffice.db import Database
from backoffice.models import Role
from backoffice.settings import BackofficeSettings

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="The admin back office: accounts and the web server.",
)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Mật khẩu (ít nhất 12 ký tự)", hide_input=True, confirmation_prompt=True)


def _db() -> Database:
    return Database(BackofficeSettings.from_env().database_url)


@app.command("create-user")
def create_user_command(
    name: str,
    role: Annotated[Role, typer.Option(help="viewer, editor, publisher or admin")] = Role.viewer,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Create an account (there is no default account and no default password)."""
    try:
        account = create_user(_db(), name, role, _password(password_stdin))
    except AccountError as error:
        typer.echo(f"Không tạo được tài khoản: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Đã tạo tài khoản {account.name} ({account.role.value}).")


@app.command("set-password")
def set_password_command(
    name: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Set a new password (this also unlocks the account)."""
    try:
        set_password(_db(), name, _password(password_stdin))
    except AccountError as error:
        typer.echo(f"Không đổi được mật khẩu: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Đã đổi mật khẩu của {name}.")


@app.command("unlock-user")
def unlock_command(name: str) -> None:
    """Unlock an account locked after repeated wrong passwords."""
    try:
        unlock(_db(), name)
    except AccountError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Đã mở khóa {name}.")


@app.command("list-users")
def list_users_command() -> None:
    for user in list_users(_db()):
        typer.echo(f"{user.name}\t{user.role}\t{'khóa' if user.locked else 'hoạt động'}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Run the back office web server."""
    import uvicorn

    from backoffice.app import build_asgi

    settings = BackofficeSettings.from_env()
    uvicorn.run(
        build_asgi(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        server_header=False,
    )


if __name__ == "__main__":
    app()
