// Reloads the page after data-reload-after-ms while a renewed ID card is being read.
(function () {
  "use strict";
  const marker = document.querySelector("[data-reload-after-ms]");
  if (marker) setTimeout(function () { window.location.reload(); }, Number(marker.dataset.reloadAfterMs));
})();
