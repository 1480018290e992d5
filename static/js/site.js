// Progressive enhancement only: every page works without this file.
// A quiz's time limit: count down from the server's deadline (the server enforces it; this only shows it).
function updateTimers() {
  for (const timer of document.querySelectorAll(".timer[data-deadline]")) {
    const left = Math.max(0, Math.floor((Date.parse(timer.dataset.deadline) - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const text = left === 0 ? "time is up" : `${minutes} min ${String(left % 60).padStart(2, "0")} s`;
    timer.querySelector(".timer-remaining").textContent = text;
  }
}
document.addEventListener("DOMContentLoaded", () => {
  if (document.querySelector(".timer[data-deadline]")) {
    updateTimers();
    setInterval(updateTimers, 1000);
  }
});

// Flashcard keys, active only while focus is inside the study area: Space or Enter shows the
// answer, 1–5 rate the card (the buttons on the page say the same).
document.addEventListener("keydown", (event) => {
  const area = event.target.closest?.("[data-study]");
  if (!area || event.altKey || event.ctrlKey || event.metaKey) return;
  // Content swapped in a moment ago may not be wired up by htmx yet: do it now, so the rating is
  // sent by htmx (the next card without a page load) rather than as a plain form submission.
  if (window.htmx) window.htmx.process(area);
  const rating = area.querySelector(`button[data-key="${event.key}"]`);
  if (rating) {
    event.preventDefault();
    rating.click();
    return;
  }
  const reveal = area.querySelector("[data-reveal]");
  const onControl = event.target.matches("button, input, select, textarea") || (event.target.matches("a") && event.key === "Enter");
  if (reveal && (event.key === " " || event.key === "Enter") && !onControl) {
    event.preventDefault();
    reveal.click();
  }
});

// The settings page: while the learner's time zone is still the default (UTC), offer the zone the
// browser reports, when the list has it. Without this script the list works as it is.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[data-browser-zone]");
  if (!select || select.value !== "UTC") return;
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  if (zone === "UTC" || ![...select.options].some((option) => option.value === zone)) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button-secondary browser-zone";
  button.textContent = `Use my browser's time zone (${zone})`;
  button.addEventListener("click", () => {
    select.value = zone;
    select.focus();
    button.remove();
  });
  select.insertAdjacentElement("afterend", button);
});
