/*
 * Signpost on a partner's page: paste one tag where the search should be.
 *
 *   <script src="https://SIGNPOST/embed.js" data-postcode="G12 8QQ"
 *       data-category="money" data-radius="5" data-q="walk" async></script>
 *
 * It draws a small search box (postcode, keywords) and the nearest
 * services: name (a link to the listing on Signpost), distance and next
 * session.  Options, all optional:
 *   data-postcode  searched at once when given
 *   data-q         keywords to start with
 *   data-category  a Signpost category (its slug, e.g. "money")
 *   data-radius    km: 0.5, 1, 2, 5 (default), 10 or 25
 *   data-limit     results shown, 1 to 20 (default 5)
 *   data-title     the heading (default "Find local services")
 *   data-heading-level  2 to 6 (default 2), to fit the page's outline
 *   data-target    CSS selector of an element to draw into (default:
 *                  right after the script tag)
 *   data-stylesheet="none"  do not load Signpost's embed.css
 * Styling: classes all start with sp-embed; /embed.css has no specificity
 * and reads colours and font from --sp-embed-* custom properties, so the
 * partner's own CSS wins (see /assets/css/embed.css for the list).
 * Results come from Signpost's /api/embed (CORS open to every site), the
 * same search as the site and the /embed iframe.  Text from the server is
 * only ever set as textContent.  A page with a Content-Security-Policy
 * must allow SIGNPOST in script-src, style-src and connect-src.
 *
 * With no JavaScript on the partner's side, the same search as a frame
 * (the same parameters, plus title; links open in a new tab, so a
 * sandboxed frame needs allow-popups):
 *   <iframe title="Find local services, from Signpost"
 *       src="https://SIGNPOST/embed?postcode=G12+8QQ&q=walk"
 *       style="width: 100%; height: 40rem; border: 0"></iframe>
 */
