"""quixstreams side of bench/client-throughput.ts (a benchmark, not a test).

    python bench_quixstreams.py produce-rows TOPIC N     N timeseries rows, one message each (QuixTimeseriesSerializer)
    python bench_quixstreams.py produce-raw TOPIC N SIZE N raw messages of SIZE bytes
    python bench_quixstreams.py consume-rows TOPIC N GROUP  reads N rows with QuixDeserializer

Prints one JSON line: {"count": n, "seconds": s}. Configured by Quix__Sdk__Token and Quix__Portal__Api.
"""

import json
import sys
import time

from quixstreams import Application
from quixstreams.models.serializers.exceptions import IgnoreMessage
from quixstreams.models.serializers.quix import QuixDeserializer, QuixTimeseriesSerializer


def produce_rows(topic_name, n):
    app = Application()
    topic = app.topic(topic_name)
    serializer = QuixTimeseriesSerializer(as_legacy=False)
    headers = list(serializer.extra_headers.items())
    base = time.time_ns()
    with app.get_producer() as producer:
        producer.produce(topic=topic.name, key=b"warmup", value=serializer({"value": 0, "Timestamp": base}, None), headers=headers)
        producer.flush(30)
        start = time.perf_counter()
        for i in range(n):
            value = serializer({"value": i, "Timestamp": base + i}, None)
            producer.produce(topic=topic.name, key=b"bench", value=value, headers=headers)
        producer.flush(120)
        seconds = time.perf_counter() - start
    print(json.dumps({"count": n, "seconds": seconds}), flush=True)


def produce_raw(topic_name, n, size):
    app = Application()
    topic = app.topic(topic_name)
    payload = b"x" * size
    with app.get_producer() as producer:
        producer.produce(topic=topic.name, key=b"warmup", value=payload)
        producer.flush(30)
        start = time.perf_counter()
        for i in range(n):
            producer.produce(topic=topic.name, key=f"stream-{i % 10}".encode(), value=payload)
        producer.flush(120)
        seconds = time.perf_counter() - start
    print(json.dumps({"count": n, "seconds": seconds}), flush=True)


def consume_rows(topic_name, n, group):
    app = Application(consumer_group=group, auto_offset_reset="earliest")
    topic = app.topic(topic_name, value_deserializer=QuixDeserializer())
    seen = 0
    start = None
    with app.get_consumer() as consumer:
        consumer.subscribe([topic.name])
        deadline = time.monotonic() + 300
        while seen < n and time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            if start is None:
                start = time.perf_counter()
            try:
                rows = topic.row_deserialize(message)
            except IgnoreMessage:
                continue
            if rows is not None:
                seen += len(rows) if isinstance(rows, list) else 1
    seconds = time.perf_counter() - (start or time.perf_counter())
    print(json.dumps({"count": seen, "seconds": seconds}), flush=True)


def main():
    mode = sys.argv[1]
    if mode == "produce-rows":
        produce_rows(sys.argv[2], int(sys.argv[3]))
    elif mode == "produce-raw":
        produce_raw(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "consume-rows":
        consume_rows(sys.argv[2], int(sys.argv[3]), sys.argv[4])


if __name__ == "__main__":
    main()
