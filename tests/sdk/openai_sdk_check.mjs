// The real-client check of `zooter serve` (issue 19): the official `openai` npm package drives a
// running serve over the tests' fake upstream. Run by tests/sdk/openai_sdk_check.sh, which
// installs the package and starts the servers; everything is on 127.0.0.1.
//
// Environment: OPENAI_SDK_DIR (the folder holding node_modules/openai), ZOOTER_URL (serve's base
// URL, with /v1), ZOOTER_TOKEN (serve's bearer token) and SLOW_PORT (where this script runs the
// "slow" candidate's upstream, which never answers). Prints one "ok NAME" line per check.
import { createRequire } from 'node:module';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const require = createRequire(process.env.OPENAI_SDK_DIR + '/');
const OpenAI = require('openai');
const sdkVersion = JSON.parse(
  readFileSync(process.env.OPENAI_SDK_DIR + '/node_modules/openai/package.json', 'utf8')).version;

const baseURL = process.env.ZOOTER_URL;
const apiKey = process.env.ZOOTER_TOKEN;
const slowPort = Number(process.env.SLOW_PORT);

// The "slow" candidate's upstream: reads a request, never answers, and notes when the proxy
// closes the connection (a client abort must cancel the upstream request).
let slowRequests = 0;
let slowClosed = 0;
const slow = http.createServer((request) => {
  slowRequests += 1;
  request.socket.on('close', () => { slowClosed += 1; });
  request.resume();
});
await new Promise((resolve) => slow.listen(slowPort, '127.0.0.1', resolve));

const client = new OpenAI({ baseURL, apiKey, maxRetries: 2, timeout: 10000 });
const results = [];
async function check(name, body) {
  await body();
  results.push(name);
  console.log(`ok ${name}`);
}

try {
  await check('models.list', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(ids, ['auto', 'alpha', 'flaky', 'slow']);
  });
  await check('models.retrieve', async () => {
    const model = await client.models.retrieve('alpha');
    assert.equal(model.id, 'alpha');
    assert.equal(model.object, 'model');
  });
  await check('models.retrieve of an unknown model is NotFoundError', async () => {
    await assert.rejects(client.models.retrieve('gpt-9'), (e) => e instanceof OpenAI.NotFoundError &&
      e.code === 'model_not_found');
  });
  await check('chat.completions.create', async () => {
    const answer = await client.chat.completions.create({
      model: 'alpha', messages: [{ role: 'user', content: 'hello there' }] });
    assert.equal(answer.choices[0].message.content, 'echo alpha-model: hello there');
  });
  await check('chat.completions.create with stream', async () => {
    const stream = await client.chat.completions.create({
      model: 'alpha', stream: true, messages: [{ role: 'user', content: 'one two three' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'echo alpha-model: one two three');
  });
  await check('a wrong key is AuthenticationError', async () => {
    const wrong = new OpenAI({ baseURL, apiKey: 'not-the-token', maxRetries: 0 });
    await assert.rejects(wrong.models.list(), (e) => e instanceof OpenAI.AuthenticationError && e.status === 401);
  });
  await check('an unknown model is NotFoundError', async () => {
    await assert.rejects(client.chat.completions.create({
      model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] }),
      (e) => e instanceof OpenAI.NotFoundError && e.status === 404);
  });
  await check('a 429 is retried after retry-after-ms', async () => {
    // "flaky" answers every other request with 429 and retry-after-ms: 10.
    const { data, response } = await client.chat.completions.create({
      model: 'flaky', messages: [{ role: 'user', content: 'again' }] }).withResponse();
    assert.equal(response.status, 200);
    assert.equal(data.choices[0].message.content, 'echo flaky-model: again');
  });
  await check('an abort ends the request and closes the upstream request', async () => {
    const controller = new AbortController();
    const pending = client.chat.completions.create({
      model: 'slow', messages: [{ role: 'user', content: 'never mind' }] }, { signal: controller.signal });
    for (let i = 0; i < 400 && slowRequests === 0; ++i) await new Promise((r) => setTimeout(r, 5));
    assert.equal(slowRequests, 1);
    controller.abort();
    await assert.rejects(pending, (e) => e instanceof OpenAI.APIUserAbortError);
    for (let i = 0; i < 400 && slowClosed === 0; ++i) await new Promise((r) => setTimeout(r, 5));
    assert.equal(slowClosed, 1, 'the upstream connection stayed open after the abort');
  });
  console.log(`openai ${sdkVersion}: ${results.length} checks passed`);
} finally {
  slow.close();
  slow.closeAllConnections?.();
}
