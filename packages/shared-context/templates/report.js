(function () {
  var table = document.getElementById('findings');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById('filter-text');
  var sev = document.getElementById('filter-severity');
  var bot = document.getElementById('filter-bot');
  var count = document.getElementById('shown-count');
  function apply() {
    var q = text.value.toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!sev.value || r.dataset.severity === sev.value) && (!bot.value || r.dataset.bot === bot.value) && (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' shown';
  }
  var dir = {};
  table.tHead.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-key]');
    if (!b) return;
    var key = b.dataset.key;
    dir[key] = dir[key] === 1 ? -1 : 1;
    var d = dir[key];
    rows.sort(function (x, y) {
      var a = key === 'severity' ? +x.dataset.rank : x.dataset[key];
      var c = key === 'severity' ? +y.dataset.rank : y.dataset[key];
      return (a < c ? -1 : a > c ? 1 : 0) * d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
  [text, sev, bot].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
})();
