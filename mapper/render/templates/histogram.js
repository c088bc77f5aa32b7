/* histogram.js: incidents over time under the time window: bars stacked by event type (the layers'
 * colours), a brush (drag across the bars to set the window, click a bar for its period), two date
 * fields that set the window, and the frames Play steps through. */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;
  var SVG = "http://www.w3.org/2000/svg";
  var W = 280, H = 56;
  // Bin widths in days, the smallest giving at most MAX_BINS bars is used.
  var BIN_DAYS = [1, 2, 7, 14, 30, 61, 91, 182, 365, 730, 1826, 3652];
  var MAX_BINS = 60;
  // Play: time-even frames plus frames at even steps through the incidents (busy periods get more).
  var PLAY_EVEN = 20, PLAY_BUSY = 20, PLAY_RUN_MS = 6000;

  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }

  function binDays(range) {
    var span = range[1] - range[0] + 1;
    for (var k = 0; k < BIN_DAYS.length; k++) { if (span / BIN_DAYS[k] <= MAX_BINS) { return BIN_DAYS[k]; } }
    return Math.ceil(span / MAX_BINS);
  }

  // Incidents per bin and type among the layers shown; an incident dated to a month or a year
  // is spread evenly over the bins it covers rather than piled on its first day.
  M.histogramCounts = function (D, range, width, layerOn) {
    var nb = Math.ceil((range[1] - range[0] + 1) / width), nt = D.types.length;
    var counts = new Float64Array(nb * nt);
    for (var i = 0; i < D.n; i++) {
      var t = D.type[i];
      if (!layerOn[t]) { continue; }
      var a = Math.floor((Math.max(D.d0[i], range[0]) - range[0]) / width);
      var b = Math.floor((Math.min(D.d1[i], range[1]) - range[0]) / width);
      if (b < a) { continue; }
      var share = 1 / (b - a + 1);
      for (var k = a; k <= b; k++) { counts[k * nt + t] += share; }
    }
    return { counts: counts, bins: nb, width: width };
  };

  function countText(v) {
    var r = Math.round(v * 10) / 10;
    return r === Math.round(r) ? String(r) : r.toFixed(1);
  }

  App.prototype._histogram = function () {
    var self = this, range = this.D.raw.range;
    var wrap = el("div", "mapper-hist");
    var svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none", "class": "mapper-hist-svg" });
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Incidents over time by event type; drag across it to set the time window");
    this.histBars = svgEl("g", { "class": "mapper-hist-bars" });
    svg.appendChild(this.histBars);
    this.histShadeL = svgEl("rect", { "class": "mapper-hist-shade", x: 0, y: 0, width: 0, height: H });
    this.histShadeR = svgEl("rect", { "class": "mapper-hist-shade", x: W, y: 0, width: 0, height: H });
    this.histWindow = svgEl("rect", { "class": "mapper-hist-window", x: 0, y: 0.5, width: W, height: H - 1 });
    [this.histShadeL, this.histShadeR, this.histWindow].forEach(function (r) { svg.appendChild(r); });
    wrap.appendChild(svg);
    var axis = el("div", "mapper-hist-axis");
    axis.appendChild(el("span", null, M.isoDay(range[0])));
    this.histNote = el("span", "mapper-hist-note");
    axis.appendChild(this.histNote);
    axis.appendChild(el("span", null, M.isoDay(range[1])));
    wrap.appendChild(axis);
    this.histSvg = svg;
    this._brush(svg);
    return wrap;
  };

  // The day under a pointer's x.
  App.prototype._dayAtX = function (clientX) {
    var r = this.D.raw.range, box = this.histSvg.getBoundingClientRect();
    var f = Math.max(0, Math.min(0.999999, (clientX - box.left) / box.width));
    return r[0] + Math.floor(f * (r[1] - r[0] + 1));
  };

  App.prototype._brush = function (svg) {
    var self = this, start = null, startX = 0, moved = false, pending = null;
    svg.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) { return; }
      e.preventDefault();
      self.stopPlay();
      start = self._dayAtX(e.clientX);
      startX = e.clientX;
      moved = false;
      if (svg.setPointerCapture) { svg.setPointerCapture(e.pointerId); }
    });
    svg.addEventListener("pointermove", function (e) {
      if (start === null) { return; }
      if (Math.abs(e.clientX - startX) > 3) { moved = true; }
      if (!moved) { return; }
      // One window change per frame, however fast the pointer moves.
      var first = pending === null;
      pending = self._dayAtX(e.clientX);
      if (first) {
        window.requestAnimationFrame(function () {
          if (pending !== null && start !== null) { self.setWindow(Math.min(start, pending), Math.max(start, pending)); }
          pending = null;
        });
      }
    });
    svg.addEventListener("pointerup", function (e) {
      if (start === null) { return; }
      var end = self._dayAtX(e.clientX), r = self.D.raw.range;
      if (moved) {
        self.setWindow(Math.min(start, end), Math.max(start, end));
      } else {
        // A click: the window becomes the period of the bar under it.
        var h = self.hist, b = Math.floor((end - r[0]) / h.width);
        self.setWindow(r[0] + b * h.width, r[0] + (b + 1) * h.width - 1);
      }
      start = null;
      pending = null;
    });
  };

  // The bars, redrawn when the layers shown change.
  App.prototype._drawHistogram = function () {
    var D = this.D, range = D.raw.range, nt = D.types.length;
    var h = M.histogramCounts(D, range, binDays(range), this.layerOn);
    this.hist = h;
    var g = this.histBars;
    while (g.firstChild) { g.removeChild(g.firstChild); }
    var max = 0, b, t;
    for (b = 0; b < h.bins; b++) {
      var sum = 0;
      for (t = 0; t < nt; t++) { sum += h.counts[b * nt + t]; }
      if (sum > max) { max = sum; }
    }
    var span = range[1] - range[0] + 1, scale = max > 0 ? (H - 2) / max : 0;
    var unit = h.width === 1 ? "a day" : h.width === 7 ? "a week" : h.width + " days";
    this.histNote.textContent = "bar: " + unit + ", top " + countText(max);
    for (b = 0; b < h.bins; b++) {
      var d0 = range[0] + b * h.width, d1 = Math.min(range[1], d0 + h.width - 1);
      var x0 = (d0 - range[0]) / span * W, x1 = (d1 + 1 - range[0]) / span * W;
      var bar = svgEl("g", { "class": "mapper-hist-bin", "data-from": M.isoDay(d0), "data-to": M.isoDay(d1) });
      var y = H, parts = [], total = 0;
      for (t = 0; t < nt; t++) {
        var v = h.counts[b * nt + t];
        if (!v) { continue; }
        total += v;
        parts.push(D.types[t] + " " + countText(v));
        var ht = Math.max(1, v * scale);
        y -= ht;
        bar.appendChild(svgEl("rect", { "class": "mapper-hist-bar", x: x0 + 0.25, y: y, width: Math.max(0.5, x1 - x0 - 0.5), height: ht, fill: M.colourOf(D.types[t]), "data-type": D.types[t] }));
      }
      if (!total) { continue; }
      var title = svgEl("title");
      title.textContent = M.isoDay(d0) + (d1 !== d0 ? " \u2013 " + M.isoDay(d1) : "") + ": " + countText(total) +
        (total === 1 ? " incident" : " incidents") + " (" + parts.join(", ") + ")";
      bar.insertBefore(title, bar.firstChild);
      g.appendChild(bar);
    }
  };

  // The part of the period outside the window shaded; the window outlined.
  App.prototype._showBrush = function () {
    if (!this.histSvg) { return; }
    var r = this.D.raw.range, span = r[1] - r[0] + 1;
    var a = (this.t0 - r[0]) / span * W, b = (this.t1 + 1 - r[0]) / span * W;
    this.histShadeL.setAttribute("width", String(a));
    this.histShadeR.setAttribute("x", String(b));
    this.histShadeR.setAttribute("width", String(Math.max(0, W - b)));
    this.histWindow.setAttribute("x", String(a));
    this.histWindow.setAttribute("width", String(Math.max(0.5, b - a)));
  };

  // After every update: redraw the bars only when the layers shown changed.
  App.prototype._updateTimeline = function () {
    if (!this.histSvg) { return; }
    var sig = this.layerOn.join("");
    if (sig !== this._histSig) { this._histSig = sig; this._drawHistogram(); }
    this._showBrush();
  };

  // --- the date fields ----------------------------------------------------------

  App.prototype._dateFields = function () {
    var self = this, range = this.D.raw.range;
    var row = el("div", "mapper-date-fields");
    function field(cls, text) {
      var label = el("label", "mapper-date-label");
      label.appendChild(el("span", null, text + " "));
      var input = el("input", cls);
      input.type = "date";
      input.min = M.isoDay(range[0]);
      input.max = M.isoDay(range[1]);
      input.required = true;
      label.appendChild(input);
      row.appendChild(label);
      return input;
    }
    this.fromDate = field("mapper-from-date", "From");
    this.toDate = field("mapper-to-date", "to");
    function changed(which) {
      var a = M.dayFromIso(self.fromDate.value), b = M.dayFromIso(self.toDate.value);
      if (a === null || b === null) { return; }
      // The field changed keeps its day; the other follows when they cross.
      if (a > b) { if (which === "from") { b = a; } else { a = b; } }
      self.stopPlay();
      self.setWindow(a, b);
    }
    this.fromDate.addEventListener("change", function () { changed("from"); });
    this.toDate.addEventListener("change", function () { changed("to"); });
    return row;
  };

  App.prototype._showDateFields = function () {
    if (!this.fromDate) { return; }
    this.fromDate.value = M.isoDay(this.t0);
    this.toDate.value = M.isoDay(this.t1);
    this._showBrush();
  };

  // --- play ---------------------------------------------------------------------

  // The windows Play shows, in order: each ends at one of PLAY_EVEN days evenly through the
  // period or at one of PLAY_BUSY days evenly through the incidents' start days (so a busy week
  // gets several frames), and is ``width`` days wide.
  M.playFrames = function (D, range, width, layerOn) {
    var starts = [];
    for (var i = 0; i < D.n; i++) {
      if (layerOn[D.type[i]] && D.d0[i] >= range[0] && D.d0[i] <= range[1]) { starts.push(D.d0[i]); }
    }
    var days = Int32Array.from(starts).sort();
    var span = range[1] - range[0], ends = {};
    ends[range[0] + Math.min(width, span)] = true;
    for (var k = 1; k <= PLAY_EVEN; k++) { ends[range[0] + Math.round(span * k / PLAY_EVEN)] = true; }
    for (k = 1; k <= PLAY_BUSY && days.length; k++) { ends[days[Math.floor((days.length - 1) * k / PLAY_BUSY)]] = true; }
    return Object.keys(ends).map(Number).sort(function (a, b) { return a - b; })
      .filter(function (e) { return e >= range[0] + Math.min(width, span); })
      .map(function (e) { return [Math.max(range[0], e - width), e]; });
  };

  // Milliseconds per frame: a run of ``n`` frames takes about PLAY_RUN_MS.
  M.playInterval = function (n) { return Math.max(120, Math.min(500, Math.round(PLAY_RUN_MS / Math.max(1, n)))); };
}(window.mapperPage));
