// What the browser tests share: counting "ok - ..." / "not ok - ..." lines,
// Debian's headless Chromium (one browser context a user), raw requests
// through a context (with its cookies), logins and form posts as a person
// makes them, the headers of an authenticated page, screenshots, the
// session cookies and CSRF tokens seen (for run.sh to look for in the log)
// and the database (to see what a post changed).
//
// Environment read here:
//   BASE_URL      http://127.0.0.1:PORT
//   ARTIFACTS     folder for the screenshots
//   DATABASE      optional: the SQLite database
//   RESULT_FILE   optional: "PASS FAIL" is written there
//   TOKENS_FILE   optional: session cookies and CSRF tokens seen, one a line
//   CHROMIUM      optional: the browser (default /usr/bin/chromium)
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const SCRIPT = basename(process.argv[1] || 'browser test');

export function need(name) {
	const v = process.env[name];
	if (!v) {
		console.error(`${SCRIPT}: set ${name}`);
		process.exit(2);
	}
	return v;
}
export const BASE = need('BASE_URL').replace(/\/$/, '');
export const ARTIFACTS = process.env.ARTIFACTS || 'build/artifacts/browser';
mkdirSync(ARTIFACTS, { recursive: true });
// A page's actions wait 3 s at most, a navigation 10 s.
const ACTION_TIMEOUT = 3000;
const NAVIGATION_TIMEOUT = 10000;

