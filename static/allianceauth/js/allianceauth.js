// Behaviour shared by every page. Pages load no inline scripts, so the
// Content-Security-Policy can forbid them.
(function () {
  'use strict';

  // Selects that submit their form on change, such as the language picker.
  document.querySelectorAll('select.aa-autosubmit').forEach(function (select) {
    select.addEventListener('change', function () {
      select.form.submit();
    });
  });
})();
