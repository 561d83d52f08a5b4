"""The Telegram bot: updates in, Rasa's REST channel, replies out.

One Rasa conversation per Telegram chat (sender ``telegram:<chat id>``; the
feedback store hashes it). Sends are retried on 429 (after Telegram's
retry_after) and on network errors; a message Rasa could not take is retried
and, failing that, answered with an apology instead of being dropped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from connectors.common import is_rating_payload, split_message
from connectors.rasa_client import RasaClient
from connectors.telegram.formatting import MAX_MESSAGE_CHARS, CallbackPayloads, as_html, keyboard
from dialogue.texts import text as catalogue_text

log = logging.getLogger(__name__)
T = TypeVar("T")
SEND_ATTEMPTS = 5


def sender_id(chat_id: int) -> str:
    return f"telegram:{chat_id}"


async def with_retries(call: Callable[[], Awaitable[T]], attempts: int = SEND_ATTEMPTS) -> T:
    """Call the Bot API, waiting out 429s and retrying network errors."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
            log.warning("Telegram asked to slow down; retrying in %.1f s", seconds)
            if attempt == attempts:
                raise
            await asyncio.sleep(seconds)
        except NetworkError:
            if attempt == attempts:
                raise
            log.warning("network error talking to Telegram; retry %d", attempt)
            await asyncio.sleep(min(2**attempt, 10))
    raise AssertionError("unreachable")


class TelegramBridge:
    def __init__(self, rasa: RasaClient, contact: str) -> None:
        self.rasa = rasa
        self.contact = contact
        self.payloads = CallbackPayloads()

    def install(self, application: Application) -> None:
        application.add_handler(CommandHandler("start", self.start))
        application.add_handler(CommandHandler("help", self.help))
        application.add_handler(CommandHandler("lienhe", self.contact_command))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.on_text))
        application.add_handler(CallbackQueryHandler(self.on_button))
        # stickers, photos, voice, unknown commands…: a hint, never an error
        application.add_handler(MessageHandler(filters.ALL, self.on_other))
        application.add_error_handler(self.on_error)

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.send(context, update.effective_chat.id, catalogue_text("channels.telegram_start"))

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.send(context, update.effective_chat.id, catalogue_text("channels.telegram_help"))

    async def contact_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.send(
            context, update.effective_chat.id, catalogue_text("channels.telegram_contact", contact=self.contact)
        )

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is not None:
            await self.send(context, update.effective_chat.id, catalogue_text("channels.not_text"))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.forward(context, update.effective_chat.id, update.effective_message.text or "")

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await with_retries(query.answer)
        chat_id = update.effective_chat.id
        payload = self.payloads.decode(query.data or "")
        if payload is None:
            await self.send(context, chat_id, catalogue_text("channels.old_button"))
            return
        if is_rating_payload(payload) and query.message is not None:
            # the answer was rated: its 👍/👎 go away, the other buttons stay
            markup = without_rating(query.message.reply_markup, self.payloads)
            await with_retries(lambda: query.edit_message_reply_markup(markup))
        await self.forward(context, chat_id, payload)

    async def forward(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> None:
        replies = await self.rasa.send(sender_id(chat_id), text)
        if replies is None:
            await self.send(context, chat_id, catalogue_text("channels.apology"))
            return
        for reply in replies:
            markup = keyboard(reply.get("buttons") or [], self.payloads)
            if reply.get("text"):
                await self.send(context, chat_id, reply["text"], markup)

    async def send(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        chunks = split_message(text, MAX_MESSAGE_CHARS)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            await with_retries(
                lambda chunk=chunk, last=last: context.bot.send_message(
                    chat_id, as_html(chunk), parse_mode=ParseMode.HTML, reply_markup=markup if last else None
                )
            )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error handling a Telegram update", exc_info=context.error)


def without_rating(markup: InlineKeyboardMarkup | None, payloads: CallbackPayloads) -> InlineKeyboardMarkup | None:
    """The keyboard without its 👍/👎 row(s), told apart by their payloads."""
    if markup is None:
        return None
    rows = [
        row
        for row in markup.inline_keyboard
        if not any(is_rating_payload(payloads.decode(str(b.callback_data or "")) or "") for b in row)
    ]
    return InlineKeyboardMarkup(rows) if rows else None
