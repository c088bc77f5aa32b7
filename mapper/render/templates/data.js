/* data.js: the JSON block decoded once into typed arrays, with each incident's and operation's claims. */
(function (M) {
  "use strict";

  // Web Mercator in [0, 1] of every placed incident: pixel = value * 256 * 2^zoom.
  function mercator(inc, placed, n) {
    var X = new Float64Array(n), Y = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      if (!placed[i]) { continue; }
      var lat = inc.lat[i] / 1e5, lon = inc.lon[i] / 1e5;
      X[i] = 0.5 + lon / 360;
      var s = Math.sin(lat * Math.PI / 180);
      Y[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    return { X: X, Y: Y };
  }

  // Claims of each incident and operation: CSR offsets over the sorted claim rows.
  function claimIndex(c, n, nops) {
    var nc = c.id.length;
    var byInc = new Int32Array(n + 1);
    for (var k = 0; k < nc; k++) { if (c.inc[k] >= 0) { byInc[c.inc[k] + 1]++; } }
    for (var i = 0; i < n; i++) { byInc[i + 1] += byInc[i]; }
    var incClaims = new Int32Array(byInc[n]);
    var fill = byInc.slice(0, n);
    var opClaims = [];
    for (var o = 0; o < nops; o++) { opClaims.push([]); }
    for (k = 0; k < nc; k++) {
      if (c.inc[k] >= 0) { incClaims[fill[c.inc[k]]++] = k; }
      if (c.op[k] >= 0) { opClaims[c.op[k]].push(k); }
    }
    return { nc: nc, byInc: byInc, incClaims: incClaims, opClaims: opClaims };
  }

  M.decode = function (raw) {
    var S = raw.strings;
    function str(code) { return code >= 0 ? S[code] : ""; }
    var inc = raw.incidents;
    var n = inc.id.length;
    var placed = Uint8Array.from(inc.placed);
    var xy = mercator(inc, placed, n);
    var c = raw.claims;
    var ci = claimIndex(c, n, raw.operations.key.length);
    return {
      raw: raw, S: S, str: str, n: n, X: xy.X, Y: xy.Y,
      d0: Int32Array.from(inc.d0), d1: Int32Array.from(inc.d1),
      type: Uint8Array.from(inc.type), prec: Int8Array.from(inc.prec),
      placed: placed, inc: inc, claims: c, nc: ci.nc, byInc: ci.byInc, incClaims: ci.incClaims,
      opClaims: ci.opClaims, types: raw.types, precisions: raw.precisions,
      dayPrecisions: raw.date_precisions
    };
  };

  // An operation's name, or its key when it has none.
  M.operationName = function (D, o) {
    var ops = D.raw.operations;
    return D.str(ops.name[o]) || ops.key[o];
  };
}(window.mapperPage));
