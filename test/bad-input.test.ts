/**
 * The bad input catalogue: every case is one item the node must refuse with an error that names
 * the field and says how to fix it, with the item's index. A rule the node knows before sending
 * anything gives a NodeOperationError and no request; what only the server can tell gives a
 * NodeApiError. Each case runs as the second of two items (the first one good, and done); a subset
 * also runs with continueOnFail between good items. At the end, nothing the node produced or
 * logged in this file may contain a token.
 */
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runNode, useFakeMattermost, type Fake, type Seed } from './support';

const fake = useFakeMattermost();

/** A well-formed id nothing has. */
const MISSING = 'abcdefghijklmnopqrstuvwxyz';
/** Malformed tokens: each half is distinctive, so an echo of either shows up in the scan. */
const SPACED_TOKEN = 'k3bq7tokenpartone x9zv2tokenparttwo';
const BROKEN_TOKEN = 'p4mw8tokenlineone\nr6tc1tokenlinetwo';
const WRONG_TOKEN = 'wr0ngt0kenwr0ngt0kenwr0ngt';
const BEARER_TOKEN = 'Bearer b8xq3bearertokenpart';

// ------------------------------------------------------------------ what the node produced

/** Items, errors and log lines of every run in this file, for the token scan at the end. */
const produced: unknown[] = [];
const logLines: string[] = [];
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

interface RunSpec {
	parameters: INodeParameters;
	items: INodeExecutionData[];
	token?: string;
	credentials?: Partial<ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
}

async function run(spec: RunSpec): Promise<{ output?: INodeExecutionData[]; error?: any; sent: string[] }> {
	const { mm, seed } = fake;
	const mark = mm.requests.length;
	try {
		const output = await runNode(mm, spec.parameters, {
			token: spec.token ?? seed.tokens.bot,
			items: spec.items,
			credentials: spec.credentials,
			continueOnFail: spec.continueOnFail,
		});
		produced.push(output);
		return { output, sent: sent(mark) };
	} catch (error) {
		produced.push(error);
		return { error, sent: sent(mark) };
	}
}

function sent(mark: number): string[] {
	return fake.mm.requests.slice(mark).map((r: any) => `${r.method} ${r.path}`);
}

// ------------------------------------------------------------------ building blocks

const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });
const json = (value: IDataObject): INodeExecutionData => ({ json: value });

function inlineBinary(content: Buffer, fileName: string, mimeType = 'text/plain') {
	return { data: content.toString('base64'), mimeType, fileName, fileSize: String(content.length) };
}

const postedMessage = (mm: Fake, message: string) =>
	[...mm.state.posts.values()].some((post: any) => post.message === message && post.delete_at === 0);

interface Context {
	mm: Fake;
	seed: Seed;
	/** Per case: names made with it do not collide with other cases. */
	tag: string;
	/** Created by the case's setup. */
	extra: IDataObject;
}

interface Case {
	name: string;
	kind: 'operation' | 'api';
	/** What the error's message must name. */
	field: RegExp;
	/** What the error's description must say (how to fix it). */
	fix: RegExp;
	httpCode?: string;
	/** Requests an operation error may come after (a lookup), e.g. /^GET \/api\/v4\/users\//. */
	lookups?: RegExp;
	token?: 'admin' | 'bot' | 'alice';
	setup?: (c: Context) => void;
	parameters: (c: Context) => INodeParameters;
	/** A good item; n tells the good items of one run apart. */
	good: (c: Context, n: number) => INodeExecutionData;
	bad: (c: Context) => INodeExecutionData;
	/** Whether the fake holds the good item's effect; cases with it also run with continueOnFail. */
	held?: (c: Context, item: INodeExecutionData) => boolean;
}

// ------------------------------------------------------------------ parameter sets

const postTo = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'message',
	operation: 'post',
	channelId: rl('={{ $json.channel }}'),
	message: '={{ $json.message }}',
	...extra,
});
const goodPost = (c: Context, n: number, extra: IDataObject = {}) =>
	json({ channel: c.seed.channels.townSquare.id, message: `good ${c.tag} ${n}`, ...extra });
const postHeld = (c: Context, item: INodeExecutionData) => postedMessage(c.mm, String(item.json.message));

const limitOn = (parameters: INodeParameters) => ({ ...parameters, limit: '={{ $json.limit }}' });
const limitCase = (name: string, parameters: (c: Context) => INodeParameters, value: unknown, token?: Case['token']): Case => ({
	name,
	kind: 'operation',
	token,
	field: new RegExp(`^Limit must be a whole number of 1 or more, not ${String(value).replace('.', '\\.')}$`),
	fix: /Set Limit .*e\.g\. 50, or turn on Return All/,
	parameters: (c) => limitOn(parameters(c)),
	good: () => json({ limit: 2 }),
	bad: () => json({ limit: value as never }),
});

