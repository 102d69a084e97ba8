import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** Mattermost's AppError body, as every API error carries it (429 is plain text instead). */
export interface MattermostAppError {
	id?: string;
	message?: string;
	detailed_error?: string;
	request_id?: string;
	status_code?: number;
}

export interface FailedResponse {
	status?: number;
	data?: unknown;
	headers?: Record<string, unknown>;
}

/** What the transport knows about a failed call, without anything that could hold the token. */
export interface RequestFailure {
	response?: FailedResponse;
	code?: string;
	message: string;
}

const CERTIFICATE_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Unwraps the error n8n's request helper throws (a NodeApiError around an axios error). */
export function describeFailure(error: unknown): RequestFailure {
	const outer = error as { cause?: unknown; message?: string };
	const inner = (outer?.cause ?? error) as {
		response?: FailedResponse;
		code?: string;
		message?: string;
	};
	const response = inner?.response ?? (outer as { response?: FailedResponse })?.response;
	return {
		response:
			response && typeof response.status === 'number'
				? { status: response.status, data: response.data, headers: response.headers }
				: undefined,
		code: typeof inner?.code === 'string' ? inner.code : undefined,
		message: String(inner?.message ?? outer?.message ?? 'Unknown error'),
	};
}

export function parseAppError(data: unknown): MattermostAppError | undefined {
	let body = data;
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (body instanceof ArrayBuffer) body = Buffer.from(body).toString('utf8');
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const appError = body as MattermostAppError;
		if (typeof appError.message === 'string' || typeof appError.id === 'string') return appError;
	}
	return undefined;
}

function missingPermission(appError: MattermostAppError | undefined): string | undefined {
	const match = /permission=([a-z_]+)/i.exec(appError?.detailed_error ?? '');
	return match?.[1];
}

export interface ErrorContext {
	/** What the request was about, e.g. `channel "abc…"`, for 404 descriptions. */
	subject?: string;
	itemIndex?: number;
	/** The request went out with the OAuth2 credential (n8n signs it and renews the token). */
	oAuth2?: boolean;
	/** The request fills a From-list picker: the user gave no ID, at most a search text. */
	picker?: boolean;
}

const RECONNECT_OAUTH2 =
	'Open the Mattermost Suite OAuth2 credential and reconnect it (Connect my account / Reconnect) to get a new token.';

/**
 * n8n renews an OAuth2 token itself on a 401; when that fails it throws before any API answer:
 * a public client has no refresh token, or Mattermost refused the refresh grant (an AppError body
 * at the token URL, surfaced by n8n's OAuth client as `HTTP status <code>` with `status`/`body`).
 */
function tokenRenewalFailure(error: unknown): { message: string; description: string } | undefined {
	const outer = error as { cause?: unknown; message?: string };
	const inner = (outer?.cause ?? error) as { status?: unknown; body?: unknown; message?: string };
	const text = `${inner?.message ?? ''} ${outer?.message ?? ''}`;
	if (/no refresh token/i.test(text)) {
		return {
			message: 'The OAuth2 access token expired and cannot be renewed: this credential has no refresh token',
			description: `Public (PKCE) clients get no refresh token from Mattermost. ${RECONNECT_OAUTH2}`,
		};
	}
	if (typeof inner?.status === 'number' && inner.body !== undefined) {
		const appError = parseAppError(inner.body);
		return {
			message: `Mattermost refused to renew the OAuth2 access token (HTTP ${inner.status}${appError?.message ? `: ${appError.message}` : ''})`,
			description: `The refresh token is no longer valid (the app was deauthorized, its secret regenerated or the user deactivated). ${RECONNECT_OAUTH2}`,
		};
	}
	if (/needs to be reconnected/i.test(text)) {
		return { message: inner?.message ?? outer?.message ?? 'The OAuth2 credential needs to be reconnected', description: RECONNECT_OAUTH2 };
	}
	return undefined;
}

