/** Why a stored access token cannot be sent, or undefined when it can. Never echoes the token. */
export function accessTokenProblem(accessToken: unknown): string | undefined {
	const token = typeof accessToken === 'string' ? accessToken.trim() : '';
	if (token === '') {
		return 'The Access Token of the Mattermost credential is empty: paste a personal access token or a bot account token';
	}
	if (/^bearer\s+\S/i.test(token)) {
		return 'The Access Token of the Mattermost credential starts with "Bearer ": remove "Bearer " from the token, n8n adds it itself';
	}
	if (/\s/.test(token)) {
		return 'The Access Token of the Mattermost credential contains spaces or a line break: copy the token again, without anything around it';
	}
	return undefined;
}
