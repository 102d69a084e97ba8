/**
 * Mattermost Suite Trigger, Events (WebSocket): activation through n8n-core's
 * TriggersAndPollers with a real TriggerContext, against the fake server's WebSocket endpoint.
 * Needs Node's global WebSocket (Node 22+, or Node 20 with --experimental-websocket).
 */
import { MattermostSuiteTrigger } from '../nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node';
import { type ActiveTrigger, WebhookTrigger, activateTrigger, captureLogs, runTriggerManually, waitFor } from './harness';
import { byId, credentialType, credentialsFor, useFakeMattermost } from './support';

const { FakeMattermost } = require('./fake-mattermost') as { FakeMattermost: any };

if (typeof WebSocket !== 'function') {
	throw new Error('These tests need the global WebSocket: Node 22+, or Node 20 with NODE_OPTIONS=--experimental-websocket');
}

const fake = useFakeMattermost();
const nodeType = new MattermostSuiteTrigger();
const logs = captureLogs();

const active: ActiveTrigger[] = [];
afterEach(async () => {
	for (const trigger of active.splice(0)) await trigger.close();
	fake.mm.config.webSocketResumeRewind = 0;
	logs.splice(0);
});

async function listen(parameters: Record<string, unknown>, options: { token?: string; mm?: any; runWorkflow?: boolean } = {}) {
	const mm = options.mm ?? fake.mm;
	const trigger = await activateTrigger({
		nodeType,
		parameters: { source: 'events', ...parameters } as any,
		credentials: credentialsFor(mm, options.token ?? fake.seed.tokens.bot),
		credentialTypes: [credentialType],
		runWorkflow: options.runWorkflow,
	});
	active.push(trigger);
	return trigger;
}

/** Posts through the REST API, as a user (or a workflow's action node) would. */
async function apiPost(token: string, channelId: string, message: string) {
	const response = await fetch(`${fake.mm.apiUrl}/posts`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ channel_id: channelId, message }),
	});
	expect(response.status).toBe(201);
	return (await response.json()) as any;
}

