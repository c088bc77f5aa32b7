/* list.js: the incidents in view as page text: a table sortable by each column, a search box over
 * places, actors and descriptions, and rows that open their incident; plus the hover tooltip.
 *
 * The list follows the time window, the layers and the map view.  Only the first ROWS_SHOWN rows
 * (in the chosen order) become DOM rows, with a count of the rest, so that a window change at
 * 100,000 incidents stays fast: sorting uses one packed Float64Array (key and index in one number)
 * and the native numeric sort.
 */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;

  var ROWS_SHOWN = 100;
  // Key and index packed in one float: key * 2^21 + index (at most 2,097,152 incidents).
  var PACK = 2097152;
  var COLUMNS = [
    ["date", "Date"], ["place", "Place"], ["type", "Type"], ["figure", "Killed (claimant)"]
  ];

  // The figure that sizes incident ``i``'s marker under the reader's choice (figures.js), and the
  // claimants whose claims give it; null without a figure.
  M.markerFigure = function (app, i) {
    var value = app.figures.fig[i];
    if (isNaN(value)) { return null; }
    var D = app.D, names = [];
    (app.figures.used[i] || []).forEach(function (k) {
      var who = D.str(D.claims.claimant[k]);
      if (who && names.indexOf(who) < 0) { names.push(who); }
    });
    return { value: value, claimants: names };
  };

  M.figureText = function (f) {
    if (!f) { return "no killed figure"; }
    return f.value + " killed" + (f.claimants.length ? " (" + f.claimants.join(", ") + ")" : "");
  };

  // A start day as compact as its precision: 2023, 2025-03, 2026-01-31.
  M.shortDay = function (D, i) {
    var iso = M.isoDay(D.d0[i]);
    var dp = D.dayPrecisions[D.inc.dp[i]] || "day";
    var text = dp === "year" ? iso.slice(0, 4) : dp === "month" ? iso.slice(0, 7) : iso;
    if (dp === "week") { text = "week of " + text; }
    if (D.inc.has_end[i] && D.d1[i] !== D.d0[i]) {
      // The end without the year (or month) it shares with the start: 2026-01-31 - 02-01.
      var end = M.isoDay(D.d1[i]), same = end.slice(0, 4) === iso.slice(0, 4) ? 5 : 0;
      text += " \u2013 " + end.slice(same);
    }
    return text;
  };

  // --- which incidents: in view, visible, matching the search ---------------

  // The normalized Mercator box of the map view.
  function viewBox(map) {
    var b = map.getPixelBounds(), s = map.options.crs.scale(map.getZoom());
    return [b.min.x / s, b.min.y / s, b.max.x / s, b.max.y / s];
  }

  // Per string code, 1 when it contains ``word`` (lower case); the lower-cased table is made once.
  function stringMatches(app, word) {
    var D = app.D;
    if (!app._lower) { app._lower = D.S.map(function (s) { return String(s).toLowerCase(); }); }
    var lower = app._lower, hit = new Uint8Array(lower.length);
    for (var s = 0; s < lower.length; s++) { if (lower[s].indexOf(word) >= 0) { hit[s] = 1; } }
    return hit;
  }

  // The search query as per-word tests over an incident's texts (every word must be found).
  function searchTest(app, query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    if (!words.length) { return null; }
    var D = app.D, inc = D.inc;
    var fields = [inc.place, inc.matched, inc.district, inc.a1, inc.a2, inc.desc, inc.sub];
    var tests = words.map(function (w) {
      var hit = stringMatches(app, w);
      var typeHit = D.types.map(function (t) { return t.toLowerCase().indexOf(w) >= 0; });
      return { hit: hit, typeHit: typeHit };
    });
    return function (i) {
      for (var t = 0; t < tests.length; t++) {
        var ok = tests[t].typeHit[D.type[i]];
        for (var f = 0; !ok && f < fields.length; f++) {
          var code = fields[f][i];
          if (code >= 0 && tests[t].hit[code]) { ok = true; }
        }
        if (!ok) { return false; }
      }
      return true;
    };
  }

  // Ranks of the codes of one text column in alphabetical order (made once per column).
  function textRanks(app, column) {
    app._ranks = app._ranks || {};
    if (app._ranks[column]) { return app._ranks[column]; }
    var D = app.D, codes = D.inc[column], seen = {}, used = [];
    for (var i = 0; i < D.n; i++) { if (!seen[codes[i]]) { seen[codes[i]] = true; used.push(codes[i]); } }
    used.sort(function (a, b) { return D.str(a).localeCompare(D.str(b)); });
    var rank = {};
    used.forEach(function (code, r) { rank[code] = code < 0 ? used.length : r; });
    app._ranks[column] = rank;
    return rank;
  }

  App.prototype._sortKey = function () {
    var D = this.D, by = this.listSort.by, fig = this.figures.fig;
    if (by === "date") { return function (i) { return D.d0[i] + 100000; }; }
    if (by === "figure") {
      // No figure sorts after every figure, either way round.
      var none = this.listSort.desc ? -1 : 1e9;
      return function (i) { return isNaN(fig[i]) ? none : fig[i]; };
    }
    if (by === "type") {
      var typeRank = D.types.map(function (t) { return D.types.filter(function (u) { return u < t; }).length; });
      return function (i) { return typeRank[D.type[i]]; };
    }
    var rank = textRanks(this, "place");
    return function (i) { return rank[D.inc.place[i]]; };
  };

  // The incidents of the list, in order: {total in view, matching, first ROWS_SHOWN indices}.
  App.prototype.listRows = function (sorted) {
    var D = this.D, vis = this.visible, box = viewBox(this.map);
    // The query's per-string matches are kept until the query changes (not per window change).
    if (!this._search || this._search.query !== this.listQuery) {
      this._search = { query: this.listQuery, test: searchTest(this, this.listQuery) };
    }
    var test = this._search.test;
    var picked = this._listPicked || (this._listPicked = new Int32Array(D.n));
    var inView = 0, m = 0;
    for (var i = 0; i < D.n; i++) {
      if (!vis[i]) { continue; }
      var x = D.X[i], y = D.Y[i];
      if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) { continue; }
      inView++;
      if (test && !test(i)) { continue; }
      picked[m++] = i;
    }
    // Folded, the list only shows its count: no rows to sort.
    if (sorted === false) { return { inView: inView, matching: m, rows: [] }; }
    var key = this._sortKey(), sign = this.listSort.desc ? -1 : 1;
    var packed = new Float64Array(m);
    for (var j = 0; j < m; j++) { packed[j] = sign * key(picked[j]) * PACK + picked[j]; }
    packed.sort();
    var rows = [];
    for (j = 0; j < Math.min(m, ROWS_SHOWN); j++) {
      var v = packed[j];
      rows.push(v - Math.floor(v / PACK) * PACK);
    }
    return { inView: inView, matching: m, rows: rows };
  };

  // --- the control ------------------------------------------------------------

  App.prototype._buildList = function () {
    var self = this;
    this.listQuery = "";
    this.listSort = { by: "date", desc: true };
    var Control = L.Control.extend({ options: { position: "bottomleft" }, onAdd: function () { return self._listBox(); } });
    new Control().addTo(this.map);
    this.map.on("moveend", function () { self._updateList(); });
  };

  App.prototype._listBox = function () {
    var self = this;
    var box = el("section", "mapper-list leaflet-bar");
    box.setAttribute("aria-label", "Incidents in view");
    var toggle = el("button", "mapper-list-toggle");
    toggle.type = "button";
    box.appendChild(toggle);
    var body = el("div", "mapper-list-body");
    body.id = "mapper-list-body";
    toggle.setAttribute("aria-controls", body.id);
    var search = el("input", "mapper-search");
    search.type = "search";
    search.placeholder = "Search place, actors, text";
    search.setAttribute("aria-label", "Search the incidents in view by place, actors and description");
    search.addEventListener("input", function () { self.listQuery = search.value.trim(); self._updateList(); });
    body.appendChild(search);
    this.listCount = el("p", "mapper-list-count");
    this.listCount.setAttribute("aria-live", "polite");
    body.appendChild(this.listCount);
    var scroll = el("div", "mapper-list-scroll");
    var table = el("table", "mapper-list-table");
    var head = el("tr");
    this.listHeads = COLUMNS.map(function (col) {
      var th = el("th");
      th.setAttribute("scope", "col");
      th.setAttribute("data-sort", col[0]);
      var b = el("button", "mapper-sort", col[1]);
      b.type = "button";
      b.addEventListener("click", function () {
        var s = self.listSort;
        // A new column starts in its natural order: latest, A-Z, A-Z, most killed.
        if (s.by === col[0]) { s.desc = !s.desc; } else { s.by = col[0]; s.desc = col[0] === "date" || col[0] === "figure"; }
        self._updateList();
      });
      th.appendChild(b);
      head.appendChild(th);
      return th;
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    this.listBody = el("tbody");
    this.listBody.addEventListener("keydown", function (e) { self._listKey(e); });
    table.appendChild(this.listBody);
    scroll.appendChild(table);
    body.appendChild(scroll);
    box.appendChild(body);
    this.listBox = box;
    this.listToggle = toggle;
    // Open at first only where it leaves the map most of the screen; else one click away.
    var roomy = window.matchMedia && window.matchMedia("(min-width: 1400px) and (min-height: 850px)").matches;
    this._setListOpen(roomy);
    toggle.addEventListener("click", function () { self._setListOpen(box.classList.contains("mapper-list-closed")); });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };

  App.prototype._setListOpen = function (open) {
    this.listBox.classList.toggle("mapper-list-closed", !open);
    this.listToggle.setAttribute("aria-expanded", open ? "true" : "false");
    this._listSig = null;
    this._updateList();
  };

  // Up and down arrows move between rows; Enter or Space opens the row's incident.
  App.prototype._listKey = function (e) {
    var row = e.target.closest ? e.target.closest("tr") : null;
    if (!row) { return; }
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      this.openIncident(Number(row.getAttribute("data-row")));
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      var next = e.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
      if (next) { e.preventDefault(); next.focus(); }
    }
  };

  // Popup options (popups.js keeps cards clear of the title and the panel) also kept clear of
  // the open list: beside it when there is room, else above it; where neither fits (a phone),
  // the list folds.
  var cardOptions = App.prototype.popupOptions;
  App.prototype.popupOptions = function () {
    var opts = cardOptions.call(this);
    if (!this.listBox || this.listBox.classList.contains("mapper-list-closed")) { return opts; }
    var size = this.map.getSize(), c = this.map.getContainer().getBoundingClientRect();
    var top = opts.autoPanPaddingTopLeft[1], right = opts.autoPanPaddingBottomRight[0];
    var b = this.listBox.getBoundingClientRect();
    var listRight = b.right - c.left, listTop = b.top - c.top;
    if (size.x - listRight - right >= 400) {
      // Beside the list, and so beside the title above it.
      opts.autoPanPaddingTopLeft = [listRight + 10, 80];
    } else if (listTop - top >= 300) {
      opts.autoPanPaddingBottomRight = [10, size.y - listTop + 10];
      opts.maxHeight = listTop - top - 60;
    } else {
      this._setListOpen(false);
    }
    return opts;
  };

  // Open incident ``i``'s card at its place.
  App.prototype.openIncident = function (i) {
    var D = this.D;
    var box = el("div", "mapper-popup");
    box.appendChild(M.incidentCard(this, i));
    L.popup(this.popupOptions()).setLatLng([D.inc.lat[i] / 1e5, D.inc.lon[i] / 1e5]).setContent(box).openOn(this.map);
  };

  // Refresh the list after a change; the work runs once at the end of the current task, so a
  // change of both ends of the window (or a layer and the window) refreshes it once.
  App.prototype._updateList = function () {
    if (!this.listBox || this._listQueued) { return; }
    var self = this;
    this._listQueued = true;
    window.queueMicrotask(function () { self._listQueued = false; self._refreshList(); });
  };

  App.prototype._refreshList = function () {
    var t0 = performance.now();
    var open = !this.listBox.classList.contains("mapper-list-closed");
    var r = this.listRows(open);
    this.listToggle.textContent = "Incidents in view (" + r.inView + ")";
    var text = r.inView + " in view";
    if (this.listQuery) { text += ", " + r.matching + " matching \u201c" + this.listQuery + "\u201d"; }
    if (r.matching > r.rows.length) { text += "; showing the first " + r.rows.length + ": search, zoom in or narrow the time window for the rest"; }
    this.listCount.textContent = text;
    var s = this.listSort;
    this.listHeads.forEach(function (th) {
      var by = th.getAttribute("data-sort");
      th.setAttribute("aria-sort", by === s.by ? (s.desc ? "descending" : "ascending") : "none");
    });
    if (open) { this._fillRows(r.rows); }
    this.lastListMs = performance.now() - t0;
  };

  // One pooled row: its cells are refilled, not rebuilt, when the list changes.
  App.prototype._newRow = function () {
    var self = this;
    var row = el("tr", "mapper-list-row");
    row.tabIndex = 0;
    row.appendChild(el("td", "mapper-list-date"));
    row.appendChild(el("td"));
    var type = el("td");
    type.appendChild(el("span", "mapper-swatch"));
    type.appendChild(document.createTextNode(""));
    row.appendChild(type);
    row.appendChild(el("td", "mapper-list-figure"));
    row.addEventListener("click", function () { self.openIncident(Number(row.getAttribute("data-row"))); });
    return row;
  };

  // The DOM rows, refilled only when they change (an unchanged list keeps the reader's focus).
  App.prototype._fillRows = function (rows) {
    var sig = rows.join(",") + "|" + this.figureMode;
    if (sig === this._listSig) { return; }
    this._listSig = sig;
    var D = this.D, body = this.listBody;
    var pool = this._rowPool || (this._rowPool = []);
    var active = document.activeElement;
    var focused = active && active.parentNode === body ? active.getAttribute("data-row") : null;
    if (!this._emptyRow) {
      this._emptyRow = el("tr");
      var td = el("td", "mapper-muted", "No incidents here: zoom out, widen the time window or change the search.");
      td.colSpan = COLUMNS.length;
      this._emptyRow.appendChild(td);
    }
    if (!rows.length) { body.appendChild(this._emptyRow); } else if (this._emptyRow.parentNode) { body.removeChild(this._emptyRow); }
    for (var k = 0; k < rows.length; k++) {
      var i = rows[k], row = pool[k] || (pool[k] = this._newRow());
      var cells = row.childNodes;
      row.setAttribute("data-row", String(i));
      row.setAttribute("data-incident", D.inc.id[i]);
      cells[0].textContent = M.shortDay(D, i);
      cells[1].textContent = D.str(D.inc.place[i]) || "(place not given)";
      cells[2].firstChild.style.background = M.colourOf(D.types[D.type[i]]);
      cells[2].lastChild.nodeValue = D.types[D.type[i]];
      var f = M.markerFigure(this, i);
      cells[3].textContent = f ? f.value + (f.claimants.length ? " (" + f.claimants.join(", ") + ")" : "") : "\u2013";
      if (row.parentNode !== body) { body.appendChild(row); }
    }
    for (k = rows.length; k < pool.length; k++) { if (pool[k].parentNode) { body.removeChild(pool[k]); } }
    // Focus follows its incident when it moved; it stays put when that incident left the list.
    if (focused !== null) {
      var at = rows.indexOf(Number(focused));
      if (at >= 0 && pool[at] !== document.activeElement) { pool[at].focus({ preventScroll: true }); }
    }
  };

  // --- hover: what a marker is, without clicking it ----------------------------

  App.prototype._buildHover = function () {
    var self = this, map = this.map;
    var tip = el("div", "mapper-hover");
    tip.setAttribute("role", "tooltip");
    tip.style.display = "none";
    map.getContainer().appendChild(tip);
    this.hoverTip = tip;
    var pending = null;
    map.on("mousemove", function (e) {
      // Over the title, panel or list: no tooltip for the markers beneath them.
      var target = e.originalEvent && e.originalEvent.target;
      if (self._cardOpen || (target && target.closest && target.closest(".leaflet-control, .leaflet-popup"))) {
        pending = null;
        tip.style.display = "none";
        return;
      }
      pending = e.containerPoint;
      window.requestAnimationFrame(function () {
        if (pending) { self._hover(pending); pending = null; }
      });
    });
    map.on("mouseout movestart zoomstart", function () { tip.style.display = "none"; });
    // No tooltip while a card is open: it would cover the card.
    map.on("popupopen", function () { self._cardOpen = true; tip.style.display = "none"; });
    map.on("popupclose", function () { self._cardOpen = false; });
    // Escape closes an open card wherever the focus is (a row, a chooser, the map).
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { map.closePopup(); }
    });
  };

  // The markers under container point ``p``, topmost first.
  App.prototype.incidentsAt = function (p, slack) {
    var drawn = this.canvas.drawn, hits = [];
    if (!drawn || drawn.mode !== "points") { return hits; }
    for (var k = drawn.items.length - 1; k >= 0; k--) {
      var it = drawn.items[k];
      if (Math.hypot(it.x - p.x, it.y - p.y) <= it.r + slack) { hits.push(it.i); }
    }
    return hits;
  };

  App.prototype._hover = function (p) {
    var tip = this.hoverTip, D = this.D;
    var hits = this.incidentsAt(p, 3);
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    if (!hits.length) {
      var cell = this._cellAt(p);
      if (!cell) { tip.style.display = "none"; return; }
      tip.appendChild(el("div", null, cell.n + " incidents: click to zoom in"));
    } else {
      var i = hits[0];
      tip.appendChild(el("strong", null, D.str(D.inc.place[i]) || "(place not given)"));
      tip.appendChild(el("div", null, M.shortDay(D, i) + " \u00b7 " + D.types[D.type[i]]));
      tip.appendChild(el("div", null, "Marker size: " + M.figureText(M.markerFigure(this, i))));
      if (hits.length > 1) { tip.appendChild(el("div", "mapper-hover-more", (hits.length - 1) + " more here: click to choose")); }
    }
    tip.style.display = "block";
    var size = this.map.getSize();
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(size.x - w - 4, p.x + 14)) + "px";
    tip.style.top = Math.max(4, p.y - h - 12 < 4 ? p.y + 18 : p.y - h - 12) + "px";
  };

  App.prototype._cellAt = function (p) {
    var drawn = this.canvas.drawn;
    if (!drawn || drawn.mode !== "grid") { return null; }
    for (var c = 0; c < drawn.cells.length; c++) {
      var cell = drawn.cells[c];
      if (Math.hypot(cell.x - p.x, cell.y - p.y) <= cell.r + 2) { return cell; }
    }
    return null;
  };
}(window.mapperPage));
