// Small behaviours of the site's pages, in a file rather than inline: the Content-Security-Policy allows only
// this site's script files. Each one works by event delegation (also inside fragments that htmx swaps in) and
// does nothing on a page without its elements; without JavaScript the pages keep working.
(function () {
  "use strict";

  // Tabs without reloading the page (the invitation page, a campaign's « Je crée mon compte »): the links keep
  // working without JavaScript.
  document.addEventListener("click", function (event) {
    var tab = event.target.closest('[role="tablist"] [role="tab"][aria-controls]');
    if (!tab) return;
    event.preventDefault();
    tab.closest('[role="tablist"]').querySelectorAll('[role="tab"][aria-controls]').forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      var panel = document.getElementById(other.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    });
  });

  // A form that asks before it is sent (« Annuler l'invitation de … ? »): data-confirm="the question".
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    // « Voir ce que je tape »: the password fields of the same form as text while it is ticked.
    if (target.matches("[data-show-password]")) {
      target.form.querySelectorAll("input[data-password-field]").forEach(function (input) {
        input.type = target.checked ? "text" : "password";
      });
    }
    // « Cocher les élèves de la page »: every box of the page at once.
    if (target.id === "select-page") {
      document.querySelectorAll('input[name="learners"][form="selection"]').forEach(function (box) {
        box.checked = target.checked;
      });
    }
    // A campaign's sign-up: the e-mail field only for « Mon adresse e-mail ».
    if (target.matches(".login-choice input")) loginChoice();
    // A campaign's form: the target profile only for an assessment.
    if (target.matches("input[name='type']")) campaignType();
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-counter]")) counter(event.target);
  });

  function loginChoice() {
    var email = document.querySelector(".login-email");
    if (!email) return;
    var checked = document.querySelector(".login-choice input:checked");
    email.hidden = !checked || checked.value !== email.dataset.loginKind;
  }

  function campaignType() {
    var field = document.getElementById("target-profile-field");
    var checked = document.querySelector("input[name='type']:checked");
    if (!field || !checked) return;
    var profiles = checked.value === "PROFILES_COLLECTION";
    field.hidden = profiles;
    if (profiles) field.querySelector("select").value = "";
  }

  function counter(text) {
    var output = document.getElementById(text.dataset.counter);
    if (output) output.textContent = text.value.length.toLocaleString("fr-FR") + " / 5 000 caractères";
  }

  // What each page shows once the script runs (and again in what htmx swaps in).
  function setUp(root) {
    root.querySelectorAll("[data-show-password]").forEach(function (box) {
      var label = box.closest(".show-password");
      if (label) label.hidden = false;
      box.form.querySelectorAll('input[type="password"]').forEach(function (input) {
        input.dataset.passwordField = "";
      });
    });
    root.querySelectorAll("textarea[data-counter]").forEach(counter);
    loginChoice();
    campaignType();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
})();
