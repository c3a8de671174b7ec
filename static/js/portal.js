// Progressive enhancement only: every page works without this file.
if (window.htmx) {
  // Forms answer 422 with the form and its messages: swap those in like a success.
  window.htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "422", swap: true },
    { code: "[45]..", swap: false, error: true },
  ];
}
if (window.DKFDS) { window.DKFDS.init(); }
