// The "now / next" page follows the clock without reloading: every minute it fetches the
// parts that change and replaces them in place. Rating forms already on the page are never
// replaced (a note being typed, a box being ticked stay); newly held meetings are added.
(() => {
  const live = document.getElementById("now-live");
  if (!live) return;
  const url = live.dataset.liveUrl;

  async function refresh() {
    let answer;
    try {
      answer = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch (_offline) {
      return; // no network for a moment: keep what is shown, try again next minute
    }
    if (!answer.ok) return;
    const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
    const clock = fresh.getElementById("now-clock");
    if (clock) document.getElementById("now-clock").replaceWith(document.adoptNode(clock));
    const section = document.getElementById("to-rate");
    const list = fresh.getElementById("to-rate");
    if (!section || !list) return;
    // Newest first, as the server orders them: insert each new form before the first older one.
    let anchor = section.querySelector("form.rating");
    for (const form of Array.from(list.querySelectorAll("form.rating"))) {
      const existing = document.getElementById(form.id);
      if (existing) {
        anchor = existing.nextElementSibling;
        continue;
      }
      const adopted = document.adoptNode(form);
      if (anchor && anchor.parentNode === section) section.insertBefore(adopted, anchor);
      else section.appendChild(adopted);
    }
    if (section.querySelector("form.rating")) section.hidden = false;
  }

  // A rating is sent in place: the page stays as it is (a note typed elsewhere stays) and
  // says "saved" under the form; without script the form posts and the page comes back.
  async function rate(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("rating")) return;
    if (form.dataset.plain) return; // the fallback below: a plain post, the page comes back
    event.preventDefault();
    const said = form.querySelector(".rated") || document.createElement("p");
    said.className = "rated";
    said.setAttribute("role", "status");
    form.appendChild(said);
    const reply = await window.sendInPlace(form, event.submitter, (why) => {
      said.textContent = why;
    });
    if (!reply) return;
    said.textContent = reply.message;
    const title = form.querySelector("p");
    let status = title.querySelector(".status");
    if (!status) {
      title.append(" · ");
      status = document.createElement("span");
      title.appendChild(status);
    }
    status.className = `status ${reply.colour}`;
    status.textContent = reply.label;
  }

  live.addEventListener("submit", rate);
  setInterval(refresh, 60000);
})();
