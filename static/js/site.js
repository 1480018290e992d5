// Progressive enhancement only: every page works without this file.
// After htmx swaps new content in, move focus to its heading so keyboard and screen-reader
// users land on what changed (elements opt in with data-focus-after-swap).
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const focusable = target && target.matches("[data-focus-after-swap]") ? target : target?.querySelector("[data-focus-after-swap]");
  if (focusable) focusable.focus();
});

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
