// loopback_dns.js - preloaded into the test client (node -r): "localhost" and every name under it
// resolve to 127.0.0.1, as RFC 6761 has it and as a site's DNS would send "KEY.akismet-host" to its
// server. Akismet clients put the API key in the host name (KEY.rest.akismet.com), and the test
// machine's resolver knows no such names; the client library itself runs unchanged.
const dns = require('dns')
const systemLookup = dns.lookup

dns.lookup = function (host, options, callback) {
  if (typeof options === 'function') {
    callback = options
    options = {}
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    const all = typeof options === 'object' && options && options.all
    if (all) return process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }])
    return process.nextTick(callback, null, '127.0.0.1', 4)
  }
  return systemLookup.call(this, host, options, callback)
}
