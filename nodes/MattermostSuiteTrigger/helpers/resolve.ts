import type {
	IDataObject,
	IHookFunctions,
	INodeParameterResourceLocator,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EXAMPLE_ID } from '../../MattermostSuite/actions/common.descriptions';
import { parseMattermostUrl } from '../../MattermostSuite/helpers/resolve';
import { mattermostApiRequest, mattermostSiteUrl } from '../../MattermostSuite/transport';

export type TriggerContext = IHookFunctions | ITriggerFunctions | IWebhookFunctions;

const MATTERMOST_ID = /^[a-z0-9]{26}$/;

function locatorValue(raw: unknown): { mode: string; value: string } {
	if (raw && typeof raw === 'object') {
		const locator = raw as INodeParameterResourceLocator;
		return { mode: String(locator.mode ?? 'id'), value: String(locator.value ?? '').trim() };
	}
	return { mode: 'id', value: typeof raw === 'string' ? raw.trim() : '' };
}

function assertId(ctx: TriggerContext, value: string, kind: 'team' | 'channel', field: string): string {
	if (!MATTERMOST_ID.test(value)) {
		throw new NodeOperationError(
			ctx.getNode(),
			value === '' ? `${field} is empty` : `${field} "${value}" is not a Mattermost ID`,
			{
				description: `A Mattermost ${kind} ID is 26 lowercase letters and digits, e.g. ${EXAMPLE_ID}. Pick the ${kind} from the list, paste its URL, or copy the ID from Mattermost.`,
			},
		);
	}
	return value;
}

async function siteUrl(ctx: TriggerContext): Promise<string> {
	return await mattermostSiteUrl.call(ctx);
}

function badUrl(ctx: TriggerContext, field: string, url: string, example: string) {
	return new NodeOperationError(ctx.getNode(), `${field} URL "${url}" is not a Mattermost ${field.toLowerCase()} URL`, {
		description: `Paste the address from the browser, e.g. ${example}, or pick from the list.`,
	});
}

/** The team of a Team resource locator (list, URL or ID); undefined when empty and optional. */
export async function resolveTeam(
	ctx: TriggerContext,
	raw: unknown,
	{ field = 'Team', optional = false } = {},
): Promise<string | undefined> {
	const { mode, value } = locatorValue(raw);
	if (value === '' && optional) return undefined;
	if (mode === 'url') {
		const parsed = parseMattermostUrl(value, await siteUrl(ctx));
		if (!parsed) throw badUrl(ctx, field, value, 'https://mattermost.example.com/my-team');
		const team = (await mattermostApiRequest.call(ctx, 'GET', `/teams/name/${encodeURIComponent(parsed.team)}`, {
			subject: `team named "${parsed.team}"`,
		})) as IDataObject;
		return team.id as string;
	}
	return assertId(ctx, value, 'team', field);
}

/** The channel of a Channel resource locator (list, URL or ID); undefined when empty and optional. */
export async function resolveChannel(
	ctx: TriggerContext,
	raw: unknown,
	{ field = 'Channel', optional = false } = {},
): Promise<string | undefined> {
	const { mode, value } = locatorValue(raw);
	if (value === '' && optional) return undefined;
	if (mode === 'url') {
		const example = 'https://mattermost.example.com/my-team/channels/town-square';
		const parsed = parseMattermostUrl(value, await siteUrl(ctx));
		if (!parsed?.channelName) throw badUrl(ctx, field, value, example);
		const channel = (await mattermostApiRequest.call(
			ctx,
			'GET',
			`/teams/name/${encodeURIComponent(parsed.team)}/channels/name/${encodeURIComponent(parsed.channelName)}`,
			{ subject: `channel "${parsed.channelName}" in team "${parsed.team}"` },
		)) as IDataObject;
		return channel.id as string;
	}
	return assertId(ctx, value, 'channel', field);
}
