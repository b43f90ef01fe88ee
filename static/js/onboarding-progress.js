// Live progress of an application: documents being read and checks, without reloading.
// Polls the JSON endpoint while something is queued or being read.
(function () {
  "use strict";
  const root = document.getElementById("application-progress");
  if (!root) return;
  const url = root.dataset.url;
  const badge = { done: "text-bg-success", failed: "text-bg-danger", not_needed: "text-bg-light",
                  pass: "text-bg-success", fail: "text-bg-danger", needs_review: "text-bg-warning" };

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(data) {
    const statusBadge = document.getElementById("application-status");
    if (statusBadge) statusBadge.textContent = data.status_label;
    data.documents.forEach((doc) => {
      const row = root.querySelector(`[data-document="${doc.id}"]`);
      if (!row) return;
      const cell = row.lastElementChild;
      cell.replaceChildren(el("span", { class: `ocr-status badge ${badge[doc.ocr_status] || "text-bg-info"}` }, doc.ocr_status_label));
      if (doc.ocr_error) cell.append(el("div", { class: "small text-danger ocr-error" }, doc.ocr_error));
    });
    const list = document.getElementById("progress-checks");
    if (list && data.checks.length) {
      list.replaceChildren(...data.checks.map((check) => {
        const item = el("li", { class: "list-group-item", "data-check": check.code });
        item.append(el("span", { class: `badge ${badge[check.status]}` }, check.status_label), " " + check.title);
        if (check.fix) item.append(el("div", { class: "small text-body-secondary" }, check.fix));
        return item;
      }));
    }
    return data.documents.some((d) => d.ocr_status === "queued" || d.ocr_status === "reading")
      || data.status === "submitted";
  }

  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok && render(await response.json())) setTimeout(poll, 2000);
    } catch (error) {
      setTimeout(poll, 5000);
    }
  }
  poll();
})();
