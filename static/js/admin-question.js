// The question change form in the admin. Progressive enhancement: without it every answer column
// is shown on a new question, and a saved question's columns follow its saved kind (QuestionAdmin).
window.addEventListener("load", () => {
  // Show only the answer columns the chosen kind uses (static/css/admin.css).
  const kind = document.getElementById("id_kind");
  const answers = document.querySelector("#choices-group fieldset.module");
  if (kind && answers) {
    const follow = () => {
      for (const name of [...answers.classList]) if (name.startsWith("kind-")) answers.classList.remove(name);
      answers.classList.add(`kind-${kind.value}`);
    };
    kind.addEventListener("change", follow);
    follow();
  }
  nameAutocompletes();
  // Django's autocomplete.js draws the pickers from a jQuery ready handler, which may run after
  // this: name them when they appear too.
  new MutationObserver(nameAutocompletes).observe(document.body, { childList: true, subtree: true });
});

// The objective picker (select2): name it by its label, not only by the option it shows (none on a
// new question).
function nameAutocompletes() {
  for (const select of document.querySelectorAll("select.admin-autocomplete")) {
    const label = document.querySelector(`label[for="${select.id}"]`);
    const rendered = document.getElementById(`select2-${select.id}-container`);
    const combobox = rendered?.closest(".select2-selection");
    if (!label || !combobox) continue;
    label.id ||= `${select.id}-label`;
    const names = `${label.id} ${rendered.id}`;
    if (combobox.getAttribute("aria-labelledby") !== names) combobox.setAttribute("aria-labelledby", names);
    if (rendered.getAttribute("aria-labelledby") !== label.id) rendered.setAttribute("aria-labelledby", label.id);
  }
}
