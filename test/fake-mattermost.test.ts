import { spawn } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as readline from 'readline';

const { FakeMattermost } = require('./fake-mattermost');

// ../shared beside the clone, as CI lays it out (.ci/run sets MATTERMOST_OPENAPI to the same file).
const FALLBACK_SPEC = path.resolve(__dirname, '..', '..', 'shared', 'mattermost-api', 'openapi.patched.json');
const SPEC_PATH: string | undefined =
	process.env.MATTERMOST_OPENAPI || (fs.existsSync(FALLBACK_SPEC) ? FALLBACK_SPEC : undefined);

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

interface CallOptions {
	token?: string;
	body?: unknown;
	headers?: Record<string, string>;
}

function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

async function call(baseUrl: string, method: string, route: string, options: CallOptions = {}): Promise<Answer> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.token) headers.Authorization = `Bearer ${options.token}`;
	let body: string | undefined;
	if (options.body !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.body);
	}
	const response = await fetch(`${baseUrl}${route}`, { method, headers, body });
	const text = await response.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

function httpsGet(url: string, options: https.RequestOptions): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = https.get(url, { ...options, agent: false }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
		});
		request.on('error', reject);
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FakeMattermost', () => {
	let mm: any;
	let seed: any;
	const api = (method: string, route: string, options?: CallOptions) => call(mm.url, method, `/api/v4${route}`, options);

	beforeAll(async () => {
		mm = new FakeMattermost({ quiet: true, openapiPath: SPEC_PATH });
		await mm.start();
		seed = mm.seed();
	});

	afterAll(async () => {
		await mm.stop();
	});

	beforeEach(() => {
		mm.clearFaults();
		mm.clearRequests();
		mm.clearContractViolations();
	});

	describe('authentication and errors', () => {
		test('answers 401 with an AppError body when the token is missing or unknown', async () => {
			const attempts: Array<Record<string, string>> = [{}, { Authorization: 'Bearer not-a-token' }, { Authorization: 'Basic abc' }];
			for (const headers of attempts) {
				const answer = await api('GET', '/users/me', { headers });
				expect(answer.status).toBe(401);
				expect(answer.headers.get('content-type')).toBe('application/json');
				expect(answer.json).toEqual({
					id: 'api.context.session_expired.app_error',
					message: expect.any(String),
					detailed_error: '',
					request_id: answer.headers.get('x-request-id'),
					status_code: 401,
				});
				expect(answer.json.request_id).toMatch(/^[a-z0-9]{26}$/);
			}
		});

		test('accepts Bearer (any case) and Token schemes and resolves `me`', async () => {
			for (const scheme of ['Bearer', 'bearer', 'BEARER', 'Token']) {
				const answer = await api('GET', '/users/me', { headers: { Authorization: `${scheme} ${seed.tokens.bot}` } });
				expect(answer.status).toBe(200);
				expect(answer.json).toMatchObject({ id: seed.bot.id, username: 'n8n-bot', is_bot: true, roles: 'system_user' });
				expect(answer.json.password).toBeUndefined();
			}
		});

		test('rejects revoked tokens and tokens of deactivated users', async () => {
			const user = mm.createUser({ username: 'shortlived' });
			const token = mm.createToken(user.id);
			expect((await api('GET', '/users/me', { token })).status).toBe(200);
			mm.revokeToken(token);
			expect((await api('GET', '/users/me', { token })).status).toBe(401);

			const other = mm.createUser({ username: 'leaving' });
			const otherToken = mm.createToken(other.id);
			expect((await api('DELETE', `/users/${other.id}`, { token: seed.tokens.admin })).json).toEqual({ status: 'OK' });
			expect((await api('GET', '/users/me', { token: otherToken })).status).toBe(401);
		});

		test('answers unknown routes with api.context.404.app_error', async () => {
			const answer = await api('GET', '/no/such/route', { token: seed.tokens.bot });
			expect(answer.status).toBe(404);
			expect(answer.json.id).toBe('api.context.404.app_error');
		});

		test('answers 413 for JSON bodies over 300000 bytes', async () => {
			const answer = await api('POST', '/posts', {
				token: seed.tokens.bot,
				body: { channel_id: seed.channels.townSquare.id, message: 'x'.repeat(300001) },
			});
			expect(answer.status).toBe(413);
			expect(answer.json.id).toBe('api.context.request_body_too_large.app_error');
		});
	});

	describe('permissions', () => {
		test('GET /channels is for system admins only', async () => {
			const denied = await api('GET', '/channels', { token: seed.tokens.bot });
			expect(denied.status).toBe(403);
			expect(denied.json).toMatchObject({
				id: 'api.context.permissions.app_error',
				message: 'You do not have the appropriate permissions.',
				detailed_error: '',
			});
			const allowed = await api('GET', '/channels', { token: seed.tokens.admin });
			expect(allowed.status).toBe(200);
			expect(allowed.json.map((c: any) => c.id)).toEqual(expect.arrayContaining([seed.channels.private.id]));
		});

		test('a bot sees only the channels and teams it may see', async () => {
			const bot = seed.tokens.bot;
			expect((await api('GET', `/channels/${seed.channels.townSquare.id}`, { token: bot })).status).toBe(200);
			// Public channel of its team, not joined: readable.
			expect((await api('GET', `/channels/${seed.channels.noBot.id}`, { token: bot })).status).toBe(200);
			expect((await api('GET', `/channels/${seed.channels.private.id}`, { token: bot })).status).toBe(403);
			expect((await api('GET', `/channels/${seed.channels.otherTownSquare.id}`, { token: bot })).status).toBe(403);
			const posting = await api('POST', '/posts', { token: bot, body: { channel_id: seed.channels.noBot.id, message: 'hi' } });
			expect(posting.status).toBe(403);
			const byName = (channel: string) => api('GET', `/teams/name/test-team/channels/name/${channel}`, { token: bot });
			expect((await byName('town-square')).json.id).toBe(seed.channels.townSquare.id);
			expect((await byName('private-room')).status).toBe(404);
			const missing = await api('GET', `/channels/${'x'.repeat(26)}`, { token: bot });
			expect(missing.status).toBe(404);
			expect(missing.json.id).toBe('app.channel.get.existing.app_error');
		});

		test('developer mode names the missing permission', async () => {
			const dev = new FakeMattermost({ quiet: true, developerMode: true });
			await dev.start();
			try {
				const data = dev.seed();
				const answer = await call(dev.url, 'GET', '/api/v4/channels', { token: data.tokens.bot });
				expect(answer.json.detailed_error).toBe(`userId=${data.bot.id}, permission=manage_system`);
			} finally {
				await dev.stop();
			}
		});
	});

	describe('paging', () => {
		let channelId: string;

		beforeAll(() => {
			const channel = mm.createChannel({ team_id: seed.team.id, name: 'paging', display_name: 'Paging' });
			channelId = channel.id;
			mm.addChannelMember(channelId, seed.bot.id);
			for (let i = 0; i < 450; i++) mm.createPost({ channel_id: channelId, user_id: seed.alice.id, message: `message ${i}` });
		});

		test('clamps per_page=500 to 200 and falls back to 60 for bad values', async () => {
			const route = `/channels/${channelId}/posts`;
			expect((await api('GET', `${route}?per_page=500`, { token: seed.tokens.bot })).json.order).toHaveLength(200);
			expect((await api('GET', `${route}?per_page=-5`, { token: seed.tokens.bot })).json.order).toHaveLength(60);
			expect((await api('GET', `${route}`, { token: seed.tokens.bot })).json.order).toHaveLength(60);
			expect((await api('GET', `/users?per_page=500`, { token: seed.tokens.bot })).status).toBe(200);
		});

		test('pages through 450 posts to the end, newest first, without gaps', async () => {
			const seen: string[] = [];
			const sizes: number[] = [];
			for (let page = 0; ; page++) {
				const answer = await api('GET', `/channels/${channelId}/posts?page=${page}&per_page=200`, { token: seed.tokens.bot });
				expect(answer.status).toBe(200);
				const { order, posts } = answer.json;
				sizes.push(order.length);
				seen.push(...order.map((id: string) => posts[id].message));
				if (order.length < 200) break;
			}
			expect(sizes).toEqual([200, 200, 50]);
			expect(seen).toEqual(Array.from({ length: 450 }, (_, i) => `message ${449 - i}`));
		});

		test('follows before/after cursors with next_post_id, prev_post_id and has_next', async () => {
			const posts = mm.postsIn(channelId);
			const first = await api('GET', `/channels/${channelId}/posts?per_page=10`, { token: seed.tokens.bot });
			expect(first.json).toMatchObject({ next_post_id: '', prev_post_id: posts[439].id, has_next: true });
			const older = await api('GET', `/channels/${channelId}/posts?per_page=10&before=${first.json.prev_post_id}`, {
				token: seed.tokens.bot,
			});
			expect(older.json.order[0]).toBe(posts[438].id);
			expect(older.json.next_post_id).toBe(first.json.prev_post_id);
			const newer = await api('GET', `/channels/${channelId}/posts?per_page=10&after=${posts[444].id}`, { token: seed.tokens.bot });
			expect(newer.json.order).toEqual(posts.slice(445).map((p: any) => p.id).reverse());
			expect(newer.json).toMatchObject({ prev_post_id: posts[444].id, next_post_id: '', has_next: false });
		});
	});

	describe('posts', () => {
		const newPost = (extra: Record<string, unknown> = {}) =>
			api('POST', '/posts', { token: seed.tokens.bot, body: { channel_id: seed.channels.offTopic.id, message: 'dedup me', ...extra } });

		test('creates a post and answers 201 with the Post JSON', async () => {
			const answer = await newPost({ props: { attachments: [{ text: 'card', color: 'good' }] } });
			expect(answer.status).toBe(201);
			expect(answer.json).toMatchObject({
				id: expect.stringMatching(/^[a-z0-9]{26}$/),
				channel_id: seed.channels.offTopic.id,
				user_id: seed.bot.id,
				message: 'dedup me',
				root_id: '',
				props: { attachments: [{ text: 'card', color: 'good' }] },
				metadata: {},
			});
		});

		test('deduplicates by pending_post_id and answers the first post again', async () => {
			const before = mm.postsIn(seed.channels.offTopic.id).length;
			const first = await newPost({ pending_post_id: 'pending-1' });
			const second = await newPost({ pending_post_id: 'pending-1' });
			expect(first.status).toBe(201);
			expect(second.status).toBe(201);
			expect(second.json.id).toBe(first.json.id);
			expect(mm.postsIn(seed.channels.offTopic.id)).toHaveLength(before + 1);
			const third = await newPost({ pending_post_id: 'pending-2' });
			expect(third.json.id).not.toBe(first.json.id);
		});

		test('answers 500 ...pending to a repeat while the first is still saving, and forgets keys after the TTL', async () => {
			mm.config.postSaveDelayMs = 500;
			try {
				const [a, b] = await Promise.all([newPost({ pending_post_id: 'racing' }), sleep(50).then(() => newPost({ pending_post_id: 'racing' }))]);
				expect(a.status).toBe(201);
				expect(b.status).toBe(500);
				expect(b.json.id).toBe('api.post.deduplicate_create_post.pending');
			} finally {
				mm.config.postSaveDelayMs = 0;
			}
			mm.config.pendingPostTtlMs = 50;
			try {
				const first = await newPost({ pending_post_id: 'short-lived' });
				await sleep(80);
				const later = await newPost({ pending_post_id: 'short-lived' });
				expect(later.json.id).not.toBe(first.json.id);
			} finally {
				mm.config.pendingPostTtlMs = 30000;
			}
		});

		test('rejects messages over 16383 runes and replies to unknown roots', async () => {
			expect((await newPost({ message: 'é'.repeat(16384) })).status).toBe(400);
			expect((await newPost({ message: 'é'.repeat(16383) })).status).toBe(201);
			const badRoot = await newPost({ root_id: 'y'.repeat(26) });
			expect(badRoot.status).toBe(400);
			expect(badRoot.json.id).toBe('api.post.create_post.root_id.app_error');
		});

		test('reactions: null before any, [] after removal', async () => {
			const post = (await newPost()).json;
			const token = seed.tokens.bot;
			expect((await api('GET', `/posts/${post.id}/reactions`, { token })).text).toBe('null');
			const saved = await api('POST', '/reactions', { token, body: { user_id: seed.bot.id, post_id: post.id, emoji_name: 'tada' } });
			expect(saved.json).toMatchObject({ post_id: post.id, emoji_name: 'tada' });
			expect((await api('GET', `/posts/${post.id}`, { token })).json.has_reactions).toBe(true);
			await api('DELETE', `/users/me/posts/${post.id}/reactions/tada`, { token });
			expect((await api('GET', `/posts/${post.id}/reactions`, { token })).json).toEqual([]);
		});
	});

	describe('saved (flagged) posts and preferences', () => {
		const flagged = (postId: string, userId = seed.bot.id) => [{ user_id: userId, category: 'flagged_post', name: postId, value: 'true' }];

		test('a flagged_post preference saves a post; /users/me/posts/flagged lists them newest first, by team or channel', async () => {
			const token = seed.tokens.bot;
			const older = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'older' });
			const newer = mm.createPost({ channel_id: seed.channels.offTopic.id, user_id: seed.alice.id, message: 'newer' });
			expect((await api('PUT', '/users/me/preferences', { token, body: [...flagged(older.id), ...flagged(newer.id)] })).json).toEqual({ status: 'OK' });
			const all = await api('GET', '/users/me/posts/flagged', { token });
			expect(all.status).toBe(200);
			expect(all.json.order).toEqual([newer.id, older.id]);
			expect(Object.keys(all.json.posts).sort()).toEqual([newer.id, older.id].sort());
			const paged = await api('GET', '/users/me/posts/flagged?page=1&per_page=1', { token });
			expect(paged.json.order).toEqual([older.id]);
			expect((await api('GET', `/users/me/posts/flagged?channel_id=${seed.channels.townSquare.id}`, { token })).json.order).toEqual([older.id]);
			expect((await api('GET', `/users/me/posts/flagged?team_id=${seed.otherTeam.id}`, { token })).json.order).toEqual([]);
			const category = await api('GET', '/users/me/preferences/flagged_post', { token });
			expect(category.json.map((pref: any) => pref.name).sort()).toEqual([newer.id, older.id].sort());
			// Unflagging is deleting the preference.
			await api('POST', '/users/me/preferences/delete', { token, body: flagged(older.id) });
			expect((await api('GET', '/users/me/posts/flagged', { token })).json.order).toEqual([newer.id]);
			expect(mm.contractViolations).toEqual([]);
		});

		test('refuses other users\' preferences, unknown posts and posts the user cannot read', async () => {
			const token = seed.tokens.bot;
			// In a team the bot is not in.
			const secret = mm.createPost({ channel_id: seed.channels.otherPrivate.id, user_id: seed.alice.id, message: 'secret' });
			expect((await api('PUT', `/users/${seed.alice.id}/preferences`, { token, body: flagged(secret.id, seed.alice.id) })).status).toBe(403);
			expect((await api('PUT', '/users/me/preferences', { token, body: flagged(secret.id, seed.alice.id) })).status).toBe(403);
			expect((await api('PUT', '/users/me/preferences', { token, body: flagged('x'.repeat(26)) })).status).toBe(400);
			expect((await api('PUT', '/users/me/preferences', { token, body: flagged(secret.id) })).status).toBe(403);
			expect((await api('GET', `/users/${seed.alice.id}/posts/flagged`, { token })).status).toBe(403);
			expect((await api('GET', '/users/me/preferences/no_such_category', { token })).status).toBe(404);
		});

		test('/users/me/channels: every channel of the user in every team, direct messages included', async () => {
			const direct = mm.state.directChannel(seed.bot.id, seed.bob.id).channel;
			const answer = await api('GET', '/users/me/channels', { token: seed.tokens.bot });
			expect(answer.status).toBe(200);
			const ids = answer.json.map((c: any) => c.id);
			expect(ids).toEqual(expect.arrayContaining([seed.channels.townSquare.id, seed.channels.offTopic.id, direct.id]));
			expect(ids).not.toContain(seed.channels.private.id);
			expect((await api('GET', `/users/${seed.alice.id}/channels`, { token: seed.tokens.bot })).status).toBe(403);
		});
	});

	describe('fault injection', () => {
		const townSquare = () => seed.channels.townSquare.id;
		const createPost = () =>
			fetch(`${mm.url}/api/v4/posts`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${seed.tokens.bot}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ channel_id: townSquare(), message: 'fault test' }),
			});

		test('status with Retry-After, once', async () => {
			mm.addFault({ method: 'GET', path: '/api/v4/users/me', status: 503, headers: { 'Retry-After': '2' } });
			const faulty = await api('GET', '/users/me', { token: seed.tokens.bot });
			expect(faulty.status).toBe(503);
			expect(faulty.headers.get('retry-after')).toBe('2');
			expect(faulty.json.status_code).toBe(503);
			expect((await api('GET', '/users/me', { token: seed.tokens.bot })).status).toBe(200);
		});

		test('429 without a body is the rate limiter\'s plain text', async () => {
			mm.addFault({ path: /^\/api\/v4\/users\//, status: 429 });
			const limited = await api('GET', '/users/me', { token: seed.tokens.bot });
			expect(limited.status).toBe(429);
			expect(limited.headers.get('content-type')).toBe('text/plain; charset=utf-8');
			expect(limited.text).toBe('limit exceeded\n');
			expect(limited.headers.get('x-ratelimit-limit')).toBe('101');
			expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
			expect(limited.headers.get('x-ratelimit-reset')).toBe('1');
		});

		test('drop before: no answer and no state change', async () => {
			const before = mm.postsIn(townSquare()).length;
			mm.addFault({ method: 'POST', path: '/api/v4/posts', drop: 'before' });
			await expect(createPost()).rejects.toThrow();
			expect(mm.postsIn(townSquare())).toHaveLength(before);
			expect(mm.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v4/posts' });
		});

		test('drop after: no answer but the post was stored', async () => {
			const before = mm.postsIn(townSquare()).length;
			mm.addFault({ method: 'POST', path: '/api/v4/posts', drop: 'after' });
			await expect(createPost()).rejects.toThrow();
			expect(mm.postsIn(townSquare())).toHaveLength(before + 1);
		});

		test('delayMs alone: stored at once, answered late', async () => {
			const before = mm.postsIn(townSquare()).length;
			mm.addFault({ method: 'POST', path: '/api/v4/posts', delayMs: 400 });
			let answered = false;
			const pending = createPost().then((response) => ((answered = true), response));
			while (mm.postsIn(townSquare()).length === before) await sleep(10);
			const storedAt = Date.now();
			expect(answered).toBe(false);
			expect((await pending).status).toBe(201);
			expect(Date.now() - storedAt).toBeGreaterThanOrEqual(350);
		});

		test('delayMs with status: late error, nothing stored', async () => {
			const before = mm.postsIn(townSquare()).length;
			mm.addFault({ method: 'POST', path: '/api/v4/posts', status: 504, delayMs: 200 });
			const started = Date.now();
			expect((await createPost()).status).toBe(504);
			expect(Date.now() - started).toBeGreaterThanOrEqual(190);
			expect(mm.postsIn(townSquare())).toHaveLength(before);
		});

		test('probability follows the seeded PRNG and times counts only hits', async () => {
			const run = async () => {
				mm.clearFaults();
				mm.setRandomSeed(7);
				const fault = mm.addFault({ path: '/api/v4/users/me', status: 500, times: Infinity, probability: 0.5 });
				const statuses: number[] = [];
				for (let i = 0; i < 30; i++) statuses.push((await api('GET', '/users/me', { token: seed.tokens.bot })).status);
				return { statuses, hits: fault.hits };
			};
			const first = await run();
			const second = await run();
			expect(first.statuses).toEqual(second.statuses);
			expect(first.statuses).toContain(500);
			expect(first.statuses).toContain(200);
			expect(first.hits).toBe(first.statuses.filter((s) => s === 500).length);
		});

		test('down destroys every connection until restored', async () => {
			mm.down = true;
			try {
				await expect(createPost()).rejects.toThrow();
			} finally {
				mm.down = false;
			}
			expect((await api('GET', '/users/me', { token: seed.tokens.bot })).status).toBe(200);
		});
	});

	describe('files', () => {
		const upload = (form: FormData, query = '') =>
			fetch(`${mm.url}/api/v4/files${query}`, { method: 'POST', headers: { Authorization: `Bearer ${seed.tokens.bot}` }, body: form });

		test('a 50 MB multipart upload downloads byte-identical', async () => {
			const content = randomBytes(50 * 1024 * 1024);
			const form = new FormData();
			form.append('channel_id', seed.channels.townSquare.id);
			form.append('files', new Blob([content]), 'big.bin');
			form.append('client_ids', 'client-1');
			const response = await upload(form);
			expect(response.status).toBe(201);
			const { file_infos: infos, client_ids: clientIds } = (await response.json()) as any;
			expect(clientIds).toEqual(['client-1']);
			expect(infos[0]).toMatchObject({ name: 'big.bin', size: content.length, post_id: '', channel_id: seed.channels.townSquare.id });

			const recorded = mm.requests.at(-1).body;
			expect(recorded.order).toEqual(['channel_id', 'files', 'client_ids']);
			expect(recorded.files[0]).toMatchObject({ field: 'files', filename: 'big.bin', size: content.length, sha256: sha256(content) });

			const download = await fetch(`${mm.url}/api/v4/files/${infos[0].id}`, { headers: { Authorization: `Bearer ${seed.tokens.bot}` } });
			expect(download.status).toBe(200);
			expect(download.headers.get('content-disposition')).toContain('attachment; filename="big.bin"');
			expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(content));
		});

		test('rejects bad forms like the server', async () => {
			const channelId = seed.channels.townSquare.id;
			const twoFilesOneId = new FormData();
			twoFilesOneId.append('channel_id', channelId);
			twoFilesOneId.append('files', new Blob(['a']), 'a.txt');
			twoFilesOneId.append('files', new Blob(['b']), 'b.txt');
			twoFilesOneId.append('client_ids', 'only-one');
			const mismatch = await upload(twoFilesOneId);
			expect(mismatch.status).toBe(400);
			expect(((await mismatch.json()) as any).id).toBe('api.file.upload_file.incorrect_number_of_client_ids.app_error');

			const extraField = new FormData();
			extraField.append('channel_id', channelId);
			extraField.append('comment', 'not allowed');
			extraField.append('files', new Blob(['a']), 'a.txt');
			expect((await upload(extraField)).status).toBe(400);

			const empty = new FormData();
			empty.append('channel_id', channelId);
			expect((await upload(empty)).status).toBe(400);
		});

		test('attaches only unattached files of the poster and serves links', async () => {
			const token = seed.tokens.bot;
			const form = new FormData();
			form.append('files', new Blob(['hello']), 'hello.txt');
			const info = ((await (await upload(form, `?channel_id=${seed.channels.townSquare.id}`)).json()) as any).file_infos[0];
			const foreign = mm.createFile({ user_id: seed.alice.id, channel_id: seed.channels.townSquare.id, name: 'x.txt', content: Buffer.from('x') });
			const post = await api('POST', '/posts', {
				token,
				body: { channel_id: seed.channels.townSquare.id, message: 'files', file_ids: [info.id, foreign.id, info.id] },
			});
			expect(post.json.file_ids).toEqual([info.id]);
			expect(post.json.metadata.files[0]).toMatchObject({ id: info.id, post_id: post.json.id });
			const link = await api('GET', `/files/${info.id}/link`, { token });
			expect(link.json.link).toMatch(new RegExp(`^${mm.url}/files/${info.id}/public\\?h=`));
			expect(await (await fetch(link.json.link)).text()).toBe('hello');
		});
	});

	describe('integrations', () => {
		let receiver: http.Server;
		let receiverUrl: string;
		const received: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
		let nextReply: { status: number; type: string; body: string } = { status: 200, type: 'application/json', body: '{}' };

		beforeAll(async () => {
			receiver = http.createServer((req, res) => {
				let body = '';
				req.on('data', (chunk) => (body += chunk));
				req.on('end', () => {
					received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
					res.writeHead(nextReply.status, { 'Content-Type': nextReply.type });
					res.end(nextReply.body);
				});
			});
			await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
			receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
		});

		afterAll(async () => {
			receiver.closeAllConnections();
			await new Promise((resolve) => receiver.close(resolve));
		});

		test('outgoing webhooks fire on trigger words and may reply in the thread', async () => {
			const hook = await api('POST', '/hooks/outgoing', {
				token: seed.tokens.admin,
				body: {
					team_id: seed.team.id,
					display_name: 'n8n',
					trigger_words: ['!n8n'],
					callback_urls: [`${receiverUrl}/hook`],
				},
			});
			expect(hook.status).toBe(201);
			expect(hook.json.token).toMatch(/^[a-z0-9]{26}$/);
			nextReply = { status: 200, type: 'application/json', body: JSON.stringify({ text: 'pong', response_type: 'comment' }) };
			received.length = 0;

			const ignored = await api('POST', '/posts', { token: seed.tokens.alice, body: { channel_id: seed.channels.offTopic.id, message: 'no trigger' } });
			const post = await api('POST', '/posts', { token: seed.tokens.alice, body: { channel_id: seed.channels.offTopic.id, message: '!n8n ping' } });
			await mm.integrationsSettled();
			expect(ignored.status).toBe(201);
			expect(received).toHaveLength(1);
			expect(received[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
			const form = new URLSearchParams(received[0].body);
			expect(form.get('token')).toBe(hook.json.token);
			expect(form.get('post_id')).toBe(post.json.id);
			expect(form.get('trigger_word')).toBe('!n8n');
			expect(form.get('timestamp')).toBe(String(Math.floor(post.json.create_at / 1000)));
			const reply = mm.postsIn(seed.channels.offTopic.id).at(-1);
			expect(reply).toMatchObject({ message: 'pong', root_id: post.json.id, props: { from_webhook: 'true' } });
			await api('DELETE', `/hooks/outgoing/${hook.json.id}`, { token: seed.tokens.admin });
		});

		test('slash commands call their URL with the command token and honour response_url', async () => {
			const command = await api('POST', '/commands', {
				token: seed.tokens.admin,
				body: { team_id: seed.team.id, trigger: 'deploy', method: 'P', url: `${receiverUrl}/command` },
			});
			expect(command.status).toBe(201);
			nextReply = { status: 200, type: 'application/json', body: JSON.stringify({ response_type: 'in_channel', text: 'deploying' }) };
			received.length = 0;
			const executed = await api('POST', '/commands/execute', {
				token: seed.tokens.admin,
				body: { channel_id: seed.channels.townSquare.id, command: '/deploy now' },
			});
			expect(executed.status).toBe(200);
			expect(executed.json).toMatchObject({ response_type: 'in_channel', text: 'deploying' });
			expect(received[0].headers.authorization).toBe(`Token ${command.json.token}`);
			const form = new URLSearchParams(received[0].body);
			expect(form.get('text')).toBe('now');
			expect(mm.postsIn(seed.channels.townSquare.id).at(-1).message).toBe('deploying');

			const delayed = await fetch(form.get('response_url') as string, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ response_type: 'in_channel', text: 'done' }),
			});
			expect(await delayed.text()).toBe('ok');
			expect(mm.postsIn(seed.channels.townSquare.id).at(-1).message).toBe('done');
		});
	});

	describe('contract checks', () => {
		const maybe = SPEC_PATH ? test : test.skip;

		maybe('a valid request yields no violation', async () => {
			await api('GET', '/users/me', { token: seed.tokens.bot });
			await api('GET', `/channels/${seed.channels.townSquare.id}/posts?page=0&per_page=10`, { token: seed.tokens.bot });
			await api('POST', '/posts', { token: seed.tokens.bot, body: { channel_id: seed.channels.townSquare.id, message: 'ok', pending_post_id: 'x1' } });
			expect(mm.contractViolations).toEqual([]);
		});

		maybe('POST /posts without channel_id is a violation', async () => {
			const answer = await api('POST', '/posts', { token: seed.tokens.bot, body: { message: 'where to?' } });
			expect(answer.status).toBe(400);
			expect(mm.contractViolations).toHaveLength(1);
			expect(mm.contractViolations[0]).toMatchObject({ method: 'POST', path: '/api/v4/posts' });
			expect(JSON.stringify(mm.contractViolations[0].errors)).toContain('channel_id');
		});

		maybe('a route the spec does not know is a violation; /__fake is exempt', async () => {
			await api('GET', '/no/such/route', { token: seed.tokens.bot });
			await call(mm.url, 'GET', '/__fake/requests');
			expect(mm.contractViolations).toHaveLength(1);
		});
	});

	describe('control API', () => {
		test('lists posts, records requests and takes faults without auth', async () => {
			await api('GET', '/users/me', { token: seed.tokens.bot });
			const requests = await call(mm.url, 'GET', '/__fake/requests');
			expect(requests.json.map((r: any) => r.path)).toEqual(['/api/v4/users/me']);

			const fault = await call(mm.url, 'POST', '/__fake/faults', { body: { path: '/api/v4/users/me', status: 502, times: null } });
			expect(fault.status).toBe(201);
			expect((await api('GET', '/users/me', { token: seed.tokens.bot })).status).toBe(502);
			expect((await api('GET', '/users/me', { token: seed.tokens.bot })).status).toBe(502);

			const posts = await call(mm.url, 'GET', `/__fake/posts?channel_id=${seed.channels.private.id}`);
			expect(posts.json.map((p: any) => p.message)).toEqual(['Secret plans']);
			expect((await call(mm.url, 'POST', '/__fake/reset-requests')).status).toBe(200);
			expect(mm.requests).toEqual([]);
		});
	});

	test('the subpath mounts every route under it', async () => {
		const sub = new FakeMattermost({ quiet: true, subpath: '/mattermost' });
		const url = await sub.start();
		try {
			const data = sub.seed();
			expect(url).toMatch(/\/mattermost$/);
			expect((await call(url, 'GET', '/api/v4/users/me', { token: data.tokens.bot })).status).toBe(200);
			const outside = await call(url.replace(/\/mattermost$/, ''), 'GET', '/api/v4/users/me', { token: data.tokens.bot });
			expect(outside.status).toBe(404);
			expect(sub.requests[0].path).toBe('/api/v4/users/me');
		} finally {
			await sub.stop();
		}
	});

	test('HTTPS with a self-signed certificate', async () => {
		const secure = new FakeMattermost({ quiet: true, tls: true });
		const url = await secure.start();
		try {
			const data = secure.seed();
			expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
			expect(secure.certificatePem).toContain('BEGIN CERTIFICATE');
			const headers = { Authorization: `Bearer ${data.tokens.bot}` };
			expect(await httpsGet(`${url}/api/v4/users/me`, { headers, rejectUnauthorized: false })).toBe(200);
			expect(await httpsGet(`${url}/api/v4/users/me`, { headers, ca: secure.certificatePem })).toBe(200);
			await expect(httpsGet(`${url}/api/v4/users/me`, { headers })).rejects.toThrow(/self[- ]signed/i);
		} finally {
			await secure.stop();
		}
	});

	test('the CLI prints one JSON line, serves, and stops on SIGTERM', async () => {
		const child = spawn(process.execPath, [path.join(__dirname, 'fake-mattermost', 'cli.js'), '--port', '0'], {
			env: { ...process.env, MATTERMOST_OPENAPI: '' },
			stdio: ['ignore', 'pipe', 'ignore'],
		});
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		try {
			const line: string = await new Promise((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve));
			const info = JSON.parse(line);
			expect(info).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), teamId: expect.any(String) });
			const me = await call(info.url, 'GET', '/api/v4/users/me', { token: info.tokens.bot });
			expect(me.json.id).toBe(info.users.bot);
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
	});
});
