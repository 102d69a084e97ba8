/**
 * The Base URL rule of nodes/MattermostSuite/transport/apiRoot.ts (`siteUrlFromBaseUrl`) written
 * as the text of an n8n expression: n8n evaluates a credential's test request and its hidden
 * OAuth URLs from the credential description alone, without running package code.
 *
 * `siteUrlExpression(ref, suffix)` is an immediately invoked function (no `={{ }}` around it)
 * that yields the normalised site URL followed by `suffix`, e.g. `https://example.com/mattermost`
 * + `/api/v4`, or '' when the Base URL is not accepted. `ref` is the expression that holds the
 * Base URL, e.g. `$credentials.baseUrl` (credential test) or `$self.baseUrl` (hidden fields);
 * `suffix` is a plain path such as `/oauth/authorize` (no quotes or backslashes).
 *
 * test/apiRoot.test.ts runs a table of inputs through this and through the transport and asserts
 * they agree, so change them together.
 */
export function siteUrlExpression(ref: string, suffix = ''): string {
	return (
		`(() => { let u = String(${ref} ?? '').trim(); ` +
		"if (u !== '' && !/^[a-z][a-z0-9+.-]*:\\/\\//i.test(u)) { u = 'https://' + u; } " +
		"u = u.replace(/\\/+$/, '').replace(/\\/api\\/v4$/i, '').replace(/\\/+$/, ''); " +
		'return /^https?:\\/\\/(\\[[0-9a-f:.]+\\]|[^\\s/?#@:[\\]]+)(:([1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5]))?(\\/[^\\s?#]*)?$/i.test(u) ' +
		`? u + '${suffix}' : ''; })()`
	);
}