function statusDescription(status: number, appError: MattermostAppError | undefined, context: ErrorContext): string {
	if (status === 401 && context.oAuth2) {
		return `Mattermost did not accept the OAuth2 access token, also after n8n renewed it: the app was deauthorized or deleted, or its user deactivated. ${RECONNECT_OAUTH2}`;
	}
	if (status === 401) {
		return 'Mattermost did not accept the credential: the access token is wrong, expired or revoked, or its user is deactivated. Create a new token and update the credential.';
	}
	if (status === 403) {
		const permission = missingPermission(appError);
		return permission
			? `The token's user lacks the "${permission}" permission here. Ask a Mattermost admin to grant it, or use a token of a user who has it.`
			: "The token's user is not allowed to do this (missing permission, or not a member of the team or channel). Add the user to the team or channel, or use a token with more rights.";
	}
	if (status === 404 && context.picker && !context.subject) {
		return 'Mattermost found nothing at this address. Check the Base URL of the credential.';
	}
	if (status === 400 && context.picker) {
		return 'Mattermost refused the list request. Try another search text, or pick it By ID or By URL instead.';
	}
	if (status === 404) {
		return context.subject
			? `Mattermost found no ${context.subject}. Check the ID, and that the token's user can see it.`
			: 'Mattermost found nothing at this address. Check the IDs used, and the Base URL of the credential.';
	}
	if (status === 413) {
		return 'The request is larger than the server accepts (MaximumPayloadSizeBytes for data, MaxFileSize for files). Send less at once, or ask an admin to raise the limit.';
	}
	if (status === 429) {
		return 'Mattermost is rate limiting these requests. Slow the workflow down (e.g. with a Wait node or smaller batches), or ask an admin to raise RateLimitSettings.';
	}
	if (status === 501) {
		return 'This Mattermost server has this feature turned off or unlicensed. Ask an admin to enable it.';
	}
	if (status >= 500) {
		return 'Mattermost failed to handle the request. Try again later; if it keeps failing, give the admin the request ID.';
	}
	return 'Mattermost refused the request. Check the fields named in the message.';
}

/** The NodeApiError a user sees for a failed Mattermost call. */
export function mattermostError(node: INode, error: unknown, context: ErrorContext = {}): NodeApiError {
	if (error instanceof NodeApiError && (error as NodeApiError & { fromMattermostSuite?: boolean }).fromMattermostSuite) {
		return error;
	}
	const failure = describeFailure(error);
	const status = failure.response?.status;
	let message: string;
	let description: string;
	let requestId: string | undefined;
	if (status !== undefined) {
		const appError = parseAppError(failure.response?.data);
		requestId =
			appError?.request_id ??
			(failure.response?.headers?.['x-request-id'] as string | undefined);
		message =
			appError?.message ??
			(status === 429 ? 'Too many requests: Mattermost is rate limiting' : `Mattermost answered HTTP ${status}`);
		description = statusDescription(status, appError, context);
		if (requestId) description += ` (Mattermost request ID: ${requestId})`;
	} else {
		({ message, description } = (context.oAuth2 ? tokenRenewalFailure(error) : undefined) ?? connectionProblem(failure));
	}
	const apiError = new NodeApiError(
		node,
		{ message, status_code: status, request_id: requestId } as JsonObject,
		{
			message,
			description,
			httpCode: status !== undefined ? String(status) : undefined,
			itemIndex: context.itemIndex,
		},
	);
	(apiError as NodeApiError & { fromMattermostSuite?: boolean }).fromMattermostSuite = true;
	if (requestId) apiError.context.requestId = requestId;
	return apiError;
}

function connectionProblem(failure: RequestFailure): { message: string; description: string } {
	const code = failure.code ?? '';
	if (CERTIFICATE_CODES.has(code) || /certificate/i.test(failure.message)) {
		return {
			message: `The server's SSL certificate could not be verified (${code || failure.message}): install a trusted certificate or turn on "Ignore SSL Issues (Insecure)" in the credential`,
			description:
				'The Mattermost server uses a self-signed or otherwise untrusted certificate. Install a trusted certificate on the server, or turn on "Ignore SSL Issues (Insecure)" in the credential.',
		};
	}
	if (code === 'ECONNREFUSED') {
		return {
			message: 'Mattermost refused the connection (ECONNREFUSED)',
			description: 'Nothing answers at the Base URL of the credential. Check the host and port, and that Mattermost is running.',
		};
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return {
			message: `The Mattermost host could not be found (${code})`,
			description: 'Check the host name in the Base URL of the credential.',
		};
	}
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(failure.message)) {
		return {
			message: 'Mattermost did not answer in time',
			description: 'The request timed out. Try again, or raise the timeout in the node options.',
		};
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(failure.message)) {
		return {
			message: 'The connection to Mattermost was closed before it answered',
			description: 'A proxy or the server dropped the connection. Try again; if it keeps happening, check the proxy between n8n and Mattermost.',
		};
	}
	return {
		message: failure.message,
		description: 'The request to Mattermost failed before an answer came back. Check the Base URL of the credential and the network between n8n and Mattermost.',
	};
}
