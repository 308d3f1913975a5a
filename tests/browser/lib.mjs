// Shared helpers for the browser tests: Chromium through playwright-core,
// a context that never leaves the machine (map tiles and any other outside
// request are blocked, so runs are deterministic), axe-core checks,
// keyboard focus checks, and fixture rows written with psql so each test
// file owns the data it searches for.  Run by scripts/run-browser, which
// sets SIGNPOST_TEST_URL and DATABASE_URL.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID, randomInt } from 'node:crypto';
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = (process.env.SIGNPOST_TEST_URL || '').replace(/\/$/, '');
if (!BASE)
	throw new Error('SIGNPOST_TEST_URL is not set: run scripts/run-browser');
const ROOT = process.env.SIGNPOST_TEST_ROOT ||
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = process.env.SIGNPOST_TEST_ARTIFACTS || '';

export const CHROMIUM_ARGS = [
	'--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update',
	'--disable-sync',
];

export async function launch() {
	return chromium.launch({
		executablePath: process.env.SIGNPOST_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: CHROMIUM_ARGS,
		timeout: 60000,
	});
}

// Origins a page may reach; everything else (tiles from the tile server,
// fonts, analytics) is aborted so that a test never depends on the network
// and we can check that pages stay useful without it.
export async function newContext(browser, opts = {}, allowOrigins = []) {
	const allowed = new Set([new URL(BASE).origin, ...allowOrigins]);
	const ctx = await browser.newContext({
		viewport: { width: 1200, height: 900 },
		locale: 'en-GB',
		timezoneId: 'Europe/London',
		...opts,
	});
	ctx.setDefaultTimeout(15000);
	ctx.jsDisabled = opts.javaScriptEnabled === false;
	ctx.blocked = [];
	await ctx.route('**/*', (route) => {
		const u = new URL(route.request().url());
		if (u.protocol === 'data:' || u.protocol === 'blob:' ||
		    allowed.has(u.origin))
			return route.continue();
		ctx.blocked.push(u.href);
		return route.abort('blockedbyclient');
	});
	return ctx;
}

// A page that records what went wrong in it: script errors, console
// errors (a CSP refusal shows up there), and failed same-site requests.
export async function newPage(ctx) {
	const page = await ctx.newPage();
	page.problems = [];
	if (process.env.SIGNPOST_TEST_DEBUG)
		page.on('framenavigated', (f) => console.error(
		    `navigated${f === page.mainFrame() ? '' : ' (frame)'}: ` +
		    f.url()));
	page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() !== 'error')
			return;
		const t = m.text();
		// Blocked tiles, and the status line of an error page we asked for.
		if (/ERR_BLOCKED_BY_CLIENT|status of (400|404)/.test(t))
			return;
		page.problems.push(`console: ${t}`);
	});
	return page;
}

export function assertNoProblems(page, what) {
	assert.deepEqual(page.problems, [], `${what}: errors in the page`);
}

export async function goto(page, url, status = 200) {
	const resp = await page.goto(url.startsWith('http') ? url : BASE + url);
	assert.ok(resp, `no response for ${url}`);
	assert.equal(resp.status(), status, `status of ${url}`);
	return resp;
}

export async function screenshot(page, name) {
	if (!ARTIFACTS)
		return;
	mkdirSync(ARTIFACTS, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`),
	    fullPage: true });
}

const axeSource = readFileSync(path.join(ROOT,
    'node_modules/axe-core/axe.min.js'), 'utf8');

// WCAG 2.2 AA (and the A rules under it).  Evaluated through the
// debugging protocol, so the page's own CSP does not need to allow it.
export async function checkA11y(page, what, frame) {
	const target = frame || page;
	// With JavaScript off, evaluate() never returns: check the same URL
	// in a context with it on instead.
	if (page.context().jsDisabled)
		throw new Error('checkA11y needs a context with JavaScript on');
	await target.evaluate(axeSource);
	const res = await target.evaluate(async () => {
		const r = await globalThis.axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa',
			    'wcag21a', 'wcag21aa', 'wcag22aa'] },
			resultTypes: ['violations'],
		});
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 5).map((n) =>
			    `${n.target.join(' ')}: ${n.failureSummary}`),
		}));
	});
	assert.deepEqual(res, [], `${what}: axe-core WCAG 2.2 AA violations`);
}

// Press Tab until the focused element satisfies pred (checked in the
// page), asserting at every stop that focus is visible.  Returns the
// number of presses.
export async function tabTo(page, pred, arg, max = 80) {
	for (let i = 1; i <= max; i++) {
		await page.keyboard.press('Tab');
		const st = await focusState(page);
		if (st.tag === 'BODY' || st.tag === null)
			continue;
		assert.ok(st.visible, `focus is not visible on ${st.desc}`);
		if (await page.evaluate(pred, arg))
			return i;
	}
	throw new Error(`tabTo: not reached in ${max} presses: ${pred}`);
}

// Whether the focused element shows a focus indicator: an outline, a box
// shadow or a border that differs from the unfocused look.
export async function focusState(page) {
	return page.evaluate(() => {
		const el = document.activeElement;
		if (!el)
			return { tag: null };
		const desc = el.tagName.toLowerCase() +
		    (el.id ? `#${el.id}` : '') +
		    ` "${(el.textContent || el.value || '').trim().slice(0, 40)}"`;
		const cs = getComputedStyle(el);
		const outline = cs.outlineStyle !== 'none' &&
		    parseFloat(cs.outlineWidth) >= 1;
		const shadow = cs.boxShadow && cs.boxShadow !== 'none';
		const r = el.getBoundingClientRect();
		const onScreen = r.width > 0 && r.height > 0;
		return { tag: el.tagName, desc, visible: onScreen &&
		    (outline || shadow) };
	});
}

