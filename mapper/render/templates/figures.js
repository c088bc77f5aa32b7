/* figures.js: where a claim's figure becomes a marker size (the reader's choice of figures -> radius).
 *
 * Every figure is one party's claim: per subject, one claim is chosen by the
 * reader's rule, and only the chosen claims' figures for different subjects
 * are added up; two parties' figures for one subject are never summed.
 */
(function (M) {
  "use strict";
  var App = M.App;

  // The figure as its claimant gave it: "12" or "12-15".
  M.claimFigureText = function (D, k) {
    var c = D.claims;
    var hi = c.high[k];
    return hi === null || hi === c.low[k] ? String(c.low[k]) : c.low[k] + "\u2013" + hi;
  };

  // The figure one choice gives to a group of claim rows list[a..b): per
  // subject of "killed" claims, the lowest low (conservative), the largest
  // figure (highest), or the largest figure one claimant gave; summed over
  // subjects. Claims that are part of another claim are left out (their
  // whole counts them).  Returns null when no claim qualifies, else the claim rows used.
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

  // The marker radius (pixels) of a figure; the smallest marker has none.
  M.radiusOf = function (value) {
    if (isNaN(value)) { return M.BASE_RADIUS; }
    return Math.min(30, M.BASE_RADIUS + 2.4 * Math.sqrt(value));
  };

  // Whether ``mode`` is a choice this page offers (the control, or a URL fragment).
  App.prototype.knownFigures = function (mode) {
    return mode === "conservative" || mode === "highest" ||
      (mode.indexOf("claimant:") === 0 && this.claimants.indexOf(mode.slice(9)) >= 0);
  };

  // Figures and marker radii for the current choice (each choice computed once).
  App.prototype._buildFigures = function () {
    var key = this.figureMode;
    if (!this.figureCache[key]) { this.figureCache[key] = computeFigures(this.D, key); }
    this.figures = this.figureCache[key];
    var r = this.radius || new Float32Array(this.D.n);
    for (var i = 0; i < this.D.n; i++) { r[i] = M.radiusOf(this.figures.fig[i]); }
    this.radius = r;
    var self = this;
    (this.opShapes || []).forEach(function (op, o) {
      if (op.marker) { op.marker.setRadius(M.radiusOf(self.figures.opFig[o])); }
    });
  };

  App.prototype.figuresLabel = function () {
    if (this.figureMode === "conservative") { return "conservative: lowest claim per subject"; }
    if (this.figureMode === "highest") { return "highest claim per subject"; }
    return "figures of " + this.figureMode.slice(9);
  };

  App.prototype.setFigures = function (mode) {
    if (!this.knownFigures(mode)) { return; }
    this.figureMode = mode;
    this.figureSelect.value = mode;
    this._buildFigures();
    this.canvas.redraw();
    this._writeHash();
  };
}(window.mapperPage));
