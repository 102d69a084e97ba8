import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { mattermostApiRequest, mattermostSiteUrl } from '../transport';

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

/** `/users/me/teams` works for any token, admin or not, and answers every team at once. */
async function myTeams(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const teams = (await mattermostApiRequest.call(ctx, 'GET', '/users/me/teams')) as IDataObject[];
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
		return typeof team === 'string' && /^[a-z0-9]{26}$/.test(team) ? team : undefined;
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
	let users: IDataObject[];
	let next: string | undefined;
	if (filter) {
		const found = await mattermostApiRequest.call(this, 'GET', '/users/autocomplete', {
			qs: { name: filter, limit: USER_PAGE_SIZE },
		});
		users = [...((found?.users as IDataObject[]) ?? []), ...((found?.out_of_channel as IDataObject[]) ?? [])];
	} else {
		const page = Number(paginationToken ?? 0);
		users = (await mattermostApiRequest.call(this, 'GET', '/users', {
			qs: { page, per_page: USER_PAGE_SIZE, active: true },
		})) as IDataObject[];
		next = users.length === USER_PAGE_SIZE ? String(page + 1) : undefined;
	}
	const results = users
		.filter((user) => !user.delete_at)
		.map((user) => ({ name: userLabel(user), value: user.id as string }));
	return { results, paginationToken: next };
}
