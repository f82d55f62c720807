"""The legacy QuixStreamingClient (PyPI quixstreams 0.5.7, a C# core with librdkafka 1.9.2 inside)
against the Streamgate Portal, for the interop tests.

Configured like a deployment: only Quix__Sdk__Token and Quix__Portal__Api in the environment.
The client logs to stdout itself, so every result line this script prints starts with "@@ ".

    python legacy_quix.py produce TOPIC STREAM ROWS            a stream with properties, ROWS rows and an event
    python legacy_quix.py consume TOPIC GROUP STREAMS TIMEOUT_S  everything read until STREAMS streams closed
    python legacy_quix.py loop TOPIC STREAM SECONDS            a row every 0.1 s; every send and every error
    python legacy_quix.py open TOPIC                           only opens a producer; prints the error, if any
"""

import json
import sys
import threading
import time

from quixstreams import AutoOffsetReset, QuixStreamingClient


def emit(**fields):
    print("@@ " + json.dumps(fields), flush=True)


def produce(topic, stream_id, rows):
    client = QuixStreamingClient()
    producer = client.get_topic_producer(topic)
    stream = producer.create_stream(stream_id)
    stream.properties.name = f"Legacy {stream_id}"
    stream.properties.metadata["source"] = "quixstreams-0.5.7"
    for i in range(rows):
        (
            stream.timeseries.buffer.add_timestamp_nanoseconds(1700000000000000000 + i)
            .add_value("n", float(i))
            .add_value("label", f"row-{i}")
            .add_tag("car", stream_id)
            .publish()
        )
    stream.events.add_timestamp_nanoseconds(1700000000000000500).add_value("pit", "in").publish()
    stream.close()
    producer.flush()
    producer.dispose()
    emit(produced=rows)


def consume(topic, group, streams, timeout_s):
    client = QuixStreamingClient()
    consumer = client.get_topic_consumer(topic, group, auto_offset_reset=AutoOffsetReset.Earliest)
    closed = set()
    finished = threading.Event()

    def on_stream(stream):
        def on_rows(s, data):
            for row in data.timestamps:
                values = {}
                for name, value in row.parameters.items():
                    values[name] = value.numeric_value if value.numeric_value is not None else value.string_value
                emit(kind="row", stream=s.stream_id, timestamp=str(row.timestamp_nanoseconds), values=values, tags=dict(row.tags))

        def on_event(s, event):
            emit(kind="event", stream=s.stream_id, id=event.id, value=event.value, timestamp=str(event.timestamp_nanoseconds), tags=dict(event.tags))

        def on_properties(s):
            emit(kind="properties", stream=s.stream_id, name=s.properties.name, metadata=dict(s.properties.metadata))

        def on_closed(s, end_type):
            emit(kind="closed", stream=s.stream_id)
            closed.add(s.stream_id)
            if len(closed) >= streams:
                finished.set()

        stream.timeseries.on_data_received = on_rows
        stream.events.on_data_received = on_event
        stream.properties.on_changed = on_properties
        stream.on_stream_closed = on_closed

    consumer.on_stream_received = on_stream
    consumer.subscribe()
    finished.wait(timeout_s)
    consumer.dispose()
    emit(kind="done", closed=len(closed))


def loop(topic, stream_id, seconds):
    client = QuixStreamingClient()
    producer = client.get_topic_producer(topic)
    stream = producer.create_stream(stream_id)
    errors = 0

    def on_error(s, error):
        nonlocal errors
        errors += 1
        emit(error=str(error)[:500])

    stream.on_write_exception = on_error
    deadline = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < deadline:
        try:
            stream.timeseries.buffer.add_timestamp_nanoseconds(1700000000000000000 + sent).add_value("n", float(sent)).publish()
            stream.timeseries.flush()
            sent += 1
            emit(sent=sent)
        except Exception as error:  # the client raises what the broker refused, too
            errors += 1
            emit(error=str(error)[:500])
        time.sleep(0.1)
    try:
        stream.close()
        producer.flush()
        producer.dispose()
    except Exception as error:
        errors += 1
        emit(error=str(error)[:500])
    emit(done=sent, errors=errors)


def open_producer(topic):
    try:
        QuixStreamingClient().get_topic_producer(topic)
        emit(opened=True)
    except Exception as error:
        emit(error=str(error)[:1000])


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "produce":
        produce(args[0], args[1], int(args[2]))
    elif command == "consume":
        consume(args[0], args[1], int(args[2]), float(args[3]))
    elif command == "loop":
        loop(args[0], args[1], float(args[2]))
    elif command == "open":
        open_producer(args[0])
    else:
        raise SystemExit(f"unknown command {command}")
