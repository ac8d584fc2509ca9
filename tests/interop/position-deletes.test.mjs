// Interop: merge-on-read deletes written by the real `floe` binary (format v2 position delete files) must read the
// same through icebird, which applies position deletes itself, and the delete files must be what the spec says
// (hyparquet: the reserved field ids 2147483546/2147483545, rows sorted by file_path then pos).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { icebergManifests, icebergMetadata, icebergRead } from 'icebird'
import { eventKeys, floe, floeScan, localPath, mapFileUrisTo, parseJsonExact, serveFolder } from './floe.mjs'

const TABLE = 'demo.mor'

describe('icebird reads floe merge-on-read position deletes', () => {
  let work
  let warehouse
  let server
  let undoFetch
  let tableUrl
  // The metadata file floe names once before() has written the table; the tests only read it.
  let metadataFileName
  const deletes = []

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-interop-mor-'))
    warehouse = path.join(work, 'warehouse')
    const csv = path.join(work, 'events.csv')
    floe(warehouse, 'generate', 'events', '--rows', '4000', '--days', '3', '--entities', '300', '--seed', '5', '--output', csv)
    floe(warehouse, 'table', 'create', TABLE,
      '--schema', 'entity_id:long not null,event_time:timestamptz not null,amount:double,category:string',
      '--partition', 'day(event_time)', '--property', 'write.delete.mode=merge-on-read')
    floe(warehouse, 'ingest', TABLE, csv)
    deletes.push(parseJsonExact(floe(warehouse, '--json', 'delete', TABLE, '--filter', 'entity_id < 5')))
    deletes.push(parseJsonExact(floe(warehouse, '--json', 'delete', TABLE, '--filter', 'amount > 190')))
    server = await serveFolder(warehouse)
    undoFetch = mapFileUrisTo(warehouse, server.baseUrl)
    const show = parseJsonExact(floe(warehouse, '--json', 'table', 'show', TABLE))
    tableUrl = show.location
    metadataFileName = path.basename(show.metadata_location)
  })

  after(async () => {
    undoFetch?.()
    await server?.close()
    if (work && !process.env.FLOE_KEEP_TEMP) fs.rmSync(work, { recursive: true, force: true })
  })

  it('commits delete snapshots that write position delete files', () => {
    for (const d of deletes) {
      assert.equal(d.mode, 'merge-on-read')
      assert.equal(d.summary.operation, 'delete')
      assert.ok(d.deleted_rows > 0)
      assert.ok(d.delete_files > 0)
      assert.equal(d.summary['added-delete-files'], String(d.delete_files))
    }
  })

  it('reads the same rows (and row count) as `floe scan`', async () => {
    const rows = await icebergRead({ tableUrl, metadataFileName })
    const floeRows = floeScan(warehouse, TABLE)
    assert.equal(rows.length, 4000 - deletes[0].deleted_rows - deletes[1].deleted_rows)
    assert.equal(rows.length, floeRows.length)
    assert.deepEqual(eventKeys(rows, 'ms'), eventKeys(floeRows, 'ms'))
  })

  it('writes delete files with the reserved field ids, sorted by file_path then pos', async () => {
    const metadata = await icebergMetadata({ tableUrl, metadataFileName })
    const manifests = await icebergManifests(metadata)
    const deleteEntries = manifests.flatMap(m => m.entries).filter(e => e.status !== 2 && e.data_file.content === 1)
    assert.ok(deleteEntries.length > 0)
    for (const entry of deleteEntries) {
      const file = localPath(entry.data_file.file_path)
      const buffer = fs.readFileSync(file)
      const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)
      const meta = parquetMetadata(arrayBuffer)
      const ids = Object.fromEntries(meta.schema.slice(1).map(s => [s.name, s.field_id]))
      assert.deepEqual(ids, { file_path: 2147483546, pos: 2147483545 })
      const rows = await parquetReadObjects({ file: arrayBuffer, compressors })
      assert.equal(BigInt(rows.length), BigInt(entry.data_file.record_count))
      for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1]
        const b = rows[i]
        assert.ok(a.file_path < b.file_path || (a.file_path === b.file_path && a.pos < b.pos), `row ${i} out of order`)
      }
    }
  })
})
