"""A quixstreams Application producer, the Python twin of sequence-producer.ts.

Sends {"producer", "seq", "at"} with seq = 0, 1, 2 ... at a steady rate. Configured only through
the environment, as a deployment is: Quix__Sdk__Token, Quix__Portal__Api, Quix__Workspace__Id
(injected by the platform; quixstreams reads them itself), Quix__Deployment__ReplicaName
(optional, names this producer), TOPIC (default "sequence"), INTERVAL_MS (default 50).

Every failed delivery goes to stderr as "delivery failed: seq N: ...". On SIGTERM or SIGINT it
stops sending, flushes (at most 10 s), prints one JSON line {"event": "stopped", "lastAcked": N,
...} and exits 0. Run it from a scratch directory: quixstreams writes a state/ folder there.
"""

import json
import os
import signal
import sys
import time

from quixstreams import Application

topic_name = os.environ.get("TOPIC", "sequence")
interval = float(os.environ.get("INTERVAL_MS", "50")) / 1000
producer_id = f"{os.environ.get('Quix__Deployment__ReplicaName', 'local')}/{os.getpid()}"


def say(event, **fields):
    print(json.dumps({"event": event, "producer": producer_id, **fields}), flush=True)


class Deliveries:
    """Acknowledgements as librdkafka reports them (flush() alone does not say what failed)."""

    def __init__(self):
        self.acked = 0
        self.failed = 0
        self.last_acked = -1
        self.announced = False

    def __call__(self, error, message):
        seq = json.loads(message.value())["seq"]
        if error is not None:
            self.failed += 1
            print(f"delivery failed: seq {seq}: {error}", file=sys.stderr, flush=True)
            return
        self.acked += 1
        self.last_acked = max(self.last_acked, seq)
        if not self.announced:
            self.announced = True
            say("producing", topic=message.topic(), intervalMs=interval * 1000)


stop_signal = None


def on_signal(signum, _frame):
    global stop_signal
    stop_signal = signal.Signals(signum).name


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)

app = Application()
topic = app.topic(topic_name, value_serializer="json")
deliveries = Deliveries()
sent = 0
# Not `with`: its exit flushes again with no bound, and a refused token can keep messages queued.
producer = app.get_producer()
say("started", topic=topic.name)
next_at = time.monotonic()
while stop_signal is None:
    message = topic.serialize(
        key=producer_id, value={"producer": producer_id, "seq": sent, "at": int(time.time() * 1000)}
    )
    try:
        producer.produce(topic=topic.name, key=message.key, value=message.value, on_delivery=deliveries)
    except Exception as error:  # refused before queueing, e.g. a topic the token may no longer write
        deliveries.failed += 1
        print(f"delivery failed: seq {sent}: {error}", file=sys.stderr, flush=True)
    sent += 1
    producer.poll(0)
    next_at += interval
    time.sleep(max(0.0, next_at - time.monotonic()))
remaining = producer.flush(10)
say(
    "stopped",
    signal=stop_signal,
    sent=sent,
    acked=deliveries.acked,
    failed=deliveries.failed,
    unflushed=remaining,
    lastAcked=deliveries.last_acked,
)
