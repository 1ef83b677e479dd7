// Poll the planning run until it is done, then reload for the figures.
(function () {
  const run = document.getElementById("run");
  if (!run || run.dataset.done) return;
  const tick = async () => {
    const answer = await (await fetch(run.dataset.url)).json();
    document.getElementById("progress").value = answer.progress;
    // The status and the step, both in the organiser's language ("Planification · enregistrement").
    document.getElementById("step").textContent = answer.step ? `${answer.label} · ${answer.step}` : answer.label;
    if (answer.done) { location.reload(); } else { setTimeout(tick, 1000); }
  };
  setTimeout(tick, 500);
})();
