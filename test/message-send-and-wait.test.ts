/**
 * Message > Send and Wait for Response in n8n-core contexts: the execution waits (its data kept
 * only as stored JSON), the fake Mattermost's users click buttons and submit dialogs, the fake
 * calls the signed resume URL, and the node's webhook resumes the execution (or keeps it waiting).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { WaitingExecution } from './harness';
import { byId, credentialType, credentialsFor, nodeType, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

const started: WaitingExecution[] = [];
afterEach(async () => {
	for (const execution of started.splice(0)) await execution.stop();
});

async function waitFor(parameters: IDataObject): Promise<WaitingExecution> {
	const execution = await WaitingExecution.start({
		nodeType,
		parameters: {
			resource: 'message',
			operation: 'sendAndWait',
			channelId: byId(fake.seed.channels.townSquare.id),
			message: 'Deploy build 42 to production?',
			...parameters,
		} as INodeParameters,
		credentials: credentialsFor(fake.mm, fake.seed.tokens.bot),
		credentialTypes: [credentialType],
		resume: parameters.resume === undefined ? undefined : Boolean(parameters.resume),
	});
	started.push(execution);
	return execution;
}

async function control(method: string, path: string, body?: unknown) {
	const response = await fetch(`${fake.mm.url}${path}`, {
		method,
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json()) as any };
}

const click = (user: string, postId: string, actionId: string) =>
	control('POST', '/__fake/click', { user, post_id: postId, action_id: actionId });

const submit = (user: string, submission: IDataObject, extra: IDataObject = {}) =>
	control('POST', '/__fake/dialogs/submit', { user, submission, ...extra });

function questionPost(execution: WaitingExecution) {
	const output = execution.nodeOutput?.[0]?.[0]?.json as IDataObject;
	return fake.mm.state.posts.get(output.postId as string);
}

function actionsOf(post: IDataObject): IDataObject[] {
	const attachments = ((post.props as IDataObject | undefined)?.attachments as IDataObject[] | undefined) ?? [];
	return attachments.flatMap((a) => (a.actions as IDataObject[]) ?? []);
}

function ephemeralsFor(userId: string): string[] {
	return fake.mm.state.ephemeralPosts.filter((e: any) => e.user_id === userId).map((e: any) => e.post.message);
}

describe('Send and Wait for Response: approval', () => {
	it('posts Approve and Decline buttons on the signed resume URL and waits', async () => {
		const { seed } = fake;
		const execution = await waitFor({ responseType: 'approval', approvalOptions: { values: { approvalType: 'double' } } });
		expect(execution.status).toBe('waiting');
		expect(execution.waitTill?.getFullYear()).toBe(3000);
		const post = questionPost(execution);
		expect(post).toMatchObject({ channel_id: seed.channels.townSquare.id, user_id: seed.bot.id, message: 'Deploy build 42 to production?' });
		const actions = actionsOf(post);
		expect(actions.map((a) => [a.id, a.name, a.style])).toEqual([
			['approve', 'Approve', 'success'],
			['decline', 'Decline', 'danger'],
		]);
		const url = new URL((actions[0].integration as IDataObject).url as string);
		expect(url.href.startsWith(`${execution.waitingBaseUrl}/${execution.executionId}/`)).toBe(true);
		expect(url.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(execution.received).toBeUndefined();
	});

	it('a click by alice resumes the execution with approved true and turns the buttons into the decision', async () => {
		const { seed } = fake;
		const execution = await waitFor({ responseType: 'approval', approvalOptions: { values: { approvalType: 'double' } } });
		const post = questionPost(execution);
		const answer = await click('alice', post.id, 'approve');
		expect(answer.status).toBe(200);
		expect(answer.json.integration.status).toBe(200);
		await execution.settled();
		expect(execution.status).toBe('finished');
		const received = execution.received!;
		expect(received).toHaveLength(1);
		expect(received[0].json).toEqual({
			timedOut: false,
			postId: post.id,
			channelId: seed.channels.townSquare.id,
			data: { approved: true, user: { id: seed.alice.id, username: 'alice' }, respondedAt: expect.any(String) },
		});
		const updated = fake.mm.state.posts.get(post.id);
		expect(updated.message).toBe('Deploy build 42 to production?');
		expect(updated.props.attachments).toEqual([{ color: 'good', text: ':white_check_mark: Approved by @alice' }]);
		expect(updated.props.mattermost_suite_answer).toMatchObject({ user_id: seed.alice.id, username: 'alice', approved: true });
		// The buttons are gone: a second click finds nothing to click.
		expect((await click('bob', post.id, 'approve')).status).toBe(404);
		expect(execution.runs).toHaveLength(2);
	});

	it('a click on Decline resumes with approved false', async () => {
		const execution = await waitFor({
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'double', approveLabel: 'Ship it', disapproveLabel: 'Not now' } },
		});
		const post = questionPost(execution);
		expect(actionsOf(post).map((a) => a.name)).toEqual(['Ship it', 'Not now']);
		await click('bob', post.id, 'decline');
		await execution.settled();
		expect(execution.received![0].json.data).toMatchObject({ approved: false, user: { username: 'bob' } });
		expect(fake.mm.state.posts.get(post.id).props.attachments).toEqual([{ color: 'danger', text: ':x: Declined by @bob' }]);
	});

	it('Approve Only has one button', async () => {
		const execution = await waitFor({ responseType: 'approval' });
		expect(actionsOf(questionPost(execution)).map((a) => a.id)).toEqual(['approve']);
	});

	it('refuses calls without the right signature and keeps waiting', async () => {
		const execution = await waitFor({ responseType: 'approval' });
		const post = questionPost(execution);
		const signed = new URL((actionsOf(post)[0].integration as IDataObject).url as string);
		const payload = { user_id: fake.seed.alice.id, user_name: 'alice', post_id: post.id, context: { action: 'approve', responders: [] } };
		const forge = async (url: URL) =>
			await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });

		const unsigned = new URL(signed);
		unsigned.searchParams.delete('signature');
		expect((await forge(unsigned)).status).toBe(401);
		const wrong = new URL(signed);
		wrong.searchParams.set('signature', 'f'.repeat(64));
		expect((await forge(wrong)).status).toBe(401);
		// A signature for other parameters does not carry over.
		const extended = new URL(signed);
		extended.searchParams.set('responder', fake.seed.alice.id);
		expect((await forge(extended)).status).toBe(401);

		expect(execution.status).toBe('waiting');
		expect(execution.calls.every((call) => call.result === undefined)).toBe(true);
		expect(fake.mm.state.posts.get(post.id).props.mattermost_suite_answer).toBeUndefined();
	});

	it('answers a signed call that is no click with 400 and keeps waiting', async () => {
		const execution = await waitFor({ responseType: 'approval' });
		const url = (actionsOf(questionPost(execution))[0].integration as IDataObject).url as string;
		const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"hello": 1}' });
		expect(response.status).toBe(400);
		const page = await fetch(url);
		expect(page.status).toBe(200);
		expect(execution.status).toBe('waiting');
	});
});

describe('Send and Wait for Response: responders and double clicks', () => {
	it('tells a user who may not answer so, and waits for a responder (responders by username and by ID)', async () => {
		const { seed } = fake;
		fake.mm.clearRequests();
		const execution = await waitFor({ responseType: 'approval', options: { responders: `@bob, ${seed.admin.id}` } });
		const userReads = fake.mm.requests.filter((r: any) => r.method === 'GET' && r.path.startsWith('/api/v4/users/'));
		expect(userReads.map((r: any) => r.path)).toEqual(['/api/v4/users/username/bob', `/api/v4/users/${seed.admin.id}`]);
		const post = questionPost(execution);
		const before = ephemeralsFor(seed.alice.id).length;
		expect((await click('alice', post.id, 'approve')).status).toBe(200);
		expect(ephemeralsFor(seed.alice.id).slice(before)).toEqual(['Only @bob or @admin may answer this.']);
		expect(execution.status).toBe('waiting');
		expect(actionsOf(fake.mm.state.posts.get(post.id))).toHaveLength(1);

		await click('bob', post.id, 'approve');
		await execution.settled();
		expect(execution.received![0].json.data).toMatchObject({ approved: true, user: { id: seed.bob.id, username: 'bob' } });
	});

	it('refuses an unknown responder before posting', async () => {
		const posts = fake.mm.state.posts.size;
		const execution = await waitFor({ responseType: 'approval', options: { responders: 'nobody-here' } });
		expect(execution.status).toBe('error');
		expect(execution.lastError?.message).toBe('Responder "nobody-here" is not a Mattermost user');
		expect(fake.mm.state.posts.size).toBe(posts);
	});

	it('a click racing an earlier answer gets a polite note and changes nothing', async () => {
		const { seed } = fake;
		const execution = await waitFor({ responseType: 'approval', approvalOptions: { values: { approvalType: 'double' } }, resume: false });
		const post = questionPost(execution);
		const decline = actionsOf(post)[1].integration as IDataObject;
		await click('alice', post.id, 'approve');
		const answered = JSON.stringify(fake.mm.state.posts.get(post.id));
		// What Mattermost sends for bob's click on the button he still saw.
		const raced = await fetch(decline.url as string, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ user_id: seed.bob.id, user_name: 'bob', post_id: post.id, trigger_id: 'x', type: 'button', context: decline.context }),
		});
		expect(raced.status).toBe(200);
		expect(await raced.json()).toEqual({ ephemeral_text: '@alice already answered this.' });
		expect(JSON.stringify(fake.mm.state.posts.get(post.id))).toBe(answered);
		expect(execution.calls.filter((call) => call.result?.workflowData)).toHaveLength(1);
	});
});

describe('Send and Wait for Response: free text and forms in a dialog', () => {
	it('the Respond click opens a dialog without resuming; the submission resumes with the text', async () => {
		const { seed } = fake;
		const execution = await waitFor({
			responseType: 'freeText',
			options: { messageButtonLabel: 'Answer', responseFormTitle: 'Release Notes' },
		});
		const post = questionPost(execution);
		expect(actionsOf(post).map((a) => [a.id, a.name])).toEqual([['respond', 'Answer']]);
		const dialogsBefore = (await control('GET', '/__fake/dialogs')).json.length;
		const answer = await click('alice', post.id, 'respond');
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.json.integration.response)).toEqual({});
		expect(execution.status).toBe('waiting');
		const dialogs = (await control('GET', '/__fake/dialogs')).json;
		expect(dialogs).toHaveLength(dialogsBefore + 1);
		const dialog = dialogs.at(-1);
		expect(dialog).toMatchObject({ user_id: seed.alice.id, open: true });
		expect(dialog.request.dialog).toMatchObject({
			title: 'Release Notes',
			introduction_text: 'Deploy build 42 to production?',
			submit_label: 'Submit',
			elements: [{ name: 'text', type: 'textarea', display_name: 'Response', optional: false }],
		});
		const dialogUrl = new URL(dialog.request.url);
		expect(dialogUrl.searchParams.get('responder')).toBe(seed.alice.id);
		expect(dialogUrl.searchParams.get('post')).toBe(post.id);

		const empty = await submit('alice', { text: '  ' });
		expect(empty.json).toEqual({ closed: false, response: { errors: { text: 'This field is required.' } } });
		expect(execution.status).toBe('waiting');

		const done = await submit('alice', { text: 'Looks good, ship it' });
		expect(done.json).toEqual({ closed: true, response: {} });
		await execution.settled();
		expect(execution.received![0].json).toEqual({
			timedOut: false,
			postId: post.id,
			channelId: seed.channels.townSquare.id,
			data: { text: 'Looks good, ship it', user: { id: seed.alice.id, username: 'alice' }, respondedAt: expect.any(String) },
		});
		expect(fake.mm.state.posts.get(post.id).props.attachments).toEqual([{ color: 'good', text: ':speech_balloon: Answered by @alice' }]);
	});

	it('a form dialog checks each field, keeps the dialog open on errors, and resumes with the answers by field name', async () => {
		const { seed } = fake;
		const execution = await waitFor({
			responseType: 'form',
			formFields: {
				values: [
					{ fieldLabel: 'Reason', fieldType: 'text', requiredField: true, placeholder: 'Why?' },
					{ fieldLabel: 'Copies', fieldType: 'number' },
					{ fieldLabel: 'Contact', fieldType: 'email' },
					{ fieldLabel: 'Environment', fieldType: 'dropdown', requiredField: true, fieldOptions: { values: [{ option: 'staging' }, { option: 'production' }] } },
					{ fieldLabel: 'Notes', fieldType: 'textarea' },
				],
			},
			options: { responseFormDescription: 'Tell us **why**', responseFormButtonLabel: 'Send' },
		});
		const post = questionPost(execution);
		await click('bob', post.id, 'respond');
		const dialog = (await control('GET', '/__fake/dialogs')).json.at(-1);
		expect(dialog.request.dialog).toMatchObject({
			title: 'Your Response',
			introduction_text: 'Tell us **why**',
			submit_label: 'Send',
			elements: [
				{ name: 'field0', display_name: 'Reason', type: 'text', optional: false, placeholder: 'Why?' },
				{ name: 'field1', display_name: 'Copies', type: 'text', subtype: 'number', optional: true },
				{ name: 'field2', display_name: 'Contact', type: 'text', subtype: 'email', optional: true },
				{ name: 'field3', display_name: 'Environment', type: 'select', optional: false, options: [{ text: 'staging', value: 'staging' }, { text: 'production', value: 'production' }] },
				{ name: 'field4', display_name: 'Notes', type: 'textarea', optional: true },
			],
		});

		const wrong = await submit('bob', { field0: '', field1: 'three', field2: 'nope', field3: 'moon' });
		expect(wrong.json.response.errors).toEqual({
			field0: 'This field is required.',
			field1: 'Enter a number, e.g. 42.',
			field2: 'Enter an email address, e.g. alice@example.com.',
			field3: 'Choose one of the options.',
		});
		expect(execution.status).toBe('waiting');

		await submit('bob', { field0: 'Hotfix', field1: '3', field2: 'ops@example.com', field3: 'production' });
		await execution.settled();
		expect(execution.received![0].json.data).toEqual({
			Reason: 'Hotfix',
			Copies: 3,
			Contact: 'ops@example.com',
			Environment: 'production',
			Notes: '',
			user: { id: seed.bob.id, username: 'bob' },
			respondedAt: expect.any(String),
		});
	});

	it('a submission for another user than the dialog was opened for is refused', async () => {
		const { seed } = fake;
		const execution = await waitFor({ responseType: 'freeText' });
		const post = questionPost(execution);
		await click('alice', post.id, 'respond');
		const dialog = (await control('GET', '/__fake/dialogs')).json.at(-1);
		const forged = await fetch(dialog.request.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ type: 'dialog_submission', user_id: seed.bob.id, channel_id: post.channel_id, submission: { text: 'I am bob' }, cancelled: false }),
		});
		expect(forged.status).toBe(403);
		expect(execution.status).toBe('waiting');
	});

	it('only a responder gets the dialog', async () => {
		const { seed } = fake;
		const execution = await waitFor({ responseType: 'freeText', options: { responders: 'bob' } });
		const post = questionPost(execution);
		const dialogs = (await control('GET', '/__fake/dialogs')).json.length;
		await click('alice', post.id, 'respond');
		expect((await control('GET', '/__fake/dialogs')).json).toHaveLength(dialogs);
		expect(ephemeralsFor(seed.alice.id).at(-1)).toBe('Only @bob may answer this.');
	});

	it('a cancelled dialog keeps the execution waiting', async () => {
		const execution = await waitFor({ responseType: 'freeText' });
		const post = questionPost(execution);
		await click('alice', post.id, 'respond');
		const calls = execution.calls.length;
		const cancelled = await submit('alice', {}, { cancelled: true });
		expect(cancelled.json.closed).toBe(true);
		// The dialog does not ask to be told about cancels: nothing reaches n8n.
		expect(execution.calls).toHaveLength(calls);
		const dialog = (await control('GET', '/__fake/dialogs')).json.at(-1);
		const told = await fetch(dialog.request.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ type: 'dialog_submission', user_id: fake.seed.alice.id, channel_id: post.channel_id, submission: { text: 'typed, then cancelled' }, cancelled: true }),
		});
		expect(told.status).toBe(200);
		expect(execution.status).toBe('waiting');
	});

	it('a dialog that can no longer be opened tells the clicker to click again, and the execution keeps waiting', async () => {
		const { mm, seed } = fake;
		const execution = await waitFor({ responseType: 'freeText' });
		const post = questionPost(execution);
		mm.config.triggerIdTtlMs = -1;
		try {
			expect((await click('alice', post.id, 'respond')).status).toBe(200);
		} finally {
			delete mm.config.triggerIdTtlMs;
		}
		expect(ephemeralsFor(seed.alice.id).at(-1)).toMatch(/^The form could not be opened: .+ Please click again\.$/);
		expect(execution.status).toBe('waiting');
		await click('alice', post.id, 'respond');
		expect((await control('GET', '/__fake/dialogs')).json.at(-1)).toMatchObject({ user_id: seed.alice.id, open: true });
	});

	it('refuses a form Mattermost would not show, before posting', async () => {
		const posts = fake.mm.state.posts.size;
		const long = await waitFor({ responseType: 'form', formFields: { values: [{ fieldLabel: 'A label longer than twenty-four' }] } });
		expect(long.lastError?.message).toMatch(/Field Name "A label longer than twenty-four" is 31 characters long/);
		const empty = await waitFor({ responseType: 'form', formFields: { values: [{ fieldLabel: 'Env', fieldType: 'dropdown', fieldOptions: { values: [{ option: '' }] } }] } });
		expect(empty.lastError?.message).toMatch(/dropdown without options/);
		const title = await waitFor({ responseType: 'freeText', options: { responseFormTitle: 'A dialog title that is too long' } });
		expect(title.lastError?.message).toMatch(/Response Form Title/);
		const none = await waitFor({ responseType: 'form' });
		expect(none.lastError?.message).toBe('The form has no fields');
		expect(fake.mm.state.posts.size).toBe(posts);
	});
});

describe('Send and Wait for Response: limits and targets', () => {
	it('when the wait limit runs out the next node gets timedOut true and the post', async () => {
		const { seed } = fake;
		const before = Date.now();
		const execution = await waitFor({
			responseType: 'approval',
			options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'minutes' } } },
		});
		const after = Date.now();
		const waitTill = execution.waitTill!.getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 60_000);
		expect(waitTill).toBeLessThanOrEqual(after + 60_000);
		const post = questionPost(execution);
		await execution.expire();
		expect(execution.status).toBe('finished');
		expect(execution.received!.map((item) => item.json)).toEqual([
			{ timedOut: true, postId: post.id, channelId: seed.channels.townSquare.id },
		]);
		// A late click reaches n8n, which answers that nothing is waiting any more.
		const url = (actionsOf(post)[0].integration as IDataObject).url as string;
		const late = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
		expect(await late.text()).toBe('send-and-wait-no-action-required');

		// The README's pattern: Message > Update of the timed-out post closes the question.
		const [updated] = await runNode(
			fake.mm,
			{ resource: 'message', operation: 'update', postId: byId(post.id), updateFields: { message: 'Expired: nobody answered in time', props: '{}' } },
			{ token: seed.tokens.bot },
		);
		expect(updated.json.message).toBe('Expired: nobody answered in time');
		expect(actionsOf(fake.mm.state.posts.get(post.id))).toEqual([]);
	});

	it('waits until a given date and time', async () => {
		const execution = await waitFor({
			responseType: 'approval',
			options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2031-01-02T03:04:05.000Z' } } },
		});
		expect(execution.waitTill?.toISOString()).toBe('2031-01-02T03:04:05.000Z');
	});

	it('asks a user in a direct message, as a reply in a thread when told', async () => {
		const { mm, seed } = fake;
		const direct = await waitFor({ responseType: 'approval', sendTo: 'user', userId: { __rl: true, mode: 'username', value: 'alice' } });
		const post = questionPost(direct);
		const channel = mm.state.channels.get(post.channel_id);
		expect(channel.type).toBe('D');
		await click('alice', post.id, 'approve');
		await direct.settled();
		expect(direct.received![0].json.data).toMatchObject({ approved: true });

		const root = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'Release 42' });
		const reply = await waitFor({ responseType: 'approval', options: { rootId: root.id } });
		expect(questionPost(reply).root_id).toBe(root.id);
		expect(reply.nodeOutput![0][0].json).toMatchObject({ timedOut: true, rootId: root.id });
	});

	it('asks once for the first item only', async () => {
		const posts = fake.mm.state.posts.size;
		const execution = await WaitingExecution.start({
			nodeType,
			parameters: {
				resource: 'message',
				operation: 'sendAndWait',
				channelId: byId(fake.seed.channels.townSquare.id),
				message: '={{ "Item " + $json.n }}',
				responseType: 'approval',
			},
			credentials: credentialsFor(fake.mm, fake.seed.tokens.bot),
			credentialTypes: [credentialType],
			items: [{ json: { n: 1 } }, { json: { n: 2 } }],
		});
		started.push(execution);
		expect(fake.mm.state.posts.size).toBe(posts + 1);
		expect(questionPost(execution).message).toBe('Item 1');
	});
});
