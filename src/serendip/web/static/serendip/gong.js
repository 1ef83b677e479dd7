// Follow the clock: show the round under way (or the next one), count down, ring at each change.
(function () {
  const rounds = Array.from(document.querySelectorAll(".gong-round"));
  let audio = null, shown = null;
  document.getElementById("sound").addEventListener("click", () => { audio = new AudioContext(); ring(); });
  function ring() {
    if (!audio) return;
    const osc = audio.createOscillator(), gain = audio.createGain();
    osc.frequency.value = 180; osc.connect(gain); gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.6, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 3);
    osc.start(); osc.stop(audio.currentTime + 3);
  }
  function tick() {
    const now = Date.now();
    let current = rounds.find(r => Date.parse(r.dataset.start) <= now && now < Date.parse(r.dataset.end));
    const waiting = !current;
    if (waiting) current = rounds.find(r => Date.parse(r.dataset.start) > now);
    if (current !== shown) { if (shown) ring(); rounds.forEach(r => r.hidden = r !== current); shown = current; }
    document.getElementById("idle").hidden = Boolean(current);
    if (current) {
      const target = Date.parse(waiting ? current.dataset.start : current.dataset.end);
      const left = Math.max(0, Math.round((target - now) / 1000));
      document.getElementById("round-title").textContent = current.dataset.title + (waiting ? " …" : "");
      document.getElementById("countdown").textContent = String(Math.floor(left / 60)).padStart(2, "0") + ":" + String(left % 60).padStart(2, "0");
    }
  }
  tick(); setInterval(tick, 500);
})();
