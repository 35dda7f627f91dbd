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

  // The unread count in the top bar, fetched again every
  // data-refresh-seconds (notifications.refresh_time; 0 turns it off).
  // A failed fetch keeps the last count and tries again next time.
  var bell = document.getElementById('aa-notifications');
  var badge = document.getElementById('aa-notifications-count');
  var seconds = bell ? parseInt(bell.dataset.refreshSeconds, 10) : 0;
  if (bell && badge && seconds > 0) {
    window.setInterval(function () {
      fetch(bell.dataset.countUrl, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || typeof data.unread_count !== 'number') return;
          badge.textContent = String(data.unread_count);
          badge.hidden = data.unread_count <= 0;
        })
        .catch(function () {});
    }, seconds * 1000);
  }
})();
