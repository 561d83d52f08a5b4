"""Run the Telegram channel: `python -m connectors.telegram`.

Long polling by default (no public URL needed); webhook mode when
TELEGRAM_WEBHOOK_URL is set, with Telegram's secret_token header checked
(requests without it get 403 from python-telegram-bot's webhook server).
"""

from __future__ import annotations

import logging
import os
import sys

from dotenv import load_dotenv
from telegram import Update
from telegram.ext import Application

from connectors.rasa_client import RasaClient
from connectors.telegram.bridge import TelegramBridge
from knowledge.settings import REPO_ROOT, KnowledgeSettings


def build(token: str, rasa_url: str, base_url: str | None, contact: str) -> tuple[Application, RasaClient]:
    builder = Application.builder().token(token)
    if base_url:  # a local fake Bot API in tests, or a self-hosted Bot API server
        builder = builder.base_url(base_url)
    application = builder.build()
    rasa = RasaClient(rasa_url, channel="telegram")
    TelegramBridge(rasa, contact).install(application)
    return application, rasa


def main() -> None:
    load_dotenv(REPO_ROOT / ".env", override=False)
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        sys.exit("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env")
    host, port = os.environ.get("STACK_HOST", "127.0.0.1"), os.environ.get("RASA_PORT", "5005")
    rasa_url = os.environ.get("RASA_REST_URL", f"http://{host}:{port}/webhooks/rest/webhook")
    settings = KnowledgeSettings.from_env()
    contact = f"{settings.support_office}, điện thoại {settings.support_phone}, {settings.support_hours}"
    application, _ = build(token, rasa_url, os.environ.get("TELEGRAM_API_BASE_URL"), contact)
    webhook_url = os.environ.get("TELEGRAM_WEBHOOK_URL")
    if webhook_url:
        secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET")
        if not secret:
            sys.exit("TELEGRAM_WEBHOOK_SECRET must be set in webhook mode (letters, digits, _ and -)")
        application.run_webhook(
            listen=os.environ.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
            port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", "8443")),
            url_path="telegram",
            webhook_url=webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
