// The class filter: « toute la 2nde » ticks (or unticks) every class of its level, a class unticked unticks it,
// and the line at the top names the chosen classes as they are ticked.
(function () {
  function update(filter) {
    var chosen = [], named = [];
    filter.querySelectorAll('[data-division-level]').forEach(function (level) {
      var boxes = level.querySelectorAll('input[name="division"]');
      var ticked = [];
      boxes.forEach(function (box) { if (box.checked) { ticked.push(box.value); } });
      chosen = chosen.concat(ticked);
      var all = level.querySelector('[data-level-all]');
      if (all) {
        all.checked = ticked.length === boxes.length;
        all.indeterminate = ticked.length > 0 && ticked.length < boxes.length;
      }
      // « toute la 2nde, TG3 » rather than 26 names.
      named = named.concat(all && all.checked ? [all.dataset.everyone] : ticked);
    });
    var line = filter.querySelector('[data-division-chosen]');
    line.textContent = '';
    if (!chosen.length) { line.textContent = line.dataset.none; return; }
    var label = document.createElement('span');
    label.className = 'muted';
    label.textContent = (chosen.length > 1 ? 'Classes choisies' : 'Classe choisie') + '\u00a0: ';
    var names = document.createElement('strong');
    names.textContent = named.join(', ');
    line.append(label, names);
  }
  document.querySelectorAll('[data-division-filter]').forEach(function (filter) {
    filter.addEventListener('change', function (event) {
      var box = event.target;
      if (box.matches('[data-level-all]')) {
        box.closest('[data-division-level]').querySelectorAll('input[name="division"]').forEach(function (other) {
          other.checked = box.checked;
        });
      }
      update(filter);
    });
    update(filter);
  });
})();
