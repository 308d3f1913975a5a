// The partner widget, as a partner uses it: a page on another origin
// (a tiny Node server on its own free port) with the one-line script tag
// and the iframe.  Both must list the services near the postcode, link to
// our detail pages, be accessible, take the partner's colours, and show
// errors beside the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
	BASE, newContext, newPage, goto, checkA11y, assertNoProblems,
	screenshot, tabTo, focusState, assertNear, openBrowser, closeBrowser,
} from './lib.mjs';

let browser, ctx, fx, partner, PARTNER;
const esc = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// A partner's page: its own heading and colours, our tag, our iframe.
function partnerPage(u) {
	const p = Object.fromEntries(u.searchParams);
	const attrs = Object.entries(p).filter(([k]) => k !== 'frame')
	    .map(([k, v]) => ` data-${k}="${esc(v)}"`).join('');
	const frameSrc = `${BASE}/embed?${new URLSearchParams({
	    postcode: p.postcode || '', q: p.q || '' })}`;
	return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Partick Community Hub</title>
<style>
 body { font-family: Georgia, serif; margin: 1rem; }
 :root { --sp-embed-accent: #6b1d8f; }
</style></head>
<body><header><p>Partick Community Hub</p></header>
<main><h1>Support near you</h1>
<p>Search local groups and services below.</p>
<script src="${BASE}/embed.js"${attrs} async></script>
${p.frame === '1' ? `<h2>The same search in a frame</h2>
<iframe title="Find local services, from Signpost" src="${esc(frameSrc)}"
 style="width: 100%; height: 40rem; border: 1px solid #505a5f"></iframe>` : ''}
</main></body></html>`;
}

before(async () => {
	partner = http.createServer((req, res) => {
		const u = new URL(req.url, 'http://x');
		if (u.pathname !== '/partner.html') {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(partnerPage(u));
	});
	await new Promise((ok) => partner.listen(0, '127.0.0.1', ok));
	PARTNER = `http://127.0.0.1:${partner.address().port}`;
	assert.notEqual(new URL(PARTNER).origin, new URL(BASE).origin);
	({ browser, ctx, fx } = await openBrowser({ page: false,
	    allow: [PARTNER] }));
});

after(async () => {
	await closeBrowser({ browser, fx });
	partner?.closeAllConnections();
	partner?.close();
});

const partnerUrl = (o) => `${PARTNER}/partner.html?${new URLSearchParams(o)}`;

test('embed.js and embed.css are served with their types, open to every origin, revalidatable', async () => {
	for (const [path, type] of [['/embed.js', /^text\/javascript/],
	    ['/embed.css', /^text\/css/]]) {
		const r = await fetch(BASE + path);
		assert.equal(r.status, 200, path);
		assert.match(r.headers.get('content-type'), type, path);
		assert.equal(r.headers.get('access-control-allow-origin'), '*');
		const etag = r.headers.get('etag');
		assert.ok(etag, path);
		assert.match(await r.text(), /sp-embed/);
		const again = await fetch(BASE + path,
		    { headers: { 'If-None-Match': etag } });
		assert.equal(again.status, 304, path);
	}
});

test('only /embed may be framed by other sites', async () => {
	const e = await fetch(`${BASE}/embed?postcode=G12+8QQ`);
	assert.equal(e.status, 200);
	assert.match(e.headers.get('content-security-policy'),
	    /frame-ancestors \*/);
	const home = await fetch(`${BASE}/`);
	assert.doesNotMatch(home.headers.get('content-security-policy') || '',
	    /frame-ancestors \*/);
});

