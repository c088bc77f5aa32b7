/* popups.js: the cards of an incident, an operation and a site, and what a click on the map opens. */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;

  function addRow(table, label, value) {
    if (value === "" || value === null || value === undefined) { return; }
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    var td = el("td");
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = String(value); }
    tr.appendChild(td);
    table.appendChild(tr);
  }

  // Every party's claim side by side, as each gave it.
  function claimsTable(D, ks) {
    var c = D.claims, str = D.str;
    var wrap = el("div", "mapper-claims");
    if (!ks.length) { wrap.appendChild(el("p", "mapper-muted", "No casualty or other figures claimed.")); return wrap; }
    var table = el("table");
    var head = el("tr");
    ["Claimant", "Figure", "Claimed on", "Source"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    table.appendChild(head);
    ks.forEach(function (k) {
      var tr = el("tr", "mapper-claim");
      tr.setAttribute("data-claim", c.id[k]);
      var who = el("td");
      who.appendChild(el("strong", null, str(c.claimant[k])));
      if (c.side[k] >= 0) { who.appendChild(el("span", "mapper-side", " (" + str(c.side[k]) + ")")); }
      tr.appendChild(who);
      var what = el("td", null, M.claimFigureText(D, k) + " " + str(c.subject[k]) + " " + str(c.outcome[k]));
      if (c.quote[k] >= 0) { what.appendChild(el("div", "mapper-quote", "\u201c" + str(c.quote[k]) + "\u201d")); }
      tr.appendChild(what);
      tr.appendChild(el("td", null, c.on[k] === null ? "" : M.isoDay(c.on[k])));
      tr.appendChild(M.appendCitation(el("td"), str(c.source[k])));
      table.appendChild(tr);
    });
    wrap.appendChild(table);
    return wrap;
  }

  // Which claims size a marker or disc, under the current choice of figures.
  function sizeLine(app, value, used, what) {
    var line = el("p", "mapper-muted mapper-size-line");
    if (used) {
      var ids = used.map(function (k) { return app.D.claims.id[k]; }).join(", ");
      line.textContent = what + ": " + value + " killed (" + app.figuresLabel() + "; claims " + ids + ")";
    } else {
      line.textContent = what + ": no killed figure (" + app.figuresLabel() + ")";
    }
    return line;
  }

  function incidentFacts(D, i) {
    var inc = D.inc, str = D.str;
    var dp = D.dayPrecisions[inc.dp[i]] || "day";
    var when = M.humanDay(D.d0[i], dp);
    if (inc.has_end[i]) { when += " \u2013 " + M.humanDay(D.d1[i], "day"); }
    var t = el("table", "mapper-facts");
    addRow(t, "Date", when);
    addRow(t, "Event", D.types[D.type[i]] + (inc.sub[i] >= 0 ? " \u2014 " + str(inc.sub[i]) : ""));
    addRow(t, "Status", str(inc.status[i]));
    var precision = D.precisions[D.prec[i]] || "";
    var where = precision ? precision : "";
    if (precision && precision !== "exact") {
      where += " (approximate, within about " + Math.round((M.UNCERTAINTY_M[precision] || 0) / 1000) + " km)";
    }
    if (!D.placed[i]) { where = "not placed on the map: " + (str(inc.reason[i]) || "no location"); }
    addRow(t, "Location", where);
    var admin = [str(inc.district[i]), str(inc.province[i]), str(inc.country[i])].filter(Boolean).join(", ");
    addRow(t, "Area", admin);
    if (inc.matched[i] >= 0 && str(inc.matched[i]) !== str(inc.place[i])) { addRow(t, "Matched as", str(inc.matched[i])); }
    addRow(t, "Coordinates from", str(inc.locsrc[i]));
    var actors = [str(inc.a1[i]), str(inc.a2[i])].filter(Boolean).join(" vs ");
    addRow(t, "Actors", actors);
    if (inc.op[i] >= 0) { addRow(t, "Operation", M.operationName(D, inc.op[i])); }
    addRow(t, "Incident", inc.id[i]);
    return t;
  }

  M.incidentCard = function (app, i) {
    var D = app.D, inc = D.inc, str = D.str;
    var card = el("div", "mapper-card");
    card.setAttribute("data-incident", inc.id[i]);
    var h = el("div", "mapper-card-title");
    var sw = el("span", "mapper-swatch");
    sw.style.background = M.colourOf(D.types[D.type[i]]);
    h.appendChild(sw);
    h.appendChild(document.createTextNode(str(inc.place[i]) || "(place not given)"));
    card.appendChild(h);
    card.appendChild(incidentFacts(D, i));
    if (inc.desc[i] >= 0) { card.appendChild(el("p", "mapper-desc", str(inc.desc[i]))); }
    card.appendChild(el("div", "mapper-section", "Claims, side by side"));
    var ks = Array.prototype.slice.call(D.incClaims.subarray(D.byInc[i], D.byInc[i + 1]));
    card.appendChild(claimsTable(D, ks));
    card.appendChild(sizeLine(app, app.figures.fig[i], app.figures.used[i], "Marker size"));
    if (inc.op[i] >= 0 && D.opClaims[inc.op[i]].length) {
      // Figures often exist only for a whole operation: show them beside the incident.
      card.appendChild(el("div", "mapper-section", "Claims about the whole operation: " +
        M.operationName(D, inc.op[i])));
      card.appendChild(claimsTable(D, D.opClaims[inc.op[i]]));
    }
    if (inc.src[i] >= 0) { card.appendChild(M.sourcesLine(str(inc.src[i]))); }
    return card;
  };

  function operationCard(app, o, inWindow, total) {
    var D = app.D, ops = D.raw.operations, str = D.str;
    var card = el("div", "mapper-card mapper-op-card");
    card.setAttribute("data-operation", ops.key[o]);
    card.appendChild(el("div", "mapper-card-title", M.operationName(D, o)));
    var t = el("table", "mapper-facts");
    var dates = ops.d0[o] === null ? "" : M.isoDay(ops.d0[o]) + (ops.d1[o] !== null && ops.d1[o] !== ops.d0[o] ? " \u2013 " + M.isoDay(ops.d1[o]) : "");
    addRow(t, "Dates", dates);
    addRow(t, "Actor", str(ops.actor[o]));
    addRow(t, "Incidents", inWindow + " of " + total + " in the time window");
    card.appendChild(t);
    if (ops.desc[o] >= 0) { card.appendChild(el("p", "mapper-desc", str(ops.desc[o]))); }
    card.appendChild(el("div", "mapper-section", "Claims about the whole operation"));
    card.appendChild(claimsTable(D, D.opClaims[o]));
    card.appendChild(sizeLine(app, app.figures.opFig[o], app.figures.opUsed[o], "Disc size"));
    if (ops.src[o] >= 0) { card.appendChild(M.sourcesLine(str(ops.src[o]))); }
    return card;
  }

  M.siteCard = function (D, s) {
    var sites = D.raw.sites, str = D.str;
    var card = el("div", "mapper-card");
    card.appendChild(el("div", "mapper-card-title", str(sites.name[s])));
    var t = el("table", "mapper-facts");
    addRow(t, "Kind", str(sites.kind[s]));
    addRow(t, "Location", str(sites.prec[s]));
    card.appendChild(t);
    if (sites.desc[s] >= 0) { card.appendChild(el("p", "mapper-desc", str(sites.desc[s]))); }
    if (sites.src[s] >= 0) { card.appendChild(M.sourcesLine(str(sites.src[s]))); }
    return card;
  };

  function pointInPolygon(x, y, pts) {
    var inside = false;
    for (var a = 0, b = pts.length - 1; a < pts.length; b = a++) {
      var xa = pts[a].x, ya = pts[a].y, xb = pts[b].x, yb = pts[b].y;
      if (((ya > y) !== (yb > y)) && (x < (xb - xa) * (y - ya) / (yb - ya) + xa)) { inside = !inside; }
    }
    return inside;
  }

  // A click: on a grid cell, zoom to its incidents; on markers, their cards; else an operation's card.
  App.prototype._onClick = function (e) {
    var drawn = this.canvas.drawn;
    if (!drawn) { return; }
    if (drawn.mode === "grid") { this._zoomToCell(e.containerPoint, drawn.cells); return; }
    if (this._openIncidents(e, drawn.items)) { return; }
    if (this.showOps) { this._openOperation(e); }
  };

  App.prototype._zoomToCell = function (p, cells) {
    for (var c = 0; c < cells.length; c++) {
      var cell = cells[c];
      if (Math.hypot(cell.x - p.x, cell.y - p.y) <= cell.r + 2) {
        var b = cell.bounds, scale = 1;
        var sw = this.map.options.crs.pointToLatLng(L.point(b[0] * 256, b[3] * 256), 0);
        var ne = this.map.options.crs.pointToLatLng(L.point(b[2] * 256, b[1] * 256), 0);
        this.map.fitBounds(L.latLngBounds(sw, ne).pad(0.1 * scale), { maxZoom: this.map.getZoom() + 3 });
        return;
      }
    }
  };

  App.prototype._openIncidents = function (e, items) {
    var p = e.containerPoint, self = this, hits = [];
    items.forEach(function (it) { if (Math.hypot(it.x - p.x, it.y - p.y) <= it.r + 3) { hits.push(it.i); } });
    if (!hits.length) { return false; }
    hits.sort(function (a, b) { return a - b; });
    // Several at one point: a chooser lists each (stack.js).
    if (hits.length > 1) { this.openChooser(e.latlng, hits, null); return true; }
    var box = el("div", "mapper-popup");
    box.appendChild(M.incidentCard(self, hits[0]));
    L.popup({ maxWidth: 380, maxHeight: 420, autoPanPadding: [10, 10] }).setLatLng(e.latlng).setContent(box).openOn(this.map);
    return true;
  };

  App.prototype._openOperation = function (e) {
    var p = e.containerPoint, self = this;
    for (var o = 0; o < this.opShapes.length; o++) {
      var op = this.opShapes[o];
      if (!op.on) { continue; }
      var pts = op.hull.map(function (ll) { return self.map.latLngToContainerPoint(ll); });
      var cp = this.map.latLngToContainerPoint(op.centre);
      var inside = Math.hypot(cp.x - p.x, cp.y - p.y) <= op.marker.getRadius() + 3 ||
        (pts.length >= 3 ? pointInPolygon(p.x, p.y, pts) : this.map.distance(e.latlng, op.hull[0]) <= 20000);
      if (inside) {
        L.popup({ maxWidth: 380, maxHeight: 420 }).setLatLng(e.latlng)
          .setContent(operationCard(this, o, op.inWindow, op.total)).openOn(this.map);
        return;
      }
    }
  };
}(window.mapperPage));
