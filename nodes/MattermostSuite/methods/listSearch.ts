import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeParameterResourceLocator,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { channelIdOf, isMattermostId, parseMattermostUrl, usersByIds } from '../helpers/resolve';
import { mattermostApiRequest, mattermostSiteUrl, postsOf, type PostList } from '../transport';

/** Users per page of the user picker. */
const USER_PAGE_SIZE = 100;

async function siteUrl(ctx: ILoadOptionsFunctions): Promise<string> {
	return await mattermostSiteUrl.call(ctx);
}

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

function byName(a: INodeListSearchItems, b: INodeListSearchItems): number {
	return a.name.localeCompare(b.name);
}

/**
 * The list a picker shows before anything is typed. n8n's editor replaces the whole dropdown,
 * search box included, by the error of a failing list. When Mattermost refused only that list
 * (any answer but 401), it is shown empty and the failure logged, so that searching, By ID and
 * By URL stay usable; a refused credential or an unreachable server still shows its error, as a
 * search would fail the same way.
 */
async function defaultList(
	ctx: ILoadOptionsFunctions,
	what: string,
	load: () => Promise<INodeListSearchResult>,
): Promise<INodeListSearchResult> {
	try {
		return await load();
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode && error.httpCode !== '401') {
			ctx.logger.warn(`Mattermost Suite: could not list ${what} for the picker: ${error.message}`);
			return { results: [] };
		}
		// Both constructors hand back an error of their own class unchanged.
		throw error instanceof NodeApiError
			? new NodeApiError(ctx.getNode(), error as unknown as JsonObject)
			: new NodeOperationError(ctx.getNode(), error as Error);
	}
}

/** `/users/me/teams` works for any token, admin or not, and answers every team at once. */
async function myTeams(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const teams = (await mattermostApiRequest.call(ctx, 'GET', '/users/me/teams', { picker: true })) as IDataObject[];
	return (teams ?? []).filter((team) => !team.delete_at);
}

export async function searchTeams(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const [teams, site] = await Promise.all([myTeams(this), siteUrl(this)]);
	const results = teams
		.filter((team) => matches(filter, team.display_name, team.name))
		.map((team) => ({
			name: String(team.display_name || team.name),
			value: team.id as string,
			url: `${site}/${team.name}`,
		}))
		.sort(byName);
	return { results };
}

function selectedTeamId(ctx: ILoadOptionsFunctions): string | undefined {
	try {
		const team = ctx.getCurrentNodeParameter('teamId', { extractValue: true });
		return typeof team === 'string' && isMattermostId(team) ? team : undefined;
	} catch {
		// The operation has no team parameter: the channels of every team are offered.
		return undefined;
	}
}

/**
 * The channels the token's user belongs to, one team per page. Uses
 * `/users/me/teams/{team}/channels`, which needs no admin rights, unlike `/channels`.
 */
export async function searchChannels(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const site = await siteUrl(this);
	const teamId = selectedTeamId(this);
	const teams = (await myTeams(this)).filter((team) => !teamId || team.id === teamId);
	teams.sort((a, b) => String(a.display_name).localeCompare(String(b.display_name)));
	const teamIndex = Number(paginationToken ?? 0);
	const team = teams[teamIndex];
	if (!team) return { results: [] };
	const channels = (await mattermostApiRequest.call(
		this,
		'GET',
		`/users/me/teams/${team.id}/channels`,
		{ picker: true },
	)) as IDataObject[];
	const withTeamName = teams.length > 1;
	const results = (channels ?? [])
		.filter((channel) => (channel.type === 'O' || channel.type === 'P') && !channel.delete_at)
		.filter((channel) => matches(filter, channel.display_name, channel.name))
		.map((channel) => ({
			name: withTeamName
				? `${channel.display_name || channel.name} (${team.display_name})`
				: String(channel.display_name || channel.name),
			value: channel.id as string,
			url: `${site}/${team.name}/channels/${channel.name}`,
		}))
		.sort(byName);
	const next = teamIndex + 1 < teams.length ? String(teamIndex + 1) : undefined;
	return { results, paginationToken: next };
}

