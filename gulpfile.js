const fs = require('fs');
const path = require('path');
const { task, src, dest } = require('gulp');

// A file left in dist/ by an older build (a source map, a module of the old tsc output) would be
// packed and published. The build starts from an empty dist/.
task('clean', (done) => {
	fs.rmSync(path.resolve('dist'), { recursive: true, force: true });
	done();
});

// The bundle (scripts/bundle.js) holds only code. n8n loads the icons and each node's codex file
// (<Node>.node.json) from next to the files package.json's "n8n" section lists.
function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist')));
}

task('build:assets', copyAssets);
