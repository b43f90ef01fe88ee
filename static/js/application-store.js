// The application's store step: show only the fields of the chosen platform (the fields
// carry data-platform; the platform's select carries data-platform-select). Without this
// script every field shows, and the server empties those of another platform on saving.
(function () {
  "use strict";
  const select = document.querySelector("[data-platform-select]");
  if (!select) {
    return;
  }
  const wrapperOf = (field) => field.closest(".mb-3") || field.parentElement;
  function show() {
    document.querySelectorAll("[data-platform]").forEach((field) => {
      const mine = field.dataset.platform === select.value;
      wrapperOf(field).hidden = !mine;
    });
  }
  select.addEventListener("change", show);
  show();
})();
