import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isNotFound, mattermostApiRequest, mattermostError } from '../../MattermostSuite/transport';
import { teamIdOf } from '../../MattermostSuite/helpers/resolve';
import { answerParameter } from '../helpers/itemExpression';
import { accept, field, refuse, requestFields, rereadToken, secretsMatch } from '../helpers/verify';

/** What the workflow's static data keeps about the command the node created. */
interface StoredCommand {
	commandId?: string;
	commandToken?: string;
}

interface DesiredCommand {
	team_id: string;
	trigger: string;
	method: 'P';
	url: string;
	display_name: string;
	description: string;
	auto_complete: boolean;
	auto_complete_desc: string;
	auto_complete_hint: string;
	username: string;
}

const OUTPUT_FIELDS = [
	'command',
	'text',
	'user_id',
	'user_name',
	'channel_id',
	'channel_name',
	'team_id',
	'team_domain',
	'trigger_id',
	'response_url',
	'root_id',
];

function managed(ctx: IHookFunctions | IWebhookFunctions): boolean {
	return ctx.getNodeParameter('createCommand', false) === true;
}

async function desiredCommand(ctx: IHookFunctions): Promise<DesiredCommand> {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n gave no webhook URL for this node');
	const trigger = String(ctx.getNodeParameter('commandTrigger', '')).trim().replace(/^\//, '');
	if (!trigger || /\s/.test(trigger) || trigger.length > 128) {
		throw new NodeOperationError(ctx.getNode(), `Command Trigger Word "${trigger}" is not usable`, {
			description: 'Give one word of at most 128 characters without spaces and without the slash, e.g. deploy.',
		});
	}
	const teamId = await teamIdOf(ctx, ctx.getNodeParameter('teamId'));
	const options = ctx.getNodeParameter('commandOptions', {}) as IDataObject;
	const text = (key: string) => (typeof options[key] === 'string' ? (options[key] as string).trim() : '');
	return {
		team_id: teamId,
		trigger,
		method: 'P',
		url,
		display_name: text('displayName') || `/${trigger} (n8n)`,
		description: `Created by the Mattermost Suite Trigger of n8n workflow ${ctx.getWorkflow().id ?? ''}`,
		auto_complete: text('autocompleteDescription') !== '' || text('autocompleteHint') !== '',
		auto_complete_desc: text('autocompleteDescription'),
		auto_complete_hint: text('autocompleteHint'),
		username: text('username'),
	};
}

export async function slashCommandExists(this: IHookFunctions): Promise<boolean> {
	if (!managed(this)) return true;
	const stored = this.getWorkflowStaticData('node') as StoredCommand;
	if (!stored.commandId) return false;
	let command: IDataObject;
	try {
		command = await mattermostApiRequest.call(this, 'GET', `/commands/${stored.commandId}`, {
			subject: `slash command ${stored.commandId}`,
		});
	} catch (error) {
		if (isNotFound(error)) return false;
		throw mattermostError(this.getNode(), error);
	}
	const desired = await desiredCommand(this);
	const same =
		command.team_id === desired.team_id &&
		command.trigger === desired.trigger &&
		command.url === desired.url &&
		command.method === desired.method;
	if (same && typeof command.token === 'string' && command.token) stored.commandToken = command.token;
	return same;
}

async function deleteStoredCommand(ctx: IHookFunctions, stored: StoredCommand): Promise<void> {
	if (!stored.commandId) return;
	try {
		await mattermostApiRequest.call(ctx, 'DELETE', `/commands/${stored.commandId}`, {
			subject: `slash command ${stored.commandId}`,
		});
	} catch (error) {
		if (!isNotFound(error)) throw mattermostError(ctx.getNode(), error);
	}
	delete stored.commandId;
	delete stored.commandToken;
}

export async function createSlashCommand(this: IHookFunctions): Promise<boolean> {
	if (!managed(this)) return true;
	const stored = this.getWorkflowStaticData('node') as StoredCommand;
	const desired = await desiredCommand(this);
	await deleteStoredCommand(this, stored);
	const command = (await mattermostApiRequest.call(this, 'POST', '/commands', {
		body: { ...desired },
	})) as IDataObject;
	stored.commandId = command.id as string;
	stored.commandToken = command.token as string;
	return true;
}

export async function deleteSlashCommand(this: IHookFunctions): Promise<boolean> {
	const stored = this.getWorkflowStaticData('node') as StoredCommand;
	// Also after "Create Command" was switched off: a command created earlier is not left behind.
	await deleteStoredCommand(this, stored);
	return true;
}

/** The token of the call: `Authorization: Token …` (what Mattermost sends), else the `token` field. */
function presentedToken(ctx: IWebhookFunctions, fields: IDataObject): string {
	const header = ctx.getHeaderData().authorization;
	const match = typeof header === 'string' ? /^token\s+(\S+)\s*$/i.exec(header) : null;
	return match ? match[1] : field(fields, 'token');
}

/**
 * Whether a call carries the token of the command the node created. After a mismatch the token is
 * re-read from Mattermost (an admin may have regenerated it there) and stored, at most once per
 * 30 s per workflow.
 */
async function carriesCommandToken(ctx: IWebhookFunctions, token: string): Promise<boolean> {
	const stored = ctx.getWorkflowStaticData('node') as StoredCommand;
	if (secretsMatch(stored.commandToken, token)) return true;
	if (!stored.commandId || token === '') return false;
	const commandId = stored.commandId;
	const current = await rereadToken(ctx, 'slash command', async () =>
		await mattermostApiRequest.call(ctx, 'GET', `/commands/${commandId}`, { subject: `slash command ${commandId}` }),
	);
	if (current === undefined) return false;
	if (current !== stored.commandToken) stored.commandToken = current;
	return secretsMatch(current, token);
}

export async function receiveSlashCommand(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const fields = requestFields(this);
	const token = presentedToken(this, fields);
	const expected = managed(this)
		? (this.getWorkflowStaticData('node') as StoredCommand).commandToken
		: String(this.getNodeParameter('commandToken', '')).trim();
	const matches = managed(this) ? await carriesCommandToken(this, token) : secretsMatch(expected, token);
	if (!matches) {
		return refuse(this, expected ? 'the slash command token does not match' : 'no command token is known to the node');
	}
	const item: IDataObject = {};
	for (const key of OUTPUT_FIELDS) item[key] = field(fields, key);

	const mode = this.getNodeParameter('responseMode', 'ephemeral') as string;
	const text = String(answerParameter(this, 'responseText', item) ?? '');
	const response: IDataObject = {};
	if (text.trim() !== '') {
		response.response_type = mode === 'in_channel' ? 'in_channel' : 'ephemeral';
		response.text = text;
	}
	return accept(this, item, response);
}
