import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { accessTokenProblem } from './accessToken';
import { apiRootFromBaseUrl, InvalidBaseUrlError, siteUrlFromBaseUrl } from './apiRoot';
import { describeFailure, failedResponse, failureError, mattermostError, type ErrorContext, type RequestFailure } from './errors';
import { executionOnce, rateLimiterOf, type Connection } from './perExecution';
import {
	DEFAULT_RETRY_POLICY,
	alreadyDone,
	backoffMs,
	classify,
	decideRetry,
	repeatability,
	serverRequestedWaitMs,
	type RetryPolicy,
} from './retry';

export { apiRootFromBaseUrl, siteUrlFromBaseUrl } from './apiRoot';
export { adviseOn, isNotFound, mattermostError } from './errors';

export type MattermostContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ITriggerFunctions;

export const ACCESS_TOKEN_CREDENTIAL = 'mattermostSuiteApi';
/** The OAuth2 credential (an app registered in Mattermost). Not named OAUTH2_…: the community
 * lint rule no-hardcoded-secrets takes any name containing "auth" plus a value with digits for a secret. */
export const APP_CREDENTIAL = 'mattermostSuiteOAuth2Api';

/** The server's cap for `per_page`; a larger value is clamped silently. */
export const MAX_PAGE_SIZE = 200;

const FILE_TRANSFER_TIMEOUT_MS = 10 * 60_000;

/**
 * What one `since` answer holds at most: the server takes the first 1000 posts changed after
 * `since` that its database finds, in no stated order, and ignores `page`/`per_page`.
 */
export const POSTS_SINCE_LIMIT = 1000;

/** Far above any real list; stops an endpoint that repeats itself from looping forever. */
const MAX_PAGES = 10_000;

export interface MattermostRequest extends ErrorContext {
	qs?: IDataObject;
	body?: IDataObject | IDataObject[] | string[] | Buffer | FormData | StreamedBody;
	headers?: IDataObject;
	/** Binary download: resolve with the full response, its body a Readable stream. */
	binary?: boolean;
}

/** A request body sent as it is read, e.g. a file from n8n's binary data store. */
export interface StreamedBody {
	contentType: string;
	/** Bytes in all, sent as Content-Length. */
	length: number;
	/** Called once per attempt: a body that was sent cannot be read again. */
	open: () => AsyncIterable<Uint8Array>;
}

/** The body of a `binary` answer: a Node.js Readable. */
export type BinaryStream = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

function isStreamedBody(body: MattermostRequest['body']): body is StreamedBody {
	return typeof (body as StreamedBody | undefined)?.open === 'function';
}

/**
 * The body as n8n's request helper takes it. n8n passes it to axios, whose Node.js adapter sends a
 * Blob by iterating its `stream()`, once per attempt, with the Blob's size as Content-Length.
 * Node's own Blob would need the contents in memory, and a Readable needs the 'stream' module,
 * which n8n's verification does not allow a community node to import: a Blob-shaped object reads
 * the contents as they are sent.
 */
function blobShaped(body: StreamedBody) {
	return {
		[Symbol.toStringTag]: 'Blob',
		size: body.length,
		type: body.contentType,
		stream: () => body.open(),
	};
}

/** An error answer to a `binary` request arrives as a stream: read it (it is small) for the error message. */
async function bufferedErrorBody(response: FullResponse): Promise<FullResponse> {
	const body = response.body as AsyncIterable<Uint8Array> | undefined;
	if (!body || Buffer.isBuffer(body) || typeof body[Symbol.asyncIterator] !== 'function') return response;
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(Buffer.from(chunk));
	return { ...response, body: Buffer.concat(chunks) };
}

/** What n8n's request helper resolves with `returnFullResponse`. */
interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
	statusMessage?: string;
}

/** The node's "Authentication" choice; nodes without the parameter use the access token. */
function credentialTypeOf(ctx: MattermostContext): string {
	let authentication: unknown;
	if ('getCurrentNodeParameter' in ctx) authentication = ctx.getCurrentNodeParameter('authentication');
	else if ('getInputData' in ctx) authentication = ctx.getNodeParameter('authentication', 0, 'accessToken');
	else authentication = ctx.getNodeParameter('authentication', 'accessToken');
	return authentication === 'oAuth2' ? APP_CREDENTIAL : ACCESS_TOKEN_CREDENTIAL;
}

/** The credential, read and checked once per run of the node (items in flight share the read). */
async function connection(ctx: MattermostContext, itemIndex?: number): Promise<Connection> {
	return await executionOnce(ctx, 'connection', async () => await readConnection(ctx, itemIndex));
}

