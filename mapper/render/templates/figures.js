/* figures.js: where a claim's figure becomes a marker size (the reader's choice of figures -> radius).
 *
 * A marker's size is one party's figure, never an invented one: the figures of
 * one statement (same claimant, date and source) about one incident or
 * operation, one per subject of its "killed" claims, added up ("17 security
 * forces + 31 civilians, one statement by ..."). Figures of different claimants
 * or statements are never added, and a claim that is part of another (UCDP's
 * civilians within its best estimate) is never added to its whole. The reader
 * chooses which statement sizes the marker: the smallest total any statement
 * gives (conservative), the largest (highest), or one claimant's largest.
 */
(function (M) {
  "use strict";
  var App = M.App;

  // The figure as its claimant stated it: "12", "12-15", "at least 31".
  M.claimFigureText = function (D, k) {
    var c = D.claims;
    if (c.fig && c.fig[k] >= 0) { return D.str(c.fig[k]); }
    var hi = c.high[k];
    return hi === null || hi === c.low[k] ? String(c.low[k]) : c.low[k] + "\u2013" + hi;
  };

  // The value a claim gives under a choice: its low (conservative) or its high.
  function valueOf(c, k, mode) {
    return mode === "conservative" ? c.low[k] : (c.high[k] === null ? c.low[k] : c.high[k]);
  }

  // The statements among claim rows list[a..b): "killed" claims that are not
  // parts of another, grouped by (claimant, date, source); within a statement,
  // one claim per subject (the lowest for conservative, else the highest).
  function statements(D, mode, claimant, killed, list, a, b) {
    var c = D.claims, byKey = {}, out = [];
    for (var j = a; j < b; j++) {
      var k = list[j];
      if (c.outcome[k] !== killed || c.part[k] >= 0) { continue; }
      if (claimant !== null && c.claimant[k] !== claimant) { continue; }
      var key = c.claimant[k] + "|" + c.on[k] + "|" + c.source[k];
      var st = byKey[key];
      if (!st) { st = byKey[key] = { bySubject: {}, subjects: [] }; out.push(st); }
      var v = valueOf(c, k, mode), s = c.subject[k], prev = st.bySubject[s];
      if (prev === undefined) { st.subjects.push(s); }
      if (prev === undefined || (mode === "conservative" ? v < valueOf(c, prev, mode) : v > valueOf(c, prev, mode))) {
        st.bySubject[s] = k;
      }
    }
    return out.map(function (st) {
      var ks = st.subjects.map(function (s) { return st.bySubject[s]; });
      var total = 0;
      ks.forEach(function (k) { total += valueOf(c, k, mode); });
      return { total: total, ks: ks };
    });
  }

  // The statement that sizes a marker under a choice, or null: its total and claim rows.
  function figureOver(D, mode, claimant, killed, list, a, b) {
    var best = null;
    statements(D, mode, claimant, killed, list, a, b).forEach(function (st) {
      var better = best === null ||
        (mode === "conservative" ? st.total < best.total : st.total > best.total);
      if (better) { best = st; }
    });
    return best;
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

  // Reference figures of the size key: round numbers whose circles differ visibly.
  M.SIZE_KEY = [5, 25, 100];

  // What sizes a marker, in words: "48 killed = 17 security forces + at least 31
  // civilians, one statement by Pakistani officials on 1 February 2026".
  M.sizeText = function (D, mode, value, ks) {
    var c = D.claims;
    var terms = ks.map(function (k) {
      var stated = M.claimFigureText(D, k), v = valueOf(c, k, mode);
      var ranged = c.high[k] !== null && c.high[k] !== c.low[k];
      return (ranged ? v + " (of " + stated + ")" : stated) + " " + D.str(c.subject[k]);
    });
    var k0 = ks[0];
    var who = D.str(c.claimant[k0]);
    var when = c.on[k0] === null ? "" : " on " + M.humanDay(c.on[k0], "day");
    if (ks.length === 1) { return terms[0] + " killed, as claimed by " + who + when; }
    // A sum with a lower bound in it ("at least 31") is itself a lower bound.
    var open = ks.some(function (k) { return /^(at least|over|more than)\b|\+$/.test(M.claimFigureText(D, k)); });
    return (open ? "at least " : "") + value + " killed = " + terms.join(" + ") +
      ", one statement by " + who + when;
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
    if (this.figureMode === "conservative") { return "conservative: the smallest total any one statement gives"; }
    if (this.figureMode === "highest") { return "the largest total any one statement gives"; }
    return "the largest total " + this.figureMode.slice(9) + " gave in one statement";
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
