// A reader's own state on a page every reader shares (the page cache keeps
// one copy for all): which way they voted, their comments still awaiting
// moderation, and the name and address they asked this browser to remember.
// It comes from /comments/me/, never cached (byline/comments/reader_state.py).
// Without JavaScript nothing here is needed: votes and comments post as forms.
(() => {
  "use strict";
  // Reader-facing text in the site's language (chrome/script_text.html), by
  // key; the English here is the fallback. `{name}` is filled from values.
  const TEXT = (() => {
    try { return JSON.parse(document.getElementById("byline-text").textContent); } catch (error) { return {}; }
  })();
  const tr = (key, english, values = {}) =>
    (TEXT[key] || english).replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  const area = document.querySelector("#comments[data-article]");
  if (!area || !window.fetch) return;
  const url = `/comments/me/?article=${encodeURIComponent(area.dataset.article)}`;

  let votesShown = {};
  const showVotes = (votes) => {
    votesShown = votes;
    area.querySelectorAll(".vote-form").forEach((form) => {
      const comment = form.closest(".comment");
      const mine = comment ? votes[comment.id.replace("comment-", "")] : undefined;
      form.querySelectorAll("button[name=value]").forEach((button) => {
        button.setAttribute("aria-pressed", String(button.value === mine));
      });
    });
  };

  // Text only (textContent): nothing a reader typed is read as markup.
  const heldComment = (held) => {
    const item = document.createElement("article");
    item.className = "comment comment-held";
    item.id = `held-${held.id}`;
    const header = document.createElement("header");
    header.className = "comment-header";
    const name = document.createElement("span");
    name.className = "comment-author";
    name.textContent = held.name;
    const note = document.createElement("span");
    note.className = "held-note";
    note.textContent = tr("awaiting", "Your comment is awaiting moderation");
    header.append(name, note);
    const text = document.createElement("div");
    text.className = "comment-text";
    text.textContent = held.text;
    item.append(header, text);
    return item;
  };

  const showHeld = (held) => {
    area.querySelectorAll(".comment-held").forEach((old) => old.remove());
    let list = area.querySelector(".held-comments");
    held.slice().reverse().forEach((comment) => {
      const item = heldComment(comment);
      const parent = comment.parent && document.getElementById(`comment-${comment.parent}`);
      if (parent) { parent.after(item); return; }
      if (!list) {
        list = document.createElement("div");
        list.className = "held-comments";
        list.setAttribute("role", "status");
        const before = area.querySelector(
          ":scope > .comment-sort, :scope > .threads, :scope > .form-note",
        );
        area.insertBefore(list, before);
      }
      list.prepend(item);
    });
  };

  const fillCommenter = (commenter) => {
    if (!commenter) return;
    area.querySelectorAll("form.comment-form").forEach((form) => {
      const { name, email, remember } = form.elements;
      if (name && !name.value) name.value = commenter.name;
      if (email && !email.value) email.value = commenter.email;
      if (remember) remember.checked = true;
    });
  };

  const load = async () => {
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      const state = await response.json();
      showVotes(state.votes || {});
      showHeld(state.held || []);
      fillCommenter(state.commenter);
    } catch (error) {
      // The page works without this: votes and forms still post.
    }
  };

  load();
  // comments.js posts in place, then says so: a held comment appears at once.
  document.addEventListener("byline:comment-posted", load);
  // "Load more" added comments: their buttons show this reader's votes too.
  document.addEventListener("byline:comments-added", () => showVotes(votesShown));
})();
