// Runs every *.test.mjs of this folder in this one node process (what `node --test` would start one process each
// for): each process loaded and compiled icebird, hyparquet and avsc again, ~0.3 CPU-s apiece.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
for (const file of fs.readdirSync(here).filter(name => name.endsWith('.test.mjs')).sort()) {
  await import(pathToFileURL(path.join(here, file)).href)
}
