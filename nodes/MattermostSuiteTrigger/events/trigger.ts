import type { IDataObject, INodeExecutionData, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { accessTokenProblem } from '../../MattermostSuite/transport/accessToken';
import { mattermostApiRequest, mattermostError, mattermostSiteUrl } from '../../MattermostSuite/transport';
import { channelIdOf, locatorValue, teamIdOf } from '../../MattermostSuite/helpers/resolve';
import { activationError, type Activation } from '../helpers/activationError';
import { fillGap } from './backfill';
import { EventBatch } from './batch';
import { EventFilter, type EventsConfig } from './filter';
import { EventQueue } from './queue';
import { EventStream, type WebSocketEvent } from './stream';

export const EVENTS: Activation = { activity: 'listen for Mattermost events' };

/** `https://host/sub` → `wss://host/sub/api/v4/websocket` */
export function webSocketUrl(siteUrl: string): string {
	return `${siteUrl.replace(/^http/i, 'ws')}/api/v4/websocket`;
}

async function readConfig(ctx: ITriggerFunctions): Promise<EventsConfig> {
	const chosen = (ctx.getNodeParameter('events', []) as string[]) ?? [];
	const custom = String(ctx.getNodeParameter('customEvents', '') ?? '')
		.split(/[,\s]+/)
		.map((name) => name.trim())
		.filter(Boolean);
	const events = new Set([...chosen, ...custom]);
	if (events.size === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No event chosen', {
			description: 'Pick at least one event under Events, or name one under Custom Event Names.',
		});
	}
	const channelEntries =
		((ctx.getNodeParameter('channels', {}) as IDataObject).channel as IDataObject[] | undefined) ?? [];
	const channelIds = new Set<string>();
	for (const [position, entry] of channelEntries.entries()) {
		// An entry left empty filters nothing.
		if (locatorValue(entry.channelId).value === '') continue;
		channelIds.add(await channelIdOf(ctx, entry.channelId, { field: `Channel ${position + 1}` }));
	}
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const team = ctx.getNodeParameter('teamId', '');
	return {
		events,
		teamId: locatorValue(team).value === '' ? undefined : await teamIdOf(ctx, team),
		channelIds,
		ignoreOwnPosts: ctx.getNodeParameter('ignoreOwnPosts', true) !== false,
		onlyDirectMessages: filters.onlyDirectMessages === true,
		onlyMentions: filters.onlyMentions === true,
		textContains: typeof filters.textContains === 'string' ? filters.textContains : '',
	};
}

/** Options > Max Events per Execution and Max Wait, checked (an expression may give anything). */
function batchLimits(ctx: ITriggerFunctions, options: IDataObject): { maxItems: number; maxWaitMs: number } {
	const maxItems = Number(options.batchSize ?? 100);
	const maxWaitMs = Number(options.batchMaxWaitMs ?? 1000);
	if (!Number.isInteger(maxItems) || maxItems < 1) {
		throw new NodeOperationError(ctx.getNode(), `Max Events per Execution must be a whole number of 1 or more, not "${String(options.batchSize)}"`, {
			description: 'Set Options > Max Events per Execution to e.g. 100.',
		});
	}
	if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
		throw new NodeOperationError(ctx.getNode(), `Max Wait (Milliseconds) must be 0 or more, not "${String(options.batchMaxWaitMs)}"`, {
			description: 'Set Options > Max Wait (Milliseconds) to e.g. 1000.',
		});
	}
	return { maxItems, maxWaitMs };
}

