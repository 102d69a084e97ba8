/**
 * Fault injection: the node must finish a run through rate limits, 5xx, dropped connections and
 * slow replies with every message posted exactly once. MM_SUITE_FULL_FAULTS=1 (set by .ci/run)
 * runs the full 5,000-item version; `npm test` runs a scaled-down one.
 */
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';

import { byId, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();
const FULL = process.env.MM_SUITE_FULL_FAULTS === '1';
const POSTS = FULL ? 5000 : 300;
/** Items of the Add Reaction and Add Channel Member runs. */
const ITEMS = FULL ? 1000 : 150;

/** Retries tuned so the suite spends its time on requests, not on pauses. */
const fastRetries = { maxAttempts: 8, maxWaitSeconds: 0.02, timeoutSeconds: 0.4 };

const logLines: string[] = [];
/** Everything the node handed back in this file (items and errors), for the token scan. */
const produced: unknown[] = [];
const keep = <T>(value: T): T => {
	produced.push(value);
	return value;
};
let realLogger: Logger;
beforeAll(() => {
	// n8n's contexts take their logger from the DI container: a recording one sees what nodes log.
	realLogger = Container.get(Logger);
	const record = (...args: unknown[]) => {
		logLines.push(JSON.stringify(args));
	};
	const recording = { debug: record, info: record, warn: record, error: record, scoped: () => recording };
	Container.set(Logger, recording as unknown as Logger);
});
afterAll(() => Container.set(Logger, realLogger));

/** About 20% of calls get one of the faults, replayably. */
function injectMixedFaults(mm: any, path: string, seed = 20261123) {
	mm.setRandomSeed(seed);
	const common = { method: 'POST', path, times: Infinity };
	mm.addFault({ ...common, probability: 0.04, status: 429, headers: { 'Retry-After': '0' } });
	mm.addFault({ ...common, probability: 0.04, status: 429, headers: { 'Retry-After': '1' } });
	mm.addFault({ ...common, probability: 0.04, status: 503 });
	mm.addFault({ ...common, probability: 0.03, drop: 'before' });
	mm.addFault({ ...common, probability: 0.03, drop: 'after' });
	mm.addFault({ ...common, probability: 0.025, delayMs: 1500 });
}

/** Faults injected so far; clears them. */
function takeFaultCount(mm: any): number {
	const faults = mm.faults.reduce((sum: number, fault: any) => sum + fault.hits, 0);
	mm.clearFaults();
	return faults;
}

/** The same suites one item at a time (the default) and with Items per Batch 8. */
describe.each([1, 8])('Items per Batch %i', (batchSize) => {
	const inFlight = batchSize === 1 ? 'one item at a time' : `${batchSize} items in flight`;

	describe(`fault suite: ${POSTS} posts, ~20% of calls faulted, ${inFlight}`, () => {
		it('posts every message exactly once and returns each post id', async () => {
			const { mm, seed } = fake;
			const channel = mm.createChannel({ team_id: seed.team.id, name: `fault-suite-${batchSize}`, display_name: 'Fault Suite' });
			mm.addChannelMember(channel.id, seed.bot.id);
			injectMixedFaults(mm, '/api/v4/posts');
			const items = Array.from({ length: POSTS }, (_, n) => ({ json: { text: `message ${n}` } }));
			const output = await runNode(
				mm,
				{
					resource: 'message',
					operation: 'post',
					channelId: byId(channel.id),
					message: '={{ $json.text }}',
					requestOptions: { ...fastRetries, batching: { batch: { batchSize } } },
				},
				{ token: seed.tokens.bot, items },
			).then(keep);
			const faults = mm.faults.reduce((sum: number, fault: any) => sum + fault.hits, 0);
			mm.clearFaults();

			const stored = mm.postsIn(channel.id).map((post: any) => post.message);
			const counts = new Map<string, number>();
			for (const message of stored) counts.set(message, (counts.get(message) ?? 0) + 1);
			const duplicates = [...counts.values()].filter((n) => n > 1).length;
			const missing = items.filter((item) => !counts.has(item.json.text)).length;
			// The figures the issue asks for; printed so CI logs carry them.
			console.log(`fault suite (${inFlight}): sent ${POSTS}, faults injected ${faults}, stored ${stored.length}, duplicates ${duplicates}, lost ${missing}`);

			expect(faults).toBeGreaterThan(POSTS * 0.15);
			expect(stored).toHaveLength(POSTS);
			expect(duplicates).toBe(0);
			expect(missing).toBe(0);
			expect(output).toHaveLength(POSTS);
			output.forEach((item: any, n: number) => {
				expect(item.json.message).toBe(`message ${n}`);
				expect(item.json.id).toMatch(/^[a-z0-9]{26}$/);
				expect(mm.state.posts.get(item.json.id)?.message).toBe(`message ${n}`);
				expect(item.pairedItem).toEqual({ item: n });
			});
		}, 600_000);
	});

	describe(`fault suite: ${ITEMS} reactions, ~20% of calls faulted, ${inFlight}`, () => {
		it('every reaction exists exactly once, none missing, none extra; every item succeeds', async () => {
			const { mm, seed } = fake;
			const channel = mm.createChannel({ team_id: seed.team.id, name: `fault-reactions-${batchSize}`, display_name: 'Fault Reactions' });
			mm.addChannelMember(channel.id, seed.bot.id);
			const emoji = ['thumbsup', 'tada', 'rocket', 'eyes', 'heart', 'smile', 'wave', 'fire', 'star', 'clap'];
			const posts = Array.from({ length: ITEMS / emoji.length }, (_, n) =>
				mm.createPost({ channel_id: channel.id, user_id: seed.alice.id, message: `react to me ${n}` }).id as string,
			);
			const items = Array.from({ length: ITEMS }, (_, n) => ({
				json: { post: posts[Math.floor(n / emoji.length)], emoji: emoji[n % emoji.length] },
			}));
			injectMixedFaults(mm, '/api/v4/reactions', 20261124);
			mm.clearRequests();
			const output = await runNode(
				mm,
				{
					resource: 'reaction',
					operation: 'add',
					postId: '={{ $json.post }}',
					emojiName: '={{ $json.emoji }}',
					requestOptions: { ...fastRetries, batching: { batch: { batchSize } } },
				},
				{ token: seed.tokens.bot, items },
			).then(keep);
			const faults = takeFaultCount(mm);
			const attempts = mm.requests.filter((r: any) => r.method === 'POST' && r.path === '/api/v4/reactions').length;

			const expected = new Set(items.map((item) => `${item.json.post}:${item.json.emoji}`));
			// Every record, deleted ones too: a reaction removed and added again would show here.
			const records = posts.flatMap((post) => mm.state.reactionsFor(post, { includeDeleted: true }));
			const stored = records.filter((r: any) => r.delete_at === 0 && r.user_id === seed.bot.id);
			const keys = stored.map((r: any) => `${r.post_id}:${r.emoji_name}`);
			const duplicates = keys.length - new Set(keys).size;
			const lost = [...expected].filter((key) => !keys.includes(key)).length;
			console.log(
				`fault suite (reactions, ${inFlight}): sent ${ITEMS}, requests ${attempts}, faults injected ${faults}, stored ${stored.length}, duplicates ${duplicates}, lost ${lost}`,
			);

			expect(faults).toBeGreaterThan(ITEMS * 0.15);
			expect(attempts).toBeGreaterThan(ITEMS);
			expect(records).toHaveLength(ITEMS);
			expect(stored).toHaveLength(ITEMS);
			expect(duplicates).toBe(0);
			expect(lost).toBe(0);
			expect(new Set(keys)).toEqual(expected);
			expect(output).toHaveLength(ITEMS);
			output.forEach((item: any, n: number) => {
				expect(item.json).toMatchObject({ user_id: seed.bot.id, post_id: items[n].json.post, emoji_name: items[n].json.emoji });
				expect(item.json.error).toBeUndefined();
				expect(item.pairedItem).toEqual({ item: n });
			});
		}, 600_000);
	});

	describe(`fault suite: ${ITEMS} channel members, ~20% of calls faulted, ${inFlight}`, () => {
		it('every user is a member exactly once, none missing, none extra; every item succeeds', async () => {
			const { mm, seed } = fake;
			const channel = mm.createChannel({ team_id: seed.team.id, name: `fault-members-${batchSize}`, display_name: 'Fault Members' });
			mm.addChannelMember(channel.id, seed.bot.id);
			const users = Array.from({ length: ITEMS }, (_, n) => {
				const user = mm.createUser({ username: `fault-member-${batchSize}-${n}` });
				mm.addTeamMember(seed.team.id, user.id);
				return user.id as string;
			});
			const path = `/api/v4/channels/${channel.id}/members`;
			injectMixedFaults(mm, path, 20261125);
			mm.clearRequests();
			const output = await runNode(
				mm,
				{
					resource: 'channel',
					operation: 'addMember',
					channelId: byId(channel.id),
					userId: '={{ $json.user }}',
					requestOptions: { ...fastRetries, batching: { batch: { batchSize } } },
				},
				{ token: seed.tokens.bot, items: users.map((user) => ({ json: { user } })) },
			).then(keep);
			const faults = takeFaultCount(mm);
			const attempts = mm.requests.filter((r: any) => r.method === 'POST' && r.path === path).length;

			const memberIds = mm.state.membersOfChannel(channel.id).map((m: any) => m.user_id as string);
			const added = memberIds.filter((id: string) => id !== seed.bot.id);
			const duplicates = added.length - new Set(added).size;
			const lost = users.filter((id) => !added.includes(id)).length;
			console.log(
				`fault suite (channel members, ${inFlight}): sent ${ITEMS}, requests ${attempts}, faults injected ${faults}, stored ${added.length}, duplicates ${duplicates}, lost ${lost}`,
			);

			expect(faults).toBeGreaterThan(ITEMS * 0.15);
			expect(attempts).toBeGreaterThan(ITEMS);
			expect(new Set(memberIds)).toEqual(new Set([seed.bot.id, ...users]));
			expect(memberIds).toHaveLength(ITEMS + 1);
			expect(duplicates).toBe(0);
			expect(lost).toBe(0);
			expect(output).toHaveLength(ITEMS);
			output.forEach((item: any, n: number) => {
				expect(item.json).toMatchObject({ channel_id: channel.id, user_id: users[n] });
				expect(item.json.error).toBeUndefined();
				expect(item.pairedItem).toEqual({ item: n });
			});
		}, 600_000);
	});
});

describe('a server that stays down', () => {
	const downFault = (mm: any) =>
		mm.addFault({ method: 'POST', path: '/api/v4/posts', times: Infinity, drop: 'before', afterRequests: 3 });

	it('fails the run with a clear message after the configured attempts', async () => {
		const { mm, seed } = fake;
		downFault(mm);
		try {
			const error = await runNode(
				mm,
				{
					resource: 'message',
					operation: 'post',
					channelId: byId(seed.channels.offTopic.id),
					message: '={{ $json.text }}',
					requestOptions: { maxAttempts: 3, maxWaitSeconds: 0.01 },
				},
				{ token: seed.tokens.bot, items: Array.from({ length: 5 }, (_, n) => ({ json: { text: `down ${n}` } })) },
			).catch(keep);
			expect(error.message).toMatch(/connection to Mattermost was closed/);
			expect(error.description).toMatch(/gave up after 3 attempts/);
			expect(error.context.itemIndex).toBe(3);
		} finally {
			mm.clearFaults();
		}
	});

	it('with continueOnFail, items before the outage keep their posts and the rest are error items', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.offTopic;
		const before = mm.postsIn(channel.id).length;
		downFault(mm);
		try {
			const output = await runNode(
				mm,
				{
					resource: 'message',
					operation: 'post',
					channelId: byId(channel.id),
					message: '={{ $json.text }}',
					requestOptions: { maxAttempts: 2, maxWaitSeconds: 0.01 },
				},
				{
					token: seed.tokens.bot,
					continueOnFail: true,
					items: Array.from({ length: 6 }, (_, n) => ({ json: { text: `outage ${n}` } })),
				},
			).then(keep);
			expect(output.slice(0, 3).map((item: any) => item.json.message)).toEqual(['outage 0', 'outage 1', 'outage 2']);
			for (const [n, item] of output.slice(3).entries()) {
				expect(item.json).toMatchObject({ itemIndex: n + 3, error: expect.stringMatching(/closed before it answered/) });
			}
			expect(mm.postsIn(channel.id).slice(before).map((p: any) => p.message)).toEqual(['outage 0', 'outage 1', 'outage 2']);
		} finally {
			mm.clearFaults();
		}
	});
});

