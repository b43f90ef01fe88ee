// Finance's month export: polls the job's progress until it is done or failed.
(function () {
  "use strict";
  const box = document.getElementById("export-job");
  if (!box) return;
  const finished = ["done", "failed"];
  if (finished.includes(box.dataset.status)) return;
  const poll = function () {
    fetch(box.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (p) {
        document.getElementById("export-status").textContent = p.status_label;
        document.getElementById("export-bar").value = p.percent;
        document.getElementById("export-rows").textContent = p.rows_done + " / " + p.rows_total;
        if (p.error) { const e = document.getElementById("export-error"); e.textContent = p.error; e.hidden = false; }
        if (p.download_url) { const d = document.getElementById("export-download"); d.querySelector("a").href = p.download_url; d.hidden = false; }
        if (!finished.includes(p.status)) setTimeout(poll, Number(box.dataset.pollMs));
      })
      .catch(function () { setTimeout(poll, 4 * Number(box.dataset.pollMs)); });
  };
  setTimeout(poll, Number(box.dataset.pollMs));
})();
