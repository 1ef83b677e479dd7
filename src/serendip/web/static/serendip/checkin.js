// The day page's check-in desk. The list is filtered as the organiser types a name or a
// company. Each attendance (present, no-show, left early) is sent in place: the row's status
// and the status counts change, the page is not loaded again (at the gong a whole day page
// per tap costs the servers what the room's phones need). Without script the forms post and
// the page comes back at the row.
(() => {
  const who = document.getElementById("who");
  // Every word typed must be in the row, as the server's filter reads them (a name and a
  // company, in any order).
  function narrow() {
    const words = who.value.toLowerCase().split(/\s+/).filter(Boolean);
    document.querySelectorAll("#check-in tr").forEach((row) => {
      const text = row.textContent.toLowerCase();
      row.hidden = !words.every((word) => text.includes(word));
    });
  }
  if (who) {
    who.addEventListener("input", narrow);
    // Typed before this script ran (the field comes first in the page), or put back by the
    // browser on "back": the list must already say so.
    narrow();
  }
  const table = document.getElementById("check-in");
  if (!table) return;

  // What the server said, under the row's status: "Ada Lovelace: Present", or why not.
  function say(row, text, refused) {
    const cell = row.querySelector(".status").parentNode;
    const said = cell.querySelector(".said") || document.createElement("small");
    said.className = refused ? "said error" : "said";
    said.setAttribute("role", "status");
    said.textContent = text;
    if (!said.parentNode) {
      cell.appendChild(document.createElement("br"));
      cell.appendChild(said);
    }
  }

  async function record(event) {
    const form = event.target;
    // Asked first (confirm.js holds the form until "Yes"), or falling back to a plain post.
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.dataset.plain) return;
    const row = form.closest("tr");
    if (!row) return;
    event.preventDefault();
    const reply = await window.sendInPlace(form, event.submitter, (why) => say(row, why, true));
    if (!reply) return;
    row.querySelector(".status").textContent = reply.label;
    say(row, reply.message, false);
    for (const [value, n] of Object.entries(reply.counts || {})) {
      const option = document.querySelector(`#day-filters option[value="${value}"]`);
      if (option) option.textContent = `${option.dataset.label} (${n})`;
    }
  }

  table.addEventListener("submit", record);
})();
