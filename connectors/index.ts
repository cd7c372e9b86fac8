import { z } from 'zod';
import { type ConnectorCatalog, type ConnectorDefinition, DEFAULT_TIMEOUT_MS } from '../engine/connectors/connector.ts';
import { documentConnector } from './document-pdf/document-pdf.connector.ts';
import { emailConnector } from './email-smtp/email-smtp.connector.ts';
import { fachverfahrenHttpConnector } from './fachverfahren-http/fachverfahren-http.connector.ts';
import { paymentConnector } from './payment/payment.connector.ts';
import { postboxConnector } from './postbox/postbox.connector.ts';

/** The connectors that ship with the engine, as one explicit list; external ones are added by configuration. */
export const builtinConnectors: ConnectorDefinition[] = [
  paymentConnector,
  postboxConnector,
  fachverfahrenHttpConnector,
  documentConnector,
  emailConnector,
];

/** A JSON Schema document as zod 4 produces it. */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

/** What `GET /api/connectors` shows about one operation. */
export type OperationDescription = {
  title: string;
  retry: 'safe' | 'never';
  /** Milliseconds before the engine aborts a call. */
  timeoutMs: number;
  /** What a procedure must pass in (defaults may be left out). */
  input: JsonSchema;
  /** What the operation returns to the case. */
  output: JsonSchema;
};

/** Input and output JSON Schema of every operation, so the API and the designer can show and check mappings. */
export function operationJsonSchemas(connector: ConnectorDefinition): Record<string, OperationDescription> {
  return Object.fromEntries(
    Object.entries(connector.operations).map(([name, operation]) => [
      name,
      {
        title: operation.title,
        retry: operation.retry,
        timeoutMs: operation.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        input: z.toJSONSchema(operation.input, { io: 'input', unrepresentable: 'any' }),
        output: z.toJSONSchema(operation.output, { io: 'output', unrepresentable: 'any' }),
      },
    ]),
  );
}

/** Operation → input field names per connector id: what the definition validator and the designer check against. */
export function connectorCatalog(list: readonly ConnectorDefinition[]): ConnectorCatalog {
  return Object.fromEntries(
    list.map((connector) => [
      connector.id,
      {
        operations: Object.fromEntries(
          Object.entries(connector.operations).map(([name, operation]) => [
            name,
            { inputFields: inputFields(operation.input) },
          ]),
        ),
      },
    ]),
  );
}

function inputFields(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  const properties = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }).properties;
  return properties === undefined ? [] : Object.keys(properties);
}