// The first distance in a text ("700 m", "0.8 km", "12 km") in metres,
// or NaN: the site chooses the unit, the tests check the value.
export function metresIn(text) {
	const m = /(\d+(?:\.\d+)?)\s?(km|m)\b/.exec(text);
	if (!m)
		return NaN;
	return parseFloat(m[1]) * (m[2] === 'km' ? 1000 : 1);
}

export function assertNear(text, metres, what) {
	const got = metresIn(text);
	assert.ok(Math.abs(got - metres) <= 60,
	    `${what}: distance ${got} m in "${text}", want about ${metres} m`);
}

// ---- Fixtures -------------------------------------------------------

export function psql(sql, vars = {}) {
	const args = [process.env.DATABASE_URL, '-X', '-q', '-t', '-A',
	    '-v', 'ON_ERROR_STOP=1'];
	for (const [k, v] of Object.entries(vars))
		args.push('-v', `${k}=${v}`);
	return execFileSync('psql', args, { input: sql, encoding: 'utf8' })
	    .trim();
}

// A token the full-text search treats as one word and no real listing
// contains.
export function suffix() {
	const a = 'bcdfghjklmnpqrstvwxz';
	let s = 'zq';
	for (let i = 0; i < 6; i++)
		s += a[randomInt(a.length)];
	return s;
}

const TERM = {
	money: '35845d98-ee79-6a41-2570-98dd502093cb',
	physical: '99d42e30-b43e-da6a-f46d-598943a8564b',
};

