// axe-core (WCAG 2.2 AA rules) finds nothing on every kind of page, and
// every page reflows at 320 CSS px (what 400% zoom of a 1280 px window
// gives, WCAG 1.4.10) without sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	BASE, newContext, newPage, goto, checkA11y, assertNoProblems,
	screenshot, openBrowser, closeBrowser,
} from './lib.mjs';

let browser, ctx, fx;

before(async () => {
	({ browser, ctx, fx } = await openBrowser({ page: false }));
});

after(() => closeBrowser({ browser, fx }));

const q = (o) => new URLSearchParams(o).toString();

// name, URL (a function: fixtures exist only once before() ran), status,
// and what must be on the page so that a blank page does not pass.
const pages = [
	['home', () => '/', 200, async (p) =>
	    p.getByLabel(/postcode/i).first().waitFor()],
	['results', () => `/search?${q({ postcode: 'G12 8QQ', q: fx.sfx })}`,
	    200, async (p) => p.getByRole('link', { name: fx.walk.name,
	    exact: true }).waitFor()],
	['no results', () => `/search?${q({ postcode: 'G12 8QQ',
	    q: `${fx.sfx}x nothing` })}`, 200, async (p) =>
	    assert.match(await p.locator('main').innerText(),
	    /no (services|results)|nothing (found|matched)|could not find/i)],
	['error form', () => `/search?${q({ postcode: 'NOT A POSTCODE' })}`,
	    [200, 400, 422], async (p) => {
		const field = p.getByLabel(/postcode/i).first();
		assert.equal(await field.inputValue(), 'NOT A POSTCODE',
		    'the input is kept');
		const id = await field.getAttribute('id');
		await p.locator(`a[href="#${id}"]`).first().waitFor();
	}],
	['detail', () => `/services/${fx.advice.id}`, 200, async (p) =>
	    assert.equal((await p.getByRole('heading', { level: 1 })
	    .innerText()).trim(), fx.advice.name)],
	['organisation', null, 200, async (p) =>
	    assert.match(await p.getByRole('heading', { level: 1 })
	    .innerText(), new RegExp(fx.orgName))],
	['shortlist', () => `/shortlist?ids=${fx.walk.id},${fx.advice.id}`,
	    200, async (p) => assert.match(await p.locator('main').innerText(),
	    new RegExp(fx.advice.name))],
	['empty shortlist', () => '/shortlist', 200, async (p) =>
	    p.getByRole('heading', { level: 1 }).waitFor()],
	['404', () => '/no/such/page', 404, async (p) =>
	    assert.match(await p.getByRole('heading', { level: 1 }).innerText(),
	    /not found/i)],
	['embed', () => `/embed?${q({ postcode: 'G12 8QQ', q: fx.sfx })}`, 200,
	    async (p) => p.getByRole('link', { name: fx.walk.name })
	    .first().waitFor()],
	['areas', () => '/areas?council=S12000049', 200, async (p) =>
	    p.getByRole('link', { name: 'Queens Park Medical Practice' })
	    .waitFor()],
	['area', () => '/areas/S49286?radius=2', 200, async (p) => {
		assert.match(await p.getByRole('heading', { level: 1 })
		    .innerText(), /Queens Park Medical Practice/);
		await p.getByRole('img', { name: /by category/ }).waitFor();
	}],
	['embed help', () => '/about/embed', 200, async (p) => {
		// The live preview has drawn its results.
		await p.locator('.sp-embed-preview .sp-embed__count').waitFor();
		assert.match(await p.locator('pre').first().innerText(),
		    /<script src="[^"]+\/embed\.js"/);
	}],
];

// The organisation page's address comes from the detail page's link.
async function orgUrl(page) {
	await goto(page, `/services/${fx.walk.id}`);
	const href = await page.getByRole('link', { name: fx.orgName })
	    .first().getAttribute('href');
	assert.ok(href, 'the detail page links to its organisation');
	return href;
}

for (const [name, url, status, check] of pages) {
	test(`axe finds no WCAG 2.2 AA violations: ${name}`, async () => {
		const page = await newPage(ctx);
		try {
			const u = url ? url() : await orgUrl(page);
			const resp = await page.goto(BASE + u.replace(BASE, ''));
			const want = [].concat(status);
			assert.ok(want.includes(resp.status()),
			    `${u}: status ${resp.status()}, want ${want}`);
			await check(page);
			await checkA11y(page, name);
			assertNoProblems(page, name);
			await screenshot(page, `a11y-${name.replace(/ /g, '-')}`);
		} finally {
			await page.close();
		}
	});

	test(`reflows at 320 px without sideways scrolling: ${name}`, async () => {
		const small = await newContext(browser,
		    { viewport: { width: 320, height: 640 } });
		try {
			const page = await newPage(small);
			const u = url ? url() : await orgUrl(page);
			await page.goto(BASE + u.replace(BASE, ''));
			await check(page);
			const over = await page.evaluate(() => {
				const w = document.documentElement.clientWidth;
				const wide = [...document.querySelectorAll(
				    'body *')].filter((e) => {
					const r = e.getBoundingClientRect();
					return r.right > w + 1 && r.width > 0 &&
					    getComputedStyle(e).position !==
					    'fixed';
				}).slice(0, 3).map((e) => e.tagName + '.' +
				    e.className);
				return { sw: document.documentElement.scrollWidth,
				    w, wide };
			});
			assert.ok(over.sw <= over.w, `${name} scrolls sideways ` +
			    `at 320px (${over.sw} > ${over.w}): ${over.wide}`);
		} finally {
			await small.close();
		}
	});
}