const cases: Case[] = [
	// ---------------------------------------------------------------- Message > Post: content
	{
		name: 'Message > Post: Attachments (JSON) that is not JSON',
		kind: 'operation',
		field: /^Attachments \(JSON\) is not valid JSON$/,
		fix: /Example of a valid value: \{"text"/,
		parameters: () => postTo({ options: { attachmentsJson: '={{ $json.attachments }}' } }),
		good: (c, n) => goodPost(c, n, { attachments: '[{"text": "fine"}]' }),
		bad: (c) => goodPost(c, 9, { attachments: '{"text": "unclosed"' }),
		held: postHeld,
	},
	{
		name: 'Message > Post: Attachments (JSON) with an entry that is not an object',
		kind: 'operation',
		field: /^Attachments \(JSON\): entry 2 is not a JSON object$/,
		fix: /Give a list of objects, e\.g\. \[\{/,
		parameters: () => postTo({ options: { attachmentsJson: '={{ $json.attachments }}' } }),
		good: (c, n) => goodPost(c, n, { attachments: '[]' }),
		bad: (c) => goodPost(c, 9, { attachments: '[{"text": "a"}, 5]' }),
	},
	{
		name: 'Message > Post: Properties (JSON) that is not JSON',
		kind: 'operation',
		field: /^Properties \(JSON\) is not valid JSON$/,
		fix: /Example of a valid value: \{"card"/,
		parameters: () => postTo({ options: { props: '={{ $json.props }}' } }),
		good: (c, n) => goodPost(c, n, { props: '{"card": "details"}' }),
		bad: (c) => goodPost(c, 9, { props: '{card: details}' }),
		held: postHeld,
	},
	{
		name: 'Message > Post: Properties (JSON) that is a list, not an object',
		kind: 'operation',
		field: /^Properties \(JSON\) must be a JSON object$/,
		fix: /object in curly braces, e\.g\. \{"card"/,
		parameters: () => postTo({ options: { props: '={{ $json.props }}' } }),
		good: (c, n) => goodPost(c, n, { props: '{}' }),
		bad: (c) => goodPost(c, 9, { props: '[1, 2]' }),
	},
	{
		name: 'Message > Post: Properties (JSON) that is a JSON string, not an object',
		kind: 'operation',
		field: /^Properties \(JSON\) must be a JSON object$/,
		fix: /curly braces/,
		parameters: () => postTo({ options: { props: '={{ $json.props }}' } }),
		good: (c, n) => goodPost(c, n, { props: '{}' }),
		bad: (c) => goodPost(c, 9, { props: '"just text"' }),
	},
	{
		name: 'Message > Post: a message of 16,384 characters (one over the limit; the good item has exactly 16,383)',
		kind: 'operation',
		field: /^Message is 16384 characters long; Mattermost accepts at most 16383$/,
		fix: /Shorten the message, split it over several posts/,
		parameters: () => postTo(),
		good: (c, n) => json({ channel: c.seed.channels.townSquare.id, message: `good ${c.tag} ${n} `.padEnd(16383, 'x') }),
		bad: (c) => json({ channel: c.seed.channels.townSquare.id, message: 'y'.repeat(16384) }),
		held: postHeld,
	},
	{
		name: 'Message > Post: a message of 16,384 emoji (characters counted, not bytes)',
		kind: 'operation',
		field: /^Message is 16384 characters long/,
		fix: /Shorten the message/,
		parameters: () => postTo(),
		good: (c, n) => json({ channel: c.seed.channels.townSquare.id, message: `good ${c.tag} ${n} ${'🎉'.repeat(100)}` }),
		bad: (c) => json({ channel: c.seed.channels.townSquare.id, message: '🎉'.repeat(16384) }),
	},
	{
		name: 'Message > Post: 11 file IDs (more than 10 files)',
		kind: 'operation',
		field: /^11 files are too many for one post; Mattermost attaches at most 10$/,
		fix: /Spread the files over several posts/,
		parameters: () => postTo({ options: { fileIds: '={{ $json.fileIds }}' } }),
		good: (c, n) => goodPost(c, n, { fileIds: '' }),
		bad: (c) =>
			goodPost(c, 9, {
				fileIds: Array.from({ length: 11 }, (_, i) => `${'f'.repeat(24)}${String(i).padStart(2, '0')}`).join(', '),
			}),
		held: postHeld,
	},
	{
		name: 'Message > Post: 6 binary files plus 5 file IDs (more than 10 files together)',
		kind: 'operation',
		field: /^11 files are too many for one post/,
		fix: /Spread the files over several posts/,
		parameters: () => postTo({ options: { binaryPropertyNames: '={{ $json.names }}', fileIds: '={{ $json.fileIds }}' } }),
		good: (c, n) => ({ ...goodPost(c, n, { names: '', fileIds: '' }) }),
		bad: (c) => ({
			...goodPost(c, 9, {
				names: 'f0, f1, f2, f3, f4, f5',
				fileIds: Array.from({ length: 5 }, (_, i) => `${'g'.repeat(25)}${i}`).join(','),
			}),
			binary: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, inlineBinary(Buffer.from(`file ${i}`), `f${i}.txt`)])),
		}),
	},
	{
		name: 'Message > Post: a binary property the item does not have',
		kind: 'operation',
		field: /^The input item has no binary property "report"$/,
		fix: /Binary properties of this item: data\. Fix the name in "Binary Properties"/,
		parameters: () => postTo({ options: { binaryPropertyNames: 'report' } }),
		good: (c, n) => ({ ...goodPost(c, n), binary: { report: inlineBinary(Buffer.from(`report ${n}`), `report-${n}.txt`) } }),
		bad: (c) => ({ ...goodPost(c, 9), binary: { data: inlineBinary(Buffer.from('other'), 'other.txt') } }),
		held: postHeld,
	},
	{
		name: 'Message > Post: a binary property on an item without any binary data',
		kind: 'operation',
		field: /^The input item has no binary property "report"$/,
		fix: /carries no binary data\. Add a node before this one that reads or downloads the file/,
		parameters: () => postTo({ options: { binaryPropertyNames: 'report' } }),
		good: (c, n) => ({ ...goodPost(c, n), binary: { report: inlineBinary(Buffer.from(`report ${n}`), `report-${n}.txt`) } }),
		bad: (c) => goodPost(c, 9),
	},
	{
		name: 'Message > Post: an empty file',
		kind: 'operation',
		field: /^The file "empty\.txt" in binary property "data" is empty$/,
		fix: /Mattermost does not store empty files/,
		parameters: () => postTo({ options: { binaryPropertyNames: 'data' } }),
		good: (c, n) => ({ ...goodPost(c, n), binary: { data: inlineBinary(Buffer.from(`content ${n}`), `full-${n}.txt`) } }),
		bad: (c) => ({ ...goodPost(c, 9), binary: { data: inlineBinary(Buffer.alloc(0), 'empty.txt') } }),
		held: postHeld,
	},
	{
		name: 'Message > Post: an attachment colour that is not hex ("orange")',
		kind: 'operation',
		field: /^Attachment 1: Color "orange" is not a colour Mattermost accepts$/,
		fix: /Use a hex colour such as #ff8800, or good, warning or danger/,
		parameters: () => postTo({ attachments: { attachment: [{ text: 'build', color: '={{ $json.color }}' }] } }),
		good: (c, n) => goodPost(c, n, { color: '#00aa00' }),
		bad: (c) => goodPost(c, 9, { color: 'orange' }),
		held: postHeld,
	},
	{
		name: 'Message > Post: an attachment colour with five hex digits',
		kind: 'operation',
		field: /^Attachment 1: Color "#12345" is not a colour/,
		fix: /hex colour such as #ff8800/,
		parameters: () => postTo({ attachments: { attachment: [{ text: 'build', color: '={{ $json.color }}' }] } }),
		good: (c, n) => goodPost(c, n, { color: '#0a0' }),
		bad: (c) => goodPost(c, 9, { color: '#12345' }),
	},
	{
		name: 'Message > Post: Override Icon URL that is not an http(s) URL',
		kind: 'operation',
		field: /^Override Icon URL "ftp:\/\/example\.com\/robot\.png" is not an http\(s\) URL$/,
		fix: /full address of a picture, e\.g\. https:\/\//,
		parameters: () => postTo({ options: { overrideIconUrl: '={{ $json.icon }}' } }),
		good: (c, n) => goodPost(c, n, { icon: 'https://example.com/robot.png' }),
		bad: (c) => goodPost(c, 9, { icon: 'ftp://example.com/robot.png' }),
	},
	{
		name: 'Message > Post: a channel ID of the wrong shape (a channel name)',
		kind: 'operation',
		field: /^Channel "Town-Square" is not a Mattermost ID$/,
		fix: /26 lowercase letters and digits.*Pick the channel from the list, paste its URL/,
		parameters: () => postTo(),
		good: (c, n) => goodPost(c, n),
		bad: (c) => json({ channel: 'Town-Square', message: `bad ${c.tag}` }),
		held: postHeld,
	},
	{
		name: 'Message > Post: Reply To Post of the wrong shape',
		kind: 'operation',
		field: /^Reply To Post "not-a-post" is not a Mattermost ID$/,
		fix: /A Mattermost post ID is 26 lowercase letters and digits/,
		parameters: () => postTo({ options: { rootId: '={{ $json.rootId }}' } }),
		good: (c, n) => goodPost(c, n, { rootId: '' }),
		bad: (c) => goodPost(c, 9, { rootId: 'not-a-post' }),
	},
	{
		name: 'Message > Post: a channel URL of another team (other-private lives in other-team, not test-team) — 404',
		kind: 'api',
		httpCode: '404',
		field: /channel/i,
		fix: /found no channel "other-private" in team "test-team"\. Check the ID/,
		parameters: () => ({
			resource: 'message',
			operation: 'post',
			channelId: rl('={{ $json.channelUrl }}', 'url'),
			message: '={{ $json.message }}',
		}),
		good: (c, n) => json({ channelUrl: `${c.mm.url}/test-team/channels/town-square`, message: `good ${c.tag} ${n}` }),
		bad: (c) => json({ channelUrl: `${c.mm.url}/test-team/channels/other-private`, message: `bad ${c.tag}` }),
		held: postHeld,
	},
	{
		name: 'Message > Post: a permission the token lacks (the bot posts into a private channel it is not in) — 403',
		kind: 'api',
		httpCode: '403',
		field: /permission/i,
		fix: /not allowed to do this .*Add the user to the team or channel, or use a token with more rights/,
		parameters: () => postTo(),
		good: (c, n) => goodPost(c, n),
		bad: (c) => json({ channel: c.seed.channels.private.id, message: `bad ${c.tag}` }),
		held: postHeld,
	},
	// ---------------------------------------------------------------- Message: other operations
	{
		name: 'Message > Update: a new message over 16,383 characters',
		kind: 'operation',
		field: /^Message is 20000 characters long; Mattermost accepts at most 16383$/,
		fix: /Shorten the message/,
		setup: (c) => {
			c.extra.posts = [0, 1, 2, 9].map((n) =>
				c.mm.createPost({ channel_id: c.seed.channels.townSquare.id, user_id: c.seed.bot.id, message: `original ${c.tag} ${n}` }).id,
			);
		},
		parameters: () => ({
			resource: 'message',
			operation: 'update',
			postId: rl('={{ $json.post }}'),
			updateFields: { message: '={{ $json.message }}' },
		}),
		good: (c, n) => json({ post: (c.extra.posts as string[])[n], message: `edited ${c.tag} ${n}` }),
		bad: (c) => json({ post: (c.extra.posts as string[])[3], message: 'z'.repeat(20000) }),
		held: (c, item) => c.mm.state.posts.get(item.json.post)?.message === item.json.message,
	},
	{
		name: 'Message > Get: a post ID of the wrong shape',
		kind: 'operation',
		field: /^Post "12345" is not a Mattermost ID$/,
		fix: /A Mattermost post ID is 26 lowercase letters and digits/,
		parameters: () => ({ resource: 'message', operation: 'get', postId: rl('={{ $json.post }}') }),
		good: (c) => json({ post: c.mm.postsIn(c.seed.channels.townSquare.id)[0].id }),
		bad: () => json({ post: '12345' }),
	},
	{
		name: 'Message > Get: an unknown post — 404',
		kind: 'api',
		httpCode: '404',
		field: /post/i,
		fix: new RegExp(`found no post ${MISSING}\\. Check the ID`),
		parameters: () => ({ resource: 'message', operation: 'get', postId: rl('={{ $json.post }}') }),
		good: (c) => json({ post: c.mm.postsIn(c.seed.channels.townSquare.id)[0].id }),
		bad: () => json({ post: MISSING }),
	},
	{
		name: 'Message > Get Many: Since that does not parse as a date',
		kind: 'operation',
		field: /^Since "last tuesday-ish" is not a date and time$/,
		fix: /Pick a date, or give an ISO date such as 2025-01-31T08:00:00Z/,
		parameters: (c) => ({
			resource: 'message',
			operation: 'getMany',
			channelId: rl(c.seed.channels.townSquare.id),
			options: { since: '={{ $json.since }}' },
		}),
		good: () => json({ since: '2020-01-01T00:00:00Z' }),
		bad: () => json({ since: 'last tuesday-ish' }),
	},
	{
		name: 'Message > Get Many: After Post of the wrong shape',
		kind: 'operation',
		field: /^After Post "yesterday" is not a Mattermost ID$/,
		fix: /post ID is 26 lowercase letters and digits/,
		parameters: (c) => ({
			resource: 'message',
			operation: 'getMany',
			channelId: rl(c.seed.channels.townSquare.id),
			options: { after: '={{ $json.after }}' },
		}),
		good: (c) => json({ after: c.mm.postsIn(c.seed.channels.townSquare.id)[0].id }),
		bad: () => json({ after: 'yesterday' }),
	},
	limitCase('Message > Get Many: Limit 0', (c) => ({ resource: 'message', operation: 'getMany', channelId: rl(c.seed.channels.townSquare.id) }), 0),
	limitCase('Message > Get Many: Limit -5', (c) => ({ resource: 'message', operation: 'getMany', channelId: rl(c.seed.channels.townSquare.id) }), -5),
	limitCase('Message > Get Many: Limit 2.5 (not a whole number)', (c) => ({ resource: 'message', operation: 'getMany', channelId: rl(c.seed.channels.townSquare.id) }), 2.5),
	limitCase('Message > Search: Limit 0', (c) => ({ resource: 'message', operation: 'search', teamId: rl(c.seed.team.id), terms: 'welcome' }), 0),
	{
		name: 'Message > Search: a team ID of the wrong shape',
		kind: 'operation',
		field: /^Team "Test Team" is not a Mattermost ID$/,
		fix: /A Mattermost team ID is 26 lowercase letters and digits/,
		parameters: () => ({ resource: 'message', operation: 'search', teamId: rl('={{ $json.team }}'), terms: 'welcome' }),
		good: (c) => json({ team: c.seed.team.id }),
		bad: () => json({ team: 'Test Team' }),
	},
	{
		name: 'Message > Send Direct Message: a deactivated user',
		kind: 'operation',
		lookups: /^GET \/api\/v4\/users\/[a-z0-9]{26}$/,
		field: /^User "gone-case\d+" is deactivated$/,
		fix: /a deactivated user cannot read it\. Reactivate the account .*or choose an active user/,
		setup: (c) => {
			const gone = c.mm.createUser({ username: `gone-${c.tag}`, delete_at: Date.now() - 1000 });
			c.extra.gone = gone.id;
		},
		parameters: () => ({ resource: 'message', operation: 'sendDirectMessage', userId: rl('={{ $json.user }}'), message: '={{ $json.message }}' }),
		good: (c, n) => json({ user: [c.seed.alice.id, c.seed.bob.id][n % 2], message: `good ${c.tag} ${n}` }),
		bad: (c) => json({ user: c.extra.gone as string, message: `bad ${c.tag}` }),
		held: postHeld,
	},
	{
		name: 'Message > Send Direct Message: an unknown username — 404',
		kind: 'api',
		httpCode: '404',
		field: /user/i,
		fix: /found no user named "ghost-of-nobody"\. Check the ID/,
		parameters: () => ({ resource: 'message', operation: 'sendDirectMessage', userId: rl('={{ $json.user }}', 'username'), message: '={{ $json.message }}' }),
		good: (c, n) => json({ user: 'alice', message: `good ${c.tag} ${n}` }),
		bad: (c) => json({ user: 'ghost-of-nobody', message: `bad ${c.tag}` }),
		held: postHeld,
	},
	// ---------------------------------------------------------------- Reaction
	{
		name: 'Reaction > Add: an emoji name with a space',
		kind: 'operation',
		field: /^Emoji "thumbs up" is not an emoji name$/,
		fix: /as Mattermost shows it in the emoji picker, e\.g\. thumbsup.*no spaces/,
		setup: (c) => {
			c.extra.post = c.mm.createPost({ channel_id: c.seed.channels.offTopic.id, user_id: c.seed.alice.id, message: `react ${c.tag}` }).id;
		},
		parameters: () => ({ resource: 'reaction', operation: 'add', postId: rl('={{ $json.post }}'), emojiName: '={{ $json.emoji }}' }),
		good: (c, n) => json({ post: c.extra.post as string, emoji: ['tada', 'rocket', 'eyes'][n] }),
		bad: (c) => json({ post: c.extra.post as string, emoji: 'thumbs up' }),
		held: (c, item) =>
			c.mm.state.reactionsFor(item.json.post).some((r: any) => r.emoji_name === item.json.emoji && r.user_id === c.seed.bot.id),
	},
	{
		name: 'Reaction > Add: an emoji character instead of its name',
		kind: 'operation',
		field: /^Emoji "👍" is not an emoji name$/,
		fix: /no emoji characters/,
		parameters: () => ({ resource: 'reaction', operation: 'add', postId: rl('={{ $json.post }}'), emojiName: '={{ $json.emoji }}' }),
		good: (c) => json({ post: c.mm.postsIn(c.seed.channels.offTopic.id)[0].id, emoji: ':+1:' }),
		bad: (c) => json({ post: c.mm.postsIn(c.seed.channels.offTopic.id)[0].id, emoji: '👍' }),
	},
	{
		name: 'Reaction > Add: an unknown post — 404',
		kind: 'api',
		httpCode: '404',
		field: /post/i,
		fix: new RegExp(`found no post ${MISSING}\\. Check the ID`),
		setup: (c) => {
			c.extra.posts = [0, 1, 2].map((n) =>
				c.mm.createPost({ channel_id: c.seed.channels.townSquare.id, user_id: c.seed.alice.id, message: `react ${c.tag} ${n}` }).id,
			);
		},
		parameters: () => ({ resource: 'reaction', operation: 'add', postId: rl('={{ $json.post }}'), emojiName: 'white_check_mark' }),
		good: (c, n) => json({ post: (c.extra.posts as string[])[n] }),
		bad: () => json({ post: MISSING }),
		held: (c, item) =>
			c.mm.state.reactionsFor(item.json.post).some((r: any) => r.emoji_name === 'white_check_mark' && r.user_id === c.seed.bot.id),
	},
	{
		name: 'Reaction > Remove: a post ID of the wrong shape (a permalink without an ID)',
		kind: 'operation',
		field: /^Post "https:\/\/mattermost\.example\.com\/test-team\/pl\/" is not a Mattermost ID$/,
		fix: /post ID is 26 lowercase letters and digits/,
		parameters: () => ({ resource: 'reaction', operation: 'remove', postId: rl('={{ $json.post }}'), emojiName: 'tada' }),
		good: (c) => json({ post: c.mm.postsIn(c.seed.channels.offTopic.id)[0].id }),
		bad: () => json({ post: 'https://mattermost.example.com/test-team/pl/' }),
	},
	limitCase('Reaction > Get Many: Limit -1', (c) => ({ resource: 'reaction', operation: 'getMany', postId: rl(c.mm.postsIn(c.seed.channels.townSquare.id)[0].id) }), -1),
	// ---------------------------------------------------------------- Channel
	{
		name: 'Channel > Get: an unknown channel — 404',
		kind: 'api',
		httpCode: '404',
		field: /channel/i,
		fix: new RegExp(`found no channel ${MISSING}\\. Check the ID`),
		parameters: () => ({ resource: 'channel', operation: 'get', channelId: rl('={{ $json.channel }}') }),
		good: (c) => json({ channel: c.seed.channels.townSquare.id }),
		bad: () => json({ channel: MISSING }),
	},
	{
		name: 'Channel > Get by Team and Name: a channel that belongs to another team — 404',
		kind: 'api',
		httpCode: '404',
		field: /channel/i,
		fix: /found no channel named "other-private" in team [a-z0-9]{26}\. Check the ID/,
		parameters: (c) => ({
			resource: 'channel',
			operation: 'get',
			lookUpBy: 'teamAndName',
			teamId: rl(c.seed.team.id),
			channelName: '={{ $json.name }}',
		}),
		good: () => json({ name: 'off-topic' }),
		bad: () => json({ name: 'other-private' }),
		token: 'admin',
	},
	{
		name: 'Channel > Get by Team and Name: a display name instead of the URL name',
		kind: 'operation',
		field: /^Channel Name "Town Square" is not a valid channel name$/,
		fix: /lowercase letters, digits, "-" and "_".*e\.g\. release-notes.*last part of the channel's URL/,
		parameters: (c) => ({ resource: 'channel', operation: 'get', lookUpBy: 'teamAndName', teamId: rl(c.seed.team.id), channelName: '={{ $json.name }}' }),
		good: () => json({ name: 'town-square' }),
		bad: () => json({ name: 'Town Square' }),
	},
	limitCase('Channel > Get Many (channels I belong to): Limit 0', (c) => ({ resource: 'channel', operation: 'getAll', teamId: rl(c.seed.team.id), scope: 'mine' }), 0),
	limitCase('Channel > Get Members: Limit -10', (c) => ({ resource: 'channel', operation: 'getMembers', channelId: rl(c.seed.channels.townSquare.id) }), -10),
	{
		name: 'Channel > Add Member: a deactivated user',
		kind: 'operation',
		lookups: /^GET \/api\/v4\/users\/[a-z0-9]{26}$/,
		field: /^User "gone-case\d+" is deactivated$/,
		fix: /does not add deactivated users to channels\. Reactivate the account/,
		setup: (c) => {
			const gone = c.mm.createUser({ username: `gone-${c.tag}`, delete_at: Date.now() - 1000 });
			c.mm.addTeamMember(c.seed.team.id, gone.id);
			c.extra.gone = gone.id;
			c.extra.users = [0, 1, 2].map((n) => {
				const user = c.mm.createUser({ username: `joiner-${c.tag}-${n}` });
				c.mm.addTeamMember(c.seed.team.id, user.id);
				return user.id;
			});
		},
		parameters: (c) => ({ resource: 'channel', operation: 'addMember', channelId: rl(c.seed.channels.offTopic.id), userId: rl('={{ $json.user }}') }),
		good: (c, n) => json({ user: (c.extra.users as string[])[n] }),
		bad: (c) => json({ user: c.extra.gone as string }),
		held: (c, item) => !!c.mm.state.channelMember(c.seed.channels.offTopic.id, item.json.user),
	},
	{
		name: "Channel > Add Member: a user outside the channel's team — 404",
		kind: 'api',
		httpCode: '404',
		field: /member|user/i,
		fix: /user [a-z0-9]{26} in the channel's team \(add the user to the team first: Team > Add Member\)/,
		setup: (c) => {
			c.extra.outsider = c.mm.createUser({ username: `outsider-${c.tag}` }).id;
			c.extra.users = [0, 1, 2].map((n) => {
				const user = c.mm.createUser({ username: `insider-${c.tag}-${n}` });
				c.mm.addTeamMember(c.seed.team.id, user.id);
				return user.id;
			});
		},
		parameters: (c) => ({ resource: 'channel', operation: 'addMember', channelId: rl(c.seed.channels.offTopic.id), userId: rl('={{ $json.user }}') }),
		good: (c, n) => json({ user: (c.extra.users as string[])[n] }),
		bad: (c) => json({ user: c.extra.outsider as string }),
		held: (c, item) => !!c.mm.state.channelMember(c.seed.channels.offTopic.id, item.json.user),
	},
	// ---------------------------------------------------------------- User
	{
		name: 'User > Get: an unknown user — 404',
		kind: 'api',
		httpCode: '404',
		field: /user/i,
		fix: new RegExp(`found no user ${MISSING}\\. Check the ID`),
		parameters: () => ({ resource: 'user', operation: 'get', userId: rl('={{ $json.user }}') }),
		good: (c) => json({ user: c.seed.alice.id }),
		bad: () => json({ user: MISSING }),
	},
	{
		name: 'User > Get: a user ID of the wrong shape (upper case)',
		kind: 'operation',
		field: /^User "ABCDEFGHIJKLMNOPQRSTUVWXYZ" is not a Mattermost ID$/,
		fix: /A Mattermost user ID is 26 lowercase letters and digits/,
		parameters: () => ({ resource: 'user', operation: 'get', userId: rl('={{ $json.user }}') }),
		good: (c) => json({ user: c.seed.alice.id }),
		bad: () => json({ user: MISSING.toUpperCase() }),
	},
	{
		name: 'User > Get by email: not an email address',
		kind: 'operation',
		field: /^Email "alice-at-example\.com" is not an email address$/,
		fix: /e\.g\. alice@example\.com, or pick the user from the list/,
		parameters: () => ({ resource: 'user', operation: 'get', userId: rl('={{ $json.email }}', 'email') }),
		good: () => json({ email: 'alice@example.com' }),
		bad: () => json({ email: 'alice-at-example.com' }),
	},
	{
		name: 'User > Get Many: an In Team filter of the wrong shape',
		kind: 'operation',
		field: /^In Team "test-team" is not a Mattermost ID$/,
		fix: /team ID is 26 lowercase letters and digits/,
		parameters: () => ({ resource: 'user', operation: 'getAll', filters: { inTeam: '={{ $json.team }}' } }),
		good: (c) => json({ team: c.seed.team.id }),
		bad: () => json({ team: 'test-team' }),
	},
	limitCase('User > Get Many: Limit 0', () => ({ resource: 'user', operation: 'getAll' }), 0),
	{
		name: 'User > Set Custom Status: Clear At that does not parse as a date',
		kind: 'operation',
		token: 'admin',
		field: /^Clear At "next tuesday" is not a date$/,
		fix: /Give a date and time, e\.g\. 2025-06-30T17:00:00/,
		parameters: () => ({
			resource: 'user',
			operation: 'setCustomStatus',
			userId: rl('={{ $json.user }}'),
			text: '={{ $json.text }}',
			duration: 'date_and_time',
			expiresAt: '={{ $json.until }}',
		}),
		good: (c, n) => json({ user: [c.seed.alice.id, c.seed.bob.id, c.seed.alice.id][n], text: `away ${c.tag} ${n}`, until: '2099-01-01T00:00:00Z' }),
		bad: (c) => json({ user: c.seed.bob.id, text: 'never', until: 'next tuesday' }),
		held: (c, item) => c.mm.state.customStatuses.get(item.json.user)?.text === item.json.text,
	},
	{
		name: 'User > Set Custom Status: an emoji name with a space',
		kind: 'operation',
		field: /^Emoji "palm tree" is not an emoji name$/,
		fix: /without spaces, e\.g\. calendar/,
		parameters: (c) => ({ resource: 'user', operation: 'setCustomStatus', userId: rl(c.seed.alice.id), emoji: '={{ $json.emoji }}', text: 'out' }),
		good: () => json({ emoji: 'palm_tree' }),
		bad: () => json({ emoji: 'palm tree' }),
		token: 'alice',
	},
	// ---------------------------------------------------------------- Team
	{
		name: 'Team > Get: an unknown team — 404',
		kind: 'api',
		httpCode: '404',
		field: /team/i,
		fix: new RegExp(`found no team ${MISSING}\\. Check the ID`),
		parameters: () => ({ resource: 'team', operation: 'get', teamId: rl('={{ $json.team }}') }),
		good: (c) => json({ team: c.seed.team.id }),
		bad: () => json({ team: MISSING }),
	},
	{
		name: 'Team > Get by name: a display name instead of the URL name',
		kind: 'operation',
		field: /^Team Name "Test Team" is not a team name$/,
		fix: /2 to 64 lowercase letters, digits and "-", e\.g\. my-team/,
		parameters: () => ({ resource: 'team', operation: 'get', lookUpBy: 'name', teamName: '={{ $json.name }}' }),
		good: () => json({ name: 'test-team' }),
		bad: () => json({ name: 'Test Team' }),
	},
	limitCase('Team > Get Many (all the token can see): Limit -3', () => ({ resource: 'team', operation: 'getAll', scope: 'all' }), -3, 'admin'),
	limitCase('Team > Get Members: Limit 0', (c) => ({ resource: 'team', operation: 'getMembers', teamId: rl(c.seed.team.id) }), 0),
	// ---------------------------------------------------------------- File
	{
		name: 'File > Get Info: a file ID of the wrong shape',
		kind: 'operation',
		field: /^File ID "report\.pdf" is not a Mattermost ID$/,
		fix: /file ID is 26 lowercase letters and digits.*"file_ids" of a post/,
		setup: (c) => {
			c.extra.file = c.mm.createFile({ user_id: c.seed.bot.id, channel_id: c.seed.channels.townSquare.id, name: 'a.txt', content: Buffer.from('a') }).id;
		},
		parameters: () => ({ resource: 'file', operation: 'getInfo', fileId: '={{ $json.file }}' }),
		good: (c) => json({ file: c.extra.file as string }),
		bad: () => json({ file: 'report.pdf' }),
	},
	{
		name: 'File > Get Info: an unknown file — 404',
		kind: 'api',
		httpCode: '404',
		field: /file/i,
		fix: new RegExp(`found no file ${MISSING}\\. Check the ID`),
		setup: (c) => {
			c.extra.file = c.mm.createFile({ user_id: c.seed.bot.id, channel_id: c.seed.channels.townSquare.id, name: 'b.txt', content: Buffer.from('b') }).id;
		},
		parameters: () => ({ resource: 'file', operation: 'getInfo', fileId: '={{ $json.file }}' }),
		good: (c) => json({ file: c.extra.file as string }),
		bad: () => json({ file: MISSING }),
	},
	{
		name: 'File > Download: an unknown file — 404',
		kind: 'api',
		httpCode: '404',
		field: /file/i,
		fix: new RegExp(`found no file ${MISSING}\\. Check the ID`),
		setup: (c) => {
			c.extra.file = c.mm.createFile({ user_id: c.seed.bot.id, channel_id: c.seed.channels.townSquare.id, name: 'c.txt', content: Buffer.from('c') }).id;
		},
		parameters: () => ({ resource: 'file', operation: 'download', fileId: '={{ $json.file }}' }),
		good: (c) => json({ file: c.extra.file as string }),
		bad: () => json({ file: MISSING }),
	},
	{
		name: 'File > Upload: a binary property the item does not have',
		kind: 'operation',
		field: /^The input item has no binary property "scan"$/,
		fix: /Its binary properties are: "data"\. Enter one of these names/,
		parameters: (c) => ({ resource: 'file', operation: 'upload', channelId: rl(c.seed.channels.townSquare.id), binaryPropertyName: 'scan' }),
		good: (c, n) => ({ json: {}, binary: { scan: inlineBinary(Buffer.from(`scan ${n}`), `scan-${c.tag}-${n}.txt`) } }),
		bad: () => ({ json: {}, binary: { data: inlineBinary(Buffer.from('x'), 'x.txt') } }),
		held: (c, item) => [...c.mm.state.files.values()].some((f: any) => f.name === item.binary?.scan.fileName),
	},
	{
		name: 'File > Upload: an empty file',
		kind: 'operation',
		field: /^The file "nothing\.csv" in binary property "data" is empty$/,
		fix: /does not store empty files\. Check the node that produced the file/,
		parameters: (c) => ({ resource: 'file', operation: 'upload', channelId: rl(c.seed.channels.townSquare.id), binaryPropertyName: 'data' }),
		good: (c, n) => ({ json: {}, binary: { data: inlineBinary(Buffer.from(`rows ${n}`), `rows-${c.tag}-${n}.csv`, 'text/csv') } }),
		bad: () => ({ json: {}, binary: { data: inlineBinary(Buffer.alloc(0), 'nothing.csv', 'text/csv') } }),
		held: (c, item) => [...c.mm.state.files.values()].some((f: any) => f.name === item.binary?.data.fileName),
	},
];

// ------------------------------------------------------------------ the credential: every item fails

interface CredentialCase {
	name: string;
	kind: 'operation' | 'api';
	credentials?: Partial<ICredentialDataDecryptedObject>;
	token?: (seed: Seed) => string;
	field: RegExp;
	fix: RegExp;
	httpCode?: string;
	/** Text no part of the error may contain. */
	secret?: string[];
}

const BASE_URL_FIX = /^Open the Mattermost Suite credential and correct its Base URL\.$/;
const TOKEN_FIX = /^Open the Mattermost Suite credential and paste the token again/;

const credentialCases: CredentialCase[] = [
	{ name: 'Base URL empty', kind: 'operation', credentials: { baseUrl: '' }, field: /^The Base URL of the Mattermost credential is empty\. Use the address you open Mattermost at/, fix: BASE_URL_FIX },
	{ name: 'Base URL with an ftp:// scheme', kind: 'operation', credentials: { baseUrl: 'ftp://mattermost.example.com' }, field: /^The Base URL of the Mattermost credential is not a valid http\(s\) URL: "ftp:\/\/mattermost\.example\.com"/, fix: BASE_URL_FIX },
	{ name: 'Base URL with a space in the host', kind: 'operation', credentials: { baseUrl: 'https://matter most.example.com' }, field: /Base URL of the Mattermost credential is not a valid http\(s\) URL/, fix: BASE_URL_FIX },
	{ name: 'Base URL with a query string', kind: 'operation', credentials: { baseUrl: 'https://mattermost.example.com/?team=x' }, field: /Base URL of the Mattermost credential is not a valid http\(s\) URL/, fix: BASE_URL_FIX },
	{ name: 'Base URL with a scheme and no host', kind: 'operation', credentials: { baseUrl: 'https://' }, field: /Base URL of the Mattermost credential is not a valid http\(s\) URL/, fix: BASE_URL_FIX },
	{ name: 'Base URL with a port that is not a number', kind: 'operation', credentials: { baseUrl: 'https://mattermost.example.com:port' }, field: /Base URL of the Mattermost credential is not a valid http\(s\) URL/, fix: BASE_URL_FIX },
	{ name: 'Access Token empty', kind: 'operation', token: () => '', field: /^The Access Token of the Mattermost credential is empty/, fix: TOKEN_FIX },
	{ name: 'Access Token of spaces only', kind: 'operation', token: () => '   ', field: /^The Access Token of the Mattermost credential is empty/, fix: TOKEN_FIX },
	{
		name: 'Access Token with a space inside (not echoed)',
		kind: 'operation',
		token: () => SPACED_TOKEN,
		field: /^The Access Token of the Mattermost credential contains spaces or a line break/,
		fix: TOKEN_FIX,
		secret: SPACED_TOKEN.split(' '),
	},
	{
		name: 'Access Token with a line break inside (not echoed)',
		kind: 'operation',
		token: () => BROKEN_TOKEN,
		field: /^The Access Token of the Mattermost credential contains spaces or a line break/,
		fix: TOKEN_FIX,
		secret: BROKEN_TOKEN.split('\n'),
	},
	{
		name: 'Access Token pasted with a "Bearer " prefix (not echoed)',
		kind: 'operation',
		token: () => BEARER_TOKEN,
		field: /^The Access Token of the Mattermost credential starts with "Bearer ": remove "Bearer " from the token/,
		fix: TOKEN_FIX,
		secret: [BEARER_TOKEN.split(' ')[1]],
	},
	{
		name: 'Access Token the server does not know — 401 (not echoed)',
		kind: 'api',
		httpCode: '401',
		token: () => WRONG_TOKEN,
		field: /session|token/i,
		fix: /access token is wrong, expired or revoked.*Create a new token and update the credential/,
		secret: [WRONG_TOKEN],
	},
];

// ------------------------------------------------------------------ assertions

function expectClass(error: any, kind: 'operation' | 'api') {
	expect(error).toBeInstanceOf(kind === 'operation' ? NodeOperationError : NodeApiError);
	expect(error).not.toBeInstanceOf(kind === 'operation' ? NodeApiError : NodeOperationError);
}

function tokenFor(seed: Seed, name: Case['token']) {
	return seed.tokens[name ?? 'bot'];
}

let caseNumber = 0;
function contextFor(testCase: Case): Context {
	const c: Context = { mm: fake.mm, seed: fake.seed, tag: `case${++caseNumber}`, extra: {} };
	testCase.setup?.(c);
	return c;
}

describe('bad input catalogue', () => {
	it('has at least 40 cases', () => {
		expect(cases.length + credentialCases.length).toBeGreaterThanOrEqual(40);
		expect(cases.filter((c) => c.held).length).toBeGreaterThanOrEqual(10);
	});

	describe('item inputs (the bad item second: itemIndex 1, the first item done)', () => {
		it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
			const c = contextFor(testCase);
			const token = tokenFor(c.seed, testCase.token);
			const parameters = testCase.parameters(c);
			const good = testCase.good(c, 0);

			const { error } = await run({ parameters, items: [good, testCase.bad(c)], token });
			expectClass(error, testCase.kind);
			expect(error.message).toMatch(testCase.field);
			expect(error.description).toMatch(testCase.fix);
			expect(error.context.itemIndex).toBe(1);
			if (testCase.kind === 'api') expect(error.httpCode).toBe(testCase.httpCode);
			if (testCase.held) expect(testCase.held(c, good)).toBe(true);

			// The bad item alone: what reached the server for it.
			const alone = await run({ parameters, items: [testCase.bad(c)], token });
			expect(alone.error?.message).toBe(error.message);
			expect(alone.error.context.itemIndex).toBe(0);
			if (testCase.kind === 'operation') {
				// Refused before anything was sent (a lookup that tells a user is deactivated aside).
				expect(alone.sent.filter((request) => !testCase.lookups?.test(request))).toEqual([]);
			} else {
				expect(alone.sent.length).toBeGreaterThan(0);
			}
		});
	});

	describe('with continueOnFail, the bad item becomes an error item and the good ones around it are done', () => {
		const subset = cases.filter((testCase) => testCase.held);
		it.each(subset.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
			const c = contextFor(testCase);
			const goods = [testCase.good(c, 1), testCase.good(c, 2)];
			const { output, error } = await run({
				parameters: testCase.parameters(c),
				items: [goods[0], testCase.bad(c), goods[1]],
				token: tokenFor(c.seed, testCase.token),
				continueOnFail: true,
			});
			expect(error).toBeUndefined();
			expect(output).toHaveLength(3);
			const [first, failed, last] = output!;
			expect(failed.json).toEqual({
				error: expect.stringMatching(testCase.field),
				description: expect.stringMatching(testCase.fix),
				itemIndex: 1,
			});
			expect(failed.pairedItem).toEqual({ item: 1 });
			for (const [position, item] of [first, last].entries()) {
				expect(item.json.error).toBeUndefined();
				expect(item.pairedItem).toEqual({ item: position * 2 });
				expect(testCase.held!(c, goods[position])).toBe(true);
			}
		});
	});

	describe('the credential (known for every item: the first one fails)', () => {
		it.each(credentialCases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
			const { seed } = fake;
			const parameters = { resource: 'message', operation: 'post', channelId: rl(seed.channels.townSquare.id), message: 'never sent' };
			const { error, sent: requests } = await run({
				parameters,
				items: [json({}), json({})],
				token: testCase.token ? testCase.token(seed) : seed.tokens.bot,
				credentials: testCase.credentials,
			});
			expectClass(error, testCase.kind);
			expect(error.message).toMatch(testCase.field);
			expect(error.description).toMatch(testCase.fix);
			expect(error.context.itemIndex).toBe(0);
			if (testCase.kind === 'operation') expect(requests).toEqual([]);
			else expect(error.httpCode).toBe(testCase.httpCode);
			const everything = [error.message, error.description, error.stack, JSON.stringify(error), String(error.cause ?? '')].join('\n');
			for (const secret of testCase.secret ?? []) expect(everything).not.toContain(secret);

			// With continueOnFail every item is an error item saying the same.
			const { output } = await run({
				parameters,
				items: [json({}), json({})],
				token: testCase.token ? testCase.token(seed) : seed.tokens.bot,
				credentials: testCase.credentials,
				continueOnFail: true,
			});
			expect(output!.map((item) => [item.json.error, item.json.itemIndex, item.pairedItem])).toEqual([
				[error.message, 0, { item: 0 }],
				[error.message, 1, { item: 1 }],
			]);
		});
	});
});

