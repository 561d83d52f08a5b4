/*
 * Web chat widget of the administrative-procedures assistant.
 *
 * Embed with one tag (every data-* attribute is optional):
 *   <script src="https://HOST/webhooks/webchat/widget.js" data-title="Hỏi đáp thủ tục"
 *           data-color="#0b5394" data-position="right" data-language="vi" defer></script>
 *
 * It talks to the Rasa server's "webchat" channel over plain HTTP (POST …/webhook,
 * health GET …/), keeps the conversation in localStorage so that it survives page
 * reloads, queues what the user types while the server is unreachable and sends it
 * when the server is back. No dependencies, no build step; all DOM is built from
 * text nodes, never from HTML strings, so nothing a message contains can run.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || (window.TTHCWebchat && window.TTHCWebchat.mounted)) return;

  const VERSION = "1";
  const MAX_STORED = 200;
  const REQUEST_TIMEOUT_MS = 60000;

  // Interface texts (Vietnamese and English), example questions and the length
  // limit: written in by the server from dialogue/texts.yml, the one catalogue of
  // what citizens read. Example questions stay Vietnamese, as the answers do.
  const CATALOGUE = /*CATALOGUE*/{};
  const MAX_CHARS = CATALOGUE.maxChars || 2000;
  const EXAMPLES = CATALOGUE.examples || [];
  const STRINGS = { vi: CATALOGUE.vi, en: CATALOGUE.en };

  const { fill, parseMarkdown, normalizeButtons, isRating, isStars, requeueInterrupted, nextQueued } = TTHCWebchatLogic;

  // ---------------------------------------------------------------- config

  function readConfig() {
    const data = script.dataset;
    const extra = window.TTHCWebchatConfig || {};
    const pick = (name) => (extra[name] !== undefined ? String(extra[name]) : data[name]);
    const serverUrl = pick("serverUrl");
    let base;
    try {
      base = serverUrl
        ? new URL("webhooks/webchat/", serverUrl.replace(/\/*$/, "/")).href
        : new URL(".", script.src).href;
    } catch (error) {
      base = new URL(".", script.src).href;
    }
    const language = STRINGS[pick("language")] ? pick("language") : "vi";
    const color = (value, fallback) => (value && window.CSS && CSS.supports("color", value) ? value : fallback);
    const heartbeat = Number(pick("heartbeat"));
    return {
      base,
      language,
      text: STRINGS[language],
      title: (pick("title") || "").trim().slice(0, 80) || STRINGS[language].title,
      color: color(pick("color"), "#0b5394"),
      textColor: color(pick("textColor"), "#ffffff"),
      position: pick("position") === "left" ? "left" : "right",
      openAtStart: pick("open") === "true",
      heartbeatMs: (heartbeat >= 1 && heartbeat <= 3600 ? heartbeat : 15) * 1000,
    };
  }

  const config = readConfig();
  const T = config.text;

  // ---------------------------------------------------------------- storage

  /** The conversation, kept per server so that two widgets never mix. */
  const storageKey = `tthc-webchat:${config.base}`;

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function freshState() {
    return { version: VERSION, sender: `web-${randomId()}`, open: config.openAtStart, messages: [], seq: 0 };
  }

  function loadState({ afterReload }) {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (saved && saved.version === VERSION && typeof saved.sender === "string" && Array.isArray(saved.messages)) {
        // the page was reloaded while a message was on its way: send it again
        if (afterReload) requeueInterrupted(saved.messages);
        return saved;
      }
    } catch (error) {
      /* private mode or a corrupt entry: start afresh */
    }
    return freshState();
  }

  let state = loadState({ afterReload: true });

  function save() {
    state.messages = state.messages.slice(-MAX_STORED);
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      /* storage full or disabled: the conversation still works, it just won't survive a reload */
    }
  }

  // ---------------------------------------------------------------- text rendering

  function link(href, label) {
    return el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow" }, label);
  }

  function appendInline(parent, pieces) {
    for (const piece of pieces) {
      if (piece.type === "strong") parent.append(el("strong", {}, piece.text));
      else if (piece.type === "link") parent.append(link(piece.href, piece.text));
      else parent.append(piece.text);
    }
  }

  /** Simple markdown (paragraphs, "- " lists, **bold**, [links](https://…), bare
   * URLs) as DOM nodes. Every character of the input ends up in a text node. */
  function renderMarkdown(text) {
    const fragment = document.createDocumentFragment();
    for (const block of parseMarkdown(text)) {
      if (block.type === "list") {
        const list = el("ul");
        for (const item of block.items) {
          const li = el("li");
          appendInline(li, item);
          list.append(li);
        }
        fragment.append(list);
      } else {
        const p = el("p");
        appendInline(p, block.pieces);
        fragment.append(p);
      }
    }
    return fragment;
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children);
    return node;
  }

  /** A speech-bubble icon drawn as SVG: emoji fonts are missing on many office PCs. */
  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "28");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z");
    svg.append(path);
    return svg;
  }

  const host = el("div", { id: "tthc-webchat", "data-version": VERSION });
  const root = host.attachShadow({ mode: "open" });
  host.style.setProperty("visibility", "hidden"); // until the stylesheet is in
  const stylesheet = el("link", { rel: "stylesheet", href: new URL("widget.css", config.base).href });
  const showHost = () => {
    host.style.removeProperty("visibility");
    performance.mark("tthc-webchat:ready"); // lets a host page (and bench/webchat.py) time the widget
  };
  stylesheet.addEventListener("load", showHost);
  stylesheet.addEventListener("error", showHost);

  const launcher = el(
    "button",
    { class: "launcher", type: "button", "aria-label": T.open, "aria-expanded": "false", "aria-controls": "panel" },
    chatIcon(),
  );
  const title = el("h2", { id: "title" }, config.title);
  const restartButton = el("button", { class: "icon", type: "button", "aria-label": T.restart, title: T.restart }, "↺");
  const closeButton = el("button", { class: "icon", type: "button", "aria-label": T.close, title: T.close }, "✕");
  const banner = el("div", { class: "banner", role: "alert", hidden: true });
  const log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.log, tabindex: "0" });
  const typing = el(
    "div",
    { class: "typing", hidden: true },
    el("span", { class: "dots", "aria-hidden": "true" }, el("i"), el("i"), el("i")),
    el("span", { class: "typing-text" }, T.typing),
  );
  const status = el("div", { class: "sr-only", role: "status" });
  const quick = el("div", { class: "quick", role: "group", "aria-label": T.suggestions });
  const input = el("textarea", {
    id: "input",
    rows: "1",
    placeholder: T.placeholder,
    enterkeyhint: "send",
    autocomplete: "off",
    "aria-describedby": "hint",
  });
  const sendButton = el("button", { class: "send", type: "submit", "aria-label": T.send, title: T.send }, "➤");
  const hint = el("p", { class: "hint", id: "hint", "aria-live": "polite" }, T.privacy);
  const composer = el(
    "form",
    { class: "composer" },
    el("label", { class: "sr-only", for: "input" }, T.input),
    input,
    sendButton,
  );
  const panel = el(
    "section",
    { class: "panel", id: "panel", role: "dialog", "aria-labelledby": "title", hidden: true },
    el(
      "header",
      {},
      el("div", { class: "heading" }, title, el("p", { class: "subtitle" }, T.subtitle)),
      restartButton,
      closeButton,
    ),
    banner,
    log,
    typing,
    status,
    quick,
    composer,
    hint,
  );
  const frame = el("div", { class: `frame ${config.position}`, lang: config.language }, launcher, panel);
  frame.style.setProperty("--tthc-color", config.color);
  frame.style.setProperty("--tthc-on-color", config.textColor);
  root.append(stylesheet, frame);

  // ---------------------------------------------------------------- messages

  // Buttons say what they are (dialogue/contract.py ButtonKind, read by isRating and
  // isStars); their titles and payloads are never parsed.
  const nodes = new Map();

  function announce(text) {
    status.textContent = "";
    window.setTimeout(() => (status.textContent = text), 50);
  }

  function renderBubble(message) {
    const mine = message.from === "user";
    const bubble = el("div", {
      class: `message ${message.from}${message.status && message.status !== "sent" ? ` ${message.status}` : ""}`,
      "data-id": String(message.id),
    });
    bubble.append(el("span", { class: "sr-only" }, `${mine ? T.you : T.bot}: `));
    const body = el("div", { class: "text" });
    if (mine) body.textContent = message.text;
    else body.append(renderMarkdown(message.text || ""));
    bubble.append(body);
    const ratings = (message.buttons || []).filter(isRating);
    if (ratings.length) {
      const group = el("div", { class: "rating", role: "group", "aria-label": T.rateGroup });
      for (const button of ratings) {
        const value = button.value;
        group.append(
          el(
            "button",
            {
              type: "button",
              class: "rate",
              "aria-pressed": message.rating === value ? "true" : "false",
              disabled: Boolean(message.rating),
              onclick: () => rate(message, value, button),
            },
            button.title,
          ),
        );
      }
      if (message.rating) group.append(el("span", { class: "sr-only" }, T.rated));
      bubble.append(group);
    }
    if (mine && message.status === "queued") bubble.append(el("span", { class: "state" }, T.queued));
    if (mine && message.status === "failed") {
      bubble.append(
        el("span", { class: "state" }, `${message.note || T.failed} `),
        el("button", { type: "button", class: "retry", onclick: () => retry(message) }, T.retry),
      );
    }
    return bubble;
  }

  function draw(message) {
    const fresh = renderBubble(message);
    const old = nodes.get(message.id);
    if (old) old.replaceWith(fresh);
    else log.append(fresh);
    nodes.set(message.id, fresh);
  }

  function drawQuickReplies() {
    quick.replaceChildren();
    const last = state.messages[state.messages.length - 1];
    if (!last || last.from === "user") return;
    const turn = [];
    for (let i = state.messages.length - 1; i >= 0 && state.messages[i].from !== "user"; i -= 1) {
      turn.unshift(state.messages[i]);
    }
    for (const message of turn) {
      for (const button of message.buttons || []) {
        if (isRating(button)) continue;
        const stars = isStars(button) ? Number(button.value) : null;
        quick.append(
          el(
            "button",
            {
              type: "button",
              class: "chip",
              "aria-label": stars ? fill(T.stars, { n: stars }) : null,
              onclick: () => {
                submit(button.payload, button.title);
                input.focus(); // the chip is gone; keep the keyboard user in the chat
              },
            },
            button.title,
          ),
        );
      }
    }
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  /** A long answer is read from its top: scroll there rather than to its end. */
  function showFromStart(id) {
    const first = nodes.get(id);
    // .log is positioned, so offsetTop is measured from the top of its content
    if (first && log.scrollHeight - first.offsetTop > log.clientHeight) log.scrollTop = first.offsetTop - 8;
  }

  function redraw() {
    log.replaceChildren();
    nodes.clear();
    state.messages.forEach(draw);
    drawQuickReplies();
    scrollToEnd();
  }

  function add(message) {
    state.seq += 1;
    const stored = { id: state.seq, ...message };
    state.messages.push(stored);
    save();
    draw(stored);
    drawQuickReplies();
    scrollToEnd();
    return stored;
  }

  function update(message, changes) {
    Object.assign(message, changes);
    save();
    draw(message);
  }

  function welcome() {
    add({
      from: "bot",
      local: true,
      text: T.welcome,
      buttons: EXAMPLES.map((example) => ({ title: example, payload: example })),
    });
  }

  // ---------------------------------------------------------------- server

  class Offline extends Error {}
  class Rejected extends Error {}

  async function post(text) {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(new URL("webhook", config.base), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: state.sender, message: text }),
        signal: controller.signal,
      });
    } catch (error) {
      if (error.name === "AbortError") throw new Rejected(T.slow);
      throw new Offline(error.message);
    } finally {
      window.clearTimeout(timer);
    }
    if ([502, 503, 504].includes(response.status)) throw new Offline(`HTTP ${response.status}`);
    if (!response.ok) throw new Rejected(T.rejected);
    const replies = await response.json().catch(() => []);
    return Array.isArray(replies) ? replies : [];
  }

  async function healthy() {
    try {
      const response = await fetch(config.base, { cache: "no-store" });
      return response.ok;
    } catch (error) {
      return false;
    }
  }

  let online = true;
  let flushing = false;
  let reconnectTimer = null;

  function setBusy(busy) {
    typing.hidden = !busy;
    frame.classList.toggle("busy", busy);
    if (busy) scrollToEnd();
  }

  function goOffline() {
    if (online) {
      online = false;
      banner.replaceChildren(el("strong", {}, T.offline), " ", T.offlineQueued);
      banner.hidden = false;
      frame.classList.add("offline");
    }
    scheduleReconnect(1000);
  }

  function scheduleReconnect(delay) {
    window.clearTimeout(reconnectTimer);
    reconnectTimer = window.setTimeout(async () => {
      if (await healthy()) goOnline();
      else scheduleReconnect(Math.min(delay * 2, 10000));
    }, delay);
  }

  function goOnline() {
    window.clearTimeout(reconnectTimer);
    if (!online) {
      online = true;
      banner.hidden = true;
      frame.classList.remove("offline");
      announce(T.online);
    }
    flush();
  }

  /** Send queued messages one by one, in order; stop at the first that cannot go. */
  async function flush() {
    if (flushing || !online) return;
    flushing = true;
    try {
      let next;
      while ((next = nextQueued(state.messages))) {
        const conversation = state; // after "new conversation", a reply to the old one is dropped
        update(next, { status: "sending" });
        setBusy(true);
        try {
          const replies = await post(next.send);
          if (state !== conversation) continue;
          update(next, { status: "sent" });
          const firstReply = state.seq + 1;
          for (const reply of replies) {
            if (!reply.text && !(reply.buttons || []).length) continue;
            add({
              from: "bot",
              text: reply.text || "",
              buttons: normalizeButtons(reply.buttons),
            });
          }
          showFromStart(firstReply);
        } catch (error) {
          if (error instanceof Offline) {
            update(next, { status: "queued" });
            goOffline();
            break;
          }
          update(next, { status: "failed", note: error.message });
        }
      }
    } finally {
      flushing = false;
      setBusy(false);
      drawQuickReplies();
    }
  }

  function submit(text, shown) {
    add({ from: "user", text: shown || text, send: text, status: "queued" });
    if (!online) announce(T.offlineQueued);
    flush();
  }

  function retry(message) {
    update(message, { status: "queued", note: undefined });
    flush();
  }

  function rate(message, value, button) {
    if (message.rating) return;
    update(message, { rating: value });
    submit(button.payload, button.title);
    input.focus(); // the pressed button was redrawn disabled
  }

  // ---------------------------------------------------------------- open / close / compose

  function setOpen(open, { focus = true } = {}) {
    state.open = open;
    save();
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    frame.classList.toggle("open", open);
    if (open) {
      if (!state.messages.length) welcome();
      scrollToEnd();
      if (focus) input.focus();
      heartbeat();
    } else if (focus) {
      launcher.focus();
    }
  }

  function showHint(text, warning) {
    hint.textContent = text;
    hint.classList.toggle("warning", warning);
  }

  function checkLength() {
    const length = input.value.length;
    if (length > MAX_CHARS) {
      const locale = config.language === "vi" ? "vi-VN" : "en";
      showHint(fill(T.tooLong, { n: length.toLocaleString(locale), max: MAX_CHARS.toLocaleString(locale) }), true);
    }
    else if (hint.classList.contains("warning")) showHint(T.privacy, false);
    sendButton.disabled = length > MAX_CHARS;
    input.setAttribute("aria-invalid", String(length > MAX_CHARS));
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`; // + borders (border-box)
  }

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      showHint(T.empty, true);
      input.focus();
      return;
    }
    if (text.length > MAX_CHARS) {
      checkLength();
      return;
    }
    input.value = "";
    checkLength(); // also puts back the privacy hint after a warning
    submit(text);
    input.focus();
  });

  input.addEventListener("input", checkLength);
  input.addEventListener("keydown", (event) => {
    // Vietnamese input methods (Telex, VNI) compose with Enter: never send mid-composition
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") setOpen(false);
  });
  launcher.addEventListener("click", () => setOpen(!state.open));
  closeButton.addEventListener("click", () => setOpen(false));
  restartButton.addEventListener("click", () => {
    state = freshState();
    state.open = true;
    save();
    redraw();
    welcome();
    input.focus();
  });

  // While the panel is open, notice a server that went away before the user types.
  let heartbeatTimer = null;
  function heartbeat() {
    window.clearTimeout(heartbeatTimer);
    heartbeatTimer = window.setTimeout(async () => {
      if (state.open && online && document.visibilityState === "visible" && !flushing && !(await healthy())) {
        goOffline();
      }
      heartbeat();
    }, config.heartbeatMs);
  }
  window.addEventListener("online", () => scheduleReconnect(0));

  // Another tab of the same site talks to the same conversation: follow it.
  window.addEventListener("storage", (event) => {
    if (event.key !== storageKey || flushing) return;
    state = loadState({ afterReload: false });
    redraw();
  });

  function mount() {
    document.body.append(host);
    redraw();
    setOpen(Boolean(state.open), { focus: false });
    healthy().then((ok) => (ok ? goOnline() : goOffline()));
  }

  window.TTHCWebchat = {
    mounted: true,
    version: VERSION,
    open: () => setOpen(true),
    close: () => setOpen(false),
    renderMarkdown,
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
