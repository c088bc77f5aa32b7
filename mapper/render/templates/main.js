/* main.js: the wiring: build the app over the map, recompute what is visible, and the read-only view. */
(function (M) {
  "use strict";
  var App = M.App;

  App.prototype.init = function (map, raw, options) {
    var D = M.decode(raw);
    this.map = map;
    this.D = D;
    this.options = options || {};
    this.visible = new Uint8Array(D.n);
    this.scratch = new Int32Array(D.n);
    this.scratchX = new Float64Array(D.n);
    this.scratchY = new Float64Array(D.n);
    this.layerOn = D.types.map(function () { return true; });
    this.layerKeys = D.types.map(M.slug);
    this.showOps = true;
    this.showContext = true;
    this.t0 = raw.range[0];
    this.t1 = raw.range[1];
    this.figureMode = "conservative";
    this.figureCache = {};
    this.claimants = raw.claimants.map(function (code) { return D.S[code]; });
    this._buildFigures();
    this._buildGeography();
    this.canvas = new M.IncidentCanvas(this);
    this.canvas.addTo(map);
    this._buildOperations();
    this._buildFigures();
    this._buildSites();
    this._buildControls();
    this._buildList();
    this._buildHover();
    var restored = this._readHash();
    this._syncControls();
    this.update();
    if (!restored) { this._fitAll(); }
    // The view actually shown goes into the URL now: a link copied right away reopens it.
    this._writeHash();
    var self = this;
    map.on("moveend", function () { self._writeHash(); });
    map.on("click", function (e) { self._onClick(e); });
    window.addEventListener("hashchange", function () {
      if (location.hash.slice(1) !== self._lastHash) { self._readHash(); self._syncControls(); self.update(); }
    });
  };

  // Recompute what is visible and redraw everything that depends on it.
  App.prototype.update = function () {
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
    // The operations first: the redraw places their labels clear of the markers drawn.
    this._updateOperations();
    this.canvas.redraw();
    this._updateAreas();
    this._updateCounts(count, typeCounts, unplaced);
    this._updateTimeline();
    this._updateList();
    this.lastUpdateMs = performance.now() - t0;
    this._writeHash();
  };

  // Fit the view to the placed incidents, clear of the panel when it is open beside the map.
  App.prototype._fitAll = function () {
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
    var panel = document.getElementById("mapper-panel");
    var size = this.map.getSize();
    var right = panel && !panel.classList.contains("mapper-collapsed") && panel.offsetWidth < size.x / 2 ?
      panel.offsetWidth + 30 : 30;
    // The open incident list (list.js, bottom left): the incidents go beside it when there is
    // room, else above it.
    var left = 30, bottom = 30;
    if (this.listBox && !this.listBox.classList.contains("mapper-list-closed")) {
      var listRight = this.listBox.offsetWidth + 20;
      if (size.x - listRight - right >= 400) { left = listRight; } else { bottom += this.listBox.offsetHeight; }
    }
    this.map.fitBounds([[s, w], [n, e]], { paddingTopLeft: [left, 90], paddingBottomRight: [right, bottom], maxZoom: 9, animate: false });
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
          mode: d.mode, count: d.count, points: d.items.length, cells: d.cells.length, rings: d.rings,
          discs: d.cells.map(function (c) { return { x: c.x, y: c.y, r: c.r, n: c.n }; })
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
          from: M.isoDay(app.t0), to: M.isoDay(app.t1), figures: app.figureMode,
          hidden: app.hiddenKeys(),
          operationsShown: app.opShapes.filter(function (o) { return o.on; }).length,
          zoom: app.map.getZoom(), center: [app.map.getCenter().lat, app.map.getCenter().lng]
        };
      },
      timings: function () { return { update: app.lastUpdateMs, render: app.lastRenderMs }; }
    };
  }

  window.mapperInit = function (map, raw, options) {
    var app = new App(map, raw, options);
    window.mapperMap = Object.freeze(publicView(app));
    return app;
  };
}(window.mapperPage));
