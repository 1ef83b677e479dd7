// Actions that delete, cancel or write to many people ask first. A form, or the button that
// submits it, with data-confirm="the question" opens the page's confirmation dialog
// (web/confirm.html); only "Yes" sends the form. Without scripts the form simply posts.
//
// Loaded in the page's head (base.html), before any button exists: a tap while a slow phone
// is still reading the page must ask too, not free a sponsor's meetings at once. The dialog
// comes at the end of the page, so a question asked early waits until the page is read.
(() => {
  let pending = null;

  function dialogOf() {
    const dialog = document.getElementById("confirm-dialog");
    return dialog && typeof dialog.showModal === "function" ? dialog : null;
  }

  function send(chosen) {
    // Submitting again with the same button keeps its name and value (e.g. status=no_show).
    chosen.form.dataset.confirmed = "yes";
    chosen.form.requestSubmit(chosen.button || undefined);
    delete chosen.form.dataset.confirmed;
  }

  function ask() {
    if (!pending) return;
    const dialog = dialogOf();
    if (!dialog) {
      // A page without the dialog: the form posts as it would without scripts.
      const chosen = pending;
      pending = null;
      send(chosen);
      return;
    }
    dialog.querySelector("[data-question]").textContent = pending.text;
    dialog.returnValue = ""; // Escape keeps the last value: start from "not confirmed"
    if (!dialog.open) dialog.showModal();
  }

  function answered(event) {
    const chosen = pending;
    pending = null;
    if (chosen && event.target.returnValue === "yes") send(chosen);
  }

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const button = event.submitter;
      const text = (button && button.dataset.confirm) || form.dataset.confirm;
      if (!text || form.dataset.confirmed === "yes") return;
      event.preventDefault();
      pending = { form, button, text };
      if (document.readyState === "loading") return; // asked once the page is read
      ask();
    },
    true,
  );

  document.addEventListener("DOMContentLoaded", () => {
    const dialog = dialogOf();
    if (dialog) dialog.addEventListener("close", answered);
    ask();
  });
})();
