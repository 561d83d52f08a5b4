"""How the channel bridges (Telegram, Zalo) talk to Rasa's REST channel."""

from __future__ import annotations

import asyncio
import logging

import httpx

log = logging.getLogger(__name__)
RASA_ATTEMPTS = 3


class RasaClient:
    def __init__(self, url: str, channel: str, timeout: float = 60) -> None:
        self.url = url
        self.channel = channel  # recorded with each rating and unanswered question
        self.http = httpx.AsyncClient(timeout=timeout)

    async def send(self, sender: str, text: str) -> list[dict] | None:
        """Rasa's replies; None when Rasa could not be reached after retries
        (the bridge then apologises instead of dropping the message). A
        message Rasa refuses (too long, malformed) gets its explanation back."""
        for attempt in range(1, RASA_ATTEMPTS + 1):
            try:
                response = await self.http.post(
                    self.url, json={"sender": sender, "message": text, "input_channel": self.channel}
                )
                if response.is_client_error:
                    reason = (
                        response.json().get("error") if "json" in response.headers.get("content-type", "") else None
                    )
                    log.warning("Rasa refused a message from %s: %d", sender, response.status_code)
                    return [{"text": reason}] if isinstance(reason, str) and reason else None
                response.raise_for_status()
                return response.json()
            except (httpx.TransportError, httpx.HTTPStatusError) as error:
                log.warning("Rasa not reachable (%s), attempt %d", error, attempt)
                await asyncio.sleep(attempt)
        return None

    async def close(self) -> None:
        await self.http.aclose()
