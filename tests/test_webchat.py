"""The web chat widget in a real headless Chromium (Debian's, driven by Playwright)
against the real Rasa and action servers. Screenshots go to test-artifacts/webchat/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from dialogue.texts import text
from stack.browser import launch_chromium
from stack.processes import ServerProcess, free_port, rasa_server, serving
from stack.settings import REPO_ROOT
from tests.e2e import Stack

pytestmark = pytest.mark.browser
RATE_DOWN, RATE_UP = text("ratings.rate_down"), text("ratings.rate_up")
THANKS_RATING = text("ratings.thanks_rating")

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "webchat"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
OPEN = "Mở cửa sổ hỏi đáp thủ tục hành chính"
CLOSE = "Đóng cửa sổ hỏi đáp"
INPUT = "Nhập câu hỏi"
SEND = "Gửi câu hỏi"
OFFLINE = "Không kết nối được máy chủ"


@pytest.fixture(scope="module")
def webchat_server(stack: Stack, rasa_model: Path) -> Iterator[ServerProcess]:
    """A Rasa server of its own (the tests stop and restart it), sharing the
    suite's action server and feedback store."""
    env = {**stack.env, "TRACKER_STORE_URL": f"sqlite:///{stack.workdir / 'webchat-tracker.db'}"}
    server = rasa_server(rasa_model, free_port(), env, REPO_ROOT / "var" / "test" / "logs" / "webchat-rasa.log")
    with serving(server):
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture()
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile per test: empty localStorage, phone-sized unless a test resizes."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
    yield context
    context.close()


def demo_url(server: ServerProcess, query: str = "") -> str:
    return f"http://127.0.0.1:{server.port}/webhooks/webchat/demo{query}"


def open_demo(context: BrowserContext, server: ServerProcess, query: str = "") -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(demo_url(server, query))
    return page


def ask(page: Page, text: str) -> None:
    page.get_by_label(INPUT).fill(text)
    page.get_by_label(INPUT).press("Enter")


def bot_messages(page: Page):
    return page.locator(".message.bot")


def wait_for_bot_count(page: Page, count: int) -> None:
    expect(bot_messages(page)).to_have_count(count, timeout=60_000)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def restart(server: ServerProcess) -> None:
    server.start()
    server.wait_healthy()


def test_ask_click_a_quick_reply_rate_and_find_the_history_after_a_reload(
    context: BrowserContext, webchat_server: ServerProcess, stack: Stack
) -> None:
    page = open_demo(context, webchat_server)
    # the demo opens the chat at the first visit, with a welcome and examples
    expect(page.get_by_role("dialog", name="Trợ lý thủ tục hành chính")).to_be_visible()
    expect(bot_messages(page).first).to_contain_text("Xin chào")
    shot(page, "01-welcome")

    page.evaluate(TYPING_RECORDER)
    ask(page, "đăng ký khai sinh cần giấy tờ gì")
    wait_for_bot_count(page, 2)
    assert page.evaluate("window.__typingSeen") is True, "the typing indicator showed while the bot worked"
    expect(page.locator(".typing")).to_be_hidden()
    answer = bot_messages(page).nth(1)
    expect(answer).to_contain_text("Đăng ký khai sinh")
    expect(answer).to_contain_text("Căn cứ")
    source = answer.locator("a[href^='https://']").first
    expect(source).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(page.locator(".message.user")).to_have_text(re.compile("đăng ký khai sinh cần giấy tờ gì"))
    shot(page, "02-answer")

    # a quick reply: the fee of the same procedure
    page.locator(".quick").get_by_role("button", name="Lệ phí").click()
    wait_for_bot_count(page, 3)
    fee = bot_messages(page).nth(2)
    expect(fee).to_contain_text("Phí, lệ phí")
    expect(fee).to_contain_text("khai sinh")
    expect(page.locator(".message.user").nth(1)).to_have_text(re.compile("Lệ phí"))

    # rate the fee answer: the choice is marked and cannot be given twice
    rating = fee.get_by_role("group", name="Đánh giá câu trả lời này")
    rating.get_by_role("button", name=RATE_UP).click()
    wait_for_bot_count(page, 4)
    expect(bot_messages(page).nth(3)).to_contain_text(THANKS_RATING)
    expect(rating.get_by_role("button", name=RATE_UP)).to_have_attribute("aria-pressed", "true")
    expect(rating.get_by_role("button", name=RATE_DOWN)).to_be_disabled()
    shot(page, "03-rated")
    report = stack.feedback_report()
    assert report["by_channel"]["webchat"]["satisfied"] >= 1, "the rating is stored and counted as webchat"

    # a reload keeps the conversation, the rating and the Rasa conversation (follow-up in focus)
    page.reload()
    expect(bot_messages(page)).to_have_count(4)
    expect(page.locator(".message.user")).to_have_count(3)
    reloaded = bot_messages(page).nth(2).get_by_role("button", name=RATE_UP)
    expect(reloaded).to_have_attribute("aria-pressed", "true")
    ask(page, "thế thời hạn giải quyết bao lâu?")
    wait_for_bot_count(page, 5)
    expect(bot_messages(page).nth(4)).to_contain_text("khai sinh")
    expect(bot_messages(page).nth(4)).to_contain_text("Thời hạn")
    shot(page, "04-after-reload")
    assert page.errors == []  # type: ignore[attr-defined]


