// With JavaScript off the product still works end to end: the search form
// submits, results list (no map needed), the add buttons are forms that
// carry the shortlist in the URL (ids=...), and the shortlist page shows
// the sheet and the SMS text from the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	goto, assertNear, screenshot, openBrowser, closeBrowser, resultItem,
} from './lib.mjs';

let browser, ctx, page, fx;

before(async () => {
	({ browser, ctx, page, fx } = await openBrowser(
	    { javaScriptEnabled: false }));
});

after(() => closeBrowser({ browser, fx }));

const ids = () => (new URL(page.url()).searchParams.get('ids') || '')
    .split(',').filter(Boolean);

test('no JS: the search form submits and lists results', async () => {
	await goto(page, '/');
	await page.getByLabel(/postcode/i).first().fill('G12 8QQ');
	await page.getByLabel(/what they need|keyword|looking for/i).first()
	    .fill(fx.sfx);
	await Promise.all([page.waitForURL(/\/search\?/),
	    page.getByRole('button', { name: /^search|find/i }).first()
	    .click()]);
	const t = await resultItem(page, fx.walk.name).innerText();
	assertNear(t.slice(t.indexOf(fx.orgName)), 700, 'walk');
	await resultItem(page, fx.advice.name).waitFor();
	await screenshot(page, 'nojs-results');
});

test('no JS: add buttons put ids in the URL and return to the result', async () => {
	await Promise.all([page.waitForNavigation(),
	    resultItem(page, fx.walk.name).getByRole('button',
	    { name: /add .*shortlist/i }).click()]);
	assert.deepEqual(ids(), [fx.walk.id]);
	assert.match(page.url(), /\/search\?/, 'back on the results');
	assert.match(page.url(), new RegExp(`#sl-${fx.walk.id}$`),
	    'returns to the toggled result');
	await Promise.all([page.waitForNavigation(),
	    resultItem(page, fx.advice.name).getByRole('button',
	    { name: /add .*shortlist/i }).click()]);
	assert.deepEqual(ids(), [fx.walk.id, fx.advice.id]);
	await resultItem(page, fx.walk.name).getByRole('button',
	    { name: /remove .*shortlist/i }).waitFor();
});

test('no JS: links keep the shortlist; the detail page shows it too', async () => {
	await Promise.all([page.waitForNavigation(),
	    page.getByRole('link', { name: fx.cafe.name, exact: true })
	    .click()]);
	assert.match(page.url(), new RegExp(`/services/${fx.cafe.id}`));
	assert.deepEqual(ids(), [fx.walk.id, fx.advice.id],
	    'detail link carries ids');
	await page.getByRole('button', { name: /add .*shortlist/i }).first()
	    .waitFor();
});

test('no JS: the shortlist page lists both with the SMS text', async () => {
	await Promise.all([page.waitForNavigation(),
	    page.getByRole('navigation', { name: /main/i })
	    .getByRole('link', { name: /shortlist/i }).click()]);
	assert.match(page.url(), /\/shortlist/);
	assert.deepEqual(ids(), [fx.walk.id, fx.advice.id]);
	const main = await page.locator('main').innerText();
	assert.match(main, new RegExp(fx.walk.name));
	assert.match(main, new RegExp(fx.advice.name));
	assert.doesNotMatch(main, new RegExp(fx.cafe.name));
	const sms = await page.getByRole('textbox',
	    { name: /text to send|text message|sms/i }).inputValue();
	assert.match(sms, new RegExp(fx.advice.name));
	await screenshot(page, 'nojs-shortlist');
});

test('no JS: removing from the shortlist page keeps the other', async () => {
	const item = page.locator('li, article').filter({ hasText: fx.walk.name })
	    .last();
	await Promise.all([page.waitForNavigation(),
	    item.getByRole('button', { name: /remove/i }).click()]);
	assert.deepEqual(ids(), [fx.advice.id]);
	const main = await page.locator('main').innerText();
	assert.doesNotMatch(main, new RegExp(fx.walk.name));
	assert.match(main, new RegExp(fx.advice.name));
});
