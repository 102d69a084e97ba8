/**
 * Mattermost Suite Trigger, Outgoing Webhook: the hook's lifecycle (create / checkExists /
 * delete through real HookContexts), calls fired by the fake Mattermost at the harness's webhook
 * server, token checks and field normalisation.
 */
import type { IDataObject } from 'n8n-workflow';

import { MattermostSuiteTrigger } from '../nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node';
import { TOKEN_REREAD_AT_KEY } from '../nodes/MattermostSuiteTrigger/helpers/verify';
import { WebhookTrigger, activateTrigger, captureLogs } from './harness';
import { byId, byUrl, credentialType, credentialsFor, useFakeMattermost } from './support';

const fake = useFakeMattermost();
const nodeType = new MattermostSuiteTrigger();
const logs = captureLogs();

const started: WebhookTrigger[] = [];
afterEach(async () => {
	for (const trigger of started.splice(0)) await trigger.stop();
	logs.splice(0);
});

async function outgoingTrigger(parameters: Record<string, unknown>, options: { token?: string; mode?: 'production' | 'test'; staticData?: IDataObject } = {}) {
	const { mm, seed } = fake;
	const trigger = await WebhookTrigger.start({
		nodeType,
		parameters: { source: 'outgoingWebhook', teamId: byId(seed.team.id), ...parameters } as any,
		credentials: credentialsFor(mm, options.token ?? seed.tokens.admin),
		credentialTypes: [credentialType],
		mode: options.mode,
		staticData: options.staticData,
		workflowName: 'Deploy bot',
	});
	started.push(trigger);
	return trigger;
}

function liveHooks() {
	return [...fake.mm.state.hooks.values()].filter((hook: any) => hook.delete_at === 0);
}

