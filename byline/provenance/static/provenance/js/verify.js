// Earn the "Verified" mark in the reader's browser. With WebCrypto Ed25519 and
// only the newsroom's published keys, check every signed record of this article
// (signature, and that its key was in use when it was signed), the article's
// chain, the latest record's link in the site-wide log (also through records
// the log withholds because their article is not public), and that this page
// shows what the latest record signed: its text and every field the page marks
// with data-provenance. The rules are those of byline/provenance/canonical.py.
(function () {
  "use strict";
  // Reader-facing text in the site's language (chrome/script_text.html), by
  // key; the English here is the fallback. `{name}` is filled from values.
  const TEXT = (() => {
    try { return JSON.parse(document.getElementById("byline-text").textContent); } catch (error) { return {}; }
  })();
  const tr = (key, english, values = {}) =>
    (TEXT[key] || english).replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  const BLOCK = new Set(("address article aside blockquote br dd div dl dt figcaption " +
    "figure footer h1 h2 h3 h4 h5 h6 header hr li ol p pre section table td th tr ul").split(" "));
  const HIDDEN = new Set(["script", "style", "template"]);
  // Unicode White_Space, as canonical.WHITESPACE_CODE_POINTS (a test compares the
  // lists): JavaScript's \s also matches U+FEFF, which Python's does not.
  const WHITESPACE_CODE_POINTS = [
    0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x0020, 0x0085, 0x00A0, 0x1680,
    0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
    0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
  ];
  const WHITESPACE = new RegExp(
    `[${WHITESPACE_CODE_POINTS.map((code) => `\\u${code.toString(16).padStart(4, "0")}`).join("")}]+`, "g");
  const LINE_BREAK = /\r\n|\r|\n/;
  const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/;
  const ALGORITHMS = new Set(["Ed25519", "EdDSA"]);
  const PAYLOAD_VERSIONS = new Set([1, 2]);

  const normalise = (text) => text.normalize("NFC").replace(WHITESPACE, " ").replace(/^ | $/g, "");
  const asText = (value) => (typeof value === "string" ? value : "");
  const oneLine = (value) => normalise(asText(value));
  const textLines = (value) => asText(value).split(LINE_BREAK).map(normalise).filter(Boolean).join("\n");

  // Milliseconds since 1970 of an ISO 8601 time with its offset, or null.
  function instant(value) {
    if (typeof value !== "string" || !ISO_INSTANT.test(value)) return null;
    const ms = Date.parse(value.replace(/(\.\d{3})\d+/, "$1"));
    return Number.isNaN(ms) ? null : ms;
  }

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

  const marked = (name) => Array.from(document.querySelectorAll(`[data-provenance="${name}"]`));
  const shown = (element) => linesOf(element).join("\n");
  function hrefOf(element) {
    const link = element.matches("a[href]") ? element : element.querySelector("a[href]");
    return link ? link.getAttribute("href") : null;
  }

  function shows(name, label, expected) {
    const elements = marked(name);
    if (expected && !elements.length) return [tr("missing", "the signed {label} is not on this page", { label })];
    if (elements.some((element) => shown(element) !== expected)) return [tr("differs", "the {label} on this page is not the signed {label}", { label })];
    return [];
  }

  function showsTime(name, label, expected) {
    const elements = marked(name);
    if (expected !== null && !elements.length) return [tr("missing", "the signed {label} is not on this page", { label })];
    if (elements.some((element) => instant(element.getAttribute("datetime")) !== expected)) {
      return [tr("differs", "the {label} on this page is not the signed {label}", { label })];
    }
    return [];
  }

  function sourceLine(source) {
    const title = asText(source.title), publisher = asText(source.publisher);
    return oneLine(publisher ? `${title}, ${publisher}` : title);
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // What this page shows differently from the record's signed fields.
  function pageDifferences(payload) {
    const version = payload.v ?? 1;
    const problems = [
      ...shows("headline", tr("label_headline", "headline"), oneLine(payload.headline)),
      ...shows("section", tr("label_section", "section"), oneLine(payload.section)),
    ];
    const types = marked("type_of_work");
    if (!types.length || types.some((element) => element.dataset.value !== payload.type_of_work)) {
      problems.push(tr("type_differs", "the type of work on this page is not the signed one"));
    }
    const authors = Array.isArray(payload.authors) ? payload.authors : [];
    if (!same(marked("author").map(shown), authors.map(oneLine))) {
      problems.push(tr("byline_differs", "the byline on this page is not the signed byline"));
    }
    const published = instant(payload.published_at), updated = instant(payload.updated_at);
    const later = published !== null && updated !== null && updated > published ? updated : null;
    problems.push(...showsTime("published_at", tr("label_published", "publication time"), published));
    problems.push(...showsTime("updated_at", tr("label_updated", "update time"), later));
    if (version < 2) return problems;
    problems.push(...shows("type_of_work", tr("label_type", "type of work label"), oneLine(payload.type_of_work_label)));
    problems.push(...shows("dateline", tr("label_dateline", "dateline"), oneLine(payload.dateline)));
    problems.push(...shows("hero_caption", tr("label_caption", "picture caption"), oneLine(payload.hero_caption)));
    problems.push(...shows("hero_credit", tr("label_credit", "picture credit"), oneLine(payload.hero_credit)));
    problems.push(...shows("methods", tr("label_methods", "account of how it was reported"), textLines(payload.methods)));
    const sources = (Array.isArray(payload.sources) ? payload.sources : [])
      .filter((source) => source && typeof source === "object")
      .map((source) => [sourceLine(source), asText(source.url) || null]);
    if (!same(marked("source").map((element) => [shown(element), hrefOf(element)]), sources)) {
      problems.push(tr("sources_differ", "the sources on this page are not the signed sources"));
    }
    return problems;
  }

  function fromBase64url(text) {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  const toBase64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  async function sha256(text) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  }

  async function sha256hex(text) {
    return Array.from(await sha256(text), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const getJSON = (url) => fetch(url, { credentials: "omit" }).then((response) => response.json());

  // Published keys whose id is their RFC 7638 thumbprint, with the time each was in use.
  async function loadKeys(jwks) {
    const keys = new Map();
    for (const jwk of jwks.keys || []) {
      if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") continue;
      const members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
      if (toBase64url(await sha256(members)) !== jwk.kid) continue;
      const key = await crypto.subtle.importKey(
        "jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
      keys.set(jwk.kid, { key, validFrom: instant(jwk.valid_from), validUntil: instant(jwk.valid_until) });
    }
    return keys;
  }

  async function checkToken(token, keys, label) {
    const pieces = asText(token).split(".");
    let header, payload;
    try {
      header = JSON.parse(new TextDecoder().decode(fromBase64url(pieces[0])));
      payload = JSON.parse(new TextDecoder().decode(fromBase64url(pieces[1])));
    } catch (error) {
      throw new Error(tr("damaged", "{label} is damaged", { label }));
    }
    if (pieces.length !== 3 || !header || !payload || typeof payload !== "object") throw new Error(tr("damaged", "{label} is damaged", { label }));
    const key = keys.get(header.kid);
    if (!ALGORITHMS.has(header.alg) || !key) throw new Error(tr("unknown_key", "{label} names a key we do not publish", { label }));
    const valid = await crypto.subtle.verify(
      { name: "Ed25519" }, key.key, fromBase64url(pieces[2]),
      new TextEncoder().encode(`${pieces[0]}.${pieces[1]}`));
    if (!valid) throw new Error(tr("bad_signature", "the signature of {label} does not verify", { label }));
    const signedAt = instant(payload.signed_at);
    if (signedAt === null || key.validFrom === null || signedAt < key.validFrom ||
        (key.validUntil !== null && signedAt > key.validUntil)) {
      throw new Error(tr("key_not_in_use", "{label} was signed when its key was not in use", { label }));
    }
    return payload;
  }

  // Every record of the article, oldest first: signatures, order and chain.
  async function checkRecords(records, keys) {
    if (!records.length) throw new Error(tr("no_records", "the site publishes no signed record for this article"));
    let pagePrev = "", lastSeq = 0, payload = null;
    for (const record of records) {
      const label = tr("record", "record {seq}", { seq: record.seq });
      const previous = payload;
      payload = await checkToken(record.jws, keys, label);
      if (payload.seq !== record.seq || payload.seq <= lastSeq) throw new Error(tr("out_of_order", "{label} is out of order", { label }));
      if (payload.page_prev !== pagePrev) throw new Error(tr("version_missing", "a signed version of this article is missing"));
      if (previous && payload.page_id !== previous.page_id) throw new Error(tr("other_article", "{label} belongs to another article", { label }));
      [pagePrev, lastSeq] = [await sha256hex(record.jws), payload.seq];
    }
    return payload;
  }

  // The latest record is the one in the site-wide log, chained to the entry
  // before it: a record in full, or only the hash of one the log withholds.
  async function checkLog(logUrl, record, payload) {
    const url = new URL(logUrl, window.location.href);
    url.searchParams.set("from", Math.max(1, payload.seq - 1));
    url.searchParams.set("limit", 2);
    const log = await getJSON(url);
    const bySeq = new Map((log.records || []).map((entry) => [entry.seq, entry]));
    const own = bySeq.get(payload.seq);
    if (!own || own.jws !== record.jws) throw new Error(tr("log_differs", "the record differs from the site-wide log"));
    let expected = "";
    if (payload.seq > 1) {
      const before = bySeq.get(payload.seq - 1);
      if (!before) throw new Error(tr("log_gap", "the site-wide log has no record before this one"));
      expected = before.withheld ? before.hash : await sha256hex(asText(before.jws));
    }
    if (payload.prev !== expected) throw new Error(tr("log_broken", "the site-wide log is broken before this record"));
  }

  async function verify(mark) {
    const [bundle, jwks] = await Promise.all([getJSON(mark.dataset.records), getJSON(mark.dataset.jwks)]);
    const keys = await loadKeys(jwks);
    const records = bundle.records || [];
    const payload = await checkRecords(records, keys);
    if (payload.event !== "published") throw new Error(tr("not_publication", "the latest record is not a publication"));
    await checkLog(mark.dataset.log, records[records.length - 1], payload);
    if (!PAYLOAD_VERSIONS.has(payload.v ?? 1)) throw new Error(tr("unknown_version", "the record is of a version this page cannot check"));
    if (new URL(payload.url).pathname !== window.location.pathname) {
      throw new Error(tr("other_page", "the record is for another page"));
    }
    const problems = pageDifferences(payload);
    if (problems.length) throw new Error(problems.join("; "));
    const text = [...marked("headline"), ...marked("standfirst"), ...marked("body")].flatMap(linesOf).join("\n");
    if ((await sha256hex(text)) !== payload.content_sha256) {
      throw new Error(tr("text_differs", "the text on this page is not the text that was signed"));
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

  // For tests that compare these rules with the Python ones.
  window.BylineProvenance = Object.freeze({ normalise, WHITESPACE_CODE_POINTS });

  document.addEventListener("DOMContentLoaded", () => {
    const mark = document.querySelector("[data-provenance-mark]");
    if (!mark || !window.crypto || !crypto.subtle) return;
    verify(mark).then(
      (payload) => {
        // As the server writes dates: the page's language and the site's zone.
        const root = document.documentElement;
        const when = new Date(payload.signed_at).toLocaleDateString(root.lang || undefined, {
          day: "numeric", month: "long", year: "numeric", timeZone: root.dataset.timeZone || undefined,
        });
        show(mark, true, tr("verified", "Verified in your browser: the words on this page are the words we signed on {date}", { date: when }));
      },
      (error) => {
        if (error && error.name === "NotSupportedError") {
          mark.dataset.verified = "server";
          mark.querySelector("[data-provenance-status]").textContent +=
            tr("no_ed25519", " (your browser cannot check Ed25519 signatures itself)");
          return;
        }
        show(mark, false, tr("not_verified", "Not verified: {reason}", { reason: error.message || error }));
      },
    );
  });
})();
