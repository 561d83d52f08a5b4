"""Run the Telegram channel: `python -m connectors.telegram`.

Long polling by default (no public URL needed); webhook mode when
TELEGRAM_WEBHOOK_URL is set, with Telegram's secret_token header checked
(requests without it get 403 from python-telegram-bot's webhook server).
"""

from __future__ import annotations

import logging
import sys

from telegram import Update
from telegram.ext import Application

from connectors.rasa_client import RasaClient
from connectors.telegram.bridge import TelegramBridge
from core.settings import contact, endpoints, env
from dialogue.compose import contact_sentence


def build(token: str, rasa_url: str, base_url: str | None, contact: str) -> tuple[Application, RasaClient]:
    builder = Application.builder().token(token)
    if base_url:  # a local fake Bot API in tests, or a self-hosted Bot API server
        builder = builder.base_url(base_url)
    application = builder.build()
    rasa = RasaClient(rasa_url, channel="telegram")
    TelegramBridge(rasa, contact).install(application)
    return application, rasa


def main() -> None:
    logging.basicConfig(
        level=env("LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    token = env("TELEGRAM_BOT_TOKEN", "")
    if not token:
        sys.exit("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env")
    application, _ = build(
        token, endpoints().rasa_rest_url, env("TELEGRAM_API_BASE_URL", "") or None, contact_sentence(contact())
    )
    webhook_url = env("TELEGRAM_WEBHOOK_URL", "")
    if webhook_url:
        secret = env("TELEGRAM_WEBHOOK_SECRET", "")
        if not secret:
            sys.exit("TELEGRAM_WEBHOOK_SECRET must be set in webhook mode (letters, digits, _ and -)")
        application.run_webhook(
            listen=env("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
            port=int(env("TELEGRAM_WEBHOOK_PORT", "8443")),
            url_path="telegram",
            webhook_url=webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
