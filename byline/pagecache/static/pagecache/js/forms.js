// Pages are cached whole and shared between readers, so their forms carry no
// CSRF token of their own. This fetches one (and a fresh comment-form stamp)
// the first time a reader turns to a form, and holds a send until it is there.
// Without JavaScript the server asks the reader to confirm instead.
(() => {
  "use strict";
  if (!window.fetch) return;
  let pending = null;
  const load = () => {
    pending ||= fetch("/forms/token/", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .catch((error) => { pending = null; throw error; });
    return pending;
  };
  const needsToken = (form) =>
    form instanceof HTMLFormElement &&
    form.method === "post" &&
    new URL(form.action, location.href).origin === location.origin &&
    form.dataset.token !== "ready" &&
    !(form.elements.csrfmiddlewaretoken && form.elements.csrfmiddlewaretoken.value);
  const fill = (form, token) => {
    let input = form.elements.csrfmiddlewaretoken;
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      form.prepend(input);
    }
    input.value = token.csrf;
    if (form.elements.ts) form.elements.ts.value = token.ts;
    form.dataset.token = "ready";
  };
  document.addEventListener("focusin", (event) => {
    const form = event.target.form;
    if (form && needsToken(form)) load().then((t) => fill(form, t), () => {});
  });
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!needsToken(form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const again = () => form.requestSubmit(event.submitter || undefined);
      load().then((t) => { fill(form, t); again(); }, () => { form.dataset.token = "ready"; again(); });
    },
    true,
  );
})();
