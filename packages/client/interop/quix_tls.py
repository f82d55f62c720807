"""quixstreams Applications against a Streamgate whose portal is HTTPS and whose broker is SASL_SSL,
both with certificates from a private CA, for the TLS interop tests.

Configured like a deployment, by the environment alone: Quix__Sdk__Token and an https
Quix__Portal__Api, plus the CA file in SSL_CERT_FILE (the machine's trust in the private CA). The
Applications take no extra configuration. The CA reaches each party of the client this way:
- the Portal API (httpx): SSL_CERT_FILE, which httpx reads;
- the broker (librdkafka): `ssl.ca.cert` in the portal's broker/librdkafka, which quixstreams turns
  into `ssl.ca.pem` by itself. Over TLS that configuration is a PLAIN login (the token's principal
  and the token), so librdkafka makes no HTTPS call of its own (its libcurl would need
  `https.ca.location`, which no Quix setting can carry).

    python quix_tls.py produce-json TOPIC COUNT
    python quix_tls.py consume-json TOPIC COUNT TIMEOUT_S GROUP
    python quix_tls.py produce-untrusted TOPIC    the portal's own config without its CA: must fail
"""

import json
import os
import sys

from quixstreams.platforms.quix.api import QuixPortalApiService
from quixstreams.platforms.quix.config import QuixKafkaConfigsBuilder

# The same Applications as over plaintext: TLS asks nothing more of them.
from quix_kafka import consume_json, produce_json


def produce_untrusted(topic_name):
    """librdkafka with the portal's broker config minus its CA: the broker's certificate cannot be
    verified, so nothing may be delivered."""
    from confluent_kafka import Producer

    api = QuixPortalApiService(
        auth_token=os.environ["Quix__Sdk__Token"], portal_api=os.environ["Quix__Portal__Api"]
    )
    builder = QuixKafkaConfigsBuilder(quix_portal_api_service=api)
    config = builder.librdkafka_connection_config.as_librdkafka_dict(plaintext_secrets=True)
    config.pop("ssl.ca.pem", None)
    errors = []
    config["message.timeout.ms"] = 15000
    config["error_cb"] = lambda error: errors.append(str(error))
    producer = Producer(config)
    delivered = []
    producer.produce(
        builder.prepend_workspace_id(topic_name),
        value=b"must not arrive",
        on_delivery=lambda error, _m: (errors if error else delivered).append(str(error)),
    )
    producer.flush(30)
    print(json.dumps({"delivered": len(delivered), "errors": errors[:3]}), flush=True)


def main():
    mode, topic = sys.argv[1], sys.argv[2]
    if mode == "produce-json":
        produce_json(topic, int(sys.argv[3]))
    elif mode == "consume-json":
        consume_json(topic, int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    elif mode == "produce-untrusted":
        produce_untrusted(topic)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
