// The request form's per-field check: the whole form is posted on "change" (hx-trigger on the form), and the
// server answers the error slot of the field that changed. htmx names the form as the trigger; name the input.
document.addEventListener("htmx:configRequest", (event) => {
  const changed = event.detail.triggeringEvent && event.detail.triggeringEvent.target;
  if (changed && changed.name) {
    event.detail.headers["HX-Trigger-Name"] = changed.name;
  }
});
