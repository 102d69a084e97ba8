import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import { usersByIds } from '../../MattermostSuite/helpers/resolve';
import { mattermostApiRequest, mattermostApiRequestChannelPosts } from '../../MattermostSuite/transport';
import { mentionsUsername, parseEventData, type EventsConfig, type Me } from './filter';
import type { WebSocketEvent } from './stream';

/** `GET /channels/{id}/posts?since=` answers at most this many posts (the server does not say which). */
const POSTS_SINCE_LIMIT = 1000;

/** The post of a `posted`, `post_edited` or `post_deleted` event. */
export function postOfEvent(message: WebSocketEvent): IDataObject | undefined {
	const post = parseEventData({ post: message.data?.post }).post;
	return post && typeof post === 'object' && !Array.isArray(post) ? (post as IDataObject) : undefined;
}

/** The event Mattermost sends for a new post (app/notification.go), rebuilt from REST data. */
function postedEvent(post: IDataObject, channel: IDataObject, senders: Map<string, string>, me: Me): WebSocketEvent {
	const channelType = String(channel.type ?? '');
	const fromSomeoneElse = post.user_id !== me.id;
	const direct = channelType === 'D' || channelType === 'G';
	const data: IDataObject = {
		channel_display_name: channel.display_name ?? '',
		channel_name: channel.name ?? '',
		channel_type: channelType,
		post: JSON.stringify(post),
		sender_name: senders.get(String(post.user_id)) ?? '',
		team_id: channel.team_id ?? '',
	};
	// Mattermost lists the receiving user when the post notifies them.
	if (fromSomeoneElse && (direct || mentionsUsername(String(post.message ?? ''), me.username))) {
		data.mentions = JSON.stringify([me.id]);
	}
	if (Array.isArray(post.file_ids) && post.file_ids.length > 0) data.otherFile = 'true';
	return {
		event: 'posted',
		data,
		broadcast: {
			omit_users: null,
			user_id: '',
			channel_id: String(channel.id),
			team_id: '',
			connection_id: '',
			omit_connection_id: '',
		},
		backfilled: true,
	};
}

/** `@username` per user id, as `sender_name` carries it. */
async function senderNames(ctx: ITriggerFunctions, userIds: string[]): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	const users = await usersByIds(ctx, userIds, { subject: 'the authors of the posts fetched back' });
	for (const [id, user] of users) names.set(id, `@${String(user.username ?? '')}`);
	return names;
}

/**
 * `posted` events, oldest first, for every post created after `since` in the channels the Team and
 * Channels filters cover (all channels of the credential's user without them), as the WebSocket
 * would have sent them. `warn` hears about channels with more posts than one answer holds.
 */
export async function missedPostEvents(
	ctx: ITriggerFunctions,
	config: EventsConfig,
	me: Me,
	since: number,
	warn: (message: string) => void,
): Promise<WebSocketEvent[]> {
	const channels = (
		((await mattermostApiRequest.call(ctx, 'GET', '/users/me/channels', {
			subject: "the credential's channels",
		})) as IDataObject[] | null) ?? []
	).filter(
		(channel) =>
			(config.channelIds.size === 0 || config.channelIds.has(String(channel.id))) &&
			(!config.teamId || channel.team_id === config.teamId),
	);
	const found: Array<{ post: IDataObject; channel: IDataObject }> = [];
	for (const channel of channels) {
		const posts = await mattermostApiRequestChannelPosts.call(ctx, String(channel.id), { since });
		if (posts.length >= POSTS_SINCE_LIMIT) {
			warn(
				`Mattermost Suite Trigger: channel ${String(channel.name ?? channel.id)} has ${POSTS_SINCE_LIMIT} or more posts changed since ${new Date(since).toISOString()}; Mattermost answers at most ${POSTS_SINCE_LIMIT} at once, so some of them may have been missed`,
			);
		}
		for (const post of posts) {
			// `since` also returns older posts edited or deleted meanwhile.
			if (Number(post.create_at) > since && !Number(post.delete_at)) found.push({ post, channel });
		}
	}
	found.sort(
		(a, b) =>
			Number(a.post.create_at) - Number(b.post.create_at) || String(a.post.id).localeCompare(String(b.post.id)),
	);
	const senders = await senderNames(
		ctx,
		found.map(({ post }) => String(post.user_id ?? '')),
	);
	return found.map(({ post, channel }) => postedEvent(post, channel, senders, me));
}

/**
 * What a gap loses that cannot be fetched back: every chosen event kind other than new posts,
 * or '' when only posts were chosen.
 */
function unrecoverableEvents(events: Set<string>): string {
	if (events.has('*')) {
		return 'events other than new posts (edits, deletions, reactions, channel, membership and status changes, …)';
	}
	const others = [...events].filter((name) => name !== 'posted');
	if (others.length === 0) return '';
	return `${others.join(', ')} events`;
}

/**
 * Fills a gap of the WebSocket (the server could not resume): hands on the posts created since
 * the last one seen, then logs one line that says what was fetched back and what may be missing
 * since when.
 */
export async function fillGap(
	ctx: ITriggerFunctions,
	config: EventsConfig,
	me: Me,
	gap: { reason: string; since: number },
	emit: (events: WebSocketEvent[]) => Promise<number>,
): Promise<void> {
	const from = new Date(gap.since).toISOString();
	const lost = unrecoverableEvents(config.events);
	const prefix = `Mattermost Suite Trigger: ${gap.reason}`;
	if (!config.events.has('*') && !config.events.has('posted')) {
		if (lost) ctx.logger.warn(`${prefix}; ${lost} sent since ${from} cannot be fetched back and may have been missed`);
		return;
	}
	let missed: WebSocketEvent[];
	try {
		missed = await missedPostEvents(ctx, config, me, gap.since, (text) => ctx.logger.warn(text));
	} catch (error) {
		ctx.logger.warn(
			`${prefix}; the posts created since ${from} could not be fetched back (${(error as Error).message})${lost ? `, and ${lost} cannot be` : ''}: they may have been missed`,
		);
		return;
	}
	const posts = `fetched back ${await emit(missed)} post(s) created since ${from}`;
	if (lost) ctx.logger.warn(`${prefix}; ${posts}, but ${lost} sent since then cannot be fetched back and may have been missed`);
	else ctx.logger.info(`${prefix}; ${posts}`);
}
