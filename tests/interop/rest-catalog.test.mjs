// Floe's REST catalog server (`floe catalog serve`) spoken to by clients we did not write: iceberg-js (a REST
// catalog client) lists, loads, creates and commits through it; icebird reads a table Floe wrote through it.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { after, before, describe, it } from 'node:test'
import { IcebergRestCatalog } from 'iceberg-js'
import { icebergRead } from 'icebird'
import { floe, floeCommand, localPath, mapFileUrisTo, parseJsonExact, serveFolder } from './floe.mjs'

const TOKEN = 'interop-secret'

/**
 * Starts `floe catalog serve --port 0` and resolves, once it prints its "serving ... at URL" line, to the process and
 * that URL (port 0: the server binds a free port itself, where a probed port could be taken before it binds).
 */
async function serve(warehouse) {
  const [command, lead] = floeCommand()
  const child = spawn(command, [...lead, '--warehouse', warehouse, 'catalog', 'serve', '--port', '0', '--token', TOKEN],
    { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', d => { stderr += d })
  const lines = readline.createInterface({ input: child.stdout })
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`floe catalog serve did not start: ${stderr}`)), 60_000)
    lines.on('line', line => {
      const served = /^serving .* at (http:\/\/127\.0\.0\.1:[1-9][0-9]*)\/ /.exec(line)
      if (served) { clearTimeout(timer); resolve(served[1]) }
    })
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`floe catalog serve exited ${code}: ${stderr}`)) })
  })
  child.removeAllListeners('exit')
  return [child, url]
}