# Records whether the typing indicator was ever shown (it may be brief).
TYPING_RECORDER = """() => {
  const typing = document.querySelector('#tthc-webchat').shadowRoot.querySelector('.typing');
  window.__typingSeen = false;
  new MutationObserver(() => { if (!typing.hidden) window.__typingSeen = true; })
    .observe(typing, { attributes: true, attributeFilter: ['hidden'] });
}"""


def test_banner_when_the_server_is_down_and_the_queued_question_is_answered_after_restart(
    context: BrowserContext, webchat_server: ServerProcess
) -> None:
    page = open_demo(context, webchat_server, "?heartbeat=1")
    expect(bot_messages(page)).to_have_count(1)
    banner = page.get_by_role("alert")
    expect(banner).to_be_hidden()

    webchat_server.stop()
    try:
        # noticed by the heartbeat, before the user types anything
        expect(banner).to_contain_text(OFFLINE, timeout=15_000)
        ask(page, "làm hộ chiếu hết bao nhiêu tiền")
        queued = page.locator(".message.user.queued")
        expect(queued).to_contain_text("Đang chờ gửi")
        expect(page.get_by_label(INPUT)).to_have_value("")
        shot(page, "05-server-down")
    finally:
        restart(webchat_server)

    # back: the banner goes and the kept question is sent and answered
    expect(banner).to_be_hidden(timeout=30_000)
    wait_for_bot_count(page, 2)
    expect(bot_messages(page).nth(1)).to_contain_text("hộ chiếu")
    expect(page.locator(".message.user.queued")).to_have_count(0)
    ask(page, "còn cấp căn cước thì sao?")
    wait_for_bot_count(page, 3)
    shot(page, "06-reconnected")
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_reply_that_fails_keeps_the_message_with_a_retry(
    context: BrowserContext, webchat_server: ServerProcess
) -> None:
    page = open_demo(context, webchat_server)
    expect(bot_messages(page)).to_have_count(1)
    # the server answers 400 to this one message (as a proxy might); the text stays, with a retry button
    page.route("**/webhooks/webchat/webhook", lambda route: route.fulfill(status=400, body="{}"))
    ask(page, "thủ tục đăng ký kết hôn")
    failed = page.locator(".message.user.failed")
    expect(failed).to_contain_text("Máy chủ không nhận tin nhắn này.")
    page.unroute("**/webhooks/webchat/webhook")
    failed.get_by_role("button", name="Gửi lại").click()
    wait_for_bot_count(page, 2)
    expect(bot_messages(page).nth(1)).to_contain_text("kết hôn")
    expect(page.locator(".message.user.failed")).to_have_count(0)