// --- counting -------------------------------------------------------------
let pass = 0, fail = 0;
const tokens = new Set();
export function ok(what) { pass++; console.log(`ok - ${what}`); }
export function notOk(what, why) {
	fail++;
	console.log(`not ok - ${what}${why ? ` (${why})` : ''}`);
}
export function check(what, cond, why) {
	if (cond) ok(what); else notOk(what, why);
	return !!cond;
}
export function eq(what, expected, actual) {
	return check(what, expected === actual,
		`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
// One step: an exception (a missing element, a time-out) fails the step
// and the run goes on with the next one.
export async function step(what, fn) {
	try {
		await fn();
	} catch (e) {
		notOk(what, String(e && e.message || e).split('\n')[0]);
	}
}

// A finder of reporters' numbers, every way each may be written: given
// the local forms (08...), a function of a text that names those found
// in it ('' when none).
export function numberFinder(locals) {
	const numbers = locals.flatMap((local) => {
		const digits = local.replace(/^0/, '');
		return [`62${digits}`, digits];
	});
	return (text) => {
		const found = numbers.filter((n) => text.includes(n));
		return found.length ? `contains ${found.join(', ')}` : '';
	};
}
export function pathOf(location) {
	try { return new URL(location, BASE).pathname; } catch { return location; }
}

// --- HTTP helpers -----------------------------------------------------------
// A raw form POST as a browser would send it (with Origin), no redirects.
export async function postForm(ctx, path, form) {
	return ctx.request.post(BASE + path, {
		form, maxRedirects: 0, headers: { Origin: BASE },
	});
}
export async function get(ctx, path) {
	return ctx.request.get(BASE + path, { maxRedirects: 0 });
}
// The headers every authenticated page carries.
export async function secureHeaders(what, resp) {
	const h = await resp.allHeaders();
	const csp = h['content-security-policy'] || '';
	check(`${what}: CSP has default-src 'none'`, csp.includes("default-src 'none'"), csp);
	check(`${what}: CSP has frame-ancestors 'none'`, csp.includes("frame-ancestors 'none'"), csp);
	eq(`${what}: X-Content-Type-Options`, 'nosniff',
		(h['x-content-type-options'] || '').toLowerCase());
	eq(`${what}: X-Frame-Options`, 'DENY', (h['x-frame-options'] || '').toUpperCase());
	check(`${what}: Cache-Control no-store`,
		/\bno-store\b/.test(h['cache-control'] || ''), h['cache-control']);
}
export async function noScript(what, resp) {
	check(`${what}: no <script>`, !/<script/i.test(await resp.text()));
}
// The response a navigation ended on, after any redirects.
export async function finalResponse(resp) {
	let req = resp.request();
	while (req.redirectedTo()) req = req.redirectedTo();
	return (await req.response()) || resp;
}
// What the page says, less its forms (whose labels may name any status).
export async function textOutsideForms(page) {
	return page.evaluate(() => {
		const b = document.body.cloneNode(true);
		b.querySelectorAll('form').forEach((f) => f.remove());
		return b.innerText;
	});
}
export async function shot(page, name, fullPage = false) {
	await page.screenshot({ path: join(ARTIFACTS, name), fullPage });
}
export async function csrfOf(page, formSelector) {
	const v = await page.locator(`${formSelector} input[type=hidden][name=csrf]`)
		.first().getAttribute('value');
	if (v) tokens.add(v);
	return v;
}
export async function sessionCookie(ctx) {
	const c = (await ctx.cookies(BASE)).find((k) => k.name === 'hl_session');
	if (c) tokens.add(c.value);
	return c;
}
// A query's output on the database, or null when run.sh gives none.
export function sql(query) {
	if (!process.env.DATABASE) return null;
	return execFileSync('sqlite3', [process.env.DATABASE, query], { encoding: 'utf8' });
}

// --- as a person does it -------------------------------------------------------
// A click (a selector or a locator) that posts a form to path: the POST's
// own response, once the page that follows has loaded.
// The post is a navigation: its time-outs are a navigation's (a login's
// password hash may take seconds on a busy machine).
export async function submit(page, path, target) {
	const posted = page.waitForResponse((r) =>
		pathOf(r.url()) === path && r.request().method() === 'POST',
	{ timeout: NAVIGATION_TIMEOUT });
	// handled at once: when it times out while the click still waits, or
	// after the click failed, it is this step's failure, not a crash
	posted.catch(() => {});
	const click = { timeout: NAVIGATION_TIMEOUT };
	await (typeof target === 'string' ? page.click(target, click) : target.click(click));
	const resp = await posted;
	await page.waitForLoadState('load');
	return resp;
}
// A form's submit button.
export function submitButton(form) {
	return `${form} button:not([type=button]):not([type=reset]), ${form} input[type=submit]`;
}

// Log in through the form; returns the POST's own response (303 or 401).
export async function login(page, user, password) {
	const form = 'form[action="/login"]';
	await page.goto(BASE + '/login');
	await page.fill(`${form} input[name=username]`, user);
	await page.fill(`${form} input[name=password]`, password);
	return submit(page, '/login', submitButton(form));
}

// --- the browser and the end of a run ------------------------------------------
let browser = null;
let watchdog = null;
// The browser, and a watchdog that ends the run when it takes too long.
export async function launch(seconds = 180) {
	watchdog = setTimeout(() => {
		notOk(`the run finished within ${seconds} s`);
		finish();
	}, seconds * 1000);
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		// Root in CI: no sandbox.  The machine has no network: no
		// background connections of Chromium's own.
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
			'--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--no-first-run'],
	});
	return browser;
}
// A user of their own: a browser context (its cookies) and a page.
export async function newUser() {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	ctx.setDefaultTimeout(ACTION_TIMEOUT);
	ctx.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
	const page = await ctx.newPage();
	return { ctx, page };
}
// Close the browser, then finish.
export async function done() {
	await browser.close();
	finish();
}
// The counts (RESULT_FILE), the tokens seen (TOKENS_FILE), the exit status.
export function finish() {
	clearTimeout(watchdog);
	if (process.env.RESULT_FILE)
		writeFileSync(process.env.RESULT_FILE, `${pass} ${fail}\n`);
	if (process.env.TOKENS_FILE)
		writeFileSync(process.env.TOKENS_FILE, [...tokens].filter((t) => t.length >= 8).join('\n') + '\n');
	console.log(`${SCRIPT}: ${pass} ok, ${fail} not ok`);
	process.exit(fail === 0 ? 0 : 1);
}
