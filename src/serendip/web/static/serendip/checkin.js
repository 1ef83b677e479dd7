// Filter the check-in list as the organiser types a name or a company.
document.getElementById("who").addEventListener("input", (e) => {
  const words = e.target.value.toLowerCase();
  document.querySelectorAll("#check-in tr").forEach((row) => {
    row.hidden = words && !row.textContent.toLowerCase().includes(words);
  });
});
