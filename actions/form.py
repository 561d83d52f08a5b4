"""The procedure form: which procedure does the user mean?"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.conversation import send_messages
from knowledge.replies import Button, Message

STOP = Button("Thôi, không cần nữa", "/stop")  # the form's way out

NOT_A_PROCEDURE = (
    "Tôi chưa tìm thấy thủ tục này trong dữ liệu. Bạn hãy gõ tên thủ tục khác đi một chút "
    '(ví dụ: "đăng ký kết hôn", "làm hộ chiếu"), chọn một gợi ý bên dưới, hoặc gõ "thôi" để dừng.'
)


class ValidateProcedureForm(FormValidationAction):
    def name(self) -> str:
        return "validate_procedure_form"

    async def validate_procedure(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        replier = services.replier()
        text = value if isinstance(value, str) else ""
        entry_id = await asyncio.to_thread(replier.procedure_named, text)
        if entry_id is not None:
            return {"procedure": entry_id}
        suggestions = await asyncio.to_thread(replier.procedure_suggestions, text)
        send_messages([Message(NOT_A_PROCEDURE, [*suggestions, STOP])], {}, dispatcher)
        return {"procedure": None}


ASK_PROCEDURE = (
    "Bạn cần tra cứu thủ tục nào? Hãy gõ tên thủ tục, ví dụ: khai sinh, kết hôn, căn cước, hộ chiếu, tạm trú. "
    'Nếu không cần nữa, gõ "thôi".'
)


class ActionAskProcedure(Action):
    """The form's question, with the most asked procedures as buttons and a way out."""

    def name(self) -> str:
        return "action_ask_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        common = services.replier().procedure_suggestions("")
        return send_messages([Message(ASK_PROCEDURE, [*common, STOP])], {}, dispatcher)
