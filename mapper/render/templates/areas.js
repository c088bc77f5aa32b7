/* areas.js: districts and provinces shaded by incidents or people killed in the time window, or by an
 * indicator the dataset gives for an area; the legend with its class breaks and the areas with most.
 *
 * An incident counts in the district and province it lies in (geography.py
 * decides, from its point); one located only to a province counts in the
 * province alone. People killed in an area are each incident's own figure, the
 * one its marker is sized by (figures.js, per the figures chosen), added up over
 * the incidents in the area: one figure per incident, never two parties' figures
 * for one incident. Claims about a whole operation belong to no area.
 */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;

  var COUNT_COLOURS = ["#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"];
  var INDICATOR_COLOURS = ["#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"];
  var FILL_OPACITY = 0.6;
  var CLASSES = 5;
  // Areas named under the legend, at most.
  var TOP_AREAS = 5;

  // The smallest of 1, 2, 3, 5 times a power of ten that is at least ``v``.
  function niceCeil(v) {
    var p = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1))));
    var steps = [1, 2, 3, 5, 10];
    for (var k = 0; k < steps.length; k++) { if (steps[k] * p >= v - 1e-9) { return steps[k] * p; } }
    return 10 * p;
  }

  // Upper bounds of the classes of whole counts 1..max: roughly geometric, round numbers.
  M.countBreaks = function (max) {
    if (!(max > 0)) { return []; }
    var uppers = [];
    for (var i = 1; i < CLASSES; i++) {
      var u = niceCeil(Math.pow(max, i / CLASSES));
      if (u < max && uppers.indexOf(u) < 0 && (!uppers.length || u > uppers[uppers.length - 1])) { uppers.push(u); }
    }
    uppers.push(max);
    return uppers;
  };

  // Equal classes between the lowest and highest value (one class when they are equal).
  function valueBreaks(values) {
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) { if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
    if (!isFinite(lo)) { return { lo: 0, uppers: [] }; }
    if (hi === lo) { return { lo: lo, uppers: [hi] }; }
    var n = Math.min(CLASSES, values.length), uppers = [];
    for (var i = 1; i <= n; i++) { uppers.push(lo + (hi - lo) * i / n); }
    return { lo: lo, uppers: uppers };
  }

  function numberText(v) {
    return Math.abs(v - Math.round(v)) < 1e-9 ? String(Math.round(v)) : v.toFixed(1);
  }

  // The colours of ``n`` classes, spread over the palette.
  function colours(palette, n) {
    if (n <= 1) { return [palette[Math.floor(palette.length / 2)]]; }
    var out = [];
    for (var i = 0; i < n; i++) { out.push(palette[Math.round(i * (palette.length - 1) / (n - 1))]); }
    return out;
  }

  function classOf(uppers, v) {
    for (var k = 0; k < uppers.length; k++) { if (v <= uppers[k] + 1e-9) { return k; } }
    return uppers.length - 1;
  }

  App.prototype._areaChoices = function () {
    var geo = this.geo, out = [["none", "No shading"]];
    if (!geo) { return out; }
    ["districts", "provinces"].forEach(function (level) {
      if (!geo[level].name.length) { return; }
      out.push([level + ":incidents", "Incidents in the window, per " + level.slice(0, -1)]);
      out.push([level + ":killed", "People killed in the window, per " + level.slice(0, -1)]);
    });
    geo.indicators.forEach(function (ind, k) {
      out.push(["indicator:" + k, ind.indicator + (ind.unit ? " (" + ind.unit + ")" : "") + ", per " +
        ind.level.slice(0, -1)]);
    });
    return out;
  };

  // The panel's "Areas" section: what shades them, the legend and the areas with most.
  App.prototype._areasSection = function () {
    var self = this, section = el("section", "mapper-areas");
    section.appendChild(el("h2", null, "Areas"));
    this.areaChoice = "none";
    this.areaSelect = el("select", "mapper-area-select");
    this.areaSelect.setAttribute("aria-label", "What shades districts and provinces");
    this._areaChoices().forEach(function (pair) {
      var o = el("option", null, pair[1]);
      o.value = pair[0];
      self.areaSelect.appendChild(o);
    });
    this.areaSelect.addEventListener("change", function () { self.setAreaShading(self.areaSelect.value); });
    section.appendChild(this.areaSelect);
    this.areaLegend = el("div", "mapper-area-legend");
    this.areaLegend.setAttribute("aria-live", "polite");
    section.appendChild(this.areaLegend);
    if (this.figureSelect) {
      // People killed follow the figures chosen for the markers.
      this.figureSelect.addEventListener("change", function () { self._updateAreas(); });
    }
    if (!this.geo) { section.hidden = true; }
    return section;
  };

  App.prototype.setAreaShading = function (choice) {
    var known = this._areaChoices().some(function (pair) { return pair[0] === choice; });
    this.areaChoice = known ? choice : "none";
    if (this.areaSelect) { this.areaSelect.value = this.areaChoice; }
    this._areaTotalsKey = null;
    this._updateAreas();
  };

  // Per area of ``level``: the measure over the incidents shown (``inWindow``)
  // or over the whole period with the layers shown.
  App.prototype._areaSums = function (level, measure, inWindow) {
    var D = this.D, n = D.n, of = this._areaOf[level], sums = new Float64Array(this.geo[level].name.length);
    var vis = this.visible, on = this.layerOn, fig = this.figures.fig, killed = measure === "killed";
    for (var i = 0; i < n; i++) {
      var a = of[i];
      if (a < 0) { continue; }
      if (inWindow ? !vis[i] : !(D.placed[i] && on[D.type[i]])) { continue; }
      if (killed) {
        var f = fig[i];
        if (f === f) { sums[a] += f; }
      } else {
        sums[a] += 1;
      }
    }
    return sums;
  };

  // Shade the areas for the current choice, window, layers and figures.
  App.prototype._updateAreas = function () {
    if (!this.geo || !this.areaLegend) { return; }
    if (!this._areaOf) {
      this._areaOf = {
        districts: Int32Array.from(this.geo.incidents.district),
        provinces: Int32Array.from(this.geo.incidents.province)
      };
    }
    var choice = this.areaChoice, shapes = this.areaShapes;
    var shading = { districts: null, provinces: null };
    var legend = null;
    if (choice.indexOf("indicator:") === 0) {
      legend = this._indicatorShading(this.geo.indicators[Number(choice.slice(10))], shading);
    } else if (choice !== "none") {
      legend = this._countShading(choice.split(":")[0], choice.split(":")[1], shading);
    }
    ["districts", "provinces"].forEach(function (level) {
      var fills = shading[level];
      shapes[level].forEach(function (shape, a) {
        var colour = fills ? fills[a] : null;
        // Restyling redraws the areas' canvas: only for the areas whose colour changed.
        if (shape.mapperFill === colour) { return; }
        shape.mapperFill = colour;
        shape.setStyle(colour ? { fillColor: colour, fillOpacity: FILL_OPACITY } : { fillOpacity: 0 });
      });
    });
    this._showAreaLegend(legend);
  };

  App.prototype._countShading = function (level, measure, shading) {
    // Breaks from the whole period, so colours mean the same as the window moves.
    var key = level + measure + this.figureMode + this.layerOn.join();
    if (this._areaTotalsKey !== key) {
      var totals = this._areaSums(level, measure, false), max = 0;
      for (var k = 0; k < totals.length; k++) { max = Math.max(max, totals[k]); }
      this._areaBreaks = M.countBreaks(max);
      this._areaTotalsKey = key;
    }
    var uppers = this._areaBreaks, cols = colours(COUNT_COLOURS, uppers.length);
    var sums = this._areaSums(level, measure, true);
    var fills = new Array(sums.length);
    for (var a = 0; a < sums.length; a++) { fills[a] = sums[a] > 0 ? cols[classOf(uppers, sums[a])] : null; }
    shading[level] = fills;
    var rows = uppers.map(function (u, c) {
      var lo = c === 0 ? 1 : uppers[c - 1] + 1;
      return [cols[c], lo >= u ? numberText(u) : numberText(lo) + "\u2013" + numberText(u)];
    });
    var noun = measure === "killed" ? "People killed" : "Incidents";
    var notes = ["Class breaks are set over the whole period, so colours compare as the window moves."];
    if (measure === "killed") {
      notes.push("Each incident counts with the figure its marker shows (" + this.figuresLabel() +
        "), added up per area; claims about a whole operation are in no area.");
    }
    if (level === "districts") { notes.push("Incidents located only to a province count in provinces, not districts."); }
    return {
      title: noun + " in the window, per " + level.slice(0, -1), rows: rows,
      zero: measure === "killed" ? "none reported in the window" : "none in the window",
      top: this._topAreas(level, sums), notes: notes
    };
  };

  App.prototype._indicatorShading = function (ind, shading) {
    var b = valueBreaks(ind.values), cols = colours(INDICATOR_COLOURS, b.uppers.length);
    var fills = new Array(this.geo[ind.level].name.length).fill(null);
    var values = new Float64Array(fills.length);
    ind.areas.forEach(function (a, k) {
      var v = ind.values[k];
      if (v !== null) { fills[a] = cols[classOf(b.uppers, v)]; values[a] = v; }
    });
    shading[ind.level] = fills;
    var unit = ind.unit ? " " + ind.unit : "";
    var rows = b.uppers.map(function (u, c) {
      var lo = c === 0 ? b.lo : b.uppers[c - 1];
      return [cols[c], (lo === u ? numberText(u) : numberText(lo) + "\u2013" + numberText(u)) + unit];
    });
    return {
      title: ind.indicator + ", per " + ind.level.slice(0, -1), rows: rows, zero: "no figure given",
      top: this._topAreas(ind.level, values, unit),
      notes: ["As the dataset's indicators table gives it (sources in the panel's indicators); it does not change with the window."]
    };
  };

  // "Kech 4 \u00b7 Quetta 3" (a middle dot between): the areas with most, as text.
  App.prototype._topAreas = function (level, sums, unit) {
    var names = this.geo[level].name, order = [];
    for (var a = 0; a < sums.length; a++) { if (sums[a] > 0) { order.push(a); } }
    order.sort(function (x, y) { return sums[y] - sums[x] || (names[x] < names[y] ? -1 : 1); });
    return order.slice(0, TOP_AREAS).map(function (a) { return names[a] + " " + numberText(sums[a]) + (unit || ""); });
  };

  App.prototype._showAreaLegend = function (legend) {
    var box = this.areaLegend;
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (!legend) { return; }
    box.appendChild(el("div", "mapper-area-title", legend.title));
    var zero = el("div", "mapper-area-class");
    zero.appendChild(el("span", "mapper-area-swatch mapper-area-swatch-none"));
    zero.appendChild(el("span", null, legend.zero));
    box.appendChild(zero);
    legend.rows.forEach(function (row) {
      var line = el("div", "mapper-area-class");
      var sw = el("span", "mapper-area-swatch");
      sw.style.background = row[0];
      line.appendChild(sw);
      line.appendChild(el("span", null, row[1]));
      box.appendChild(line);
    });
    box.appendChild(el("p", "mapper-area-top", legend.top.length ? "Most: " + legend.top.join(" \u00b7 ") :
      "No area has any in the window."));
    legend.notes.forEach(function (note) { box.appendChild(el("p", "mapper-muted", note)); });
  };
}(window.mapperPage));
