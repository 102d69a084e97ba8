import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EXAMPLE_ID } from '../actions/common.descriptions';
import { mattermostApiRequest, mattermostSiteUrl, type MattermostContext, type MattermostRequest } from '../transport';

const MATTERMOST_ID = /^[a-z0-9]{26}$/;

export type ResourceKind = 'channel' | 'team' | 'user' | 'post';

const LABEL: Record<ResourceKind, string> = {
	channel: 'Channel',
	team: 'Team',
	user: 'User',
	post: 'Post',
};

export function isMattermostId(value: string): boolean {
	return MATTERMOST_ID.test(value);
}

/** Refuses anything that is not a Mattermost id before a request is made. */
export function assertMattermostId(
	ctx: MattermostContext,
	value: unknown,
	kind: ResourceKind,
	itemIndex: number | undefined,
	field = LABEL[kind],
): string {
	const id = typeof value === 'string' ? value.trim() : '';
	if (!MATTERMOST_ID.test(id)) {
		throw new NodeOperationError(
			ctx.getNode(),
			id === '' ? `${field} is empty` : `${field} "${id}" is not a Mattermost ID`,
			{
				description: `A Mattermost ${kind} ID is 26 lowercase letters and digits, e.g. ${EXAMPLE_ID}. Pick the ${kind} from the list, paste its URL, or copy the ID from Mattermost (e.g. "View Info" or "Copy Link").`,
				itemIndex,
			},
		);
	}
	return id;
}

interface ParsedMattermostUrl {
	team: string;
	channelName?: string;
	postId?: string;
	directUsername?: string;
	directUserId?: string;
}

/**
 * Reads `<site>/<team>`, `<site>/<team>/channels/<name>`, `<site>/<team>/pl/<post>` and
 * `<site>/<team>/messages/@<username>` (or `/messages/<user id>`); a trailing slash, a query and
 * a fragment are ignored, and so is the site's sub-path.
 */
export function parseMattermostUrl(url: string, siteUrl?: string): ParsedMattermostUrl | undefined {
	let path: string;
	try {
		path = new URL(url.trim()).pathname;
	} catch {
		return undefined;
	}
	if (siteUrl) {
		const sitePath = new URL(siteUrl).pathname.replace(/\/+$/, '');
		if (sitePath && path.startsWith(`${sitePath}/`)) path = path.slice(sitePath.length);
	}
	let parts: string[];
	try {
		parts = path.split('/').filter(Boolean).map(decodeURIComponent);
	} catch {
		return undefined;
	}
	const [team, section, name] = parts;
	if (!team) return undefined;
	if (section === undefined) return { team };
	if (section === 'channels' && name) return { team, channelName: name };
	if (section === 'pl' && name && MATTERMOST_ID.test(name)) return { team, postId: name };
	if (section === 'messages' && name && parts.length === 3) {
		if (name.startsWith('@') && name.length > 1) return { team, directUsername: name.slice(1) };
		if (MATTERMOST_ID.test(name)) return { team, directUserId: name };
	}
	return undefined;
}

function badUrl(
	ctx: MattermostContext,
	kind: ResourceKind,
	url: string,
	itemIndex: number | undefined,
	example: string,
	what = 'the address from the browser',
	field = LABEL[kind],
) {
	const message = url === '' ? `${field} URL is empty` : `${field} URL "${url}" is not a Mattermost ${kind} URL`;
	return new NodeOperationError(ctx.getNode(), message, {
		description: `Paste ${what}, e.g. ${example}, or pick the ${kind} from the list.`,
		itemIndex,
	});
}

const DIRECT_MESSAGE_EXAMPLE = 'https://mattermost.example.com/my-team/messages/@alice';


/** A resource locator's mode and trimmed value; a plain string counts as an ID. */
export function locatorValue(raw: unknown): { mode: string; value: string } {
	if (raw && typeof raw === 'object') {
		const locator = raw as INodeParameterResourceLocator;
		return { mode: String(locator.mode ?? 'id'), value: String(locator.value ?? '').trim() };
	}
	return { mode: 'id', value: typeof raw === 'string' ? raw.trim() : '' };
}

