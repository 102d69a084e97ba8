/**
 * The fake's interactive dialogs: signed, short-lived trigger ids in click payloads,
 * `dialogs/open` validation, submissions POSTed to the dialog's URL in the server's shape, and
 * the control routes that click and submit as a user.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { useFakeMattermost } from './support';

const fake = useFakeMattermost();

interface Received {
	body: any;
}

/** An integration: records each call and answers with what `answer` returns. */
async function integration(answer: (body: any) => unknown) {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			received.push({ body });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(answer(body) ?? {}));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function call(method: string, path: string, body?: unknown, token?: string) {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (token) headers.Authorization = `Bearer ${token}`;
	const response = await fetch(`${fake.mm.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await response.text();
	return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const dialog = {
	callback_id: 'cb1',
	title: 'Your answer',
	state: 'opaque',
	elements: [{ display_name: 'Answer', name: 'answer', type: 'textarea' }],
};

function buttonPost(url: string) {
	return fake.mm.createPost({
		channel_id: fake.seed.channels.townSquare.id,
		user_id: fake.seed.bot.id,
		message: 'Question?',
		props: { attachments: [{ actions: [{ id: 'answer', type: 'button', name: 'Answer', integration: { url, context: { k: 1 } } }] }] },
	});
}

describe('fake Mattermost interactive dialogs', () => {
	it('a click carries a signed trigger id that opens a validated dialog; its submission reaches the URL', async () => {
		const { mm, seed } = fake;
		const hook = await integration((body) => (body.type === 'dialog_submission' && !body.submission.answer ? { errors: { answer: 'Required' } } : {}));
		try {
			const post = buttonPost(hook.url);
			const click = await call('POST', '/__fake/click', { user: 'alice', post_id: post.id, action_id: 'answer' });
			expect(click.status).toBe(200);
			const clickBody = hook.received[0].body;
			expect(clickBody).toMatchObject({ user_id: seed.alice.id, post_id: post.id, context: { k: 1 } });
			expect(clickBody.trigger_id).toBe(click.json.trigger_id);

			const forged = await call('POST', '/api/v4/actions/dialogs/open', { trigger_id: Buffer.from(`x:${seed.alice.id}:${Date.now()}:AAAA`).toString('base64'), url: hook.url, dialog }, seed.tokens.bot);
			expect(forged.status).toBe(400);
			expect(forged.json.id).toBe('interactive_message.decode_trigger_id.verify_signature_failed');

			const invalid = await call('POST', '/api/v4/actions/dialogs/open', { trigger_id: clickBody.trigger_id, url: hook.url, dialog: { ...dialog, title: 'A title that is far too long for Mattermost' } }, seed.tokens.bot);
			expect(invalid.status).toBe(400);
			expect(invalid.json.id).toBe('app.open_interactive_dialog.invalid_request');

			const opened = await call('POST', '/api/v4/actions/dialogs/open', { trigger_id: clickBody.trigger_id, url: hook.url, dialog }, seed.tokens.bot);
			expect(opened.status).toBe(200);
			const open = (await call('GET', '/__fake/dialogs')).json;
			expect(open).toHaveLength(1);
			expect(open[0]).toMatchObject({ user_id: seed.alice.id, open: true, channel_id: seed.channels.townSquare.id });

			const empty = await call('POST', '/__fake/dialogs/submit', { user: 'alice', submission: { answer: '' } });
			expect(empty.json).toEqual({ closed: false, response: { errors: { answer: 'Required' } } });
			const done = await call('POST', '/__fake/dialogs/submit', { user: 'alice', submission: { answer: 'Yes' } });
			expect(done.json.closed).toBe(true);
			expect(hook.received.at(-1)!.body).toEqual({
				type: 'dialog_submission',
				callback_id: 'cb1',
				state: 'opaque',
				user_id: seed.alice.id,
				channel_id: seed.channels.townSquare.id,
				team_id: seed.team.id,
				submission: { answer: 'Yes' },
				cancelled: false,
			});
			expect((await call('POST', '/__fake/dialogs/submit', { user: 'alice', submission: {} })).status).toBe(400);
			expect(mm.contractViolations).toEqual([]);
		} finally {
			await hook.close();
		}
	});

	it('a trigger id expires', async () => {
		const { mm, seed } = fake;
		const hook = await integration(() => ({}));
		try {
			const post = buttonPost(hook.url);
			await call('POST', '/__fake/click', { user: 'alice', post_id: post.id, action_id: 'answer' });
			mm.config.triggerIdTtlMs = 1;
			await new Promise((resolve) => setTimeout(resolve, 20));
			const late = await call('POST', '/api/v4/actions/dialogs/open', { trigger_id: hook.received[0].body.trigger_id, url: hook.url, dialog }, seed.tokens.bot);
			expect(late.json.id).toBe('interactive_message.decode_trigger_id.expired');
		} finally {
			delete mm.config.triggerIdTtlMs;
			await hook.close();
		}
	});
});
