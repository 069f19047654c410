#!/usr/bin/env node
// tools/pinning/server.js — IPFS Pinning Service API (v1.0.0) test server for crates/hallmark-pinning.
//
//   node server.js --modules DIR [--port N] [--token T] [--progress-ms MS] [--exit-with-stdin]
//
// It runs ipfs-shipyard's `mock-ipfs-pinning-service` 0.4.2 (npm; installed by setup.sh under
// DIR/node_modules) and only ever listens on 127.0.0.1. `--port 0` picks a free port. When ready it
// prints one line to stdout:  "listening on http://127.0.0.1:<port>".
//
// The mock serves POST /pins, GET|POST|DELETE /pins/{requestid}, bearer-token auth and the
// `{error: {reason, details}}` failures itself. Where the mock departs from the spec in ways a client
// test would trip on, this launcher corrects it, and only there:
//
//   1. GET /pins is answered here, per the spec: newest first; `count` is the total for the filters
//      (the mock returns the page length, oldest first, so `before` paging cannot work); `match`
//      (exact|iexact|partial|ipartial) is honoured; no `status` means `pinned` only; `meta` filters
//      (with the mock, any `meta` query crashes oas-tools with an HTML 500); malformed parameters
//      get 400 with a Failure body.
//   2. POST /pins always creates a new pin request ("When the same cid is pinned again, a different
//      requestid is returned"); the mock reuses the request of an already-pinned CID.
//   3. `created` is unique and increasing ("pagination by the created timestamp requires each value
//      to be globally unique"); the mock uses Date.now(), which repeats within a millisecond.
//   4. --progress-ms MS (default 0 = off, the mock's behaviour: everything stays `queued`): a pin
//      whose name has no status prefix becomes `pinning` after MS and `pinned` after 2*MS. The mock's
//      name prefixes still force a status: `queued-…`, `pinning-…`, `pinned-…`, `failed-…`.
//
// --exit-with-stdin: exit when stdin closes, so a test that dies never leaves the server behind.
'use strict'

const http = require('node:http')
const path = require('node:path')

const STATUSES = ['queued', 'pinning', 'pinned', 'failed']
const MATCHES = ['exact', 'iexact', 'partial', 'ipartial']
// RFC 3339 section 5.6 date-time (the spec's `format: date-time`)
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

function parseArgs (argv) {
  const opts = { port: 0, token: null, modules: null, progressMs: 0, exitWithStdin: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '--port') opts.port = Number(next())
    else if (a === '--token') opts.token = next()
    else if (a === '--modules') opts.modules = next()
    else if (a === '--progress-ms') opts.progressMs = Number(next())
    else if (a === '--exit-with-stdin') opts.exitWithStdin = true
    else throw new Error(`unknown argument ${a}`)
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('bad --port')
  if (!Number.isFinite(opts.progressMs) || opts.progressMs < 0) throw new Error('bad --progress-ms')
  if (!opts.modules) throw new Error('--modules DIR (the node_modules of setup.sh install) is required')
  return opts
}

function statusFromName (name) {
  for (const s of STATUSES) if (typeof name === 'string' && name.startsWith(`${s}-`)) return s
  return null
}

