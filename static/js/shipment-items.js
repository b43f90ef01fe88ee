// The shipment form's item lines: add one from the <template>, remove one, and keep Django's
// formset numbering (items-N-field, TOTAL_FORMS) right. No inline script (CSP).
(function () {
  "use strict";
  const box = document.getElementById("shipment-items");
  if (!box) return;
  const prefix = box.dataset.prefix;
  const total = box.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const template = document.getElementById("shipment-item-template");
  const addButton = document.getElementById("item-add");

  function renumber() {
    const items = box.querySelectorAll("fieldset.shipment-item");
    items.forEach((item, index) => {
      item.querySelector(".item-number").textContent = String(index + 1);
      item.querySelectorAll("input, select, textarea, label, div").forEach((node) => {
        for (const attribute of ["name", "id", "for"]) {
          const value = node.getAttribute(attribute);
          if (value) {
            node.setAttribute(
              attribute,
              value.replace(new RegExp(`${prefix}-(\\d+|__prefix__)-`), `${prefix}-${index}-`)
            );
          }
        }
      });
      const remove = item.querySelector(".item-remove");
      if (remove) remove.hidden = items.length === 1;
    });
    total.value = String(items.length);
  }

  addButton.addEventListener("click", () => {
    const copy = template.content.firstElementChild.cloneNode(true);
    box.insertBefore(copy, template);
    renumber();
  });
  box.addEventListener("click", (event) => {
    const button = event.target.closest(".item-remove");
    if (!button) return;
    button.closest("fieldset.shipment-item").remove();
    renumber();
  });
  renumber();
})();
