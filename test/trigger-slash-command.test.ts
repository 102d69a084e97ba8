/**
 * Mattermost Suite Trigger, Slash Command: the command created and deleted by the node (or its
 * token pasted), token checks (header and field), both response modes, and "respond later"
 * through response_url.
 */
import { NodeHelpers } from 'n8n-workflow';

import { MattermostSuiteTrigger } from '../nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node';
import { TOKEN_REREAD_AT_KEY } from '../nodes/MattermostSuiteTrigger/helpers/verify';
import { WebhookTrigger, captureLogs } from './harness';
import { byId, credentialType, credentialsFor, useFakeMattermost } from './support';

const fake = useFakeMattermost();
const nodeType = new MattermostSuiteTrigger();
const logs = captureLogs();

const started: WebhookTrigger[] = [];
afterEach(async () => {
	for (const trigger of started.splice(0)) {
		await trigger.deactivate();
		await trigger.stop();
	}
	logs.splice(0);
});

async function commandTrigger(parameters: Record<string, unknown>, options: { token?: string } = {}) {
	const { mm, seed } = fake;
	const trigger = await WebhookTrigger.start({
		nodeType,
		parameters: { source: 'slashCommand', ...parameters } as any,
		credentials: credentialsFor(mm, options.token ?? seed.tokens.admin),
		credentialTypes: [credentialType],
	});
	started.push(trigger);
	return trigger;
}

/** A user typing the command in Mattermost: POST /commands/execute. */
async function execute(token: string, channelId: string, command: string) {
	const response = await fetch(`${fake.mm.apiUrl}/commands/execute`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ channel_id: channelId, command }),
	});
	return { status: response.status, json: (await response.json()) as any };
}

function liveCommands() {
	return [...fake.mm.state.commands.values()].filter((command: any) => command.delete_at === 0);
}

