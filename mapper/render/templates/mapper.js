/* mapper: layered, time-filtered incident map drawn from one JSON block.
 *
 * Every text that comes from the data reaches the page through textContent or
 * createTextNode only: nothing here builds HTML from strings.  Incidents are
 * drawn on one canvas from typed arrays (no Leaflet object per incident), and
 * aggregated into a screen grid when too many are in view, so that 100,000 and
 * 1,000,000 incidents stay responsive.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  // Colour per ACLED event type; unknown types fall back to grey.
  var TYPE_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#8e44ad",
    "Violence against civilians": "#e67e22",
    "Protests": "#2471a3",
    "Riots": "#1e8449",
    "Strategic developments": "#5d6d7e"
  };
  // Uncertainty radius drawn around approximate locations, in metres.
  var UNCERTAINTY_M = { exact: 0, near: 5000, district: 30000, province: 150000, country: 400000 };
  // More incidents than this in view and they are aggregated into a grid.
  var MAX_INDIVIDUAL = 2500;
  // Above this many uncertainty rings in view, they are drawn as plain outlines.
  var RING_FILL_MAX = 60;
  var CELL_PX = 56;
  var BASE_RADIUS = 4;

  // --- small DOM helpers: text only -----------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function safeHttpUrl(text) {
    try {
      var u = new URL(text);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (err) {
      return null;
    }
  }

  // Citations as text; only http(s) URLs inside them become links.
  function appendCitation(parent, text) {
    var re = /https?:\/\/[^\s;,]+/gi;
    var last = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      var href = safeHttpUrl(m[0]);
      if (href) {
        var a = el("a", null, m[0]);
        a.setAttribute("href", href);
        a.setAttribute("target", "_blank");
        a.setAttribute("rel", "noopener noreferrer");
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(m[0]));
      }
      last = m.index + m[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
    return parent;
  }

  function isoDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function dayFromIso(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) { return null; }
    var t = Date.parse(text + "T00:00:00Z");
    return isNaN(t) ? null : Math.round(t / DAY_MS);
  }

  function humanDay(day, precision) {
    var d = new Date(day * DAY_MS);
    var y = d.getUTCFullYear();
    if (precision === "year") { return String(y); }
    if (precision === "month") { return MONTHS[d.getUTCMonth()] + " " + y; }
    var s = d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + y;
    return precision === "week" ? "week of " + s : s;
  }

  function slug(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  function colourOf(type) {
    return Object.prototype.hasOwnProperty.call(TYPE_COLOURS, type) ? TYPE_COLOURS[type] : "#7f8c8d";
  }

  // --- the data ----------------------------------------------------------------

  function decode(raw) {
    var S = raw.strings;
    function str(code) { return code >= 0 ? S[code] : ""; }
    var inc = raw.incidents;
    var n = inc.id.length;
    var X = new Float64Array(n), Y = new Float64Array(n);
    var d0 = Int32Array.from(inc.d0), d1 = Int32Array.from(inc.d1);
    var type = Uint8Array.from(inc.type), prec = Int8Array.from(inc.prec);
    var placed = Uint8Array.from(inc.placed);
    for (var i = 0; i < n; i++) {
      if (!placed[i]) { continue; }
      // Web Mercator in [0, 1]: pixel = value * 256 * 2^zoom.
      var lat = inc.lat[i] / 1e5, lon = inc.lon[i] / 1e5;
      X[i] = 0.5 + lon / 360;
      var s = Math.sin(lat * Math.PI / 180);
      Y[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    var c = raw.claims;
    var nc = c.id.length;
    // Claims of each incident and operation: CSR offsets over the sorted claim rows.
    var byInc = new Int32Array(n + 1);
    for (var k = 0; k < nc; k++) { if (c.inc[k] >= 0) { byInc[c.inc[k] + 1]++; } }
    for (i = 0; i < n; i++) { byInc[i + 1] += byInc[i]; }
    var incClaims = new Int32Array(byInc[n]);
    var fill = byInc.slice(0, n);
    var opClaims = raw.operations.key.map(function () { return []; });
    for (k = 0; k < nc; k++) {
      if (c.inc[k] >= 0) { incClaims[fill[c.inc[k]]++] = k; }
      if (c.op[k] >= 0) { opClaims[c.op[k]].push(k); }
    }
    return {
      raw: raw, S: S, str: str, n: n, X: X, Y: Y, d0: d0, d1: d1, type: type, prec: prec,
      placed: placed, inc: inc, claims: c, nc: nc, byInc: byInc, incClaims: incClaims,
      opClaims: opClaims, types: raw.types, precisions: raw.precisions,
      dayPrecisions: raw.date_precisions
    };
  }

  function claimFigureText(D, k) {
    var c = D.claims;
    var hi = c.high[k];
    return hi === null || hi === c.low[k] ? String(c.low[k]) : c.low[k] + "\u2013" + hi;
  }

  // The figure one choice gives to a group of claim rows list[a..b): per
  // subject of "killed" claims, the lowest low (conservative), the largest
  // figure (highest), or the largest figure one claimant gave; summed over
  // subjects. Claims that are parts of another claim are left out.  Returns null when no claim qualifies, else the claim rows used.
  function figureOver(D, mode, claimant, killed, list, a, b) {
    var c = D.claims, best = {}, bestK = {}, any = false;
    for (var j = a; j < b; j++) {
      var k = list[j];
      if (c.outcome[k] !== killed) { continue; }
      if (c.part[k]) { continue; }  // counted in its whole (a total of which it is a part)
      if (claimant !== null && c.claimant[k] !== claimant) { continue; }
      var value = mode === "conservative" ? c.low[k] : (c.high[k] === null ? c.low[k] : c.high[k]);
      var subj = c.subject[k];
      var better = !(subj in best) ||
        (mode === "conservative" ? value < best[subj] : value > best[subj]);
      if (better) { best[subj] = value; bestK[subj] = k; any = true; }
    }
    if (!any) { return null; }
    var total = 0, ks = [];
    for (var s in best) {
      if (Object.prototype.hasOwnProperty.call(best, s)) { total += best[s]; ks.push(bestK[s]); }
    }
    return { total: total, ks: ks };
  }

  // Figures of every incident and every operation for one choice.
  function computeFigures(D, mode) {
    var fig = new Float64Array(D.n).fill(NaN);
    var used = new Array(D.n);
    var nops = D.opClaims.length;
    var opFig = new Float64Array(nops).fill(NaN);
    var opUsed = new Array(nops);
    var killed = D.S.indexOf("killed");
    var claimant = null;
    if (mode.indexOf("claimant:") === 0) { claimant = D.S.indexOf(mode.slice(9)); }
    var out = { fig: fig, used: used, opFig: opFig, opUsed: opUsed };
    if (killed < 0 || claimant === -1) { return out; }
    for (var i = 0; i < D.n; i++) {
      if (D.byInc[i] === D.byInc[i + 1]) { continue; }
      var r = figureOver(D, mode, claimant, killed, D.incClaims, D.byInc[i], D.byInc[i + 1]);
      if (r) { fig[i] = r.total; used[i] = r.ks; }
    }
    for (var o = 0; o < nops; o++) {
      var q = figureOver(D, mode, claimant, killed, D.opClaims[o], 0, D.opClaims[o].length);
      if (q) { opFig[o] = q.total; opUsed[o] = q.ks; }
    }
    return out;
  }

  function radiusOf(value) {
    if (isNaN(value)) { return BASE_RADIUS; }
    return Math.min(30, BASE_RADIUS + 2.4 * Math.sqrt(value));
  }

  // --- the canvas layer ------------------------------------------------------

  var IncidentCanvas = L.Layer.extend({
    initialize: function (app) { this._app = app; },

    onAdd: function (map) {
      this._map = map;
      this._canvas = L.DomUtil.create("canvas", "mapper-canvas leaflet-zoom-hide");
      map.getPanes().overlayPane.appendChild(this._canvas);
      map.on("moveend zoomend resize viewreset", this._reset, this);
      this._reset();
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this._reset, this);
      L.DomUtil.remove(this._canvas);
    },

    _reset: function () {
      var map = this._map, size = map.getSize();
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(this._canvas, topLeft);
      var dpr = window.devicePixelRatio || 1;
      this._canvas.width = Math.round(size.x * dpr);
      this._canvas.height = Math.round(size.y * dpr);
      this._canvas.style.width = size.x + "px";
      this._canvas.style.height = size.y + "px";
      this._dpr = dpr;
      this.redraw();
    },

    // Container pixel of normalized Mercator coordinates at the current view.
    _transform: function () {
      var map = this._map;
      var scale = map.options.crs.scale(map.getZoom());
      var origin = map.getPixelOrigin();
      var tl = map.containerPointToLayerPoint([0, 0]);
      return { scale: scale, ox: origin.x + tl.x, oy: origin.y + tl.y };
    },

    redraw: function () {
      var t0 = performance.now();
      var app = this._app, D = app.D, map = this._map;
      var ctx = this._canvas.getContext("2d");
      var dpr = this._dpr;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      var size = map.getSize();
      ctx.clearRect(0, 0, size.x, size.y);
      var tr = this._transform();
      var margin = 40;
      var vis = app.visible, idx = app.scratch, m = 0;
      var sx = app.scratchX, sy = app.scratchY;
      for (var i = 0; i < D.n; i++) {
        if (!vis[i]) { continue; }
        var x = D.X[i] * tr.scale - tr.ox, y = D.Y[i] * tr.scale - tr.oy;
        if (x < -margin || y < -margin || x > size.x + margin || y > size.y + margin) { continue; }
        idx[m] = i; sx[m] = x; sy[m] = y; m++;
      }
      this.drawn = {
        mode: m > MAX_INDIVIDUAL ? "grid" : "points", count: m, items: [], cells: [], rings: 0
      };
      if (m > MAX_INDIVIDUAL) {
        this._drawGrid(ctx, size, m);
      } else {
        this._drawPoints(ctx, tr, m);
      }
      app.lastRenderMs = performance.now() - t0;
    },

    _drawPoints: function (ctx, tr, m) {
      var app = this._app, D = app.D;
      var idx = app.scratch, sx = app.scratchX, sy = app.scratchY;
      var order = Array.prototype.slice.call(idx.subarray(0, m).map(function (v, j) { return j; }));
      var radius = app.radius;
      // Big markers first so that small ones stay clickable on top.
      order.sort(function (a, b) { return radius[idx[b]] - radius[idx[a]] || idx[a] - idx[b]; });
      var mPerPx = 40075016.686 / tr.scale;
      var items = this.drawn.items;
      // Uncertainty rings first, under every marker: dashed with a faint fill while few
      // are in view. Incidents at (nearly) one point share one ring: stacked copies would
      // darken the map and each costs a paint.
      var rings = [], ringsDrawn = {}, view = this._map.getSize();
      for (var o = 0; o < m; o++) {
        var j = order[o], i = idx[j];
        var pname = D.precisions[D.prec[i]] || "exact";
        var metres = UNCERTAINTY_M[pname] || 0;
        if (!metres) { continue; }
        var lat = D.inc.lat[i] / 1e5;
        var ring = metres / (mPerPx * Math.cos(lat * Math.PI / 180));
        if (ring < radius[i] + 2) { continue; }
        // A ring around the whole view has no outline in it, only a tint: skip it.
        var fx = Math.max(sx[j], view.x - sx[j]), fy = Math.max(sy[j], view.y - sy[j]);
        if (ring * ring > fx * fx + fy * fy) { continue; }
        // Rings of one size whose centres fall in one cell a quarter of the radius wide
        // would draw as one thick band: one of them stands for all.
        var q = Math.max(1, ring / 4);
        var ringKey = Math.round(sx[j] / q) + "," + Math.round(sy[j] / q) + "," + Math.round(ring);
        if (ringsDrawn[ringKey]) { continue; }
        ringsDrawn[ringKey] = true;
        rings.push({ x: sx[j], y: sy[j], r: ring, colour: colourOf(D.types[D.type[i]]) });
      }
      this.drawn.rings = rings.length;
      ctx.lineWidth = 1.2;
      ctx.globalAlpha = 0.55;
      if (rings.length <= RING_FILL_MAX) {
        ctx.setLineDash([5, 5]);
        for (o = 0; o < rings.length; o++) {
          var g = rings[o];
          ctx.beginPath();
          ctx.arc(g.x, g.y, g.r, 0, 2 * Math.PI);
          ctx.strokeStyle = g.colour;
          ctx.globalAlpha = 0.55;
          ctx.stroke();
          ctx.globalAlpha = 0.06;
          ctx.fillStyle = g.colour;
          ctx.fill();
        }
      } else {
        // Many rings: plain outlines, one path per colour (dashes and fills would cost
        // a tenth of a second per hundred rings to paint).
        var byColour = {};
        for (o = 0; o < rings.length; o++) {
          (byColour[rings[o].colour] = byColour[rings[o].colour] || []).push(rings[o]);
        }
        ctx.globalAlpha = 0.35;
        Object.keys(byColour).forEach(function (colour) {
          ctx.beginPath();
          byColour[colour].forEach(function (g) {
            ctx.moveTo(g.x + g.r, g.y);
            ctx.arc(g.x, g.y, g.r, 0, 2 * Math.PI);
          });
          ctx.strokeStyle = colour;
          ctx.stroke();
        });
      }
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
      for (o = 0; o < m; o++) {
        j = order[o]; i = idx[j];
        var r = radius[i], colour = colourOf(D.types[D.type[i]]);
        var exact = (D.precisions[D.prec[i]] || "exact") === "exact";
        ctx.beginPath();
        ctx.arc(sx[j], sy[j], r, 0, 2 * Math.PI);
        if (exact) {
          ctx.fillStyle = colour;
          ctx.globalAlpha = 0.8;
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.lineWidth = 1;
          ctx.strokeStyle = "#ffffff";
          ctx.stroke();
        } else {
          // Hollow: an approximate location is not a point.
          ctx.fillStyle = "#ffffff";
          ctx.globalAlpha = 0.55;
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.lineWidth = 2.5;
          ctx.strokeStyle = colour;
          ctx.stroke();
        }
        items.push({ i: i, x: sx[j], y: sy[j], r: r });
      }
    },

    _drawGrid: function (ctx, size, m) {
      var app = this._app, D = app.D;
      var idx = app.scratch, sx = app.scratchX, sy = app.scratchY;
      var cols = Math.ceil((size.x + 80) / CELL_PX) + 1, rows = Math.ceil((size.y + 80) / CELL_PX) + 1;
      var nCells = cols * rows;
      var count = new Int32Array(nCells), sumX = new Float64Array(nCells), sumY = new Float64Array(nCells);
      var ntypes = D.types.length;
      var byType = new Int32Array(nCells * ntypes);
      var minX = new Float64Array(nCells).fill(Infinity), maxX = new Float64Array(nCells).fill(-Infinity);
      var minY = new Float64Array(nCells).fill(Infinity), maxY = new Float64Array(nCells).fill(-Infinity);
      for (var j = 0; j < m; j++) {
        var i = idx[j];
        var cx = Math.floor((sx[j] + 40) / CELL_PX), cy = Math.floor((sy[j] + 40) / CELL_PX);
        var c = cy * cols + cx;
        count[c]++; sumX[c] += sx[j]; sumY[c] += sy[j];
        byType[c * ntypes + D.type[i]]++;
        if (D.X[i] < minX[c]) { minX[c] = D.X[i]; }
        if (D.X[i] > maxX[c]) { maxX[c] = D.X[i]; }
        if (D.Y[i] < minY[c]) { minY[c] = D.Y[i]; }
        if (D.Y[i] > maxY[c]) { maxY[c] = D.Y[i]; }
      }
      ctx.font = "bold 11px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (c = 0; c < nCells; c++) {
        if (!count[c]) { continue; }
        var x = sumX[c] / count[c], y = sumY[c] / count[c];
        var r = Math.min(26, 9 + 3.2 * Math.log(count[c]));
        var top = 0;
        for (var t = 1; t < ntypes; t++) { if (byType[c * ntypes + t] > byType[c * ntypes + top]) { top = t; } }
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = colourOf(D.types[top]);
        ctx.globalAlpha = 0.85;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = 3;
        ctx.strokeStyle = "rgba(255,255,255,0.8)";
        ctx.stroke();
        ctx.fillStyle = "#ffffff";
        ctx.fillText(count[c] >= 10000 ? Math.round(count[c] / 1000) + "k" : String(count[c]), x, y);
        this.drawn.cells.push({ x: x, y: y, r: r, n: count[c], bounds: [minX[c], minY[c], maxX[c], maxY[c]] });
      }
    }
  });

  // --- popups and cards ------------------------------------------------------

  function addRow(table, label, value) {
    if (value === "" || value === null || value === undefined) { return; }
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    var td = el("td");
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = String(value); }
    tr.appendChild(td);
    table.appendChild(tr);
  }

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
      var what = el("td", null, claimFigureText(D, k) + " " + str(c.subject[k]) + " " + str(c.outcome[k]));
      if (c.quote[k] >= 0) { what.appendChild(el("div", "mapper-quote", "\u201c" + str(c.quote[k]) + "\u201d")); }
      tr.appendChild(what);
      tr.appendChild(el("td", null, c.on[k] === null ? "" : isoDay(c.on[k])));
      tr.appendChild(appendCitation(el("td"), str(c.source[k])));
      table.appendChild(tr);
    });
    wrap.appendChild(table);
    return wrap;
  }

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

  function incidentCard(app, i) {
    var D = app.D, inc = D.inc, str = D.str;
    var card = el("div", "mapper-card");
    card.setAttribute("data-incident", inc.id[i]);
    var type = D.types[D.type[i]];
    var h = el("div", "mapper-card-title");
    var sw = el("span", "mapper-swatch");
    sw.style.background = colourOf(type);
    h.appendChild(sw);
    h.appendChild(document.createTextNode(str(inc.place[i]) || "(place not given)"));
    card.appendChild(h);
    var dp = D.dayPrecisions[inc.dp[i]] || "day";
    var when = humanDay(D.d0[i], dp);
    if (inc.has_end[i]) { when += " \u2013 " + humanDay(D.d1[i], "day"); }
    var t = el("table", "mapper-facts");
    addRow(t, "Date", when);
    addRow(t, "Event", type + (inc.sub[i] >= 0 ? " \u2014 " + str(inc.sub[i]) : ""));
    addRow(t, "Status", str(inc.status[i]));
    var precision = D.precisions[D.prec[i]] || "";
    var where = precision ? precision : "";
    if (precision && precision !== "exact") {
      where += " (approximate, within about " + Math.round((UNCERTAINTY_M[precision] || 0) / 1000) + " km)";
    }
    if (!D.placed[i]) { where = "not placed on the map: " + (str(inc.reason[i]) || "no location"); }
    addRow(t, "Location", where);
    var admin = [str(inc.district[i]), str(inc.province[i]), str(inc.country[i])].filter(Boolean).join(", ");
    addRow(t, "Area", admin);
    if (inc.matched[i] >= 0 && str(inc.matched[i]) !== str(inc.place[i])) { addRow(t, "Matched as", str(inc.matched[i])); }
    addRow(t, "Coordinates from", str(inc.locsrc[i]));
    var actors = [str(inc.a1[i]), str(inc.a2[i])].filter(Boolean).join(" vs ");
    addRow(t, "Actors", actors);
    if (inc.op[i] >= 0) { addRow(t, "Operation", D.str(D.raw.operations.name[inc.op[i]]) || D.raw.operations.key[inc.op[i]]); }
    addRow(t, "Incident", inc.id[i]);
    // Columns of an imported table kept under the names the table gave them.
    var kept = D.raw.kept || { names: [] };
    for (var j = 0; j < kept.names.length; j++) { addRow(t, kept.names[j], str(kept.values[j][i])); }
    card.appendChild(t);
    if (inc.desc[i] >= 0) { card.appendChild(el("p", "mapper-desc", str(inc.desc[i]))); }
    card.appendChild(el("div", "mapper-section", "Claims, side by side"));
    var ks = Array.prototype.slice.call(D.incClaims.subarray(D.byInc[i], D.byInc[i + 1]));
    card.appendChild(claimsTable(D, ks));
    card.appendChild(sizeLine(app, app.figures.fig[i], app.figures.used[i], "Marker size"));
    if (inc.op[i] >= 0 && D.opClaims[inc.op[i]].length) {
      // Figures often exist only for a whole operation: show them beside the incident.
      card.appendChild(el("div", "mapper-section", "Claims about the whole operation: " +
        (D.str(D.raw.operations.name[inc.op[i]]) || D.raw.operations.key[inc.op[i]])));
      card.appendChild(claimsTable(D, D.opClaims[inc.op[i]]));
    }
    if (inc.src[i] >= 0) {
      var src = el("p", "mapper-sources");
      src.appendChild(el("strong", null, "Sources: "));
      appendCitation(src, str(inc.src[i]));
      card.appendChild(src);
    }
    return card;
  }

  function operationCard(app, o, inWindow, total) {
    var D = app.D, ops = D.raw.operations, str = D.str;
    var card = el("div", "mapper-card mapper-op-card");
    card.setAttribute("data-operation", ops.key[o]);
    card.appendChild(el("div", "mapper-card-title", str(ops.name[o]) || ops.key[o]));
    var t = el("table", "mapper-facts");
    var dates = ops.d0[o] === null ? "" : isoDay(ops.d0[o]) + (ops.d1[o] !== null && ops.d1[o] !== ops.d0[o] ? " \u2013 " + isoDay(ops.d1[o]) : "");
    addRow(t, "Dates", dates);
    addRow(t, "Actor", str(ops.actor[o]));
    addRow(t, "Incidents", inWindow + " of " + total + " in the time window");
    card.appendChild(t);
    if (ops.desc[o] >= 0) { card.appendChild(el("p", "mapper-desc", str(ops.desc[o]))); }
    card.appendChild(el("div", "mapper-section", "Claims about the whole operation"));
    card.appendChild(claimsTable(D, D.opClaims[o]));
    card.appendChild(sizeLine(app, app.figures.opFig[o], app.figures.opUsed[o], "Disc size"));
    if (ops.src[o] >= 0) {
      var src = el("p", "mapper-sources");
      src.appendChild(el("strong", null, "Sources: "));
      appendCitation(src, str(ops.src[o]));
      card.appendChild(src);
    }
    return card;
  }

  function siteCard(D, s) {
    var sites = D.raw.sites, str = D.str;
    var card = el("div", "mapper-card");
    card.appendChild(el("div", "mapper-card-title", str(sites.name[s])));
    var t = el("table", "mapper-facts");
    addRow(t, "Kind", str(sites.kind[s]));
    addRow(t, "Location", str(sites.prec[s]));
    card.appendChild(t);
    if (sites.desc[s] >= 0) { card.appendChild(el("p", "mapper-desc", str(sites.desc[s]))); }
    if (sites.src[s] >= 0) {
      var src = el("p", "mapper-sources");
      src.appendChild(el("strong", null, "Sources: "));
      appendCitation(src, str(sites.src[s]));
      card.appendChild(src);
    }
    return card;
  }

  function pointInPolygon(x, y, pts) {
    var inside = false;
    for (var a = 0, b = pts.length - 1; a < pts.length; b = a++) {
      var xa = pts[a].x, ya = pts[a].y, xb = pts[b].x, yb = pts[b].y;
      if (((ya > y) !== (yb > y)) && (x < (xb - xa) * (y - ya) / (yb - ya) + xa)) { inside = !inside; }
    }
    return inside;
  }

  // --- the application -------------------------------------------------------

  function MapperApp(map, raw, options) {
    var D = decode(raw);
    this.map = map;
    this.D = D;
    this.options = options || {};
    this.visible = new Uint8Array(D.n);
    this.scratch = new Int32Array(D.n);
    this.scratchX = new Float64Array(D.n);
    this.scratchY = new Float64Array(D.n);
    this.layerOn = D.types.map(function () { return true; });
    this.layerKeys = D.types.map(slug);
    this.showOps = true;
    this.showContext = true;
    this.t0 = raw.range[0];
    this.t1 = raw.range[1];
    this.figureMode = "conservative";
    this.figureCache = {};
    this.claimants = raw.claimants.map(function (code) { return D.S[code]; });
    this._buildFigures();
    this.canvas = new IncidentCanvas(this);
    this.canvas.addTo(map);
    this._buildOperations();
    this._buildFigures();
    this._buildSites();
    this._buildControls();
    // Registered first: the first fit of the view below already needs it.
    map.on("zoomend resize", this._declutterLabels, this);
    var restored = this._readHash();
    this._syncControls();
    this.update();
    if (!restored) { this._fitAll(); }
    var self = this;
    map.on("moveend", function () { self._writeHash(); });
    map.on("click", function (e) { self._onClick(e); });
    window.addEventListener("hashchange", function () {
      if (location.hash.slice(1) !== self._lastHash) { self._readHash(); self._syncControls(); self.update(); }
    });
  }

  MapperApp.prototype._buildFigures = function () {
    var key = this.figureMode;
    if (!this.figureCache[key]) { this.figureCache[key] = computeFigures(this.D, key); }
    this.figures = this.figureCache[key];
    var r = this.radius || new Float32Array(this.D.n);
    for (var i = 0; i < this.D.n; i++) { r[i] = radiusOf(this.figures.fig[i]); }
    this.radius = r;
    var self = this;
    (this.opShapes || []).forEach(function (op, o) {
      if (op.marker) { op.marker.setRadius(radiusOf(self.figures.opFig[o])); }
    });
  };

  MapperApp.prototype.figuresLabel = function () {
    if (this.figureMode === "conservative") { return "conservative: lowest claim per subject"; }
    if (this.figureMode === "highest") { return "highest claim per subject"; }
    return "figures of " + this.figureMode.slice(9);
  };

  MapperApp.prototype._fitAll = function () {
    var D = this.D, inc = D.inc;
    var s = 90, w = 180, n = -90, e = -180, any = false;
    for (var i = 0; i < D.n; i++) {
      if (!D.placed[i]) { continue; }
      var lat = inc.lat[i] / 1e5, lon = inc.lon[i] / 1e5;
      if (lat < s) { s = lat; } if (lat > n) { n = lat; }
      if (lon < w) { w = lon; } if (lon > e) { e = lon; }
      any = true;
    }
    if (!any) { return; }
    // Keep the incidents clear of the panel when it is open beside the map.
    var panel = document.getElementById("mapper-panel");
    var size = this.map.getSize();
    var right = panel && !panel.classList.contains("mapper-collapsed") && panel.offsetWidth < size.x / 2 ?
      panel.offsetWidth + 30 : 30;
    this.map.fitBounds([[s, w], [n, e]], { paddingTopLeft: [30, 90], paddingBottomRight: [right, 30], maxZoom: 9, animate: false });
  };

  MapperApp.prototype._buildOperations = function () {
    var D = this.D, ops = D.raw.operations, map = this.map;
    this.opGroup = L.layerGroup();
    this.opShapes = [];
    for (var o = 0; o < ops.key.length; o++) {
      var hull = ops.hull[o];
      var shape = null, label = null;
      if (hull.length >= 3) {
        shape = L.polygon(hull, { interactive: false, color: "#17202a", weight: 2, dashArray: "6 6", fillOpacity: 0.04 });
      } else if (hull.length >= 1) {
        shape = L.circle(hull[0], { radius: 20000, interactive: false, color: "#17202a", weight: 2, dashArray: "6 6", fillOpacity: 0.04 });
      }
      var node = el("span", "mapper-op-label");
      var centre = null, marker = null;
      if (shape) {
        centre = hull.length >= 3 ? shape.getBounds().getCenter() : L.latLng(hull[0]);
        // The operation's own figures (claims about the whole operation) size this disc.
        marker = L.circleMarker(centre, { radius: BASE_RADIUS, interactive: false, color: "#17202a",
          weight: 2, dashArray: "3 3", fillColor: "#17202a", fillOpacity: 0.18 });
        label = L.tooltip({ permanent: true, direction: "top", offset: [0, -6], className: "mapper-op-tooltip", interactive: false })
          .setLatLng(centre).setContent(node);
      }
      this.opShapes.push({ shape: shape, label: label, marker: marker, centre: centre, node: node, hull: hull,
        inWindow: 0, total: 0, on: false });
    }
    // Members of each operation, for counts in the window.
    this.opMembers = ops.key.map(function () { return []; });
    for (var i = 0; i < D.n; i++) { if (D.inc.op[i] >= 0) { this.opMembers[D.inc.op[i]].push(i); } }
    this.opGroup.addTo(map);
  };

  MapperApp.prototype._buildSites = function () {
    var D = this.D, sites = D.raw.sites, str = D.str;
    this.siteGroup = L.layerGroup();
    for (var s = 0; s < sites.name.length; s++) {
      var kind = slug(str(sites.kind[s])) || "site";
      var icon = L.divIcon({ className: "mapper-site mapper-site-" + kind, iconSize: [12, 12] });
      var mk = L.marker([sites.lat[s] / 1e5, sites.lon[s] / 1e5], { icon: icon, keyboard: true });
      mk.bindTooltip(el("span", null, str(sites.name[s])), { direction: "top", offset: [0, -8] });
      (function (idx) { mk.bindPopup(function () { return siteCard(D, idx); }, { maxWidth: 340 }); })(s);
      mk.addTo(this.siteGroup);
    }
    this.siteGroup.addTo(this.map);
  };

  MapperApp.prototype._onClick = function (e) {
    var p = e.containerPoint, drawn = this.canvas.drawn, self = this;
    if (!drawn) { return; }
    if (drawn.mode === "grid") {
      for (var c = 0; c < drawn.cells.length; c++) {
        var cell = drawn.cells[c];
        if (Math.hypot(cell.x - p.x, cell.y - p.y) <= cell.r + 2) {
          var b = cell.bounds, scale = 1;
          var sw = this.map.options.crs.pointToLatLng(L.point(b[0] * 256, b[3] * 256), 0);
          var ne = this.map.options.crs.pointToLatLng(L.point(b[2] * 256, b[1] * 256), 0);
          this.map.fitBounds(L.latLngBounds(sw, ne).pad(0.1 * scale), { maxZoom: this.map.getZoom() + 3 });
          return;
        }
      }
      return;
    }
    var hits = [];
    drawn.items.forEach(function (it) { if (Math.hypot(it.x - p.x, it.y - p.y) <= it.r + 3) { hits.push(it.i); } });
    if (hits.length) {
      hits.sort(function (a, b) { return a - b; });
      var box = el("div", "mapper-popup");
      if (hits.length > 1) { box.appendChild(el("div", "mapper-muted", hits.length + " incidents here")); }
      hits.forEach(function (i) { box.appendChild(incidentCard(self, i)); });
      L.popup({ maxWidth: 380, maxHeight: 420, autoPanPadding: [10, 10] }).setLatLng(e.latlng).setContent(box).openOn(this.map);
      return;
    }
    if (!this.showOps) { return; }
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

  // Recompute what is visible and redraw everything that depends on it.
  MapperApp.prototype.update = function () {
    var t0 = performance.now();
    var D = this.D, vis = this.visible, lo = this.t0, hi = this.t1;
    var on = this.layerOn, count = 0, inWindow = 0;
    var typeCounts = D.types.map(function () { return 0; });
    var unplaced = [];
    for (var i = 0; i < D.n; i++) {
      var inTime = D.d0[i] <= hi && D.d1[i] >= lo;
      var v = inTime && on[D.type[i]];
      if (inTime) { inWindow++; typeCounts[D.type[i]]++; }
      if (v && !D.placed[i]) { unplaced.push(i); }
      vis[i] = v && D.placed[i] ? 1 : 0;
      count += vis[i];
    }
    this.visibleCount = count;
    this.canvas.redraw();
    this._updateOperations();
    this._updateCounts(count, typeCounts, unplaced);
    this.lastUpdateMs = performance.now() - t0;
    this._writeHash();
  };

  MapperApp.prototype._updateOperations = function () {
    var D = this.D, ops = D.raw.operations;
    for (var o = 0; o < this.opShapes.length; o++) {
      var op = this.opShapes[o], members = this.opMembers[o], k = 0;
      for (var j = 0; j < members.length; j++) {
        var i = members[j];
        if (D.d0[i] <= this.t1 && D.d1[i] >= this.t0) { k++; }
      }
      op.inWindow = k;
      op.total = members.length;
      var overlaps = members.length ? k > 0 :
        (ops.d0[o] !== null && ops.d0[o] <= this.t1 && (ops.d1[o] === null ? ops.d0[o] : ops.d1[o]) >= this.t0);
      var want = this.showOps && overlaps && op.shape !== null;
      op.node.textContent = (D.str(ops.name[o]) || ops.key[o]) + (members.length ? " (" + k + " of " + members.length + ")" : "");
      if (want && !op.on) {
        this.opGroup.addLayer(op.shape);
        this.opGroup.addLayer(op.label);
        this.opGroup.addLayer(op.marker);
      } else if (!want && op.on) {
        this.opGroup.removeLayer(op.shape);
        this.opGroup.removeLayer(op.label);
        this.opGroup.removeLayer(op.marker);
      }
      op.on = want;
    }
    this._declutterLabels();
  };

  // Operation labels that would cover one another (a phone, a zoomed-out view): the
  // operation with more incidents in the window keeps its label; the others hide theirs
  // until zooming in separates them. Their outlines and discs stay.
  MapperApp.prototype._declutterLabels = function () {
    var shown = this.opShapes.filter(function (op) { return op.on && op.label.getElement(); });
    shown.sort(function (a, b) { return b.inWindow - a.inWindow; });
    var kept = [];
    shown.forEach(function (op) {
      var node = op.label.getElement();
      node.classList.remove("mapper-label-hidden");
      var r = node.getBoundingClientRect();
      var clash = kept.some(function (k) {
        return r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom;
      });
      if (clash) { node.classList.add("mapper-label-hidden"); } else { kept.push(r); }
    });
  };

  // --- controls --------------------------------------------------------------

  MapperApp.prototype._buildControls = function () {
    var self = this, D = this.D, raw = D.raw;
    var TitleControl = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = el("div", "mapper-title leaflet-bar");
        box.appendChild(el("h1", null, raw.title));
        self.countNode = el("div", "mapper-count");
        box.appendChild(self.countNode);
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    new TitleControl().addTo(this.map);

    var Panel = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () { return self._panel(); }
    });
    new Panel().addTo(this.map);
    L.control.scale({ position: "bottomleft" }).addTo(this.map);

    var Credits = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        // Collapsed to one line; the full list opens on demand (and is in the panel).
        var box = el("details", "mapper-credits");
        box.appendChild(el("summary", null, "Sources: " + raw.attribution.join(" \u00b7 ")));
        raw.attribution.forEach(function (line) { box.appendChild(appendCitation(el("div"), line)); });
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    new Credits().addTo(this.map);
  };

  MapperApp.prototype._panel = function () {
    var self = this, D = this.D, raw = D.raw, str = D.str;
    var panel = el("div", "mapper-panel leaflet-bar");
    panel.id = "mapper-panel";
    var toggle = el("button", "mapper-panel-toggle", "Layers, time & legend");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "true");
    var body = el("div", "mapper-panel-body");
    toggle.addEventListener("click", function () {
      var open = panel.classList.toggle("mapper-collapsed") === false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    if (window.matchMedia && window.matchMedia("(max-width: 640px)").matches) {
      panel.classList.add("mapper-collapsed");
      toggle.setAttribute("aria-expanded", "false");
    }
    panel.appendChild(toggle);
    panel.appendChild(body);

    // Time window.
    var time = el("section", "mapper-time");
    time.appendChild(el("h2", null, "Time window"));
    var labels = el("div", "mapper-time-labels");
    this.fromLabel = el("span", "mapper-from");
    this.toLabel = el("span", "mapper-to");
    labels.appendChild(this.fromLabel);
    labels.appendChild(document.createTextNode(" \u2013 "));
    labels.appendChild(this.toLabel);
    time.appendChild(labels);
    function slider(cls, label) {
      var s = el("input", cls);
      s.type = "range";
      s.min = String(raw.range[0]);
      s.max = String(raw.range[1]);
      s.step = "1";
      s.setAttribute("aria-label", label);
      time.appendChild(s);
      return s;
    }
    this.fromInput = slider("mapper-from-input", "Start of the time window");
    this.toInput = slider("mapper-to-input", "End of the time window");
    var onSlide = function (which) {
      return function () {
        var a = parseInt(self.fromInput.value, 10), b = parseInt(self.toInput.value, 10);
        if (a > b) { if (which === "from") { b = a; } else { a = b; } }
        self.setWindow(a, b);
      };
    };
    this.fromInput.addEventListener("input", onSlide("from"));
    this.toInput.addEventListener("input", onSlide("to"));
    var buttons = el("div", "mapper-time-buttons");
    this.playButton = el("button", "mapper-play", "\u25b6 Play");
    this.playButton.type = "button";
    this.playButton.addEventListener("click", function () { self.togglePlay(); });
    var all = el("button", "mapper-all", "Whole period");
    all.type = "button";
    all.addEventListener("click", function () { self.stopPlay(); self.setWindow(raw.range[0], raw.range[1]); });
    buttons.appendChild(this.playButton);
    buttons.appendChild(all);
    time.appendChild(buttons);
    body.appendChild(time);

    // Figures.
    var figs = el("section", "mapper-figures");
    figs.appendChild(el("h2", null, "Marker size: people killed"));
    this.figureSelect = el("select", "mapper-figure-select");
    this.figureSelect.setAttribute("aria-label", "Whose figures size the markers");
    var opt = function (value, text) { var o = el("option", null, text); o.value = value; return o; };
    this.figureSelect.appendChild(opt("conservative", "Conservative (lowest claim)"));
    this.figureSelect.appendChild(opt("highest", "Highest claim"));
    this.claimants.forEach(function (name) { self.figureSelect.appendChild(opt("claimant:" + name, "As claimed by " + name)); });
    this.figureSelect.addEventListener("change", function () { self.setFigures(self.figureSelect.value); });
    figs.appendChild(this.figureSelect);
    body.appendChild(figs);

    // Layers with the legend of colours.
    var layers = el("section", "mapper-layers");
    layers.appendChild(el("h2", null, "Layers"));
    this.layerBoxes = [];
    this.typeCountNodes = [];
    D.types.forEach(function (type, t) {
      var row = el("label", "mapper-layer");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute("data-layer", self.layerKeys[t]);
      box.addEventListener("change", function () { self.setLayer(self.layerKeys[t], box.checked); });
      var sw = el("span", "mapper-swatch");
      sw.style.background = colourOf(type);
      row.appendChild(box);
      row.appendChild(sw);
      row.appendChild(el("span", null, type));
      var cnt = el("span", "mapper-layer-count");
      row.appendChild(cnt);
      self.typeCountNodes.push(cnt);
      self.layerBoxes.push(box);
      layers.appendChild(row);
    });
    function extraLayer(key, text, cls) {
      var row = el("label", "mapper-layer");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute("data-layer", key);
      box.addEventListener("change", function () { self.setLayer(key, box.checked); });
      row.appendChild(box);
      row.appendChild(el("span", cls));
      row.appendChild(el("span", null, text));
      layers.appendChild(row);
      return box;
    }
    this.opsBox = extraLayer("operations", "Operations (" + raw.operations.key.length + ")", "mapper-swatch mapper-swatch-op");
    this.contextBox = extraLayer("context", "Context: mines, port (" + raw.sites.name.length + ")", "mapper-swatch mapper-swatch-site");
    body.appendChild(layers);

    // Legend of symbols.
    var legend = el("section", "mapper-legend");
    legend.appendChild(el("h2", null, "Legend"));
    [["mapper-sym-exact", "Filled circle: exact location"],
      ["mapper-sym-approx", "Hollow circle in a ring (dashed when few are in view): approximate location (near \u2248 5 km, district \u2248 30 km, province \u2248 150 km); the ring shows the uncertainty, not the place"],
      ["mapper-sym-size", "Bigger circle: more people reported killed, per the figures chosen above; smallest: no figure"],
      ["mapper-sym-grid", "Numbered disc: a group of incidents; click or zoom in"],
      ["mapper-sym-op", "Dashed outline: the places of one operation"]].forEach(function (pair) {
      var row = el("div", "mapper-legend-row");
      row.appendChild(el("span", "mapper-sym " + pair[0]));
      row.appendChild(el("span", null, pair[1]));
      legend.appendChild(row);
    });
    body.appendChild(legend);

    // Unplaced incidents.
    var unplaced = el("section", "mapper-unplaced");
    this.unplacedTitle = el("h2");
    unplaced.appendChild(this.unplacedTitle);
    this.unplacedList = el("div", "mapper-unplaced-list");
    unplaced.appendChild(this.unplacedList);
    body.appendChild(unplaced);

    // Context indicators.
    var ind = raw.indicators;
    this.contextSection = el("section", "mapper-indicators");
    this.contextSection.appendChild(el("h2", null, "Context: indicators"));
    if (!ind.indicator.length) { this.contextSection.appendChild(el("p", "mapper-muted", "None in this dataset.")); }
    for (var r = 0; r < ind.indicator.length; r++) {
      var item = el("div", "mapper-indicator");
      var value = ind.value[r] >= 0 ? str(ind.value[r]) :
        [str(ind.low[r]), str(ind.high[r])].filter(Boolean).join("\u2013");
      item.appendChild(el("strong", null, str(ind.area[r]) + ": " + str(ind.indicator[r])));
      item.appendChild(el("span", null, " " + value + (ind.unit[r] >= 0 ? " " + str(ind.unit[r]) : "") +
        (ind.as_of[r] >= 0 ? " (" + str(ind.as_of[r]) + ")" : "")));
      if (ind.note[r] >= 0) { item.appendChild(el("div", "mapper-muted", str(ind.note[r]))); }
      item.appendChild(appendCitation(el("div", "mapper-sources", "Source: "), str(ind.source[r])));
      this.contextSection.appendChild(item);
    }
    body.appendChild(this.contextSection);

    // Sources.
    var credits = el("section", "mapper-attribution");
    credits.appendChild(el("h2", null, "Sources"));
    raw.attribution.forEach(function (line) { credits.appendChild(appendCitation(el("p"), line)); });
    body.appendChild(credits);

    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);
    return panel;
  };

  MapperApp.prototype._syncControls = function () {
    this.fromInput.value = String(this.t0);
    this.toInput.value = String(this.t1);
    this.fromLabel.textContent = isoDay(this.t0);
    this.toLabel.textContent = isoDay(this.t1);
    for (var t = 0; t < this.layerBoxes.length; t++) { this.layerBoxes[t].checked = this.layerOn[t]; }
    this.opsBox.checked = this.showOps;
    this.contextBox.checked = this.showContext;
    this.figureSelect.value = this.figureMode;
    this.contextSection.style.display = this.showContext ? "" : "none";
    if (this.showContext) { this.siteGroup.addTo(this.map); } else { this.siteGroup.remove(); }
  };

  MapperApp.prototype._updateCounts = function (count, typeCounts, unplaced) {
    var D = this.D;
    var text = count + " of " + D.n + " incidents";
    if (unplaced.length) { text += " \u00b7 " + unplaced.length + " without a location (listed in the panel)"; }
    this.countNode.textContent = text;
    for (var t = 0; t < typeCounts.length; t++) { this.typeCountNodes[t].textContent = " " + typeCounts[t]; }
    this.unplacedTitle.textContent = "Not placed on the map (" + unplaced.length + ")";
    var list = this.unplacedList, self = this;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!unplaced.length) { list.appendChild(el("p", "mapper-muted", "None in the time window.")); }
    unplaced.slice(0, 200).forEach(function (i) {
      var det = el("details", "mapper-unplaced-item");
      det.setAttribute("data-incident", D.inc.id[i]);
      var sum = el("summary", null, humanDay(D.d0[i], D.dayPrecisions[D.inc.dp[i]]) + " \u00b7 " +
        (D.str(D.inc.place[i]) || "(no place)") + " \u00b7 " + (D.str(D.inc.reason[i]) || "no location"));
      det.appendChild(sum);
      det.addEventListener("toggle", function () {
        if (det.open && det.childNodes.length === 1) { det.appendChild(incidentCard(self, i)); }
      });
      list.appendChild(det);
    });
    if (unplaced.length > 200) { list.appendChild(el("p", "mapper-muted", "\u2026 and " + (unplaced.length - 200) + " more")); }
  };

  // --- state changes (the UI and the URL fragment call these) ---------------

  MapperApp.prototype.setWindow = function (a, b) {
    var r = this.D.raw.range;
    a = Math.max(r[0], Math.min(r[1], a));
    b = Math.max(r[0], Math.min(r[1], b));
    if (a > b) { var tmp = a; a = b; b = tmp; }
    this.t0 = a;
    this.t1 = b;
    this.fromInput.value = String(a);
    this.toInput.value = String(b);
    this.fromLabel.textContent = isoDay(a);
    this.toLabel.textContent = isoDay(b);
    this.update();
  };

  MapperApp.prototype.setLayer = function (key, on) {
    if (key === "operations") { this.showOps = on; } else if (key === "context") {
      this.showContext = on;
    } else {
      var t = this.layerKeys.indexOf(key);
      if (t < 0) { return; }
      this.layerOn[t] = on;
    }
    this._syncControls();
    this.update();
  };

  MapperApp.prototype.setFigures = function (mode) {
    if (mode !== "conservative" && mode !== "highest" &&
      !(mode.indexOf("claimant:") === 0 && this.claimants.indexOf(mode.slice(9)) >= 0)) { return; }
    this.figureMode = mode;
    this.figureSelect.value = mode;
    this._buildFigures();
    this.canvas.redraw();
    this._writeHash();
  };

  MapperApp.prototype.togglePlay = function () {
    if (this.timer) { this.stopPlay(); return; }
    var r = this.D.raw.range, self = this;
    var width = this.t1 - this.t0;
    if (width >= r[1] - r[0]) { width = Math.max(0, Math.round((r[1] - r[0]) / 10)); }
    var step = Math.max(1, Math.round((r[1] - r[0]) / 60));
    var start = (this.t1 >= r[1]) ? r[0] : this.t0;
    this.setWindow(start, start + width);
    this.playButton.textContent = "\u275a\u275a Pause";
    this.timer = setInterval(function () {
      if (self.t1 >= r[1]) { self.stopPlay(); return; }
      self.setWindow(self.t0 + step, Math.min(r[1], self.t1 + step));
    }, 400);
  };

  MapperApp.prototype.stopPlay = function () {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    this.playButton.textContent = "\u25b6 Play";
  };

  // The fragment: #from=YYYY-MM-DD&to=YYYY-MM-DD&hide=key,key&fig=...&at=lat,lon,zoom
  MapperApp.prototype._writeHash = function () {
    if (!this.canvas._map) { return; }
    var c = this.map.getCenter(), z = this.map.getZoom();
    var hidden = [];
    for (var t = 0; t < this.layerKeys.length; t++) { if (!this.layerOn[t]) { hidden.push(this.layerKeys[t]); } }
    if (!this.showOps) { hidden.push("operations"); }
    if (!this.showContext) { hidden.push("context"); }
    var p = new URLSearchParams();
    p.set("from", isoDay(this.t0));
    p.set("to", isoDay(this.t1));
    if (hidden.length) { p.set("hide", hidden.join(",")); }
    p.set("fig", this.figureMode);
    p.set("at", c.lat.toFixed(4) + "," + c.lng.toFixed(4) + "," + z);
    var h = p.toString();
    if (h === this._lastHash) { return; }
    this._lastHash = h;
    try {
      history.replaceState(null, "", "#" + h);
    } catch (err) {
      // Some viewers forbid history changes on file:// pages; the map still works.
    }
  };

  MapperApp.prototype._readHash = function () {
    var h = location.hash.slice(1);
    if (!h) { return false; }
    var p = new URLSearchParams(h);
    var r = this.D.raw.range;
    var a = p.has("from") ? dayFromIso(p.get("from")) : null;
    var b = p.has("to") ? dayFromIso(p.get("to")) : null;
    if (a !== null || b !== null) {
      this.t0 = Math.max(r[0], Math.min(r[1], a === null ? r[0] : a));
      this.t1 = Math.max(r[0], Math.min(r[1], b === null ? r[1] : b));
      if (this.t0 > this.t1) { var tmp = this.t0; this.t0 = this.t1; this.t1 = tmp; }
    }
    if (p.has("hide")) {
      var hidden = p.get("hide").split(",");
      for (var t = 0; t < this.layerKeys.length; t++) { this.layerOn[t] = hidden.indexOf(this.layerKeys[t]) < 0; }
      this.showOps = hidden.indexOf("operations") < 0;
      this.showContext = hidden.indexOf("context") < 0;
    }
    var fig = p.get("fig");
    if (fig && (fig === "conservative" || fig === "highest" ||
      (fig.indexOf("claimant:") === 0 && this.claimants.indexOf(fig.slice(9)) >= 0))) {
      this.figureMode = fig;
      this._buildFigures();
    }
    var at = (p.get("at") || "").split(",").map(Number);
    var moved = false;
    if (at.length === 3 && at.every(isFinite) && Math.abs(at[0]) <= 90 && Math.abs(at[1]) <= 180) {
      this.map.setView([at[0], at[1]], Math.max(0, Math.min(19, at[2])), { animate: false });
      moved = true;
    }
    this._lastHash = h;
    return moved;
  };

  // A read-only view for tests and for people debugging a map in the console.
  function publicView(app) {
    var D = app.D;
    return {
      map: app.map,
      total: function () { return D.n; },
      visibleIds: function () {
        var out = [];
        for (var i = 0; i < D.n; i++) { if (app.visible[i]) { out.push(D.inc.id[i]); } }
        return out;
      },
      radii: function () {
        var out = {};
        for (var i = 0; i < D.n; i++) { if (app.visible[i]) { out[D.inc.id[i]] = app.radius[i]; } }
        app.opShapes.forEach(function (op, o) { if (op.on) { out["operation:" + D.raw.operations.key[o]] = op.marker.getRadius(); } });
        return out;
      },
      drawn: function () {
        var d = app.canvas.drawn;
        return {
          mode: d.mode, count: d.count, points: d.items.length, cells: d.cells.length, rings: d.rings
        };
      },
      // Where an incident is on screen (container pixels), or null.
      screenPoint: function (id) {
        var i = D.inc.id.indexOf(id);
        if (i < 0 || !D.placed[i]) { return null; }
        var p = app.map.latLngToContainerPoint([D.inc.lat[i] / 1e5, D.inc.lon[i] / 1e5]);
        return { x: p.x, y: p.y };
      },
      state: function () {
        return {
          from: isoDay(app.t0), to: isoDay(app.t1), figures: app.figureMode,
          hidden: app.layerKeys.filter(function (k, t) { return !app.layerOn[t]; })
            .concat(app.showOps ? [] : ["operations"]).concat(app.showContext ? [] : ["context"]),
          operationsShown: app.opShapes.filter(function (o) { return o.on; }).length,
          zoom: app.map.getZoom(), center: [app.map.getCenter().lat, app.map.getCenter().lng]
        };
      },
      timings: function () { return { update: app.lastUpdateMs, render: app.lastRenderMs }; }
    };
  }

  window.mapperInit = function (map, raw, options) {
    var app = new MapperApp(map, raw, options);
    window.mapperMap = Object.freeze(publicView(app));
    return app;
  };
})();