describe('Outgoing Webhook: lifecycle', () => {
	it('activation creates the hook with the production URL and JSON, checkExists confirms it, deactivation deletes it', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({
			channelId: byId(seed.channels.townSquare.id),
			triggerWords: 'deploy, build',
			triggerWhen: 1,
		});
		expect(trigger.webhooks.map((w) => w.httpMethod)).toEqual(['POST']);
		expect(await trigger.checkExists()).toEqual([false]);
		mm.clearRequests();

		await trigger.activate();

		const created = mm.requests.filter((r: any) => r.method === 'POST' && r.path === '/api/v4/hooks/outgoing');
		expect(created).toHaveLength(1);
		expect(created[0].body).toEqual({
			team_id: seed.team.id,
			channel_id: seed.channels.townSquare.id,
			trigger_words: ['deploy', 'build'],
			trigger_when: 1,
			callback_urls: [trigger.url()],
			content_type: 'application/json',
			display_name: 'n8n: Deploy bot',
			description: expect.stringContaining('Mattermost Suite Trigger'),
		});
		expect(trigger.url()).toMatch(/\/webhook\/5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\/webhook$/);
		const hooks = liveHooks();
		expect(hooks).toHaveLength(1);
		expect(trigger.staticData).toEqual({ hookId: hooks[0].id, hookToken: hooks[0].token, hookUrl: trigger.url() });

		mm.clearRequests();
		expect(await trigger.checkExists()).toEqual([true]);
		expect(mm.requests.map((r: any) => `${r.method} ${r.path}`)).toEqual([`GET /api/v4/hooks/outgoing/${hooks[0].id}`]);

		// Activating again (n8n restarts) keeps the hook: checkExists answers true, nothing is created.
		await trigger.activate();
		expect(liveHooks()).toHaveLength(1);

		mm.clearRequests();
		await trigger.deactivate();
		expect(mm.requests.map((r: any) => `${r.method} ${r.path}`)).toEqual([`DELETE /api/v4/hooks/outgoing/${hooks[0].id}`]);
		expect(liveHooks()).toHaveLength(0);
		expect(trigger.staticData).toEqual({});
		// Deactivating twice is harmless.
		await trigger.deactivate();
	});

	it('a hook deleted or changed in Mattermost is recreated on activation, the stale one removed', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({ triggerWords: 'ship' });
		await trigger.activate();
		const first = liveHooks()[0];

		// Someone points the hook elsewhere: checkExists says no, create replaces it.
		mm.state.hooks.get(first.id).callback_urls = ['https://elsewhere.example.com/hook'];
		expect(await trigger.checkExists()).toEqual([false]);
		await trigger.activate();
		const [second] = liveHooks();
		expect(second.id).not.toBe(first.id);
		expect(mm.state.hooks.get(first.id).delete_at).toBeGreaterThan(0);
		expect(second.callback_urls).toEqual([trigger.url()]);

		// Someone deletes it: checkExists says no (404), create makes a new one.
		second.delete_at = Date.now();
		expect(await trigger.checkExists()).toEqual([false]);
		await trigger.activate();
		expect(liveHooks()).toHaveLength(1);
		expect(trigger.staticData.hookId).toBe(liveHooks()[0].id);
		await trigger.deactivate();
		expect(liveHooks()).toHaveLength(0);
		expect(seed.team.id).toBeTruthy();
	});

	it('reports Mattermost refusing to create the hook (no permission, private channel, no words) with what to do in the message', async () => {
		const { mm, seed } = fake;
		// n8n 2.41 shows only `message` when a trigger fails to publish: the fix must be there.
		const asBot = await outgoingTrigger({ triggerWords: 'deploy' }, { token: seed.tokens.bot });
		await expect(asBot.activate()).rejects.toMatchObject({
			httpCode: '403',
			message:
				'Could not create the outgoing webhook in Mattermost: the Mattermost user of credential "mattermostSuiteApi account" lacks the "manage_outgoing_webhooks" permission in this team. Ask a Mattermost admin to give that user the permission (e.g. make them a team admin, or allow it for members in System Console > User Management > Permissions), or use a credential whose user has it',
			description: expect.stringMatching(/^Mattermost answered HTTP 403: "You do not have the appropriate permissions\."/),
		});
		expect(asBot.staticData).toEqual({});

		const badToken = await outgoingTrigger({ triggerWords: 'deploy' }, { token: 'wr0ngt0kenwr0ngt0kenwr0ngt' });
		await expect(badToken.activate()).rejects.toMatchObject({
			httpCode: '401',
			message:
				'Could not create the outgoing webhook in Mattermost: Mattermost refused the access token of credential "mattermostSuiteApi account" (it is wrong, expired or revoked, or its user is deactivated). Create a new token in Mattermost and paste it into the credential',
			description: expect.stringMatching(/^Mattermost answered HTTP 401: "Invalid or expired session, please login again\."/),
		});

		const privateChannel = await outgoingTrigger({ channelId: byId(seed.channels.private.id), triggerWords: 'x' });
		await expect(privateChannel.activate()).rejects.toMatchObject({
			message:
				'Could not create the outgoing webhook in Mattermost: Mattermost sends outgoing webhooks only for public channels. Pick a public channel, or leave Channel empty and rely on trigger words',
			description: expect.stringContaining('"Outgoing webhooks can only be created for public channels."'),
		});

		const nothing = await outgoingTrigger({ triggerWords: ' , ' });
		const count = mm.requests.length;
		await expect(nothing.activate()).rejects.toMatchObject({
			message:
				'Give trigger words, a channel, or both. Without a channel Mattermost needs trigger words (the first word of a post); without trigger words the webhook fires for every post of the channel',
		});
		expect(mm.requests.slice(count).filter((r: any) => r.method === 'POST')).toHaveLength(0);

		mm.config.enableOutgoingWebhooks = false;
		try {
			const disabled = await outgoingTrigger({ triggerWords: 'deploy' });
			await expect(disabled.activate()).rejects.toMatchObject({
				httpCode: '501',
				message:
					'Could not create the outgoing webhook in Mattermost: Outgoing webhooks have been disabled by the system admin. This Mattermost server has this feature turned off or unlicensed. Ask an admin to enable it',
			});
		} finally {
			mm.config.enableOutgoingWebhooks = true;
		}
		// A refusal while checking is an error, not "missing": here the credential was switched to
		// the bot, which may not manage the hook the admin's credential created.
		const owned = await outgoingTrigger({ triggerWords: 'deploy' });
		await owned.activate();
		const checked = await outgoingTrigger({ triggerWords: 'deploy' }, { token: seed.tokens.bot, staticData: owned.staticData });
		await expect(checked.checkExists()).rejects.toMatchObject({
			httpCode: '403',
			message: expect.stringMatching(/^Could not check the outgoing webhook in Mattermost: the Mattermost user of credential "mattermostSuiteApi account" lacks the "manage_outgoing_webhooks" permission/),
		});
		await owned.deactivate();
		expect(liveHooks()).toHaveLength(0);
	});

	it('team and channel may be given by URL (resolved like in the action node); a bad ID is refused before any request', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({
			teamId: byUrl(`${mm.url}/${seed.team.name}`),
			channelId: byUrl(`${mm.url}/${seed.team.name}/channels/off-topic/`),
			triggerWords: 'ship',
		});
		await trigger.activate();
		expect(liveHooks()).toEqual([expect.objectContaining({ team_id: seed.team.id, channel_id: seed.channels.offTopic.id })]);
		await trigger.deactivate();

		const count = mm.requests.length;
		const badChannel = await outgoingTrigger({ channelId: byId('off-topic'), triggerWords: 'ship' });
		await expect(badChannel.activate()).rejects.toMatchObject({
			message: expect.stringMatching(/^Channel "off-topic" is not a Mattermost ID\. A Mattermost channel ID is 26 lowercase letters and digits/),
			description: expect.stringContaining('26 lowercase letters and digits'),
		});
		const badUrl = await outgoingTrigger({ teamId: byUrl('not a url'), triggerWords: 'ship' });
		await expect(badUrl.activate()).rejects.toThrow('Team URL "not a url" is not a Mattermost team URL');
		expect(mm.requests.slice(count).filter((r: any) => r.path.startsWith('/api/v4/hooks'))).toHaveLength(0);
	});

	it('registers an empty in-memory trigger (n8n 2.x re-publishes a trigger node that registers none)', async () => {
		const { mm, seed } = fake;
		const count = mm.requests.length;
		const active = await activateTrigger({
			nodeType,
			parameters: { source: 'outgoingWebhook', teamId: byId(seed.team.id), triggerWords: 'x' } as any,
			credentials: credentialsFor(mm, seed.tokens.admin),
			credentialTypes: [credentialType],
		});
		expect(active.response).toEqual({});
		await active.close();
		expect(mm.requests.length).toBe(count);
		expect(mm.webSocketConnections).toEqual([]);
	});

	it('test mode registers the hook with the test URL, and the manual execution passes the items on', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({ channelId: byId(seed.channels.offTopic.id) }, { mode: 'test' });
		await trigger.activate();
		expect(liveHooks()[0].callback_urls).toEqual([trigger.url()]);
		expect(trigger.url()).toContain('/webhook-test/');
		const post = mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.bob.id, message: 'testing' });
		await mm.integrationsSettled();
		const [call] = await trigger.waitForCalls(1);
		// A manual execution runs a node that has trigger() through it, also when a test webhook
		// started it; the webhook sources select a pass-through custom operation instead.
		expect(call.run!.data.resultData.error).toBeUndefined();
		expect(call.output).toEqual([[expect.objectContaining({ json: expect.objectContaining({ post_id: post.id, text: 'testing' }) })]]);
		await trigger.deactivate();
		expect(liveHooks()).toHaveLength(0);
	});
});

