// Applies the saved theme before first paint so the page never flashes the wrong colours.
// A separate file (not inline) because the server's Content-Security-Policy forbids inline scripts.
;(function () {
  try {
    var pref = localStorage.getItem('peekaping.theme') || 'system'
    var dark = pref === 'dark' || (pref === 'system' && matchMedia('(prefers-color-scheme: dark)').matches)
    document.documentElement.classList.toggle('dark', dark)
  } catch {
    // No storage: the CSS default (light) stays until the app starts.
  }
})()
