import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * Whether a token or secret Mattermost sent equals the expected one, in constant time: both are
 * hashed first, so neither their contents nor their lengths show in the timing.
 */
export function secretsMatch(expected: unknown, given: unknown): boolean {
	if (typeof expected !== 'string' || expected === '' || typeof given !== 'string') return false;
	const a = createHash('sha256').update(expected, 'utf8').digest();
	const b = createHash('sha256').update(given, 'utf8').digest();
	return timingSafeEqual(a, b);
}

/** A flood of calls with wrong tokens costs Mattermost at most one token re-read per this time. */
const TOKEN_REREAD_INTERVAL_MS = 30_000;

/**
 * Where the workflow's global static data keeps when a token was last re-read. n8n loads static
 * data with each production webhook call and saves it after the node's webhook() returned, so the
 * limit holds for the whole workflow; were it not saved, each call would allow one re-read.
 */
export const TOKEN_REREAD_AT_KEY = 'mattermostSuiteTokenRereadAt';

/**
 * The token Mattermost holds now for a hook or command the node manages, read with `read` after a
 * call came with a token other than the stored one (an admin may have regenerated it). Undefined
 * when this workflow re-read a token less than 30 s ago, or the re-read failed.
 */
export async function rereadToken(
	ctx: IWebhookFunctions,
	what: string,
	read: () => Promise<IDataObject>,
): Promise<string | undefined> {
	const workflowData = ctx.getWorkflowStaticData('global');
	const now = Date.now();
	const last = Number(workflowData[TOKEN_REREAD_AT_KEY]);
	// A time in the future (the clock was set back) does not block re-reads for good.
	if (last <= now && now - last < TOKEN_REREAD_INTERVAL_MS) return undefined;
	// Recorded before asking: a re-read that fails counts too.
	workflowData[TOKEN_REREAD_AT_KEY] = now;
	try {
		const token = (await read()).token;
		return typeof token === 'string' && token !== '' ? token : undefined;
	} catch (error) {
		ctx.logger.warn(`Mattermost Suite Trigger could not re-read the ${what} token: ${(error as Error).message}`, {
			node: ctx.getNode().name,
		});
		return undefined;
	}
}

function writeJson(ctx: IWebhookFunctions, status: number, data: IDataObject): void {
	const res = ctx.getResponseObject();
	const body = JSON.stringify(data);
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}

/**
 * Answers 401 without starting the workflow. The node writes the answer itself
 * (`noWebhookResponse`) and returns no workflow data, so n8n runs nothing.
 */
export function refuse(ctx: IWebhookFunctions, reason: string): IWebhookResponseData {
	ctx.logger.warn(`Mattermost Suite Trigger refused a call: ${reason}`, { node: ctx.getNode().name });
	writeJson(ctx, 401, { message: 'Unauthorized' });
	return { noWebhookResponse: true };
}

/**
 * Answers Mattermost with this JSON at once and starts the workflow with the item. The node
 * writes the answer itself: n8n's "onReceived" answer would be its own default text instead of
 * the node's `webhookResponse` unless the webhook description sets `responseData`.
 */
export function accept(ctx: IWebhookFunctions, item: IDataObject, answer: IDataObject): IWebhookResponseData {
	writeJson(ctx, 200, answer);
	return { noWebhookResponse: true, workflowData: [[{ json: item }]] };
}

/** Answers 200 with nothing to post and starts nothing: a genuine call the node's filter skips. */
export function ignore(ctx: IWebhookFunctions): IWebhookResponseData {
	writeJson(ctx, 200, {});
	return { noWebhookResponse: true };
}

/** A single request field: form bodies may repeat a key, which gives a list. */
export function field(source: IDataObject, key: string): string {
	const value = source[key];
	if (Array.isArray(value)) return value.length ? String(value[0]) : '';
	if (value === undefined || value === null) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The request's fields: the parsed body, or the query string of a GET. */
export function requestFields(ctx: IWebhookFunctions): IDataObject {
	const request = ctx.getRequestObject();
	if (String(request.method).toUpperCase() === 'GET') return (ctx.getQueryData() as IDataObject) ?? {};
	const body = ctx.getBodyData();
	return body && typeof body === 'object' && !Array.isArray(body) ? body : {};
}

export function isFormEncoded(ctx: IWebhookFunctions): boolean {
	const type = ctx.getHeaderData()['content-type'];
	return typeof type === 'string' && type.toLowerCase().includes('application/x-www-form-urlencoded');
}
