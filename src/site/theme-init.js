(function () {
  var stored = null;
  try {
    stored = localStorage.getItem('convbook:theme');
  } catch {
    // Storage disabled: follow the system.
  }
  var dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  var theme = stored === 'light' || stored === 'dark' ? stored : dark ? 'dark' : 'light';
  document.documentElement.dataset.theme = theme;
})();