// One organisation with three services near G12 8QQ, each findable by the
// keyword `sfx`: a free walking group ~0.7 km away, a free money advice
// drop-in ~1.6 km away, and a paid activity ~3 km away.  Real postcodes
// give the venues their coordinates.
export function makeFixtures(origin = 'G12 8QQ') {
	if (!process.env.DATABASE_URL)
		throw new Error('DATABASE_URL is not set: run scripts/run-browser');
	const sfx = suffix();
	const v = {
		sfx, origin,
		org: randomUUID(),
		la: randomUUID(), lb: randomUUID(), lc: randomUUID(),
		walk: randomUUID(), advice: randomUUID(), cafe: randomUUID(),
		sala: randomUUID(), salb: randomUUID(), salc: randomUUID(),
		money: TERM.money, physical: TERM.physical,
	};
	const sql = `
\\set walkname 'Kelvin Stroll ' :sfx
\\set advicename 'Money Advice Drop-in ' :sfx
\\set cafename 'Community Cafe ' :sfx
\\set orgname 'Partick Test Trust ' :sfx
INSERT INTO organization (id, name, description) VALUES
    (:'org', :'orgname', 'A community trust made for the browser tests.');
CREATE TEMP TABLE spot AS
SELECT p.postcode, p.latitude, p.longitude, p.grid, t.tag
FROM (VALUES ('a', 700), ('b', 1600), ('c', 3000)) AS t (tag, metres)
CROSS JOIN LATERAL (
	SELECT q.* FROM postcode q, postcode o
	WHERE o.postcode = :'origin'
	    AND q.grid <@ circle(o.grid, t.metres + 300)
	ORDER BY abs((q.grid <-> o.grid) - t.metres) LIMIT 1) p;
INSERT INTO location (id, organization_id, name, latitude, longitude, grid,
    address_1, city, postal_code)
SELECT CASE tag WHEN 'a' THEN :'la'::uuid WHEN 'b' THEN :'lb'::uuid
    ELSE :'lc'::uuid END, :'org', 'Test Hall ' || upper(tag) || ' ' || :'sfx',
    latitude, longitude, grid, tag || ' Test Street', 'Glasgow', postcode
FROM spot;
INSERT INTO service (id, organization_id, name, description, kind, is_free,
    cost_description, self_referral, professional_referral, drop_in,
    minimum_age, last_reviewed, review_due, status) VALUES
    (:'walk', :'org', :'walkname', 'A gentle hour round the park, ' ||
	'no need to book.', 'walking_group', true, NULL, true, true, true,
	NULL, current_date - 10, current_date + 170, 'active'),
    (:'advice', :'org', :'advicename', 'Help with debt, benefits and ' ||
	'bills.', 'service', true, NULL, false, true, true, 16,
	current_date - 40, current_date + 140, 'active'),
    (:'cafe', :'org', :'cafename', 'Soup, a blether and a warm room.',
	'activity', false, '£2 a bowl', true, false, true, NULL,
	current_date - 400, current_date - 35, 'active');
INSERT INTO walk_detail (service_id, grade, length_km, duration_minutes,
    meeting_point) VALUES
    (:'walk', 'easy', 3.5, 60, 'By the main gate');
INSERT INTO service_at_location (id, service_id, location_id) VALUES
    (:'sala', :'walk', :'la'), (:'salb', :'advice', :'lb'),
    (:'salc', :'cafe', :'lc');
INSERT INTO schedule (service_at_location_id, freq, "interval", byday,
    opens_at, closes_at, description) VALUES
    (:'sala', 'WEEKLY', 1, 'TU', '10:00', '11:30', NULL),
    (:'salb', 'WEEKLY', 1, 'MO,WE', '13:00', '16:00', NULL),
    (:'salc', 'WEEKLY', 1, 'MO,TU,WE,TH,FR', '12:00', '14:00', NULL);
INSERT INTO service_taxonomy (service_id, taxonomy_term_id) VALUES
    (:'walk', :'physical'), (:'advice', :'money'), (:'cafe', :'physical');
INSERT INTO phone (service_id, number) VALUES (:'advice', '0141 287 2999');
SELECT count(*) FROM spot;
`;
	const n = psql(sql, v);
	assert.equal(n, '3', `no postcodes near ${origin} for the fixtures`);
	return {
		sfx, origin, orgId: v.org, orgName: `Partick Test Trust ${sfx}`,
		walk: { id: v.walk, name: `Kelvin Stroll ${sfx}` },
		advice: { id: v.advice, name: `Money Advice Drop-in ${sfx}` },
		cafe: { id: v.cafe, name: `Community Cafe ${sfx}` },
	};
}

// Deletes what makeFixtures wrote (children cascade).
export function dropFixtures(f) {
	psql(`DELETE FROM service WHERE organization_id = :'org';
DELETE FROM location WHERE organization_id = :'org';
DELETE FROM organization WHERE id = :'org';`, { org: f.orgId });
}

// ---- One browser per test file ---------------------------------------

// The fixtures, a browser, a context and (unless page is false) a page,
// for a test file's before().  opts and allow go to newContext; clipboard
// lets this site use the clipboard (the shortlist's copy buttons).  What
// was made is closed again if a later step fails.
export async function openBrowser({ clipboard = false, page = true,
    allow = [], ...opts } = {}) {
	const s = { fx: makeFixtures() };

	try {
		s.browser = await launch();
		s.ctx = await newContext(s.browser, opts, allow);
		if (clipboard)
			await s.ctx.grantPermissions(
			    ['clipboard-read', 'clipboard-write'], { origin: BASE });
		if (page)
			s.page = await newPage(s.ctx);
	} catch (e) {
		await closeBrowser(s);
		throw e;
	}
	return s;
}

// For after(): closes the browser and deletes the fixtures.
export async function closeBrowser(s) {
	await s?.browser?.close();
	if (s?.fx)
		dropFixtures(s.fx);
}

// The list item or article a search result lives in, found by its name
// link.
export function resultItem(page, name) {
	return page.locator('li, article').filter({
		has: page.getByRole('link', { name, exact: true }),
	}).last();
}

// ---- Moderation -------------------------------------------------------

// The binary the server runs, for its commands (`signpost user add`).
export function signpost(args, input) {
	const bin = process.env.SIGNPOST_TEST_BIN || 'build/release/signpost';
	return execFileSync(path.resolve(ROOT, bin), args, {
	    input, encoding: 'utf8', cwd: ROOT,
	    env: { ...process.env, SIGNPOST_ROOT: ROOT } });
}

// A moderator account made as an administrator would make one: the
// password on standard input (not a terminal: one line).
export function addModerator(email, password) {
	const out = signpost(['user', 'add', email, '--role', 'moderator'],
	    `${password}\n`);
	assert.match(out, /added moderator/);
}

