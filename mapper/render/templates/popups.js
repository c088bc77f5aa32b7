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

  // Claims in groups of what they count (subject + outcome), as `mapper claims`
  // prints them: each group's range across claimants, its spread (highest /
  // lowest) and its conservative figure, then its claims from the lowest figure
  // to the highest, so the disagreement reads down the list. A part whose whole
  // is in its group (a district within the same count's total) is listed but
  // does not count towards the range.
  function claimGroups(D, ks) {
    var c = D.claims, str = D.str, groups = [], byKey = {};
    ks.forEach(function (k) {
      var key = c.subject[k] + "|" + c.outcome[k];
      if (!byKey[key]) { byKey[key] = { subject: str(c.subject[k]), outcome: str(c.outcome[k]), ks: [] }; groups.push(byKey[key]); }
      byKey[key].ks.push(k);
    });
    // Deaths first, then the other outcomes, in the schema's order.
    groups.sort(function (a, b) {
      return OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) ||
        (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0);
    });
    groups.forEach(function (g) {
      var up = function (k) { return c.high[k] === null ? c.low[k] : c.high[k]; };
      g.ks.sort(function (a, b) { return c.low[a] - c.low[b] || up(a) - up(b) || (c.id[a] < c.id[b] ? -1 : 1); });
      var lo = null, hi = null, who = {}, low = {};
      g.ks.forEach(function (k) {
        who[c.claimant[k]] = true;
        if (c.part[k] >= 0 && g.ks.indexOf(c.part[k]) >= 0) { return; }
        if (lo === null || c.low[k] < lo) { lo = c.low[k]; low = {}; }
        if (c.low[k] === lo) { low[str(c.claimant[k])] = true; }
        if (hi === null || up(k) > hi) { hi = up(k); }
      });
      g.claimants = Object.keys(who).length;
      g.low = lo;
      g.high = hi;
      g.spread = lo > 0 ? Math.round(hi / lo * 100) / 100 : null;
      g.lowBy = Object.keys(low).sort();
    });
    return groups;
  }

  function groupSummary(D, g) {
    if (g.ks.length === 1) {
      var k = g.ks[0];
      return g.subject + " " + g.outcome + ": " + M.claimFigureText(D, k) + " (" + D.str(D.claims.claimant[k]) + ")";
    }
    var text = g.subject + " " + g.outcome + " \u00b7 " + g.claimants + " claimant" + (g.claimants === 1 ? "" : "s");
    if (g.low !== null) {
      text += " \u00b7 range " + (g.low === g.high ? g.low : g.low + "\u2013" + g.high);
      if (g.spread !== null && g.spread !== 1) { text += " \u00b7 spread " + g.spread + "\u00d7"; }
      if (g.claimants > 1) { text += " \u00b7 conservative " + g.low + " (" + g.lowBy.join(", ") + ")"; }
    }
    return text;
  }

  // One claim: who (side), the figure as stated, when, the quote and the source.
  function claimRow(D, k) {
    var c = D.claims, str = D.str;
    var row = el("div", "mapper-claim");
    row.setAttribute("data-claim", c.id[k]);
    var line = el("div", "mapper-claim-line");
    line.appendChild(el("span", "mapper-claim-figure", M.claimFigureText(D, k)));
    line.appendChild(el("strong", null, str(c.claimant[k])));
    if (c.side[k] >= 0) { line.appendChild(el("span", "mapper-side", " (" + str(c.side[k]) + ")")); }
    if (c.on[k] !== null) { line.appendChild(el("span", "mapper-side", ", " + M.humanDay(c.on[k], "day"))); }
    row.appendChild(line);
    if (c.part[k] >= 0) { row.appendChild(el("div", "mapper-muted", "part of claim " + c.id[c.part[k]] + "; never added to it")); }
    if (c.quote[k] >= 0) { row.appendChild(el("div", "mapper-quote", "\u201c" + str(c.quote[k]) + "\u201d")); }
    row.appendChild(M.appendCitation(el("div", "mapper-claim-source"), str(c.source[k])));
    return row;
  }

  // Groups of two to this many claims open unfolded: the disagreement shows at once;
  // a lone claim reads in full in its group's summary.
  var OPEN_GROUP_MAX = 6;
  var OUTCOME_ORDER = ["killed", "injured", "captured", "abducted", "arrested", "attacked"];

  // Every party's claims, grouped by what they count; long groups folded.
  function claimsTable(D, ks) {
    var wrap = el("div", "mapper-claims");
    if (!ks.length) { wrap.appendChild(el("p", "mapper-muted", "No casualty or other figures claimed.")); return wrap; }
    claimGroups(D, ks).forEach(function (g) {
      var det = el("details", "mapper-claim-group");
      if (g.ks.length > 1 && g.ks.length <= OPEN_GROUP_MAX) { det.open = true; }
      det.appendChild(el("summary", null, groupSummary(D, g)));
      g.ks.forEach(function (k, j) {
        var row = claimRow(D, k);
        // A source already cited just above is not repeated in full.
        if (j > 0 && D.claims.source[k] === D.claims.source[g.ks[j - 1]]) {
          var src = row.querySelector(".mapper-claim-source");
          src.textContent = "same source as above";
        }
        det.appendChild(row);
      });
      wrap.appendChild(det);
    });
    return wrap;
  }

  // Which claims size a marker or disc, under the current choice of figures, and the arithmetic.
  function sizeLine(app, value, used, what) {
    var line = el("p", "mapper-muted mapper-size-line");
    if (used) {
      var ids = used.map(function (k) { return app.D.claims.id[k]; }).join(", ");
      line.textContent = what + ": " + M.sizeText(app.D, app.figureMode, value, used) +
        " (" + app.figuresLabel() + "; claim" + (used.length > 1 ? "s " : " ") + ids + ")";
    } else {
      line.textContent = what + ": no killed figure (" + app.figuresLabel() + ")";
    }
    return line;
  }

  // Descriptions longer than this fold behind their first words.
  var DESC_OPEN_MAX = 240;

  function description(text) {
    if (text.length <= DESC_OPEN_MAX) { return el("p", "mapper-desc", text); }
    var det = el("details", "mapper-desc");
    det.appendChild(el("summary", null, text.slice(0, 120).replace(/\s+\S*$/, "") + " \u2026"));
    det.appendChild(el("p", null, text));
    return det;
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
    var where = precision ? precision : "precision not given (drawn as approximate: the point may stand for a wider area)";
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
    // Columns of an imported table kept under the names the table gave them.
    var kept = D.raw.kept || { names: [] };
    for (var j = 0; j < kept.names.length; j++) { addRow(t, kept.names[j], str(kept.values[j][i])); }
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
    if (inc.desc[i] >= 0) { card.appendChild(description(str(inc.desc[i]))); }
    card.appendChild(sizeLine(app, app.figures.fig[i], app.figures.used[i], "Marker size"));
    card.appendChild(el("div", "mapper-section", "Claims, grouped by what they count"));
    var ks = Array.prototype.slice.call(D.incClaims.subarray(D.byInc[i], D.byInc[i + 1]));
    card.appendChild(claimsTable(D, ks));
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
    card.appendChild(sizeLine(app, app.figures.opFig[o], app.figures.opUsed[o], "Disc size"));
    card.appendChild(el("div", "mapper-section", "Claims about the whole operation"));
    card.appendChild(claimsTable(D, D.opClaims[o]));
    if (ops.desc[o] >= 0) { card.appendChild(description(str(ops.desc[o]))); }
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

  // Popups at most 360 px wide and scrollable, kept clear of the title box and
  // zoom buttons (top left) and of the open panel (top right) when they open.
  App.prototype.popupOptions = function () {
    var size = this.map.getSize(), box = this.map.getContainer().getBoundingClientRect();
    var top = 10, right = 10;
    var title = this.map.getContainer().querySelector(".mapper-title");
    if (title) { top = Math.max(top, title.getBoundingClientRect().bottom - box.top + 10); }
    var panel = document.getElementById("mapper-panel");
    if (panel && !panel.classList.contains("mapper-collapsed") && panel.offsetWidth < size.x / 2) {
      right = panel.offsetWidth + 20;
    }
    return {
      // Leaflet's widths are the content's: its margins make the popup 360 px at most.
      maxWidth: Math.min(310, size.x - 90),
      minWidth: Math.min(240, size.x - 90),
      maxHeight: Math.max(160, Math.min(420, size.y - top - 60)),
      autoPanPaddingTopLeft: [10, top],
      autoPanPaddingBottomRight: [right, 10]
    };
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
    L.popup(this.popupOptions()).setLatLng(e.latlng).setContent(box).openOn(this.map);
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
        L.popup(this.popupOptions()).setLatLng(e.latlng)
          .setContent(operationCard(this, o, op.inWindow, op.total)).openOn(this.map);
        return;
      }
    }
  };
}(window.mapperPage));
