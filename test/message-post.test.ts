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
