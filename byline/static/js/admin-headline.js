// The headline box in the article editor: Enter does not break the line, and the
// length guide under it follows what is typed (the words match news/widgets.py).
(function () {
  "use strict";

  function words(length, search, card) {
    if (length <= search) {
      return length + " characters: search results and social cards show it whole.";
    }
    if (length <= card) {
      return length + " characters: search results may cut it after about " + search +
        "; social cards show it whole.";
    }
    return length + " characters: search results and social cards will cut it (about " +
      search + "–" + card + " are shown). A shorter title for search can go in the Promote tab.";
  }

  function update(box) {
    var guide = document.getElementById(box.id + "-length");
    if (!guide) return;
    var search = Number(box.dataset.searchLength);
    var card = Number(box.dataset.cardLength);
    var length = box.value.split(/\s+/).filter(Boolean).join(" ").length;
    guide.textContent = words(length, search, card);
    guide.dataset.state = length <= search ? "ok" : length <= card ? "long" : "too-long";
  }

  function setUp(box) {
    if (box.dataset.lengthGuideReady) return;
    box.dataset.lengthGuideReady = "1";
    box.addEventListener("input", function () { update(box); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    update(box);
  }

  function scan() {
    document.querySelectorAll("textarea[data-length-guide]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