test('/api/embed names the bad parameter in problem JSON', async () => {
	for (const [qs, param] of [['postcode=G12+8QQ&radius=3', 'radius'],
	    ['postcode=NOPE', 'postcode'], ['q=walk', 'postcode'],
	    ['postcode=G12+8QQ&limit=99', 'limit'],
	    ['postcode=G12+8QQ&category=no-such-category', 'category']]) {
		const r = await fetch(`${BASE}/api/embed?${qs}`);
		assert.equal(r.status, 400, qs);
		assert.match(r.headers.get('content-type'),
		    /application\/problem\+json/);
		assert.equal(r.headers.get('access-control-allow-origin'), '*');
		const j = await r.json();
		assert.equal(j.parameter, param, qs);
		assert.ok(j.detail, qs);
	}
});

test('the script tag draws results on a partner page, nearest first', async () => {
	const page = await newPage(ctx);
	await goto(page, partnerUrl({ postcode: 'G12 8QQ', q: fx.sfx,
	    radius: '5' }));
	const box = page.locator('section.sp-embed');
	const walk = box.getByRole('link', { name: fx.walk.name });
	await walk.waitFor();
	assert.equal(await walk.getAttribute('href'),
	    `${BASE}/services/${fx.walk.id}`);
	const items = await box.locator('li').allInnerTexts();
	assert.equal(items.length, 3, items.join(' | '));
	assert.match(items[0], new RegExp(fx.walk.name));
	assertNear(items[0], 700, 'walk');
	assert.match(items[0], /Next: \w{3} \d\d:\d\d/);
	assert.match(items[0], new RegExp(`${fx.orgName} · `),
	    'parts are separated in the text itself');
	assert.match(items[1], new RegExp(fx.advice.name));
	assertNear(items[1], 1600, 'advice');
	assert.match(await box.getByRole('status').textContent(), /3 services/);
	// Inside the partner's <main>, right where the tag was.
	assert.equal(await box.evaluate((e) =>
	    e.previousElementSibling.tagName), 'SCRIPT');
	await checkA11y(page, 'partner page with the widget');
	assertNoProblems(page, 'partner page with the widget');
	await screenshot(page, 'embed-script');
	await page.close();
});

test('the partner\'s category, radius, limit and title shape the widget', async () => {
	const page = await newPage(ctx);
	const names = async () => {
		await page.locator('.sp-embed__count').waitFor();
		return page.locator('.sp-embed__result .sp-embed__name')
		    .allInnerTexts();
	};
	await goto(page, partnerUrl({ postcode: 'G12 8QQ', q: fx.sfx,
	    category: 'money' }));
	assert.deepEqual(await names(), [fx.advice.name], 'category money');
	await goto(page, partnerUrl({ postcode: 'G12 8QQ', q: fx.sfx,
	    radius: '1' }));
	assert.deepEqual(await names(), [fx.walk.name], 'within 1 km');
	await goto(page, partnerUrl({ postcode: 'G12 8QQ', q: fx.sfx,
	    limit: '2', title: 'Groups near you', 'heading-level': '3' }));
	assert.deepEqual(await names(), [fx.walk.name, fx.advice.name]);
	await page.getByRole('heading', { level: 3, name: 'Groups near you' })
	    .waitFor();
	const more = page.getByRole('link', { name: 'See all 3 results on Signpost' });
	const u = new URL(await more.getAttribute('href'));
	assert.equal(u.origin + u.pathname, `${BASE}/search`);
	assert.equal(u.searchParams.get('q'), fx.sfx);
	await checkA11y(page, 'widget with a partner title');
	assertNoProblems(page, 'widget options');
	await page.close();

	// The iframe takes the same, as query parameters.
	const r = await fetch(`${BASE}/embed?${new URLSearchParams({
	    postcode: 'G12 8QQ', q: fx.sfx, category: 'money',
	    title: 'Money help <near> you' })}`);
	const html = await r.text();
	assert.match(html, /<h1 class="sp-embed__title">Money help &lt;near&gt; you<\/h1>/);
	assert.match(html, new RegExp(fx.advice.name));
	assert.doesNotMatch(html, new RegExp(fx.walk.name));
	assert.match(html, /<input type="hidden" name="category" value="money">/);
});

