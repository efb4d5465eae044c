"use strict";
// The admin's search-as-you-type choices (Select2) show their choice in a text box that has no
// name of its own, so a screen reader announces an unnamed box: name each after its field's label.
window.addEventListener("load", () => {
  for (const box of document.querySelectorAll(".select2-selection__rendered[role=textbox]")) {
    const fieldId = box.id.replace(/^select2-/, "").replace(/-container$/, "");
    const label = document.querySelector(`label[for="${fieldId}"]`);
    if (label && !box.hasAttribute("aria-label")) {
      box.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
  }
});
