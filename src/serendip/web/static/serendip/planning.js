// Poll the planning run until it is done, then reload for the figures.
(function () {
  const run = document.getElementById("run");
  if (!run || run.dataset.done) return;
  const tick = async () => {
    const answer = await (await fetch(run.dataset.url)).json();
    document.getElementById("progress").value = answer.progress;
    document.getElementById("step").textContent = answer.step;
    if (answer.done) { location.reload(); } else { setTimeout(tick, 1000); }
  };
  setTimeout(tick, 500);
})();