test('the widget takes the partner\'s colours and font', async () => {
	const page = await newPage(ctx);
	await goto(page, partnerUrl({ postcode: 'G12 8QQ', q: fx.sfx }));
	const btn = page.locator('.sp-embed__button');
	await page.locator('.sp-embed__result').first().waitFor();
	const st = await btn.evaluate((b) => ({
		bg: getComputedStyle(b).backgroundColor,
		font: getComputedStyle(b.closest('.sp-embed')).fontFamily,
	}));
	assert.equal(st.bg, 'rgb(107, 29, 143)', '--sp-embed-accent applies');
	assert.match(st.font, /Georgia/, 'inherits the page font');
	// A plain rule of the partner's beats ours without !important.
	await page.addStyleTag({ content: '.sp-embed__name { color: rgb(0, 100, 0); }' });
	assert.equal(await page.locator('.sp-embed__name').first().evaluate(
	    (a) => getComputedStyle(a).color), 'rgb(0, 100, 0)');
	await page.close();
});

test('the widget shows a bad postcode beside the field and recovers', async () => {
	const page = await newPage(ctx);
	await goto(page, partnerUrl({ q: fx.sfx }));
	const pc = page.getByLabel('Postcode');
	await pc.fill('ZZ99 9ZZ');
	await page.getByRole('button', { name: 'Search' }).click();
	const err = page.locator('.sp-embed__error:not([hidden])');
	await err.waitFor();
	assert.match(await err.innerText(), /postcode/i);
	assert.equal(await pc.getAttribute('aria-invalid'), 'true');
	assert.equal(await pc.getAttribute('aria-describedby'),
	    await err.getAttribute('id'));
	assert.equal(await page.evaluate(() =>
	    document.activeElement.getAttribute('name')), 'postcode');
	await checkA11y(page, 'widget with an error');
	await pc.fill('g12 8qq');
	await page.keyboard.press('Enter');
	await page.getByRole('link', { name: fx.walk.name }).waitFor();
	assert.equal(await pc.getAttribute('aria-invalid'), null);
	assertNoProblems(page, 'widget error');
	await page.close();
});

test('the widget says so, with a way on, when our API cannot be reached', async () => {
	const page = await newPage(ctx);
	await page.route(`${BASE}/api/embed*`, (r) => r.abort('connectionrefused'));
	await goto(page, partnerUrl({ postcode: 'G12 8QQ', q: fx.sfx }));
	const status = page.locator('section.sp-embed').getByRole('status');
	await status.filter({ hasText: /not available/ }).waitFor();
	assert.ok(await status.isVisible(), 'the message is shown, not only announced');
	const link = status.getByRole('link', { name: /search on Signpost/ });
	const u = new URL(await link.getAttribute('href'));
	assert.equal(u.origin + u.pathname, `${BASE}/search`);
	assert.equal(u.searchParams.get('q'), fx.sfx);
	await page.close();
});

test('the widget and the frame reflow at 320 px without sideways scrolling', async () => {
	const small = await newContext(browser,
	    { viewport: { width: 320, height: 640 } }, [PARTNER]);
	try {
		const page = await newPage(small);
		await goto(page, partnerUrl({ postcode: 'G12 8QQ', q: fx.sfx,
		    frame: '1' }));
		await page.locator('.sp-embed__result').first().waitFor();
		await page.frameLocator('iframe').locator('.sp-embed__result')
		    .first().waitFor();
		const widths = async (target) => target.evaluate(() => ({
			sw: document.documentElement.scrollWidth,
			w: document.documentElement.clientWidth,
		}));
		const top = await widths(page);
		assert.ok(top.sw <= top.w, `partner page ${top.sw} > ${top.w}`);
		const frame = page.frames().find((f) =>
		    f.url().startsWith(`${BASE}/embed`));
		const inner = await widths(frame);
		assert.ok(inner.sw <= inner.w, `frame ${inner.sw} > ${inner.w}`);
	} finally {
		await small.close();
	}
});

