"""Run the Zalo-style channel: `python -m connectors.zalo` (settings in .env)."""

from __future__ import annotations

import logging
import sys

from connectors.zalo.app import ZaloSettings, create_app
from core.settings import endpoints, env


def main() -> None:
    logging.basicConfig(level=env("LOG_LEVEL", "INFO").upper())
    missing = [name for name in ("ZALO_APP_ID", "ZALO_OA_SECRET_KEY", "ZALO_ACCESS_TOKEN") if not env(name, "")]
    if missing:
        sys.exit(f"set {', '.join(missing)} (Zalo for Developers: your app and its Official Account)")
    settings = ZaloSettings(
        app_id=env("ZALO_APP_ID", ""),
        oa_secret_key=env("ZALO_OA_SECRET_KEY", ""),
        access_token=env("ZALO_ACCESS_TOKEN", ""),
        api_base_url=env("ZALO_API_BASE_URL", "https://openapi.zalo.me"),
        rasa_url=endpoints().rasa_rest_url,
    )
    app = create_app(settings)
    app.run(
        host=env("ZALO_WEBHOOK_LISTEN", "127.0.0.1"),
        port=int(env("ZALO_WEBHOOK_PORT", "5070")),
        single_process=True,
        access_log=False,
        motd=False,
    )


if __name__ == "__main__":
    main()