describe('Outgoing Webhook: calls', () => {
	it('a post starting with a trigger word runs the workflow with normalised fields and the optional reply', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({
			triggerWords: 'deploy',
			fetchFullPost: true,
			outgoingWebhookOptions: { replyText: '=Deploying {{ $json.text.split(" ")[1] }}' },
		});
		await trigger.activate();
		const file = mm.createFile({ user_id: seed.alice.id, channel_id: seed.channels.townSquare.id, name: 'notes.txt', content: 'x' });
		const file2 = mm.createFile({ user_id: seed.alice.id, channel_id: seed.channels.townSquare.id, name: 'more.txt', content: 'y' });
		const post = mm.createPost({
			channel_id: seed.channels.townSquare.id,
			user_id: seed.alice.id,
			message: 'deploy main please',
			file_ids: [file.id, file2.id],
			props: { card: 'details' },
		});
		await mm.integrationsSettled();
		const [call] = await trigger.waitForCalls(1);

		expect(call.headers['content-type']).toBe('application/json');
		expect(call.status).toBe(200);
		expect(call.started).toBe(true);
		const [item] = call.output![0];
		expect(item.json).toEqual({
			post_id: post.id,
			channel_id: seed.channels.townSquare.id,
			channel_name: 'town-square',
			team_id: seed.team.id,
			team_domain: seed.team.name,
			user_id: seed.alice.id,
			user_name: 'alice',
			text: 'deploy main please',
			trigger_word: 'deploy',
			file_ids: [file.id, file2.id],
			timestamp: new Date(post.create_at).toISOString(),
			timestamp_ms: post.create_at,
			post: expect.objectContaining({ id: post.id, props: { card: 'details' }, root_id: '' }),
		});
		expect((item.json.post as any).metadata.files.map((f: any) => f.id)).toEqual([file.id, file2.id]);
		// The immediate reply went into the thread of the triggering post.
		expect(JSON.parse(call.responseText)).toEqual({ text: 'Deploying main', response_type: 'comment' });
		const reply = mm.postsIn(seed.channels.townSquare.id).at(-1);
		expect(reply).toMatchObject({ message: 'Deploying main', root_id: post.id });

		// Other posts do not fire.
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'deployment later' });
		await mm.integrationsSettled();
		expect(trigger.calls).toHaveLength(1);
		await trigger.deactivate();
	});

	it('Reply Text: $json is the output item, text from Mattermost is never evaluated, the rest of n8n\'s expressions works', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({
			channelId: byId(seed.channels.townSquare.id),
			triggerWords: 'deploy',
			outgoingWebhookOptions: { replyText: '=@{{ $json.user_name }} said "{{ $json.text }}" ({{ $json.file_ids.length }} files) in {{ $workflow.name }}' },
		});
		await trigger.activate();
		// A text that closes the expression block and opens another: it stays text.
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'deploy }} {{ 6 * 7 }} {{ $json.token }}' });
		await mm.integrationsSettled();
		const [call] = await trigger.waitForCalls(1);
		expect(JSON.parse(call.responseText)).toEqual({
			text: '@alice said "deploy }} {{ 6 * 7 }} {{ $json.token }}" (0 files) in Deploy bot',
			response_type: 'comment',
		});
		await trigger.deactivate();
	});

	it('Trigger When "Anywhere in the Message": the hook takes every post of the channel, the node starts only for posts with a trigger word anywhere', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({
			channelId: byId(seed.channels.townSquare.id),
			triggerWords: 'deploy, roll back',
			triggerWhen: 2,
			outgoingWebhookOptions: { replyText: 'On it' },
		});
		mm.clearRequests();
		await trigger.activate();
		const created = mm.requests.find((r: any) => r.method === 'POST' && r.path === '/api/v4/hooks/outgoing');
		// Mattermost matches first words only: the hook must send every post of the channel.
		expect(created.body).toMatchObject({ channel_id: seed.channels.townSquare.id, trigger_words: [], trigger_when: 0 });
		expect(await trigger.checkExists()).toEqual([true]);

		const texts = [
			'please Deploy main now', // a word in the middle, other case: fires
			'redeployment is not a word match', // inside another word: no
			'time to roll back, sorry', // a phrase: fires
			'nothing to see here', // no
			'deploy', // the whole text: fires
		];
		for (const message of texts) {
			mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message });
		}
		await mm.integrationsSettled();
		const calls = await trigger.waitForCalls(texts.length);
		expect(calls.map((c) => [c.status, c.started])).toEqual([
			[200, true],
			[200, false],
			[200, true],
			[200, false],
			[200, true],
		]);
		expect(calls.filter((c) => c.started).map((c) => [c.output![0][0].json.text, c.output![0][0].json.trigger_word])).toEqual([
			['please Deploy main now', 'deploy'],
			['time to roll back, sorry', 'roll back'],
			['deploy', 'deploy'],
		]);
		// Skipped posts get an empty answer, so Mattermost posts no reply for them.
		expect(calls.filter((c) => !c.started).map((c) => JSON.parse(c.responseText))).toEqual([{}, {}]);
		const replies = mm.postsIn(seed.channels.townSquare.id).filter((p: any) => p.message === 'On it');
		expect(replies).toHaveLength(3);
		await trigger.deactivate();

		// Without a channel Mattermost would need first words: refused before any request.
		const noChannel = await outgoingTrigger({ triggerWords: 'deploy', triggerWhen: 2 });
		const count = mm.requests.length;
		await expect(noChannel.activate()).rejects.toThrow('Trigger When "Anywhere in the Message" needs a channel');
		expect(mm.requests.slice(count).filter((r: any) => r.method === 'POST')).toHaveLength(0);
	});

	it('a wrong or missing token gets 401 and starts nothing', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({ triggerWords: 'deploy', fetchFullPost: true });
		await trigger.activate();
		mm.clearRequests();
		const payload = {
			team_id: seed.team.id,
			channel_id: seed.channels.townSquare.id,
			user_id: seed.alice.id,
			post_id: 'p'.repeat(26),
			text: 'deploy',
			timestamp: Date.now(),
			file_ids: '',
		};
		for (const token of ['wrong-token', '', undefined, trigger.staticData.hookToken + 'x']) {
			const response = await fetch(trigger.url(), {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ ...payload, token }),
			});
			expect(response.status).toBe(401);
			expect(await response.json()).toEqual({ message: 'Unauthorized' });
		}
		expect(trigger.calls.map((c) => [c.status, c.started, c.result])).toEqual(
			Array(4).fill([401, false, { noWebhookResponse: true }]),
		);
		expect(trigger.calls.every((c) => c.run === undefined)).toBe(true);
		expect(logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(
			Array(4).fill('Mattermost Suite Trigger refused a call: the outgoing webhook token does not match'),
		);

		// Without a hook created by the node, every call is refused.
		await trigger.deactivate();
		const response = await fetch(trigger.url(), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ ...payload, token: 'anything' }),
		});
		expect(response.status).toBe(401);
		expect(mm.requests.some((r: any) => r.path.startsWith('/api/v4/posts/'))).toBe(false);
	});

	it('normalises the form encoding (timestamp in seconds, comma-joined file ids) like JSON', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({ channelId: byId(seed.channels.offTopic.id) });
		await trigger.activate();
		// An admin switches the hook to form encoding in Mattermost; the token stays.
		const hook = liveHooks()[0];
		hook.content_type = 'application/x-www-form-urlencoded';
		const file = mm.createFile({ user_id: seed.bob.id, channel_id: seed.channels.offTopic.id, name: 'a.txt', content: 'a' });
		const post = mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.bob.id, message: 'lunch?', file_ids: [file.id] });
		const noFiles = mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.bob.id, message: 'anyone' });
		await mm.integrationsSettled();
		const calls = await trigger.waitForCalls(2);
		const items = calls.map((c) => c.output![0][0].json);
		expect(calls[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		const seconds = Math.floor(post.create_at / 1000);
		expect(items[0]).toMatchObject({
			post_id: post.id,
			text: 'lunch?',
			trigger_word: '',
			file_ids: [file.id],
			timestamp_ms: seconds * 1000,
			timestamp: new Date(seconds * 1000).toISOString(),
			user_name: 'bob',
		});
		expect(items[0]).not.toHaveProperty('post');
		expect(items[1]).toMatchObject({ post_id: noFiles.id, file_ids: [] });
		// No reply text: an empty answer, so Mattermost posts nothing.
		expect(JSON.parse(calls[0].responseText)).toEqual({});
		await trigger.deactivate();
	});
});