test('the widget works by keyboard with visible focus', async () => {
	const page = await newPage(ctx);
	await goto(page, partnerUrl({ q: fx.sfx }));
	await tabTo(page, () => document.activeElement.name === 'postcode');
	await page.keyboard.type('G12 8QQ');
	await tabTo(page, () => document.activeElement.tagName === 'BUTTON');
	await page.keyboard.press('Space');
	await page.getByRole('link', { name: fx.walk.name }).waitFor();
	await tabTo(page, (n) => document.activeElement.textContent === n,
	    fx.walk.name);
	const st = await focusState(page);
	assert.ok(st.visible);
	await page.close();
});

test('the iframe lists the same services and passes axe', async () => {
	const page = await newPage(ctx);
	await goto(page, partnerUrl({ postcode: 'G12 8QQ', q: fx.sfx,
	    frame: '1' }));
	const fl = page.frameLocator('iframe');
	const walk = fl.getByRole('link', { name: fx.walk.name });
	await walk.waitFor();
	assert.equal(await walk.getAttribute('href'), `/services/${fx.walk.id}`);
	assert.equal(await walk.getAttribute('target'), '_blank');
	const items = await fl.locator('li.sp-embed__result').allInnerTexts();
	assert.equal(items.length, 3);
	assertNear(items[0], 700, 'walk in the iframe');
	const frame = page.frames().find((f) => f.url().startsWith(`${BASE}/embed`));
	assert.ok(frame, 'the frame loaded from our origin');
	await checkA11y(page, 'partner page with the iframe');
	await checkA11y(page, 'the iframe', frame);
	// Its form searches again inside the frame.
	await fl.getByLabel(/what are you looking for/i).fill(
	    `${fx.sfx} money`);
	await fl.getByRole('button', { name: 'Search' }).click();
	await frame.waitForURL(/q=.*money/);
	const again = await fl.locator('li.sp-embed__result').allInnerTexts();
	assert.equal(again.length, 1, again.join(' | '));
	assert.match(again[0], new RegExp(fx.advice.name));
	assertNoProblems(page, 'partner page with the iframe');
	await screenshot(page, 'embed-iframe');
	await page.close();
});

test('the iframe page works without JavaScript and shows errors as a form should', async () => {
	const nojs = await newContext(browser, { javaScriptEnabled: false });
	try {
		const page = await newPage(nojs);
		await goto(page, `/embed?postcode=NOT+A+POSTCODE&q=${fx.sfx}`,
		    400);
		const pc = page.getByLabel('Postcode');
		assert.equal(await pc.inputValue(), 'NOT A POSTCODE');
		assert.equal(await pc.getAttribute('aria-invalid'), 'true');
		const link = page.locator('.sp-embed__summary a[href="#sp-embed-postcode"]');
		assert.match(await link.innerText(), /postcode like G12 8QQ/);
		assert.match(await page.title(), /^Error: /);
		await pc.fill('G12 8QQ');
		await Promise.all([page.waitForNavigation(),
		    page.getByRole('button', { name: 'Search' }).click()]);
		await page.getByRole('link', { name: fx.walk.name }).waitFor();
		const more = page.getByRole('link', { name: /on Signpost/ });
		const u = new URL(await more.getAttribute('href'), BASE);
		assert.equal(u.pathname, '/search');
		assert.equal(u.searchParams.get('q'), fx.sfx);
	} finally {
		await nojs.close();
	}
	// axe needs JavaScript; the page has none of its own, so this is the
	// page a no-JS visitor gets.
	const page = await newPage(ctx);
	await goto(page, `/embed?postcode=NOT+A+POSTCODE&q=${fx.sfx}`, 400);
	await checkA11y(page, 'embed error');
	await page.close();
});