def test_nothing_a_message_contains_is_run_or_rendered_as_html(
    context: BrowserContext, webchat_server: ServerProcess
) -> None:
    page = open_demo(context, webchat_server)
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> **đậm** [x](javascript:alert(1))'
    ask(page, hostile)
    wait_for_bot_count(page, 2)
    expect(page.locator(".message.user")).to_have_text(re.compile(re.escape("<img src=x onerror")))
    assert page.locator(".message img, .message script, .message strong").count() == 0
    rendered = page.evaluate(
        """() => {
          const box = document.createElement('div');
          box.append(window.TTHCWebchat.renderMarkdown(
            'Xem **Điều 5** tại https://dichvucong.gov.vn/p/home.html. Và [trang](https://vbpl.vn)\\n' +
            '- mục một\\n- [xấu](javascript:alert(1)) <b onmouseover=alert(1)>x</b>'));
          return box.innerHTML;
        }"""
    )
    assert "<strong>Điều 5</strong>" in rendered
    assert '<a href="https://dichvucong.gov.vn/p/home.html"' in rendered and "home.html</a>." in rendered
    assert '<a href="https://vbpl.vn/"' in rendered
    assert "<ul><li>mục một</li>" in rendered
    assert "javascript:" not in rendered.replace("[xấu](javascript:alert(1))", "")
    assert "&lt;b onmouseover=alert(1)&gt;" in rendered
    assert page.evaluate("window.__pwned") is None
    assert page.errors == []  # type: ignore[attr-defined]


def test_keyboard_only_use_with_aria_labels(context: BrowserContext, webchat_server: ServerProcess) -> None:
    page = open_demo(context, webchat_server, "?open=false")
    panel = page.get_by_role("dialog")
    expect(panel).to_be_hidden()
    launcher = page.get_by_role("button", name=OPEN)
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(page.get_by_label(INPUT)).to_be_focused()
    expect(page.get_by_role("log", name="Nội dung cuộc trò chuyện")).to_be_visible()
    page.keyboard.type("lam can cuoc o dau")
    page.keyboard.press("Enter")
    wait_for_bot_count(page, 2)
    # Tab reaches the quick replies; Enter presses one
    page.locator(".quick button").first.focus()
    page.keyboard.press("Enter")
    wait_for_bot_count(page, 3)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(page.locator(".message.user")).to_have_count(2)
    for name in (CLOSE, "Bắt đầu cuộc trò chuyện mới", SEND):
        expect(page.get_by_role("button", name=name)).to_have_count(1)
    page.get_by_role("button", name=CLOSE).focus()
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()


def test_empty_and_too_long_questions_get_a_message_and_nothing_is_lost(
    context: BrowserContext, webchat_server: ServerProcess
) -> None:
    page = open_demo(context, webchat_server)
    page.get_by_label(INPUT).fill("   ")
    page.get_by_label(INPUT).press("Enter")
    expect(page.locator(".hint")).to_have_text("Bạn hãy nhập câu hỏi trước khi gửi.")
    expect(page.locator(".message.user")).to_have_count(0)
    long_text = "thủ tục " * 300
    page.get_by_label(INPUT).fill(long_text)
    expect(page.locator(".hint")).to_contain_text("tối đa 2.000")
    expect(page.get_by_role("button", name=SEND)).to_be_disabled()
    page.get_by_label(INPUT).press("Enter")
    expect(page.locator(".message.user")).to_have_count(0)
    expect(page.get_by_label(INPUT)).to_have_value(long_text)
    shot(page, "07-too-long")

    ask(page, "xin chào")
    wait_for_bot_count(page, 2)
    sender = page.evaluate(SENDER)
    page.get_by_role("button", name="Bắt đầu cuộc trò chuyện mới").click()
    expect(page.locator(".message.user")).to_have_count(0)
    expect(bot_messages(page)).to_have_count(1)
    assert page.evaluate(SENDER) not in (None, sender), "a new conversation has a new sender id"


