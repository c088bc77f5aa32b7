/* layers.js: the Leaflet layers beside the canvas: operation outlines, discs and labels; context sites. */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;
  var OUTLINE = { interactive: false, color: "#17202a", weight: 2, dashArray: "6 6", fillOpacity: 0.04 };

  // One operation's outline, disc and label (nothing to draw without member places).
  function operationShape(hull) {
    var shape = null, label = null, centre = null, marker = null;
    if (hull.length >= 3) {
      shape = L.polygon(hull, OUTLINE);
    } else if (hull.length >= 1) {
      shape = L.circle(hull[0], L.extend({ radius: 20000 }, OUTLINE));
    }
    var node = el("span", "mapper-op-label");
    if (shape) {
      centre = hull.length >= 3 ? shape.getBounds().getCenter() : L.latLng(hull[0]);
      // The operation's own figures (claims about the whole operation) size this disc.
      marker = L.circleMarker(centre, { radius: M.BASE_RADIUS, interactive: false, color: "#17202a",
        weight: 2, dashArray: "3 3", fillColor: "#17202a", fillOpacity: 0.18 });
      label = L.tooltip({ permanent: true, direction: "top", offset: [0, -6], className: "mapper-op-tooltip", interactive: false })
        .setLatLng(centre).setContent(node);
    }
    return { shape: shape, label: label, marker: marker, centre: centre, node: node, hull: hull,
      inWindow: 0, total: 0, on: false };
  }

  App.prototype._buildOperations = function () {
    var D = this.D, ops = D.raw.operations;
    this.opGroup = L.layerGroup();
    this.opShapes = ops.hull.map(operationShape);
    // Members of each operation, for counts in the window.
    this.opMembers = ops.key.map(function () { return []; });
    for (var i = 0; i < D.n; i++) { if (D.inc.op[i] >= 0) { this.opMembers[D.inc.op[i]].push(i); } }
    this.opGroup.addTo(this.map);
  };

  App.prototype._buildSites = function () {
    var self = this, D = this.D, sites = D.raw.sites, str = D.str;
    this.siteGroup = L.layerGroup();
    for (var s = 0; s < sites.name.length; s++) {
      var kind = M.slug(str(sites.kind[s])) || "site";
      var icon = L.divIcon({ className: "mapper-site mapper-site-" + kind, iconSize: [12, 12] });
      var mk = L.marker([sites.lat[s] / 1e5, sites.lon[s] / 1e5], { icon: icon, keyboard: true });
      mk.bindTooltip(el("span", null, str(sites.name[s])), { direction: "top", offset: [0, -8] });
      // Its card, or a chooser when incidents lie under it (stack.js).
      (function (idx) { mk.on("click", function () { self.openSite(idx); }); })(s);
      mk.addTo(this.siteGroup);
    }
    this.siteGroup.addTo(this.map);
  };

  // Show the operations with incidents in the time window (or dates in it), with counts.
  App.prototype._updateOperations = function () {
    var D = this.D, ops = D.raw.operations;
    for (var o = 0; o < this.opShapes.length; o++) {
      var op = this.opShapes[o], members = this.opMembers[o], k = 0;
      for (var j = 0; j < members.length; j++) {
        var i = members[j];
        if (D.d0[i] <= this.t1 && D.d1[i] >= this.t0) { k++; }
      }
      op.inWindow = k;
      op.total = members.length;
      var overlaps = members.length ? k > 0 :
        (ops.d0[o] !== null && ops.d0[o] <= this.t1 && (ops.d1[o] === null ? ops.d0[o] : ops.d1[o]) >= this.t0);
      var want = this.showOps && overlaps && op.shape !== null;
      op.node.textContent = M.operationName(D, o) + (members.length ? " (" + k + " of " + members.length + ")" : "");
      if (want !== op.on) {
        var change = want ? "addLayer" : "removeLayer";
        this.opGroup[change](op.shape);
        this.opGroup[change](op.label);
        this.opGroup[change](op.marker);
      }
      op.on = want;
    }
  };

  // Where an operation's label may sit around its disc, in order of preference.
  var LABEL_PLACES = [["top", [0, -6]], ["bottom", [0, 6]], ["right", [6, 0]], ["left", [-6, 0]]];

  function placeLabel(label, place) {
    label.options.direction = place[0];
    label.options.offset = place[1];
    label.update();
  }

  // Operation labels: each takes the first place around its disc, whole on the screen,
  // that covers no other label and no incident marker; where there is none (a phone, a
  // zoomed-out view) it hides until zooming in makes room: a name never hides data. The
  // operation with more incidents in the window chooses first. Outlines and discs stay,
  // and a tap on one opens its card. Run after each redraw of the incidents (draw.js),
  // then the names, which give way to the labels.
  App.prototype._declutterLabels = function () {
    var shown = (this.opShapes || []).filter(function (op) { return op.on && op.label.getElement(); });
    shown.sort(function (a, b) { return b.inWindow - a.inWindow; });
    var box = this.map.getContainer().getBoundingClientRect(), marks = this._markerBoxes(), kept = [];
    function overlaps(r, list) {
      return list.some(function (k) { return r[0] < k[2] && k[0] < r[2] && r[1] < k[3] && k[1] < r[3]; });
    }
    shown.forEach(function (op) {
      var node = op.label.getElement(), fits = [];
      node.classList.remove("mapper-label-hidden");
      LABEL_PLACES.forEach(function (place) {
        placeLabel(op.label, place);
        var c = node.getBoundingClientRect();
        var r = [c.left - box.left, c.top - box.top, c.right - box.left, c.bottom - box.top];
        // Off the screen's edge a label is cut: only places where it is whole count.
        var whole = r[0] >= 0 && r[1] >= 0 && r[2] <= box.width && r[3] <= box.height;
        if (whole && !overlaps(r, kept)) { fits.push({ place: place, r: r, clear: !overlaps(r, marks) }); }
      });
      var best = fits.filter(function (f) { return f.clear; })[0];
      placeLabel(op.label, best ? best.place : LABEL_PLACES[0]);
      if (best) { kept.push(best.r); } else { node.classList.add("mapper-label-hidden"); }
    });
    this._declutterNames();  // names give way to the labels where they now are
  };
}(window.mapperPage));
