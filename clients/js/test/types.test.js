// The hand-written declarations (index.d.ts, node.d.ts) compile, strictly, against a usage file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

test('index.d.ts and node.d.ts type-check a use of the API (tsc --strict)', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(
    process.execPath,
    [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom', '--module', 'nodenext', '--moduleResolution', 'nodenext', 'test/types-check.ts'],
    { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
