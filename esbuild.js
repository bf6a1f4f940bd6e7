// Bundles the extension into dist/extension.js. `vscode` is provided by the host;
// everything else (the openai SDK included) is bundled so the .vsix ships no node_modules.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Two targets: Node for desktop VS Code and code-server's remote host, and a web worker for VS Code
// for the Web (package.json "browser"). The web one has no `process` (a shim gives an empty
// environment) and takes the SDK's browser entry points (fetch, no Node modules).
const TARGETS = [
  { outfile: 'dist/extension.js', platform: 'node', target: 'node18' },
  {
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    target: 'es2022',
    mainFields: ['browser', 'module', 'main'],
    inject: ['src/web/processShim.ts'],
  },
];

async function build(target) {
  const context = await esbuild.context({
    entryPoints: ['src/extension.ts'],
    bundle: true,
    format: 'cjs',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    ...target,
  });
  if (watch) {
    await context.watch();
    return;
  }
  const result = await context.rebuild();
  await context.dispose();
  const bytes = Object.values(result.metafile.outputs).filter((output) => output.bytes > 0).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`${target.outfile}: ${(bytes / 1024).toFixed(1)} KiB (${production ? 'production' : 'development'})`);
}

async function main() {
  await Promise.all(TARGETS.map(build));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
