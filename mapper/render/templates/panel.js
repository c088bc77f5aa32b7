/* panel.js: the controls around the map: title and counts, the panel (time, figures, layers, legend,
 * unplaced incidents, indicators, sources) and the credits line. */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;

  var LEGEND = [
    ["mapper-sym-exact", "Filled circle: exact location"],
    ["mapper-sym-approx", "Hollow circle in a ring (dashed when few are in view): approximate location (near \u2248 5 km, district \u2248 30 km, province \u2248 150 km); the ring shows the uncertainty, not the place"],
    ["mapper-sym-grid", "Numbered disc: a group of incidents; click or zoom in"],
    ["mapper-sym-op", "Dashed outline: the places of one operation"]
  ];
  // Incidents listed by name in the "Not placed on the map" section, at most.
  var UNPLACED_LISTED = 200;

  // A Leaflet control whose element ``build()`` makes.
  function control(position, build) {
    var Control = L.Control.extend({ options: { position: position }, onAdd: build });
    return new Control();
  }

  App.prototype._buildControls = function () {
    var self = this, raw = this.D.raw;
    control("topleft", function () {
      var box = el("div", "mapper-title leaflet-bar");
      box.appendChild(el("h1", null, raw.title));
      self.countNode = el("div", "mapper-count");
      box.appendChild(self.countNode);
      L.DomEvent.disableClickPropagation(box);
      return box;
    }).addTo(this.map);
    control("topright", function () { return self._panel(); }).addTo(this.map);
    L.control.scale({ position: "bottomleft" }).addTo(this.map);
    control("bottomright", function () {
      // Collapsed to one line; the full list opens on demand (and is in the panel).
      var box = el("details", "mapper-credits");
      var summary = el("summary", null, "Sources: " + raw.attribution.join(" \u00b7 "));
      summary.setAttribute("title", "Show or hide the sources");
      box.appendChild(summary);
      // Open, the summary becomes the way to close the box again.
      box.addEventListener("toggle", function () {
        summary.textContent = box.open ? "Sources (close \u00d7)" : "Sources: " + raw.attribution.join(" \u00b7 ");
      });
      raw.attribution.forEach(function (line) { box.appendChild(M.appendCitation(el("div"), line)); });
      L.DomEvent.disableClickPropagation(box);
      return box;
    }).addTo(this.map);
  };

  App.prototype._panel = function () {
    var panel = el("div", "mapper-panel leaflet-bar");
    panel.id = "mapper-panel";
    var toggle = el("button", "mapper-panel-toggle", "Layers, time & legend");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "true");
    toggle.addEventListener("click", function () {
      var open = panel.classList.toggle("mapper-collapsed") === false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    if (window.matchMedia && window.matchMedia("(max-width: 640px)").matches) {
      panel.classList.add("mapper-collapsed");
      toggle.setAttribute("aria-expanded", "false");
    }
    var body = el("div", "mapper-panel-body");
    panel.appendChild(toggle);
    panel.appendChild(body);
    [this._timeSection(), this._figuresSection(), this._layersSection(), this._areasSection(),
      this._backgroundSection(), legendSection(),
      this._unplacedSection(), this._indicatorsSection(), sourcesSection(this.D.raw)]
      .forEach(function (section) { body.appendChild(section); });
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);
    return panel;
  };

  // Whose figures size the markers (see figures.js).
  App.prototype._figuresSection = function () {
    var self = this;
    var figs = el("section", "mapper-figures");
    figs.appendChild(el("h2", null, "Marker size: people killed"));
    this.figureSelect = el("select", "mapper-figure-select");
    this.figureSelect.setAttribute("aria-label", "Whose figures size the markers");
    var opt = function (value, text) { var o = el("option", null, text); o.value = value; return o; };
    this.figureSelect.appendChild(opt("conservative", "Conservative (smallest statement)"));
    this.figureSelect.appendChild(opt("highest", "Highest (largest statement)"));
    this.claimants.forEach(function (name) { self.figureSelect.appendChild(opt("claimant:" + name, "As claimed by " + name)); });
    this.figureSelect.addEventListener("change", function () { self.setFigures(self.figureSelect.value); });
    figs.appendChild(this.figureSelect);
    return figs;
  };

  // A checkbox row that shows or hides the layer ``key``.
  App.prototype._layerRow = function (key, swatch, text) {
    var self = this;
    var row = el("label", "mapper-layer");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-layer", key);
    box.addEventListener("change", function () { self.setLayer(key, box.checked); });
    row.appendChild(box);
    row.appendChild(swatch);
    row.appendChild(el("span", null, text));
    return { row: row, box: box };
  };

  // Layers with the legend of colours.
  App.prototype._layersSection = function () {
    var self = this, raw = this.D.raw;
    var layers = el("section", "mapper-layers");
    layers.appendChild(el("h2", null, "Layers"));
    this.layerBoxes = [];
    this.typeCountNodes = [];
    this.D.types.forEach(function (type, t) {
      var sw = el("span", "mapper-swatch");
      sw.style.background = M.colourOf(type);
      var r = self._layerRow(self.layerKeys[t], sw, type);
      var cnt = el("span", "mapper-layer-count");
      r.row.appendChild(cnt);
      self.typeCountNodes.push(cnt);
      self.layerBoxes.push(r.box);
      layers.appendChild(r.row);
    });
    // A layer with nothing in it is not listed (its box still holds the state).
    function extraLayer(key, text, cls, count) {
      var r = self._layerRow(key, el("span", cls), text);
      if (count > 0) { layers.appendChild(r.row); }
      return r.box;
    }
    this.opsBox = extraLayer("operations", "Operations (" + raw.operations.key.length + ")", "mapper-swatch mapper-swatch-op",
      raw.operations.key.length);
    this.contextBox = extraLayer("context", "Context: mines, port (" + raw.sites.name.length + ")", "mapper-swatch mapper-swatch-site",
      raw.sites.name.length);
    return layers;
  };

  // What size means how many: reference circles drawn with the markers' own radius rule.
  function sizeKey() {
    var key = el("div", "mapper-size-key");
    key.setAttribute("aria-label", "Marker size key: people reported killed");
    M.SIZE_KEY.forEach(function (n) {
      var ref = el("span", "mapper-size-ref");
      var dot = el("span");
      var d = 2 * M.radiusOf(n);
      dot.style.width = d + "px";
      dot.style.height = d + "px";
      ref.appendChild(dot);
      ref.appendChild(el("span", null, n + " killed"));
      key.appendChild(ref);
    });
    return key;
  }

  function legendSection() {
    var legend = el("section", "mapper-legend");
    legend.appendChild(el("h2", null, "Legend"));
    legend.appendChild(sizeKey());
    legend.appendChild(el("p", "mapper-muted", "Size: people killed in one party's statement (same claimant, date and " +
      "source), per the figures chosen; figures of different parties or statements are never added, nor a total " +
      "and its own part. Smallest: no figure."));
    LEGEND.forEach(function (pair) {
      var row = el("div", "mapper-legend-row");
      row.appendChild(el("span", "mapper-sym " + pair[0]));
      row.appendChild(el("span", null, pair[1]));
      legend.appendChild(row);
    });
    return legend;
  }

  App.prototype._unplacedSection = function () {
    var unplaced = el("section", "mapper-unplaced");
    this.unplacedTitle = el("h2");
    unplaced.appendChild(this.unplacedTitle);
    this.unplacedList = el("div", "mapper-unplaced-list");
    unplaced.appendChild(this.unplacedList);
    return unplaced;
  };

  // Context indicators (shown with the context layer).
  App.prototype._indicatorsSection = function () {
    var ind = this.D.raw.indicators, str = this.D.str;
    var section = el("section", "mapper-indicators");
    section.appendChild(el("h2", null, "Context: indicators"));
    if (!ind.indicator.length) { section.appendChild(el("p", "mapper-muted", "None in this dataset.")); }
    for (var r = 0; r < ind.indicator.length; r++) {
      var item = el("div", "mapper-indicator");
      var value = ind.value[r] >= 0 ? str(ind.value[r]) :
        [str(ind.low[r]), str(ind.high[r])].filter(Boolean).join("\u2013");
      item.appendChild(el("strong", null, str(ind.area[r]) + ": " + str(ind.indicator[r])));
      item.appendChild(el("span", null, " " + value + (ind.unit[r] >= 0 ? " " + str(ind.unit[r]) : "") +
        (ind.as_of[r] >= 0 ? " (" + str(ind.as_of[r]) + ")" : "")));
      if (ind.note[r] >= 0) { item.appendChild(el("div", "mapper-muted", str(ind.note[r]))); }
      item.appendChild(M.appendCitation(el("div", "mapper-sources", "Source: "), str(ind.source[r])));
      section.appendChild(item);
    }
    this.contextSection = section;
    return section;
  };

  function sourcesSection(raw) {
    var credits = el("section", "mapper-attribution");
    credits.appendChild(el("h2", null, "Sources"));
    raw.attribution.forEach(function (line) { credits.appendChild(M.appendCitation(el("p"), line)); });
    return credits;
  }

  // Every control from the state (after the URL fragment or a layer change).
  App.prototype._syncControls = function () {
    this._showWindow();
    for (var t = 0; t < this.layerBoxes.length; t++) { this.layerBoxes[t].checked = this.layerOn[t]; }
    this.opsBox.checked = this.showOps;
    this.contextBox.checked = this.showContext;
    this.figureSelect.value = this.figureMode;
    this.contextSection.style.display = this.showContext ? "" : "none";
    if (this.showContext) { this.siteGroup.addTo(this.map); } else { this.siteGroup.remove(); }
  };

  // The counts in the title and beside each type, and the list of unplaced incidents.
  App.prototype._updateCounts = function (count, typeCounts, unplaced) {
    var D = this.D;
    var text = count + " of " + D.n + " incidents";
    if (unplaced.length) { text += " \u00b7 " + unplaced.length + " without a location (listed in the panel)"; }
    this.countNode.textContent = text;
    for (var t = 0; t < typeCounts.length; t++) { this.typeCountNodes[t].textContent = " " + typeCounts[t]; }
    this.unplacedTitle.textContent = "Not placed on the map (" + unplaced.length + ")";
    var list = this.unplacedList, self = this;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!unplaced.length) { list.appendChild(el("p", "mapper-muted", "None in the time window.")); }
    unplaced.slice(0, UNPLACED_LISTED).forEach(function (i) {
      var det = el("details", "mapper-unplaced-item");
      det.setAttribute("data-incident", D.inc.id[i]);
      var sum = el("summary", null, M.humanDay(D.d0[i], D.dayPrecisions[D.inc.dp[i]]) + " \u00b7 " +
        (D.str(D.inc.place[i]) || "(no place)") + " \u00b7 " + (D.str(D.inc.reason[i]) || "no location"));
      det.appendChild(sum);
      det.addEventListener("toggle", function () {
        if (det.open && det.childNodes.length === 1) { det.appendChild(M.incidentCard(self, i)); }
      });
      list.appendChild(det);
    });
    if (unplaced.length > UNPLACED_LISTED) { list.appendChild(el("p", "mapper-muted", "\u2026 and " + (unplaced.length - UNPLACED_LISTED) + " more")); }
  };
}(window.mapperPage));
