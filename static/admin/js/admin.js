// Admin pages: the select-all box of list pages and the filter box above
// multiple selects. Everything works without it; it only saves clicks.
(function () {
  'use strict';

  document.querySelectorAll('input.aa-admin-select-all').forEach(function (all) {
    var table = all.closest('table');
    all.addEventListener('change', function () {
      table.querySelectorAll('input.aa-admin-select-row').forEach(function (row) {
        row.checked = all.checked;
      });
    });
  });

  // Hides the options whose text does not contain the typed text; selected
  // options stay visible so nothing is chosen out of sight.
  document.querySelectorAll('input.aa-admin-filter').forEach(function (filter) {
    var select = document.getElementById(filter.getAttribute('data-filter-for'));
    if (!select) return;
    filter.addEventListener('input', function () {
      var text = filter.value.toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = text !== '' && !option.selected && option.text.toLowerCase().indexOf(text) === -1;
      });
    });
  });
})();