function locatorOf(ctx: IExecuteFunctions, parameter: string, itemIndex: number): { mode: string; value: string } {
	return locatorValue(ctx.getNodeParameter(parameter, itemIndex));
}

interface LocatorOptions {
	itemIndex?: number;
	/** The field's name in messages, e.g. "Channel 2". */
	field?: string;
}

/** The team of a Team locator value (list, URL or ID), from any node context. */
export async function teamIdOf(ctx: MattermostContext, raw: unknown, { itemIndex, field }: LocatorOptions = {}): Promise<string> {
	const { mode, value } = locatorValue(raw);
	if (mode === 'url') {
		const parsed = parseMattermostUrl(value, await mattermostSiteUrl.call(ctx, itemIndex));
		if (!parsed) throw badUrl(ctx, 'team', value, itemIndex, 'https://mattermost.example.com/my-team', undefined, field);
		const team = await mattermostApiRequest.call(ctx, 'GET', `/teams/name/${encodeURIComponent(parsed.team)}`, {
			itemIndex,
			subject: `team named "${parsed.team}"`,
		});
		return team.id as string;
	}
	return assertMattermostId(ctx, value, 'team', itemIndex, field);
}

/**
 * The channel of a Channel locator value (list, URL of the channel or of a post in it, or ID), from
 * any node context. `includeArchived`: a channel URL also finds an archived channel.
 */
export async function channelIdOf(
	ctx: MattermostContext,
	raw: unknown,
	{ itemIndex, field, includeArchived = false }: LocatorOptions & { includeArchived?: boolean } = {},
): Promise<string> {
	const { mode, value } = locatorValue(raw);
	if (mode === 'url') {
		const parsed = parseMattermostUrl(value, await mattermostSiteUrl.call(ctx, itemIndex));
		const example = 'https://mattermost.example.com/my-team/channels/town-square';
		if (parsed?.channelName) {
			const channel = await mattermostApiRequest.call(
				ctx,
				'GET',
				`/teams/name/${encodeURIComponent(parsed.team)}/channels/name/${encodeURIComponent(parsed.channelName)}`,
				{
					qs: includeArchived ? { include_deleted: true } : undefined,
					itemIndex,
					subject: `channel "${parsed.channelName}" in team "${parsed.team}"`,
				},
			);
			return channel.id as string;
		}
		if (parsed?.postId) {
			const post = await mattermostApiRequest.call(ctx, 'GET', `/posts/${parsed.postId}`, {
				itemIndex,
				subject: `post ${parsed.postId}`,
			});
			return post.channel_id as string;
		}
		throw badUrl(ctx, 'channel', value, itemIndex, example, undefined, field);
	}
	return assertMattermostId(ctx, value, 'channel', itemIndex, field);
}

export async function resolveTeamId(ctx: IExecuteFunctions, itemIndex: number, parameter = 'teamId'): Promise<string> {
	return await teamIdOf(ctx, ctx.getNodeParameter(parameter, itemIndex), { itemIndex });
}

/** `includeArchived`: a channel URL also finds an archived channel (for operations that work on those). */
export async function resolveChannelId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter = 'channelId',
	{ includeArchived = false } = {},
): Promise<string> {
	return await channelIdOf(ctx, ctx.getNodeParameter(parameter, itemIndex), { itemIndex, includeArchived });
}

/** What Mattermost's model.IsValidEmail lets through, roughly: one @, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

export function isEmail(value: string): boolean {
	return EMAIL.test(value);
}

interface UserRequest {
	itemIndex?: number;
	/** What error messages call the user; by default the username or id. */
	subject?: string;
}

/** The whole user with this username (without the `@`). */
export async function userByUsername(
	ctx: MattermostContext,
	username: string,
	{ itemIndex, subject = `user named "${username}"` }: UserRequest = {},
): Promise<IDataObject> {
	return (await mattermostApiRequest.call(ctx, 'GET', `/users/username/${encodeURIComponent(username)}`, {
		itemIndex,
		subject,
	})) as IDataObject;
}