describe('Outgoing Webhook: a token regenerated in Mattermost', () => {
	function hookReads(hookId: string) {
		return fake.mm.requests.filter((r: any) => r.method === 'GET' && r.path === `/api/v4/hooks/outgoing/${hookId}`);
	}

	async function regenerate(hookId: string): Promise<string> {
		const response = await fetch(`${fake.mm.apiUrl}/hooks/outgoing/${hookId}/regen_token`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${fake.seed.tokens.admin}` },
		});
		expect(response.status).toBe(200);
		return fake.mm.state.hooks.get(hookId).token;
	}

	it('the next call with the new token runs the workflow after exactly one re-read, and the new token is stored', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({ triggerWords: 'deploy' });
		await trigger.activate();
		const hook = liveHooks()[0];
		const oldToken = hook.token;
		const newToken = await regenerate(hook.id);
		expect(newToken).not.toBe(oldToken);
		mm.clearRequests();

		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'deploy now' });
		await mm.integrationsSettled();
		const [call] = await trigger.waitForCalls(1);
		expect([call.status, call.started]).toEqual([200, true]);
		expect(call.output![0][0].json).toMatchObject({ post_id: post.id, text: 'deploy now' });
		expect(hookReads(hook.id)).toHaveLength(1);
		expect(trigger.staticData.hookToken).toBe(newToken);

		// The stored token matches from now on: no further re-read.
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'deploy again' });
		await mm.integrationsSettled();
		const calls = await trigger.waitForCalls(2);
		expect([calls[1].status, calls[1].started]).toEqual([200, true]);
		expect(hookReads(hook.id)).toHaveLength(1);
		// The old token is refused.
		const old = await fetch(trigger.url(), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ token: oldToken, text: 'deploy', post_id: post.id }),
		});
		expect(old.status).toBe(401);
		await trigger.deactivate();
	});

	it('forged calls get 401 and cost at most one re-read per 30 s per workflow', async () => {
		const { mm, seed } = fake;
		const trigger = await outgoingTrigger({ triggerWords: 'deploy' });
		await trigger.activate();
		const hook = liveHooks()[0];
		mm.clearRequests();
		const forge = (token: string) =>
			fetch(trigger.url(), {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ token, team_id: seed.team.id, user_id: seed.alice.id, text: 'deploy' }),
			}).then((response) => response.status);

		const statuses = await Promise.all(Array.from({ length: 50 }, (_, index) => forge(`forged-${index}`)));
		expect(statuses).toEqual(Array(50).fill(401));
		expect(trigger.calls.every((c) => !c.started)).toBe(true);
		expect(hookReads(hook.id)).toHaveLength(1);
		expect(trigger.staticData.hookToken).toBe(hook.token);

		// 30 s after the last re-read, one more is allowed (the test moves the stored time back).
		const workflowData = trigger.workflow.getStaticData('global', trigger.node);
		workflowData[TOKEN_REREAD_AT_KEY] = Number(workflowData[TOKEN_REREAD_AT_KEY]) - 30_000;
		expect(await forge('forged-later')).toBe(401);
		expect(await forge('forged-later-again')).toBe(401);
		expect(hookReads(hook.id)).toHaveLength(2);
		expect(trigger.calls.some((c) => c.started)).toBe(false);

		// A hook gone from Mattermost: the re-read fails, the call is refused, the failure is logged.
		workflowData[TOKEN_REREAD_AT_KEY] = 0;
		hook.delete_at = Date.now();
		expect(await forge('forged-gone')).toBe(401);
		expect(logs.map((l) => l.message)).toContainEqual(expect.stringMatching(/^Mattermost Suite Trigger could not re-read the outgoing webhook token/));
	});
});
