import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import { mattermostApiRequest } from '../../MattermostSuite/transport';
import type { WebSocketEvent } from './stream';

/** Event data fields that Mattermost sends as JSON text inside the JSON message. */
const JSON_TEXT_FIELDS = new Set([
	'post',
	'reaction',
	'channel',
	'mentions',
	'followers',
	'teammate_ids',
	'emoji',
	'thread',
	'channelMember',
	'member',
	'preference',
	'preferences',
	'draft',
	'acknowledgement',
	'scheduledPost',
	'bookmark',
	'user',
	'team',
	'role',
]);

const POST_EVENTS = new Set(['posted', 'post_edited', 'post_deleted']);

export interface EventsConfig {
	/** Event names to keep; `*` keeps every event. */
	events: Set<string>;
	teamId?: string;
	channelIds: Set<string>;
	ignoreOwnPosts: boolean;
	onlyDirectMessages: boolean;
	onlyMentions: boolean;
	textContains: string;
}

export interface Me {
	id: string;
	username: string;
}

/** The event's data with its JSON-text fields parsed. */
export function parseEventData(data: IDataObject | undefined): IDataObject {
	const parsed: IDataObject = {};
	for (const [key, value] of Object.entries(data ?? {})) {
		if (JSON_TEXT_FIELDS.has(key) && typeof value === 'string' && /^\s*[[{]/.test(value)) {
			try {
				parsed[key] = JSON.parse(value);
				continue;
			} catch {
				// Not JSON after all: keep the text as Mattermost sent it.
				parsed[key] = value;
				continue;
			}
		}
		parsed[key] = value;
	}
	return parsed;
}

/** One output item: event, seq, broadcast, parsed data, and for post events the post at top level. */
export function eventItem(message: WebSocketEvent): IDataObject {
	const data = parseEventData(message.data);
	const item: IDataObject = {
		event: message.event,
		seq: message.seq ?? null,
		broadcast: message.broadcast ?? {},
		data,
	};
	if (POST_EVENTS.has(message.event) && data.post && typeof data.post === 'object') item.post = data.post;
	if (message.backfilled) item.backfilled = true;
	return item;
}

/** Whether a message text @mentions this username (not as part of a longer name or an address). */
export function mentionsUsername(message: string, username: string): boolean {
	const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(^|[^\\w.-])@${escaped}(?![\\w-])`, 'i').test(message);
}

function objectOf(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

const CHANNEL_CACHE_SIZE = 500;

/** Decides which events become items; looks up channels it knows nothing about (once each). */
export class EventFilter {
	private readonly channels = new Map<string, IDataObject | null>();

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly config: EventsConfig,
		private readonly me: Me,
	) {}

	private async channel(channelId: string): Promise<IDataObject | undefined> {
		if (!this.channels.has(channelId)) {
			if (this.channels.size >= CHANNEL_CACHE_SIZE) this.channels.clear();
			try {
				const channel = (await mattermostApiRequest.call(this.ctx, 'GET', `/channels/${channelId}`, {
					subject: `channel ${channelId}`,
				})) as IDataObject;
				this.channels.set(channelId, { team_id: channel.team_id ?? '', type: channel.type ?? '' });
			} catch (error) {
				this.ctx.logger.warn(
					`Mattermost Suite Trigger could not read channel ${channelId} to filter an event: ${(error as Error).message}`,
				);
				this.channels.set(channelId, null);
			}
		}
		return this.channels.get(channelId) ?? undefined;
	}

	/** The item for an event, or undefined when a filter leaves it out. */
	async process(message: WebSocketEvent): Promise<INodeExecutionData | undefined> {
		const { config, me } = this;
		if (!config.events.has('*') && !config.events.has(message.event)) return undefined;
		const item = eventItem(message);
		const data = item.data as IDataObject;
		const broadcast = item.broadcast as IDataObject;
		const post = objectOf(item.post);
		const reaction = objectOf(data.reaction);
		const channelObject = objectOf(data.channel);

		const channelId =
			text(broadcast.channel_id) ||
			text(data.channel_id) ||
			text(post?.channel_id) ||
			text(reaction?.channel_id) ||
			text(channelObject?.id);
		let teamId = text(broadcast.team_id) || text(data.team_id) || text(channelObject?.team_id);
		let channelType = text(data.channel_type) || text(channelObject?.type);

		if (config.ignoreOwnPosts && (post?.user_id === me.id || reaction?.user_id === me.id)) return undefined;

		if (config.channelIds.size > 0 && channelId && !config.channelIds.has(channelId)) return undefined;

		if (config.teamId && (channelId || teamId)) {
			if (!teamId && channelId) teamId = text((await this.channel(channelId))?.team_id);
			if (teamId !== config.teamId) return undefined;
		}

		const needsType = config.onlyDirectMessages || config.onlyMentions;
		if (needsType && !channelType && channelId) channelType = text((await this.channel(channelId))?.type);
		const direct = channelType === 'D' || channelType === 'G';
		if (config.onlyDirectMessages && !direct) return undefined;

		if (config.onlyMentions) {
			if (!post) return undefined;
			const mentions = Array.isArray(data.mentions) ? (data.mentions as unknown[]) : [];
			if (!mentions.includes(me.id) && !direct && !mentionsUsername(text(post.message), me.username)) return undefined;
		}

		if (config.textContains) {
			if (!post || !text(post.message).toLowerCase().includes(config.textContains.toLowerCase())) return undefined;
		}
		return { json: item };
	}
}