/** The whole user with this id. */
export async function userById(
	ctx: MattermostContext,
	id: string,
	{ itemIndex, subject = `user ${id}` }: UserRequest = {},
): Promise<IDataObject> {
	return (await mattermostApiRequest.call(ctx, 'GET', `/users/${encodeURIComponent(id)}`, { itemIndex, subject })) as IDataObject;
}

/**
 * The user of a User resource locator. Looking up a username or an email answers the whole user,
 * which is returned too, so that callers needing it send no second request.
 */
export async function lookUpUser(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter = 'userId',
): Promise<{ id: string; user?: IDataObject }> {
	const locator = locatorOf(ctx, parameter, itemIndex);
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'username') {
		const username = value.replace(/^@/, '');
		if (username === '') {
			throw new NodeOperationError(ctx.getNode(), 'Username is empty', {
				description: 'Enter a Mattermost username, e.g. alice, or pick the user from the list.',
				itemIndex,
			});
		}
		const user = await userByUsername(ctx, username, { itemIndex });
		return { id: user.id as string, user };
	}
	if (locator.mode === 'url') {
		const parsed = parseMattermostUrl(value, await mattermostSiteUrl.call(ctx, itemIndex));
		if (parsed?.directUserId) return { id: parsed.directUserId };
		if (!parsed?.directUsername) {
			throw badUrl(ctx, 'user', value, itemIndex, DIRECT_MESSAGE_EXAMPLE, 'the address of a direct message with the user');
		}
		const user = await userByUsername(ctx, parsed.directUsername, { itemIndex });
		return { id: user.id as string, user };
	}
	if (locator.mode === 'email') {
		if (!isEmail(value)) {
			throw new NodeOperationError(ctx.getNode(), `Email "${value}" is not an email address`, {
				description: 'Enter the email address of a Mattermost user, e.g. alice@example.com, or pick the user from the list.',
				itemIndex,
			});
		}
		const user = (await mattermostApiRequest.call(ctx, 'GET', `/users/email/${encodeURIComponent(value)}`, {
			itemIndex,
			subject: `user with email "${value}"`,
		})) as IDataObject;
		return { id: user.id as string, user };
	}
	return { id: assertMattermostId(ctx, value, 'user', itemIndex) };
}

export async function resolveUserId(ctx: IExecuteFunctions, itemIndex: number, parameter = 'userId'): Promise<string> {
	return (await lookUpUser(ctx, itemIndex, parameter)).id;
}

/** The post of a Post resource locator: an ID, or a permalink. */
export function resolvePostId(ctx: IExecuteFunctions, itemIndex: number, parameter = 'postId'): string {
	const locator = locatorOf(ctx, parameter, itemIndex);
	return postIdFrom(ctx, locator.value, itemIndex, 'Post');
}

/** A post id, or the id inside a permalink (`<site>/<team>/pl/<id>`). */
export function postIdFrom(ctx: IExecuteFunctions, value: unknown, itemIndex: number, field: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const fromLink = /\/pl\/([a-z0-9]{26})\/?$/.exec(text)?.[1];
	return assertMattermostId(ctx, fromLink ?? text, 'post', itemIndex, field);
}

/** Ids per `POST /users/ids` call: well under what the server accepts. */
const USER_IDS_PER_REQUEST = 200;

/** The users with these ids (each asked once), by id; ids of users that no longer exist are absent. */
export async function usersByIds(
	ctx: MattermostContext,
	userIds: string[],
	request: Pick<MattermostRequest, 'itemIndex' | 'subject' | 'picker'>,
): Promise<Map<string, IDataObject>> {
	const ids = [...new Set(userIds.filter(Boolean))];
	const users = new Map<string, IDataObject>();
	for (let start = 0; start < ids.length; start += USER_IDS_PER_REQUEST) {
		const found = (await mattermostApiRequest.call(ctx, 'POST', '/users/ids', {
			...request,
			body: ids.slice(start, start + USER_IDS_PER_REQUEST),
		})) as IDataObject[] | null;
		for (const user of found ?? []) users.set(String(user.id), user);
	}
	return users;
}