function userLabel(user: IDataObject): string {
	const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');
	return fullName ? `${fullName} (@${user.username})` : `@${user.username}`;
}

/** Users by search term through autocomplete, or every visible user page by page; no admin rights needed. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	if (filter) {
		const found = await mattermostApiRequest.call(this, 'GET', '/users/autocomplete', {
			qs: { name: filter, limit: USER_PAGE_SIZE },
			picker: true,
		});
		return { results: userItems([...((found?.users as IDataObject[]) ?? []), ...((found?.out_of_channel as IDataObject[]) ?? [])]) };
	}
	return await defaultList(this, 'users', async () => {
		const page = Number(paginationToken ?? 0);
		const users = (await mattermostApiRequest.call(this, 'GET', '/users', {
			qs: { page, per_page: USER_PAGE_SIZE, active: true },
			picker: true,
		})) as IDataObject[];
		return { results: userItems(users), paginationToken: users.length === USER_PAGE_SIZE ? String(page + 1) : undefined };
	});
}

function userItems(users: IDataObject[]): INodeListSearchItems[] {
	return users.filter((user) => !user.delete_at).map((user) => ({ name: userLabel(user), value: user.id as string }));
}

/** Posts per page of the post picker. */
const POST_PAGE_SIZE = 50;
/** Longest message preview in the post picker. */
const PREVIEW_LENGTH = 80;
/** Bounds the search requests of one page of results (one per team visited). */
const MAX_SEARCHES_PER_PAGE = 20;

/** The message of a post on one line, shortened. */
function preview(post: IDataObject): string {
	const text = String(post.message ?? '').replace(/\s+/g, ' ').trim();
	if (text === '') return '(file or attachment only)';
	const chars = [...text];
	return chars.length > PREVIEW_LENGTH ? `${chars.slice(0, PREVIEW_LENGTH - 1).join('').trimEnd()}…` : text;
}

/** Where a post is: `~town-square`, or the kind of conversation when it has no channel name to show. */
function placeOf(channel: IDataObject | undefined): string | undefined {
	if (!channel) return undefined;
	if (channel.type === 'D') return 'direct message';
	if (channel.type === 'G') return 'group message';
	return `~${channel.name}`;
}

/** `@alice in ~town-square: Deploy finished`, with whatever of author and channel is known. */
function postLabel(post: IDataObject, username?: string, channel?: IDataObject): string {
	const author = username ? `@${username}` : undefined;
	const place = placeOf(channel);
	const conversation = channel?.type === 'D' || channel?.type === 'G';
	let prefix: string | undefined;
	if (author && place) prefix = `${author} in ${conversation ? 'a ' : ''}${place}`;
	else if (author) prefix = author;
	else if (place) prefix = conversation ? place.charAt(0).toUpperCase() + place.slice(1) : place;
	return prefix ? `${prefix}: ${preview(post)}` : preview(post);
}

/** Usernames of the authors of some posts (no admin rights needed; a picker page takes one request). */
async function usernamesOf(ctx: ILoadOptionsFunctions, posts: IDataObject[]): Promise<Map<string, string>> {
	const ids = posts.map((post) => (typeof post.user_id === 'string' ? post.user_id : ''));
	const users = await usersByIds(ctx, ids, { picker: true });
	return new Map([...users].map(([id, user]) => [id, String(user.username)]));
}

/** Every channel of the token's user in every team, direct and group messages included. */
async function myChannels(ctx: ILoadOptionsFunctions): Promise<Map<string, IDataObject>> {
	const channels = (await mattermostApiRequest.call(ctx, 'GET', '/users/me/channels', { picker: true })) as IDataObject[];
	return new Map((channels ?? []).map((channel) => [channel.id as string, channel]));
}

