// Poll each meal's seating run until it is over, then reload for the seating and its figures.
(function () {
  const runs = Array.from(document.querySelectorAll(".seating-run")).filter((run) => !run.dataset.done);
  if (!runs.length) return;
  const tick = async () => {
    let over = true;
    for (const run of runs) {
      const answer = await (await fetch(run.dataset.url)).json();
      const bar = run.querySelector("progress");
      if (bar) bar.value = answer.progress;
      const step = run.querySelector(".seating-step");
      // The status and the step, both in the organiser's language ("Planification · placement").
      if (step) step.textContent = answer.step ? `${answer.label} · ${answer.step}` : answer.label;
      if (!answer.done) over = false;
    }
    if (over) { location.reload(); } else { setTimeout(tick, 1000); }
  };
  setTimeout(tick, 500);
})();
