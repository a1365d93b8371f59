// Wagtail's bulk-action footer names what is selected from its configuration
// (wagtailConfig.STRINGS.BULK_ACTIONS[type]); give it the words for comments.
(function () {
  "use strict";
  var strings = window.wagtailConfig && window.wagtailConfig.STRINGS;
  if (!strings || !strings.BULK_ACTIONS) return;
  strings.BULK_ACTIONS.COMMENT = {
    SINGULAR: "1 comment selected",
    PLURAL: "%(objects)s comments selected",
    ALL: "All %(objects)s comments on this screen selected",
    ALL_IN_LISTING: "All comments in the listing selected",
  };
})();
