// Live progress of a file of orders: polls the JSON endpoint until the file is done or failed.
(function () {
  "use strict";
  const root = document.getElementById("import-progress");
  if (!root) return;
  // The bar's width from its data attribute: the page has no style attribute (CSP).
  const initial = document.querySelector("#import-bar .progress-bar");
  if (initial) initial.style.width = `${initial.dataset.percent}%`;
  if (root.dataset.finished === "1") return;
  const url = root.dataset.url;
  const badges = { done: "text-bg-success", failed: "text-bg-danger" };

  function show(id, visible) {
    const node = document.getElementById(id);
    if (node) node.classList.toggle("d-none", !visible);
  }

  function render(data) {
    // The preview is ready: the page shows it with the buttons to confirm or discard.
    if (data.preview) {
      window.location.reload();
      return false;
    }
    const state = document.getElementById("import-state");
    state.textContent = data.state_label;
    state.className = `badge ${badges[data.state] || "text-bg-info"}`;
    const bar = document.getElementById("import-bar");
    bar.setAttribute("aria-valuenow", data.done);
    const fill = bar.firstElementChild;
    fill.style.width = `${data.percent}%`;
    fill.textContent = `${data.percent}%`;
    bar.setAttribute("aria-valuemax", data.total);
    document.getElementById("import-done").textContent = data.done;
    document.getElementById("import-total").textContent = data.total;
    document.getElementById("import-created").textContent = data.created;
    document.getElementById("import-failed").textContent = data.failed;
    const error = document.getElementById("import-error");
    error.textContent = data.error;
    show("import-error", Boolean(data.error));
    show("import-report", data.has_report);
    show("import-next", data.finished);
    if (data.finished) fill.classList.remove("progress-bar-striped", "progress-bar-animated");
    return !data.finished;
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok && render(await response.json())) setTimeout(poll, 1500);
    } catch (error) {
      setTimeout(poll, 5000);
    }
  }
  setTimeout(poll, 1000);
})();
