/**
 * Mattermost Suite Trigger, Interactive Action: button and menu callbacks sent by the fake
 * Mattermost when a user clicks (POST /posts/{id}/actions/{action}), the secret check, the
 * update / ephemeral answer; and the action node refusing button ids Mattermost cannot fire.
 */
import { createHash } from 'node:crypto';
import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { MattermostSuiteTrigger } from '../nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node';
import { HARNESS_WORKFLOW_ID, WebhookTrigger, captureLogs, executeNode } from './harness';
import { byId, credentialType, credentialsFor, nodeType as actionNodeType, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();
const nodeType = new MattermostSuiteTrigger();
const logs = captureLogs();

const started: WebhookTrigger[] = [];
afterEach(async () => {
	for (const trigger of started.splice(0)) await trigger.stop();
	logs.splice(0);
});

async function actionTrigger(parameters: Record<string, unknown>) {
	// No credential: the interactive action source needs none.
	const trigger = await WebhookTrigger.start({
		nodeType,
		parameters: { source: 'interactiveAction', ...parameters } as any,
		// The workflow of the action node the buttons come from (test/harness/execute.ts).
		workflowId: HARNESS_WORKFLOW_ID,
	});
	started.push(trigger);
	await trigger.activate();
	return trigger;
}

function postWithActions(url: string, context: Record<string, unknown> = {}) {
	const { mm, seed } = fake;
	return mm.createPost({
		channel_id: seed.channels.townSquare.id,
		user_id: seed.bot.id,
		message: 'Deploy build 42?',
		props: {
			attachments: [
				{
					text: 'Choose',
					actions: [
						{ id: 'approve', type: 'button', name: 'Approve', integration: { url, context: { action: 'approve', build: 42, ...context } } },
						{
							id: 'env1',
							type: 'select',
							name: 'Environment',
							options: [{ text: 'Staging', value: 'staging' }, { text: 'Production', value: 'production' }],
							integration: { url, context: { action: 'env', ...context } },
						},
					],
				},
			],
		},
	});
}

async function click(postId: string, actionId: string, token: string, body: Record<string, unknown> = {}) {
	const response = await fetch(`${fake.mm.apiUrl}/posts/${postId}/actions/${actionId}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json()) as any };
}

describe('Interactive Action', () => {
	it('a button click runs the workflow and the answer updates the message and tells the user', async () => {
		const { mm, seed } = fake;
		const trigger = await actionTrigger({
			secret: 's3cret-value',
			actionResponse: {
				updateMessage: '=Approved by @{{ $json.user_name }}',
				updateProps: '{"attachments": [{"text": "Deployed", "color": "good"}]}',
				ephemeralText: 'Thanks!',
			},
		});
		expect(trigger.webhooks.map((w) => w.httpMethod)).toEqual(['POST']);
		const post = postWithActions(trigger.url(), { secret: 's3cret-value' });

		const result = await click(post.id, 'approve', seed.tokens.alice);
		expect(result).toMatchObject({ status: 200, json: { status: 'OK', trigger_id: expect.any(String) } });
		const [call] = trigger.calls;
		expect(call.headers['content-type']).toBe('application/json');
		expect(call.output![0][0].json).toEqual({
			user_id: seed.alice.id,
			user_name: 'alice',
			post_id: post.id,
			channel_id: seed.channels.townSquare.id,
			channel_name: 'town-square',
			team_id: seed.team.id,
			team_domain: seed.team.name,
			trigger_id: result.json.trigger_id,
			type: 'button',
			data_source: '',
			// The secret is checked, then left out of the execution data.
			context: { action: 'approve', build: 42 },
			selected_option: '',
		});
		expect(JSON.parse(call.responseText)).toEqual({
			ephemeral_text: 'Thanks!',
			update: { message: 'Approved by @alice', props: { attachments: [{ text: 'Deployed', color: 'good' }] } },
		});
		const stored = mm.state.posts.get(post.id);
		expect(stored.message).toBe('Approved by @alice');
		expect(stored.props).toEqual({ attachments: [{ text: 'Deployed', color: 'good' }] });
		expect(mm.state.ephemeralPosts.at(-1)).toMatchObject({ user_id: seed.alice.id, post: { message: 'Thanks!' } });
	});

	it('a menu choice arrives as selected_option; without response fields the message stays', async () => {
		const { mm, seed } = fake;
		const trigger = await actionTrigger({});
		const post = postWithActions(trigger.url());
		const result = await click(post.id, 'env1', seed.tokens.alice, { selected_option: 'production' });
		expect(result.status).toBe(200);
		expect(trigger.calls[0].output![0][0].json).toMatchObject({
			type: 'select',
			selected_option: 'production',
			context: { action: 'env', selected_option: 'production' },
		});
		expect(JSON.parse(trigger.calls[0].responseText)).toEqual({});
		expect(mm.state.posts.get(post.id).message).toBe('Deploy build 42?');
	});

	it('a call without the secret, or with another one, gets 401 and starts nothing', async () => {
		const { mm, seed } = fake;
		const trigger = await actionTrigger({ secret: 's3cret-value', actionResponse: { updateMessage: 'changed' } });
		const wrong = postWithActions(trigger.url(), { secret: 'guess' });
		const none = postWithActions(trigger.url());
		expect((await click(wrong.id, 'approve', seed.tokens.alice)).status).toBe(400);
		expect((await click(none.id, 'approve', seed.tokens.alice)).status).toBe(400);
		expect(trigger.calls.map((c) => [c.status, c.started])).toEqual([
			[401, false],
			[401, false],
		]);
		expect(mm.state.posts.get(wrong.id).message).toBe('Deploy build 42?');
		expect(logs.map((l) => l.message)).toEqual(
			Array(2).fill('Mattermost Suite Trigger refused a call: the action context carries no matching secret'),
		);
	});

	it('refuses invalid Update Props with a clear error', async () => {
		const { seed } = fake;
		const trigger = await actionTrigger({ actionResponse: { updateMessage: 'x', updateProps: '{oops' } });
		const post = postWithActions(trigger.url());
		expect((await click(post.id, 'approve', seed.tokens.alice)).status).toBe(400);
		expect(trigger.calls[0]).toMatchObject({ status: 500, started: false });
		expect(trigger.calls[0].error!.message).toBe('Update Props (JSON) is not valid JSON');
	});
});

describe('Message > Post: action ids', () => {
	it('refuses button ids that are not purely letters and digits, before sending anything', async () => {
		const { mm, seed } = fake;
		const count = mm.requests.length;
		for (const id of ['approve_1', 'go-now', 'two words', 7]) {
			await expect(
				runNode(
					mm,
					{
						resource: 'message',
						operation: 'post',
						channelId: byId(seed.channels.townSquare.id),
						message: 'Approve?',
						options: {
							attachmentsJson: JSON.stringify([
								{ text: 'x', actions: [{ id: 'fine1', name: 'Fine', integration: { url: 'https://n8n.example.com/webhook/x' } }, { id, name: 'Bad' }] },
							]),
						},
					},
					{ token: seed.tokens.bot },
				),
			).rejects.toMatchObject({
				message: `Attachment 1: Action 2 has the ID "${id}", which Mattermost can never trigger`,
				description: expect.stringContaining('letters and digits only'),
			});
		}
		expect(mm.requests.length).toBe(count);

		// Letters and digits (or no id: the server makes one) are posted.
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(seed.channels.townSquare.id),
				message: 'Approve?',
				options: { attachmentsJson: JSON.stringify([{ actions: [{ id: 'Approve2', name: 'Approve' }, { name: 'No id' }] }]) },
			},
			{ token: seed.tokens.bot },
		);
		expect((item.json.props as any).attachments[0].actions.map((a: any) => a.id)).toEqual(['Approve2', undefined]);
	});
});

describe('Message > Post: buttons that come back to the trigger', () => {
	/** The part of the URL n8n derives from the workflow ID and the secret (computed here on its own). */
	const digest = (secret: string) => createHash('sha256').update(`${HARNESS_WORKFLOW_ID}:${secret}`).digest('hex').slice(0, 32);

	function triggerNode(name: string, parameters: INodeParameters): INode {
		return {
			id: `trigger-${name}`,
			name,
			type: nodeType.description.name,
			typeVersion: 1,
			position: [0, 300],
			webhookId: `webhook-id-of-${name.replace(/\W/g, '')}`,
			parameters,
		};
	}

	/**
	 * Message > Post in a workflow that also holds these trigger nodes, with no static data at all
	 * (what a queue-mode worker has). `baseUrl` is n8n's instance URL.
	 */
	async function postWithButtons(
		buttons: Array<Record<string, unknown>>,
		triggers: INode[],
		options: { baseUrl?: string; items?: INodeExecutionData[]; continueOnFail?: boolean; message?: string } = {},
	) {
		const { mm, seed } = fake;
		const { output } = await executeNode({
			nodeType: actionNodeType,
			parameters: {
				resource: 'message',
				operation: 'post',
				channelId: byId(seed.channels.townSquare.id),
				message: options.message ?? 'Deploy build 42?',
				attachments: { attachment: [{ text: 'Choose', buttons: { button: buttons } }] } as INodeParameters,
			},
			credentials: credentialsFor(mm, seed.tokens.bot),
			credentialTypes: [credentialType],
			items: options.items,
			continueOnFail: options.continueOnFail,
			otherNodes: triggers.map((node) => ({ nodeType, node })),
			additionalData: options.baseUrl ? { instanceBaseUrl: `${options.baseUrl}/` } : {},
		});
		return output[0];
	}

	it('the node derives the trigger\'s production URL and secret from the workflow, without static data; a click reaches the trigger', async () => {
		const { mm, seed } = fake;
		const trigger = await actionTrigger({
			secret: 's3cret-value',
			actionResponse: { updateMessage: '=Approved by @{{ $json.user_name }}' },
		});
		const baseUrl = new URL(trigger.url()).origin;
		// n8n evaluates the trigger's webhook path itself: the workflow ID and a digest of it and the secret.
		expect(trigger.url()).toBe(`${baseUrl}/webhook/mattermost-suite/${HARNESS_WORKFLOW_ID}/${digest('s3cret-value')}`);
		// Activation keeps nothing in static data.
		expect(JSON.parse(JSON.stringify(trigger.workflow.staticData))).toEqual({});

		mm.clearRequests();
		const [item] = await postWithButtons(
			[
				{ name: 'Approve', style: 'primary', context: '{"build": 42}' },
				{ name: 'Reject it!', id: 'no', target: 'trigger', triggerNode: 'Mattermost Suite Trigger' },
			],
			[trigger.node],
			{ baseUrl },
		);
		const sent = mm.requests.find((r: any) => r.method === 'POST' && r.path === '/api/v4/posts');
		expect(sent.body.props.attachments).toEqual([
			{
				text: 'Choose',
				actions: [
					{
						id: 'Approve',
						type: 'button',
						name: 'Approve',
						style: 'primary',
						integration: { url: trigger.url(), context: { build: 42, secret: 's3cret-value', action: 'Approve' } },
					},
					{
						id: 'no',
						type: 'button',
						name: 'Reject it!',
						style: 'default',
						integration: { url: trigger.url(), context: { secret: 's3cret-value', action: 'no' } },
					},
				],
			},
		]);
		const postId = item.json.id as string;

		const result = await click(postId, 'Approve', seed.tokens.alice);
		expect(result.status).toBe(200);
		expect(trigger.calls).toHaveLength(1);
		expect(trigger.calls[0].status).toBe(200);
		expect(trigger.calls[0].output![0][0].json).toMatchObject({
			user_name: 'alice',
			post_id: postId,
			context: { build: 42, action: 'Approve' },
		});
		expect(mm.state.posts.get(postId).message).toBe('Approved by @alice');
	});

	it('without a Secret the trigger keeps its <webhook ID>/webhook URL, and buttons for it are refused with what to do', async () => {
		const { mm } = fake;
		const trigger = await actionTrigger({});
		expect(trigger.url()).toMatch(/\/webhook\/5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\/webhook$/);
		const count = mm.requests.length;
		await expect(postWithButtons([{ name: 'Approve' }], [trigger.node])).rejects.toMatchObject({
			message: 'Attachment 1, button 1 "Approve": the trigger "Mattermost Suite Trigger" has no Secret',
			description: expect.stringContaining('Set a Secret in the trigger'),
			context: { itemIndex: 0 },
		});
		expect(mm.requests.length).toBe(count);
	});

	it('picks the trigger by name, and says what is wrong with a missing node or another kind of node', async () => {
		const { mm } = fake;
		const triggers = [
			triggerNode('Approvals', { source: 'interactiveAction', secret: 'abc' }),
			triggerNode('Deploys', { source: 'interactiveAction', secret: 'xyz' }),
			triggerNode('Posts', { source: 'outgoingWebhook' }),
		];
		const [item] = await postWithButtons([{ name: 'Go', triggerNode: 'Deploys' }], triggers);
		expect((item.json.props as any).attachments[0].actions[0].integration).toEqual({
			url: `http://localhost:5678/webhook/mattermost-suite/${HARNESS_WORKFLOW_ID}/${digest('xyz')}`,
			context: { secret: 'xyz', action: 'Go' },
		});

		const count = mm.requests.length;
		await expect(postWithButtons([{ name: 'Go' }], triggers)).rejects.toMatchObject({
			message: 'Attachment 1, button 1 "Go": this workflow has no node named "Mattermost Suite Trigger" to send button clicks to',
			description: expect.stringContaining('(empty means "Mattermost Suite Trigger")'),
		});
		await expect(postWithButtons([{ name: 'Go', triggerNode: 'Deploy' }], triggers)).rejects.toMatchObject({
			message: 'Attachment 1, button 1 "Go": this workflow has no node named "Deploy" to send button clicks to',
			description: expect.stringContaining('set Trigger Node Name to its name.'),
		});
		await expect(postWithButtons([{ name: 'Go', triggerNode: 'Posts' }], triggers)).rejects.toMatchObject({
			message: 'Attachment 1, button 1 "Go": the node "Posts" is not a Mattermost Suite Trigger with Source: Interactive Action',
		});
		expect(mm.requests.length).toBe(count);
	});

	it('sends clicks to a pasted URL; refuses a bad URL, a missing label and a repeated ID, each before any request', async () => {
		const { mm } = fake;
		const [item] = await postWithButtons(
			[{ name: 'Open', target: 'url', url: ' https://n8n.example.com/webhook/ccc/webhook ', context: { ticket: 7 } }],
			[],
		);
		expect((item.json.props as any).attachments[0].actions).toEqual([
			{
				id: 'Open',
				type: 'button',
				name: 'Open',
				style: 'default',
				integration: { url: 'https://n8n.example.com/webhook/ccc/webhook', context: { ticket: 7, action: 'Open' } },
			},
		]);

		const count = mm.requests.length;
		const cases: Array<[Array<Record<string, unknown>>, string, string]> = [
			[[{ name: 'Open', target: 'url', url: 'n8n.example.com/hook' }], 'Attachment 1, button 1 "Open": URL "n8n.example.com/hook" is not an http(s) URL', 'Production URL'],
			[[{ name: ' ', target: 'url', url: 'https://x.example.com' }], 'Attachment 1, button 1 has no Label', 'e.g. Approve'],
			[
				[
					{ name: 'Yes', target: 'url', url: 'https://x.example.com' },
					{ name: 'Y-e-s', target: 'url', url: 'https://x.example.com' },
				],
				'Attachment 1: Action 2 has the ID "Yes", which an earlier button or menu of this post has',
				'its own ID',
			],
			[[{ name: 'Ctx', target: 'url', url: 'https://x.example.com', context: '{build: 42}' }], 'Attachment 1, button 1 "Ctx": Context (JSON) is not valid JSON', 'Example'],
		];
		for (const [buttons, message, description] of cases) {
			await expect(postWithButtons(buttons, [])).rejects.toMatchObject({ message, description: expect.stringContaining(description) });
		}
		expect(mm.requests.length).toBe(count);
	});

	it('with continueOnFail a button problem fails its own item only', async () => {
		const { mm, seed } = fake;
		const trigger = await actionTrigger({ secret: 'k' });
		const items = await postWithButtons([{ name: '={{ $json.label }}' }], [trigger.node], {
			baseUrl: new URL(trigger.url()).origin,
			message: '={{ $json.text }}',
			continueOnFail: true,
			items: [{ json: { text: 'first', label: 'Ok' } }, { json: { text: 'second', label: '' } }, { json: { text: 'third', label: 'Fine' } }],
		});
		expect(items.map((i) => i.json.error ?? i.json.message)).toEqual(['first', 'Attachment 1, button 1 has no Label', 'third']);
		expect(items[1].json.itemIndex).toBe(1);
		const posted = mm.postsIn(seed.channels.townSquare.id).filter((p: any) => ['first', 'second', 'third'].includes(p.message));
		expect(posted.map((p: any) => p.props.attachments[0].actions[0].integration.url)).toEqual([trigger.url(), trigger.url()]);
	});
});
