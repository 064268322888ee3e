// The stakeholder picker: Enter in its search box searches instead of submitting the whole form.
// The search itself is HTMX (hx-get on the input); this file only adds the keyboard nicety.
"use strict";

document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Enter" || !input.matches || !input.matches(".picker-search input[type='search']")) {
    return;
  }
  event.preventDefault();
  if (window.htmx) {
    window.htmx.trigger(input, "search");
  }
});
