// The link worker's flow with JavaScript on, as a person clicks through
// it: postcode search, results with distance and next session, the map,
// a detail page, two services on the shortlist, the printed sheet and
// the SMS text.  Map tiles are blocked (no network): the map must still
// show its markers and the page must stay usable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	newContext, newPage, goto, assertNoProblems, assertNear, screenshot,
	openBrowser, closeBrowser, resultItem,
} from './lib.mjs';

let browser, ctx, page, fx;

before(async () => {
	({ browser, ctx, page, fx } = await openBrowser({ clipboard: true }));
});

after(() => closeBrowser({ browser, fx }));

test('home page search form finds services near a postcode', async () => {
	await goto(page, '/');
	await page.getByLabel(/postcode/i).first().fill('g12 8qq');
	await page.getByLabel(/what they need|keyword|looking for/i).first()
	    .fill(fx.sfx);
	await page.getByRole('button', { name: /^search|find/i }).first()
	    .click();
	await page.waitForURL(/\/search\?/);
	const u = new URL(page.url());
	assert.match(u.searchParams.get('postcode') || '', /^g12 ?8qq$/i);
	await assert.doesNotReject(page.getByRole('link',
	    { name: fx.walk.name, exact: true }).waitFor());
	assertNoProblems(page, 'results page');
	await screenshot(page, 'flow-results');
});

test('results show distance, organisation, next session, cost, category and review badge', async () => {
	const walk = resultItem(page, fx.walk.name);
	const advice = resultItem(page, fx.advice.name);
	const wt = await walk.innerText();
	const at = await advice.innerText();
	assertNear(wt.slice(wt.indexOf(fx.orgName)), 700, 'walk');
	assertNear(at.slice(at.indexOf(fx.orgName)), 1600, 'advice');
	assert.match(wt, new RegExp(fx.orgName), 'organisation name');
	assert.match(wt, /\bTue\w*\b[^\n]*10:00|today[^\n]*10:00|tomorrow[^\n]*10:00/i,
	    'next session of a Tuesday 10:00 walk');
	assert.match(wt, /\bfree\b/i, 'cost');
	assert.match(wt, /Physical Activity/, 'category');
	assert.match(wt, /checked|reviewed/i, 'last-checked badge');
	// Nearest first.
	const names = await page.getByRole('link').allInnerTexts();
	assert.ok(names.indexOf(fx.walk.name) < names.indexOf(fx.advice.name),
	    'results ordered by distance');
	await assert.doesNotReject(walk.getByRole('button',
	    { name: /add .*shortlist/i }).waitFor(), 'add-to-shortlist button');
});

test('the map shows a marker per result although tiles cannot load', async () => {
	const map = page.locator('.leaflet-container').first();
	await map.waitFor({ state: 'visible' });
	const box = await map.boundingBox();
	assert.ok(box.height >= 150, `map is ${box.height}px high`);
	await page.waitForFunction(() => document.querySelectorAll(
	    '.leaflet-marker-icon, path.leaflet-interactive').length >= 2);
	// Markers are operable and name their service.
	const labels = await page.locator('.leaflet-marker-icon')
	    .evaluateAll((els) => els.map((e) => e.getAttribute('alt') ||
	    e.getAttribute('title') || e.getAttribute('aria-label') || ''));
	assert.ok(labels.some((l) => l.includes(fx.walk.name)),
	    `a marker is labelled with the walk's name: ${labels}`);
	// The map asked for tiles and was refused: it must cope.
	assert.ok(ctx.blocked.some((u) => /\/\d+\/\d+\/\d+/.test(u)),
	    `no tile request was blocked: ${ctx.blocked.slice(0, 3)}`);
	assertNoProblems(page, 'results page with map');
});

test('the detail page has add to shortlist and report a problem', async () => {
	await page.getByRole('link', { name: fx.walk.name, exact: true })
	    .first().click();
	await page.waitForURL(new RegExp(`/services/${fx.walk.id}`));
	assert.equal((await page.getByRole('heading', { level: 1 })
	    .innerText()).trim(), fx.walk.name);
	const body = await page.locator('main').innerText();
	assert.match(body, /Every Tuesday|Tue\w* 10:00/);
	assert.match(body, new RegExp(fx.orgName));
	await page.getByRole('link', { name: /report a problem/i }).first()
	    .waitFor();
	await page.getByRole('button', { name: /add .*shortlist/i }).first()
	    .click();
	await page.getByRole('button', { name: /remove .*shortlist/i }).first()
	    .waitFor();
	assertNoProblems(page, 'detail page');
	await screenshot(page, 'flow-detail');
});

