// Prints the gzipped size of the JavaScript a first visit loads (the entry script plus its
// modulepreloads in dist/index.html) and fails above the budget (default 250 KB).
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const budget = Number(process.env.INITIAL_JS_BUDGET_KB ?? 250) * 1024
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1])
let total = 0
for (const file of files) {
  const size = zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length
  total += size
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`)
}
console.log(`${(total / 1024).toFixed(1).padStart(7)} KB  initial JS, gzipped (budget ${budget / 1024} KB)`)
if (total > budget) {
  console.error('over budget')
  process.exit(1)
}