async function readConnection(ctx: MattermostContext, itemIndex?: number): Promise<Connection> {
	const credentialType = credentialTypeOf(ctx);
	const credentials = await ctx.getCredentials(credentialType, itemIndex);
	let siteUrl: string;
	try {
		siteUrl = siteUrlFromBaseUrl(credentials.baseUrl);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, {
			description:
				error instanceof InvalidBaseUrlError
					? 'Open the Mattermost Suite credential and correct its Base URL.'
					: undefined,
			itemIndex,
		});
	}
	// Known before any request: thrown later, from the credential's authenticate, it would read like a network failure.
	const tokenProblem = credentialType === ACCESS_TOKEN_CREDENTIAL ? accessTokenProblem(credentials.accessToken) : undefined;
	if (tokenProblem) {
		throw new NodeOperationError(ctx.getNode(), tokenProblem, {
			description: 'Open the Mattermost Suite credential and paste the token again: a personal access token or a bot account token, nothing around it.',
			itemIndex,
		});
	}
	return {
		credentialType,
		siteUrl,
		apiRoot: apiRootFromBaseUrl(credentials.baseUrl),
		skipSslCertificateValidation: credentials.ignoreSslIssues === true,
	};
}

/** The Mattermost site the node talks to, e.g. `https://example.com/mattermost`, for links and URL parsing. */
export async function mattermostSiteUrl(this: MattermostContext, itemIndex?: number): Promise<string> {
	return (await connection(this, itemIndex)).siteUrl;
}

/** The node's "Request Options", or the defaults where a context has none (pickers, triggers). */
function retryPolicyOf(ctx: MattermostContext, itemIndex: number | undefined): RetryPolicy {
	if (itemIndex === undefined || !('getInputData' in ctx)) return DEFAULT_RETRY_POLICY;
	const options = (ctx as IExecuteFunctions).getNodeParameter('requestOptions', itemIndex, {}) as IDataObject;
	const seconds = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value * 1000 : fallback;
	return {
		retryOnRateLimit: options.retryOnRateLimit !== false,
		retryOnServerErrors: options.retryOnServerErrors !== false,
		maxAttempts: Math.max(1, Math.floor(Number(options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts)) || 1),
		maxWaitMs: seconds(options.maxWaitSeconds, DEFAULT_RETRY_POLICY.maxWaitMs),
		timeoutMs: seconds(options.timeoutSeconds, DEFAULT_RETRY_POLICY.timeoutMs) || DEFAULT_RETRY_POLICY.timeoutMs,
	};
}

/**
 * One call to the Mattermost REST API; `endpoint` is relative to `/api/v4`. Rate limits, 5xx and
 * dropped connections are retried as the request allows (see retry.ts); the same request, body
 * and `pending_post_id` included, is sent each time.
 */
