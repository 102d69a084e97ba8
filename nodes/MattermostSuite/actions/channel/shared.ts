import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveChannelId } from '../../helpers/resolve';
import { simplifyChannel } from '../../helpers/simplify';

/** Channel.IsValid of the server: a lowercase letter or digit, then lowercase letters, digits, - and _. */
export const CHANNEL_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
export const CHANNEL_NAME_MAX_LENGTH = 64;
export const CHANNEL_DISPLAY_NAME_MAX_RUNES = 64;
export const CHANNEL_PURPOSE_MAX_RUNES = 250;
export const CHANNEL_HEADER_MAX_RUNES = 1024;

const runes = (text: string) => [...text].length;

/** A channel's URL name, checked like the server does before anything is sent. */
export function assertChannelName(ctx: IExecuteFunctions, value: unknown, itemIndex: number, field = 'Name'): string {
	const name = typeof value === 'string' ? value.trim() : '';
	if (name === '') {
		throw new NodeOperationError(ctx.getNode(), `${field} is empty`, {
			description: 'Enter the URL name of the channel, e.g. release-notes',
			itemIndex,
		});
	}
	if (name.length > CHANNEL_NAME_MAX_LENGTH || !CHANNEL_NAME_PATTERN.test(name)) {
		throw new NodeOperationError(ctx.getNode(), `${field} "${name}" is not a valid channel name`, {
			description: `A channel name is 1 to ${CHANNEL_NAME_MAX_LENGTH} characters: lowercase letters, digits, "-" and "_", starting with a letter or digit, e.g. release-notes. It is the last part of the channel's URL.`,
			itemIndex,
		});
	}
	return name;
}

/** The URL name Mattermost's web app proposes for a display name: "Release Notes!" → "release-notes". */
export function channelNameFromDisplayName(displayName: string): string {
	return displayName
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9_]+/g, '-')
		.replace(/^[-_]+/, '')
		.slice(0, CHANNEL_NAME_MAX_LENGTH)
		.replace(/-+$/, '');
}

export function assertDisplayName(ctx: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const displayName = typeof value === 'string' ? value.trim() : '';
	if (displayName === '') {
		throw new NodeOperationError(ctx.getNode(), 'Display Name is empty', {
			description: 'Enter the name people see for the channel, e.g. Release Notes',
			itemIndex,
		});
	}
	if (runes(displayName) > CHANNEL_DISPLAY_NAME_MAX_RUNES) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Display Name is ${runes(displayName)} characters long; Mattermost accepts at most ${CHANNEL_DISPLAY_NAME_MAX_RUNES}`,
			{ description: 'Shorten the display name.', itemIndex },
		);
	}
	return displayName;
}

/** Purpose and header: any text up to the server's limits (an empty text clears the field). */
export function assertChannelText(
	ctx: IExecuteFunctions,
	value: unknown,
	field: 'Purpose' | 'Header',
	itemIndex: number,
): string {
	const text = value === undefined || value === null ? '' : String(value);
	const max = field === 'Purpose' ? CHANNEL_PURPOSE_MAX_RUNES : CHANNEL_HEADER_MAX_RUNES;
	if (runes(text) > max) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field} is ${runes(text)} characters long; Mattermost accepts at most ${max}`,
			{ description: `Shorten the ${field.toLowerCase()}.`, itemIndex },
		);
	}
	return text;
}

export function channelItems(channels: IDataObject[], simplify: boolean) {
	return channels.map((channel) => ({ json: simplify ? simplifyChannel(channel) : channel }));
}

/** Channel operations work on archived channels too, so a channel URL finds those as well. */
export async function resolveChannelIdIncludingArchived(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter = 'channelId',
): Promise<string> {
	return await resolveChannelId(ctx, itemIndex, parameter, { includeArchived: true });
}
