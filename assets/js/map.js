/*
 * The map of search results: an extra view of the list above it, never
 * the only one.  The server sends the results as JSON in
 * <script type="application/json" id="results-map-data"> (the CSP allows
 * no inline script) and the tile URL and attribution as data attributes.
 * The section stays hidden unless Leaflet loaded; when tiles fail, the
 * markers still show and a note says so.  Numbered markers match the
 * numbers in the list (one marker per venue).  Leaflet itself is loaded
 * here, once the page has loaded and the browser is idle (its URL in
 * data-leaflet), so that the list is readable first.
 */
(function () {
	"use strict";

	function init() {
		var section = document.querySelector("[data-map-section]");
		var el = document.getElementById("results-map");
		var data = document.getElementById("results-map-data");
		var note = document.querySelector("[data-map-note]");
		var L = window.L;
		var parsed, map, bounds, failed = false;

		if (!section || !el || !data || !L)
			return;
		try {
			parsed = JSON.parse(data.textContent);
		} catch (e) {
			return;
		}
		if (!parsed.items || parsed.items.length === 0)
			return;
		section.hidden = false;
		map = L.map(el, { scrollWheelZoom: false });
		L.tileLayer(el.getAttribute("data-tile-url"), {
			maxZoom: 19,
			attribution: el.getAttribute("data-attribution")
		}).on("tileerror", function () {
			if (failed || !note)
				return;
			failed = true;
			note.textContent = "The map background could not load. " +
			    "The numbered points are still placed correctly, " +
			    "and the list above has every result.";
			note.hidden = false;
		}).addTo(map);

		/* The search centre and radius, for scale. */
		L.circle(parsed.centre, {
			radius: parsed.radius,
			color: "#1d70b8",
			weight: 2,
			fill: false,
			interactive: false
		}).addTo(map);
		L.circleMarker(parsed.centre, {
			radius: 6,
			color: "#0b0c0c",
			fillColor: "#ffdd00",
			fillOpacity: 1,
			interactive: false
		}).addTo(map);

		/* Services at one venue share a marker: "1, 2". */
		var venues = {}, order = [];
		parsed.items.forEach(function (it) {
			var key = it.lat.toFixed(6) + "," + it.lon.toFixed(6);

			if (!venues[key]) {
				venues[key] = [];
				order.push(key);
			}
			venues[key].push(it);
		});

		bounds = L.latLngBounds([parsed.centre]);
		order.forEach(function (key) {
			var group = venues[key], first = group[0];
			var label = group.map(function (it) {
				return String(it.n);
			}).join(", ");
			var names = group.map(function (it) {
				return it.n + ". " + it.name;
			}).join("; ");
			var width = 14 + 8 * label.length;
			/*
			 * Labels, not controls: the list holds the same
			 * links, and twenty markers would be twenty more tab
			 * stops, often too close together to hit.
			 */
			var marker = L.marker([first.lat, first.lon], {
				title: names,
				alt: names,
				interactive: false,
				keyboard: false,
				icon: L.divIcon({
					className: "map-marker",
					html: label,
					iconSize: [Math.max(28, width), 28]
				})
			});

			marker.addTo(map);
			bounds.extend([first.lat, first.lon]);
		});
		map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
	}

	function load() {
		var section = document.querySelector("[data-map-section]");
		var src = section && section.getAttribute("data-leaflet");
		var s;

		if (window.L)
			return init();
		if (!src)
			return;
		s = document.createElement("script");
		s.src = src;
		s.onload = init;
		document.head.appendChild(s);
	}

	function later() {
		if ("requestIdleCallback" in window)
			window.requestIdleCallback(load, { timeout: 2000 });
		else
			window.setTimeout(load, 1);
	}

	if (document.readyState === "complete")
		later();
	else
		window.addEventListener("load", later);
})();