# The sender id the widget keeps in localStorage.
SENDER = "() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('tthc-webchat:'))[1]).sender"


def test_phone_layout_and_the_embed_options(browser: Browser, webchat_server: ServerProcess) -> None:
    phone = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
    page = open_demo(phone, webchat_server)
    box = page.get_by_role("dialog").bounding_box()
    assert box is not None and box["width"] == PHONE["width"] and box["height"] == PHONE["height"], box
    phone.close()

    desktop = browser.new_context(viewport=DESKTOP, locale="en-GB")
    options = "?open=false&position=left&color=%23a61d24&language=en&title=H%E1%BB%8Fi%20%C4%91%C3%A1p"
    page = open_demo(desktop, webchat_server, options)
    launcher = page.get_by_role("button", name="Open the administrative procedures chat")
    launcher_box = launcher.bounding_box()
    assert launcher_box is not None and launcher_box["x"] < DESKTOP["width"] / 2, "position=left"
    assert launcher.evaluate("node => getComputedStyle(node).backgroundColor") == "rgb(166, 29, 36)"
    launcher.click()
    expect(page.get_by_role("dialog", name="Hỏi đáp")).to_be_visible()
    expect(page.get_by_label("Type your question")).to_be_focused()
    panel_box = page.get_by_role("dialog").bounding_box()
    assert panel_box is not None and panel_box["width"] == 380
    shot(page, "08-desktop-left-en")
    desktop.close()


def test_the_channel_serves_its_files_and_refuses_bad_requests(webchat_server: ServerProcess) -> None:
    base = f"http://127.0.0.1:{webchat_server.port}/webhooks/webchat/"
    widget = requests.get(base + "widget.js", timeout=10)
    assert widget.ok and widget.headers["Content-Type"].startswith("application/javascript")
    assert widget.headers["Cache-Control"] == "no-cache"
    demo = requests.get(base + "demo", params={"title": '"><script>alert(1)</script>', "color": "red;x"}, timeout=10)
    assert "script-src 'self'" in demo.headers["Content-Security-Policy"]
    assert "alert(1)" not in demo.text and "red;x" not in demo.text, "unknown option values are dropped"
    assert 'data-open="true"' in demo.text and f'src="{base}widget.js"' in demo.text
    chosen = requests.get(base + "demo?position=left&open=false&language=en", timeout=10).text
    assert 'data-open="false" data-position="left" data-language="en"' in chosen
    assert requests.get(base + "secret.py", timeout=10).status_code == 404
    too_long_sender = requests.post(base + "webhook", json={"sender": "x" * 200, "message": "xin chào"}, timeout=30)
    assert too_long_sender.status_code == 400
    assert too_long_sender.json()["message"] == text("channels.long_sender", limit=128)
    assert requests.get(base + "widget-logic.js", timeout=10).status_code == 404, "served only inside widget.js"
    # a client cannot pretend to be another channel: it is counted as webchat
    reply = requests.post(
        base + "webhook", json={"sender": "web-1", "message": "xin chào", "input_channel": "telegram"}, timeout=30
    )
    assert reply.ok and reply.json()


def serious_violations(page: Page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_the_widget_has_no_serious_accessibility_violation(
    context: BrowserContext, webchat_server: ServerProcess
) -> None:
    """axe-core (axe-playwright-python) on the widget closed, open, and after an
    answer with its section buttons, rating buttons and citation."""
    page = open_demo(context, webchat_server, "?open=false")
    expect(page.get_by_role("button", name=OPEN)).to_be_visible()
    found = {"closed": serious_violations(page)}
    page.get_by_role("button", name=OPEN).click()
    expect(page.get_by_label(INPUT)).to_be_focused()
    found["open"] = serious_violations(page)
    ask(page, "lam the can cuoc can giay to gi")
    wait_for_bot_count(page, 2)
    expect(page.get_by_role("button", name=RATE_UP).last).to_be_visible()
    found["answered"] = serious_violations(page)
    shot(page, "09-axe-answered")
    assert found == {"closed": [], "open": [], "answered": []}