test('a second service is added from the results and the shortlist holds both', async () => {
	await page.goBack();
	await page.waitForURL(/\/search\?/);
	await resultItem(page, fx.advice.name).getByRole('button',
	    { name: /add .*shortlist/i }).click();
	await resultItem(page, fx.advice.name).getByRole('button',
	    { name: /remove .*shortlist/i }).waitFor();
	await page.getByRole('navigation', { name: /main/i })
	    .getByRole('link', { name: /shortlist/i }).click();
	// With JavaScript the list lives in localStorage too; shortlist.js
	// puts it back into the URL the server renders the sheet from.
	await page.waitForURL(/\/shortlist\?ids=/);
	await page.waitForLoadState();
	const main = await page.locator('main').innerText();
	assert.match(main, new RegExp(fx.walk.name));
	assert.match(main, new RegExp(fx.advice.name));
	assert.doesNotMatch(main, new RegExp(fx.cafe.name));
	assertNoProblems(page, 'shortlist');
	await screenshot(page, 'flow-shortlist');
});

test('the shortlist prints without the site chrome', async () => {
	await page.emulateMedia({ media: 'print' });
	try {
		for (const sel of ['header.site-header', 'footer.site-footer',
		    'nav', '.skip-link', 'main button', 'main textarea']) {
			const n = await page.locator(sel).count();
			for (let i = 0; i < n; i++)
				assert.equal(await page.locator(sel).nth(i)
				    .isVisible(), false, `${sel} shows in print`);
		}
		const printed = await page.locator('main').innerText();
		assert.match(printed, new RegExp(fx.walk.name));
		assert.match(printed, new RegExp(fx.advice.name));
		assert.match(printed, /0141 287 2999/, 'phone number printed');
		await screenshot(page, 'flow-print');
	} finally {
		await page.emulateMedia({ media: 'screen' });
	}
});

test('the SMS text is copied with one click; mailto and share link carry the list', async () => {
	const sms = page.getByRole('textbox',
	    { name: /text to send|text message|sms/i });
	const text = await sms.inputValue();
	assert.match(text, new RegExp(fx.walk.name));
	assert.match(text, new RegExp(fx.advice.name));
	assert.match(text, /0141 287 2999/);
	await page.getByRole('button', { name: /copy/i }).first().click();
	const clip = await page.evaluate(() => navigator.clipboard.readText());
	assert.equal(clip, text, 'clipboard holds the SMS text');
	// Tell the person it worked, politely (a live region).
	await page.locator('[role=status], [aria-live]')
	    .filter({ hasText: /copied/i }).first().waitFor();

	const mail = await page.locator('main a[href^="mailto:"]').first()
	    .getAttribute('href');
	assert.match(decodeURIComponent(mail), new RegExp(fx.walk.name));
	const share = await page.getByLabel(/link to this list|share/i)
	    .inputValue();
	const su = new URL(share);
	assert.equal(su.pathname, '/shortlist');
	const ids = (su.searchParams.get('ids') || '').split(',');
	assert.ok(ids.includes(fx.walk.id) && ids.includes(fx.advice.id),
	    `share link ${share} has both ids`);
	assertNoProblems(page, 'shortlist SMS');
});

test('the share link opens the same shortlist in a fresh browser', async () => {
	// The link is made from the configured public address; the path and
	// query are what must carry the list.
	const share = new URL(await page.getByLabel(/link to this list|share/i)
	    .inputValue());
	const other = await newContext(browser);
	try {
		const p = await newPage(other);
		await goto(p, share.pathname + share.search);
		const main = await p.locator('main').innerText();
		assert.match(main, new RegExp(fx.walk.name));
		assert.match(main, new RegExp(fx.advice.name));
	} finally {
		await other.close();
	}
});
