'use strict';
/**
 * The OAuth2 credential in n8n's real editor (issue 15): the dialog's field order, then a user's
 * whole connection: register an app in the fake Mattermost with the OAuth Redirect URL the dialog
 * shows, fill the dialog, click Connect, answer the consent page in the popup, and see n8n's
 * "Account connected". The suite's shared n8n and browser (test/ui/session.js).
 *
 *   npm run test:ui -- --test-name-pattern=OAuth2
 *   npm run test:ui -- --update-screenshots           # also refresh docs/screenshots/
 */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lab = require('../../scripts/lib/n8n-lab');
const { sel } = require('./editor-page');
const session = require('./session');

/**
 * The order n8n shows a new credential's fields in. n8n lists oAuth2Api's fields first (ours with
 * the same names take their slots) and the fields oAuth2Api lacks after them, so the setup notice
 * and Base URL cannot come first: test/oauth2-field-order.test.ts has the why, for n8n 1.x and 2.x.
 */
const FIELD_ORDER = require('../oauth2-dialog-fields.json');

let ui;

before(async () => {
	ui = await session.start();
});

after(() => session.stop());

test('OAuth2 credential: fields in order; Connect through the consent page ends "Account connected"', { timeout: 300000 }, async () => {
	// The redirect URL is on the host the browser signed in at (the session's N8N_EDITOR_BASE_URL):
	// the callback needs the session cookie.
	const { mm, server, rest, editor } = ui;
	await editor.newCredential('Mattermost Suite OAuth2 API');
	assert.deepEqual(await editor.credentialFieldOrder(), FIELD_ORDER);

	// What the notice tells a user to do: register the app with the redirect URL shown here.
	const redirectUrl = await editor.oauthRedirectUrl();
	assert.equal(redirectUrl, lab.oauth2CallbackUrl(server.url));
	const app = mm.createOAuthApp({ name: 'n8n (UI)', callback_urls: [redirectUrl], is_trusted: false });
	await editor.fillCredentialField('clientId', app.id);
	await editor.fillCredentialField('clientSecret', app.client_secret);
	await editor.fillCredentialField('baseUrl', mm.url);

	const eventsBefore = mm.oauthEvents.length;
	const banner = await editor.connectOAuth2(async (popup) => {
		await popup.waitForURL((u) => String(u).startsWith(`${mm.url}/oauth/authorize`));
		await popup.click(sel.fakeConsentAllow);
	});
	assert.match(banner, /Account connected/);

	const events = mm.oauthEvents.slice(eventsBefore).filter((e) => e.client_id === app.id);
	const authorized = events.find((e) => e.type === 'authorize');
	assert.ok(authorized, `the fake saw no authorization: ${JSON.stringify(events)}`);
	assert.equal(authorized.approval, 'consent');
	assert.equal(authorized.redirect_uri, redirectUrl);
	const token = events.find((e) => e.type === 'token');
	assert.ok(token, `n8n exchanged no code: ${JSON.stringify(events)}`);
	assert.equal(token.grant_type, 'authorization_code');
	assert.equal(token.status, 200);

	const stored = (await rest.get('/rest/credentials')).data.filter((c) => c.type === lab.OAUTH2_CREDENTIAL_TYPE);
	assert.equal(stored.length, 1, JSON.stringify(stored));
	const { data } = (await rest.get(`/rest/credentials/${stored[0].id}?includeData=true`)).data;
	assert.equal(data.baseUrl, mm.url);
	assert.equal(data.clientId, app.id);
	assert.ok(data.oauthTokenData, `no token stored: ${Object.keys(data)}`);

	await editor.page.locator(`${sel.credentialDialog} ${sel.oauthConnected}`).scrollIntoViewIfNeeded();
	await ui.screenshot('oauth2-credential-connected');
});
