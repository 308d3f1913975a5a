/*
 * The small map on a service page: one marker per [data-map] element
 * (data-lat, data-lon, data-label, data-tile-url, data-tile-attribution).
 * Only an extra: the address and an OpenStreetMap link are on the page
 * already, so if Leaflet or the tiles fail nothing is lost.
 */
(function () {
	"use strict";

	function init() {
		if (!window.L)
			return;
		document.querySelectorAll(".service-map[data-map]").forEach(
		    function (el) {
			var lat = parseFloat(el.getAttribute("data-lat"));
			var lon = parseFloat(el.getAttribute("data-lon"));
			var map;

			if (el.getAttribute("data-map-ready") || isNaN(lat) ||
			    isNaN(lon))
				return;
			el.setAttribute("data-map-ready", "1");
			map = window.L.map(el, {
				scrollWheelZoom: false,
				keyboard: false
			}).setView([lat, lon], 16);
			window.L.tileLayer(el.getAttribute("data-tile-url"), {
				maxZoom: 19,
				attribution: el.getAttribute("data-tile-attribution")
			}).addTo(map);
			window.L.marker([lat, lon], {
				keyboard: false,
				title: el.getAttribute("data-label") || ""
			}).addTo(map);
		});
	}

	if (document.readyState === "loading")
		document.addEventListener("DOMContentLoaded", init);
	else
		init();
})();
