/* base.js: the page's namespace, its constants and the text-only DOM and date helpers every file uses.
 *
 * The page script is several plain files inlined in one <script> in a fixed
 * order (mapper/render/assets.py lists them); each adds to `window.mapperPage`.
 * Every text that comes from the data reaches the page through textContent or
 * createTextNode only: nothing here builds HTML from strings.  Incidents are
 * drawn on one canvas from typed arrays (no Leaflet object per incident), and
 * aggregated into a screen grid when too many are in view, so that 100,000 and
 * 1,000,000 incidents stay responsive.
 */
(function (M) {
  "use strict";

  M.DAY_MS = 86400000;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  // Colour per ACLED event type; unknown types fall back to grey.
  var TYPE_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#8e44ad",
    "Violence against civilians": "#e67e22",
    "Protests": "#2471a3",
    "Riots": "#1e8449",
    "Strategic developments": "#5d6d7e"
  };
  // Uncertainty radius drawn around approximate locations, in metres.
  M.UNCERTAINTY_M = { exact: 0, near: 5000, district: 30000, province: 150000, country: 400000 };
  // Radius of a marker without a figure, in pixels.
  M.BASE_RADIUS = 4;

  // The application: one per map. Its constructor is in main.js; every other
  // file adds the methods of its concern to App.prototype.
  M.App = function (map, raw, options) { this.init(map, raw, options); };

  // --- small DOM helpers: text only -----------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  M.el = el;

  function safeHttpUrl(text) {
    try {
      var u = new URL(text);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (err) {
      return null;
    }
  }

  // Citations as text; only http(s) URLs inside them become links.
  M.appendCitation = function (parent, text) {
    var re = /https?:\/\/[^\s;,]+/gi;
    var last = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      var href = safeHttpUrl(m[0]);
      if (href) {
        var a = el("a", null, m[0]);
        a.setAttribute("href", href);
        a.setAttribute("target", "_blank");
        a.setAttribute("rel", "noopener noreferrer");
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(m[0]));
      }
      last = m.index + m[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
    return parent;
  };

  // "Sources: ..." under a card.
  M.sourcesLine = function (text) {
    var src = el("p", "mapper-sources");
    src.appendChild(el("strong", null, "Sources: "));
    M.appendCitation(src, text);
    return src;
  };

  // --- days and names --------------------------------------------------------

  M.isoDay = function (day) {
    return new Date(day * M.DAY_MS).toISOString().slice(0, 10);
  };

  M.dayFromIso = function (text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) { return null; }
    var t = Date.parse(text + "T00:00:00Z");
    return isNaN(t) ? null : Math.round(t / M.DAY_MS);
  };

  M.humanDay = function (day, precision) {
    var d = new Date(day * M.DAY_MS);
    var y = d.getUTCFullYear();
    if (precision === "year") { return String(y); }
    if (precision === "month") { return MONTHS[d.getUTCMonth()] + " " + y; }
    var s = d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + y;
    return precision === "week" ? "week of " + s : s;
  };

  M.slug = function (text) {
    return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  };

  M.colourOf = function (type) {
    return Object.prototype.hasOwnProperty.call(TYPE_COLOURS, type) ? TYPE_COLOURS[type] : "#7f8c8d";
  };
}(window.mapperPage = window.mapperPage || {}));