export async function mattermostApiRequest(
	this: MattermostContext,
	method: IHttpRequestMethods,
	endpoint: string,
	request: MattermostRequest = {},
): Promise<any> {
	const server = await connection(this, request.itemIndex);
	const { apiRoot, credentialType, siteUrl, skipSslCertificateValidation } = server;
	const policy = retryPolicyOf(this, request.itemIndex);
	const streamedBody = isStreamedBody(request.body) ? request.body : undefined;
	const transfersFile =
		request.binary === true || streamedBody !== undefined || request.body instanceof FormData || Buffer.isBuffer(request.body);
	const options: IHttpRequestOptions = {
		method,
		url: `${apiRoot}${endpoint}`,
		qs: request.qs,
		headers: { Accept: 'application/json', ...request.headers },
		skipSslCertificateValidation,
		// The Timeout option is sized for API answers; a 100 MB file over a slow link needs minutes.
		timeout: transfersFile ? Math.max(policy.timeoutMs, FILE_TRANSFER_TIMEOUT_MS) : policy.timeoutMs,
		// Every answer comes back whole, error statuses included: n8n 1.x's errors keep neither the
		// response nor its headers (Retry-After). Only failures without an answer throw, and an
		// OAuth2 401, which n8n answers by renewing the token and sending the request again.
		returnFullResponse: true,
		ignoreHttpStatusErrors: credentialType === APP_CREDENTIAL ? { ignore: true, except: [401] } : true,
	};
	if (streamedBody) {
		options.json = false;
		options.body = blobShaped(streamedBody) as unknown as IHttpRequestOptions['body'];
		options.headers = { ...options.headers, 'Content-Type': streamedBody.contentType, 'Content-Length': String(streamedBody.length) };
		// Without redirects axios writes to Node's http directly: follow-redirects would keep
		// every chunk written until the answer, to replay the body on a redirect.
		options.disableFollowRedirect = true;
	} else if (request.body !== undefined) {
		options.body = request.body as IHttpRequestOptions['body'];
		options.json = !(request.body instanceof FormData) && !Buffer.isBuffer(request.body);
	} else {
		options.json = true;
	}
	if (request.binary) {
		options.encoding = 'stream';
		options.json = false;
	}
	const oAuth2 = credentialType === APP_CREDENTIAL;
	const limiter = rateLimiterOf(this, server);
	const kind = repeatability(method, endpoint, request.body);
	const firstAttemptAt = Date.now();
	// Whether an earlier attempt may have reached the server although its answer never came back.
	let answerLost = false;
	for (let attempt = 1; ; attempt++) {
		let failure: RequestFailure;
		let thrown: unknown;
		let answered: FullResponse | undefined;
		await limiter.acquire(policy.maxWaitMs);
		try {
			let response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, { ...options })) as FullResponse;
			if (response.statusCode === 401 && oAuth2) {
				await bufferedErrorBody(response);
				// n8n 1.x ignores `except` and so renews nothing: ask again in the throwing mode it knows.
				response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
					...options,
					ignoreHttpStatusErrors: false,
				})) as FullResponse;
			}
			answered = response;
			if (response.statusCode >= 200 && response.statusCode < 300) return request.binary ? response : response.body;
			failure = failedResponse(await bufferedErrorBody(response));
		} catch (error) {
			thrown = error;
			failure = describeFailure(error);
		} finally {
			limiter.release(answered?.statusCode, answered?.headers);
		}
		if (classify(failure) === 'rate-limited') {
			limiter.pause(Math.min(policy.maxWaitMs, serverRequestedWaitMs(failure) ?? backoffMs(attempt)));
		}
		if (answerLost && alreadyDone(method, failure)) {
			this.logger?.debug(`Mattermost ${method} ${endpoint}: an earlier attempt whose answer was lost already did it`);
			return { status: 'OK' };
		}
		const decision = decideRetry(policy, failure, kind, attempt, firstAttemptAt);
		if (!decision.retry) {
			const context = { ...request, oAuth2, siteUrl };
			const apiError =
				thrown === undefined ? failureError(this.getNode(), failure, context) : mattermostError(this.getNode(), thrown, context);
			if (decision.reason) apiError.description = `${apiError.description ?? ''} (${decision.reason})`.trim();
			throw apiError;
		}
		const failureKind = classify(failure);
		if (failureKind === 'dropped' || failureKind === 'server') answerLost = true;
		this.logger?.debug(`Mattermost ${method} ${endpoint} failed, attempt ${attempt}; retrying in ${decision.waitMs} ms`);
		await sleep(decision.waitMs);
	}
}

export interface ListRequest extends MattermostRequest {
	/** Stop after this many items; undefined means all. */
	limit?: number;
	/** Pulls the items out of a page when the endpoint wraps them, e.g. `{ users: [...] }`. */
	itemsOf?: (page: any) => IDataObject[];
	/** Where the endpoint reads `page`/`per_page`: the query (most lists) or a JSON body (searches). */
	pageIn?: 'query' | 'body';
}

/**
 * How many pages of a long `page`/`per_page` list are asked for at once. Page numbers, unlike the
 * post cursors, let the next pages go out before this one is back: at 20 ms per answer that is
 * most of a long Return All. The first page goes alone, then two, then this many at a time, so a
 * list of one page costs no extra request and a longer one at most this many minus one pages past
 * its end (which come back empty).
 */
export const MAX_PAGES_IN_FLIGHT = 4;

/**
 * Every item of a `page`/`per_page` list, in page order. Ends on a short page; an endpoint that
 * ignores paging (answers more than asked, or the same page again) ends after its first answer.
 * Pages are read ahead (MAX_PAGES_IN_FLIGHT) under the execution's rate limit; answers past the
 * end are dropped, and so is the failure of a page past the end.
 */