describe('what is and is not retried', () => {
	it('a 429 is retried after Retry-After; the same pending_post_id is sent each time', async () => {
		const { mm, seed } = fake;
		mm.addFault({ method: 'POST', path: '/api/v4/posts', status: 429, headers: { 'Retry-After': '0' }, times: 2 });
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			{ resource: 'message', operation: 'post', channelId: byId(seed.channels.townSquare.id), message: 'after 429' },
			{ token: seed.tokens.bot },
		);
		const sent = mm.requests.filter((r: any) => r.path === '/api/v4/posts');
		expect(sent).toHaveLength(3);
		expect(new Set(sent.map((r: any) => r.body.pending_post_id)).size).toBe(1);
		expect(item.json.message).toBe('after 429');
	});

	it('with Retry on Rate Limit off, a 429 fails at once with advice', async () => {
		const { mm, seed } = fake;
		mm.addFault({ method: 'POST', path: '/api/v4/posts', status: 429, times: 1 });
		mm.clearRequests();
		const error = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(seed.channels.townSquare.id),
				message: 'no retry',
				requestOptions: { retryOnRateLimit: false },
			},
			{ token: seed.tokens.bot },
		).catch(keep);
		expect(error.httpCode).toBe('429');
		expect(mm.requests.filter((r: any) => r.path === '/api/v4/posts')).toHaveLength(1);
		mm.clearFaults();
	});

	it('a DELETE whose answer was lost after it took effect: the repeat finds it done and the item succeeds', async () => {
		const { mm, seed } = fake;
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.admin.id, message: 'to delete' });
		const channel = mm.createChannel({ team_id: seed.team.id, name: 'lost-answer', display_name: 'Lost Answer' });
		mm.addChannelMember(channel.id, seed.admin.id);
		mm.addChannelMember(channel.id, seed.alice.id);
		const other = mm.createChannel({ team_id: seed.team.id, name: 'lost-answer-2', display_name: 'Lost Answer 2' });
		mm.addChannelMember(other.id, seed.admin.id);
		const team = mm.createTeam({ name: 'lost-answer-team', display_name: 'Lost Answer Team' });
		mm.addTeamMember(team.id, seed.admin.id);
		mm.addTeamMember(team.id, seed.bob.id);
		const cases: Array<[Record<string, unknown>, string, Record<string, unknown>]> = [
			[{ resource: 'message', operation: 'delete', postId: byId(post.id) }, `/api/v4/posts/${post.id}`, { deleted: true }],
			[{ resource: 'channel', operation: 'archive', channelId: byId(other.id) }, `/api/v4/channels/${other.id}`, { archived: true }],
			[
				{ resource: 'channel', operation: 'removeMember', channelId: byId(channel.id), userId: byId(seed.alice.id) },
				`/api/v4/channels/${channel.id}/members/${seed.alice.id}`,
				{},
			],
			[
				{ resource: 'team', operation: 'removeMember', teamId: byId(team.id), userId: byId(seed.bob.id) },
				`/api/v4/teams/${team.id}/members/${seed.bob.id}`,
				{},
			],
		];
		for (const [parameters, path, expected] of cases) {
			// The server makes the change, then the connection drops before the answer.
			mm.addFault({ method: 'DELETE', path, drop: 'after', times: 1 });
			mm.clearRequests();
			const [item] = await runNode(mm, { ...parameters, requestOptions: fastRetries } as any, { token: seed.tokens.admin });
			expect(item.json).toMatchObject(expected);
			expect(mm.requests.filter((r: any) => r.method === 'DELETE' && r.path === path)).toHaveLength(2);
		}
		expect(mm.state.posts.get(post.id).delete_at).toBeGreaterThan(0);
		expect(mm.state.channels.get(other.id).delete_at).toBeGreaterThan(0);
		expect(mm.state.channelMember(channel.id, seed.alice.id)).toBeUndefined();
		expect(mm.state.teamMember(team.id, seed.bob.id)).toBeUndefined();

		// Without a lost answer, "not found" stays an error.
		mm.clearRequests();
		const error = await runNode(mm, { resource: 'message', operation: 'delete', postId: byId(post.id) }, { token: seed.tokens.admin }).catch(keep);
		expect(error.httpCode).toBe('404');
		expect(mm.requests.filter((r: any) => r.method === 'DELETE')).toHaveLength(1);
	});

});

describe('secrets', () => {
	it('the token appears in no output item, error or log line of the suites above', () => {
		const { seed } = fake;
		const tokens = Object.values(seed.tokens) as string[];
		const texts = produced.map((value) =>
			value instanceof Error
				? [value.message, (value as any).description, value.stack, JSON.stringify(value), JSON.stringify((value as any).cause ?? null)].join('\n')
				: JSON.stringify(value),
		);
		expect(produced.length).toBeGreaterThanOrEqual(4);
		expect(logLines.length).toBeGreaterThan(0);
		for (const text of [...texts, ...logLines]) for (const token of tokens) expect(text).not.toContain(token);
	});
});
