// Writes fleet.schema.json from the built zod schema (run `pnpm run schema`,
// which builds first). The committed file is what editors load; a test fails
// when it differs from what the schema generates.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { fleetConfigJsonSchema } from '../dist/config/schema.js';

const target = fileURLToPath(new URL('../fleet.schema.json', import.meta.url));
await writeFile(target, `${JSON.stringify(fleetConfigJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
