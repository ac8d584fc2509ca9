// Helpers shared by the interop tests: run the real `floe` CLI, parse its JSON without losing 64-bit ids, serve a
// warehouse folder over HTTP, and normalise rows so readers with different value representations compare equal.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * How to start floe: $FLOE_CLI (the NativeAOT binary ctest passes, or a floe.dll), else build/dist/floe, else the
 * Release or Debug JIT build, else `dotnet run`. Returns [command, leadingArgs].
 */
export function floeCommand() {
  const candidates = [
    process.env.FLOE_CLI,
    path.join(repoRoot, 'build', 'dist', 'floe'),
    path.join(repoRoot, 'engine', 'Floe.Cli', 'bin', 'Release', 'net10.0', 'floe.dll'),
    path.join(repoRoot, 'engine', 'Floe.Cli', 'bin', 'Debug', 'net10.0', 'floe.dll'),
  ]
  for (const candidate of candidates) {
    if (!candidate || !fs.existsSync(candidate)) continue
    return candidate.endsWith('.dll') ? ['dotnet', [candidate]] : [candidate, []]
  }
  return ['dotnet', ['run', '--project', path.join(repoRoot, 'engine', 'Floe.Cli'), '-c', 'Release', '--']]
}

/** Runs floe with `args` against `warehouse`; returns stdout, throwing with stderr on a non-zero exit. */
export function floe(warehouse, ...args) {
  const [command, lead] = floeCommand()
  try {
    return execFileSync(command, [...lead, '--warehouse', warehouse, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (e) {
    throw new Error(`floe ${args.join(' ')} failed (exit ${e.status}): ${e.stderr}`)
  }
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact by reading them as strings: snapshot ids are random 63-bit
 * longs, and a plain JSON.parse rounds them.
 */
export function parseJsonExact(text) {
  return JSON.parse(text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'))
}

/** `2024-01-01T00:00:51.840262Z` (any fraction length, `Z` or no zone) → microseconds since the epoch as a BigInt. */
export function isoToMicros(text) {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?$/.exec(text)
  if (!m) throw new Error(`not an ISO timestamp: ${text}`)
  const seconds = BigInt(Date.parse(`${m[1]}${m[3] ?? 'Z'}`)) / 1000n
  const fraction = (m[2] ?? '').padEnd(9, '0')
  return seconds * 1_000_000n + BigInt(fraction.slice(0, 6))
}

/** One canonical line per row of the events schema; timestamps cut to `unit` ('us' or 'ms'). */
export function eventKey(row, unit) {
  let micros
  const t = row.event_time
  if (t instanceof Date) micros = BigInt(t.getTime()) * 1000n
  else if (typeof t === 'bigint') micros = t
  else micros = isoToMicros(t)
  const time = unit === 'ms' ? micros / 1000n : micros
  const amount = row.amount === null || row.amount === undefined ? 'null' : String(Number(row.amount))
  const category = row.category === null || row.category === undefined ? 'null' : row.category
  return `${BigInt(row.entity_id)}|${time}|${amount}|${category}`
}

/** Sorted canonical keys of `rows`, for multiset comparison. */
export function eventKeys(rows, unit) {
  return rows.map(r => eventKey(r, unit)).sort()
}

/** `floe scan --format json` (one object per line) → rows; extra scan arguments (e.g. --ref) pass through. */
export function floeScan(warehouse, table, ...args) {
  const text = floe(warehouse, 'scan', table, '--format', 'json', ...args)
  return text.split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line))
}

/**
 * Serves `root` read-only on a free 127.0.0.1 port, with the byte ranges hyparquet asks for. Returns
 * { baseUrl, requests, close }; `requests` records every path fetched.
 */
export async function serveFolder(root) {
  const requests = []
  const server = http.createServer((req, res) => {
    // One connection a request: the tests block this thread in floe() calls (seconds on a loaded machine), and a
    // kept-alive socket the server timed out meanwhile was the next fetch's ECONNRESET (fetch reused it first).
    res.shouldKeepAlive = false
    const relative = decodeURIComponent(new URL(req.url, 'http://localhost').pathname)
    const file = path.resolve(root, '.' + relative)
    requests.push(relative)
    if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404)
      res.end()
      return
    }
    const data = fs.readFileSync(file)
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
    if (range) {
      const start = Number(range[1])
      const end = range[2] === '' ? data.length - 1 : Math.min(Number(range[2]), data.length - 1)
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${data.length}`, 'Content-Length': end - start + 1 })
      res.end(req.method === 'HEAD' ? undefined : data.subarray(start, end + 1))
    } else {
      res.writeHead(200, { 'Content-Length': data.length })
      res.end(req.method === 'HEAD' ? undefined : data)
    }
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const baseUrl = `http://127.0.0.1:${server.address().port}`
  return { baseUrl, requests, close: () => new Promise(resolve => server.close(resolve)) }
}

/**
 * Routes fetch() calls for `file://<root>/...` to `<baseUrl>/...`. icebird 0.3.1 fetches every location it finds
 * in the metadata as written (it only rewrites s3:// to https://), and Node's fetch has no file: scheme, so
 * absolute file URIs need this mapping — the same job a location map does for s3a:// tables. Returns an undo function.
 */
export function mapFileUrisTo(root, baseUrl) {
  const prefix = 'file://' + path.resolve(root)
  const realFetch = globalThis.fetch
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (url.startsWith(prefix + '/')) return realFetch(baseUrl + url.slice(prefix.length), init)
    return realFetch(input, init)
  }
  return () => { globalThis.fetch = realFetch }
}

/** file:///abs/path → /abs/path. */
export function localPath(location) {
  return location.startsWith('file:') ? fileURLToPath(location) : location
}