describe('Slash Command', () => {
	it('creates the command on activation, answers in the channel, and deletes it on deactivation', async () => {
		const { mm, seed } = fake;
		const trigger = await commandTrigger({
			createCommand: true,
			teamId: byId(seed.team.id),
			commandTrigger: '/deploy',
			commandOptions: { autocompleteDescription: 'Deploys a branch', autocompleteHint: '[branch]' },
			responseMode: 'in_channel',
			responseText: '=Deploying {{ $json.text }} for @{{ $json.user_name }}',
		});
		expect(trigger.webhooks.map((w) => w.httpMethod)).toEqual(['POST', 'GET']);
		mm.clearRequests();
		await trigger.activate();

		const created = mm.requests.filter((r: any) => r.method === 'POST' && r.path === '/api/v4/commands');
		expect(created).toHaveLength(1);
		expect(created[0].body).toEqual({
			team_id: seed.team.id,
			trigger: 'deploy',
			method: 'P',
			url: trigger.url(),
			display_name: '/deploy (n8n)',
			description: expect.stringContaining('Mattermost Suite Trigger'),
			auto_complete: true,
			auto_complete_desc: 'Deploys a branch',
			auto_complete_hint: '[branch]',
			username: '',
		});
		const [command] = liveCommands();
		expect(trigger.staticData).toEqual({ commandId: command.id, commandToken: command.token });

		const result = await execute(seed.tokens.alice, seed.channels.townSquare.id, '/deploy main');
		expect(result).toMatchObject({ status: 200, json: { response_type: 'in_channel', text: 'Deploying main for @alice' } });
		const [call] = trigger.calls;
		expect(call.headers.authorization).toBe(`Token ${command.token}`);
		const item = call.output![0][0].json;
		expect(item).toEqual({
			command: '/deploy',
			text: 'main',
			user_id: seed.alice.id,
			user_name: 'alice',
			channel_id: seed.channels.townSquare.id,
			channel_name: 'town-square',
			team_id: seed.team.id,
			team_domain: seed.team.name,
			trigger_id: expect.stringMatching(/^[a-z0-9]{26}$/),
			response_url: expect.stringMatching(new RegExp(`^${mm.url}/hooks/commands/[a-z0-9]{26}$`)),
			root_id: '',
		});
		// In-channel replies become posts everybody sees.
		expect(mm.postsIn(seed.channels.townSquare.id).at(-1)).toMatchObject({ message: 'Deploying main for @alice' });

		mm.clearRequests();
		await trigger.deactivate();
		expect(mm.requests.map((r: any) => `${r.method} ${r.path}`)).toEqual([`DELETE /api/v4/commands/${command.id}`]);
		expect(liveCommands()).toHaveLength(0);
		expect(trigger.staticData).toEqual({});
	});

	it('with a pasted token, answers ephemerally and refuses other tokens with 401', async () => {
		const { mm, seed } = fake;
		const trigger = await commandTrigger({ createCommand: false, commandToken: 'pasted-command-token', responseMode: 'ephemeral', responseText: 'Only you see this' });
		await trigger.activate();
		expect(liveCommands()).toHaveLength(0);
		// The command made by hand in Mattermost, with the token pasted into the node.
		const made = await fetch(`${mm.apiUrl}/commands`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${seed.tokens.admin}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ team_id: seed.team.id, trigger: 'status', method: 'P', url: trigger.url() }),
		});
		const command = (await made.json()) as any;

		// Mattermost's real token differs from the pasted one: refused, nothing runs.
		const refused = await execute(seed.tokens.alice, seed.channels.offTopic.id, '/status');
		expect(refused.status).toBe(500);
		expect(trigger.calls[0]).toMatchObject({ status: 401, started: false });
		expect(logs.map((l) => l.message)).toContain('Mattermost Suite Trigger refused a call: the slash command token does not match');

		mm.state.commands.get(command.id).token = 'pasted-command-token';
		const before = mm.postsIn(seed.channels.offTopic.id).length;
		const answered = await execute(seed.tokens.alice, seed.channels.offTopic.id, '/status please');
		expect(answered).toMatchObject({ status: 200, json: { response_type: 'ephemeral', text: 'Only you see this' } });
		expect(trigger.calls[1].output![0][0].json).toMatchObject({ command: '/status', text: 'please' });
		expect(mm.postsIn(seed.channels.offTopic.id)).toHaveLength(before);
		expect(mm.state.ephemeralPosts.at(-1)).toMatchObject({ user_id: seed.alice.id, post: { message: 'Only you see this' } });

		// The token may also come as a form field (no header), and a GET with a query string works too.
		const form = new URLSearchParams({ token: 'pasted-command-token', command: '/status', text: 'x', user_name: 'bob' });
		const posted = await fetch(trigger.url(), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
		expect(posted.status).toBe(200);
		const got = await fetch(`${trigger.url()}?${form}`);
		expect(got.status).toBe(200);
		expect(trigger.calls.slice(2).map((c) => c.output![0][0].json.user_name)).toEqual(['bob', 'bob']);
		const wrongHeader = await fetch(trigger.url(), {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Token not-it' },
			body: form,
		});
		expect(wrongHeader.status).toBe(401);
		expect(trigger.calls.at(-1)).toMatchObject({ started: false, result: { noWebhookResponse: true } });
	});

	it('"respond later": a short ephemeral note now, the real answer through response_url', async () => {
		const { mm, seed } = fake;
		const trigger = await commandTrigger({
			createCommand: true,
			teamId: byId(seed.team.id),
			commandTrigger: 'report',
			responseMode: 'later',
			responseText: 'Working on it…',
		});
		await trigger.activate();
		const result = await execute(seed.tokens.alice, seed.channels.townSquare.id, '/report weekly');
		expect(result.json).toMatchObject({ response_type: 'ephemeral', text: 'Working on it…' });
		const item = trigger.calls[0].output![0][0].json as any;

		// Later in the workflow (an HTTP Request node): POST a CommandResponse to response_url.
		const later = await fetch(item.response_url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ response_type: 'in_channel', text: 'Weekly report: all green' }),
		});
		expect(later.status).toBe(200);
		expect(await later.text()).toBe('ok');
		expect(mm.postsIn(seed.channels.townSquare.id).at(-1)).toMatchObject({ message: 'Weekly report: all green' });

		// Without a note, the immediate answer is empty and shows nothing.
		const quiet = await commandTrigger({
			createCommand: true,
			teamId: byId(seed.team.id),
			commandTrigger: 'quiet',
			responseMode: 'later',
		});
		await quiet.activate();
		const ephemeralBefore = mm.state.ephemeralPosts.length;
		const silent = await execute(seed.tokens.alice, seed.channels.townSquare.id, '/quiet');
		expect(silent.json).toEqual({ response_type: 'ephemeral', text: '' });
		expect(mm.state.ephemeralPosts).toHaveLength(ephemeralBefore);
	});

	it('asks for the credential only where the node calls Mattermost', () => {
		const credential = nodeType.description.credentials![0];
		const shown = (parameters: Record<string, unknown>) => {
			const node = { id: 'n', name: 'n', type: nodeType.description.name, typeVersion: 1, position: [0, 0] as [number, number], parameters: parameters as any };
			const full = NodeHelpers.getNodeParameters(nodeType.description.properties, node.parameters, true, false, node, nodeType.description)!;
			return NodeHelpers.displayParameter(full, credential, node, nodeType.description, full);
		};
		expect(shown({ source: 'events' })).toBe(true);
		expect(shown({ source: 'outgoingWebhook' })).toBe(true);
		expect(shown({ source: 'slashCommand', createCommand: true })).toBe(true);
		expect(shown({ source: 'slashCommand' })).toBe(false);
		expect(shown({ source: 'interactiveAction' })).toBe(false);
	});

	it('reports a clashing trigger word and a bad one', async () => {
		const { seed } = fake;
		const first = await commandTrigger({ createCommand: true, teamId: byId(seed.team.id), commandTrigger: 'clash' });
		await first.activate();
		const second = await commandTrigger({ createCommand: true, teamId: byId(seed.team.id), commandTrigger: 'clash' });
		// n8n 2.41 shows only `message` when a trigger fails to publish: the fix must be there.
		await expect(second.activate()).rejects.toMatchObject({
			message: expect.stringMatching(/^Could not create the slash command in Mattermost: This trigger word is already in use\. Please choose another word\./),
			description: expect.stringMatching(/^Mattermost answered HTTP 400: "This trigger word is already in use\. Please choose another word\."/),
		});
		const bad = await commandTrigger({ createCommand: true, teamId: byId(seed.team.id), commandTrigger: 'two words' });
		await expect(bad.activate()).rejects.toMatchObject({
			message:
				'Command Trigger Word "two words" is not usable. Give one word of at most 128 characters without spaces and without the slash, e.g. deploy',
		});
		const asBot = await commandTrigger({ createCommand: true, teamId: byId(seed.team.id), commandTrigger: 'botcmd' }, { token: seed.tokens.bot });
		await expect(asBot.activate()).rejects.toMatchObject({
			httpCode: '403',
			message:
				'Could not create the slash command in Mattermost: the Mattermost user of credential "mattermostSuiteApi account" lacks the "manage_slash_commands" permission in this team. Ask a Mattermost admin to give that user the permission (e.g. make them a team admin, or allow it for members in System Console > User Management > Permissions), or use a credential whose user has it',
			description: expect.stringMatching(/^Mattermost answered HTTP 403: "You do not have the appropriate permissions\."/),
		});
	});
});

