/* geography.js: the map's own geography, offline: sea, land, borders, province and district outlines,
 * place names as page text, and tiles as an optional background on top.
 *
 * The geography block (mapper/render/geography.py) holds shapes cut to the
 * data's extent and coded as integer deltas; names are Leaflet markers whose
 * icon is a text element, so screen readers read them and they can be found
 * on the page. Names that would cover one another are hidden, the most
 * important kept (countries, provinces, cities, the incidents' places, then
 * district headquarters), and each kind shows only from the zoom where it helps.
 */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;

  // Stacking: sea and land under any tiles (tilePane is 200), outlines and
  // area shading over them, names over the incident canvas (overlayPane 400) so
  // that markers do not hide them, under sites and popups.
  var PANES = { "mapper-sea": 150, "mapper-land": 160, "mapper-areas": 350, "mapper-names": 450 };
  var SEA = "#bcd6e6", LAND = "#f3efe6", BORDER = "#8a7f70";
  // The zooms at which each kind of name may show: [from, to].
  var NAME_ZOOMS = { country: [0, 8], province: [5, 10], city: [4, 19], place: [6, 19], hq: [7, 19] };
  // Space kept around each name, in pixels, so that names do not touch.
  var NAME_GAP = 4;

  // Rings of one shape: flat delta-coded integers -> [[lat, lon], ...] per ring.
  M.decodeRings = function (polygons, quant) {
    return polygons.map(function (rings) {
      return rings.map(function (flat) {
        var out = [], x = 0, y = 0;
        for (var k = 0; k < flat.length; k += 2) {
          x += flat[k];
          y += flat[k + 1];
          out.push([y / quant, x / quant]);
        }
        return out;
      });
    });
  };

  App.prototype._buildGeography = function () {
    var node = document.getElementById("mapper-geography");
    this.geo = node ? JSON.parse(node.textContent) : null;
    this.areaShapes = { districts: [], provinces: [] };
    if (!this.geo) { return; }
    var map = this.map, geo = this.geo, q = geo.quant;
    Object.keys(PANES).forEach(function (name) {
      var pane = map.createPane(name);
      pane.style.zIndex = String(PANES[name]);
      if (name !== "mapper-areas") { pane.style.pointerEvents = "none"; }
    });
    // A small margin: the areas canvas is redrawn at each window change when shaded.
    var renderer = function (pane) { return L.canvas({ pane: pane, padding: 0.1 }); };
    var seaR = renderer("mapper-sea"), landR = renderer("mapper-land"), areaR = renderer("mapper-areas");
    var e = geo.extent;
    // The sea fills the extent; outside it the map is drawn for no one (the plain background).
    L.rectangle([[e[0], e[1]], [e[2], e[3]]], {
      renderer: seaR, pane: "mapper-sea", stroke: false, fillColor: SEA, fillOpacity: 1, interactive: false
    }).addTo(map);
    geo.countries.rings.forEach(function (polys) {
      L.polygon(M.decodeRings(polys, q), {
        renderer: landR, pane: "mapper-land", color: BORDER, weight: 1.2, fillColor: LAND, fillOpacity: 1,
        interactive: false
      }).addTo(map);
    });
    var self = this;
    // Districts then provinces: the province lines are drawn over the district ones.
    [["districts", { color: "#a89c8c", weight: 0.7 }], ["provinces", { color: "#6e6254", weight: 1.8 }]]
      .forEach(function (pair) {
        geo[pair[0]].rings.forEach(function (polys) {
          var shape = L.polygon(M.decodeRings(polys, q), L.extend({
            renderer: areaR, pane: "mapper-areas", fillOpacity: 0, fill: true, interactive: false
          }, pair[1]));
          shape.addTo(map);
          self.areaShapes[pair[0]].push(shape);
        });
      });
    this._buildNames();
    this._buildTiles();
    // The credits of what is drawn, beside the dataset's own.
    var attribution = this.D.raw.attribution;
    geo.credits.forEach(function (line) { if (attribution.indexOf(line) < 0) { attribution.push(line); } });
  };

  // One marker per name, its icon a text element.
  App.prototype._buildNames = function () {
    var labels = this.geo.labels, map = this.map;
    this.names = [];
    var group = L.layerGroup().addTo(map);
    for (var k = 0; k < labels.text.length; k++) {
      var kind = labels.kinds[labels.kind[k]];
      var text = el("span", "mapper-name-text", labels.text[k]);
      var icon = L.divIcon({ className: "mapper-name mapper-name-" + kind, html: text, iconSize: null });
      var marker = L.marker([labels.lat[k], labels.lon[k]], {
        icon: icon, pane: "mapper-names", interactive: false, keyboard: false
      });
      marker.addTo(group);
      this.names.push({ marker: marker, kind: kind, zooms: NAME_ZOOMS[kind], w: 0, h: 0 });
    }
    this.nameGroup = group;
  };

  // The boxes (container pixels) of the incident markers and grid discs last drawn.
  App.prototype._markerBoxes = function () {
    var drawn = this.canvas && this.canvas.drawn;
    if (!drawn) { return []; }
    return drawn.items.concat(drawn.cells).map(function (d) {
      return [d.x - d.r, d.y - d.r, d.x + d.r, d.y + d.r];
    });
  };

  // Show the names that fit, in order of importance; hide the rest (hidden names
  // are not read out either). Run after each redraw of the incidents and placing of the
  // operation labels: no name but an incident's own place may cover a marker drawn (or a
  // grid cell's disc), and none an operation label.
  App.prototype._declutterNames = function () {
    if (!this.names || !this.names.length) { return; }
    var map = this.map, z = map.getZoom(), size = map.getSize();
    var cell = 64, names = {}, marks = {};
    function clashes(grid, b) {
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
        for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
          var list = grid[gx + ":" + gy];
          if (!list) { continue; }
          for (var j = 0; j < list.length; j++) {
            var o = list[j];
            if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) { return true; }
          }
        }
      }
      return false;
    }
    function keep(grid, b) {
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
        for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
          (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(b);
        }
      }
    }
    this._markerBoxes().forEach(function (b) { keep(marks, b); });
    // Operation labels shown: no name slips under one.
    var box = map.getContainer().getBoundingClientRect();
    (this.opShapes || []).forEach(function (op) {
      var node = op.on && op.label.getElement();
      if (!node || node.classList.contains("mapper-label-hidden")) { return; }
      var r = node.getBoundingClientRect();
      keep(names, [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
    });
    for (var k = 0; k < this.names.length; k++) {
      var name = this.names[k], node = name.marker.getElement();
      if (!node) { continue; }
      var show = z >= name.zooms[0] && z <= name.zooms[1];
      if (show) {
        var text = node.firstChild;
        if (!name.w) {
          name.w = text.offsetWidth;
          name.h = text.offsetHeight;
          // Area names are centred on their point by a CSS transform, which offsets ignore.
          var centred = name.kind === "country" || name.kind === "province";
          name.dx = centred ? -name.w / 2 : text.offsetLeft;
          name.dy = centred ? -name.h / 2 : text.offsetTop;
        }
        var p = map.latLngToContainerPoint(name.marker.getLatLng());
        var b = [p.x + name.dx - NAME_GAP, p.y + name.dy - NAME_GAP,
          p.x + name.dx + name.w + NAME_GAP, p.y + name.dy + name.h + NAME_GAP];
        // Whole names only: a name cut by the edge ("RAN") reads as another word.
        var inView = b[0] >= -NAME_GAP && b[2] <= size.x + NAME_GAP && b[1] >= -NAME_GAP && b[3] <= size.y + NAME_GAP;
        // An incident's place name sits beside its own marker; other names give way to markers.
        show = inView && name.w > 0 && !clashes(names, b) && (name.kind === "place" || !clashes(marks, b));
        if (show) { keep(names, b); }
      }
      node.classList.toggle("mapper-name-hidden", !show);
    }
  };

  // Tiles: a background the reader may choose; nothing is asked of the network before.
  App.prototype._buildTiles = function () {
    var t = this.geo.tiles;
    this.tilesOn = false;
    if (!t) { return; }
    this.tileLayer = L.tileLayer(t.url, { subdomains: t.subdomains, maxZoom: t.maxZoom, attribution: "" });
    // The provider's credit, on the map only while its tiles are.
    var Credit = L.Control.extend({ options: { position: "bottomright" }, onAdd: function () {
      return el("div", "mapper-tile-credit leaflet-bar", "Tiles: " + t.credit);
    } });
    this.tileCredit = new Credit();
  };

  App.prototype.setTiles = function (on) {
    if (!this.tileLayer) { return; }
    this.tilesOn = !!on;
    if (on) { this.tileLayer.addTo(this.map); this.tileCredit.addTo(this.map); } else {
      this.tileLayer.remove();
      this.tileCredit.remove();
    }
    if (this.backgroundInputs) { this.backgroundInputs[on ? 1 : 0].checked = true; }
  };

  // The panel's "Background" section: the built-in map, or tiles from the network.
  App.prototype._backgroundSection = function () {
    var section = el("section", "mapper-background"), self = this, t = this.geo && this.geo.tiles;
    section.appendChild(el("h2", null, "Background"));
    if (!t) {
      section.appendChild(el("p", "mapper-muted", this.geo ? "Built-in map (works offline)." : "None."));
      return section;
    }
    this.backgroundInputs = [];
    [["Built-in map (works offline)", false], [t.name + " tiles (loaded from the internet)", true]]
      .forEach(function (pair) {
        var row = el("label", "mapper-layer");
        var input = el("input");
        input.type = "radio";
        input.name = "mapper-background";
        input.checked = pair[1] === false;
        input.setAttribute("data-background", pair[1] ? "tiles" : "built-in");
        input.addEventListener("change", function () { if (input.checked) { self.setTiles(pair[1]); } });
        row.appendChild(input);
        row.appendChild(el("span", null, pair[0]));
        section.appendChild(row);
        self.backgroundInputs.push(input);
      });
    return section;
  };
}(window.mapperPage));