async function main () {
  const opts = parseArgs(process.argv.slice(2))
  const mockDir = path.join(path.resolve(opts.modules), 'mock-ipfs-pinning-service')
  const pins = require(path.join(mockDir, 'service', 'pins.js'))
  const { setup } = require(mockDir)

  // (3) unique, increasing `created`
  let lastCreated = 0
  const createdNow = () => {
    lastCreated = Math.max(Date.now(), lastCreated + 1)
    return new Date(lastCreated).toISOString()
  }

  // (2) every POST /pins is a new request, keyed by requestid (the mock's get/remove look up by
  // requestid and work unchanged). Patched before setup() loads the controllers that capture them.
  pins.addPin = (state, query) => {
    const pin = query.undefined // oas-tools passes the request body under the key `undefined`
    const requestid = state.requestid + 1
    const pinStatus = {
      requestid: `req-${requestid}`,
      status: statusFromName(pin && pin.name) || 'queued',
      created: createdNow(),
      pin,
      delegates: state.delegates
    }
    const next = { ...state, requestid, pins: new Map([...state.pins, [pinStatus.requestid, pinStatus]]) }
    return [next, { status: 202, body: pinStatus }]
  }
  pins.replacePin = (state, query) => {
    const [afterRemove, removed] = pins.removePin(state, query)
    return removed.status === 202 ? pins.addPin(afterRemove, query) : [afterRemove, removed]
  }

  const app = await setup({ token: opts.token, loglevel: 'error' })

  // (4) lifecycle progression, applied before each request
  const progress = () => {
    if (opts.progressMs <= 0) return
    const state = app.locals.state
    const now = Date.now()
    let changed = null
    for (const [key, p] of state.pins) {
      if (statusFromName(p.pin && p.pin.name) !== null || p.status === 'pinned' || p.status === 'failed') continue
      const age = now - Date.parse(p.created)
      const status = age >= 2 * opts.progressMs ? 'pinned' : age >= opts.progressMs ? 'pinning' : 'queued'
      if (status !== p.status) {
        changed = changed || new Map(state.pins)
        changed.set(key, { ...p, status })
      }
    }
    if (changed) app.locals.state = { ...state, pins: changed }
  }

  const send = (res, status, body) => {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }
  const fail = (res, status, reason, details) => send(res, status, { error: { reason, details } })

  // (1) GET /pins per the spec
  const listPins = (req, url, res) => {
    const { accessToken } = app.locals.state
    if (accessToken) {
      const auth = req.headers.authorization
      if (!auth) return fail(res, 401, 'UNAUTHORIZED', 'access token is missing')
      if (auth !== `Bearer ${accessToken}`) return fail(res, 401, 'UNAUTHORIZED', 'access token is invalid')
    }
    const q = url.searchParams
    const bad = (details) => fail(res, 400, 'BAD_REQUEST', details)
    const list = (name) => (q.has(name) ? q.get(name).split(',') : null)

    const cids = list('cid')
    if (cids && (cids.length < 1 || cids.length > 10 || new Set(cids).size !== cids.length || cids.includes(''))) {
      return bad('cid: 1 to 10 unique CIDs, comma-separated')
    }
    const name = q.get('name')
    if (name !== null && [...name].length > 255) return bad('name: at most 255 characters')
    const match = q.has('match') ? q.get('match') : 'exact'
    if (!MATCHES.includes(match)) return bad(`match: one of ${MATCHES.join(', ')}`)
    const statuses = list('status') || ['pinned']
    if (statuses.some((s) => !STATUSES.includes(s)) || new Set(statuses).size !== statuses.length) {
      return bad(`status: unique values from ${STATUSES.join(', ')}`)
    }
    const time = (key) => {
      if (!q.has(key)) return null
      const v = q.get(key)
      const t = Date.parse(v)
      return DATE_TIME.test(v) && !Number.isNaN(t) ? t : NaN
    }
    const before = time('before')
    const after = time('after')
    if (Number.isNaN(before)) return bad('before: RFC 3339 date-time')
    if (Number.isNaN(after)) return bad('after: RFC 3339 date-time')
    let limit = 10
    if (q.has('limit')) {
      limit = Number(q.get('limit'))
      if (!/^\d+$/.test(q.get('limit')) || limit < 1 || limit > 1000) return bad('limit: integer 1..1000')
    }
    let meta = null
    if (q.has('meta')) {
      try { meta = JSON.parse(q.get('meta')) } catch (_) { return bad('meta: not JSON') }
      if (meta === null || typeof meta !== 'object' || Array.isArray(meta) ||
          Object.values(meta).some((v) => typeof v !== 'string')) {
        return bad('meta: a JSON object of string values')
      }
    }
    const nameMatches = (pinName) => {
      if (name === null) return true
      if (typeof pinName !== 'string') return false
      switch (match) {
        case 'exact': return pinName === name
        case 'iexact': return pinName.toLowerCase() === name.toLowerCase()
        case 'partial': return pinName.includes(name)
        default: return pinName.toLowerCase().includes(name.toLowerCase())
      }
    }
    const matched = [...app.locals.state.pins.values()].filter((p) => {
      const created = Date.parse(p.created)
      const pinMeta = (p.pin && p.pin.meta) || {}
      return (cids === null || cids.includes(p.pin.cid)) &&
        nameMatches(p.pin.name) &&
        statuses.includes(p.status) &&
        (before === null || created < before) &&
        (after === null || created > after) &&
        (meta === null || Object.entries(meta).every(([k, v]) => pinMeta[k] === v))
    })
    matched.sort((a, b) => Date.parse(b.created) - Date.parse(a.created))
    send(res, 200, { count: matched.length, results: matched.slice(0, limit) })
  }

  const server = http.createServer((req, res) => {
    progress()
    const url = new URL(req.url, 'http://127.0.0.1')
    if (req.method === 'GET' && url.pathname === '/pins') return listPins(req, url, res)
    app(req, res)
  })
  server.listen(opts.port, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`)
  })
  const stop = () => { server.close(); process.exit(0) }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  if (opts.exitWithStdin) {
    process.stdin.on('end', stop)
    process.stdin.on('close', stop)
    process.stdin.resume()
  }
}

main().catch((err) => {
  process.stderr.write(`pinning test server: ${err && err.stack ? err.stack : err}\n`)
  process.exit(1)
})
