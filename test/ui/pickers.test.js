'use strict';
/**
 * The Post picker (From list) in n8n's editor with the NON-ADMIN bot's credential: without search
 * text it lists the bot's saved posts; with one it searches the bot's teams, and finds nothing the
 * bot may not read; when the saved posts fail, it keeps its search box. Team, channel and user
 * pickers: editor.test.js.
 */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const session = require('./session');

let ui;

before(async () => {
	ui = await session.start();
});

after(() => session.stop());

/** Saves posts for the bot the way Mattermost's webapp does: flagged_post preferences, bot token. */
async function saveForBot(postIds) {
	const { mm, seed } = ui;
	const res = await fetch(`${mm.apiUrl}/users/me/preferences`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${seed.tokens.bot}`, 'content-type': 'application/json' },
		body: JSON.stringify(postIds.map((id) => ({ user_id: seed.bot.id, category: 'flagged_post', name: id, value: 'true' }))),
	});
	assert.equal(res.status, 200, await res.text());
}

test('pickers: Reaction > Add > Post (From list) lists the bot\'s saved posts and searches posts, with a non-admin bot token', { timeout: 300000 }, async () => {
	const { mm, seed, editor } = ui;
	assert.doesNotMatch(seed.bot.roles, /admin/, 'the bot must not be an admin for this check');
	const byMessage = (message) => [...mm.state.posts.values()].find((p) => p.message === message && !p.delete_at);
	const hello = byMessage('Hello everyone');
	const lunch = byMessage('Anyone up for lunch?');
	await saveForBot([hello.id, lunch.id]);

	const wf = await ui.createWorkflow('UI: post picker', [ui.actionNode('React', { resource: 'reaction', operation: 'add', emojiName: 'thumbsup' })]);
	await editor.openNodeByUrl(wf.id, wf.nodes[0].id);
	await editor.openPicker('postId');
	const saved = await editor.pickerItems();
	for (const text of ['Hello everyone', 'Anyone up for lunch?']) assert.ok(saved.some((i) => i.includes(text)), `saved posts: "${text}" not in ${JSON.stringify(saved)}`);
	assert.ok(saved.some((i) => i.startsWith('~town-square: ')), `no channel named in ${JSON.stringify(saved)}`);

	await editor.searchPicker('lunch');
	const found = await editor.pickerItems();
	assert.ok(found.some((i) => i.includes('@bob') && i.includes('Anyone up for lunch?')), `search "lunch": ${JSON.stringify(found)}`);
	assert.ok(!found.some((i) => i.includes('Hello everyone')), `search "lunch" kept "Hello everyone": ${JSON.stringify(found)}`);
	await ui.screenshot('post-picker-search');

	// "Secret plans" is in a private channel the bot is not in: Mattermost's search leaves it out.
	await editor.searchPicker('plans');
	const hidden = await editor.pickerItems();
	assert.ok(!hidden.some((i) => i.includes('Secret plans')), `search "plans" shows a post the bot cannot read: ${JSON.stringify(hidden)}`);
	await editor.page.keyboard.press('Escape');

	const searches = mm.requests.filter((r) => r.method === 'POST' && /\/teams\/[^/]+\/posts\/search$/.test(r.path));
	assert.ok(searches.length > 0, 'the picker never searched');
	assert.ok(searches.every((r) => r.headers.authorization === `Bearer ${seed.tokens.bot}`), 'a search went out without the bot token');
});

test('pickers: the Post picker keeps its search box when its saved posts fail, and blames no IDs', { timeout: 300000 }, async () => {
	const { mm, seed, editor } = ui;
	mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'pelican sighting' });
	const wf = await ui.createWorkflow('UI: post picker, saved posts fail', [ui.actionNode('React', { resource: 'reaction', operation: 'add', emojiName: 'thumbsup' })]);
	mm.addFault({ method: 'GET', path: '/api/v4/users/me/posts/flagged', status: 404, times: null });
	try {
		await editor.openNodeByUrl(wf.id, wf.nodes[0].id);
		const dropdown = await editor.openPicker('postId');
		await editor.page.waitForTimeout(500);
		const shown = (await dropdown.innerText()).replace(/\s+/g, ' ').trim();
		await ui.screenshot('post-picker-saved-posts-failed');
		assert.ok(mm.requests.some((r) => r.path === '/api/v4/users/me/posts/flagged'), 'the picker did not ask for the saved posts');
		assert.doesNotMatch(shown, /IDs used/, 'the dropdown blames the IDs');
		assert.ok(await editor.pickerHasSearch(), `no search box in the dropdown: "${shown}"`);

		await editor.searchPicker('pelican');
		const found = await editor.pickerItems();
		assert.ok(found.some((i) => i.includes('pelican sighting')), `search "pelican": ${JSON.stringify(found)}`);
		await editor.pickItem('pelican sighting');
		assert.match(await editor.pickerValue('postId'), /pelican sighting/);
	} finally {
		mm.clearFaults();
	}
});