describe('Slash Command: a token regenerated in Mattermost', () => {
	function commandReads(commandId: string) {
		return fake.mm.requests.filter((r: any) => r.method === 'GET' && r.path === `/api/v4/commands/${commandId}`);
	}

	it('the next use with the new token runs the workflow after exactly one re-read; forged calls get 401 with at most one re-read per 30 s', async () => {
		const { mm, seed } = fake;
		const trigger = await commandTrigger({ createCommand: true, teamId: byId(seed.team.id), commandTrigger: 'regen', responseText: 'Done' });
		await trigger.activate();
		const command = liveCommands().find((c: any) => c.trigger === 'regen');
		const oldToken = command.token;
		const regenerated = await fetch(`${mm.apiUrl}/commands/${command.id}/regen_token`, {
			method: 'PUT',
			headers: { Authorization: `Bearer ${seed.tokens.admin}` },
		});
		const { token: newToken } = (await regenerated.json()) as { token: string };
		expect(regenerated.status).toBe(200);
		expect(newToken).toBe(mm.state.commands.get(command.id).token);
		expect(newToken).not.toBe(oldToken);
		mm.clearRequests();

		const result = await execute(seed.tokens.alice, seed.channels.townSquare.id, '/regen now');
		expect(result).toMatchObject({ status: 200, json: { text: 'Done' } });
		expect(trigger.calls[0]).toMatchObject({ status: 200, started: true });
		expect(trigger.calls[0].output![0][0].json).toMatchObject({ command: '/regen', text: 'now' });
		expect(commandReads(command.id)).toHaveLength(1);
		expect(trigger.staticData.commandToken).toBe(newToken);
		expect((await execute(seed.tokens.alice, seed.channels.townSquare.id, '/regen again')).status).toBe(200);
		expect(commandReads(command.id)).toHaveLength(1);

		// Forged calls: every one refused; the last re-read was just now, so none asks Mattermost.
		const forge = (token: string) =>
			fetch(trigger.url(), {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Token ${token}` },
				body: new URLSearchParams({ command: '/regen', text: 'x', user_name: 'mallory' }),
			}).then((response) => response.status);
		const statuses = await Promise.all(Array.from({ length: 50 }, (_, index) => forge(`forged-${index}`)));
		expect(statuses).toEqual(Array(50).fill(401));
		expect(commandReads(command.id)).toHaveLength(1);

		// 30 s later (the test moves the stored time back) one more re-read is allowed, then none.
		const workflowData = trigger.workflow.getStaticData('global', trigger.node);
		workflowData[TOKEN_REREAD_AT_KEY] = Number(workflowData[TOKEN_REREAD_AT_KEY]) - 30_000;
		expect(await Promise.all([forge('forged-a'), forge('forged-b'), forge('forged-c')])).toEqual([401, 401, 401]);
		expect(commandReads(command.id)).toHaveLength(2);
		expect(trigger.calls.filter((c) => c.started)).toHaveLength(2);
		expect(trigger.staticData.commandToken).toBe(newToken);
	});

	it('a pasted token is never re-read: the node cannot know another one', async () => {
		const { mm, seed } = fake;
		const trigger = await commandTrigger({ createCommand: false, commandToken: 'pasted-token' });
		await trigger.activate();
		mm.clearRequests();
		const refused = await fetch(trigger.url(), {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Token other' },
			body: new URLSearchParams({ command: '/x' }),
		});
		expect(refused.status).toBe(401);
		expect(mm.requests).toHaveLength(0);
		expect(trigger.workflow.getStaticData('global', trigger.node)[TOKEN_REREAD_AT_KEY]).toBeUndefined();
	});
});
