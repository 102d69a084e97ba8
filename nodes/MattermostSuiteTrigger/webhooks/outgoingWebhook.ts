import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isNotFound, mattermostApiRequest, mattermostError } from '../../MattermostSuite/transport';
import { channelIdOf, locatorValue, teamIdOf } from '../../MattermostSuite/helpers/resolve';
import { answerParameter } from '../helpers/itemExpression';
import { accept, field, ignore, isFormEncoded, refuse, requestFields, rereadToken, secretsMatch } from '../helpers/verify';

/** Trigger When values: Mattermost's own two (first word) and the node's whole-text match. */
const FIRST_WORD_STARTS_WITH = 1;
const ANYWHERE = 2;

/** What the workflow's static data keeps about the webhook the node created. */
interface StoredHook {
	hookId?: string;
	hookToken?: string;
	hookUrl?: string;
}

interface DesiredHook {
	team_id: string;
	channel_id: string;
	trigger_words: string[];
	trigger_when: number;
	callback_urls: string[];
	content_type: 'application/json';
	display_name: string;
	description: string;
}

export function splitWords(text: unknown): string[] {
	return String(text ?? '')
		.split(/[,\n]/)
		.map((word) => word.trim())
		.filter(Boolean);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The first trigger word found anywhere in the text as a whole word, in any case; '' when no
 * word was asked for (every post counts), undefined when none matches.
 */
export function triggerWordAnywhere(text: string, words: string[]): string | undefined {
	if (words.length === 0) return '';
	return words.find((word) =>
		new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(word)}(?=$|[^\\p{L}\\p{N}_])`, 'iu').test(text),
	);
}

async function desiredHook(ctx: IHookFunctions): Promise<DesiredHook> {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n gave no webhook URL for this node');
	const teamId = await teamIdOf(ctx, ctx.getNodeParameter('teamId'));
	const channel = ctx.getNodeParameter('channelId', '');
	const channelId = locatorValue(channel).value === '' ? '' : await channelIdOf(ctx, channel);
	const triggerWords = splitWords(ctx.getNodeParameter('triggerWords', ''));
	const triggerWhen = Number(ctx.getNodeParameter('triggerWhen', 0));
	if (triggerWhen === ANYWHERE && !channelId) {
		throw new NodeOperationError(ctx.getNode(), 'Trigger When "Anywhere in the Message" needs a channel', {
			description:
				'Mattermost only matches the first word of a post. For Anywhere it sends every post of one channel and the node looks for the trigger words in the whole text: pick a public channel, or choose a First Word option.',
		});
	}
	if (!channelId && triggerWords.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Give trigger words, a channel, or both', {
			description:
				'Without a channel Mattermost needs trigger words (the first word of a post); without trigger words the webhook fires for every post of the channel.',
		});
	}
	const workflow = ctx.getWorkflow();
	return {
		team_id: teamId,
		channel_id: channelId,
		// For Anywhere, Mattermost must send every post of the channel: the node matches the words.
		trigger_words: triggerWhen === ANYWHERE ? [] : triggerWords,
		trigger_when: triggerWhen === FIRST_WORD_STARTS_WITH ? 1 : 0,
		callback_urls: [url],
		content_type: 'application/json',
		display_name: `n8n: ${workflow.name ?? workflow.id ?? 'workflow'}`.slice(0, 64),
		description: `Created by the Mattermost Suite Trigger of n8n workflow ${workflow.id ?? ''}`.slice(0, 500),
	};
}

function sameHook(hook: IDataObject, desired: DesiredHook): boolean {
	const words = (hook.trigger_words as string[] | undefined) ?? [];
	return (
		hook.team_id === desired.team_id &&
		(hook.channel_id ?? '') === desired.channel_id &&
		Number(hook.trigger_when ?? 0) === desired.trigger_when &&
		hook.content_type === desired.content_type &&
		Array.isArray(hook.callback_urls) &&
		hook.callback_urls.length === 1 &&
		hook.callback_urls[0] === desired.callback_urls[0] &&
		words.length === desired.trigger_words.length &&
		words.every((word, index) => word === desired.trigger_words[index])
	);
}

/** True when the webhook in static data still exists in Mattermost and matches the parameters. */
export async function outgoingWebhookExists(this: IHookFunctions): Promise<boolean> {
	const stored = this.getWorkflowStaticData('node') as StoredHook;
	if (!stored.hookId) return false;
	let hook: IDataObject;
	try {
		hook = await mattermostApiRequest.call(this, 'GET', `/hooks/outgoing/${stored.hookId}`, {
			subject: `outgoing webhook ${stored.hookId}`,
		});
	} catch (error) {
		if (isNotFound(error)) return false;
		throw mattermostError(this.getNode(), error);
	}
	if (!sameHook(hook, await desiredHook(this))) return false;
	// The token may have been regenerated in Mattermost: verify calls against the current one.
	if (typeof hook.token === 'string' && hook.token) stored.hookToken = hook.token;
	return true;
}

/** Deletes a webhook this node created earlier; one that is gone already is fine. */
async function deleteStoredHook(ctx: IHookFunctions, stored: StoredHook): Promise<void> {
	if (!stored.hookId) return;
	try {
		await mattermostApiRequest.call(ctx, 'DELETE', `/hooks/outgoing/${stored.hookId}`, {
			subject: `outgoing webhook ${stored.hookId}`,
		});
	} catch (error) {
		if (!isNotFound(error)) throw mattermostError(ctx.getNode(), error);
	}
	delete stored.hookId;
	delete stored.hookToken;
	delete stored.hookUrl;
}

export async function createOutgoingWebhook(this: IHookFunctions): Promise<boolean> {
	const stored = this.getWorkflowStaticData('node') as StoredHook;
	const desired = await desiredHook(this);
	// A webhook left from earlier settings (or pointing elsewhere) is replaced, never orphaned.
	await deleteStoredHook(this, stored);
	const hook = (await mattermostApiRequest.call(this, 'POST', '/hooks/outgoing', {
		body: { ...desired },
	})) as IDataObject;
	stored.hookId = hook.id as string;
	stored.hookToken = hook.token as string;
	stored.hookUrl = desired.callback_urls[0];
	return true;
}

export async function deleteOutgoingWebhook(this: IHookFunctions): Promise<boolean> {
	await deleteStoredHook(this, this.getWorkflowStaticData('node') as StoredHook);
	return true;
}

/** Mattermost's timestamp in ms: JSON carries milliseconds, the form encoding seconds. */
export function timestampMs(raw: string, formEncoded: boolean): number | undefined {
	const value = Number(raw);
	if (raw === '' || !Number.isFinite(value)) return undefined;
	// A form value, or a value too small to be milliseconds since 1973, is in seconds.
	return formEncoded || value < 1e11 ? value * 1000 : value;
}

export function normaliseOutgoingPayload(body: IDataObject, formEncoded: boolean): IDataObject {
	const ms = timestampMs(field(body, 'timestamp'), formEncoded);
	const fileIds = body.file_ids;
	return {
		post_id: field(body, 'post_id'),
		channel_id: field(body, 'channel_id'),
		channel_name: field(body, 'channel_name'),
		team_id: field(body, 'team_id'),
		team_domain: field(body, 'team_domain'),
		user_id: field(body, 'user_id'),
		user_name: field(body, 'user_name'),
		text: field(body, 'text'),
		trigger_word: field(body, 'trigger_word'),
		file_ids: Array.isArray(fileIds) ? fileIds.map(String).filter(Boolean) : splitWords(fileIds),
		timestamp: ms === undefined ? null : new Date(ms).toISOString(),
		timestamp_ms: ms ?? null,
	};
}

/**
 * Whether a call carries the hook's token. After a mismatch the token is re-read from Mattermost
 * (an admin may have regenerated it there) and stored, at most once per 30 s per workflow.
 */
async function carriesHookToken(ctx: IWebhookFunctions, stored: StoredHook, token: string): Promise<boolean> {
	if (secretsMatch(stored.hookToken, token)) return true;
	if (!stored.hookId || token === '') return false;
	const hookId = stored.hookId;
	const current = await rereadToken(ctx, 'outgoing webhook', async () =>
		await mattermostApiRequest.call(ctx, 'GET', `/hooks/outgoing/${hookId}`, { subject: `outgoing webhook ${hookId}` }),
	);
	if (current === undefined) return false;
	if (current !== stored.hookToken) stored.hookToken = current;
	return secretsMatch(current, token);
}

export async function receiveOutgoingWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = requestFields(this);
	const stored = this.getWorkflowStaticData('node') as StoredHook;
	if (!(await carriesHookToken(this, stored, field(body, 'token')))) {
		return refuse(this, stored.hookToken ? 'the outgoing webhook token does not match' : 'no outgoing webhook was created for this node');
	}
	const item = normaliseOutgoingPayload(body, isFormEncoded(this));
	if (Number(this.getNodeParameter('triggerWhen', 0)) === ANYWHERE) {
		const word = triggerWordAnywhere(String(item.text), splitWords(this.getNodeParameter('triggerWords', '')));
		if (word === undefined) return ignore(this);
		item.trigger_word = word;
	}
	if (this.getNodeParameter('fetchFullPost', false) === true && item.post_id) {
		item.post = await mattermostApiRequest.call(this, 'GET', `/posts/${encodeURIComponent(String(item.post_id))}`, {
			subject: `post ${item.post_id}`,
		});
	}
	const reply = answerParameter(this, 'outgoingWebhookOptions.replyText', item);
	const replyText = typeof reply === 'string' ? reply : '';
	const response: IDataObject = {};
	if (replyText.trim() !== '') {
		response.text = replyText;
		if (this.getNodeParameter('outgoingWebhookOptions.replyInThread', true) !== false) response.response_type = 'comment';
	}
	return accept(this, item, response);
}
