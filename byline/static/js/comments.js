// Inline feedback: select a passage of the article, then comment on it.
// Without JavaScript the comment form still works, on the whole article.
(() => {
  "use strict";
  // Reader-facing text in the site's language (chrome/script_text.html), by
  // key; the English here is the fallback. `{name}` is filled from values.
  const TEXT = (() => {
    try { return JSON.parse(document.getElementById("byline-text").textContent); } catch (error) { return {}; }
  })();
  const tr = (key, english, values = {}) =>
    (TEXT[key] || english).replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  const body = document.querySelector(".article-body");
  const compose = document.querySelector("details.compose");
  if (!body || !compose) return;
  const form = compose.querySelector("form");
  const box = form && form.querySelector("[data-passage]");
  if (!box) return;
  const fields = form.elements;

  const button = document.createElement("button");
  button.type = "button";
  button.className = "passage-button";
  button.textContent = tr("passage_button", "Comment on this passage");
  button.hidden = true;
  document.body.appendChild(button);
  let pending = null;

  const textBetween = (startNode, startOffset, endNode, endOffset) => {
    const range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset);
    return range.toString();
  };

  // A quote is whole words: a selection that starts or ends inside a word is
  // widened to the word's ends, so a passage's mark (and its count badge)
  // never splits a word of the article. The same rule as anchors.whole_words:
  // a letter, digit or combining mark, or an apostrophe between two of them.
  const WORDY = /[\p{L}\p{N}\p{M}]/u;
  const APOSTROPHES = "'\u2019";
  const wordy = (ch) => ch !== undefined && WORDY.test(ch);
  const insideWord = (text, i) => {
    if (i <= 0 || i >= text.length) return false;
    const [a, b] = [text[i - 1], text[i]];
    if (wordy(a) && wordy(b)) return true;
    if (APOSTROPHES.includes(b) && wordy(a) && wordy(text[i + 1])) return true;
    return APOSTROPHES.includes(a) && wordy(b) && wordy(text[i - 2]);
  };
  const wholeWords = (range) => {
    const snapped = range.cloneRange();
    const start = snapped.startContainer;
    if (start.nodeType === Node.TEXT_NODE) {
      let i = snapped.startOffset;
      while (insideWord(start.data, i)) i -= 1;
      snapped.setStart(start, i);
    }
    const end = snapped.endContainer;
    if (end.nodeType === Node.TEXT_NODE) {
      let i = snapped.endOffset;
      while (insideWord(end.data, i)) i += 1;
      snapped.setEnd(end, i);
    }
    return snapped;
  };

  const update = () => {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) { button.hidden = true; return; }
    const range = wholeWords(selection.getRangeAt(0));
    if (!body.contains(range.commonAncestorContainer)) { button.hidden = true; return; }
    const quote = range.toString().replace(/\s+/g, " ").trim();
    if (quote.length < 3) { button.hidden = true; return; }
    pending = {
      quote: quote.slice(0, 1000),
      prefix: textBetween(body, 0, range.startContainer, range.startOffset).slice(-40),
      suffix: textBetween(range.endContainer, range.endOffset, body, body.childNodes.length).slice(0, 40),
    };
    const rect = range.getBoundingClientRect();
    button.style.top = `${window.scrollY + rect.bottom + 8}px`;
    button.style.left = `${Math.max(8, window.scrollX + rect.left)}px`;
    button.hidden = false;
  };

  // selectionchange: mouse, keyboard and touch (a phone's long press and
  // handles fire no mouseup) all change the selection. Settled briefly, so
  // the button does not chase the handles as they are dragged.
  let settle = 0;
  document.addEventListener("selectionchange", () => {
    clearTimeout(settle);
    settle = setTimeout(update, 120);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") button.hidden = true;
  });

  button.addEventListener("click", () => {
    if (!pending) return;
    fields.quote.value = pending.quote;
    fields.quote_prefix.value = pending.prefix;
    fields.quote_suffix.value = pending.suffix;
    box.querySelector("[data-passage-quote]").textContent = pending.quote;
    box.hidden = false;
    button.hidden = true;
    compose.open = true;
    compose.scrollIntoView({ block: "start" });
    form.querySelector("textarea").focus();
  });

  // Hidden fields keep their value through form.reset(): clear the passage
  // with the rest of the form, or the next comment would be attached to it.
  const clearPassage = () => {
    fields.quote.value = fields.quote_prefix.value = fields.quote_suffix.value = "";
    box.querySelector("[data-passage-quote]").textContent = "";
    box.hidden = true;
  };
  box.querySelector("[data-passage-clear]").addEventListener("click", clearPassage);
  form.addEventListener("reset", clearPassage);
})();

