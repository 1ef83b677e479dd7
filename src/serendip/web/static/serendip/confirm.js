// Actions that delete, cancel or write to many people ask first. A form, or the button that
// submits it, with data-confirm="the question" opens the page's confirmation dialog
// (web/confirm.html); only "Yes" sends the form. Without scripts the form simply posts.
(() => {
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const question = dialog.querySelector("[data-question]");
  let pending = null;

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const button = event.submitter;
      const text = (button && button.dataset.confirm) || form.dataset.confirm;
      if (!text || form.dataset.confirmed === "yes") return;
      event.preventDefault();
      pending = { form, button };
      question.textContent = text;
      dialog.returnValue = ""; // Escape keeps the last value: start from "not confirmed"
      dialog.showModal();
    },
    true,
  );

  dialog.addEventListener("close", () => {
    const chosen = pending;
    pending = null;
    if (!chosen || dialog.returnValue !== "yes") return;
    // Submitting again with the same button keeps its name and value (e.g. status=no_show).
    chosen.form.dataset.confirmed = "yes";
    chosen.form.requestSubmit(chosen.button || undefined);
    delete chosen.form.dataset.confirmed;
  });
})();
