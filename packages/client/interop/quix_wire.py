"""Byte-level bridge to quixstreams' Quix serializers, driven by the interop tests.

    python quix_wire.py deserialize   < {"value": b64, "headers": [[k, v], ...]} per line
    python quix_wire.py serialize     < {"kind": "timeseries"|"events", "legacy": bool, "value": {...}} per line

Bytes travel as {"$b64": "..."} in both directions; integers are printed exactly.
"""

import base64
import json
import sys

from quixstreams.models.serializers.base import SerializationContext
from quixstreams.models.serializers.exceptions import IgnoreMessage
from quixstreams.models.serializers.quix import (
    QuixDeserializer,
    QuixEventsSerializer,
    QuixTimeseriesSerializer,
)

from json_bytes import from_json, to_json

def deserialize(request):
    headers = [(k, v.encode()) for k, v in request["headers"]]
    ctx = SerializationContext(topic="interop", field="value", headers=headers)
    try:
        rows = list(QuixDeserializer()(base64.b64decode(request["value"]), ctx))
    except IgnoreMessage:
        return {"ignored": True}
    return {"rows": rows}


def serialize(request):
    kind = QuixTimeseriesSerializer if request["kind"] == "timeseries" else QuixEventsSerializer
    serializer = kind(as_legacy=request["legacy"])
    value = serializer(from_json(request["value"]), SerializationContext(topic="interop", field="value"))
    if isinstance(value, str):
        value = value.encode()
    return {"value": base64.b64encode(value).decode("ascii"), "headers": list(serializer.extra_headers.items())}


def main():
    handler = {"deserialize": deserialize, "serialize": serialize}[sys.argv[1]]
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(handler(json.loads(line)), default=to_json), flush=True)


if __name__ == "__main__":
    main()
