// Earn the "Verified" mark: check the article's latest signed record in the
// reader's browser (WebCrypto Ed25519) against the newsroom's published key,
// and check that the words on this page are the words that were signed.
// The canonical text rules are those of byline/provenance/canonical.py.
(function () {
  "use strict";
  const BLOCK = new Set(("address article aside blockquote br dd div dl dt figcaption " +
    "figure footer h1 h2 h3 h4 h5 h6 header hr li ol p pre section table td th tr ul").split(" "));
  const HIDDEN = new Set(["script", "style", "template"]);

  const normalise = (text) => text.normalize("NFC").replace(/\s+/g, " ").trim();

  function linesOf(element) {
    const lines = [];
    let words = [];
    const endLine = () => {
      const line = normalise(words.join(""));
      if (line) lines.push(line);
      words = [];
    };
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          words.push(child.data);
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          const tag = child.localName;
          if (HIDDEN.has(tag)) continue;
          const block = BLOCK.has(tag);
          if (block) endLine();
          walk(child);
          if (block) endLine();
        }
      }
    };
    if (element) walk(element);
    endLine();
    return lines;
  }

  function fromBase64url(text) {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  async function sha256hex(text) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function part(name) {
    return document.querySelector(`[data-provenance="${name}"]`);
  }

  async function verify(mark) {
    const [records, jwks] = await Promise.all([
      fetch(mark.dataset.records, { credentials: "omit" }).then((r) => r.json()),
      fetch(mark.dataset.jwks, { credentials: "omit" }).then((r) => r.json()),
    ]);
    const latest = records.records[records.records.length - 1];
    if (!latest || latest.event !== "published") throw new Error("the latest record is not a publication");
    const [header64, payload64, signature64] = latest.jws.split(".");
    const header = JSON.parse(new TextDecoder().decode(fromBase64url(header64)));
    const payload = JSON.parse(new TextDecoder().decode(fromBase64url(payload64)));
    const jwk = jwks.keys.find((key) => key.kid === header.kid);
    if (header.alg !== "EdDSA" || !jwk) throw new Error("the record names a key we do not publish");
    const key = await crypto.subtle.importKey(
      "jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
    const valid = await crypto.subtle.verify(
      { name: "Ed25519" }, key, fromBase64url(signature64),
      new TextEncoder().encode(`${header64}.${payload64}`));
    if (!valid) throw new Error("the signature does not verify");
    if (new URL(payload.url).pathname !== window.location.pathname) {
      throw new Error("the record is for another page");
    }
    const text = [...linesOf(part("headline")), ...linesOf(part("standfirst")), ...linesOf(part("body"))].join("\n");
    if ((await sha256hex(text)) !== payload.content_sha256) {
      throw new Error("the text on this page is not the text that was signed");
    }
    return payload;
  }

  function show(mark, ok, message) {
    mark.classList.toggle("is-valid", ok);
    mark.classList.toggle("is-invalid", !ok);
    mark.dataset.verified = ok ? "browser" : "failed";
    mark.querySelector(".mark-icon").textContent = ok ? "✓" : "!";
    mark.querySelector("[data-provenance-status]").textContent = message;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const mark = document.querySelector("[data-provenance-mark]");
    if (!mark || !window.crypto || !crypto.subtle) return;
    verify(mark).then(
      (payload) => {
        const when = new Date(payload.signed_at).toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" });
        show(mark, true, `Verified in your browser: the words on this page are the words we signed on ${when}`);
      },
      (error) => {
        if (error && error.name === "NotSupportedError") {
          mark.dataset.verified = "server";
          mark.querySelector("[data-provenance-status]").textContent +=
            " (your browser cannot check Ed25519 signatures itself)";
          return;
        }
        show(mark, false, `Not verified: ${error.message || error}`);
      },
    );
  });
})();
