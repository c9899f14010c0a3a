// The report reads without this script; it adds the objective-pair selector and sorting, and
// leaves what it found in the body's data attributes for the browser check (.ci/check-report.sh).
(function () {
  'use strict';
  var body = document.body;
  var errors = 0;
  window.addEventListener('error', function () {
    errors++;
    body.setAttribute('data-js-errors', String(errors));
  });

  var select = document.getElementById('pair');
  var pairs = document.querySelectorAll('figure.pair');
  function showPair(value) {
    for (var i = 0; i < pairs.length; i++) {
      pairs[i].hidden = pairs[i].getAttribute('data-pair') !== value;
    }
    count();
  }
  if (select) {
    select.addEventListener('change', function () { showPair(select.value); });
  }

  function visibleScatter() {
    for (var i = 0; i < pairs.length; i++) {
      if (!pairs[i].hidden) {
        return pairs[i].querySelector('svg.scatter');
      }
    }
    return null;
  }

  function count() {
    var svg = visibleScatter();
    body.setAttribute('data-drawn-points', String(svg ? svg.querySelectorAll('circle.pt').length : 0));
    body.setAttribute('data-drawn-front', String(svg ? svg.querySelectorAll('circle.pt.front').length : 0));
    var table = document.querySelector('table.trials');
    body.setAttribute('data-drawn-rows', String(table ? table.tBodies[0].rows.length : 0));
  }

  var table = document.querySelector('table.trials');
  if (table) {
    var heads = table.tHead.rows[0].cells;
    for (var c = 0; c < heads.length; c++) {
      heads[c].addEventListener('click', sorter(c));
      heads[c].title = 'sort by this column';
    }
  }
  function key(row, column) {
    var cell = row.cells[column];
    var v = cell.getAttribute('data-v');
    return v !== null ? parseFloat(v) : cell.textContent;
  }
  function sorter(column) {
    return function () {
      var head = heads[column];
      var ascending = !head.classList.contains('asc');
      for (var h = 0; h < heads.length; h++) {
        heads[h].classList.remove('asc', 'desc');
      }
      head.classList.add(ascending ? 'asc' : 'desc');
      var tbody = table.tBodies[0];
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = key(a, column), y = key(b, column);
        var d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return ascending ? d : -d;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    };
  }

  showPair(select ? select.value : '0-1');
  body.setAttribute('data-js', errors === 0 ? 'ready' : 'error');
})();
