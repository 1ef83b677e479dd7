// One way to send a form in place, for the pages that answer a tap without loading the page
// again (checkin.js at the day desk, now.js for ratings). Read before them.
//
// sendInPlace(form, submitter, refused) posts the form and resolves to the server's JSON
// answer when it was accepted. Otherwise it resolves to null after calling refused(text) with
// why: the server's error, or, with no network for a moment, the data-offline text of the form
// or of what holds it. An answer that is not the expected JSON (signed out, say) posts the form
// as without script, so that the server's page says what is wrong.
window.sendInPlace = async (form, submitter, refused) => {
  let answer;
  try {
    answer = await fetch(form.action, {
      method: "POST",
      body: new FormData(form, submitter),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  } catch (_offline) {
    const offline = form.closest("[data-offline]");
    refused(offline ? offline.dataset.offline : "");
    return null;
  }
  let reply;
  try {
    reply = await answer.json();
  } catch (_notJson) {
    form.dataset.plain = "1"; // the pages' handlers let a plain post go
    form.dataset.confirmed = "yes"; // already asked, if the form asks first
    form.requestSubmit(submitter);
    return null;
  }
  if (answer.ok) return reply;
  refused(reply.error || "");
  return null;
};
