import assert from 'node:assert/strict';
import { channel } from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { forgetConnectionErrors, listenToConnectionErrors } from './connection.ts';

const instances = channel('plt:kafka:instances');

function newConnection(ownerId: number): EventEmitter & { ownerId: number } {
  const connection = Object.assign(new EventEmitter(), { ownerId });
  instances.publish({ type: 'connection', instance: connection });
  connection.once('error', () => {}); // what the connection pool does
  return connection;
}

test("a broker connection's second 'error' (its pool listens once) does not throw", () => {
  const client = Object.assign(new EventEmitter(), { instanceId: 9001 });
  listenToConnectionErrors(client);
  try {
    const connection = newConnection(9001);
    connection.emit('error', new Error('Connection error'));
    assert.doesNotThrow(() => connection.emit('error', new Error('Connection to 127.0.0.1:9092 failed.')));
    // Connections of other clients are left alone.
    const theirs = newConnection(9002);
    theirs.emit('error', new Error('Connection error'));
    assert.throws(() => theirs.emit('error', new Error('second')), /second/);
  } finally {
    forgetConnectionErrors(client);
  }
});

test('a closed client stops being listened for: its later connections are left alone', () => {
  const client = Object.assign(new EventEmitter(), { instanceId: 9003 });
  listenToConnectionErrors(client);
  client.emit('client:close');
  const later = newConnection(9003);
  later.emit('error', new Error('Connection error'));
  assert.throws(() => later.emit('error', new Error('second')), /second/);
});
