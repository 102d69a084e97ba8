import type { INodeParameters } from 'n8n-workflow';
import { byId, byUrl, runInWorkflow, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

function lastRequest(path: string, method = 'POST') {
	const matching = fake.mm.requests.filter((r: any) => r.path === path && r.method === method);
	return matching[matching.length - 1];
}

describe('Message > Post', () => {
	it('posts with field and JSON attachments, props and a thread reply; the server holds it', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const root = mm.createPost({ channel_id: channel.id, user_id: seed.alice.id, message: 'root' });

		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(channel.id),
				message: 'Deploy **done**',
				attachments: {
					attachment: [
						{
							color: '#00ff00',
							title: 'Build 42',
							title_link: 'https://ci.example.com/42',
							text: 'All green',
							fields: { field: [{ title: 'Branch', value: 'main', short: true }] },
						},
					],
				},
				options: {
					attachmentsJson: '[{"text": "from JSON", "color": "warning"}]',
					props: '{"card": "details"}',
					rootId: `${mm.url}/${seed.team.name}/pl/${root.id}`,
				},
			},
			{ token: seed.tokens.bot },
		);

		const sent = lastRequest('/api/v4/posts').body;
		expect(sent).toMatchObject({
			channel_id: channel.id,
			message: 'Deploy **done**',
			root_id: root.id,
			props: {
				card: 'details',
				attachments: [
					{
						color: '#00ff00',
						title: 'Build 42',
						title_link: 'https://ci.example.com/42',
						text: 'All green',
						fields: [{ title: 'Branch', value: 'main', short: true }],
					},
					{ text: 'from JSON', color: 'warning' },
				],
			},
		});
		expect(typeof sent.pending_post_id).toBe('string');
		expect(lastRequest('/api/v4/posts').headers.authorization).toBe(`Bearer ${seed.tokens.bot}`);

		const stored = mm.state.posts.get(item.json.id);
		expect(stored).toMatchObject({ message: 'Deploy **done**', root_id: root.id, user_id: seed.bot.id });
		expect(stored.props.attachments).toHaveLength(2);
		expect(item.json).toMatchObject({ id: stored.id, channel_id: channel.id, message: 'Deploy **done**' });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('resolves a channel given by URL', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byUrl(`${mm.url}/${seed.team.name}/channels/${channel.name}`),
				message: 'by url',
			},
			{ token: seed.tokens.bot },
		);
		expect(item.json.channel_id).toBe(channel.id);
	});

	it('resolves expressions per item and keeps pairedItem, through WorkflowExecute', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const result = await runInWorkflow(
			mm,
			{ resource: 'message', operation: 'post', channelId: byId(channel.id), message: '={{ $json.text }}' },
			{ token: seed.tokens.bot, items: [{ json: { text: 'first' } }, { json: { text: 'second' } }] },
		);
		expect(result.error).toBeUndefined();
		const items = result.output![0];
		expect(items.map((i: any) => i.json.message)).toEqual(['first', 'second']);
		expect(items.map((i: any) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const stored = mm.postsIn(channel.id).map((p: any) => p.message);
		expect(stored.slice(-2)).toEqual(['first', 'second']);
	});

	it('with continueOnFail, one bad item yields an error item and the good ones are posted', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.offTopic;
		const before = mm.postsIn(channel.id).length;
		const items = await runNode(
			mm,
			{ resource: 'message', operation: 'post', channelId: '={{ $json.channel }}', message: '={{ $json.text }}' },
			{
				token: seed.tokens.bot,
				continueOnFail: true,
				items: [
					{ json: { channel: channel.id, text: 'good 1' } },
					{ json: { channel: 'not-an-id', text: 'bad' } },
					{ json: { channel: channel.id, text: 'good 2' } },
				],
			},
		);
		expect(items).toHaveLength(3);
		expect(items[0].json.message).toBe('good 1');
		expect(items[1].json).toMatchObject({ itemIndex: 1, error: 'Channel "not-an-id" is not a Mattermost ID' });
		expect(items[1].json.description).toMatch(/26 lowercase letters and digits/);
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[2].json.message).toBe('good 2');
		expect(mm.postsIn(channel.id).slice(before).map((p: any) => p.message)).toEqual(['good 1', 'good 2']);
	});

	it('without continueOnFail, the bad item stops the run with its index', async () => {
		const { mm, seed } = fake;
		await expect(
			runNode(
				mm,
				{ resource: 'message', operation: 'post', channelId: byId('short'), message: 'x' },
				{ token: seed.tokens.bot },
			),
		).rejects.toMatchObject({ message: 'Channel "short" is not a Mattermost ID', context: { itemIndex: 0 } });
	});

	it('refuses bad attachments and props before sending anything', async () => {
		const { mm, seed } = fake;
		const channelId = byId(seed.channels.townSquare.id);
		const count = mm.requests.length;
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ options: { props: '{not json' } }, /Properties \(JSON\) is not valid JSON/],
			[{ options: { props: '[1,2]' } }, /Properties \(JSON\) must be a JSON object/],
			[{ options: { attachmentsJson: '[1]' } }, /Attachments \(JSON\): entry 1 is not a JSON object/],
			[{ options: { attachmentsJson: '{"color": "greenish"}' } }, /Attachment 1: Color "greenish"/],
			[{ options: { attachmentsJson: '{"title_link": "https://x.example"}' } }, /Title Link needs a Title/],
			[{ options: { rootId: 'nope' } }, /Reply To Post "nope" is not a Mattermost ID/],
			[{ message: 'x'.repeat(16384) }, /at most 16383/],
			[{ message: '' }, /Message is empty and the post has no attachments/],
		];
		for (const [parameters, expected] of cases) {
			await expect(
				runNode(
					mm,
					{ resource: 'message', operation: 'post', channelId, message: 'hi', ...parameters },
					{ token: seed.tokens.bot },
				),
			).rejects.toThrow(expected);
		}
		expect(mm.requests.length).toBe(count);
	});
});

