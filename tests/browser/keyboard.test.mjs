// The whole flow by keyboard alone: Tab, Shift+Tab, Enter and Space, with
// a visible focus indicator at every stop (tabTo asserts it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	goto, tabTo, focusState, assertNoProblems, openBrowser, closeBrowser,
} from './lib.mjs';

let browser, ctx, page, fx;

before(async () => {
	({ browser, ctx, page, fx } = await openBrowser({ clipboard: true }));
});

after(() => closeBrowser({ browser, fx }));

// In-page predicates for tabTo.
const isField = (re) => {
	const el = document.activeElement;
	const lab = el.labels && el.labels[0] ? el.labels[0].innerText : '';
	return new RegExp(re, 'i').test(lab);
};
const isControl = ([re, tags]) => {
	const el = document.activeElement;
	const name = (el.getAttribute('aria-label') || el.innerText ||
	    el.value || '').trim();
	return tags.includes(el.tagName) && new RegExp(re, 'i').test(name);
};
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('the first Tab reaches a visible skip link that moves focus to main', async () => {
	await goto(page, '/');
	await page.keyboard.press('Tab');
	const st = await focusState(page);
	assert.ok(st.visible, `first stop not visible: ${st.desc}`);
	assert.match(st.desc, /skip/i);
	await page.keyboard.press('Enter');
	assert.equal(await page.evaluate(() => location.hash), '#main');
	assert.equal(await page.evaluate(() =>
	    document.activeElement.closest('main') !== null), true,
	    'focus moved into main');
});

test('search by keyboard: type a postcode and keywords, submit with Enter', async () => {
	await goto(page, '/');
	await tabTo(page, isField, 'postcode');
	await page.keyboard.type('G12 8QQ');
	await tabTo(page, isField, 'what they need|keyword|looking for');
	await page.keyboard.type(fx.sfx);
	await tabTo(page, isControl, ['^(search|find)', ['BUTTON', 'INPUT']]);
	await Promise.all([page.waitForURL(/\/search\?/),
	    page.keyboard.press('Enter')]);
	await page.getByRole('link', { name: fx.walk.name, exact: true })
	    .waitFor();
});

test('add two results to the shortlist with Space and Enter', async () => {
	await tabTo(page, isControl,
	    [`add.*${esc(fx.walk.name)}|add.*shortlist`, ['BUTTON']], 200);
	// The first add button in reading order belongs to the nearest
	// result, the walk.
	const label = await page.evaluate(() =>
	    document.activeElement.closest('li, article').innerText);
	assert.match(label, new RegExp(esc(fx.walk.name)));
	await page.keyboard.press('Space');
	await page.locator('button').filter({ hasText: /remove/i }).first()
	    .waitFor();
	await page.waitForLoadState();
	// The keyboard carries on from the toggled result, not from the top
	// of the page: the next Tab stays in the list.
	await page.keyboard.press('Tab');
	const next = await page.evaluate(() => {
		const el = document.activeElement;
		const item = el.closest('li, article');
		return { item: item ? item.innerText : '',
		    text: (el.innerText || '').trim() };
	});
	assert.doesNotMatch(next.text, /skip to main content/i,
	    'focus went back to the top of the page after adding');
	assert.match(next.item, new RegExp(`${esc(fx.walk.name)}|` +
	    `${esc(fx.advice.name)}`), `focus after adding: ${next.text}`);

	await tabTo(page, isControl, [`add.*shortlist`, ['BUTTON']], 200);
	const second = await page.evaluate(() =>
	    document.activeElement.closest('li, article').innerText);
	assert.match(second, new RegExp(esc(fx.advice.name)));
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => [...document.querySelectorAll(
	    'button')].filter((b) => /remove/i.test(b.innerText)).length >= 2);
	assertNoProblems(page, 'results by keyboard');
});

test('open the shortlist and copy the SMS text by keyboard', async () => {
	// Onwards past the end of the page and round to the header's
	// Shortlist link: Tab alone.
	await tabTo(page, isControl, ['^shortlist', ['A']], 300);
	await Promise.all([page.waitForURL(/\/shortlist\?ids=/),
	    page.keyboard.press('Enter')]);
	await page.waitForLoadState();
	const main = await page.locator('main').innerText();
	assert.match(main, new RegExp(esc(fx.walk.name)));
	assert.match(main, new RegExp(esc(fx.advice.name)));
	await tabTo(page, isControl, ['copy', ['BUTTON']], 200);
	await page.keyboard.press('Enter');
	const clip = await page.evaluate(() => navigator.clipboard.readText());
	assert.match(clip, new RegExp(esc(fx.walk.name)));
});

test('a service name link opens its detail page by Enter', async () => {
	await tabTo(page, isControl, [`^${esc(fx.walk.name)}$`, ['A']], 300);
	// The shortlist's own URL holds the id too: wait for the path.
	await Promise.all([page.waitForURL(
	    new RegExp(`/services/${fx.walk.id}`)),
	    page.keyboard.press('Enter')]);
	await tabTo(page, isControl, ['report a problem', ['A', 'BUTTON']],
	    200);
	assertNoProblems(page, 'detail by keyboard');
});

test('the extra filters open and tick by keyboard and narrow the results', async () => {
	await goto(page, `/?q=${fx.sfx}`);
	await tabTo(page, isField, 'postcode');
	await page.keyboard.type('G12 8QQ');
	// The <summary> of "More filters" opens with Enter.
	await tabTo(page, isControl, ['more filters', ['SUMMARY']]);
	await page.keyboard.press('Enter');
	await tabTo(page, isField, '^free only');
	await page.keyboard.press('Space');
	await tabTo(page, isField, 'walking groups only');
	await page.keyboard.press('Space');
	await tabTo(page, isControl, ['^search$', ['BUTTON', 'INPUT']]);
	await Promise.all([page.waitForURL(/\/search\?/),
	    page.keyboard.press('Enter')]);
	const u = new URL(page.url());
	assert.equal(u.searchParams.get('free'), '1');
	assert.equal(u.searchParams.get('walking'), '1');
	const main = await page.locator('main').innerText();
	assert.match(main, new RegExp(esc(fx.walk.name)));
	assert.doesNotMatch(main, new RegExp(esc(fx.advice.name)),
	    'not a walking group');
	assert.doesNotMatch(main, new RegExp(esc(fx.cafe.name)),
	    'neither free nor a walk');
	// The ticked boxes stay ticked on the results page's form.
	assert.equal(await page.getByLabel(/walking groups only/i).first()
	    .isChecked(), true);
});