describe('secrets', () => {
	it('a retried request logs what failed, never the token', async () => {
		const { mm, seed } = fake;
		mm.addFault({ method: 'GET', path: `/api/v4/channels/${seed.channels.townSquare.id}`, status: 503, times: 1 });
		const before = logLines.length;
		const { output } = await run({
			parameters: { resource: 'channel', operation: 'get', channelId: rl(seed.channels.townSquare.id), requestOptions: { maxWaitSeconds: 0.01 } },
			items: [json({})],
		});
		mm.clearFaults();
		expect(output![0].json.id).toBe(seed.channels.townSquare.id);
		expect(logLines.slice(before).join('\n')).toMatch(/failed, attempt 1; retrying/);
	});

	it('no token, good or malformed, appears in any output item, error or log line of the catalogue', () => {
		const { seed } = fake;
		const tokens = [
			...(Object.values(seed.tokens) as string[]),
			...SPACED_TOKEN.split(' '),
			...BROKEN_TOKEN.split('\n'),
			WRONG_TOKEN,
			BEARER_TOKEN.split(' ')[1],
		];
		const texts = produced.map((value) => {
			if (!(value instanceof Error)) return JSON.stringify(value);
			const error = value as any;
			const cause = error.cause;
			return [
				error.message,
				error.description,
				error.stack,
				JSON.stringify(error),
				cause instanceof Error ? `${cause.message}\n${cause.stack}` : JSON.stringify(cause ?? null),
			].join('\n');
		});
		// Every case ran at least twice, the continueOnFail subset and the credential cases more.
		expect(produced.length).toBeGreaterThanOrEqual(2 * (cases.length + credentialCases.length));
		expect(logLines.length).toBeGreaterThan(0);
		for (const text of [...texts, ...logLines]) for (const token of tokens) expect(text).not.toContain(token);
	});
});
