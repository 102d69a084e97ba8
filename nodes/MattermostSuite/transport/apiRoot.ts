/**
 * The one rule that turns what a user types as "Base URL" into the REST API root.
 *
 * The credential's test request applies the same rule as an n8n expression (n8n evaluates
 * credential tests without running package code); a test runs a table of inputs through both
 * and asserts they agree, so change them together.
 */

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** An http(s) URL: host or [IPv6], an optional port from 1 to 65535, an optional path. */
const HTTP_URL = /^https?:\/\/(\[[0-9a-f:.]+\]|[^\s/?#@:[\]]+)(:([1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]))?(\/[^\s?#]*)?$/i;
const API_SUFFIX = /\/api\/v4$/i;

export const BASE_URL_HINT =
	'Use the address you open Mattermost at, e.g. https://mattermost.example.com or https://example.com/mattermost';

/** A refused URL is shown back to the user, but never a password pasted into it. */
function withoutPassword(url: string): string {
	return url.replace(/\/\/[^/@\s]*@/, '//…@');
}

export class InvalidBaseUrlError extends Error {
	constructor(readonly baseUrl: string) {
		super(
			(baseUrl.trim() === ''
				? 'The Base URL of the Mattermost credential is empty'
				: `The Base URL of the Mattermost credential is not a valid http(s) URL: "${withoutPassword(baseUrl.trim())}"`) +
				`. ${BASE_URL_HINT}`,
		);
		this.name = 'InvalidBaseUrlError';
	}
}

/** Site URL without trailing slashes or a pasted `/api/v4`, e.g. `https://example.com/mattermost`. */
export function siteUrlFromBaseUrl(baseUrl: unknown): string {
	const raw = typeof baseUrl === 'string' ? baseUrl : '';
	let url = raw.trim();
	if (url !== '' && !SCHEME.test(url)) url = `https://${url}`;
	url = url.replace(/\/+$/, '').replace(API_SUFFIX, '').replace(/\/+$/, '');
	if (!HTTP_URL.test(url)) throw new InvalidBaseUrlError(raw);
	return url;
}

/** REST API root, e.g. `https://example.com/mattermost/api/v4`. */
export function apiRootFromBaseUrl(baseUrl: unknown): string {
	return `${siteUrlFromBaseUrl(baseUrl)}/api/v4`;
}