(function () {
	'use strict';

	var script = document.currentScript;
	if (!script) {
		/* Very old browsers: the last embed.js not yet started. */
		var all = document.querySelectorAll('script[src*="embed.js"]');
		for (var i = all.length - 1; i >= 0; i--)
			if (!all[i].hasAttribute('data-sp-embed-done')) {
				script = all[i];
				break;
			}
	}
	if (!script || script.hasAttribute('data-sp-embed-done'))
		return;
	script.setAttribute('data-sp-embed-done', '');

	var base = new URL(script.src, document.baseURI).origin;
	var data = script.dataset;
	var seq = (window.__signpostEmbeds = (window.__signpostEmbeds || 0) + 1);
	var prefix = 'sp-embed-' + seq + '-';

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text != null)
			e.textContent = text;
		return e;
	}

	function vh(text) {
		return el('span', 'sp-embed__vh', text);
	}

	if (data.stylesheet !== 'none' &&
	    !document.querySelector('link[data-sp-embed-css]')) {
		/* First in <head>: the partner's later rules win ties too. */
		var css = el('link');
		css.rel = 'stylesheet';
		css.href = base + '/embed.css';
		/* Read through CORS, so the page's own tools may inspect it. */
		css.crossOrigin = 'anonymous';
		css.setAttribute('data-sp-embed-css', '');
		var head = document.head || document.documentElement;
		head.insertBefore(css, head.firstChild);
	}

	/* ---- The box ---- */
	var root = el('section', 'sp-embed');
	var level = parseInt(data.headingLevel, 10);
	if (!(level >= 2 && level <= 6))
		level = 2;
	var title = el('h' + level, 'sp-embed__title',
	    data.title || 'Find local services');
	title.id = prefix + 'title';
	root.setAttribute('aria-labelledby', title.id);
	root.appendChild(title);

	var form = el('form', 'sp-embed__form');
	form.setAttribute('role', 'search');
	form.setAttribute('aria-labelledby', title.id);
	form.noValidate = true;
	form.action = base + '/search';
	form.method = 'get';
	root.appendChild(form);

	var fields = {};
	function field(name, label, hint, value, attrs) {
		var wrap = el('div', 'sp-embed__field');
		var lab = el('label', 'sp-embed__label', label);
		var id = prefix + name;
		lab.htmlFor = id;
		if (hint) {
			lab.appendChild(document.createTextNode(' '));
			lab.appendChild(el('span', 'sp-embed__hint', hint));
		}
		var err = el('p', 'sp-embed__error');
		err.id = id + '-error';
		err.hidden = true;
		var input = el('input', 'sp-embed__input');
		input.id = id;
		input.name = name;
		input.type = 'text';
		input.value = value || '';
		for (var k in attrs)
			input.setAttribute(k, attrs[k]);
		wrap.appendChild(lab);
		wrap.appendChild(err);
		wrap.appendChild(input);
		form.appendChild(wrap);
		fields[name] = { wrap: wrap, input: input, err: err };
	}
	field('postcode', 'Postcode', null, data.postcode, {
		autocomplete: 'postal-code', spellcheck: 'false',
		autocapitalize: 'characters', maxlength: '16'
	});
	field('q', 'What are you looking for?', '(optional)', data.q,
	    { maxlength: '200' });
	var button = el('button', 'sp-embed__button', 'Search');
	button.type = 'submit';
	form.appendChild(button);

	/*
	 * Announces progress and the count to screen readers (the heading
	 * shows the count); shown only when it has a message of its own.
	 */
	var status = el('p', 'sp-embed__status sp-embed__vh');
	status.setAttribute('role', 'status');
	root.appendChild(status);
	var results = el('div', 'sp-embed__results-wrap');
	root.appendChild(results);

	var credit = el('p', 'sp-embed__credit', 'From ');
	var home = el('a', null, 'Signpost');
	home.href = base + '/';
	credit.appendChild(home);
	credit.appendChild(document.createTextNode(', the community ' +
	    'directory. '));
	var about = el('a', null, 'Data sources and licences');
	about.href = base + '/about/data';
	credit.appendChild(about);
	credit.appendChild(document.createTextNode('.'));
	root.appendChild(credit);

	var target = data.target ? document.querySelector(data.target) : null;
	if (target)
		target.appendChild(root);
	else
		script.parentNode.insertBefore(root, script.nextSibling);

	/* ---- Errors beside the field ---- */
	function clearErrors() {
		for (var n in fields) {
			var f = fields[n];
			f.err.hidden = true;
			f.err.textContent = '';
			f.wrap.classList.remove('sp-embed__field--error');
			f.input.removeAttribute('aria-invalid');
			f.input.removeAttribute('aria-describedby');
		}
	}

	function showError(name, message, focus) {
		var f = fields[name];
		if (!f) {
			status.textContent = message;
			return;
		}
		f.err.textContent = '';
		f.err.appendChild(vh('Error: '));
		f.err.appendChild(document.createTextNode(message));
		f.err.hidden = false;
		f.wrap.classList.add('sp-embed__field--error');
		f.input.setAttribute('aria-invalid', 'true');
		f.input.setAttribute('aria-describedby', f.err.id);
		status.textContent = 'There is a problem: ' + message;
		if (focus)
			f.input.focus();
	}

	/* ---- Results ---- */
	function render(r) {
		results.textContent = '';
		var h = el('h' + Math.min(level + 1, 6), 'sp-embed__count');
		var n = r.total === 0 ? 'No services found' :
		    r.total === 1 ? '1 service' : r.total + ' services';
		/* "of G1 1" alone reads like a typo for G11. */
		var place = r.kind === 'sector' ? 'postcode sector ' :
		    r.kind === 'district' ? 'postcode district ' : '';
		h.textContent = n + ' within ' + r.radius_km + ' km of ' +
		    place + r.postcode;
		results.appendChild(h);
		if (r.corrected) {
			var c = el('p', 'sp-embed__note', 'Showing results for ');
			c.appendChild(el('strong', null, r.corrected));
			results.appendChild(c);
		}
		if (r.items.length === 0)
			results.appendChild(el('p', 'sp-embed__note', 'Try ' +
			    'other words, or search further away on Signpost.'));
		else {
			var ol = el('ol', 'sp-embed__results');
			r.items.forEach(function (it) {
				var li = el('li', 'sp-embed__result');
				var a = el('a', 'sp-embed__name', it.name);
				a.href = base + it.url;
				li.appendChild(a);
				var meta = el('p', 'sp-embed__meta');
				var parts = [];
				if (it.organisation)
					parts.push(el('span', 'sp-embed__org',
					    it.organisation));
				if (it.where)
					parts.push(el('span',
					    'sp-embed__distance', it.where));
				if (it.next)
					parts.push(el('span', 'sp-embed__next',
					    'Next: ' + it.next));
				parts.forEach(function (part, k) {
					if (k > 0) {
						var sep = el('span',
						    'sp-embed__sep', ' · ');
						sep.setAttribute('aria-hidden',
						    'true');
						meta.appendChild(sep);
					}
					meta.appendChild(part);
				});
				if (it.is_demo) {
					meta.appendChild(document
					    .createTextNode(' '));
					meta.appendChild(el('span',
					    'sp-embed__badge', 'Demo listing'));
				}
				li.appendChild(meta);
				ol.appendChild(li);
			});
			results.appendChild(ol);
		}
		var more = el('p', 'sp-embed__more');
		var ma = el('a', null, r.total > r.items.length ?
		    'See all ' + r.total + ' results on Signpost' :
		    'Search with more filters on Signpost');
		ma.href = base + r.search_url;
		more.appendChild(ma);
		results.appendChild(more);
		status.textContent = n + ' found.';
	}

	var busy = null;
	function search(userAsked) {
		clearErrors();
		var postcode = fields.postcode.input.value.trim();
		if (!postcode) {
			showError('postcode', 'Enter a postcode like G12 8QQ',
			    userAsked);
			return;
		}
		var p = new URLSearchParams();
		p.set('postcode', postcode);
		var q = fields.q.input.value.trim();
		if (q)
			p.set('q', q);
		if (data.category)
			p.set('category', data.category);
		if (data.radius)
			p.set('radius', data.radius);
		if (data.limit)
			p.set('limit', data.limit);
		if (busy && busy.abort)
			busy.abort();
		busy = typeof AbortController === 'function' ?
		    new AbortController() : null;
		button.setAttribute('aria-disabled', 'true');
		status.className = 'sp-embed__status sp-embed__vh';
		status.textContent = 'Searching…';
		fetch(base + '/api/embed?' + p.toString(), {
			credentials: 'omit',
			signal: busy ? busy.signal : undefined
		}).then(function (resp) {
			return resp.json().then(function (body) {
				return { ok: resp.ok, body: body };
			});
		}).then(function (r) {
			button.removeAttribute('aria-disabled');
			if (r.ok) {
				render(r.body);
				return;
			}
			results.textContent = '';
			showError(r.body && r.body.parameter, (r.body &&
			    r.body.detail) || 'The search did not work.',
			    userAsked);
		}).catch(function (e) {
			if (e && e.name === 'AbortError')
				return;
			button.removeAttribute('aria-disabled');
			results.textContent = '';
			status.textContent = '';
			status.className = 'sp-embed__status';
			status.appendChild(document.createTextNode('Sorry, ' +
			    'the search is not available just now. Try again ' +
			    'in a minute, or '));
			var a = el('a', null, 'search on Signpost');
			a.href = base + '/search?' + p.toString();
			status.appendChild(a);
			status.appendChild(document.createTextNode('.'));
		});
	}

	form.addEventListener('submit', function (ev) {
		ev.preventDefault();
		search(true);
	});
	if (data.postcode)
		search(false);
})();
