// Interop: a table written by the real `floe` binary must read the same through independent JavaScript readers:
// icebird (an Iceberg reader built on hyparquet) for metadata, snapshots, refs and rows; avsc for the manifest list
// and manifests (field ids, required fields, key-value metadata); hyparquet for the Parquet data files (field ids,
// the iceberg.schema footer key, full-precision values). Run with `node --test tests/interop/`.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { after, before, describe, it } from 'node:test'
import avro from 'avsc'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { icebergManifests, icebergMetadata, icebergRead } from 'icebird'
import { eventKeys, floe, floeScan, localPath, mapFileUrisTo, parseJsonExact, serveFolder } from './floe.mjs'

const TABLE = 'demo.events'

/** A 64-bit id as icebird holds it: JSON.parse turns it into the nearest double. */
const asJsNumber = id => Number(BigInt(id))

/** avsc long type that decodes to BigInt: snapshot ids exceed 2^53, which avsc's default long rejects. */
const bigLong = avro.types.LongType.__with({
  fromBuffer: buf => buf.readBigInt64LE(),
  toBuffer: n => {
    const buf = Buffer.alloc(8)
    buf.writeBigInt64LE(BigInt(n))
    return buf
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: n => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
})

/** Decodes an Avro container file with avsc (null and deflate codecs): { schema (raw JSON), meta, records }. */
async function readAvro(file) {
  let schema
  let meta
  const records = []
  await new Promise((resolve, reject) => {
    avro.createFileDecoder(file, {
      codecs: { null: (buf, cb) => cb(null, buf), deflate: zlib.inflateRaw },
      parseHook: raw => {
        schema = raw
        return avro.Type.forSchema(raw, { registry: { long: bigLong } })
      },
    })
      .on('metadata', (_type, _codec, header) => {
        meta = Object.fromEntries(Object.entries(header.meta).map(([k, v]) => [k, v.toString('utf8')]))
      })
      .on('data', record => records.push(record))
      .on('error', reject)
      .on('end', resolve)
  })
  return { schema, meta, records }
}

/** The Avro type of a field, unwrapping an optional ["null", T] union; `optional` says whether it was one. */
function unwrap(field) {
  if (Array.isArray(field.type)) {
    const inner = field.type.filter(t => t !== 'null')
    assert.equal(inner.length, 1, `${field.name}: union ${JSON.stringify(field.type)}`)
    return { type: inner[0], optional: field.type[0] === 'null' }
  }
  return { type: field.type, optional: false }
}

/** Asserts each `[name, fieldId, required]` is a field of `record` with that field-id and optionality. */
function assertFields(record, expected, where) {
  const byName = new Map(record.fields.map(f => [f.name, f]))
  for (const [name, id, required] of expected) {
    const field = byName.get(name)
    assert.ok(field, `${where}: field ${name} missing`)
    assert.equal(field['field-id'], id, `${where}: ${name} field-id`)
    const { optional } = unwrap(field)
    if (required) assert.equal(optional, false, `${where}: ${name} must be required in v2`)
    else assert.equal(optional, true, `${where}: ${name} must be optional`)
  }
}

describe('icebird reads a floe table', () => {
  let work
  let warehouse
  let server
  let undoFetch
  let tableUrl
  // The table as floe shows it once before() has written it, and floe's rows of its head: every test but the last
  // only reads the table, so they compare against these instead of starting floe again for the same answer.
  let head
  let headRows
  const ingested = {}

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-interop-'))
    warehouse = path.join(work, 'warehouse')
    const csv = name => path.join(work, name)
    floe(warehouse, 'generate', 'events', '--rows', '5000', '--days', '3', '--entities', '500', '--seed', '1', '--output', csv('all.csv'))
    floe(warehouse, 'generate', 'events', '--rows', '700', '--days', '1', '--entities', '50', '--seed', '2', '--output', csv('day1.csv'))
    floe(warehouse, 'generate', 'events', '--rows', '300', '--days', '2', '--entities', '50', '--seed', '3', '--output', csv('staging.csv'))
    floe(warehouse, 'table', 'create', TABLE,
      '--schema', 'entity_id:long not null,event_time:timestamptz not null,amount:double,category:string',
      '--partition', 'day(event_time)')
    ingested.append = parseJsonExact(floe(warehouse, '--json', 'ingest', TABLE, csv('all.csv')))
    ingested.overwrite = parseJsonExact(floe(warehouse, '--json', 'ingest', TABLE, csv('day1.csv'), '--mode', 'overwrite-partitions'))
    ingested.staging = parseJsonExact(floe(warehouse, '--json', 'ingest', TABLE, csv('staging.csv'), '--branch', 'staging'))

    server = await serveFolder(warehouse)
    undoFetch = mapFileUrisTo(warehouse, server.baseUrl)
    head = described(parseJsonExact(floe(warehouse, '--json', 'table', 'show', TABLE)))
    tableUrl = head.show.location
    headRows = floeScan(warehouse, TABLE)
  })

  after(async () => {
    undoFetch?.()
    await server?.close()
    if (work && !process.env.FLOE_KEEP_TEMP) fs.rmSync(work, { recursive: true, force: true })
  })

  /** `floe table show`'s answer with its metadata file: { show, fileName, raw (exact ids) }. */
  function described(show) {
    const fileName = path.basename(show.metadata_location)
    const raw = parseJsonExact(fs.readFileSync(localPath(show.metadata_location), 'utf8'))
    return { show, fileName, raw }
  }

  /** The table's current metadata as floe sees it now. */
  function current() {
    return described(parseJsonExact(floe(warehouse, '--json', 'table', 'show', TABLE)))
  }

  it('finds the table location as an absolute file URI that the HTTP mapping serves', () => {
    assert.match(tableUrl, /^file:\/\/\//)
  })

  it('sees the same schema and partition spec', async () => {
    const { show, fileName } = head
    const metadata = await icebergMetadata({ tableUrl, metadataFileName: fileName })
    const schema = metadata.schemas.find(s => s['schema-id'] === metadata['current-schema-id'])
    assert.deepEqual(schema.fields, show.schema.fields)
    assert.deepEqual(schema.fields.map(f => [f.id, f.name, f.type, f.required]), [
      [1, 'entity_id', 'long', true],
      [2, 'event_time', 'timestamptz', true],
      [3, 'amount', 'double', false],
      [4, 'category', 'string', false],
    ])
    const spec = metadata['partition-specs'].find(s => s['spec-id'] === metadata['default-spec-id'])
    assert.deepEqual(spec.fields, show.partition_spec.fields)
    assert.equal(metadata['format-version'], 2)
  })

  it('sees the same snapshots as `floe snapshots`', async () => {
    const { fileName, raw } = head
    const metadata = await icebergMetadata({ tableUrl, metadataFileName: fileName })
    const listed = parseJsonExact(floe(warehouse, '--json', 'snapshots', TABLE))
    assert.equal(metadata.snapshots.length, listed.length)
    assert.equal(listed.length, 3)
    // Ingest printed ids are the snapshots' ids, exactly (checked on the raw file) and as icebird rounds them.
    const exactIds = raw.snapshots.map(s => String(s['snapshot-id']))
    for (const result of Object.values(ingested)) assert.ok(exactIds.includes(String(result.snapshot_id)))
    for (const expected of listed) {
      const seen = metadata.snapshots.find(s => s['snapshot-id'] === asJsNumber(expected.snapshot_id))
      assert.ok(seen, `icebird lacks snapshot ${expected.snapshot_id}`)
      assert.equal(seen['sequence-number'], expected.sequence_number)
      assert.equal(seen['timestamp-ms'], expected.timestamp_ms)
      assert.equal(seen['manifest-list'], expected.manifest_list)
      assert.equal(seen['parent-snapshot-id'] ?? null, expected.parent_snapshot_id === null ? null : asJsNumber(expected.parent_snapshot_id))
      assert.deepEqual(seen.summary, expected.summary)
    }
    assert.equal(metadata['current-snapshot-id'], asJsNumber(ingested.overwrite.snapshot_id))
  })

  it('reads the same rows as `floe scan` at the current snapshot', async () => {
    const { fileName } = head
    const rows = await icebergRead({ tableUrl, metadataFileName: fileName })
    const expected = headRows
    assert.equal(rows.length, expected.length)
    assert.equal(rows.length, 5000 - ingested.overwrite.summary['deleted-records'] + 700)
    // icebird turns timestamps into JS Dates (millisecond precision); full precision is checked with hyparquet below.
    assert.deepEqual(eventKeys(rows, 'ms'), eventKeys(expected, 'ms'))
  })

  it('reads every earlier version (metadata-log) the same as `floe scan --snapshot`', async () => {
    const { fileName } = head
    const metadata = await icebergMetadata({ tableUrl, metadataFileName: fileName })
    const versions = [...metadata['metadata-log'].map(e => path.basename(e['metadata-file'])), fileName]
    let compared = 0
    for (const version of versions) {
      const old = await icebergMetadata({ tableUrl, metadataFileName: version })
      if (old['current-snapshot-id'] === undefined || old['current-snapshot-id'] < 0) continue
      const exact = parseJsonExact(fs.readFileSync(path.join(localPath(tableUrl), 'metadata', version), 'utf8'))
      const rows = await icebergRead({ tableUrl, metadata: old })
      const expected = floeScan(warehouse, TABLE, '--snapshot', String(exact['current-snapshot-id']))
      assert.deepEqual(eventKeys(rows, 'ms'), eventKeys(expected, 'ms'), `version ${version}`)
      compared++
    }
    assert.ok(compared >= 2, `compared ${compared} versions`)
  })

  it('sees the staging branch and reads its head the same as `floe scan --ref staging`', async () => {
    const { fileName } = head
    const metadata = await icebergMetadata({ tableUrl, metadataFileName: fileName })
    assert.deepEqual(Object.keys(metadata.refs).sort(), ['main', 'staging'])
    assert.equal(metadata.refs.staging.type, 'branch')
    assert.equal(metadata.refs.staging['snapshot-id'], asJsNumber(ingested.staging.snapshot_id))
    assert.equal(metadata.refs.main['snapshot-id'], metadata['current-snapshot-id'])
    // icebird reads only current-snapshot-id; reading a branch means pointing that at the ref's snapshot.
    const rows = await icebergRead({ tableUrl, metadata: { ...metadata, 'current-snapshot-id': metadata.refs.staging['snapshot-id'] } })
    const expected = floeScan(warehouse, TABLE, '--ref', 'staging')
    assert.equal(rows.length, 5000 - ingested.overwrite.summary['deleted-records'] + 700 + 300)
    assert.deepEqual(eventKeys(rows, 'ms'), eventKeys(expected, 'ms'))
  })

  it('decodes the manifest list and manifests with avsc: field ids, required fields, metadata, counts', async () => {
    const { raw } = head
    for (const snapshot of raw.snapshots) {
      const list = await readAvro(localPath(snapshot['manifest-list']))
      const where = `manifest list of ${snapshot['snapshot-id']}`
      assert.equal(list.meta['format-version'], '2', where)
      assert.equal(list.meta['snapshot-id'], String(snapshot['snapshot-id']), where)
      assert.equal(list.meta['sequence-number'], String(snapshot['sequence-number']), where)
      assert.equal(list.meta['parent-snapshot-id'] ?? 'null', String(snapshot['parent-snapshot-id'] ?? 'null'), where)
      assertFields(list.schema, [
        ['manifest_path', 500, true], ['manifest_length', 501, true], ['partition_spec_id', 502, true],
        ['content', 517, true], ['sequence_number', 515, true], ['min_sequence_number', 516, true],
        ['added_snapshot_id', 503, true], ['added_files_count', 504, true], ['existing_files_count', 505, true],
        ['deleted_files_count', 506, true], ['added_rows_count', 512, true], ['existing_rows_count', 513, true],
        ['deleted_rows_count', 514, true], ['partitions', 507, false],
      ], where)
      const partitions = unwrap(list.schema.fields.find(f => f.name === 'partitions')).type
      assert.equal(partitions.type, 'array')
      assert.equal(partitions['element-id'], 508)
      assertFields(partitions.items, [['contains_null', 509, true], ['contains_nan', 518, false], ['lower_bound', 510, false], ['upper_bound', 511, false]], `${where} field_summary`)

      let liveRecords = 0n
      for (const manifestFile of list.records) {
        const manifest = await readAvro(localPath(manifestFile.manifest_path))
        const at = `manifest ${manifestFile.manifest_path}`
        assert.equal(BigInt(fs.statSync(localPath(manifestFile.manifest_path)).size), manifestFile.manifest_length, at)
        assert.equal(manifest.meta['format-version'], '2', at)
        assert.equal(manifest.meta['partition-spec-id'], String(manifestFile.partition_spec_id), at)
        assert.equal(manifest.meta.content, 'data', at)
        assert.deepEqual(JSON.parse(manifest.meta.schema).fields, raw.schemas[0].fields, at)
        assert.deepEqual(JSON.parse(manifest.meta['partition-spec']), raw['partition-specs'][0].fields, at)
        assertFields(manifest.schema, [['status', 0, true], ['snapshot_id', 1, false], ['sequence_number', 3, false],
          ['file_sequence_number', 4, false], ['data_file', 2, true]], at)
        const dataFile = unwrap(manifest.schema.fields.find(f => f.name === 'data_file')).type
        assertFields(dataFile, [
          ['content', 134, true], ['file_path', 100, true], ['file_format', 101, true], ['partition', 102, true],
          ['record_count', 103, true], ['file_size_in_bytes', 104, true], ['column_sizes', 108, false],
          ['value_counts', 109, false], ['null_value_counts', 110, false], ['lower_bounds', 125, false],
          ['upper_bounds', 128, false],
        ], `${at} data_file`)
        const partition = unwrap(dataFile.fields.find(f => f.name === 'partition')).type
        assert.deepEqual(partition.fields.map(f => [f.name, f['field-id']]), [['event_time_day', 1000]], at)
        const bounds = unwrap(dataFile.fields.find(f => f.name === 'lower_bounds')).type
        assert.equal(bounds.logicalType, 'map', `${at}: lower_bounds is an array of key/value records with logicalType map`)
        assert.deepEqual(bounds.items.fields.map(f => f['field-id']), [126, 127], at)

        let added = 0
        let existing = 0
        let deleted = 0
        let addedRows = 0n
        for (const entry of manifest.records) {
          if (entry.status === 1) { added++; addedRows += entry.data_file.record_count }
          if (entry.status === 0) existing++
          if (entry.status === 2) deleted++
          if (entry.status !== 1) assert.notEqual(entry.sequence_number, null, `${at}: existing/deleted entries carry sequence numbers`)
          if (entry.status !== 2) liveRecords += entry.data_file.record_count
          assert.equal(entry.data_file.file_format.toUpperCase(), 'PARQUET')
          assert.ok(fs.existsSync(localPath(entry.data_file.file_path)) || entry.status === 2, entry.data_file.file_path)
        }
        assert.equal(manifestFile.added_files_count, added, at)
        assert.equal(manifestFile.existing_files_count, existing, at)
        assert.equal(manifestFile.deleted_files_count, deleted, at)
        assert.equal(manifestFile.added_rows_count, addedRows, at)
      }
      assert.equal(liveRecords, BigInt(snapshot.summary['total-records']), `${where}: live records vs total-records`)
    }
  })

  it('reads every live data file with hyparquet: field ids, iceberg.schema footer, full-precision rows', async () => {
    const { fileName, raw } = head
    const metadata = await icebergMetadata({ tableUrl, metadataFileName: fileName })
    const manifests = await icebergManifests(metadata)
    const rows = []
    const schemaFields = raw.schemas[0].fields
    for (const { entries } of manifests) {
      for (const entry of entries) {
        if (entry.status === 2) continue
        const bytes = fs.readFileSync(localPath(entry.data_file.file_path))
        const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
        const footer = parquetMetadata(file)
        assert.equal(footer.num_rows, entry.data_file.record_count)
        const columns = footer.schema.slice(1)
        assert.deepEqual(columns.map(c => [c.name, c.field_id]), schemaFields.map(f => [f.name, f.id]), entry.data_file.file_path)
        for (const field of schemaFields) {
          const column = columns.find(c => c.field_id === field.id)
          assert.equal(column.repetition_type, field.required ? 'REQUIRED' : 'OPTIONAL', `${field.name} repetition`)
        }
        const icebergSchema = footer.key_value_metadata.find(kv => kv.key === 'iceberg.schema')
        assert.ok(icebergSchema, `${entry.data_file.file_path}: no iceberg.schema footer key`)
        assert.deepEqual(JSON.parse(icebergSchema.value).fields, schemaFields)
        rows.push(...await parquetReadObjects({ file, compressors, parsers: { timestampFromMicroseconds: micros => micros } }))
      }
    }
    assert.deepEqual(eventKeys(rows, 'us'), eventKeys(headRows, 'us'))
  })

  // Runs last: it changes the table (tag, whole-partition delete, snapshot expiry, orphan removal).
  it('after a tag, a partition delete, expiry and orphan removal still reads current and tagged rows', async () => {
    const appendId = String(ingested.append.snapshot_id)
    floe(warehouse, 'tag', 'create', TABLE, 'v1', '--from', appendId)
    floe(warehouse, 'branch', 'drop', TABLE, 'staging')
    floe(warehouse, 'delete', TABLE, '--filter', "event_time >= '2024-01-03T00:00:00Z'")
    const future = new Date(Date.now() + 60_000).toISOString()
    floe(warehouse, 'expire-snapshots', TABLE, '--older-than', future, '--retain-last', '1')
    floe(warehouse, 'remove-orphans', TABLE, '--older-than', future)

    const { fileName, raw } = current()
    const retained = raw.snapshots.map(s => String(s['snapshot-id'])).sort()
    assert.deepEqual(retained, [appendId, String(raw['current-snapshot-id'])].sort(), 'expiry keeps the head and the tagged snapshot')
    const metadata = await icebergMetadata({ tableUrl, metadataFileName: fileName })
    assert.deepEqual(Object.keys(metadata.refs).sort(), ['main', 'v1'])
    assert.equal(metadata.refs.v1.type, 'tag')

    const rows = await icebergRead({ tableUrl, metadataFileName: fileName })
    assert.deepEqual(eventKeys(rows, 'ms'), eventKeys(floeScan(warehouse, TABLE), 'ms'))
    const tagged = await icebergRead({ tableUrl, metadata: { ...metadata, 'current-snapshot-id': metadata.refs.v1['snapshot-id'] } })
    assert.equal(tagged.length, 5000)
    assert.deepEqual(eventKeys(tagged, 'ms'), eventKeys(floeScan(warehouse, TABLE, '--ref', 'v1'), 'ms'))
  })
})
