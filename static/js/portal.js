// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
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
// The phone menu: without JS the "Menu" link jumps to #menu (shown by :target); with JS it is a
// toggle button that says whether the menu is open.
document.querySelectorAll("a.menu-toggle").forEach(function (link) {
  var menu = document.getElementById(link.getAttribute("aria-controls"));
  if (!menu) { return; }
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = link.className;
  toggle.innerHTML = link.innerHTML;
  toggle.setAttribute("aria-controls", menu.id);
  toggle.setAttribute("aria-expanded", "false");
  link.replaceWith(toggle);
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    var open = !menu.classList.contains("is-open");
    menu.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  });
  menu.querySelectorAll(".phone-menu-close a").forEach(function (close) {
    close.addEventListener("click", function (event) {
      event.preventDefault();
      menu.classList.remove("is-open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    });
  });
});
