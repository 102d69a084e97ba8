import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertMattermostId, lookUpUser, userById } from '../../helpers/resolve';
import { simplifyUser } from '../../helpers/simplify';

export { isEmail } from '../../helpers/resolve';

/** The user of a User resource locator, in one request whichever way it was given. */
export async function fetchUser(ctx: IExecuteFunctions, itemIndex: number, parameter = 'userId'): Promise<IDataObject> {
	const { id, user } = await lookUpUser(ctx, itemIndex, parameter);
	if (user) return user;
	return await userById(ctx, id, { itemIndex });
}

/**
 * Like fetchUser, but refuses a deactivated user: `consequence` says what would go wrong here
 * (Mattermost refuses some such requests with a 403 that reads like a missing permission, and
 * takes others, e.g. a direct message nobody can read).
 */
export async function fetchActiveUser(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	consequence: string,
): Promise<IDataObject> {
	const user = await fetchUser(ctx, itemIndex, parameter);
	if (Number(user.delete_at ?? 0) > 0) {
		throw new NodeOperationError(ctx.getNode(), `User "${String(user.username ?? user.id)}" is deactivated`, {
			description: `${consequence} Reactivate the account (System Console > User Management > Users), or choose an active user.`,
			itemIndex,
		});
	}
	return user;
}

/** A user as output: simplified when the operation's Simplify is on. */
export function userOutput(ctx: IExecuteFunctions, itemIndex: number, user: IDataObject): IDataObject {
	return ctx.getNodeParameter('simplify', itemIndex, true) ? simplifyUser(user) : user;
}

/** A team or channel ID typed into a filter, checked before any request. */
export function optionalId(
	ctx: IExecuteFunctions,
	value: unknown,
	kind: 'team' | 'channel',
	itemIndex: number,
	field: string,
): string | undefined {
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	return assertMattermostId(ctx, String(value), kind, itemIndex, field);
}

// ------------------------------------------------------------------ dates

/** Milliseconds between UTC and the wall clock of `timeZone` at `instant`. */
function zoneOffsetMs(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
	const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall clock of `timeZone` shows the given (UTC-encoded) time. */
function fromWallClock(wallAsUtc: number, timeZone: string): number {
	let instant = wallAsUtc - zoneOffsetMs(wallAsUtc, timeZone);
	// Once more, in case the first guess fell on the other side of a DST change.
	instant = wallAsUtc - zoneOffsetMs(instant, timeZone);
	return instant;
}

/** The wall-clock date of `instant` in `timeZone`, as a UTC-encoded midnight, and its weekday. */
function wallDate(instant: number, timeZone: string): { midnight: number; weekday: number } {
	const wall = instant + zoneOffsetMs(instant, timeZone);
	const date = new Date(wall);
	return {
		midnight: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()),
		weekday: date.getUTCDay(),
	};
}

/** 23:59:59.999 of today (plus `days`) in `timeZone`. */
export function endOfDay(now: number, timeZone: string, days = 0): number {
	const { midnight } = wallDate(now, timeZone);
	return fromWallClock(midnight + (days + 1) * 86_400_000 - 1, timeZone);
}

/** 23:59:59.999 of the coming Saturday in `timeZone` (Mattermost's app: the end of the week). */
export function endOfWeek(now: number, timeZone: string): number {
	const { weekday } = wallDate(now, timeZone);
	return endOfDay(now, timeZone, 6 - weekday);
}

function timeZoneOf(ctx: IExecuteFunctions): string {
	const zone = ctx.getTimezone();
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return zone;
	} catch {
		return 'UTC';
	}
}

/**
 * A date parameter as milliseconds: an ISO text (without an offset it is read in the workflow's
 * timezone, as n8n's date picker means it), epoch milliseconds, a Date or a Luxon DateTime.
 */
export function dateParameter(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): number {
	let ms = Number.NaN;
	if (value instanceof Date) ms = value.getTime();
	else if (typeof value === 'number') ms = value;
	else if (value && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = (value as { toMillis: () => number }).toMillis();
	} else if (typeof value === 'string' && value.trim() !== '') {
		const text = value.trim();
		if (/^\d+$/.test(text)) ms = Number(text);
		else {
			const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/.exec(text);
			if (local) {
				const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = local;
				const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0')));
				const check = new Date(wall);
				if (check.getUTCMonth() === +mo - 1 && check.getUTCDate() === +d) ms = fromWallClock(wall, timeZoneOf(ctx));
			} else {
				ms = Date.parse(text);
			}
		}
	}
	if (!Number.isFinite(ms)) {
		const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
		throw new NodeOperationError(ctx.getNode(), `${field} ${shown} is not a date`, {
			description: `Give a date and time, e.g. 2025-06-30T17:00:00 (read in the workflow's timezone) or 2025-06-30T17:00:00Z, or pick one in the date picker.`,
			itemIndex,
		});
	}
	return ms;
}

export function workflowTimeZone(ctx: IExecuteFunctions): string {
	return timeZoneOf(ctx);
}