/** The bearer token the WebSocket authenticates with: the access token, or the OAuth2 one. */
async function currentToken(ctx: ITriggerFunctions): Promise<string> {
	const oAuth2 = ctx.getNodeParameter('authentication', 'accessToken') === 'oAuth2';
	const credentials = await ctx.getCredentials(oAuth2 ? 'mattermostSuiteOAuth2Api' : 'mattermostSuiteApi');
	const token = oAuth2
		? (credentials.oauthTokenData as IDataObject | undefined)?.access_token
		: credentials.accessToken;
	const problem = oAuth2 ? (token ? undefined : 'The OAuth2 credential is not connected') : accessTokenProblem(token);
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), problem, {
			description: 'Open the Mattermost Suite credential: paste the token again, or connect the OAuth2 account.',
		});
	}
	return String(token).trim();
}

/**
 * Events (WebSocket): one execution per matching event, or per batch with Batch Events. In manual
 * mode the first event (or batch) is the result: n8n resolves the test run on the first emit, and
 * closes the trigger then.
 */
export async function startEvents(this: ITriggerFunctions): Promise<ITriggerResponse> {
	if (typeof WebSocket !== 'function') {
		throw new NodeOperationError(this.getNode(), 'This Node.js has no built-in WebSocket client', {
			description:
				'The Events source uses the WebSocket client built into Node.js 22 and later (n8n 2.x runs on Node.js 24). Upgrade Node.js, or start it with --experimental-websocket.',
		});
	}
	// Checks the token before listening (renewing an OAuth2 token if needed), and tells the
	// filters who "me" is.
	const me = (await mattermostApiRequest.call(this, 'GET', '/users/me')) as IDataObject;
	const siteUrl = await mattermostSiteUrl.call(this);
	const token = await currentToken(this);
	const config = await readConfig(this);
	const identity = { id: String(me.id ?? ''), username: String(me.username ?? '') };
	const filter = new EventFilter(this, config, identity);
	const options = this.getNodeParameter('eventsOptions', {}) as IDataObject;
	const heartbeatSeconds = Number(options.heartbeatSeconds ?? 30);
	const manual = this.getMode() === 'manual';
	let delivered = false;
	const emitItems = (items: INodeExecutionData[]) => {
		if (manual && delivered) return;
		delivered = true;
		this.emit([items]);
	};
	const batch = options.batchEvents === true ? new EventBatch({ ...batchLimits(this, options), emit: emitItems }) : undefined;

	const handle = async (message: WebSocketEvent) => {
		if (manual && delivered) return;
		const item = await filter.process(message);
		if (!item || (manual && delivered)) return;
		if (batch) batch.add(item);
		else emitItems([item]);
	};
	const queue = new EventQueue({
		logger: this.logger,
		startedAt: Date.now(),
		handle,
		fillGap: async (gap, emit) => await fillGap(this, config, identity, gap, emit),
	});

	const stream = new EventStream({
		url: webSocketUrl(siteUrl),
		token,
		heartbeatMs: Math.max(1, Number.isFinite(heartbeatSeconds) ? heartbeatSeconds : 30) * 1000,
		logger: this.logger,
		onEvent: (message) => queue.event(message),
		onGap: (reason) => queue.gap(reason),
		onServerTime: (serverTime) => queue.serverTime(serverTime),
		onRefused: async () => {
			try {
				await mattermostApiRequest.call(this, 'GET', '/users/me');
				stream.updateToken(await currentToken(this));
			} catch (error) {
				// A token Mattermost no longer accepts ends the stream; anything else is retried.
				if ((error as { httpCode?: string }).httpCode === '401') throw activationError(this, mattermostError(this.getNode(), error), EVENTS);
				this.logger.warn(`Mattermost Suite Trigger could not check the token: ${(error as Error).message}`);
			}
		},
		onFatal: (error) => this.emitError(error),
	});

	try {
		await stream.start();
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Could not listen on Mattermost's WebSocket: ${(error as Error).message}`, {
			description: `Check that ${webSocketUrl(siteUrl)} is reachable from n8n: a reverse proxy in front of Mattermost must forward WebSocket upgrades (Upgrade and Connection headers).`,
		});
	}

	return {
		closeFunction: async () => {
			await stream.stop();
			await queue.close();
			await batch?.close();
		},
	};
}
