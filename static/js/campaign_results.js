// The campaign page: « Copier le code » / « Copier le lien ». Without JavaScript (or clipboard access) the code and
// the link stay readable and selectable as plain text, and the buttons stay hidden.
(function () {
  if (!navigator.clipboard) { return; }
  var status = document.querySelector(".copy-status");
  document.querySelectorAll(".copy-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        if (status) { status.textContent = "Copié : " + button.dataset.copy; }
      }, function () {
        if (status) { status.textContent = "La copie n'a pas fonctionné : sélectionnez le texte et copiez-le."; }
      });
    });
  });
})();
