// Evidence on the report's page, as its readers see it in Debian's headless
// Chromium: a citizen's photo (a real PNG, fetched from the fake provider's
// media API and kept encrypted) is drawn inline for the mayor and for the
// OPD handling the report, from an authenticated URL that is never cached;
// another OPD gets 404 for the page and for the photo, and so does a
// browser with no session.  tests/browser/run.sh seeds the report; the
// helpers are lib.mjs's.
//
// Environment (and lib.mjs's: BASE_URL, ARTIFACTS, RESULT_FILE,
// TOKENS_FILE, CHROMIUM):
//   CODE_PHOTO   a report for Dispendukcapil whose photo is stored
//   MAYOR_PASS   walikota's password
//   OPD_PASS     kadis_capil's and kadis_dishub's password
import {
	BASE, need, check, eq, step, get, secureHeaders, shot, login, launch,
	newUser, done,
} from './lib.mjs';

const CODE_PHOTO = need('CODE_PHOTO');
const MAYOR_PASS = need('MAYOR_PASS');
const OPD_PASS = need('OPD_PASS');
const photoPath = `/reports/${CODE_PHOTO}/evidence/1`;
const photo = `img.evidence[src="${photoPath}"]`;

await launch(120);
const mayor = await newUser();
const capil = await newUser();
const dishub = await newUser();
const anon = await newUser();

for (const [who, user, password] of [[mayor, 'walikota', MAYOR_PASS],
	[capil, 'kadis_capil', OPD_PASS], [dishub, 'kadis_dishub', OPD_PASS]]) {
	await step(`${user} logs in`, async () => {
		const resp = await login(who.page, user, password);
		check(`${user} is logged in`, resp.status() < 400, `status ${resp.status()}`);
	});
}

// The photo drawn for the mayor and for the OPD handling the report.
for (const [who, user] of [[mayor, 'walikota'], [capil, 'kadis_capil']]) {
	await step(`${user} sees the photo`, async () => {
		const { page } = who;
		const resp = await page.goto(BASE + `/reports/${CODE_PHOTO}`);
		eq(`${user}: the report page is 200`, 200, resp.status());
		await secureHeaders(`${user}: the report page`, resp);
		const csp = (await resp.allHeaders())['content-security-policy'] || '';
		check(`${user}: the CSP lets the page's own images in`,
			/img-src[^;]*'self'/.test(csp), csp);
		eq(`${user}: one photo in the evidence list`, 1,
			await page.locator(`#evidence ${photo}`).count());
		await page.locator(photo).scrollIntoViewIfNeeded();
		const drawn = await page.locator(photo).evaluate(async (img) => {
			if (!img.complete) await new Promise((r) => { img.onload = img.onerror = r; });
			return [img.naturalWidth, img.naturalHeight];
		});
		eq(`${user}: the photo is drawn (2x2 pixels)`, '2x2', drawn.join('x'));
		check(`${user}: the photo has a text alternative`,
			((await page.locator(photo).getAttribute('alt')) || '').length > 0);
		const r = await get(who.ctx, photoPath);
		eq(`${user}: the photo's URL is 200`, 200, r.status());
		const h = r.headers();
		eq(`${user}: as image/png`, 'image/png', h['content-type']);
		check(`${user}: never cached`, /\bno-store\b/.test(h['cache-control'] || ''),
			h['cache-control']);
		eq(`${user}: sniffing off`, 'nosniff', h['x-content-type-options']);
		await shot(page, `evidence-${user}.png`, true);
	});
}

// Another OPD, and no session: nothing.
await step('another OPD gets nothing', async () => {
	const r = await get(dishub.ctx, `/reports/${CODE_PHOTO}`);
	eq('kadis_dishub: the report page is 404', 404, r.status());
	const p = await get(dishub.ctx, photoPath);
	eq('kadis_dishub: the photo is 404', 404, p.status());
	check('and its body is no image', !(p.headers()['content-type'] || '').startsWith('image/'),
		p.headers()['content-type']);
});
await step('no session gets nothing', async () => {
	const r = await get(anon.ctx, photoPath);
	eq('no session: redirected to the login', 303, r.status());
	check('and its body is no image', !(r.headers()['content-type'] || '').startsWith('image/'),
		r.headers()['content-type']);
});
await step('an item that does not exist', async () => {
	eq('evidence/2 is 404', 404, (await get(capil.ctx, `/reports/${CODE_PHOTO}/evidence/2`)).status());
	eq('evidence/x is 404', 404, (await get(capil.ctx, `/reports/${CODE_PHOTO}/evidence/x`)).status());
});

await done();
