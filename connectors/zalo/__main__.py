"""Run the Zalo-style channel: `python -m connectors.zalo` (settings in .env)."""

from __future__ import annotations

import logging
import os
import sys

from dotenv import load_dotenv

from connectors.zalo.app import ZaloSettings, create_app
from knowledge.settings import REPO_ROOT


def main() -> None:
    load_dotenv(REPO_ROOT / ".env", override=False)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper())
    missing = [name for name in ("ZALO_APP_ID", "ZALO_OA_SECRET_KEY", "ZALO_ACCESS_TOKEN") if not os.environ.get(name)]
    if missing:
        sys.exit(f"set {', '.join(missing)} (Zalo for Developers: your app and its Official Account)")
    host, port = os.environ.get("STACK_HOST", "127.0.0.1"), os.environ.get("RASA_PORT", "5005")
    settings = ZaloSettings(
        app_id=os.environ["ZALO_APP_ID"],
        oa_secret_key=os.environ["ZALO_OA_SECRET_KEY"],
        access_token=os.environ["ZALO_ACCESS_TOKEN"],
        api_base_url=os.environ.get("ZALO_API_BASE_URL", "https://openapi.zalo.me"),
        rasa_url=os.environ.get("RASA_REST_URL", f"http://{host}:{port}/webhooks/rest/webhook"),
    )
    app = create_app(settings)
    app.run(
        host=os.environ.get("ZALO_WEBHOOK_LISTEN", "127.0.0.1"),
        port=int(os.environ.get("ZALO_WEBHOOK_PORT", "5070")),
        single_process=True,
        access_log=False,
        motd=False,
    )


if __name__ == "__main__":
    main()
