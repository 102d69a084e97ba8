const fs = require('fs');

module.exports = async () => {
	const folder = process.env.MM_SUITE_TEMP_USER_FOLDER;
	if (folder) fs.rmSync(folder, { recursive: true, force: true });
};