function byDisplayName(a: IDataObject, b: IDataObject): number {
	return String(a.display_name || a.name).localeCompare(String(b.display_name || b.name));
}

/** The picker's paging state: JSON, `{ team, page }` for searches, `{ page }` for the other lists. */
interface PostPickerPosition {
	team?: string;
	page: number;
}

function positionOf(paginationToken: string | undefined): PostPickerPosition {
	if (!paginationToken) return { page: 0 };
	try {
		const parsed = JSON.parse(paginationToken) as IDataObject;
		const page = Number(parsed.page);
		return {
			team: typeof parsed.team === 'string' ? parsed.team : undefined,
			page: Number.isInteger(page) && page >= 0 ? page : 0,
		};
	} catch {
		return { page: 0 };
	}
}

const tokenOf = (position: PostPickerPosition | undefined) => (position ? JSON.stringify(position) : undefined);

/** The channel of the operation's Channel parameter, if it has one that can be read without asking the user. */
async function selectedChannel(ctx: ILoadOptionsFunctions): Promise<{ id: string; teamName?: string } | undefined> {
	const locator = ctx.getCurrentNodeParameter('channelId') as INodeParameterResourceLocator | string | undefined;
	if (!locator) return undefined;
	const { mode, value, cachedResultUrl } =
		typeof locator === 'string' ? { mode: 'id', value: locator, cachedResultUrl: undefined } : locator;
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '' || text.startsWith('=')) return undefined;
	const site = await siteUrl(ctx);
	if (mode === 'url') {
		const parsed = parseMattermostUrl(text, site);
		if (!parsed?.channelName && !parsed?.postId) return undefined;
		return { id: await channelIdOf(ctx, locator), teamName: parsed.team };
	}
	if (!isMattermostId(text)) return undefined;
	// A channel picked from the list keeps its URL, which names its team.
	const teamName = typeof cachedResultUrl === 'string' ? parseMattermostUrl(cachedResultUrl, site)?.team : undefined;
	return { id: text, teamName };
}

/** The newest posts of one channel, page by page. */
async function channelPosts(
	ctx: ILoadOptionsFunctions,
	channel: { id: string; teamName?: string },
	position: PostPickerPosition,
): Promise<INodeListSearchResult> {
	const [list, site] = await Promise.all([
		mattermostApiRequest.call(ctx, 'GET', `/channels/${channel.id}/posts`, {
			qs: { page: position.page, per_page: POST_PAGE_SIZE },
			picker: true,
			subject: `channel ${channel.id}`,
		}) as Promise<PostList>,
		siteUrl(ctx),
	]);
	const posts = postsOf(list);
	const usernames = await usernamesOf(ctx, posts);
	const results = posts.map((post) => ({
		name: postLabel(post, usernames.get(post.user_id as string)),
		value: post.id as string,
		url: channel.teamName ? `${site}/${channel.teamName}/pl/${post.id}` : undefined,
	}));
	const next = posts.length === POST_PAGE_SIZE ? { page: position.page + 1 } : undefined;
	return { results, paginationToken: tokenOf(next) };
}

/** The token user's saved (flagged) posts, newest first, page by page. */
async function savedPosts(ctx: ILoadOptionsFunctions, position: PostPickerPosition): Promise<INodeListSearchResult> {
	const [list, teams, site] = await Promise.all([
		mattermostApiRequest.call(ctx, 'GET', '/users/me/posts/flagged', {
			qs: { page: position.page, per_page: POST_PAGE_SIZE },
			picker: true,
		}) as Promise<PostList>,
		myTeams(ctx),
		siteUrl(ctx),
	]);
	const posts = postsOf(list);
	const channels = posts.length > 0 ? await myChannels(ctx) : new Map<string, IDataObject>();
	teams.sort(byDisplayName);
	const teamNames = new Map(teams.map((team) => [team.id as string, String(team.name)]));
	const results = posts.map((post) => {
		const channel = channels.get(post.channel_id as string);
		// Direct and group messages belong to no team: any team of the user opens them.
		const teamName = channel?.team_id ? teamNames.get(channel.team_id as string) : channel && teams[0]?.name;
		return {
			name: postLabel(post, undefined, channel),
			value: post.id as string,
			url: teamName ? `${site}/${String(teamName)}/pl/${post.id}` : undefined,
		};
	});
	// The server drops posts of channels the user can no longer read after paging: count the ids asked for.
	const next = (list?.order?.length ?? 0) >= POST_PAGE_SIZE ? { page: position.page + 1 } : undefined;
	return { results, paginationToken: tokenOf(next) };
}

