/*
 * The web chat widget's logic that needs no page: markdown parsing, URL checks,
 * button and queue handling. The server sends it in front of widget.js as one
 * script (connectors/webchat/assets.py); Node's test runner loads it directly
 * (tests/webchat/widget-logic.test.js).
 */
const TTHCWebchatLogic = (() => {
  "use strict";

  /** A catalogue sentence with its ${name} placeholders filled in. */
  function fill(template, values) {
    return String(template).replace(/\$\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  /** Only web, mail and phone links; anything else (javascript:, data:) is not a link. */
  function safeUrl(raw) {
    try {
      const url = new URL(raw);
      return ["http:", "https:", "mailto:", "tel:"].includes(url.protocol) ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  const INLINE = /\*\*([^*\n]+)\*\*|\[([^\]\n]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>"]+)/g;

  /** One line as inline pieces: {text}, {strong}, {link, href}. */
  function parseInline(text) {
    const pieces = [];
    const plain = (value) => value && pieces.push({ type: "text", text: value });
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
      plain(text.slice(last, match.index));
      last = match.index + match[0].length;
      if (match[1] !== undefined) {
        pieces.push({ type: "strong", text: match[1] });
      } else if (match[2] !== undefined) {
        const href = safeUrl(match[3]);
        if (href) pieces.push({ type: "link", text: match[2], href });
        else plain(match[0]);
      } else {
        const url = match[4].replace(/[.,;:!?)\]]+$/, "");
        const href = safeUrl(url);
        if (href) pieces.push({ type: "link", text: url, href });
        else plain(url);
        last = match.index + url.length;
      }
    }
    plain(text.slice(last));
    return pieces;
  }

  /** Simple markdown (paragraphs, "- " lists, **bold**, [links](https://…), bare
   * URLs) as blocks of inline pieces; the widget turns them into text nodes. */
  function parseMarkdown(text) {
    const blocks = [];
    let list = null;
    for (const line of String(text).split(/\r?\n/)) {
      const item = /^\s*[-•*]\s+(.*)$/.exec(line);
      if (item) {
        if (!list) blocks.push((list = { type: "list", items: [] }));
        list.items.push(parseInline(item[1]));
        continue;
      }
      list = null;
      if (line.trim()) blocks.push({ type: "paragraph", pieces: parseInline(line) });
    }
    return blocks;
  }

  const KINDS = new Set(["section", "rating", "reason", "csat", "choice", "handoff", "stop"]);

  /** The buttons of a reply as the widget keeps them: a payload is required;
   * the kind (dialogue/contract.py ButtonKind) and value are kept when known. */
  function normalizeButtons(buttons) {
    return (Array.isArray(buttons) ? buttons : [])
      .filter((b) => b && typeof b.payload === "string")
      .map((b) => {
        const button = { title: String(b.title || b.payload), payload: b.payload };
        if (KINDS.has(b.kind)) button.kind = b.kind;
        if (typeof b.value === "string") button.value = b.value;
        return button;
      });
  }

  const isRating = (button) => button.kind === "rating" && (button.value === "up" || button.value === "down");
  const isStars = (button) => button.kind === "csat" && /^[1-5]$/.test(String(button.value));

  /** After a reload, a message that was on its way is sent again. */
  function requeueInterrupted(messages) {
    for (const message of messages) if (message.status === "sending") message.status = "queued";
    return messages;
  }

  /** The next message to send: the oldest queued one, so order is kept. */
  function nextQueued(messages) {
    return messages.find((message) => message.status === "queued") || null;
  }

  return { fill, safeUrl, parseInline, parseMarkdown, normalizeButtons, isRating, isStars, requeueInterrupted, nextQueued };
})();

if (typeof module !== "undefined" && module.exports) module.exports = TTHCWebchatLogic;
