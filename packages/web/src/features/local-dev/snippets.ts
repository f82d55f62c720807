export type EnvInput = { ws: string; token: string | null; origin: string };

export const TOKEN_PLACEHOLDER = '<Token 2: ask an Admin, Manager or Editor>';

/** The lines a developer puts in .env to run a service against this workspace from a laptop. */
export function envLines({ ws, token, origin }: EnvInput): string {
  return [
    `Quix__Sdk__Token=${token ?? TOKEN_PLACEHOLDER}`,
    `Quix__Portal__Api=${origin}`,
    `Quix__Workspace__Id=${ws}`,
  ].join('\n');
}

export const TYPESCRIPT_EXAMPLE = `// npm install @streamgate/client
import { QuixStreamingClient } from '@streamgate/client';

// Reads Quix__Sdk__Token, Quix__Portal__Api and Quix__Workspace__Id from the environment.
const client = new QuixStreamingClient();
const producer = await client.getTopicProducer('orders');
const stream = producer.createStream();

stream.timeseries.buffer.addTimestamp(new Date()).addValue('speed', 42).publish();

await stream.close(); // flushes, then ends the stream
await client.close();
`;

export const PYTHON_EXAMPLE = `# pip install quixstreams
from quixstreams import Application

# Reads Quix__Sdk__Token, Quix__Portal__Api and Quix__Workspace__Id from the environment.
app = Application()
orders = app.topic("orders", value_serializer="json")

with app.get_producer() as producer:
    message = orders.serialize(key="car-1", value={"speed": 42})
    producer.produce(topic=orders.name, key=message.key, value=message.value)
`;
