import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { listenToConnectionErrors } from './connection.ts';

test("a broker connection's second 'error' (its pool listens once) does not throw", () => {
  const client = new EventEmitter();
  listenToConnectionErrors(client);
  const connection = new EventEmitter();
  connection.once('error', () => {}); // what the connection pool does
  client.emit('client:broker:connect', { connection });
  connection.emit('error', new Error('Connection error'));
  assert.doesNotThrow(() => connection.emit('error', new Error('Connection to 127.0.0.1:9092 failed.')));
});
