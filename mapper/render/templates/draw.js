/* draw.js: the incident canvas: markers, uncertainty rings and the grid of counts when many are in view. */
(function (M) {
  "use strict";

  // More incidents than this in view and they are aggregated into a grid.
  var MAX_INDIVIDUAL = 2500;
  // Above this many uncertainty rings in view, they are drawn as plain outlines.
  var RING_FILL_MAX = 60;
  var CELL_PX = 56;
  // The largest numbered disc: it fits its cell with a pixel to spare (outline included).
  var CELL_R_MAX = CELL_PX / 2 - 2;

  function colourAt(D, i) { return M.colourOf(D.types[D.type[i]]); }

  // Rings: dashed with a faint fill while few are in view, else plain outlines.
  function drawRings(ctx, rings) {
    ctx.lineWidth = 1.2;
    ctx.globalAlpha = 0.55;
    if (rings.length <= RING_FILL_MAX) {
      ctx.setLineDash([5, 5]);
      for (var o = 0; o < rings.length; o++) {
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
  }

  // A disc filled at ``alpha``, then outlined: markers and grid cells.
  function disc(ctx, x, y, r, fill, alpha, lineWidth, stroke) {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = fill;
    ctx.globalAlpha = alpha;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = lineWidth;
    ctx.strokeStyle = stroke;
    ctx.stroke();
  }

  // One marker: filled when exact, hollow when approximate (not a point).
  function drawMarker(ctx, x, y, r, colour, exact) {
    if (exact) {
      disc(ctx, x, y, r, colour, 0.8, 1, "#ffffff");
    } else {
      disc(ctx, x, y, r, "#ffffff", 0.55, 2.5, colour);
    }
  }

  M.IncidentCanvas = L.Layer.extend({
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
      app._declutterLabels();  // and then the names
    },

    _drawPoints: function (ctx, tr, m) {
      var app = this._app, D = app.D;
      var idx = app.scratch, sx = app.scratchX, sy = app.scratchY;
      var order = Array.prototype.slice.call(idx.subarray(0, m).map(function (v, j) { return j; }));
      var radius = app.radius;
      // Big markers first so that small ones stay clickable on top.
      order.sort(function (a, b) { return radius[idx[b]] - radius[idx[a]] || idx[a] - idx[b]; });
      // Uncertainty rings first, under every marker.
      var rings = this._rings(order, m, tr);
      this.drawn.rings = rings.length;
      drawRings(ctx, rings);
      var items = this.drawn.items;
      for (var o = 0; o < m; o++) {
        var j = order[o], i = idx[j];
        // Only a stated "exact" is drawn filled: a point without a precision (an ACLED
        // row without geo_precision) may be a district's centre.
        var exact = D.precisions[D.prec[i]] === "exact";
        drawMarker(ctx, sx[j], sy[j], radius[i], colourAt(D, i), exact);
        items.push({ i: i, x: sx[j], y: sy[j], r: radius[i] });
      }
    },

    // The uncertainty rings worth drawing. Incidents at (nearly) one point share one
    // ring: stacked copies would darken the map and each costs a paint.
    _rings: function (order, m, tr) {
      var app = this._app, D = app.D, radius = app.radius;
      var idx = app.scratch, sx = app.scratchX, sy = app.scratchY;
      var mPerPx = 40075016.686 / tr.scale;
      var rings = [], ringsDrawn = {}, view = this._map.getSize();
      for (var o = 0; o < m; o++) {
        var j = order[o], i = idx[j];
        var pname = D.precisions[D.prec[i]] || "exact";
        var metres = M.UNCERTAINTY_M[pname] || 0;
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
        rings.push({ x: sx[j], y: sy[j], r: ring, colour: colourAt(D, i) });
      }
      return rings;
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
        var label = count[c] >= 10000 ? Math.round(count[c] / 1000) + "k" : String(count[c]);
        // Area grows with the count (sqrt scale: 1,310 reads bigger than 323), never
        // smaller than its digits need, never wider than its own cell.
        var r = Math.min(CELL_R_MAX, Math.max(ctx.measureText(label).width / 2 + 4, 7 + 0.55 * Math.sqrt(count[c])));
        // Centred on its incidents but kept inside its cell, so that discs never overlap.
        var left = (c % cols) * CELL_PX - 40, topY = Math.floor(c / cols) * CELL_PX - 40;
        var x = Math.max(left + r + 1, Math.min(left + CELL_PX - r - 1, sumX[c] / count[c]));
        var y = Math.max(topY + r + 1, Math.min(topY + CELL_PX - r - 1, sumY[c] / count[c]));
        var top = 0;
        for (var t = 1; t < ntypes; t++) { if (byType[c * ntypes + t] > byType[c * ntypes + top]) { top = t; } }
        disc(ctx, x, y, r, M.colourOf(D.types[top]), 0.85, 2, "rgba(255,255,255,0.8)");
        ctx.fillStyle = "#ffffff";
        ctx.fillText(label, x, y);
        this.drawn.cells.push({ x: x, y: y, r: r, n: count[c], bounds: [minX[c], minY[c], maxX[c], maxY[c]] });
      }
    }
  });
}(window.mapperPage));