const textFile = (text: string, fileName: string, mimeType = 'text/plain') => ({
	data: Buffer.from(text).toString('base64'),
	mimeType,
	fileName,
});
const sha256 = (text: string | Buffer) => require('crypto').createHash('sha256').update(text).digest('hex');

describe('Message > Post: files, priority, overrides', () => {
	it('uploads binary properties to the channel first and attaches them with given file IDs', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const earlier = mm.createFile({ user_id: seed.bot.id, channel_id: channel.id, name: 'earlier.csv', content: 'a,b\n1,2\n' });
		mm.clearRequests();
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(channel.id),
				message: 'Reports attached',
				options: { binaryPropertyNames: 'report, notes', fileIds: earlier.id },
			},
			{
				token: seed.tokens.bot,
				items: [
					{
						json: {},
						binary: { report: textFile('quarterly numbers', 'report.txt'), notes: textFile('# notes', 'notes.md', 'text/markdown') },
					},
				],
			},
		);

		expect(mm.requests.map((r: any) => `${r.method} ${r.path}`)).toEqual(['POST /api/v4/files', 'POST /api/v4/posts']);
		const upload = mm.requests[0].body;
		expect(upload.order[0]).toBe('channel_id');
		expect(upload.fields.channel_id).toEqual([channel.id]);
		expect(upload.files.map((f: any) => [f.field, f.filename, f.sha256])).toEqual([
			['files', 'report.txt', sha256('quarterly numbers')],
			['files', 'notes.md', sha256('# notes')],
		]);

		const sent = mm.requests[1].body;
		expect(sent.file_ids).toHaveLength(3);
		expect(sent.file_ids[0]).toBe(earlier.id);
		const stored = mm.state.posts.get(item.json.id);
		expect(stored.file_ids).toEqual(sent.file_ids);
		const files = stored.file_ids.map((id: string) => mm.state.files.get(id));
		expect(files.map((f: any) => [f.name, f.post_id, f.user_id])).toEqual([
			['earlier.csv', stored.id, seed.bot.id],
			['report.txt', stored.id, seed.bot.id],
			['notes.md', stored.id, seed.bot.id],
		]);
		expect(files[1].content.toString()).toBe('quarterly numbers');
		expect(item.json.file_ids).toEqual(sent.file_ids);
		expect((item.json.metadata as any).files).toHaveLength(3);
	});

	it('posts files with an empty message', async () => {
		const { mm, seed } = fake;
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(seed.channels.offTopic.id),
				message: '',
				options: { binaryPropertyNames: 'data' },
			},
			{ token: seed.tokens.bot, items: [{ json: {}, binary: { data: textFile('x', 'x.txt') } }] },
		);
		expect(item.json.message).toBe('');
		expect(mm.state.posts.get(item.json.id).file_ids).toHaveLength(1);
	});

	it('refuses more than 10 files and missing binary properties before any request', async () => {
		const { mm, seed } = fake;
		const binary: Record<string, any> = {};
		for (let i = 1; i <= 11; i++) binary[`f${i}`] = textFile(`file ${i}`, `f${i}.txt`);
		const names = Object.keys(binary).join(',');
		const count = mm.requests.length;
		const run = (options: Record<string, unknown>) =>
			runNode(
				mm,
				{ resource: 'message', operation: 'post', channelId: byId(seed.channels.townSquare.id), message: 'files', options: options as INodeParameters },
				{ token: seed.tokens.bot, items: [{ json: {}, binary }] },
			);

		await expect(run({ binaryPropertyNames: names })).rejects.toThrow(
			'11 files are too many for one post; Mattermost attaches at most 10',
		);
		await expect(
			run({ binaryPropertyNames: 'f1,f2,f3,f4,f5,f6,f7,f8,f9', fileIds: `${'a'.repeat(26)}, ${'b'.repeat(26)}` }),
		).rejects.toThrow(/11 files are too many/);
		const missing = await run({ binaryPropertyNames: 'f1, attachment' }).catch((e) => e);
		expect(missing.message).toBe('The input item has no binary property "attachment"');
		expect(missing.description).toMatch(/f1, f2/);
		await expect(run({ fileIds: 'not-a-file' })).rejects.toThrow('File ID "not-a-file" is not a Mattermost ID');
		expect(mm.requests.length).toBe(count);
	});

	it('sends the priority as metadata.priority and the server keeps it', async () => {
		const { mm, seed } = fake;
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(seed.channels.townSquare.id),
				message: 'Production is down',
				options: { priority: 'urgent', requestedAck: true, persistentNotifications: true },
			},
			{ token: seed.tokens.bot },
		);
		const sent = lastRequest('/api/v4/posts').body;
		expect(sent.metadata).toEqual({
			priority: { priority: 'urgent', requested_ack: true, persistent_notifications: true },
		});
		expect(mm.state.posts.get(item.json.id).metadata.priority).toEqual(sent.metadata.priority);
		expect((item.json.metadata as any).priority).toEqual(sent.metadata.priority);

		const [important] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(seed.channels.townSquare.id),
				message: 'Heads up',
				options: { priority: 'important' },
			},
			{ token: seed.tokens.bot },
		);
		expect(lastRequest('/api/v4/posts').body.metadata).toEqual({ priority: { priority: 'important' } });
		expect(mm.state.posts.get(important.json.id).metadata.priority).toEqual({ priority: 'important' });

		// No priority chosen: no metadata at all.
		await runNode(
			mm,
			{ resource: 'message', operation: 'post', channelId: byId(seed.channels.townSquare.id), message: 'plain', options: { priority: 'none' } },
			{ token: seed.tokens.bot },
		);
		expect(lastRequest('/api/v4/posts').body.metadata).toBeUndefined();
	});

	it('refuses a priority on a reply and persistent notifications without Urgent, before any request', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const root = mm.createPost({ channel_id: channel.id, user_id: seed.alice.id, message: 'root' });
		const count = mm.requests.length;
		await expect(
			runNode(
				mm,
				{ resource: 'message', operation: 'post', channelId: byId(channel.id), message: 'x', options: { rootId: root.id, priority: 'important' } },
				{ token: seed.tokens.bot },
			),
		).rejects.toThrow('A reply cannot have a priority');
		await expect(
			runNode(
				mm,
				{ resource: 'message', operation: 'post', channelId: byId(channel.id), message: 'x', options: { rootId: root.id, requestedAck: true } },
				{ token: seed.tokens.bot },
			),
		).rejects.toThrow('A reply cannot have a priority');
		await expect(
			runNode(
				mm,
				{ resource: 'message', operation: 'post', channelId: byId(channel.id), message: 'x', options: { priority: 'important', persistentNotifications: true } },
				{ token: seed.tokens.bot },
			),
		).rejects.toThrow('Persistent Notifications need Priority Urgent');
		expect(mm.requests.length).toBe(count);
	});

	it('an unlicensed server refuses acknowledgements: the error says so', async () => {
		const { mm, seed } = fake;
		mm.config.licensed = false;
		try {
			const error = await runNode(
				mm,
				{ resource: 'message', operation: 'post', channelId: byId(seed.channels.townSquare.id), message: 'ack?', options: { requestedAck: true } },
				{ token: seed.tokens.bot },
			).catch((e) => e);
			expect(error.httpCode).toBe('501');
			expect(error.message).toMatch(/license/i);
		} finally {
			mm.config.licensed = true;
		}
	});

	it('puts Override Username and Override Icon URL into props', async () => {
		const { mm, seed } = fake;
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(seed.channels.townSquare.id),
				message: 'from the build bot',
				options: { overrideUsername: 'Build Bot', overrideIconUrl: 'https://example.com/robot.png', props: '{"card": "c"}' },
			},
			{ token: seed.tokens.bot },
		);
		expect(lastRequest('/api/v4/posts').body.props).toEqual({
			card: 'c',
			override_username: 'Build Bot',
			override_icon_url: 'https://example.com/robot.png',
		});
		expect(mm.state.posts.get(item.json.id).props).toMatchObject({ override_username: 'Build Bot' });

		const count = mm.requests.length;
		await expect(
			runNode(
				mm,
				{ resource: 'message', operation: 'post', channelId: byId(seed.channels.townSquare.id), message: 'x', options: { overrideIconUrl: 'robot.png' } },
				{ token: seed.tokens.bot },
			),
		).rejects.toThrow('Override Icon URL "robot.png" is not an http(s) URL');
		expect(mm.requests.length).toBe(count);
	});
});
