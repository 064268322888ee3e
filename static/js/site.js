// Small progressive enhancements; every page works without them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Selects marked data-autosubmit (the language switcher) submit their form on change;
  // their submit button stays for keyboard and no-JavaScript users.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  // Links and buttons marked data-confirm ask before acting.
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
    }
  });
});

// The record picker (core/widgets/picker.html): with HTMX the options follow the search box as one
// types (hx-get on the input); Enter in the box, and its Search button, search in place instead of
// submitting the whole form. Without JavaScript both submit the form and the page comes back with
// the matches.
function pickerSearch(input) {
  if (!window.htmx) {
    return false;
  }
  window.htmx.trigger(input, "search");
  return true;
}

document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key === "Enter" && input.matches && input.matches(".picker-search input[type='search']")) {
    event.preventDefault();
    pickerSearch(input);
  }
});

document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-picker-find]");
  const input = button && button.closest(".picker-search").querySelector("input[type='search']");
  if (input && pickerSearch(input)) {
    event.preventDefault();
  }
});

// The saved-filters panel (accounts/includes/saved_filters.html) saves the query its page was drawn
// with; a list that swaps its results with HTMX (the directory) pushes the new filters into the
// address bar, so the form saves the address bar's query instead. Without JavaScript nothing is
// swapped and the page's own query is the current one.
document.addEventListener("submit", (event) => {
  const form = event.target.closest(".saved-filter-form");
  const query = form && form.querySelector("input[name='saved_filter-query']");
  if (query) {
    query.value = window.location.search.replace(/^\?/, "");
  }
});
