"""quixstreams Applications against the Streamgate Portal, for the interop tests.

Configured like a deployment: only Quix__Sdk__Token and Quix__Portal__Api in the environment.

    python quix_kafka.py consume TOPIC COUNT TIMEOUT_S GROUP   prints one JSON row per line (QuixDeserializer)
    python quix_kafka.py produce TOPIC                         reads {"key", "kind", "legacy", "value"} lines,
                                                               writes them with the Quix serializers
    python quix_kafka.py produce-json TOPIC COUNT              writes COUNT JSON messages the usual way
    python quix_kafka.py consume-json TOPIC COUNT TIMEOUT_S GROUP  reads them back with app.run()
"""

import json
import sys
import time

from quixstreams import Application
from quixstreams.models.serializers.exceptions import IgnoreMessage
from quixstreams.models.serializers.quix import (
    QuixDeserializer,
    QuixEventsSerializer,
    QuixTimeseriesSerializer,
)

from json_bytes import from_json, to_json

def consume(topic_name, count, timeout_s, group):
    app = Application(consumer_group=group, auto_offset_reset="earliest")
    topic = app.topic(topic_name, value_deserializer=QuixDeserializer())
    seen = 0
    deadline = time.monotonic() + timeout_s
    with app.get_consumer() as consumer:
        consumer.subscribe([topic.name])
        while seen < count and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(str(message.error()))
            try:
                # As the Application's consumer does: stream-level models are skipped.
                rows = topic.row_deserialize(message)
            except IgnoreMessage:
                continue
            if rows is None:
                continue
            for row in rows if isinstance(rows, list) else [rows]:
                key = row.key.decode() if isinstance(row.key, bytes) else row.key
                print(json.dumps({"key": key, "value": row.value}, default=to_json), flush=True)
                seen += 1
    if seen < count:
        raise SystemExit(f"only {seen} of {count} rows arrived")


class Deliveries:
    """Delivery reports: flush() only says nothing is left in the queue, not that it all arrived
    (a refused message, e.g. for lack of an ACL, leaves the queue at once with an error)."""

    def __init__(self):
        self.errors = []

    def __call__(self, error, _message):
        if error is not None:
            self.errors.append(str(error))

    def check(self):
        if self.errors:
            raise SystemExit(f"{len(self.errors)} messages failed: {self.errors[0]}")


def produce(topic_name):
    app = Application()
    serializers = {}
    topic = app.topic(topic_name)
    deliveries = Deliveries()
    with app.get_producer() as producer:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            kind = (request["kind"], request["legacy"])
            if kind not in serializers:
                cls = QuixTimeseriesSerializer if request["kind"] == "timeseries" else QuixEventsSerializer
                serializers[kind] = cls(as_legacy=request["legacy"])
            serializer = serializers[kind]
            value = serializer(from_json(request["value"]), None)
            producer.produce(
                topic=topic.name,
                key=request["key"].encode(),
                value=value,
                headers=list(serializer.extra_headers.items()) or None,
                on_delivery=deliveries,
            )
        remaining = producer.flush(60)
    if remaining:
        raise SystemExit(f"{remaining} messages were not delivered within 60 s")
    deliveries.check()
    print("produced", flush=True)


def produce_json(topic_name, count):
    app = Application()
    topic = app.topic(topic_name, value_serializer="json")
    deliveries = Deliveries()
    with app.get_producer() as producer:
        for i in range(count):
            message = topic.serialize(key=f"k{i % 3}", value={"n": i})
            producer.produce(topic=topic.name, key=message.key, value=message.value, on_delivery=deliveries)
        remaining = producer.flush(60)
    if remaining:
        raise SystemExit(f"{remaining} of {count} messages were not delivered within 60 s")
    deliveries.check()
    print("produced", count, flush=True)


def consume_json(topic_name, count, timeout_s, group):
    app = Application(consumer_group=group, auto_offset_reset="earliest")
    topic = app.topic(topic_name, value_deserializer="json")
    seen = []

    def on_value(value):
        seen.append(value["n"])
        if len(seen) >= count:
            app.stop()

    app.dataframe(topic).update(on_value)
    app.run(timeout=timeout_s)
    print(json.dumps(sorted(seen)), flush=True)
    if len(seen) < count:
        raise SystemExit(f"only {len(seen)} of {count} messages arrived")


def main():
    mode, topic = sys.argv[1], sys.argv[2]
    if mode == "consume":
        consume(topic, int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    elif mode == "produce":
        produce(topic)
    elif mode == "produce-json":
        produce_json(topic, int(sys.argv[3]))
    elif mode == "consume-json":
        consume_json(topic, int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
