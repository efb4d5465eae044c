"use strict";
// The admin's search-as-you-type choices (Select2) show their choice in a text box that has no
// name of its own, so a screen reader announces an unnamed box: name each after its field's label.
// Select2 builds its boxes from jQuery's ready handler, which may run after the page's load event
// (or later still, for a row added to an inline), so each box is named as it appears.
function nameChoiceBoxes() {
  for (const box of document.querySelectorAll(".select2-selection__rendered[role=textbox]:not([aria-label])")) {
    const fieldId = box.id.replace(/^select2-/, "").replace(/-container$/, "");
    const label = document.querySelector(`label[for="${fieldId}"]`);
    if (label) {
      box.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
  }
}
nameChoiceBoxes();
new MutationObserver(nameChoiceBoxes).observe(document.documentElement, { childList: true, subtree: true });
