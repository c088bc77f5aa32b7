/* state.js: what the reader has chosen (layers shown, time window, figures) and its URL fragment. */
(function (M) {
  "use strict";
  var App = M.App;

  // The keys of the hidden layers: event types, then "operations" and "context".
  App.prototype.hiddenKeys = function () {
    var hidden = [];
    for (var t = 0; t < this.layerKeys.length; t++) { if (!this.layerOn[t]) { hidden.push(this.layerKeys[t]); } }
    if (!this.showOps) { hidden.push("operations"); }
    if (!this.showContext) { hidden.push("context"); }
    return hidden;
  };

  App.prototype.setLayer = function (key, on) {
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

  // The fragment: #from=YYYY-MM-DD&to=YYYY-MM-DD&hide=key,key&fig=...&at=lat,lon,zoom
  App.prototype._writeHash = function () {
    if (!this.canvas._map) { return; }
    var c = this.map.getCenter(), z = this.map.getZoom();
    var hidden = this.hiddenKeys();
    var p = new URLSearchParams();
    p.set("from", M.isoDay(this.t0));
    p.set("to", M.isoDay(this.t1));
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

  // Restore the state from the fragment; true when it also set the view.
  App.prototype._readHash = function () {
    var h = location.hash.slice(1);
    if (!h) { return false; }
    var p = new URLSearchParams(h);
    var a = p.has("from") ? M.dayFromIso(p.get("from")) : null;
    var b = p.has("to") ? M.dayFromIso(p.get("to")) : null;
    if (a !== null || b !== null) {
      var r = this.D.raw.range;
      var w = M.clampWindow(r, a === null ? r[0] : a, b === null ? r[1] : b);
      this.t0 = w[0];
      this.t1 = w[1];
    }
    if (p.has("hide")) {
      var hidden = p.get("hide").split(",");
      for (var t = 0; t < this.layerKeys.length; t++) { this.layerOn[t] = hidden.indexOf(this.layerKeys[t]) < 0; }
      this.showOps = hidden.indexOf("operations") < 0;
      this.showContext = hidden.indexOf("context") < 0;
    }
    var fig = p.get("fig");
    if (fig && this.knownFigures(fig)) {
      this.figureMode = fig;
      this._buildFigures();
    }
    var moved = this._readView(p.get("at"));
    this._lastHash = h;
    return moved;
  };

  // at=lat,lon,zoom: set the view; true when it was valid.
  App.prototype._readView = function (at) {
    var v = (at || "").split(",").map(Number);
    if (v.length === 3 && v.every(isFinite) && Math.abs(v[0]) <= 90 && Math.abs(v[1]) <= 180) {
      this.map.setView([v[0], v[1]], Math.max(0, Math.min(19, v[2])), { animate: false });
      return true;
    }
    return false;
  };
}(window.mapperPage));
