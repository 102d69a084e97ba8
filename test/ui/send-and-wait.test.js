'use strict';
/**
 * Message > Send and Wait for Response in n8n's editor: its panel, then a workflow run from the
 * editor ("Execute workflow") that posts the question and waits; alice clicks Approve in the
 * (fake) Mattermost, Mattermost calls n8n's signed resume URL, and the editor shows the finished
 * execution with the answer. Screenshots of the post as Mattermost holds it before and after the
 * click (rendered as a small HTML page: the fake has no web app).
 */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const session = require('./session');
const { sel } = require('./editor-page');

const ASK = 'Ask for approval';

let ui;

before(async () => {
	ui = await session.start();
});

after(() => session.stop());

const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// Chromium here has no colour emoji font: Mattermost's emoji as plain marks.
const EMOJI = { ':white_check_mark:': '<b style="color:#06d6a0">✓</b>', ':x:': '<b style="color:#d24b4e">✗</b>' };

/** A post as Mattermost's web app would roughly show it: author, text, attachment text and buttons. */
function postHtml(post, author, channel) {
	const attachments = (post.props?.attachments || [])
		.map((a) => {
			const text = a.text ? `<div class="text">${escapeHtml(a.text).replace(/:[a-z_]+:/g, (e) => EMOJI[e] || e)}</div>` : '';
			const buttons = (a.actions || []).map((b) => `<button class="${escapeHtml(b.style || 'default')}">${escapeHtml(b.name)}</button>`).join('');
			return `<div class="attachment" style="border-color:${escapeHtml(a.color || '#ddd')}">${text}${buttons ? `<div class="buttons">${buttons}</div>` : ''}</div>`;
		})
		.join('');
	return `<!doctype html><meta charset="utf-8"><style>
		body{margin:0;font:15px/1.5 "Open Sans",Arial,sans-serif;background:#fff;color:#3d3c40}
		.post{width:560px;padding:16px 20px}.channel{color:#888;font-size:12px;margin-bottom:8px}
		.author{font-weight:600}.author small{color:#999;font-weight:400;margin-left:6px}
		.attachment{border-left:4px solid;padding:6px 12px;margin-top:6px}
		.buttons button{margin:6px 8px 0 0;padding:6px 14px;border:1px solid #ccc;border-radius:4px;background:#fff;font-weight:600}
		button.success{color:#06d6a0;border-color:#06d6a0}button.danger{color:#d24b4e;border-color:#d24b4e}button.primary{color:#1c58d9;border-color:#1c58d9}
	</style><div class="post"><div class="channel">~${escapeHtml(channel.display_name)} (fake Mattermost)</div>
	<div class="author">${escapeHtml(author.username)}<small>BOT</small></div><div>${escapeHtml(post.message)}</div>${attachments}</div>`;
}

test('send and wait: the panel shows its parameters; a run from the editor waits until alice clicks Approve in Mattermost, then shows the answer', { timeout: 420000 }, async () => {
	const { mm, seed, editor, rest } = ui;
	const channel = seed.channels.townSquare;
	const build = crypto.randomInt(1000, 9999);
	const message = `Deploy build ${build} to production?`;
	const ask = ui.actionNode(ASK, {
		resource: 'message',
		operation: 'sendAndWait',
		channelId: lab.byId(channel.id),
		message,
		responseType: 'approval',
		approvalOptions: { values: { approvalType: 'double' } },
	});
	const wf = await ui.createWorkflow('UI: send and wait', [lab.manualTriggerNode([-250, 0]), ask], { [lab.MANUAL_TRIGGER]: ASK });

	// The operation's panel.
	await editor.openNodeByUrl(wf.id, ask.id);
	await editor.settle();
	const labels = await editor.parameterLabels();
	for (const label of ['Send To', 'Channel', 'Message', 'Response Type', 'Approval Options']) {
		assert.ok(labels.some((l) => l.startsWith(label)), `"${label}" not in ${JSON.stringify(labels)}`);
	}
	const issues = await editor.parameterIssueTexts();
	assert.deepEqual(issues, [], `issues: ${issues}`);
	await editor.closeNode();

	// Run it from the editor: the question is posted and the execution waits.
	const earlier = new Set(mm.postsIn(channel.id).map((p) => p.id));
	assert.equal(await editor.page.locator(sel.canvasNodeWaiting(ASK)).count(), 0, 'the node shows as waiting before the run');
	await editor.executeWorkflow();
	let post;
	await lab.waitUntil(() => (post = mm.postsIn(channel.id).find((p) => !earlier.has(p.id) && p.message === message)), { timeoutMs: 90000, what: 'the question post' });
	let execution;
	await lab.waitUntil(async () => ([execution] = await lab.listExecutions(rest, wf.id)) && execution?.status === 'waiting', {
		timeoutMs: 60000,
		what: 'a waiting execution',
		explain: () => execution,
	});
	assert.equal(execution.mode, 'manual');
	await editor.page.locator(sel.canvasNodeWaiting(ASK)).first().waitFor({ timeout: 60000 });
	const actions = post.props.attachments[0].actions;
	assert.deepEqual(actions.map((a) => a.name), ['Approve', 'Decline']);
	assert.match(actions[0].integration.url, new RegExp(`^${ui.server.url}/webhook-waiting/${execution.id}/`));
	const html = (p) => postHtml(p, seed.bot, channel);
	await ui.screenshotHtml('send-and-wait-question', html(post));

	// alice clicks Approve: Mattermost calls the resume URL, the execution finishes with her answer.
	const res = await fetch(`${mm.url}/__fake/click`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ user: 'alice', post_id: post.id, action_id: 'approve' }),
	});
	const click = await res.json();
	assert.equal(res.status, 200, JSON.stringify(click));
	assert.equal(click.integration.status, 200, JSON.stringify(click));
	const done = await lab.waitForExecution(rest, execution.id, { timeoutMs: 90000 });
	assert.equal(done.status, 'success');
	// The resumed run is the node's last one.
	const item = done.data.resultData.runData[ASK].at(-1).data.main[0][0].json;
	assert.equal(item.data.approved, true);
	assert.equal(item.data.user.username, 'alice');

	// The editor shows the finished run: the node's output holds the answer.
	await editor.page.locator(sel.canvasNodeSuccess(ASK)).waitFor({ timeout: 60000 });
	await editor.page.locator(sel.canvasNodeWaiting(ASK)).first().waitFor({ state: 'detached' });
	await editor.openNode(ASK);
	await editor.outputAs('json');
	await editor.waitForOutput('"approved": true');
	const output = await editor.outputText();
	assert.match(output, /"username": "alice"/, output.slice(0, 600));
	assert.match(output, new RegExp(`"postId": "${post.id}"`), output.slice(0, 600));
	await ui.screenshot('send-and-wait-output', sel.outputPanel);

	const answered = mm.state.posts.get(post.id);
	assert.equal(answered.props.attachments[0].text, ':white_check_mark: Approved by @alice');
	assert.equal(answered.props.attachments[0].actions, undefined);
	await ui.screenshotHtml('send-and-wait-answered', html(answered));
});
