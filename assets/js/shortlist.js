/*
 * The shortlist with JavaScript: kept in localStorage and mirrored into
 * the URL (ids=...), so it survives navigation and can still be shared
 * as a link.  "Add to shortlist" buttons update in place; the header's
 * Shortlist link shows the count.  Without this file every button is a
 * plain GET form that works through /shortlist/toggle.
 *
 * Also: copy buttons ([data-copy]) and the print button ([data-print])
 * on the shortlist sheet, which stay hidden without JavaScript.
 */
(function () {
	"use strict";

	var KEY = "signpost.shortlist";
	var MAX = 20;
	var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

	function parse(s) {
		var out = [];

		(s || "").split(",").forEach(function (id) {
			id = id.trim().toLowerCase();
			if (UUID.test(id) && out.indexOf(id) === -1 &&
			    out.length < MAX)
				out.push(id);
		});
		return out;
	}

	function load() {
		try {
			return parse(window.localStorage.getItem(KEY));
		} catch (e) {
			return null;	/* storage blocked: URL only */
		}
	}

	function save(ids) {
		try {
			if (ids.length)
				window.localStorage.setItem(KEY, ids.join(","));
			else
				window.localStorage.removeItem(KEY);
		} catch (e) {
			/* Private mode or full: the URL still carries it. */
		}
	}

	function urlIds() {
		var p = new URLSearchParams(window.location.search);

		return p.has("ids") ? parse(p.get("ids")) : null;
	}

	/*
	 * Put ids into a URL (string), replacing any there.  The commas stay
	 * as they are (URLSearchParams would write %2C), so the address is
	 * the same one the server writes.
	 */
	function withIds(href, ids) {
		var u = new URL(href, window.location.href);
		var q;

		u.searchParams.delete("ids");
		q = u.searchParams.toString();
		if (ids.length)
			q += (q ? "&" : "") + "ids=" + ids.join(",");
		return u.pathname + (q ? "?" + q : "") + u.hash;
	}

	var live;

	function announce(msg) {
		if (!live) {
			live = document.createElement("div");
			live.className = "visually-hidden";
			live.setAttribute("role", "status");
			live.setAttribute("aria-live", "polite");
			document.body.appendChild(live);
		}
		live.textContent = "";
		window.setTimeout(function () { live.textContent = msg; }, 50);
	}

	function render(ids) {
		var link = document.querySelector("[data-shortlist-link]");

		if (link) {
			var count = link.querySelector("[data-shortlist-count]");

			if (!count) {
				count = document.createElement("span");
				count.setAttribute("data-shortlist-count", "");
				count.className = "shortlist-count";
				link.appendChild(count);
			}
			count.textContent = ids.length ? " (" + ids.length + ")" : "";
			link.setAttribute("href", withIds("/shortlist", ids));
		}
		/*
		 * Links and forms the server wrote with the list it was given
		 * would bring an old list back on the next page: update them.
		 */
		document.querySelectorAll("a[href*='ids=']").forEach(function (a) {
			var u = new URL(a.href, window.location.href);

			if (u.origin === window.location.origin &&
			    u.searchParams.has("ids"))
				a.setAttribute("href", withIds(a.href, ids));
		});
		document.querySelectorAll("input[type=hidden][name=ids]").forEach(
		    function (i) {
			i.value = ids.join(",");
			i.disabled = ids.length === 0;
		});
		document.querySelectorAll("form[data-shortlist-form]").forEach(
		    function (f) {
			var btn = f.querySelector("[data-shortlist-id]");
			var label = f.querySelector("[data-shortlist-label]");
			var field = f.querySelector("input[name=ids]");
			var on;

			if (!btn)
				return;
			on = ids.indexOf(btn.getAttribute("data-shortlist-id")) !== -1;
			if (label)
				label.textContent = on ? "Remove from shortlist" :
				    "Add to shortlist";
			btn.classList.toggle("is-on", on);
			/* Without JS the form still works with the new list. */
			if (!field) {
				field = document.createElement("input");
				field.type = "hidden";
				field.name = "ids";
				f.insertBefore(field, f.firstChild);
			}
			field.value = ids.join(",");
			field.disabled = ids.length === 0;
		});
	}

	function syncUrl(ids) {
		var here = urlIds();

		if (here === null && ids.length === 0)
			return;
		window.history.replaceState(window.history.state, "",
		    withIds(window.location.href, ids));
	}

	function init() {
		var fromUrl = urlIds();
		var stored = load();
		var ids;

		/* A link with ids (shared, or from a page without JS) wins. */
		if (fromUrl !== null)
			ids = fromUrl;
		else
			ids = stored || [];
		if (stored !== null)
			save(ids);

		/* The sheet is rendered by the server from the URL. */
		if (window.location.pathname === "/shortlist" &&
		    fromUrl === null && ids.length) {
			window.location.replace(withIds("/shortlist", ids));
			return;
		}
		syncUrl(ids);
		render(ids);

		document.addEventListener("submit", function (ev) {
			var f = ev.target;
			var btn, id, name, cur, i;

			if (!f.matches || !f.matches("form[data-shortlist-form]"))
				return;
			btn = f.querySelector("[data-shortlist-id]");
			if (!btn)
				return;
			id = btn.getAttribute("data-shortlist-id");
			name = btn.getAttribute("data-shortlist-name") || "Service";
			cur = load() || urlIds() || [];
			i = cur.indexOf(id);
			if (i === -1 && cur.length >= MAX) {
				ev.preventDefault();
				announce("The shortlist holds at most " + MAX +
				    " services. Remove one first.");
				return;
			}
			if (i === -1)
				cur.push(id);
			else
				cur.splice(i, 1);
			save(cur);
			/*
			 * The sheet is rebuilt by the server: let the form go
			 * as it is (its ids are the list before this toggle).
			 */
			if (window.location.pathname === "/shortlist")
				return;
			ev.preventDefault();
			syncUrl(cur);
			render(cur);
			announce(i === -1 ? name + " added to the shortlist (" +
			    cur.length + ")." : name + " removed from the shortlist.");
		});

		/* Another tab changed it. */
		window.addEventListener("storage", function (ev) {
			if (ev.key === KEY) {
				var now = parse(ev.newValue);

				syncUrl(now);
				render(now);
			}
		});

		document.querySelectorAll("[data-copy]").forEach(function (b) {
			var target = document.getElementById(
			    b.getAttribute("data-copy"));
			var status = document.querySelector(
			    "[data-copy-status=\"" + b.getAttribute("data-copy") +
			    "\"]");

			if (!target)
				return;
			b.hidden = false;
			b.addEventListener("click", function () {
				function done(ok) {
					if (status)
						status.textContent = ok ? "Copied." :
						    "Could not copy: select the text " +
						    "and copy it.";
				}
				target.focus();
				target.select();
				if (navigator.clipboard && window.isSecureContext) {
					navigator.clipboard.writeText(target.value).then(
					    function () { done(true); },
					    function () { done(false); });
				} else {
					try {
						done(document.execCommand("copy"));
					} catch (e) {
						done(false);
					}
				}
			});
		});

		document.querySelectorAll("[data-print]").forEach(function (b) {
			b.hidden = false;
			b.addEventListener("click", function () { window.print(); });
		});
	}

	if (document.readyState === "loading")
		document.addEventListener("DOMContentLoaded", init);
	else
		init();
})();
