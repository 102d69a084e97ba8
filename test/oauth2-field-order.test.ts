/**
 * The OAuth2 credential's fields in the order n8n shows them (issue 11, point 7).
 *
 * n8n does not show a credential's `properties` as written: for a type that `extends` another it
 * merges them with n8n-workflow's `NodeHelpers.mergeNodeProperties`, parents first, the child's
 * own properties last, and a child property that has a parent's name keeps the parent's slot.
 * The editor's credential dialog (n8n-editor-ui, `getCredentialProperties`) and the server
 * (`CredentialsHelper.getCredentialsProperties`) merge the same way, in 1.x and in 2.x. Before
 * that, n8n appends "Allowed HTTP Request Domains" to every OAuth2 type, the parent `oAuth2Api`
 * included (2.x: n8n-workflow's `injectDomainRestrictionFields`; 1.x: the same two fields from
 * `LoadNodesAndCredentials`). So `clientId`, `clientSecret` and `grantType` sit where `oAuth2Api`
 * has them, and every field `oAuth2Api` lacks (the notice, Base URL) comes after its last one.
 *
 * The parent's fields are recorded below for n8n 1.123.81 and 2.41.1 (names, types, display
 * conditions and defaults only); where those n8n versions are installed (scripts/install-n8n.sh)
 * the record is first checked against the real `OAuth2Api` class, so a new n8n that moves a field
 * fails here instead of silently reordering the dialog.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { NodeHelpers, injectDomainRestrictionFields } from 'n8n-workflow';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { MattermostSuiteOAuth2Api } from '../credentials/MattermostSuiteOAuth2Api.credentials';

type ParentField = {
	name: string;
	type: string;
	default?: unknown;
	show?: Record<string, unknown[]>;
	doNotInherit?: true;
};

const noDcr = { useDynamicClientRegistration: [false] };
const codeFlows = ['authorizationCode', 'pkce'];
const parentHead: ParentField[] = [
	{ name: 'useDynamicClientRegistration', type: 'hidden', default: false },
	{ name: 'grantType', type: 'options', default: 'authorizationCode', show: noDcr },
	{ name: 'serverUrl', type: 'string', default: '', show: { useDynamicClientRegistration: [true] } },
	{ name: 'authUrl', type: 'string', default: '', show: { grantType: codeFlows, ...noDcr } },
	{ name: 'accessTokenUrl', type: 'string', default: '', show: noDcr },
	{ name: 'clientId', type: 'string', default: '', show: noDcr },
];
const parentTail: ParentField[] = [
	{ name: 'scope', type: 'string', default: '', show: noDcr },
	{ name: 'authQueryParameters', type: 'string', default: '', show: { grantType: codeFlows, ...noDcr } },
	{ name: 'authentication', type: 'options', default: 'header', show: noDcr },
	{
		name: 'sendAdditionalBodyProperties',
		type: 'boolean',
		default: false,
		show: { grantType: ['clientCredentials'], authentication: ['body'], ...noDcr },
	},
	{
		name: 'additionalBodyProperties',
		type: 'json',
		default: '',
		show: { grantType: ['clientCredentials'], authentication: ['body'], sendAdditionalBodyProperties: [true], ...noDcr },
	},
	{ name: 'ignoreSSLIssues', type: 'boolean', default: false, doNotInherit: true },
];
const clientSecret: ParentField = { name: 'clientSecret', type: 'string', default: '', show: noDcr };

/** n8n-nodes-base's OAuth2Api, per n8n version. */
const PARENT: Record<string, ParentField[]> = {
	'1.123.81': [...parentHead, clientSecret, ...parentTail],
	// 2.x added hidden "ordering anchors" after Client ID and Client Secret, and JWE fields that
	// extending types do not inherit.
	'2.41.1': [
		...parentHead,
		{ name: 'clientCredentialType', type: 'hidden', default: 'clientSecret' },
		clientSecret,
		{ name: 'privateKey', type: 'hidden', default: '' },
		{ name: 'certificate', type: 'hidden', default: '' },
		...parentTail,
		{ name: 'tokenExpiredStatusCode', type: 'number', default: 401, doNotInherit: true },
		{ name: 'jweEnabled', type: 'boolean', default: false, doNotInherit: true },
		{ name: 'jwksUri', type: 'string', default: '', show: { jweEnabled: [true] }, doNotInherit: true },
		{
			name: 'inlineJwks',
			type: 'boolean',
			default: false,
			show: { jweEnabled: [true], useDynamicClientRegistration: [true] },
			doNotInherit: true,
		},
	],
};

/**
 * What a user sees in the dialog of a new credential, top to bottom: notices by their first words,
 * fields by name. Fixed by n8n's merge (see the file comment): the Mattermost setup notice and
 * the Base URL cannot come before the fields whose names `oAuth2Api` owns. The editor test
 * (test/ui/oauth2.test.js) checks the same list in n8n's real dialog.
 */
