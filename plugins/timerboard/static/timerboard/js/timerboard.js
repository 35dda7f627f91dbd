// The live parts of the timer list: the current EVE time, each timer's
// local time, and the countdown to each next timer. The page renders every
// time in UTC with an explicit zone (ISO 8601 ending in Z), and this script
// only formats those. It is a file because the Content-Security-Policy
// forbids inline scripts.
(function () {
  'use strict';

  var board = document.getElementById('timerboard');
  if (!board) return;

  var language = document.documentElement.lang || undefined;
  var elapsedText = board.getAttribute('data-text-elapsed') || '';

  // The server's clock at render time, so the EVE clock and countdowns do
  // not depend on the browser's clock being set right.
  var clock = document.getElementById('timerboard-eve-clock');
  var offset = 0;
  if (clock) {
    var serverTime = Date.parse(clock.getAttribute('data-server-time'));
    if (!isNaN(serverTime)) offset = serverTime - Date.now();
  }

  function now() {
    return Date.now() + offset;
  }

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(language, options);
    } catch (error) {
      // An unknown language tag falls back to the browser's default.
      return new Intl.DateTimeFormat(undefined, options);
    }
  }

  var eveClock = formatter({
    timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'
  });
  var localTime = formatter({ weekday: 'short', hour: '2-digit', minute: '2-digit' });

  // "3d 23h 59m 31s", without the leading zero units.
  function formatCountdown(milliseconds) {
    var seconds = Math.floor(milliseconds / 1000);
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var parts = [];
    if (days > 0) parts.push(days + 'd');
    if (days > 0 || hours > 0) parts.push(hours + 'h');
    if (days > 0 || hours > 0 || minutes > 0) parts.push(minutes + 'm');
    parts.push((seconds % 60) + 's');
    return parts.join(' ');
  }

  document.querySelectorAll('time.timerboard-local').forEach(function (element) {
    var time = Date.parse(element.getAttribute('datetime'));
    if (!isNaN(time)) element.textContent = localTime.format(new Date(time));
  });

  var countdowns = [];
  document.querySelectorAll('.timerboard-countdown').forEach(function (element) {
    var time = Date.parse(element.getAttribute('data-eve-time'));
    if (!isNaN(time)) countdowns.push({ element: element, time: time });
  });

  function tick() {
    var current = now();
    if (clock) clock.textContent = eveClock.format(new Date(current));
    countdowns.forEach(function (countdown) {
      var left = countdown.time - current;
      countdown.element.textContent = left > 0 ? formatCountdown(left) : elapsedText;
    });
  }

  tick();
  window.setInterval(tick, 1000);
})();
