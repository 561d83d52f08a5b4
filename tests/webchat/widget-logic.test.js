// Unit tests of the web chat widget's logic: `node --test tests/webchat/`
// (tests/test_widget_logic.py runs them in the suite).
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const logic = require(path.join(__dirname, "..", "..", "connectors", "webchat", "static", "widget-logic.js"));

test("markdown: paragraphs, lists, bold, links and bare URLs", () => {
  const blocks = logic.parseMarkdown(
    "Hồ sơ gồm:\n- **Tờ khai** đăng ký\n- Giấy chứng sinh\n\nNguồn: https://dichvucong.gov.vn/p/home.html.",
  );
  assert.deepEqual(blocks.map((b) => b.type), ["paragraph", "list", "paragraph"]);
  assert.deepEqual(blocks[1].items[0], [
    { type: "strong", text: "Tờ khai" },
    { type: "text", text: " đăng ký" },
  ]);
  assert.deepEqual(blocks[2].pieces, [
    { type: "text", text: "Nguồn: " },
    { type: "link", text: "https://dichvucong.gov.vn/p/home.html", href: "https://dichvucong.gov.vn/p/home.html" },
    { type: "text", text: "." },
  ]);
});

test("markdown: hostile links stay text, markup is never interpreted", () => {
  const [block] = logic.parseMarkdown('[bấm vào đây](javascript:alert(1)) <img src=x onerror="alert(1)">');
  assert.ok(block.pieces.every((p) => p.type === "text"), JSON.stringify(block.pieces));
  assert.equal(block.pieces.map((p) => p.text).join(""), '[bấm vào đây](javascript:alert(1)) <img src=x onerror="alert(1)">');
  assert.equal(logic.safeUrl("data:text/html,x"), null);
  assert.equal(logic.safeUrl("tel:18001096"), "tel:18001096");
});

test("buttons: kind and value are kept, unknown kinds and broken buttons dropped", () => {
  const buttons = logic.normalizeButtons([
    { title: "👍 Hữu ích", payload: '/give_feedback{"answer_id": "a1", "rating": "up"}', kind: "rating", value: "up" },
    { title: "⭐⭐⭐", payload: '/give_feedback{"stars": "3"}', kind: "csat", value: "3" },
    { title: "Lệ phí", payload: '/ask_procedure_detail{"detail": "fee"}', kind: "bogus" },
    { title: "no payload" },
    null,
  ]);
  assert.equal(buttons.length, 3);
  assert.ok(logic.isRating(buttons[0]) && !logic.isRating(buttons[1]) && !logic.isRating(buttons[2]));
  assert.ok(logic.isStars(buttons[1]) && !logic.isStars(buttons[0]));
  assert.equal(buttons[2].kind, undefined, "an unknown kind is not trusted");
  assert.ok(!logic.isRating({ title: "👍 Hữu ích", payload: '/give_feedback{"rating": "up"}' }), "never by the title");
  assert.deepEqual(logic.normalizeButtons(undefined), []);
});

test("queue: oldest queued first; a message interrupted by a reload is sent again", () => {
  const messages = [
    { id: 1, status: "sent" },
    { id: 2, status: "sending" },
    { id: 3, status: "queued" },
    { id: 4, status: "failed" },
  ];
  assert.equal(logic.nextQueued(messages).id, 3);
  logic.requeueInterrupted(messages);
  assert.equal(logic.nextQueued(messages).id, 2, "order is kept");
  assert.deepEqual(messages.map((m) => m.status), ["sent", "queued", "queued", "failed"]);
  assert.equal(logic.nextQueued([{ status: "sent" }]), null);
});

test("catalogue sentences get their placeholders filled", () => {
  assert.equal(logic.fill("Câu hỏi dài ${n} ký tự, tối đa ${max}.", { n: "2.345", max: "2.000" }), "Câu hỏi dài 2.345 ký tự, tối đa 2.000.");
  assert.equal(logic.fill("${n} trên 5 sao", {}), "${n} trên 5 sao");
});
