"""Hand the conversation over to people: record it, say what happens next."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.conversation import channel_of, transcript

log = logging.getLogger(__name__)


def handoff_message(reference: str | None) -> str:
    contact = services.contact()
    if reference is None:
        recorded = "Tôi chưa ghi lại được yêu cầu do sự cố kỹ thuật, mong bạn thông cảm."
    else:
        recorded = (
            f"Tôi đã ghi nhận yêu cầu gặp cán bộ của bạn, mã yêu cầu: {reference}. "
            "Nội dung bạn đã hỏi được lưu kèm (đã che số điện thoại, số giấy tờ) để cán bộ xem lại."
        )
    return (
        f"{recorded}\n"
        f"Để được cán bộ hỗ trợ trực tiếp, bạn liên hệ {contact.office}, điện thoại {contact.phone}, "
        f"{contact.hours}"
        + (f", và đọc mã {reference} để cán bộ tìm lại cuộc trò chuyện." if reference else ".")
        + "\nTrong lúc chờ, bạn vẫn có thể hỏi tiếp tôi tại đây."
    )


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reference = None
        try:
            reference = await asyncio.to_thread(
                services.feedback_store().record_handoff,
                tracker.sender_id,
                channel_of(tracker),
                transcript(tracker),
            )
        except Exception:
            log.exception("could not record a handoff request")
        dispatcher.utter_message(text=handoff_message(reference))
        return []