const SHOWN: string[] = require('./oauth2-dialog-fields.json');

function asProperties(fields: ParentField[]): INodeProperties[] {
	return fields.map(({ name, type, default: value, show, doNotInherit }) => ({
		displayName: name,
		name,
		type: type as INodeProperties['type'],
		default: value as INodeProperties['default'],
		...(show ? { displayOptions: { show: show as never } } : {}),
		...(doNotInherit ? { doNotInherit } : {}),
	}));
}

function shape(properties: INodeProperties[]): ParentField[] {
	return properties.map((p) => ({
		name: p.name,
		type: p.type,
		default: p.default,
		...(p.displayOptions?.show ? { show: p.displayOptions.show as Record<string, unknown[]> } : {}),
		...(p.doNotInherit ? { doNotInherit: true as const } : {}),
	}));
}

/** The real OAuth2Api of an n8n installed by scripts/install-n8n.sh, if that version is there. */
function installedParent(version: string): ICredentialType | undefined {
	const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	const file = path.join(
		cache,
		'n8n-nodes-mattermost-suite',
		`n8n-${version}`,
		'node_modules',
		'n8n-nodes-base',
		'dist',
		'credentials',
		'OAuth2Api.credentials.js',
	);
	if (!fs.existsSync(file)) return undefined;
	const { OAuth2Api } = require(file) as { OAuth2Api: new () => ICredentialType };
	return new OAuth2Api();
}

/** The dialog's list: n8n's domain fields appended to each type, then parents merged first. */
function mergedAsN8nDoes(parent: ICredentialType, child: ICredentialType): INodeProperties[] {
	const merged: INodeProperties[] = [];
	NodeHelpers.mergeNodeProperties(merged, injectDomainRestrictionFields(parent));
	NodeHelpers.mergeNodeProperties(merged, injectDomainRestrictionFields(child));
	return merged;
}

/** What the dialog shows for a new credential: every field at its default, hidden ones left out. */
function shownFields(properties: INodeProperties[]): string[] {
	const values = Object.fromEntries(properties.map((p) => [p.name, p.default]));
	return properties
		.filter((p) => p.type !== 'hidden' && NodeHelpers.displayParameter(values, p, null, null))
		.map((p) => (p.type === 'notice' ? `notice: ${p.displayName.split(':')[0]}` : p.name));
}

const child = new MattermostSuiteOAuth2Api();

describe.each(Object.keys(PARENT))('OAuth2 credential dialog in n8n %s', (version) => {
	const parent: ICredentialType = {
		name: 'oAuth2Api',
		displayName: 'OAuth2 API',
		genericAuth: true,
		properties: asProperties(PARENT[version]),
	};

	const installed = installedParent(version);
	(installed ? it : it.skip)('the recorded oAuth2Api fields match the installed n8n-nodes-base', () => {
		expect(shape(installed!.properties)).toEqual(PARENT[version]);
		expect(installed!.genericAuth).toBe(true);
	});

	it('shows the fields in the order a user fills them, as far as n8n lets a child type order them', () => {
		expect(shownFields(mergedAsN8nDoes(parent, child))).toEqual(SHOWN);
	});

	it('the public (PKCE) client shows no Client Secret, the rest in the same order', () => {
		const merged = mergedAsN8nDoes(parent, child);
		const values = { ...Object.fromEntries(merged.map((p) => [p.name, p.default])), grantType: 'pkce' };
		const shown = merged.filter((p) => p.type !== 'hidden' && NodeHelpers.displayParameter(values, p, null, null));
		expect(shown.map((p) => p.name)).toEqual(
			SHOWN.filter((name) => name !== 'clientSecret').map((name) => (name.startsWith('notice') ? 'notice' : name)),
		);
	});

	it('keeps the parent fields n8n pins hidden, with values that leave the Base URL in charge', () => {
		const merged = mergedAsN8nDoes(parent, child);
		const byName = new Map(merged.map((p) => [p.name, p]));
		// Hidden useDynamicClientRegistration is pinned to false by n8n 2.x (OAUTH_PINNED_FIELDS);
		// shown, a stored `true` would switch on dynamic client registration and replace the
		// Base-URL-derived endpoints with stored ones.
		for (const name of ['useDynamicClientRegistration', 'authUrl', 'accessTokenUrl', 'authentication', 'scope']) {
			expect(byName.get(name)?.type).toBe('hidden');
		}
		expect(byName.get('useDynamicClientRegistration')?.default).toBe(false);
		expect(String(byName.get('authUrl')?.default)).toContain('$self.baseUrl');
		expect(String(byName.get('accessTokenUrl')?.default)).toContain('$self.baseUrl');
	});
});
