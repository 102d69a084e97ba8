import { API_ROOT_EXPRESSION } from '../credentials/MattermostSuiteApi.credentials';
import { apiRootFromBaseUrl } from '../nodes/MattermostSuite/transport/apiRoot';
import { evaluateExpression } from './harness';

/** The credential test evaluates the rule as an n8n expression; the transport runs it as code. */
function credentialTestRoot(baseUrl: unknown): string {
	return String(evaluateExpression(API_ROOT_EXPRESSION, { $credentials: { baseUrl } }) ?? '');
}

const accepted: Array<[string, string]> = [
	['mattermost.example.com', 'https://mattermost.example.com/api/v4'],
	['mm.example.com:8065', 'https://mm.example.com:8065/api/v4'],
	['localhost:8065', 'https://localhost:8065/api/v4'],
	['http://mm.internal:8065', 'http://mm.internal:8065/api/v4'],
	['https://mattermost.example.com/', 'https://mattermost.example.com/api/v4'],
	['https://mattermost.example.com///', 'https://mattermost.example.com/api/v4'],
	['  https://mattermost.example.com \n', 'https://mattermost.example.com/api/v4'],
	['https://example.com/mattermost', 'https://example.com/mattermost/api/v4'],
	['https://example.com/mattermost/', 'https://example.com/mattermost/api/v4'],
	['https://mattermost.example.com/api/v4', 'https://mattermost.example.com/api/v4'],
	['https://mattermost.example.com/api/v4/', 'https://mattermost.example.com/api/v4'],
	['https://example.com/mattermost/api/v4//', 'https://example.com/mattermost/api/v4'],
	['https://mattermost.example.com/API/V4', 'https://mattermost.example.com/api/v4'],
	['http://127.0.0.1:8065', 'http://127.0.0.1:8065/api/v4'],
	['http://[::1]:8065/', 'http://[::1]:8065/api/v4'],
	['HTTPS://Mattermost.Example.com', 'HTTPS://Mattermost.Example.com/api/v4'],
	['mm.example.com:65535', 'https://mm.example.com:65535/api/v4'],
	['http://mm.example.com:1/', 'http://mm.example.com:1/api/v4'],
];

const refused: unknown[] = [
	'',
	'   ',
	undefined,
	'ftp://mattermost.example.com',
	'not a url',
	'https://',
	'https://exa mple.com',
	'https://user:secret@mattermost.example.com',
	'javascript:alert(1)',
	'https://mattermost.example.com:port',
	'mm.example.com:65536',
	'https://mm.example.com:99999',
	'http://mm.example.com:0',
	'https://mattermost.example.com/?team=x',
];

describe('API root rule: credential test expression and transport agree', () => {
	it.each(accepted)('%j becomes %s in both', (input, expected) => {
		expect(apiRootFromBaseUrl(input)).toBe(expected);
		expect(credentialTestRoot(input)).toBe(expected);
	});

	it.each(refused.map((input) => [input]))('%j is refused by both', (input) => {
		expect(() => apiRootFromBaseUrl(input)).toThrow(/Base URL of the Mattermost credential/);
		expect(credentialTestRoot(input)).toBe('');
	});

	it('says what a valid Base URL looks like when refusing one', () => {
		expect(() => apiRootFromBaseUrl('ftp://x')).toThrow(
			'The Base URL of the Mattermost credential is not a valid http(s) URL: "ftp://x". Use the address you open Mattermost at, e.g. https://mattermost.example.com or https://example.com/mattermost',
		);
		expect(() => apiRootFromBaseUrl(' ')).toThrow(/is empty/);
	});
});

describe('a refused Base URL is shown without a password in it', () => {
	it('masks user:password@', () => {
		expect(() => apiRootFromBaseUrl('https://user:secret@mattermost.example.com')).toThrow(/"https:\/\/…@mattermost\.example\.com"/);
		expect(() => apiRootFromBaseUrl('https://user:secret@mattermost.example.com')).not.toThrow(/secret/);
	});
});