// Deletes a moderator and what the account did (sessions cascade).
export function dropModerator(email) {
	psql(`UPDATE submission SET decided_by = NULL WHERE decided_by IN
    (SELECT id FROM app_user WHERE email = :'e');
UPDATE listing_change SET user_id = NULL WHERE user_id IN
    (SELECT id FROM app_user WHERE email = :'e');
DELETE FROM login_attempt WHERE email = :'e';
DELETE FROM app_user WHERE email = :'e';`, { e: email });
}

// Everything a submitted listing whose name contains sfx left behind:
// the services made from it (their history, reminders and updates
// cascade), its venues and organisation, and the submissions.
export function dropListings(sfx) {
	psql(`CREATE TEMP TABLE gone AS SELECT id, organization_id FROM service
    WHERE name LIKE '%' || :'sfx' || '%';
DELETE FROM service WHERE id IN (SELECT id FROM gone);
DELETE FROM submission WHERE document #>> '{service,name}'
    LIKE '%' || :'sfx' || '%';
DELETE FROM location WHERE organization_id IN
    (SELECT organization_id FROM gone) AND NOT EXISTS (SELECT 1 FROM
    service s WHERE s.organization_id = location.organization_id);
DELETE FROM organization WHERE (id IN (SELECT organization_id FROM gone)
    OR name LIKE '%' || :'sfx' || '%') AND NOT EXISTS (SELECT 1 FROM
    service s WHERE s.organization_id = organization.id);`, { sfx });
}

// /submit allows config.submissions_per_hour (10) per address, and every
// browser test comes from 127.0.0.1: forget the address of the listings
// these tests sent so that runs of any length stay under it.
export function forgetSubmitter(sfx) {
	psql(`UPDATE submission SET submitter_ip = NULL
WHERE document #>> '{service,name}' LIKE '%' || :'sfx' || '%';`, { sfx });
}

// A postcode's latitude and longitude from the bundled table.
export function postcodeLatLon(pc) {
	const row = psql(`SELECT latitude, longitude FROM postcode
WHERE postcode = :'pc';`, { pc });
	assert.ok(row, `${pc} is not in the postcode table`);
	return row.split('|').map(Number);
}

// The geodesic distance in metres on the WGS84 ellipsoid (Vincenty's
// inverse formula, millimetre-exact at these distances): what the server
// gets from proj_lp_dist().
export function geodesicMetres(lat1, lon1, lat2, lon2) {
	const a = 6378137, f = 1 / 298.257223563, b = a * (1 - f);
	const rad = Math.PI / 180;
	const L = (lon2 - lon1) * rad;
	const U1 = Math.atan((1 - f) * Math.tan(lat1 * rad));
	const U2 = Math.atan((1 - f) * Math.tan(lat2 * rad));
	const sU1 = Math.sin(U1), cU1 = Math.cos(U1);
	const sU2 = Math.sin(U2), cU2 = Math.cos(U2);
	let lam = L, prev, sS, cS, sig, ca2, c2sm;
	do {
		const sl = Math.sin(lam), cl = Math.cos(lam);
		sS = Math.hypot(cU2 * sl, cU1 * sU2 - sU1 * cU2 * cl);
		if (sS === 0)
			return 0;
		cS = sU1 * sU2 + cU1 * cU2 * cl;
		sig = Math.atan2(sS, cS);
		const sa = cU1 * cU2 * sl / sS;
		ca2 = 1 - sa * sa;
		c2sm = ca2 !== 0 ? cS - 2 * sU1 * sU2 / ca2 : 0;
		const C = f / 16 * ca2 * (4 + f * (4 - 3 * ca2));
		prev = lam;
		lam = L + (1 - C) * f * sa * (sig + C * sS * (c2sm + C * cS *
		    (-1 + 2 * c2sm * c2sm)));
	} while (Math.abs(lam - prev) > 1e-12);
	const u2 = ca2 * (a * a - b * b) / (b * b);
	const A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
	const B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
	const dS = B * sS * (c2sm + B / 4 * (cS * (-1 + 2 * c2sm * c2sm) -
	    B / 6 * c2sm * (-3 + 4 * sS * sS) * (-3 + 4 * c2sm * c2sm)));
	return b * A * (sig - dS);
}

// A distance as the results show it (app/search.c,
// search_format_distance): 10 m steps below 950 m, then 0.1 km, then km.
export function formatDistance(m) {
	if (m < 950)
		return `${Math.floor(m / 10 + 0.5) * 10} m`;
	if (m < 9950) {
		const t = Math.floor(m / 100 + 0.5);
		return `${Math.floor(t / 10)}.${t % 10} km`;
	}
	return `${Math.floor(m / 1000 + 0.5)} km`;
}
