// Progressive enhancement only: every page works without this file.
// After htmx swaps new content in, move focus to its heading so keyboard and screen-reader
// users land on what changed (elements opt in with data-focus-after-swap).
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const focusable = target && target.matches("[data-focus-after-swap]") ? target : target?.querySelector("[data-focus-after-swap]");
  if (focusable) focusable.focus();
});
