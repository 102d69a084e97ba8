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

/**
 * What an answer with an error status says. The transport asks n8n for the full response and no
 * throw on HTTP statuses, so status, body and headers (`Retry-After`) reach us the same way on
 * every n8n line: n8n-workflow 1.x drops both the error's `cause` and the response headers.
 */
export function failedResponse(response: { statusCode: number; body?: unknown; headers?: Record<string, unknown> }): RequestFailure {
	return {
		response: { status: response.statusCode, data: response.body, headers: response.headers ?? {} },
		message: `Mattermost answered HTTP ${response.statusCode}`,
	};
}

/**
 * Unwraps an error n8n's request helper threw: a NodeApiError around an axios error (n8n 2.x keeps
 * it as `cause`), or on n8n 1.x the NodeApiError alone, which keeps the status or the network
 * error code as the string `httpCode` and a JSON error body as `context.data`.
 */
export function describeFailure(error: unknown): RequestFailure {
	const outer = error as { cause?: unknown; message?: string; httpCode?: unknown; context?: { data?: unknown } };
	const inner = (outer?.cause ?? error) as {
		response?: FailedResponse;
		code?: string;
		message?: string;
	};
	const response = inner?.response ?? (outer as { response?: FailedResponse })?.response;
	const httpCode = typeof outer?.httpCode === 'string' ? outer.httpCode : '';
	const statusFromCode = /^\d{3}$/.test(httpCode) ? Number(httpCode) : undefined;
	let failedWith: FailedResponse | undefined;
	if (response && typeof response.status === 'number') {
		failedWith = { status: response.status, data: response.data, headers: response.headers };
	} else if (statusFromCode !== undefined) {
		failedWith = { status: statusFromCode, data: outer.context?.data, headers: {} };
	}
	const code = typeof inner?.code === 'string' ? inner.code : statusFromCode === undefined && httpCode ? httpCode : undefined;
	return {
		response: failedWith,
		code,
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
	/** The site the credential's Base URL names, e.g. `https://mm.example.com:8065`, for fixes that quote it. */
	siteUrl?: string;
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
	const outer = error as { cause?: unknown; message?: string; messages?: unknown };
	const inner = (outer?.cause ?? error) as { status?: unknown; body?: unknown; message?: string };
	// n8n 1.x drops `cause`: what is left of the OAuth client's error is in the NodeApiError's messages.
	const earlier = Array.isArray(outer?.messages) ? outer.messages.map(String) : [];
	const text = [inner?.message ?? '', outer?.message ?? '', ...earlier].join(' ');
	// 2.x's OAuth client says it has no refresh token; 1.x's asserts "refreshToken is required".
	if (/no refresh token|refreshToken is required/i.test(text)) {
		return {
			message: 'The OAuth2 access token expired and cannot be renewed: this credential has no refresh token',
			description: `Public (PKCE) clients get no refresh token from Mattermost. ${RECONNECT_OAUTH2}`,
		};
	}
	const refusedWith =
		typeof inner?.status === 'number' && inner.body !== undefined
			? inner.status
			: Number(/\bHTTP status (\d{3})\b/.exec(text)?.[1] ?? NaN);
	if (Number.isInteger(refusedWith)) {
		const appError = inner.body !== undefined ? parseAppError(inner.body) : undefined;
		return {
			message: `Mattermost refused to renew the OAuth2 access token (HTTP ${refusedWith}${appError?.message ? `: ${appError.message}` : ''})`,
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

/** The NodeApiError a user sees for an error n8n's request helper threw (or one of ours, as it is). */
export function mattermostError(node: INode, error: unknown, context: ErrorContext = {}): NodeApiError {
	if (error instanceof NodeApiError && (error as NodeApiError & { fromMattermostSuite?: boolean }).fromMattermostSuite) {
		return error;
	}
	// Checked first: n8n 1.x gives a refused renewal the token endpoint's status as `httpCode`.
	const renewal = context.oAuth2 ? tokenRenewalFailure(error) : undefined;
	return failureError(node, describeFailure(error), context, renewal);
}

/** A description with the request ID at its end, where support looks for it. */
function withRequestId(description: string, requestId: unknown): string {
	return requestId ? `${description} (Mattermost request ID: ${String(requestId)})` : description;
}

/** Whether a failed Mattermost call was answered 404 (e.g. the thing asked for no longer exists). */
export function isNotFound(error: unknown): boolean {
	return (error as { httpCode?: string } | undefined)?.httpCode === '404';
}

/** Puts the advice an operation knows better in place of the general one; the request ID stays. */
export function adviseOn(error: NodeApiError, advice: string): NodeApiError {
	error.description = withRequestId(advice, error.context.requestId);
	return error;
}

/** The NodeApiError a user sees for a failed Mattermost call. */
export function failureError(
	node: INode,
	failure: RequestFailure,
	context: ErrorContext = {},
	renewal?: { message: string; description: string },
): NodeApiError {
	const status = renewal ? undefined : failure.response?.status;
	let message: string;
	let description: string;
	let requestId: string | undefined;
	let appError: MattermostAppError | undefined;
	if (status !== undefined) {
		appError = parseAppError(failure.response?.data);
		requestId =
			appError?.request_id ??
			(failure.response?.headers?.['x-request-id'] as string | undefined);
		message =
			appError?.message ??
			(status === 429 ? 'Too many requests: Mattermost is rate limiting' : `Mattermost answered HTTP ${status}`);
		// Mattermost's own 401 text says to log in again. Where n8n shows only the message (2.x's
		// status of a trigger that failed to activate) it must still name the credential.
		if (status === 401) message = `Mattermost did not accept the ${context.oAuth2 ? 'OAuth2 ' : ''}access token: ${message}`;
		description = withRequestId(statusDescription(status, appError, context), requestId);
	} else {
		({ message, description } = renewal ?? connectionProblem(failure, context));
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
	// e.g. api.context.permissions.app_error: callers that know which permission a call needs name it.
	if (appError?.id) apiError.context.mattermostErrorId = appError.id;
	// Mattermost's own words, before the node added its own (e.g. to a 401), for callers that quote them.
	if (appError?.message) apiError.context.mattermostMessage = appError.message;
	return apiError;
}

/**
 * A TLS client that gets a plain-HTTP answer reads its first bytes as a TLS record header and
 * fails with "wrong version number" (Node: EPROTO, OpenSSL: ERR_SSL_WRONG_VERSION_NUMBER).
 */
function answeredPlainHttp(failure: RequestFailure): boolean {
	if (failure.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(failure.message)) return true;
	return failure.code === 'EPROTO' && !/SSL routines|alert/i.test(failure.message);
}

/** `host:port` and the http:// Base URL to suggest, from the credential's site URL. */
function plainHttpSite(siteUrl: string | undefined): { hostPort: string; httpUrl: string } {
	try {
		const url = new URL(siteUrl ?? '');
		// An https URL without a port means 443, which the http:// form must then name.
		const hostPort = url.port ? url.host : `${url.host}:443`;
		return { hostPort, httpUrl: `http://${hostPort}${url.pathname.replace(/\/+$/, '')}` };
	} catch {
		return { hostPort: 'host:port', httpUrl: 'http://host:port' };
	}
}

function connectionProblem(failure: RequestFailure, context: ErrorContext = {}): { message: string; description: string } {
	const code = failure.code ?? '';
	if (answeredPlainHttp(failure)) {
		const { hostPort, httpUrl } = plainHttpSite(context.siteUrl);
		return {
			message: `The server at ${hostPort} answered in plain HTTP, not TLS (${code || 'wrong version number'}): write ${httpUrl} as Base URL, or enable TLS on the server`,
			description: `n8n used https because the Base URL of the credential starts with https:// or has no scheme (https:// is then assumed), and the server at ${hostPort} does not speak TLS. n8n never switches to http by itself: the token would travel in clear text. Write ${httpUrl} as Base URL if the network between n8n and Mattermost is trusted, or enable TLS on the server (or on a proxy in front of it).`,
		};
	}
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
