/* stack.js: reaching every incident at one point: a click on stacked markers (or on a context site
 * drawn over incidents) opens a chooser listing each of them; a choice opens its card, with a way
 * back to the list. */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;

  // One chooser line: date, place, type and the marker's figure.
  function choiceText(app, i) {
    var D = app.D;
    return M.shortDay(D, i) + " \u00b7 " + (D.str(D.inc.place[i]) || "(place not given)") + " \u00b7 " +
      D.types[D.type[i]] + " \u00b7 " + M.figureText(M.markerFigure(app, i));
  }

  // A popup at ``latlng`` listing the incidents ``hits`` (and the context site ``site``, if any).
  App.prototype.openChooser = function (latlng, hits, site) {
    var self = this, D = this.D;
    var popup = L.popup(this.popupOptions()).setLatLng(latlng);
    function showList() {
      var box = el("div", "mapper-popup mapper-chooser");
      var what = hits.length + (hits.length === 1 ? " incident" : " incidents") + " here" +
        (site !== null && site !== undefined ? " and a context site" : "") + ": choose one";
      box.appendChild(el("div", "mapper-card-title", what));
      var list = el("ul", "mapper-choices");
      function choice(text, colour, show, id) {
        var li = el("li");
        var b = el("button", "mapper-choice");
        b.type = "button";
        b.setAttribute(id[0], id[1]);
        if (colour) {
          var sw = el("span", "mapper-swatch");
          sw.style.background = colour;
          b.appendChild(sw);
        }
        b.appendChild(document.createTextNode(text));
        // The content is replaced under the click: stop it here, or Leaflet, no longer finding
        // the button inside the popup, takes it for a click on the map and closes the popup.
        b.addEventListener("click", function (e) { e.stopPropagation(); show(); });
        li.appendChild(b);
        list.appendChild(li);
      }
      hits.forEach(function (i) {
        choice(choiceText(self, i), M.colourOf(D.types[D.type[i]]), function () { showCard(M.incidentCard(self, i)); },
          ["data-incident", D.inc.id[i]]);
      });
      if (site !== null && site !== undefined) {
        choice(D.str(D.raw.sites.name[site]) + " (" + D.str(D.raw.sites.kind[site]) + ")", null,
          function () { showCard(M.siteCard(D, site)); }, ["data-site", String(site)]);
      }
      box.appendChild(list);
      popup.setContent(box);
      return box;
    }
    function showCard(card) {
      var box = el("div", "mapper-popup");
      var back = el("button", "mapper-back", "\u2190 All " + (hits.length + (site !== null && site !== undefined ? 1 : 0)) + " here");
      back.type = "button";
      back.addEventListener("click", function (e) {
        e.stopPropagation();
        var list = showList();
        var first = list.querySelector("button");
        if (first) { first.focus(); }
      });
      box.appendChild(back);
      box.appendChild(card);
      popup.setContent(box);
      back.focus();
    }
    showList();
    popup.openOn(this.map);
    var first = popup.getElement() && popup.getElement().querySelector(".mapper-choice");
    if (first) { first.focus({ preventScroll: true }); }
  };

  // A click or Enter on a context site: its card, or a chooser when incidents are drawn under it.
  App.prototype.openSite = function (s) {
    var sites = this.D.raw.sites;
    var latlng = L.latLng(sites.lat[s] / 1e5, sites.lon[s] / 1e5);
    var hits = this.incidentsAt(this.map.latLngToContainerPoint(latlng), 6);
    if (!hits.length) {
      L.popup(this.popupOptions()).setLatLng(latlng).setContent(M.siteCard(this.D, s)).openOn(this.map);
      return;
    }
    this.openChooser(latlng, hits, s);
  };
}(window.mapperPage));