// Posting, replying and voting in place, and loading more comments, when
// JavaScript runs; the same forms and links work as plain requests without it.
(() => {
  "use strict";
  // Reader-facing text in the site's language (chrome/script_text.html), by
  // key; the English here is the fallback. `{name}` is filled from values.
  const TEXT = (() => {
    try { return JSON.parse(document.getElementById("byline-text").textContent); } catch (error) { return {}; }
  })();
  const tr = (key, english, values = {}) =>
    (TEXT[key] || english).replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  const area = document.querySelector("#comments");
  if (!area || !window.fetch) return;

  const say = (form, text, kind) => {
    let note = form.querySelector(".form-status");
    if (!note) {
      note = document.createElement("p");
      note.className = "form-status";
      note.setAttribute("role", "status");
      form.prepend(note);
    }
    note.textContent = text;
    note.dataset.kind = kind;
  };

  const refreshThreads = async () => {
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("#comments .threads");
    const current = area.querySelector(".threads");
    if (fresh && current) current.replaceWith(fresh);
    else if (fresh) area.append(fresh);
    const heading = page.querySelector("#comments-heading");
    if (heading) area.querySelector("#comments-heading").textContent = heading.textContent;
  };

  area.addEventListener("submit", async (event) => {
    const form = event.target;
    const isComment = form.classList.contains("comment-form") && form.action.includes("/post/");
    const isVote = form.classList.contains("vote-form");
    if (!isComment && !isVote) return;
    event.preventDefault();
    const data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    const send = () => fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    try {
      let response = await send();
      let reply = await response.json().catch(() => ({}));
      if (isVote && reply.confirm_url) {
        // A first vote: the confirmation page gives this browser its reader
        // id (the reader pressed the button, which is the confirmation).
        const page = await fetch(reply.confirm_url, { credentials: "same-origin" });
        if (page.ok) {
          response = await send();
          reply = await response.json().catch(() => ({}));
        }
      }
      if (isVote) {
        if (response.ok) {
          form.querySelector(".comment-score").textContent = reply.score;
          form.querySelectorAll("button[name=value]").forEach((b) => {
            b.setAttribute("aria-pressed", String(b.value === reply.vote));
          });
        } else say(form, reply.reason || tr("vote_failed", "Your vote did not count."), "error");
        return;
      }
      if (response.ok) {
        form.reset();
        say(form, reply.message, "ok");
        document.dispatchEvent(new CustomEvent("byline:comment-posted"));
        if (reply.status === "approved") await refreshThreads();
      } else if (reply.errors) {
        const messages = Object.values(reply.errors).flat().map((e) => e.message);
        say(form, messages.join(" "), "error");
      } else {
        say(form, tr("not_sent", "Your comment was not sent (error {status}); it is still here.", { status: response.status }), "error");
      }
    } catch (error) {
      say(form, tr("connection_failed", "The connection failed; your comment is still here. Try again."), "error");
    } finally {
      if (button) button.disabled = false;
    }
  });

  area.addEventListener("click", async (event) => {
    const link = event.target.closest("a[data-load-more]");
    if (!link) return;
    event.preventDefault();
    const url = new URL(link.href);
    url.searchParams.set("fragment", "1");
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (!response.ok) { window.location.href = link.href; return; }
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const threads = area.querySelector(".threads");
    holder.querySelectorAll(".threads > li").forEach((item) => threads.append(item));
    // reader-state.js shows this reader's votes on the comments just added.
    document.dispatchEvent(new CustomEvent("byline:comments-added"));
    const next = holder.querySelector("a[data-load-more]");
    if (next) link.href = next.href.replace(/([?&])fragment=1&?/, "$1");
    else link.closest(".view-all").remove();
  });
})();