/**
 * Mattermost's post search in every team of the token's user, team after team. A team's search
 * also finds direct and group messages, so those are kept from the first team only.
 */
async function foundPosts(
	ctx: ILoadOptionsFunctions,
	terms: string,
	position: PostPickerPosition,
): Promise<INodeListSearchResult> {
	const [teams, site] = await Promise.all([myTeams(ctx), siteUrl(ctx)]);
	teams.sort(byDisplayName);
	let teamIndex = position.team ? teams.findIndex((team) => team.id === position.team) : 0;
	if (teamIndex < 0) return { results: [] };
	let page = position.team ? position.page : 0;
	const found: Array<{ post: IDataObject; teamIndex: number }> = [];
	let next: PostPickerPosition | undefined;
	for (let searches = 0; teamIndex < teams.length; searches++) {
		if (searches === MAX_SEARCHES_PER_PAGE) {
			next = { team: teams[teamIndex].id as string, page };
			break;
		}
		const list = (await mattermostApiRequest.call(ctx, 'POST', `/teams/${teams[teamIndex].id}/posts/search`, {
			body: { terms, is_or_search: false, page, per_page: POST_PAGE_SIZE },
			picker: true,
		})) as PostList;
		const posts = postsOf(list);
		found.push(...posts.map((post) => ({ post, teamIndex })));
		// A full page may have a next one. More than asked means the server ignores paging (its
		// database search answers up to 100 posts on page 0, nothing after): that team is done.
		if (posts.length === POST_PAGE_SIZE) {
			next = { team: teams[teamIndex].id as string, page: page + 1 };
			break;
		}
		teamIndex++;
		page = 0;
		if (found.length >= POST_PAGE_SIZE && teamIndex < teams.length) {
			next = { team: teams[teamIndex].id as string, page: 0 };
			break;
		}
	}
	if (found.length === 0) return { results: [], paginationToken: tokenOf(next) };
	const [channels, usernames] = await Promise.all([myChannels(ctx), usernamesOf(ctx, found.map(({ post }) => post))]);
	const seen = new Set<string>();
	const results: INodeListSearchItems[] = [];
	for (const { post, teamIndex: index } of found) {
		const id = post.id as string;
		const channel = channels.get(post.channel_id as string);
		if (seen.has(id) || (index > 0 && channel && !channel.team_id)) continue;
		seen.add(id);
		results.push({
			name: postLabel(post, usernames.get(post.user_id as string), channel),
			value: id,
			url: `${site}/${String(teams[index].name)}/pl/${id}`,
		});
	}
	return { results, paginationToken: tokenOf(next) };
}

/**
 * Posts for the Post picker; every request works with a non-admin bot token. With a filter:
 * Mattermost's search (`POST /teams/{team}/posts/search`) in each team of the user. Without: the
 * newest posts of the operation's channel if it has a Channel, else the user's saved posts, or
 * nothing when that list fails.
 */
export async function searchPosts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const position = positionOf(paginationToken);
	const terms = filter?.trim();
	if (terms) return await foundPosts(this, terms, position);
	return await defaultList(this, 'posts', async () => {
		const channel = await selectedChannel(this);
		if (channel) return await channelPosts(this, channel, position);
		return await savedPosts(this, position);
	});
}
