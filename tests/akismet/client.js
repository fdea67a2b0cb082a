// client.js PORT KEY BLOG PERMALINK - the Akismet calls a blog makes, through the akismet-api
// package from npm, against `commentguard serve` on 127.0.0.1:PORT (run with -r ./loopback_dns.js).
// Exits 0 when every answer is the expected one; tests/akismet_test.sh then checks the feedback
// file for the two submissions.
const assert = require('assert/strict')
const { AkismetClient } = require('akismet-api')

const [port, key, blog, permalink] = process.argv.slice(2)
const host = `localhost:${port}`
const client = new AkismetClient({ key, blog, host, protocol: 'http' })
const stranger = new AkismetClient({ key: 'not-a-key', blog, host, protocol: 'http' })

const ham = {
  ip: '203.0.113.7',
  useragent: 'Mozilla/5.0',
  permalink,
  type: 'comment',
  name: 'Maria',
  content: 'Extending the tram to the harbour will help the people who work at the port.'
}
const spam = {
  ip: '198.51.100.23',
  useragent: 'Mozilla/5.0',
  permalink,
  type: 'comment',
  name: 'Prize Team',
  email: 'claims@prize-team.example',
  url: 'http://prize-team.example/claim',
  content: 'WINNER!! You have been selected for a cash prize, call 09061701461 to claim'
}

async function main () {
  assert.equal(await client.verifyKey(), true, 'verify-key with the key')
  assert.equal(await stranger.verifyKey(), false, 'verify-key with another key')
  assert.equal(await client.checkSpam(ham), false, 'comment-check of an on-topic comment')
  assert.equal(await client.checkSpam(spam), true, 'comment-check of spam')
  assert.equal(await client.checkSpam({ ...ham, name: 'viagra-test-123', isTest: true }), true,
    "comment-check with Akismet's test author")
  await assert.rejects(stranger.checkSpam(ham), /Invalid API key/, 'comment-check with a bad key')
  await assert.rejects(client.checkSpam({ content: 'no address' }), /Missing required field: user_ip/,
    'comment-check without user_ip')
  // What a moderator does: a spam comment the check let through, an on-topic one it caught.
  await client.submitSpam({ ...spam, content: 'Claim your cash prize now, call 09061701461 WINNER' })
  await client.submitHam({ ...ham, content: 'The harbour stops will help the port workers, good news.' })
  console.log('client: all Akismet calls answered as expected')
}

main().catch(err => {
  console.error('client: ' + (err && err.stack ? err.stack : err))
  process.exit(1)
})