describe('the floe REST catalog server', () => {
  let work, warehouse, child, url, catalog

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-rest-interop-'))
    warehouse = path.join(work, 'warehouse')
    // A table written locally before serving, so there is history to list and load.
    const csv = path.join(work, 'events.csv')
    floe(warehouse, 'generate', 'events', '--rows', '200', '--days', '2', '--entities', '10', '--seed', '4', '--output', csv)
    floe(warehouse, 'table', 'create', 'analytics.events',
      '--schema', 'entity_id:long not null,event_time:timestamptz not null,amount:double,category:string',
      '--partition', 'day(event_time)')
    floe(warehouse, 'ingest', 'analytics.events', csv)
    ;[child, url] = await serve(warehouse)
    catalog = new IcebergRestCatalog({ baseUrl: url, auth: { type: 'bearer', token: TOKEN } })
  })

  after(async () => {
    child?.kill('SIGTERM')
    if (child && child.exitCode === null) await new Promise(resolve => child.on('exit', resolve))
    if (work && !process.env.FLOE_KEEP_TEMP) fs.rmSync(work, { recursive: true, force: true })
  })

  it('iceberg-js lists namespaces and tables', async () => {
    const { namespaces } = await catalog.listNamespaces()
    assert.deepEqual(namespaces, [{ namespace: ['analytics'] }])
    const { identifiers } = await catalog.listTables({ namespace: ['analytics'] })
    assert.deepEqual(identifiers, [{ namespace: ['analytics'], name: 'events' }])
    assert.equal(await catalog.tableExists({ namespace: ['analytics'], name: 'events' }), true)
    assert.equal(await catalog.tableExists({ namespace: ['analytics'], name: 'missing' }), false)
  })

  it('iceberg-js loads the metadata Floe wrote', async () => {
    const metadata = await catalog.loadTable({ namespace: ['analytics'], name: 'events' })
    const show = parseJsonExact(floe(warehouse, '--json', 'table', 'show', 'analytics.events'))
    const raw = parseJsonExact(fs.readFileSync(localPath(show.metadata_location), 'utf8'))
    assert.equal(metadata['table-uuid'], raw['table-uuid'])
    assert.equal(metadata.snapshots.length, 1)
    assert.equal(metadata.schemas[0].fields.map(f => f.name).join(','), 'entity_id,event_time,amount,category')
    assert.equal(metadata['partition-specs'][0].fields[0].transform, 'day')
  })

  it('iceberg-js creates a namespace and a table, and commits a property change', async () => {
    await catalog.createNamespace({ namespace: ['js'] }, { properties: { owner: 'iceberg-js' } })
    assert.deepEqual((await catalog.loadNamespaceMetadata({ namespace: ['js'] })).properties, { owner: 'iceberg-js' })
    const created = await catalog.createTable({ namespace: ['js'] }, {
      name: 'clicks',
      schema: {
        type: 'struct',
        'schema-id': 0,
        fields: [
          { id: 1, name: 'id', type: 'long', required: true },
          { id: 2, name: 'url', type: 'string', required: false },
        ],
      },
      'partition-spec': { 'spec-id': 0, fields: [] },
      'write-order': { 'order-id': 0, fields: [] },
      properties: { 'created.by': 'iceberg-js' },
    })
    assert.equal(created['format-version'], 2)

    const committed = await catalog.updateTable({ namespace: ['js'], name: 'clicks' }, {
      requirements: [{ type: 'assert-table-uuid', uuid: created['table-uuid'] }],
      updates: [{ action: 'set-properties', updates: { 'team': 'growth' } }],
    })
    assert.equal(committed.metadata.properties.team, 'growth')

    // Floe, reading the catalog file directly, sees the table and the committed property.
    const show = parseJsonExact(floe(warehouse, '--json', 'table', 'show', 'js.clicks'))
    assert.equal(show.properties.team, 'growth')
    assert.equal(show.properties['created.by'], 'iceberg-js')

    // A stale requirement is refused with the spec's 409 and changes nothing.
    await assert.rejects(
      catalog.updateTable({ namespace: ['js'], name: 'clicks' }, {
        requirements: [{ type: 'assert-table-uuid', uuid: '00000000-0000-0000-0000-000000000000' }],
        updates: [{ action: 'set-properties', updates: { 'team': 'other' } }],
      }),
      e => e.status === 409)
    assert.equal(parseJsonExact(floe(warehouse, '--json', 'table', 'show', 'js.clicks')).properties.team, 'growth')
  })

  it('icebird reads a table Floe wrote through the server', async () => {
    const csv = path.join(work, 'more.csv')
    floe(warehouse, 'generate', 'events', '--rows', '120', '--days', '1', '--entities', '5', '--seed', '9', '--output', csv)
    const remote = ['--catalog', url, '--catalog-token', TOKEN]
    floe(path.join(work, 'ignored'), ...remote, 'table', 'create', 'viarest.events',
      '--schema', 'entity_id:long not null,event_time:timestamptz not null,amount:double,category:string',
      '--partition', 'day(event_time)')
    floe(path.join(work, 'ignored'), ...remote, 'ingest', 'viarest.events', csv)
    floe(path.join(work, 'ignored'), ...remote, 'ingest', 'viarest.events', csv)

    const metadata = await catalog.loadTable({ namespace: ['viarest'], name: 'events' })
    assert.equal(metadata.snapshots.length, 2)
    const scanned = floe(warehouse, 'scan', 'viarest.events', '--format', 'json').split('\n').filter(l => l.trim() !== '')
    const expected = scanned.length
    assert.equal(expected, 240)

    const files = await serveFolder(warehouse)
    const undo = mapFileUrisTo(warehouse, files.baseUrl)
    try {
      const show = parseJsonExact(floe(warehouse, '--json', 'table', 'show', 'viarest.events'))
      const rows = await icebergRead({ tableUrl: show.location, metadataFileName: path.basename(show.metadata_location) })
      assert.equal(rows.length, expected)
      const total = rows.reduce((sum, r) => sum + Number(r.amount ?? 0), 0)
      const floeTotal = scanned.map(l => JSON.parse(l)).reduce((sum, r) => sum + Number(r.amount ?? 0), 0)
      assert.ok(Math.abs(total - floeTotal) < 1e-6 * Math.max(1, Math.abs(floeTotal)), `${total} vs ${floeTotal}`)
    } finally {
      undo()
      await files.close()
    }
    assert.equal(fs.existsSync(path.join(work, 'ignored')), false, 'the served warehouse is the data location')
  })
})
