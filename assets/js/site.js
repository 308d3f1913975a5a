/*
 * Progressive enhancement for every page: each feature checks that the
 * browser can do it and otherwise leaves the page as the server sent it.
 *  - "Use my location" on the search form, shown only when the browser
 *    has geolocation: fills hidden lat/lon fields and submits.
 *  - The error summary takes focus on load, and its links move focus to
 *    the field with its label in view (as the GOV.UK Design System does).
 */
(function () {
	"use strict";

	function hidden(form, name, value) {
		var input = form.querySelector("input[type=hidden][name=" +
		    name + "]");

		if (!input) {
			input = document.createElement("input");
			input.type = "hidden";
			input.name = name;
			form.appendChild(input);
		}
		input.value = value;
	}

	function geolocate(box) {
		var button = box.querySelector("[data-geolocate-button]");
		var status = box.querySelector("[data-geolocate-status]");
		var form = box.closest("form");

		if (!button || !form || !("geolocation" in navigator))
			return;
		box.hidden = false;
		button.addEventListener("click", function () {
			button.disabled = true;
			status.textContent = "Finding your location\u2026";
			navigator.geolocation.getCurrentPosition(function (pos) {
				var postcode = form.querySelector("#postcode");

				status.textContent = "Found. Searching near you\u2026";
				/* A typed postcode would win over the position. */
				if (postcode)
					postcode.value = "";
				hidden(form, "lat", pos.coords.latitude.toFixed(6));
				hidden(form, "lon", pos.coords.longitude.toFixed(6));
				form.submit();
			}, function (err) {
				var postcode = form.querySelector("#postcode");

				button.disabled = false;
				status.textContent = err.code === 1 ?
				    "Your browser did not allow us to use your " +
				    "location. Enter a postcode instead." :
				    "We could not find your location. Enter a " +
				    "postcode instead.";
				if (postcode)
					postcode.focus();
			}, { enableHighAccuracy: false, timeout: 15000,
			    maximumAge: 300000 });
		});
	}

	function errorSummary(summary) {
		summary.focus();
		summary.addEventListener("click", function (ev) {
			var link = ev.target.closest("a[href^='#']");
			var target, label, details;

			if (!link)
				return;
			target = document.getElementById(
			    link.getAttribute("href").slice(1));
			if (!target)
				return;
			ev.preventDefault();
			/* A field inside closed "More filters" must be shown. */
			details = target.closest("details");
			if (details)
				details.open = true;
			if (target.tagName === "FIELDSET") {
				target = target.querySelector("input") || target;
				label = target.closest("fieldset").querySelector(
				    "legend");
			} else {
				label = document.querySelector("label[for='" +
				    target.id + "']");
			}
			(label || target).scrollIntoView();
			target.focus({ preventScroll: true });
		});
	}

	function init() {
		document.querySelectorAll("[data-geolocate]").forEach(geolocate);
		document.querySelectorAll("[data-error-summary]").forEach(
		    errorSummary);
	}

	if (document.readyState === "loading")
		document.addEventListener("DOMContentLoaded", init);
	else
		init();
})();
