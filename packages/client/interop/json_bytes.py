"""Bytes inside JSON as {"$b64": "..."}, the way the interop scripts and the TypeScript tests exchange them."""

import base64


def to_json(value):
    if isinstance(value, (bytes, bytearray)):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    raise TypeError(f"cannot encode {type(value)}")


def from_json(value):
    if isinstance(value, dict):
        if set(value) == {"$b64"}:
            return base64.b64decode(value["$b64"])
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value