export async function mattermostApiRequestAllItems(
	this: MattermostContext,
	method: IHttpRequestMethods,
	endpoint: string,
	request: ListRequest = {},
): Promise<IDataObject[]> {
	const { limit, itemsOf = (page: any) => (Array.isArray(page) ? page : []), pageIn = 'query', ...rest } = request;
	if (limit !== undefined && limit < 1) return [];
	const perPage = Math.min(MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE);
	const pageRequest = (page: number) => {
		const paging = { page, per_page: perPage };
		return mattermostApiRequest.call(
			this,
			method,
			endpoint,
			pageIn === 'body'
				? { ...rest, body: { ...(rest.body as IDataObject), ...paging } }
				: { ...rest, qs: { ...rest.qs, ...paging } },
		);
	};
	const items: IDataObject[] = [];
	let previousFirstId: unknown;
	let width = 1;
	for (let next = 0; next < MAX_PAGES; width = Math.min(width * 2, MAX_PAGES_IN_FLIGHT)) {
		const pagesLeft = limit === undefined ? MAX_PAGES - next : Math.ceil((limit - items.length) / perPage);
		const pages = Array.from({ length: Math.min(width, pagesLeft) }, (_, offset) => next + offset);
		const answers = await Promise.allSettled(pages.map(pageRequest));
		for (const [offset, answer] of answers.entries()) {
			if (answer.status === 'rejected') throw answer.reason;
			const pageItems = itemsOf(answer.value) ?? [];
			const firstId = pageItems[0]?.id;
			if (next + offset > 0 && firstId !== undefined && firstId === previousFirstId) return items;
			previousFirstId = firstId;
			items.push(...pageItems);
			if (limit !== undefined && items.length >= limit) return items.slice(0, limit);
			if (pageItems.length !== perPage) return items;
		}
		next += pages.length;
	}
	return items;
}

/** Mattermost's PostList: ids newest first, posts by id. */
export interface PostList {
	order?: string[];
	posts?: Record<string, IDataObject>;
	next_post_id?: string;
	prev_post_id?: string;
	has_next?: boolean;
}

export function postsOf(list: PostList | null | undefined): IDataObject[] {
	if (!list?.order) return [];
	return list.order.map((id) => list.posts?.[id]).filter((post): post is IDataObject => !!post);
}

export interface PostCursor {
	/** Posts older than this post id. */
	before?: string;
	/** Posts newer than this post id. */
	after?: string;
	/** Posts created or changed after this time (ms); the server ignores paging for it. */
	since?: number;
}

/**
 * Posts of a channel through Mattermost's cursors, newest first, each post once. Paging walks
 * from post id to post id rather than by page number, so posts arriving meanwhile shift nothing;
 * `since` is asked again, from the newest change it answered, only after a full answer.
 */
export async function mattermostApiRequestChannelPosts(
	this: MattermostContext,
	channelId: string,
	cursor: PostCursor,
	request: MattermostRequest & { limit?: number } = {},
): Promise<IDataObject[]> {
	const { limit, ...rest } = request;
	const endpoint = `/channels/${channelId}/posts`;
	const seen = new Set<string>();
	const collected: IDataObject[] = [];
	const take = (posts: IDataObject[]) => {
		for (const post of posts) {
			const id = post.id as string;
			if (seen.has(id)) continue;
			seen.add(id);
			collected.push(post);
		}
	};
	const full = () => limit !== undefined && collected.length >= limit;

	if (cursor.since !== undefined) {
		let since = cursor.since;
		for (let round = 0; round < MAX_PAGES && !full(); round++) {
			const posts = postsOf(
				await mattermostApiRequest.call(this, 'GET', endpoint, { ...rest, qs: { ...rest.qs, since } }),
			);
			const before = collected.length;
			take(posts);
			// The answer also holds the thread roots of changed replies, changed or not: they do not count towards the cap.
			const changedAt = posts.map((post) => Number(post.update_at ?? 0)).filter((updateAt) => updateAt > since);
			if (changedAt.length < POSTS_SINCE_LIMIT || collected.length === before) break;
			// A full answer may have left out posts changed in the same millisecond as its newest one.
			since = Math.max(...changedAt) - 1;
		}
		collected.sort((a, b) => Number(b.create_at ?? 0) - Number(a.create_at ?? 0));
		return limit !== undefined ? collected.slice(0, limit) : collected;
	}

	const perPage = Math.min(MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE);
	const forward = cursor.after !== undefined;
	let anchor = forward ? cursor.after : cursor.before;
	for (let round = 0; round < MAX_PAGES && !full(); round++) {
		const qs: IDataObject = { ...rest.qs, per_page: perPage };
		if (anchor) qs[forward ? 'after' : 'before'] = anchor;
		const posts = postsOf(await mattermostApiRequest.call(this, 'GET', endpoint, { ...rest, qs }));
		const before = collected.length;
		take(posts);
		if (posts.length < perPage || collected.length === before) break;
		// order is newest first: walking back continues from the oldest, forward from the newest.
		anchor = (forward ? posts[0] : posts[posts.length - 1]).id as string;
	}
	if (!forward) return limit !== undefined ? collected.slice(0, limit) : collected;
	// Walking forward, the posts closest after the anchor are the ones a limit keeps.
	collected.sort((a, b) => Number(a.create_at ?? 0) - Number(b.create_at ?? 0));
	return (limit !== undefined ? collected.slice(0, limit) : collected).reverse();
}
