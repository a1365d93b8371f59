// Inline feedback: select a passage of the article, then comment on it.
// Without JavaScript the comment form still works, on the whole article.
(() => {
  "use strict";
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
  button.textContent = "Comment on this passage";
  button.hidden = true;
  document.body.appendChild(button);
  let pending = null;

  const textBetween = (startNode, startOffset, endNode, endOffset) => {
    const range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset);
    return range.toString();
  };

  const update = () => {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) { button.hidden = true; return; }
    const range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer)) { button.hidden = true; return; }
    const quote = selection.toString().replace(/\s+/g, " ").trim();
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

  body.addEventListener("mouseup", () => setTimeout(update, 0));
  body.addEventListener("keyup", update);
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

  box.querySelector("[data-passage-clear]").addEventListener("click", () => {
    fields.quote.value = fields.quote_prefix.value = fields.quote_suffix.value = "";
    box.hidden = true;
  });
})();