async function api(method: string, path: string, token: string, body?: unknown) {
	const response = await fetch(`${fake.mm.apiUrl}${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	expect(response.status).toBeLessThan(300);
	return (await response.json()) as any;
}

const messages = (trigger: ActiveTrigger) => trigger.items.map((item) => (item.json.post as any)?.message);
const webSocketUpgrades = () => fake.mm.requests.filter((r: any) => r.path === '/api/v4/websocket');
const missedWarnings = () => logs.filter((l) => /may have been missed/.test(l.message));

describe('Events (WebSocket)', () => {
	it('leaves nothing running once deactivated: no sleep of its heartbeat or reconnect loops outlives close()', async () => {
		const { mm, seed } = fake;
		// The trigger waits with n8n-workflow's sleep; its timers are told apart by the call stack.
		const realSetTimeout = global.setTimeout;
		const pending = new Set<unknown>();
		let started = 0;
		const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((callback: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
			const ours = /MattermostSuiteTrigger/.test(new Error().stack ?? '');
			const handle: unknown = realSetTimeout(() => {
				pending.delete(handle);
				callback(...args);
			}, ms);
			if (ours) {
				started += 1;
				pending.add(handle);
			}
			return handle;
		}) as typeof setTimeout);
		try {
			const trigger = await listen({ events: ['posted'] });
			mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'one event' });
			await trigger.waitForItems(1);
			await trigger.close();
			expect(started).toBeGreaterThan(0);
			expect(pending.size).toBe(0);
		} finally {
			spy.mockRestore();
		}
	});

	it('emits one item per post with the parsed data and the post at top level, and skips its own posts', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const trigger = await listen({ events: ['posted'] }, { runWorkflow: true });
		// The token is checked over REST first, then the socket authenticates by challenge.
		expect(mm.requests.map((r: any) => `${r.method} ${r.path}`)).toEqual(['GET /api/v4/users/me', 'GET /api/v4/websocket']);
		expect(mm.webSocketConnections).toEqual([{ connectionId: expect.any(String), userId: seed.bot.id, frozen: false }]);

		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'Hi @n8n-bot' });
		// The bot's own reply (a workflow answering) must not trigger it again.
		await apiPost(seed.tokens.bot, seed.channels.townSquare.id, 'my own reply');
		await apiPost(seed.tokens.alice, seed.channels.offTopic.id, 'second');
		const items = await trigger.waitForItems(2);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(trigger.items).toHaveLength(2);

		expect(items[0].json).toEqual({
			event: 'posted',
			seq: 1,
			broadcast: expect.objectContaining({ channel_id: seed.channels.townSquare.id, team_id: '', user_id: '' }),
			data: {
				channel_display_name: 'Town Square',
				channel_name: 'town-square',
				channel_type: 'O',
				post: expect.objectContaining({ id: post.id, message: 'Hi @n8n-bot', user_id: seed.alice.id }),
				sender_name: '@alice',
				set_online: true,
				team_id: seed.team.id,
				mentions: [seed.bot.id],
			},
			post: expect.objectContaining({ id: post.id, channel_id: seed.channels.townSquare.id, message: 'Hi @n8n-bot' }),
		});
		expect(items[1].json).toMatchObject({ event: 'posted', seq: 3, post: { message: 'second' } });
		// One execution per event, and the execution passes the item on (trigger mode).
		expect(trigger.emitted.map((data) => data[0].length)).toEqual([1, 1]);
		await waitFor(() => trigger.runs.length === 2);
		expect(trigger.runs[0].data.resultData.runData['Mattermost Suite Trigger'][0].data!.main[0]![0].json).toEqual(items[0].json);

		await trigger.close();
		expect(mm.webSocketConnections).toEqual([]);
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'after close' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(trigger.items).toHaveLength(2);
		expect(trigger.errors).toEqual([]);
	});

	it('filters by event, team, channels, direct messages, mentions and text; parses JSON-text fields of other events', async () => {
		const { mm, seed } = fake;
		const alice = seed.tokens.alice;
		const all = await listen({ events: ['*'], ignoreOwnPosts: false }, { token: alice });
		const posted = await listen({ events: ['posted'] }, { token: alice });
		const inTeam = await listen({ events: ['posted'], teamId: byId(seed.team.id) }, { token: alice });
		const inChannels = await listen(
			{ events: ['posted'], channels: { channel: [{ channelId: byId(seed.channels.offTopic.id) }, { channelId: byId(seed.channels.otherTownSquare.id) }] } },
			{ token: alice },
		);
		const direct = await listen({ events: ['posted'], filters: { onlyDirectMessages: true } }, { token: alice });
		const mentions = await listen({ events: ['posted', 'post_edited'], filters: { onlyMentions: true } }, { token: alice });
		const text = await listen({ events: ['posted'], filters: { textContains: 'INCIDENT' } }, { token: alice });
		const changes = await listen({ events: ['post_edited', 'post_deleted', 'reaction_added', 'reaction_removed'], customEvents: 'custom_thing, typing', ignoreOwnPosts: false }, { token: alice });

		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bob.id, message: 'plain in town square' });
		mm.createPost({ channel_id: seed.channels.otherTownSquare.id, user_id: seed.admin.id, message: 'other team incident' });
		mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.bob.id, message: 'hey @alice, look' });
		const dm = await api('POST', '/channels/direct', seed.tokens.admin, [seed.admin.id, seed.alice.id]);
		mm.createPost({ channel_id: dm.id, user_id: seed.admin.id, message: 'a direct Incident report' });
		const mine = await apiPost(alice, seed.channels.townSquare.id, 'alice says hi');
		await api('PUT', `/posts/${mine.id}/patch`, alice, { message: 'alice says hi, @alice edited' });
		await api('POST', '/reactions', seed.tokens.admin, { user_id: seed.admin.id, post_id: mine.id, emoji_name: 'tada' });
		await api('DELETE', `/users/${seed.admin.id}/posts/${mine.id}/reactions/tada`, seed.tokens.admin);
		await api('DELETE', `/posts/${mine.id}`, alice);
		mm.emitEvent('custom_thing', { answer: 42 }, { user_id: seed.alice.id });
		mm.emitEvent('typing', { parent_id: '', user_id: seed.bob.id }, { channel_id: seed.channels.offTopic.id });
		mm.emitEvent('custom_thing', { answer: 0 }, { user_id: seed.bob.id });

		await all.waitForItems(12);
		await changes.waitForItems(6);
		await new Promise((resolve) => setTimeout(resolve, 200));
		const names = (trigger: ActiveTrigger) => trigger.items.map((item) => item.json.event);

		expect(messages(posted)).toEqual([
			'plain in town square',
			'other team incident',
			'hey @alice, look',
			'a direct Incident report',
		]);
		expect(messages(inTeam)).toEqual(['plain in town square', 'hey @alice, look']);
		expect(messages(inChannels)).toEqual(['other team incident', 'hey @alice, look']);
		expect(messages(direct)).toEqual(['a direct Incident report']);
		expect(messages(mentions)).toEqual(['hey @alice, look', 'a direct Incident report']);
		expect(messages(text)).toEqual(['other team incident', 'a direct Incident report']);
		expect(names(changes)).toEqual(['post_edited', 'reaction_added', 'reaction_removed', 'post_deleted', 'custom_thing', 'typing']);
		const [edited, added, removed, deleted, custom, typing] = changes.items.map((item) => item.json as any);
		expect(edited.post).toMatchObject({ id: mine.id, message: 'alice says hi, @alice edited' });
		expect(added.data.reaction).toMatchObject({ user_id: seed.admin.id, post_id: mine.id, emoji_name: 'tada' });
		expect(removed.data.reaction).toMatchObject({ emoji_name: 'tada' });
		expect(deleted.post).toMatchObject({ id: mine.id });
		expect(custom).toMatchObject({ event: 'custom_thing', data: { answer: 42 }, broadcast: { user_id: seed.alice.id } });
		expect(typing).toMatchObject({ event: 'typing', data: { user_id: seed.bob.id } });
		// Ignore Own Posts is off for "all": alice's own post and the direct_added event are there.
		expect(names(all)).toEqual(expect.arrayContaining(['posted', 'direct_added', 'post_edited', 'post_deleted', 'custom_thing']));
		expect(all.items.filter((item) => item.json.event === 'posted')).toHaveLength(5);
		// Items come out in the server's order.
		const seqs = all.items.map((item) => item.json.seq as number);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		// Filters that need a channel's team or type look it up once over REST.
		const lookups = mm.requests.filter((r: any) => r.method === 'GET' && /^\/api\/v4\/channels\/[a-z0-9]{26}$/.test(r.path));
		expect(lookups.length).toBeLessThanOrEqual(6);
	});

	it('emits 1,000 events in order, none lost or doubled, across two forced disconnects', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		// The server also re-sends a few events it had sent before the drop: the node drops them.
		mm.config.webSocketResumeRewind = 5;
		const trigger = await listen({ events: ['posted'] });
		const [{ connectionId }] = mm.webSocketConnections;
		let next = 0;
		const post = (count: number) => {
			for (let i = 0; i < count; i++) {
				mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: `event ${next++}` });
			}
		};
		const reconnected = (count: number) => waitFor(() => webSocketUpgrades().length === count && mm.webSocketConnections.length === 1);

		post(400);
		await trigger.waitForItems(400, 20_000);
		// Dropped while events are in flight, more events while it is down.
		post(60);
		expect(mm.dropWebSockets()).toBe(1);
		post(60);
		await reconnected(2);
		await trigger.waitForItems(520, 20_000);
		post(300);
		await trigger.waitForItems(820, 20_000);
		post(60);
		mm.dropWebSockets();
		post(60);
		await reconnected(3);
		post(60);
		await trigger.waitForItems(1000, 20_000);
		await new Promise((resolve) => setTimeout(resolve, 200));

		expect(messages(trigger)).toEqual(Array.from({ length: 1000 }, (_, i) => `event ${i}`));
		expect(trigger.items.map((item) => item.json.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
		// Both reconnects resumed the same connection from the next sequence number.
		const upgrades = webSocketUpgrades();
		expect(upgrades[0].query).toEqual({});
		expect(upgrades[1].query).toEqual({ connection_id: connectionId, sequence_number: expect.stringMatching(/^\d+$/) });
		expect(upgrades[2].query.connection_id).toBe(connectionId);
		expect(Number(upgrades[2].query.sequence_number)).toBeGreaterThan(Number(upgrades[1].query.sequence_number));
		expect(mm.webSocketConnections[0].connectionId).toBe(connectionId);
		expect(missedWarnings()).toEqual([]);
		// A healthy connection that drops is reopened at once, without a backoff.
		expect(logs.filter((l) => /reconnecting now$/.test(l.message))).toHaveLength(2);
		expect(logs.filter((l) => /reconnecting in/.test(l.message))).toEqual([]);
	}, 60_000);

	it('when the server cannot resume, it fetches the missed posts back, once each and in order, as posted items', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const trigger = await listen({ events: ['posted'] });
		const [{ connectionId }] = mm.webSocketConnections;
		const post = (from: number, count: number, channelId = seed.channels.offTopic.id) => {
			for (let i = from; i < from + count; i++) mm.createPost({ channel_id: channelId, user_id: seed.bob.id, message: `m${i}` });
		};
		post(0, 10);
		await trigger.waitForItems(10);
		// Down long enough for more than the 128 events Mattermost keeps per connection.
		mm.dropWebSockets({ hold: true });
		post(10, 100);
		post(110, 100, seed.channels.townSquare.id);
		mm.createPost({ channel_id: seed.channels.noBot.id, user_id: seed.bob.id, message: 'not a channel of the bot' });
		mm.releaseWebSockets();
		await waitFor(() => mm.webSocketConnections.length === 1, 10_000);
		expect(mm.webSocketConnections[0].connectionId).not.toBe(connectionId);
		post(210, 5);
		await trigger.waitForItems(215);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(messages(trigger)).toEqual(Array.from({ length: 215 }, (_, i) => `m${i}`));
		const backfilled = trigger.items.filter((item) => item.json.backfilled === true).map((item) => item.json.post as any);
		expect(backfilled.map((p) => p.message)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i + 10}`));
		// What the trigger asked: the user's channels, then the posts of each since (about) the last one it saw.
		const lastSeen = (trigger.items[9].json.post as any).create_at;
		const firstMissed = backfilled[0].create_at;
		const sinceRequests = mm.requests.filter((r: any) => r.method === 'GET' && /\/posts$/.test(r.path));
		expect(mm.requests.filter((r: any) => r.path === '/api/v4/users/me/channels')).toHaveLength(1);
		expect(new Set(sinceRequests.map((r: any) => r.path))).toEqual(
			new Set([seed.channels.townSquare.id, seed.channels.offTopic.id].map((id) => `/api/v4/channels/${id}/posts`)),
		);
		const since = Math.min(...sinceRequests.map((r: any) => Number(r.query.since)));
		expect(since).toBeLessThan(firstMissed);
		expect(since).toBeGreaterThan(lastSeen - 10_000);
		expect(missedWarnings()).toEqual([]);
		expect(logs.filter((l) => /fetched back 200 post\(s\) created since/.test(l.message))).toHaveLength(1);

		// A server that lost the connection altogether (restart): the same.
		mm.dropWebSockets({ forget: true, hold: true });
		post(215, 3);
		mm.releaseWebSockets();
		await waitFor(() => webSocketUpgrades().length >= 3 && mm.webSocketConnections.length === 1, 10_000);
		post(218, 1);
		await trigger.waitForItems(219);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(messages(trigger)).toEqual(Array.from({ length: 219 }, (_, i) => `m${i}`));
		expect(trigger.errors).toEqual([]);
	});

	it('a fetched-back post looks like the one the WebSocket sends, apart from seq and backfilled', async () => {
		const { mm, seed } = fake;
		const alice = seed.tokens.alice;
		const trigger = await listen({ events: ['posted'] }, { token: alice });
		mm.dropWebSockets({ hold: true });
		const dm = await api('POST', '/channels/direct', seed.tokens.admin, [seed.admin.id, seed.alice.id]);
		const posts = [
			mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.bob.id, message: 'hey @alice, while you were away' }),
			mm.createPost({ channel_id: dm.id, user_id: seed.admin.id, message: 'a direct one' }),
			mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bob.id, message: 'plain' }),
		];
		for (let i = 0; i < 130; i++) mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bob.id, message: `filler ${i}` });
		mm.releaseWebSockets();
		await trigger.waitForItems(133);
		for (const post of posts) {
			const item = trigger.items.find((i) => (i.json.post as any).id === post.id)!.json as any;
			// What the server sent to alice's connection (the fake records every event).
			const sent = mm.webSocket.events.find((e: any) => e.event === 'posted' && JSON.parse(e.data.post).id === post.id);
			const { set_online: _setOnline, ...data } = sent.data;
			expect(item).toEqual({
				event: 'posted',
				seq: null,
				backfilled: true,
				broadcast: sent.broadcast,
				data: {
					...data,
					post: expect.objectContaining({ ...JSON.parse(data.post), metadata: expect.anything() }),
					// Mattermost names the receiving user only (alice): the fake lists every member mentioned.
					...(data.mentions ? { mentions: [seed.alice.id] } : {}),
				},
				post: expect.objectContaining({ id: post.id, message: post.message, create_at: post.create_at }),
			});
		}
		expect(trigger.items.filter((i) => (i.json.data as any).mentions).map((i) => (i.json.post as any).message)).toEqual([
			'hey @alice, while you were away',
			'a direct one',
		]);
	});

	it('fetches back only the channels the filters cover, and warns once about the events that cannot be fetched back', async () => {
		const { mm, seed } = fake;
		mm.clearRequests();
		const trigger = await listen({
			events: ['posted', 'reaction_added'],
			channels: { channel: [{ channelId: byId(seed.channels.offTopic.id) }] },
		});
		const first = mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.bob.id, message: 'before' });
		await trigger.waitForItems(1);
		mm.dropWebSockets({ hold: true });
		for (let i = 0; i < 130; i++) mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bob.id, message: `elsewhere ${i}` });
		const missed = mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.bob.id, message: 'while down' });
		await api('POST', '/reactions', seed.tokens.alice, { user_id: seed.alice.id, post_id: first.id, emoji_name: 'tada' });
		mm.releaseWebSockets();
		await trigger.waitForItems(2);
		await waitFor(() => missedWarnings().length === 1, 5000);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(messages(trigger)).toEqual(['before', 'while down']);
		expect(trigger.items[1].json).toMatchObject({ backfilled: true, post: { id: missed.id } });
		const postRequests = mm.requests.filter((r: any) => /^\/api\/v4\/channels\/[a-z0-9]+\/posts$/.test(r.path));
		expect(new Set(postRequests.map((r: any) => r.path))).toEqual(new Set([`/api/v4/channels/${seed.channels.offTopic.id}/posts`]));
		const [warning] = missedWarnings();
		expect(warning.level).toBe('warn');
		expect(warning.message).toContain('could not resume connection');
		expect(warning.message).toContain('fetched back 1 post(s) created since ');
		expect(warning.message).toContain(`reaction_added events sent since then cannot be fetched back and may have been missed`);
		expect(warning.message).toContain(new Date(Number(postRequests[0].query.since)).toISOString());
	});

	it('when the posts cannot be fetched back, it says so and goes on', async () => {
		const { mm, seed } = fake;
		const trigger = await listen({ events: ['posted'] });
		mm.dropWebSockets({ hold: true });
		for (let i = 0; i < 130; i++) mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bob.id, message: `lost ${i}` });
		mm.addFault({ method: 'GET', path: '/api/v4/users/me/channels', status: 403, times: 1 });
		mm.releaseWebSockets();
		await waitFor(() => missedWarnings().length === 1, 10_000);
		expect(missedWarnings()[0].message).toMatch(/the posts created since \S+Z could not be fetched back \(.+\): they may have been missed/);
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.bob.id, message: 'after' });
		await trigger.waitForItems(1);
		expect(messages(trigger)).toEqual(['after']);
		expect(trigger.errors).toEqual([]);
	});

	it('backs off when connections keep dropping right after opening', async () => {
		const { mm, seed } = fake;
		const trigger = await listen({ events: ['posted'] });
		const reconnects = () => logs.filter((l) => /reconnecting/.test(l.message)).map((l) => l.message.replace(/.*; /, ''));
		// A connection that delivered events was healthy.
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'healthy' });
		await trigger.waitForItems(1);
		for (let drop = 1; drop <= 3; drop++) {
			await waitFor(() => mm.webSocketConnections.length === 1, 10_000);
			mm.dropWebSockets();
			await waitFor(() => reconnects().length === drop, 5000);
		}
		// The first drops reopen at once; a connection that drops again before it was healthy backs off.
		expect(reconnects().slice(0, 2)).toEqual(['reconnecting now', 'reconnecting now']);
		expect(reconnects()[2]).toMatch(/^reconnecting in \d+ ms$/);
	});

	it('a silent connection is found by the heartbeat and replaced; what was missed is replayed', async () => {
		const { mm, seed } = fake;
		const trigger = await listen({ events: ['posted'], eventsOptions: { heartbeatSeconds: 1 } });
		const [{ connectionId }] = mm.webSocketConnections;
		// A quiet but healthy connection is pinged and answers.
		await waitFor(() => mm.webSocket.actions.some((a: any) => a.action === 'ping'), 5000);
		expect(mm.webSocketConnections).toHaveLength(1);

		mm.freezeWebSockets();
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'while frozen' });
		await waitFor(() => mm.webSocketConnections.some((c: any) => !c.frozen), 10_000);
		await trigger.waitForItems(1, 5000);
		expect(messages(trigger)).toEqual(['while frozen']);
		expect(mm.webSocketConnections.find((c: any) => !c.frozen).connectionId).toBe(connectionId);
		expect(logs.some((l) => /no answer to the heartbeat/.test(l.message))).toBe(true);
	});

	it('closing stops every retry, also while the server is unreachable', async () => {
		const { mm } = fake;
		mm.clearRequests();
		const trigger = await listen({ events: ['posted'] });
		mm.down = true;
		try {
			mm.dropWebSockets();
			await waitFor(() => logs.filter((l) => /reconnecting in/.test(l.message)).length >= 2, 10_000);
			const startedAt = Date.now();
			await trigger.close();
			expect(Date.now() - startedAt).toBeLessThan(1000);
			const attempts = logs.filter((l) => /reconnecting in/.test(l.message)).length;
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect(logs.filter((l) => /reconnecting in/.test(l.message)).length).toBe(attempts);
		} finally {
			mm.down = false;
		}
		expect(trigger.errors).toEqual([]);
	});

	it('a token revoked while listening ends the stream with an error instead of retrying forever', async () => {
		const { mm, seed } = fake;
		const user = mm.createUser({ username: `revoked${Date.now()}` });
		mm.addTeamMember(seed.team.id, user.id);
		const token = mm.createToken(user.id);
		const trigger = await listen({ events: ['posted'] }, { token });
		mm.revokeToken(token);
		mm.dropWebSockets();
		await waitFor(() => trigger.errors.length === 1, 10_000);
		expect(trigger.errors[0]).toMatchObject({
			httpCode: '401',
			message: expect.stringMatching(/^Could not listen for Mattermost events: Mattermost refused the access token of credential "mattermostSuiteApi account" .*Create a new token/),
		});
		const upgrades = webSocketUpgrades().length;
		await new Promise((resolve) => setTimeout(resolve, 1200));
		expect(webSocketUpgrades().length).toBe(upgrades);
	});

	it('activation fails with a clear error when the token is refused or the WebSocket cannot be opened', async () => {
		const { mm, seed } = fake;
		// n8n 2.41 shows only `message` when a trigger fails to publish: the fix must be there.
		await expect(listen({ events: ['posted'] }, { token: 'wrongtoken' })).rejects.toMatchObject({
			httpCode: '401',
			message:
				'Could not listen for Mattermost events: Mattermost refused the access token of credential "mattermostSuiteApi account" (it is wrong, expired or revoked, or its user is deactivated). Create a new token in Mattermost and paste it into the credential',
			description: expect.stringMatching(/^Mattermost answered HTTP 401: "Invalid or expired session, please login again\."/),
		});
		mm.addFault({ method: 'GET', path: '/api/v4/websocket', status: 502, times: 1 });
		await expect(listen({ events: ['posted'] }, { token: seed.tokens.bot })).rejects.toMatchObject({
			message: expect.stringMatching(/^Could not listen on Mattermost's WebSocket: .*\. Check that .*\/api\/v4\/websocket is reachable from n8n/),
			description: expect.stringContaining('/api/v4/websocket is reachable'),
		});
		await expect(listen({ events: [], customEvents: ' ' })).rejects.toMatchObject({
			message: 'No event chosen. Pick at least one event under Events, or name one under Custom Event Names',
		});
		expect(mm.webSocketConnections).toEqual([]);
	});

	it('works with a Mattermost under a sub-path (wss://host/sub/api/v4/websocket)', async () => {
		const sub = new FakeMattermost({ quiet: true, subpath: '/mattermost' });
		await sub.start();
		try {
			const seed = sub.seed();
			const trigger = await listen({ events: ['posted'] }, { mm: sub, token: seed.tokens.bot });
			expect(sub.requests.find((r: any) => r.path === '/api/v4/websocket')).toBeDefined();
			sub.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'from a sub-path' });
			await trigger.waitForItems(1);
			expect(messages(trigger)).toEqual(['from a sub-path']);
			await trigger.close();
		} finally {
			await sub.stop();
		}
	});

	it('registers no webhook (n8n skips an empty HTTP method), so manual runs go through trigger()', async () => {
		const trigger = await WebhookTrigger.start({ nodeType, parameters: { source: 'events' } as any });
		try {
			expect(trigger.webhooks).toEqual([]);
		} finally {
			await trigger.stop();
		}
	});

	it('manual mode returns the first matching event and closes the connection', async () => {
		const { mm, seed } = fake;
		const run = runTriggerManually({
			nodeType,
			parameters: { source: 'events', events: ['posted'], filters: { textContains: 'pick me' } } as any,
			credentials: credentialsFor(mm, seed.tokens.bot),
			credentialTypes: [credentialType],
		});
		await waitFor(() => mm.webSocketConnections.length === 1);
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'not this one' });
		const wanted = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'pick me first' });
		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'pick me too late' });
		const result = await run;
		expect(result.error).toBeUndefined();
		expect(result.output).toEqual([[expect.objectContaining({ json: expect.objectContaining({ event: 'posted', post: expect.objectContaining({ id: wanted.id }) }) })]]);
		await waitFor(() => mm.webSocketConnections.length === 0, 5000);
	});
});
